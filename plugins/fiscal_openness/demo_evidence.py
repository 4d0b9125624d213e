"""The fiscal openness demo's Open Budget Survey results and budget documents linked as evidence
of their countries' budget-transparency commitments (issue 10: a plugin's records evidence
commitments), through the core's public API only (`core.find_commitments`,
`core.link_evidence`). Part of the fiscal openness demo (demo.py); idempotent. Which record
evidences which commitment is the demo's choice (illustrative), whatever the records' own
sources."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import find_commitments, link_evidence, models, to_global_id
from plugins.fiscal_openness.methodology import BudgetDocumentKind
from plugins.fiscal_openness.models import BudgetDocument, Survey

TOPICS = ("budget-transparency", "fiscal-openness")
DOCUMENTS = (BudgetDocumentKind.CITIZENS_BUDGET, BudgetDocumentKind.ENACTED_BUDGET)
"""The documents a commitment to publish the budget is evidenced by."""


async def link_records(conn: AsyncConnection) -> int:
    """Link, to each budget-transparency commitment, the country's Open Budget Surveys and its
    Citizens and Enacted Budgets of the years of the commitment's plan (from its first year to
    the year after its last: a survey reports the year before it); returns how many links exist."""
    countries = models.Country.id
    surveys = select(Survey.id, Survey.edition, models.Country.alpha2).join(
        models.Country, countries == Survey.country_id
    )
    documents = (
        select(BudgetDocument.id, BudgetDocument.fiscal_year, models.Country.alpha2)
        .join(models.Country, countries == BudgetDocument.country_id)
        .where(BudgetDocument.kind.in_(DOCUMENTS))
    )
    records = [
        (to_global_id("OpenBudgetSurvey", pk), year, code)
        for pk, year, code in (await conn.execute(surveys.order_by(Survey.id))).all()
    ] + [
        (to_global_id("BudgetDocument", pk), year, code)
        for pk, year, code in (await conn.execute(documents.order_by(BudgetDocument.id))).all()
    ]
    linked = 0
    found: dict[str, list[Any]] = {}
    for record, year, code in records:
        if code not in found:
            found[code] = list(await find_commitments(conn, country=code, topics=TOPICS))
        for commitment in found[code]:
            start, end = commitment.cycle_start.year, commitment.cycle_end.year
            if start <= year <= end + 1:
                reference = commitment.reference
                linked += await link_evidence(conn, reference, record, country=code)
    return linked
