"""Batch loaders of the fiscal openness area: each reads ALL the parents of a level at once.

`load(ctx, keys, **arguments)` returns one value per key, in key order (`core.relation` calls it
a whole level at a time; the `*_by_id` loaders serve `node(id:)`). Rows become the GraphQL
objects of `types.py` directly; no ORM objects on read paths. Every relation is declared
(`core.rows_by_key`, `core.rows_grouped_by`: table, key, order, filters), so the compiled read
path answers it in SQL; those that join, pick each country's latest edition, compare with the
previous round or count read a derived table (a subquery of the plugin's tables) built here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case, exists, func, literal, select, true, union_all
from sqlalchemy.orm import aliased

from core import (
    GROUP_COUNTRIES,
    Context,
    models,
    rows_by_key,
    rows_grouped_by,
    values_grouped_by,
    when_absent,
)
from plugins.fiscal_openness.methodology import (
    PRINCIPLE_NUMBERS,
    PRINCIPLE_TITLES,
    BudgetDocumentKind,
    GiftPrinciple,
)
from plugins.fiscal_openness.models import BudgetDocument as DocumentRow
from plugins.fiscal_openness.models import Commitment, CommitmentPrinciple, Survey

# The budget documents of a year in the order of the budget cycle (their enumeration's order).
KIND_ORDER = case({kind: i for i, kind in enumerate(BudgetDocumentKind)}, value=DocumentRow.kind)


# --- By parent: one list or object per key -------------------------------------------------------


survey_by_country = rows_by_key(
    Survey.country_id,
    lambda: types.OpenBudgetSurvey,
    order_by=(Survey.edition.desc(),),  # (country, edition) is unique: the latest edition
    filters={"edition": Survey.edition},
)
"""Each country's results in `edition`, or in its latest edition."""


def _surveys_named() -> Any:
    """Every survey with its country's name (`country_name`, the order of a group's list) and
    whether it is its country's latest edition (`latest`: no newer edition exists)."""
    newer = aliased(Survey)
    latest = ~exists().where(newer.country_id == Survey.country_id, newer.edition > Survey.edition)
    return (
        select(
            *Survey.__table__.c, models.Country.name.label("country_name"), latest.label("latest")
        )
        .join(models.Country, models.Country.id == Survey.country_id)
        .subquery("fiscal_openness_surveys_named")
    )


_NAMED = _surveys_named()
surveys_by_group = rows_grouped_by(
    _NAMED.c.country_id,
    lambda: types.OpenBudgetSurvey,
    order_by=(_NAMED.c.country_name, _NAMED.c.edition, _NAMED.c.id),
    filters={"edition": when_absent(_NAMED.c.edition, _NAMED.c.latest)},
    through=(GROUP_COUNTRIES.c.group_id, GROUP_COUNTRIES.c.country_id),
)
"""The surveys of the countries of each group's anchors, members and observers, by country
name: each country's latest, or those of `edition`."""


def _trend() -> Any:
    """The surveys with a comparable transparency score (`score`), each with its change since
    its country's previous such survey (`change`: NULL for the first). The window runs after
    the WHERE, so the previous point is the previous comparable one."""
    score = Survey.comparable_transparency_score
    previous = func.lag(score, type_=Integer).over(
        partition_by=Survey.country_id, order_by=Survey.edition
    )
    return (
        select(
            Survey.id,
            Survey.country_id,
            Survey.edition,
            score.label("score"),
            (score - previous).label("change"),
            Survey.source_url,
            Survey.retrieved_on,
            Survey.illustrative,
        )
        .where(score.is_not(None))
        .subquery("fiscal_openness_trend")
    )


_TREND = _trend()
trend_by_country = rows_grouped_by(
    _TREND.c.country_id,
    lambda: types.OpenBudgetTrendPoint,
    order_by=(_TREND.c.edition,),  # one survey per country and edition
)
"""Each country's comparable transparency scores, oldest round first, with the change since
the previous point (computed before `first` cuts the list: the first point has none)."""


documents_by_country = rows_grouped_by(
    DocumentRow.country_id,
    lambda: types.BudgetDocument,
    order_by=(DocumentRow.fiscal_year.desc(), KIND_ORDER, DocumentRow.id),
    filters={"fiscal_year": DocumentRow.fiscal_year},
)


def _addressing(ctx: Context, principle: GiftPrinciple) -> Any:
    """The commitments that address `principle` (the `principle` argument)."""
    linked = aliased(CommitmentPrinciple)
    return Commitment.id.in_(select(linked.commitment_id).where(linked.principle == principle))


commitments_by_group = rows_grouped_by(
    Commitment.group_id,
    lambda: types.FiscalCommitment,
    order_by=(Commitment.title, Commitment.id),
    filters={"kind": Commitment.kind, "principle": _addressing},
)
PRINCIPLE_ORDER = case(PRINCIPLE_NUMBERS, value=CommitmentPrinciple.principle)
principles_by_commitment = values_grouped_by(
    CommitmentPrinciple.commitment_id, CommitmentPrinciple.principle, order_by=(PRINCIPLE_ORDER,)
)
"""Each commitment's GIFT principles, in GIFT's order."""


def _coverage() -> Any:
    """Each working group's ten GIFT principles (`principle`, `number`, `title`), with how many
    of its commitments address each (`commitment_count`, zero for a gap). The principles are a
    UNION of constants, not VALUES, which SQLite cannot name the columns of."""
    kind = CommitmentPrinciple.principle.type
    principles = union_all(
        *(
            select(
                literal(p, kind).label("principle"),
                literal(number).label("number"),
                literal(PRINCIPLE_TITLES[p]).label("title"),
            )
            for p, number in PRINCIPLE_NUMBERS.items()
        )
    ).subquery("gift_principles")
    group = models.WorkingGroup
    addressing = (
        select(func.count())
        .select_from(CommitmentPrinciple)
        .join(Commitment, Commitment.id == CommitmentPrinciple.commitment_id)
        .where(
            Commitment.group_id == group.id,
            CommitmentPrinciple.principle == principles.c.principle,
        )
        .scalar_subquery()
    )
    return (
        select(group.id.label("group_id"), *principles.c, addressing.label("commitment_count"))
        .join(principles, true())
        .subquery("fiscal_openness_principle_coverage")
    )


_COVERAGE = _coverage()
coverage_by_group = rows_grouped_by(
    _COVERAGE.c.group_id, lambda: types.GiftPrincipleCoverage, order_by=(_COVERAGE.c.number,)
)
"""All ten GIFT principles of each group, in GIFT's order, with its commitments' counts."""


# --- By primary key, for node(id:) -------------------------------------------------------------


surveys_by_id = rows_by_key(Survey.id, lambda: types.OpenBudgetSurvey)
documents_by_id = rows_by_key(DocumentRow.id, lambda: types.BudgetDocument)


commitments_by_id = rows_by_key(Commitment.id, lambda: types.FiscalCommitment)


# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.fiscal_openness import types  # noqa: E402
