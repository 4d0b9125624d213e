"""Root queries of the fiscal openness area, and how `node(id:)` fetches its `Node` types.

Each root query is declared with `core.root_page`: a statement of its filtered records and their
order, answered as one page (compiled to one SQL statement, or on the resolver path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core import Connection, Context, in_country, models, root_page
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


def _open_budget_surveys(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every survey result `openBudgetSurveys(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or OpenBudgetSurveyFilter()
    stmt = select(*Survey.__table__.c).join(models.Country, models.Country.id == Survey.country_id)
    if f.edition is not None:
        stmt = stmt.where(Survey.edition == f.edition)
    if f.country:
        stmt = stmt.where(in_country(Survey.country_id, f.country))
    if f.min_transparency is not None:
        stmt = stmt.where(Survey.transparency_score >= f.min_transparency)
    return stmt


OPEN_BUDGET_SURVEYS = root_page(
    _open_budget_surveys,
    (models.Country.name, Survey.edition, Survey.id),
    OpenBudgetSurvey,
)


@strawberry.field(
    description="Open Budget Survey results, by country name then edition.",
    metadata=OPEN_BUDGET_SURVEYS.metadata,
)
async def open_budget_surveys(
    info: Info,
    filter: OpenBudgetSurveyFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[OpenBudgetSurvey]:
    return await OPEN_BUDGET_SURVEYS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


def _budget_documents(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every document `budgetDocuments(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or BudgetDocumentFilter()
    stmt = select(*DocumentRow.__table__.c).join(
        models.Country, models.Country.id == DocumentRow.country_id
    )
    if f.country:
        stmt = stmt.where(in_country(DocumentRow.country_id, f.country))
    if f.fiscal_year is not None:
        stmt = stmt.where(DocumentRow.fiscal_year == f.fiscal_year)
    if f.kind:
        stmt = stmt.where(DocumentRow.kind.in_(f.kind))
    if f.status:
        stmt = stmt.where(DocumentRow.status.in_(f.status))
    return stmt


BUDGET_DOCUMENTS = root_page(
    _budget_documents,
    (models.Country.name, DocumentRow.fiscal_year, DocumentRow.id),
    BudgetDocument,
)


@strawberry.field(
    name="budgetDocuments",
    description="Key budget documents, by country name then fiscal year.",
    metadata=BUDGET_DOCUMENTS.metadata,
)
async def budget_documents_query(
    info: Info,
    filter: BudgetDocumentFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[BudgetDocument]:
    return await BUDGET_DOCUMENTS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


QUERY_FIELDS = [open_budget_surveys, budget_documents_query]

# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    OpenBudgetSurvey: surveys_by_id,
    BudgetDocument: documents_by_id,
    FiscalCommitment: commitments_by_id,
}
