"""How related rows are read: ONE statement per level of a query, for all its parents.

The by-key and grouped loads are declarations (`core.rows_by_key`, `core.rows_grouped_by`: key
column, order, filters, type), which the core runs; the group summary, an aggregate, is a
function of its own with the same contract: `load(ctx, keys) -> one value per key, in order`.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from core import Context, models, rows_by_key, rows_grouped_by

from .models import Commitment, Completion

commitments_by_id = rows_by_key(Commitment.id, lambda: types.CommitmentType)
"""For `node(id:)` (declared in the hook `ogp_wg_node_loaders`)."""

commitments_by_country = rows_grouped_by(
    Commitment.country_id,
    lambda: types.CommitmentType,
    order_by=(Commitment.action_plan_cycle.desc(), Commitment.title, Commitment.id),
    filters={"gender_focus": Commitment.gender_focus},
)
"""Latest cycle first; the field's `genderFocus` argument keeps only those with that focus."""


async def summary_by_group(ctx: Context, keys: list[int]) -> list[types.CommitmentSummary]:
    """Commitments of the countries where each group's member organisations are based."""
    member_countries = (
        select(models.Membership.group_id, models.Organization.country_id)
        .join(models.Organization, models.Organization.id == models.Membership.organization_id)
        .where(ctx.db.any_of(models.Membership.group_id, keys))
        .distinct()
        .subquery()
    )
    stmt = (
        select(
            member_countries.c.group_id,
            func.count(Commitment.id).label("total"),
            func.sum(case((Commitment.gender_focus, 1), else_=0)).label("gender_focused"),
            func.sum(case((Commitment.status == Completion.COMPLETE, 1), else_=0)).label("done"),
        )
        .join(Commitment, Commitment.country_id == member_countries.c.country_id)
        .group_by(member_countries.c.group_id)
    )
    async with ctx.db.read() as conn:
        found = {
            row.group_id: types.CommitmentSummary(
                total=row.total, gender_focused=row.gender_focused, complete=row.done
            )
            for row in await conn.execute(stmt)
        }
    empty = types.CommitmentSummary(total=0, gender_focused=0, complete=0)
    return [found.get(key, empty) for key in keys]


# Last, not first: types uses the loads above while its classes are defined, and the loads use
# its classes only when they run (whichever of the two modules is imported first).
from . import types  # noqa: E402
