"""Batch loaders of the commitments domain: action plans, commitments (with their derived
`starred`, core/commitments/irm.py), milestones, IRM assessments, themes and linked groups.

Each runs a fixed number of statements for all the parents a level of the query has
(core.loading), whatever the number of parents. Commitments come from `commitment_rows()`: the
commitment's columns, its plan's country and the IRM's derived judgements, computed by the
database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from core.commitments.irm import ambitious_sql, star_rule_sql, starred_sql
from core.commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentGroup,
    CommitmentTopic,
    IrmAssessment,
    Milestone,
)
from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import visible_groups
from core.hookspecs import BatchLoadFn
from core.rows import (
    PagesByKey,
    RowsByKey,
    RowsGroupedBy,
    pages_by_key,
    rows_by_key,
    rows_grouped_by,
    values_grouped_by,
)
from core.schema.batch import fetch_rows, grouped
from core.schema.pagination import Connection, paginate_children

COMMITMENT_ORDER = (
    ActionPlan.cycle_start.desc(),
    Commitment.action_plan_id.desc(),
    Commitment.position,
    Commitment.id,
)
"""Across plans: the newest cycle first, then each plan's commitments in the plan's order."""
PLAN_ORDER = (ActionPlan.cycle_start.desc(), ActionPlan.id.desc())


def commitment_rows() -> Select[Any]:
    """Every commitment's columns, plus `country_id` (its plan's) and `starred` (the IRM's
    rule, NULL when not assessed or in a period without stars)."""
    return (
        select(
            *Commitment.__table__.c,
            ActionPlan.country_id.label("country_id"),
            starred_sql().label("starred"),
        )
        .join(ActionPlan, ActionPlan.id == Commitment.action_plan_id)
        .outerjoin(IrmAssessment, IrmAssessment.commitment_id == Commitment.id)
    )


def assessment_rows() -> Select[Any]:
    """Every IRM assessment's columns with its derived `starred`, `star_rule`, `ambitious`."""
    return (
        select(
            *IrmAssessment.__table__.c,
            starred_sql().label("starred"),
            star_rule_sql(ActionPlan.cycle_start, ActionPlan.cycle_end).label("star_rule"),
            ambitious_sql().label("ambitious"),
        )
        .join(Commitment, Commitment.id == IrmAssessment.commitment_id)
        .join(ActionPlan, ActionPlan.id == Commitment.action_plan_id)
    )


action_plans_by_id: RowsByKey[Any] = rows_by_key(ActionPlan.id, lambda: types.ActionPlan)
action_plans_by_country: PagesByKey[Any] = pages_by_key(
    ActionPlan.country_id, lambda: types.ActionPlan, order_by=PLAN_ORDER
)
milestones_by_id: RowsByKey[Any] = rows_by_key(Milestone.id, lambda: types.Milestone)
milestones_by_commitment: RowsGroupedBy[Any] = rows_grouped_by(
    Milestone.commitment_id, lambda: types.Milestone, order_by=(Milestone.position, Milestone.id)
)


async def commitments_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    rows = await fetch_rows(ctx, commitment_rows().where(ctx.db.any_of(Commitment.id, keys)))
    found = {row.id: types.Commitment.from_row(row) for row in rows}
    return [found.get(key) for key in keys]


async def assessments_by_commitment(ctx: Context, keys: list[int]) -> list[Any]:
    """The assessment of each commitment (None: not assessed); also `node(id:)`'s loader, an
    assessment's key being its commitment's."""
    stmt = assessment_rows().where(ctx.db.any_of(IrmAssessment.commitment_id, keys))
    found = {
        row.commitment_id: types.IrmAssessment.from_row(row) for row in await fetch_rows(ctx, stmt)
    }
    return [found.get(key) for key in keys]


async def _commitment_pages(
    ctx: Context,
    stmt: Select[Any],
    parent: Any,
    keys: list[int],
    order: tuple[Any, ...],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> list[Connection[Any]]:
    pages = await paginate_children(
        ctx.db,
        stmt,
        parent,
        keys,
        order,
        types.Commitment.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


async def commitments_by_plan(
    ctx: Context,
    keys: list[int],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[Any]]:
    """Each plan's commitments in the plan's order (`position`, then id)."""
    order = (Commitment.position, Commitment.id)
    return await _commitment_pages(
        ctx, commitment_rows(), Commitment.action_plan_id, keys, order, first, after, last, before
    )


async def commitments_by_group(
    ctx: Context,
    keys: list[int],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[Any]]:
    """The commitments linked to each group, newest cycle first (COMMITMENT_ORDER)."""
    stmt = commitment_rows().join(CommitmentGroup, CommitmentGroup.commitment_id == Commitment.id)
    return await _commitment_pages(
        ctx, stmt, CommitmentGroup.group_id, keys, COMMITMENT_ORDER, first, after, last, before
    )


themes_by_commitment: RowsGroupedBy[str] = values_grouped_by(
    CommitmentTopic.commitment_id, CommitmentTopic.topic
)


async def groups_by_commitment(ctx: Context, keys: list[int]) -> list[list[Any]]:
    """The visible groups linked to each commitment, by name."""
    from core.groups.loaders import build_group

    stmt = (
        visible_groups(ctx)
        .add_columns(CommitmentGroup.commitment_id.label("_key"))
        .join(CommitmentGroup, CommitmentGroup.group_id == WorkingGroup.id)
        .where(ctx.db.any_of(CommitmentGroup.commitment_id, keys))
        .order_by(WorkingGroup.name, WorkingGroup.id)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", lambda row: build_group(ctx, row))


LOADERS: dict[str, BatchLoadFn] = {
    "action_plans_by_id": action_plans_by_id,
    "commitments_by_id": commitments_by_id,
    "milestones_by_id": milestones_by_id,
    "irm_assessments_by_commitment": assessments_by_commitment,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: why, in core/groups/loaders.py.
from core.commitments import types  # noqa: E402
