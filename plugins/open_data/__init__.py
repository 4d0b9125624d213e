"""Open data: the International Open Data Charter, data portals, high-value datasets and ODIN
scores (plugin hooks only; each hook imports what it returns, so loading the plugin is cheap).
The core finds the tables (models.py) and the migrations (migrations/) by convention.
"""

from __future__ import annotations

from typing import Any

from core import Theme, hookimpl

KEY = "open_data"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Open data",
        summary="Publishing government data openly, by default, for reuse by anyone.",
        version="0.2.0",
    )


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.open_data.types import OpenDataGroup

    return OpenDataGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.open_data.types import COUNTRY_FIELDS

    return {"Country": COUNTRY_FIELDS}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    from plugins.open_data.queries import QUERY_FIELDS

    return QUERY_FIELDS


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    from plugins.open_data.mutations import MUTATION_FIELDS

    return MUTATION_FIELDS


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    from plugins.open_data.services import CONSTRAINT_ERRORS

    return CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_user_error_codes() -> dict[str, str]:
    from plugins.open_data.user_errors import USER_ERROR_CODES

    return USER_ERROR_CODES


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    from plugins.open_data.queries import NODE_LOADERS

    return NODE_LOADERS


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.open_data.demo import load

    await load(conn)


@hookimpl
def ogp_wg_evidence_types() -> list[type]:
    """Open Data Charter adoptions, data portals and high-value datasets evidence commitments on
    open data."""
    from plugins.open_data.types import DataPortal, HighValueDataset, OpenDataCharterAdopter

    return [OpenDataCharterAdopter, DataPortal, HighValueDataset]


@hookimpl
async def ogp_wg_load_demo_evidence(conn: Any) -> None:
    from plugins.open_data.demo_evidence import link_adoptions

    await link_adoptions(conn)
