"""Root queries of the fiscal openness area, and how `node(id:)` fetches its `Node` types.

Each root query filters, orders and pages its records with `core.paginate` and returns
`await prefetched(info, page)`, so the relations selected below load a level at a time.
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core import Connection, count_of, models, paginate, prefetched
from plugins.fiscal_openness.loaders import commitments_by_id, documents_by_id, surveys_by_id
from plugins.fiscal_openness.methodology import BudgetDocumentKind, BudgetDocumentStatus
from plugins.fiscal_openness.models import BudgetDocument as DocumentRow
from plugins.fiscal_openness.models import Survey
from plugins.fiscal_openness.types import (
    ISO_CODE,
    BudgetDocument,
    FiscalCommitment,
    OpenBudgetSurvey,
)


def _country_is(column: Any, code: str) -> Any:
    code = code.strip().upper()
    country = models.Country
    match = country.alpha2 == code if len(code) == 2 else country.alpha3 == code
    return column.in_(select(country.id).where(match))


@strawberry.input(description="Narrow the Open Budget Survey results; all given conditions apply.")
class OpenBudgetSurveyFilter:
    edition: int | None = None
    country: str | None = strawberry.field(default=None, description=ISO_CODE)
    min_transparency: int | None = strawberry.field(
        default=None, description="Transparency score at least this (61: sufficient)."
    )


@strawberry.input(description="Narrow the key budget documents; all given conditions apply.")
class BudgetDocumentFilter:
    country: str | None = strawberry.field(default=None, description=ISO_CODE)
    fiscal_year: int | None = None
    kind: list[BudgetDocumentKind] | None = None
    status: list[BudgetDocumentStatus] | None = None


@strawberry.field(description="Open Budget Survey results, by country name then edition.")
async def open_budget_surveys(
    info: Info,
    filter: OpenBudgetSurveyFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[OpenBudgetSurvey]:
    f = filter or OpenBudgetSurveyFilter()
    stmt = select(*Survey.__table__.c).join(models.Country, models.Country.id == Survey.country_id)
    if f.edition is not None:
        stmt = stmt.where(Survey.edition == f.edition)
    if f.country:
        stmt = stmt.where(_country_is(Survey.country_id, f.country))
    if f.min_transparency is not None:
        stmt = stmt.where(Survey.transparency_score >= f.min_transparency)
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (models.Country.name, Survey.edition, Survey.id),
            OpenBudgetSurvey.from_row,
            first=first,
            after=after,
            count=count_of(db.read, stmt),
        )
    return await prefetched(info, page)


@strawberry.field(
    name="budgetDocuments", description="Key budget documents, by country name then fiscal year."
)
async def budget_documents_query(
    info: Info,
    filter: BudgetDocumentFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[BudgetDocument]:
    f = filter or BudgetDocumentFilter()
    stmt = select(*DocumentRow.__table__.c).join(
        models.Country, models.Country.id == DocumentRow.country_id
    )
    if f.country:
        stmt = stmt.where(_country_is(DocumentRow.country_id, f.country))
    if f.fiscal_year is not None:
        stmt = stmt.where(DocumentRow.fiscal_year == f.fiscal_year)
    if f.kind:
        stmt = stmt.where(DocumentRow.kind.in_(f.kind))
    if f.status:
        stmt = stmt.where(DocumentRow.status.in_(f.status))
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (models.Country.name, DocumentRow.fiscal_year, DocumentRow.id),
            BudgetDocument.from_row,
            first=first,
            after=after,
            count=count_of(db.read, stmt),
        )
    return await prefetched(info, page)


QUERY_FIELDS = [open_budget_surveys, budget_documents_query]

# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    OpenBudgetSurvey: surveys_by_id,
    BudgetDocument: documents_by_id,
    FiscalCommitment: commitments_by_id,
}
