"""Open parliaments: transparent, accessible and accountable legislatures (plugin hooks only).

The core finds the tables (models.py) and the migrations (migrations/) by convention.
"""

from __future__ import annotations

from typing import Any

from core import Theme, hookimpl

KEY = "open_parliaments"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Open parliaments",
        summary="Legislatures that open their work, data and decisions to citizens.",
        version="0.2.0",
    )


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.open_parliaments.types import OpenParliamentsGroup

    return OpenParliamentsGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.open_parliaments.types import legislature

    return {"Country": [legislature]}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    from plugins.open_parliaments.queries import QUERY_FIELDS

    return QUERY_FIELDS


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    from plugins.open_parliaments.mutations import MUTATION_FIELDS

    return MUTATION_FIELDS


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    from plugins.open_parliaments.services import CONSTRAINT_ERRORS

    return CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_user_error_codes() -> dict[str, str]:
    from plugins.open_parliaments.user_errors import USER_ERROR_CODES

    return USER_ERROR_CODES


@hookimpl
def ogp_wg_loaders() -> dict[str, Any]:
    from plugins.open_parliaments.loaders import LOADERS

    return LOADERS


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    from plugins.open_parliaments.queries import NODE_LOADERS

    return NODE_LOADERS


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.open_parliaments.demo import load

    await load(conn)
