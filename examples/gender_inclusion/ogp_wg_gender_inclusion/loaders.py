"""How related rows are read: ONE statement per level of a query, for all its parents.

The loads are declarations (`core.rows_by_key`, `core.rows_grouped_by`: key column, order,
filters, type), which the core runs, and which the compiled read path turns into SQL. The group
summary, an aggregate, is declared too: over a derived table (a subquery with one row per group)
whose columns are the summary's fields.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import func, select

from core import models, rows_by_key, rows_grouped_by

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


def _summaries() -> Any:
    """One row per working group (`group_id`): the commitments of the countries where its
    member organisations are based, counted (`total`), gender-focused (`gender_focused`) and
    complete (`complete`); zeros for a group with none. LEFT JOINs keep every group."""
    group, membership, organization = models.WorkingGroup, models.Membership, models.Organization
    member_countries = (
        select(membership.group_id, organization.country_id)
        .join(organization, organization.id == membership.organization_id)
        .distinct()  # two members from one country count its commitments once
        .subquery("member_countries")
    )
    counted = partial(func.count, Commitment.id)
    return (
        select(
            group.id.label("group_id"),
            counted().label("total"),
            counted().filter(Commitment.gender_focus).label("gender_focused"),
            counted().filter(Commitment.status == Completion.COMPLETE).label("complete"),
        )
        .outerjoin(member_countries, member_countries.c.group_id == group.id)
        .outerjoin(Commitment, Commitment.country_id == member_countries.c.country_id)
        .group_by(group.id)
        .subquery("gender_inclusion_summaries")
    )


_SUMMARIES = _summaries()
summary_by_group = rows_by_key(_SUMMARIES.c.group_id, lambda: types.CommitmentSummary)
"""Each group's commitment summary (a row for every group: never None)."""


# Last, not first: types uses the loads above while its classes are defined, and the loads use
# its classes only when they run (whichever of the two modules is imported first).
from . import types  # noqa: E402
