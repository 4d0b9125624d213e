"""Root queries of the commitments domain: `actionPlans` and `commitments`, each with a filter.
Plans are also read through their country (`Country.actionPlans`), commitments through their
plan (`ActionPlan.commitments`) and their groups (`WorkingGroup.commitments`), and all four
types by ID (`node(id:)`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core.commitments import types
from core.commitments.irm import ambitious_sql, starred_sql
from core.commitments.loaders import COMMITMENT_ORDER, PLAN_ORDER, commitment_rows
from core.commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentGroup,
    CommitmentTopic,
    IrmAssessment,
)
from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import visible_theme
from core.people.models import Country
from core.people.queries import country_code
from core.rows import root_page
from core.schema.ids import pk_of
from core.topics import normalise_topics


@strawberry.input(description="Narrow the list of action plans; all given conditions apply.")
class ActionPlanFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3 code.")
    cohort: int | None = strawberry.field(default=None, description="A cohort year, e.g. 2018.")
    group: strawberry.ID | None = strawberry.field(
        default=None, description="A working group: plans with a commitment linked to it."
    )


@strawberry.input(description="Narrow the list of commitments; all given conditions apply.")
class CommitmentFilter:
    group: strawberry.ID | None = strawberry.field(
        default=None, description="A working group: the commitments linked to it."
    )
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3 code of the plan's country."
    )
    action_plan: strawberry.ID | None = None
    cohort: int | None = strawberry.field(default=None, description="The plan's cohort year.")
    theme: str | None = strawberry.field(
        default=None, description="A topic slug, e.g. 'beneficial-ownership'."
    )
    starred: bool | None = strawberry.field(
        default=None,
        description="true: starred by the IRM's rule; false: assessed in a period with stars "
        "and not starred.",
    )
    ambitious: bool | None = strawberry.field(
        default=None, description="By the IRM's assessment (`IrmAssessment.ambitious`)."
    )


NOTHING = -1
"""A pk no row has: an ID of another type (or malformed) in a filter matches nothing."""


def _group_pk(ctx: Context, global_id: str) -> Any:
    """The visible group's pk as a subquery (an unknown or hidden group matches nothing)."""
    pk = pk_of(global_id, "WorkingGroup") or NOTHING
    return (
        select(WorkingGroup.id).where(WorkingGroup.id == pk, visible_theme(ctx)).scalar_subquery()
    )


def _countries(code: str) -> Any:
    return select(Country.id).where(country_code(code))


def _plans(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every plan `actionPlans(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or ActionPlanFilter()
    stmt = select(*ActionPlan.__table__.c)
    if f.country is not None:
        stmt = stmt.where(ActionPlan.country_id.in_(_countries(f.country)))
    if f.cohort is not None:
        stmt = stmt.where(ActionPlan.cohort == f.cohort)
    if f.group is not None:
        linked = (
            select(Commitment.action_plan_id)
            .join(CommitmentGroup, CommitmentGroup.commitment_id == Commitment.id)
            .where(CommitmentGroup.group_id == _group_pk(ctx, f.group))
        )
        stmt = stmt.where(ActionPlan.id.in_(linked))
    return stmt


def _commitments(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every commitment `commitments(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or CommitmentFilter()
    stmt = commitment_rows()
    if f.group is not None:
        linked = select(CommitmentGroup.commitment_id).where(
            CommitmentGroup.group_id == _group_pk(ctx, f.group)
        )
        stmt = stmt.where(Commitment.id.in_(linked))
    if f.country is not None:
        stmt = stmt.where(ActionPlan.country_id.in_(_countries(f.country)))
    if f.action_plan is not None:
        plan = pk_of(f.action_plan, "ActionPlan") or NOTHING
        stmt = stmt.where(Commitment.action_plan_id == plan)
    if f.cohort is not None:
        stmt = stmt.where(ActionPlan.cohort == f.cohort)
    if f.theme is not None:
        themed = select(CommitmentTopic.commitment_id).where(
            CommitmentTopic.topic.in_(normalise_topics([f.theme]))
        )
        stmt = stmt.where(Commitment.id.in_(themed))
    if f.starred is not None:
        stmt = stmt.where(starred_sql() == f.starred)
    if f.ambitious is not None:
        stmt = stmt.where(IrmAssessment.commitment_id.is_not(None), ambitious_sql() == f.ambitious)
    return stmt


PLANS = root_page(_plans, PLAN_ORDER, types.ActionPlan)
COMMITMENTS = root_page(_commitments, COMMITMENT_ORDER, types.Commitment)


@strawberry.type
class Query:
    @strawberry.field(description="OGP action plans, newest cycle first.", metadata=PLANS.metadata)
    async def action_plans(
        self,
        info: Info,
        filter: ActionPlanFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> types.ActionPlanConnection:
        return await PLANS.page(  # type: ignore[return-value]
            info, {"filter": filter}, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="Commitments of every action plan, newest cycle first, each plan's in its "
        "order.",
        metadata=COMMITMENTS.metadata,
    )
    async def commitments(
        self,
        info: Info,
        filter: CommitmentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> types.CommitmentConnection:
        return await COMMITMENTS.page(  # type: ignore[return-value]
            info, {"filter": filter}, first=first, after=after, last=last, before=before
        )
