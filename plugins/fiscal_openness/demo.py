"""Demo data of the fiscal openness area. Idempotent: rows are found again by their natural keys
((country, edition), (country, fiscal year, document), (group, title)) and only missing ones are
added.

Published values, with their source and the day they were read there: the Philippines' results in
OBS 2015, 2017 and 2019, from IBP's own country pages (SOURCED below). 2015 published oversight by
the legislature and by the auditor separately; 2017 and 2019 pages show one composite budget
oversight score, so the split scores of those rows are null.

Everything else is illustrative and marked so in the data itself (`illustrative: true`, no
source): the other surveys (unverified or made-up values), every budget document and every
commitment. Check https://internationalbudget.org/open-budget-survey before citing anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.fiscal_openness.demo_group import GROUP
from plugins.fiscal_openness.methodology import (
    BudgetDocumentKind,
    BudgetDocumentStatus,
    FiscalCommitmentKind,
    GiftPrinciple,
)
from plugins.fiscal_openness.models import BudgetDocument, Commitment, CommitmentPrinciple, Survey

ILLUSTRATIVE = "Illustrative demo data, not IBP's published figure."
UNVERIFIED = (
    "Illustrative: transparency and participation as reported in the Philippine press, not "
    "checked against IBP's own page; oversight not recorded."
)
COMPOSITE_ONLY = (
    "IBP's country page shows one composite budget oversight score; the separate legislative and "
    "audit oversight scores were not found on IBP's pages, so they are not recorded (null)."
)
GROUP_SLUG = "fiscal-openness"
RETRIEVED = date(2026, 11, 30)  # when the published values below were read on IBP's pages

# Published: (country, edition) -> scores by column, source page. Values as IBP's pages show them.
SOURCED: dict[tuple[str, int], tuple[dict[str, int], str]] = {
    ("PH", 2015): (
        {
            "transparency_score": 64,
            "participation_score": 67,
            "legislative_oversight_score": 36,
            "audit_oversight_score": 92,
        },
        "https://archive.internationalbudget.org/summaries/philippines-5/",
    ),
    ("PH", 2017): (
        {"transparency_score": 67, "participation_score": 41, "oversight_score": 65},
        "https://www.internationalbudget.org/open-budget-survey/results-by-country/"
        "country-info/?country=ph",
    ),
    ("PH", 2019): (
        {"transparency_score": 76, "participation_score": 31, "oversight_score": 74},
        "https://internationalbudget.org/open-budget-survey/country-results/2019/philippines",
    ),
}

# Illustrative: (country, edition) -> (transparency, comparable transparency, participation,
# legislative oversight, audit oversight), note. Made-up values unless the note says otherwise.
Scores = tuple[int, int | None, int | None, int | None, int | None]
SURVEYS: dict[tuple[str, int], tuple[Scores, str]] = {
    ("PH", 2021): ((68, None, 35, None, None), UNVERIFIED),
    ("PH", 2023): ((75, None, 33, None, None), UNVERIFIED),
    ("BR", 2019): ((81, 77, 35, 70, 88), ILLUSTRATIVE),
    ("BR", 2021): ((85, 80, 37, 72, 88), ILLUSTRATIVE),
    ("BR", 2023): ((81, 78, 39, 71, 90), ILLUSTRATIVE),
    ("MX", 2021): ((82, None, 33, 60, 80), ILLUSTRATIVE),
    ("MX", 2023): ((81, None, 35, 62, 82), ILLUSTRATIVE),
    ("ZA", 2021): ((86, None, 26, 70, 85), ILLUSTRATIVE),
    ("ZA", 2023): ((87, None, 35, 72, 87), ILLUSTRATIVE),
    ("GB", 2023): ((67, None, 20, 80, 90), ILLUSTRATIVE),
    ("KE", 2023): ((51, None, 21, 45, 67), ILLUSTRATIVE),
    ("GH", 2023): ((59, None, 20, 55, 78), ILLUSTRATIVE),
    ("ID", 2023): ((70, None, 37, 58, 72), ILLUSTRATIVE),
}

S = BudgetDocumentStatus
K = BudgetDocumentKind
# (country, fiscal year): {document: (status, published on)} -- illustrative (and marked so).
# Fiscal years are named by the calendar year they end in (South Africa's runs April-March).
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
        K.AUDIT_REPORT: (S.PRINT_ONLY, date(2024, 6, 28)),
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


COLUMNS = (
    "transparency_score",
    "comparable_transparency_score",
    "participation_score",
    "legislative_oversight_score",
    "audit_oversight_score",
)
EMPTY = dict.fromkeys((*COLUMNS, "oversight_score"))


def _survey(
    country_id: int,
    edition: int,
    scores: Mapping[str, int | None],
    *,
    source_url: str | None = None,
    retrieved_on: date | None = None,
    note: str = "",
) -> dict[str, Any]:
    """A survey row: published (with its source and retrieval date) or illustrative."""
    return {
        **EMPTY,
        **scores,
        "country_id": country_id,
        "edition": edition,
        "methodology_version": f"OBS {edition}",
        "source_url": source_url,
        "retrieved_on": retrieved_on,
        "illustrative": source_url is None,
        "note": note,
    }


def _document_url(
    code: str, fiscal_year: int, kind: BudgetDocumentKind, status: BudgetDocumentStatus
) -> str | None:
    """A plainly fictional address for a document published online; none otherwise."""
    if status not in (S.PUBLICLY_AVAILABLE, S.PUBLISHED_LATE):
        return None
    slug = kind.value.lower().replace("_", "-")
    return f"https://example.org/illustrative/{code.lower()}/{fiscal_year}/{slug}"


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())

    have = set((await conn.execute(select(Survey.country_id, Survey.edition))).all())
    surveys = [
        _survey(
            countries[code],
            edition,
            scores,
            source_url=url,
            retrieved_on=RETRIEVED,
            note=COMPOSITE_ONLY if "oversight_score" in scores else "",
        )
        for (code, edition), (scores, url) in SOURCED.items()
        if code in countries and (countries[code], edition) not in have
    ]
    surveys += [
        _survey(countries[code], edition, dict(zip(COLUMNS, scores, strict=True)), note=note)
        for (code, edition), (scores, note) in SURVEYS.items()
        if code in countries and (countries[code], edition) not in have
    ]
    if surveys:
        await conn.execute(insert(Survey), surveys)
    # A database loaded by an earlier demo has these published rows without the note.
    for code, edition in (k for k, (scores, _) in SOURCED.items() if "oversight_score" in scores):
        if code in countries:
            await conn.execute(
                update(Survey)
                .where(
                    Survey.country_id == countries[code],
                    Survey.edition == edition,
                    Survey.note == "",
                    Survey.illustrative.is_(False),
                )
                .values(note=COMPOSITE_ONLY)
            )

    stmt = select(BudgetDocument.country_id, BudgetDocument.fiscal_year, BudgetDocument.kind)
    have = set((await conn.execute(stmt)).all())
    documents = [
        {
            "country_id": countries[code],
            "fiscal_year": fiscal_year,
            "kind": kind,
            "status": status,
            "published_on": published_on,
            "url": _document_url(code, fiscal_year, kind, status),
            "note": ILLUSTRATIVE,
            "illustrative": True,
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
                illustrative=True,
            )
            .returning(Commitment.id)
        )
        commitment_id = (await conn.execute(stmt)).scalar_one()
        await conn.execute(
            insert(CommitmentPrinciple),
            [{"commitment_id": commitment_id, "principle": p} for p in principles],
        )
