"""Demo data of the fiscal openness area. Idempotent: rows are found again by their natural keys
((country, edition), (country, fiscal year, document), (group, title)) and only missing ones are
added.

EVERY FIGURE, DATE AND STATUS BELOW IS ILLUSTRATIVE: plausible values, not IBP's published
results. The data says so too (the `note` of surveys and documents, the commitments' titles).
Check https://internationalbudget.org/open-budget-survey before citing anything.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.fiscal_openness.demo_group import GROUP
from plugins.fiscal_openness.methodology import (
    OBS_URL,
    BudgetDocumentKind,
    BudgetDocumentStatus,
    FiscalCommitmentKind,
    GiftPrinciple,
)
from plugins.fiscal_openness.models import BudgetDocument, Commitment, CommitmentPrinciple, Survey

ILLUSTRATIVE = "Illustrative demo data, not IBP's published figure."
GROUP_SLUG = "fiscal-openness"

# (country, edition): (transparency, participation, oversight) -- illustrative.
SURVEYS: dict[tuple[str, int], tuple[int, int | None, int | None]] = {
    ("BR", 2019): (81, 35, 80),
    ("BR", 2021): (85, 37, 80),
    ("BR", 2023): (81, 39, 80),
    ("PH", 2019): (76, 22, 70),
    ("PH", 2021): (75, 41, 67),
    ("PH", 2023): (73, 43, 70),
    ("MX", 2021): (82, 33, 70),
    ("MX", 2023): (81, 35, 72),
    ("ZA", 2021): (86, 26, 78),
    ("ZA", 2023): (87, 35, 80),
    ("GB", 2023): (67, 20, 85),
    ("KE", 2023): (51, 21, 56),
    ("GH", 2023): (59, 20, 67),
    ("ID", 2023): (70, 37, 65),
}

S = BudgetDocumentStatus
K = BudgetDocumentKind
# (country, fiscal year): {document: (status, published on)} -- illustrative. Fiscal years are
# named by the calendar year they end in (South Africa's runs April-March).
DOCUMENTS: dict[
    tuple[str, int], dict[BudgetDocumentKind, tuple[BudgetDocumentStatus, date | None]]
] = {
    ("PH", 2023): {
        K.PRE_BUDGET_STATEMENT: (S.PUBLICLY_AVAILABLE, date(2022, 6, 14)),
        K.EXECUTIVES_BUDGET_PROPOSAL: (S.PUBLICLY_AVAILABLE, date(2022, 8, 22)),
        K.ENACTED_BUDGET: (S.PUBLICLY_AVAILABLE, date(2023, 1, 9)),
        K.CITIZENS_BUDGET: (S.PUBLICLY_AVAILABLE, date(2023, 2, 1)),
        K.IN_YEAR_REPORTS: (S.PUBLICLY_AVAILABLE, date(2023, 5, 15)),
        K.MID_YEAR_REVIEW: (S.PUBLISHED_LATE, date(2024, 1, 20)),
        K.YEAR_END_REPORT: (S.PUBLICLY_AVAILABLE, date(2024, 6, 30)),
        K.AUDIT_REPORT: (S.PUBLICLY_AVAILABLE, date(2024, 7, 31)),
    },
    ("ZA", 2024): {
        K.PRE_BUDGET_STATEMENT: (S.PUBLICLY_AVAILABLE, date(2022, 11, 2)),
        K.EXECUTIVES_BUDGET_PROPOSAL: (S.PUBLICLY_AVAILABLE, date(2023, 2, 22)),
        K.ENACTED_BUDGET: (S.PUBLICLY_AVAILABLE, date(2023, 7, 10)),
        K.CITIZENS_BUDGET: (S.PUBLICLY_AVAILABLE, date(2023, 2, 22)),
        K.IN_YEAR_REPORTS: (S.PUBLICLY_AVAILABLE, date(2023, 7, 31)),
        K.MID_YEAR_REVIEW: (S.PUBLICLY_AVAILABLE, date(2023, 11, 1)),
        K.YEAR_END_REPORT: (S.PUBLICLY_AVAILABLE, date(2024, 9, 30)),
        K.AUDIT_REPORT: (S.PUBLICLY_AVAILABLE, date(2024, 11, 28)),
    },
    ("GH", 2023): {
        K.PRE_BUDGET_STATEMENT: (S.INTERNAL_USE_ONLY, None),
        K.EXECUTIVES_BUDGET_PROPOSAL: (S.PUBLICLY_AVAILABLE, date(2022, 11, 24)),
        K.ENACTED_BUDGET: (S.PUBLICLY_AVAILABLE, date(2023, 1, 16)),
        K.CITIZENS_BUDGET: (S.PUBLICLY_AVAILABLE, date(2023, 1, 30)),
        K.IN_YEAR_REPORTS: (S.PUBLISHED_LATE, date(2023, 12, 5)),
        K.MID_YEAR_REVIEW: (S.PUBLICLY_AVAILABLE, date(2023, 7, 25)),
        K.YEAR_END_REPORT: (S.NOT_PRODUCED, None),
        K.AUDIT_REPORT: (S.PUBLICLY_AVAILABLE, date(2024, 6, 28)),
    },
}

P = GiftPrinciple
# (kind, title, country, principles) of the fiscal-openness group -- illustrative.
COMMITMENTS: list[tuple[FiscalCommitmentKind, str, str | None, list[GiftPrinciple]]] = [
    (
        FiscalCommitmentKind.PRIORITY_AREA,
        "Citizens budgets in every member country (illustrative)",
        None,
        [P.RIGHT_TO_FISCAL_INFORMATION, P.HIGH_QUALITY_FISCAL_INFORMATION],
    ),
    (
        FiscalCommitmentKind.PRIORITY_AREA,
        "Public participation across the budget cycle (illustrative)",
        None,
        [P.PUBLIC_PARTICIPATION, P.LEGISLATIVE_OVERSIGHT, P.SUPREME_AUDIT_INSTITUTION],
    ),
    (
        FiscalCommitmentKind.ACTION_PLAN_COMMITMENT,
        "Participatory budget hearings with civil society (illustrative)",
        "PH",
        [P.PUBLIC_PARTICIPATION, P.OBJECTIVES_OUTPUTS_OUTCOMES],
    ),
    (
        FiscalCommitmentKind.ACTION_PLAN_COMMITMENT,
        "Open data on public works contracts and spending (illustrative)",
        "MX",
        [P.HIGH_QUALITY_FISCAL_INFORMATION, P.PRIVATE_SECTOR_RELATIONSHIPS],
    ),
]


def _document_url(code: str, fiscal_year: int, kind: BudgetDocumentKind) -> str:
    slug = kind.value.lower().replace("_", "-")
    return f"https://example.org/illustrative/{code.lower()}/{fiscal_year}/{slug}"


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())

    have = set((await conn.execute(select(Survey.country_id, Survey.edition))).all())
    surveys = [
        {
            "country_id": countries[code],
            "edition": edition,
            "transparency_score": transparency,
            "participation_score": participation,
            "oversight_score": oversight,
            "methodology_version": f"OBS {edition}",
            "source_url": OBS_URL,
            "note": ILLUSTRATIVE,
        }
        for (code, edition), (transparency, participation, oversight) in SURVEYS.items()
        if code in countries and (countries[code], edition) not in have
    ]
    if surveys:
        await conn.execute(insert(Survey), surveys)

    stmt = select(BudgetDocument.country_id, BudgetDocument.fiscal_year, BudgetDocument.kind)
    have = set((await conn.execute(stmt)).all())
    documents = [
        {
            "country_id": countries[code],
            "fiscal_year": fiscal_year,
            "kind": kind,
            "status": status,
            "published_on": published_on,
            "url": None if published_on is None else _document_url(code, fiscal_year, kind),
            "note": ILLUSTRATIVE,
        }
        for (code, fiscal_year), by_kind in DOCUMENTS.items()
        if code in countries
        for kind, (status, published_on) in by_kind.items()
        if (countries[code], fiscal_year, kind) not in have
    ]
    if documents:
        await conn.execute(insert(BudgetDocument), documents)

    stmt = select(models.WorkingGroup.id).where(models.WorkingGroup.slug == GROUP_SLUG)
    group_id = (await conn.execute(stmt)).scalar()
    if group_id is None:
        return
    stmt = select(Commitment.title).where(Commitment.group_id == group_id)
    titles = set((await conn.execute(stmt)).scalars())
    for kind, title, code, principles in COMMITMENTS:
        if title in titles or (code is not None and code not in countries):
            continue
        stmt = (
            insert(Commitment)
            .values(
                group_id=group_id,
                kind=kind,
                title=title,
                country_id=None if code is None else countries[code],
            )
            .returning(Commitment.id)
        )
        commitment_id = (await conn.execute(stmt)).scalar_one()
        await conn.execute(
            insert(CommitmentPrinciple),
            [{"commitment_id": commitment_id, "principle": p} for p in principles],
        )
