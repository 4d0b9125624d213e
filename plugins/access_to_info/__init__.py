"""Access to information: right-to-information laws, their RTI Rating and their use (hooks only).

The core finds the tables (models.py) and the migrations (migrations/) by convention.
"""

from __future__ import annotations

from typing import Any

from core import Theme, hookimpl

KEY = "access_to_info"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Access to information",
        summary="Strong right-to-information laws that let anyone obtain public information.",
        version="0.2.0",
    )


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.access_to_info.types import AccessToInfoGroup

    return AccessToInfoGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.access_to_info.types import right_to_information

    return {"Country": [right_to_information]}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    from plugins.access_to_info.queries import QUERY_FIELDS

    return QUERY_FIELDS


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    from plugins.access_to_info.mutations import MUTATION_FIELDS

    return MUTATION_FIELDS


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    from plugins.access_to_info.services import CONSTRAINT_ERRORS

    return CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_user_error_codes() -> dict[str, str]:
    from plugins.access_to_info.user_errors import USER_ERROR_CODES

    return USER_ERROR_CODES


@hookimpl
def ogp_wg_loaders() -> dict[str, Any]:
    from plugins.access_to_info.loaders import LOADERS

    return LOADERS


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    from plugins.access_to_info.queries import NODE_LOADERS

    return NODE_LOADERS


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.access_to_info.demo import load

    await load(conn)


@hookimpl
def ogp_wg_evidence_types() -> list[type]:
    """Right-to-information laws evidence commitments on access to information."""
    from plugins.access_to_info.types import RightToInformationLaw

    return [RightToInformationLaw]


@hookimpl
async def ogp_wg_load_demo_evidence(conn: Any) -> None:
    from plugins.access_to_info.demo_evidence import link_laws

    await link_laws(conn)
