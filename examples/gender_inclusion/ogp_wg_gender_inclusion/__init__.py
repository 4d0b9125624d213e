"""Gender and inclusion: an out-of-tree ogp-working-groups plugin (hook implementations only).

Installed with pip, found through its entry point ``gender_inclusion`` in the group
``ogp_wg.plugins``; it imports nothing from ``core`` but the public names of ``core.__all__``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core import Theme, hookimpl

from .models import Commitment, TargetGroup

KEY = "gender_inclusion"
__version__ = "1.0.0"


class Settings(BaseModel):
    """``[plugins.gender_inclusion]`` in ogp-wg.toml."""

    priority_groups: list[TargetGroup] = [
        TargetGroup.WOMEN_AND_GIRLS,
        TargetGroup.LGBTQIA_PLUS,
        TargetGroup.PERSONS_WITH_DISABILITIES,
    ]


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
def ogp_wg_models() -> list[type]:
    return [Commitment]


@hookimpl
def ogp_wg_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def ogp_wg_group_type() -> type:
    from .schema import GenderInclusionGroup

    return GenderInclusionGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from .schema import gender_inclusion_commitments

    return {"Country": [gender_inclusion_commitments]}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    from .schema import commitments

    return [commitments]


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    from .schema import gender_inclusion_commitment_record, gender_inclusion_commitment_update

    return [gender_inclusion_commitment_record, gender_inclusion_commitment_update]


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    from .schema import CONSTRAINT_ERRORS

    return CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    from .schema import CommitmentType, load_commitments

    return {CommitmentType: load_commitments}


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from .demo import load

    await load(conn)
