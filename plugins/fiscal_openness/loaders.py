"""Batch loaders of the fiscal openness area: each reads ALL the parents of a level at once.

`load(ctx, keys, **arguments)` returns one value per key, in key order (`core.relation` calls it
a whole level at a time; the `*_by_id` loaders serve `node(id:)`). Rows become the GraphQL
objects of `types.py` directly; no ORM objects on read paths. Plain relations are declared
(`core.rows_by_key`, `core.rows_grouped_by`: table, key, order, filters); the others, which join,
pick each country's latest edition or count, are functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import aliased

from core import (
    GROUP_ORGANIZATIONS,
    MAX_PAGE_SIZE,
    Context,
    models,
    rows_by_key,
    rows_grouped_by,
    values_grouped_by,
)
from plugins.fiscal_openness.methodology import (
    PRINCIPLE_NUMBERS,
    BudgetDocumentKind,
    GiftPrinciple,
)
from plugins.fiscal_openness.models import BudgetDocument as DocumentRow
from plugins.fiscal_openness.models import Commitment, CommitmentPrinciple, Survey

# The budget documents of a year in the order of the budget cycle (their enumeration's order).
KIND_ORDER = case({kind: i for i, kind in enumerate(BudgetDocumentKind)}, value=DocumentRow.kind)


# --- By parent: one list or object per key -------------------------------------------------------


async def _rows(ctx: Context, stmt: Select[Any]) -> Sequence[Any]:
    async with ctx.db.read() as conn:
        return (await conn.execute(stmt)).all()


survey_by_country = rows_by_key(
    Survey.country_id,
    lambda: types.OpenBudgetSurvey,
    order_by=(Survey.edition.desc(),),  # (country, edition) is unique: the latest edition
    filters={"edition": Survey.edition},
)
"""Each country's results in `edition`, or in its latest edition."""


def _edition_or_latest(stmt: Select[Any], edition: int | None) -> Select[Any]:
    """Keep the surveys of `edition`, or each country's latest (no newer edition exists)."""
    if edition is not None:
        return stmt.where(Survey.edition == edition)
    newer = aliased(Survey)
    return stmt.where(
        ~exists().where(newer.country_id == Survey.country_id, newer.edition > Survey.edition)
    )


async def surveys_by_group(
    ctx: Context, keys: list[int], edition: int | None = None, first: int = MAX_PAGE_SIZE
) -> list[list[types.OpenBudgetSurvey]]:
    """The surveys of the countries of each group's anchors, members and observers."""
    links = GROUP_ORGANIZATIONS
    organization, country = models.Organization, models.Country
    # DISTINCT: several organisations of a group may come from one country. PostgreSQL wants
    # the ORDER BY column (country name) selected too.
    stmt = (
        select(links.c.group_id.label("_group"), country.name.label("_name"), *Survey.__table__.c)
        .join(organization, organization.id == links.c.organization_id)
        .join(Survey, Survey.country_id == organization.country_id)
        .join(country, country.id == Survey.country_id)
        .where(ctx.db.any_of(links.c.group_id, keys))
        .distinct()
        .order_by(country.name, Survey.edition)
    )
    found: dict[int, list[types.OpenBudgetSurvey]] = defaultdict(list)
    for row in await _rows(ctx, _edition_or_latest(stmt, edition)):
        found[row._group].append(types.OpenBudgetSurvey.from_row(row))
    return [found.get(key, [])[:first] for key in keys]  # `first`: 1..100 (the limits layer)


async def trend_by_country(
    ctx: Context, keys: list[int], first: int = MAX_PAGE_SIZE
) -> list[list[types.OpenBudgetTrendPoint]]:
    """Each country's comparable transparency scores, oldest round first, with the change since
    the previous point."""
    stmt = (
        select(*Survey.__table__.c)
        .where(ctx.db.any_of(Survey.country_id, keys))
        .where(Survey.comparable_transparency_score.is_not(None))
        .order_by(Survey.country_id, Survey.edition)
    )
    found: dict[int, list[types.OpenBudgetTrendPoint]] = defaultdict(list)
    for row in await _rows(ctx, stmt):
        points = found[row.country_id]
        score = row.comparable_transparency_score
        points.append(
            types.OpenBudgetTrendPoint(
                edition=row.edition,
                score=score,
                change=score - points[-1].score if points else None,
                source_url=row.source_url,
                retrieved_on=row.retrieved_on,
                illustrative=row.illustrative,
            )
        )
    # cut after the changes are computed: the first point keeps no change, the others theirs
    return [found.get(key, [])[:first] for key in keys]


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


async def coverage_by_group(
    ctx: Context, keys: list[int]
) -> list[list[types.GiftPrincipleCoverage]]:
    stmt = (
        select(Commitment.group_id, CommitmentPrinciple.principle, func.count().label("n"))
        .join(CommitmentPrinciple, CommitmentPrinciple.commitment_id == Commitment.id)
        .where(ctx.db.any_of(Commitment.group_id, keys))
        .group_by(Commitment.group_id, CommitmentPrinciple.principle)
    )
    counts = {(row.group_id, row.principle): row.n for row in await _rows(ctx, stmt)}
    return [
        [types.GiftPrincipleCoverage.of(p, counts.get((key, p), 0)) for p in GiftPrinciple]
        for key in keys
    ]


# --- By primary key, for node(id:) -------------------------------------------------------------


surveys_by_id = rows_by_key(Survey.id, lambda: types.OpenBudgetSurvey)
documents_by_id = rows_by_key(DocumentRow.id, lambda: types.BudgetDocument)


commitments_by_id = rows_by_key(Commitment.id, lambda: types.FiscalCommitment)


# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.fiscal_openness import types  # noqa: E402
