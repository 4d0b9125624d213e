"""Gender and inclusion: an out-of-tree ogp-working-groups plugin (hook implementations only).

Installed with pip, found through its entry point ``gender_inclusion`` in the group
``ogp_wg.plugins``; it imports nothing from ``core`` but the public names of ``core.__all__``.
Its tables (models.py) and migrations (migrations/) are found by convention; the other modules
hold one role each (settings, types, loaders, queries, mutations, services, demo).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from core import Theme, hookimpl

from . import demo, loaders, mutations, queries, services, types, user_errors
from .settings import KEY, Settings

__version__ = "1.0.0"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Gender and inclusion",
        summary="Action-plan commitments that open government to women, girls and "
        "under-represented groups.",
        version=__version__,
    )


@hookimpl
def ogp_wg_settings_model() -> type[BaseModel]:
    return Settings


@hookimpl
def ogp_wg_group_type() -> type:
    return types.GenderInclusionGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    return {"Country": [types.gender_inclusion_commitments]}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    return [queries.commitments]


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    return [
        mutations.gender_inclusion_commitment_record,
        mutations.gender_inclusion_commitment_update,
    ]


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    return services.CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_user_error_codes() -> dict[str, str]:
    return user_errors.USER_ERROR_CODES


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    return {types.CommitmentType: loaders.commitments_by_id}


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    await demo.load(conn)
