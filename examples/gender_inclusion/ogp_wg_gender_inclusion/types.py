"""GraphQL types of the gender and inclusion area, and the field it adds to `Country`."""

from __future__ import annotations

from typing import ClassVar

import strawberry

from core import (
    LIST_SIZE,
    MAX_PAGE_SIZE,
    Context,
    app_constant,
    load_countries,
    relation,
    types,
)

from . import loaders
from .models import Completion, TargetGroup
from .settings import KEY

NODE_TYPE = "GenderInclusionCommitment"


@strawberry.type(
    name="GenderInclusionCommitment",
    description="A commitment of a country's OGP action plan, seen through a gender lens.",
)
class CommitmentType(types.Node):
    """Built from a row by `core.from_row`: each field from the column of its name (`pk` from
    `id`, `country_pk` from `country_id`)."""

    node_type: ClassVar[str] = NODE_TYPE  # the type name in its global IDs
    country_pk: strawberry.Private[int]  # the key `country` below reads: Private, not in the API
    title: str
    action_plan_cycle: str = strawberry.field(description="Years of the plan, e.g. '2023-2025'.")
    gender_focus: bool = strawberry.field(
        description="Designed with a gender or inclusion lens (OGP's gender and inclusion tag)."
    )
    target_group: TargetGroup
    status: Completion

    # the core's Node.id (its type name is node_type), so the compiled read path builds it in SQL
    id = strawberry.field(
        resolver=types.Node.id, description="Global ID: pass it to genderInclusionCommitmentUpdate."
    )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    name="GenderInclusionCommitmentSummary",
    description="Counts of action-plan commitments, for a group's dashboard.",
)
class CommitmentSummary:
    total: int
    gender_focused: int = strawberry.field(description="With a gender or inclusion focus.")
    complete: int = strawberry.field(description="Assessed COMPLETE.")


def _priority_groups(ctx: Context) -> list[TargetGroup]:
    """The groups the settings name, each once (the settings may name one twice: once each
    keeps the declared size true)."""
    return list(dict.fromkeys(ctx.plugin_settings(KEY).priority_groups))


@strawberry.type(description="The gender and inclusion working group.")
class GenderInclusionGroup(types.WorkingGroup):
    @strawberry.field(
        description="The groups it prioritises ([plugins.gender_inclusion]).",
        # each group at most once; the same for every group while the app runs (its settings)
        metadata={LIST_SIZE: len(TargetGroup), **app_constant(_priority_groups)},
    )
    def priority_groups(self, info: strawberry.Info) -> list[TargetGroup]:
        return _priority_groups(info.context)

    @relation(
        loaders.summary_by_group,
        description="Commitments of the countries where its member organisations are based.",
    )
    def commitment_summary(self) -> CommitmentSummary: ...


@relation(
    loaders.commitments_by_country,
    default=[],
    description="The country's action-plan commitments tracked by the gender and inclusion "
    "group, latest cycle first (`first`: 1..100).",
)
def gender_inclusion_commitments(
    root: types.Country, gender_focus: bool | None = None, first: int = MAX_PAGE_SIZE
) -> list[CommitmentType]: ...
