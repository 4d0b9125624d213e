"""What this plugin takes from the published methodologies: enumerations (shared by the tables
and the GraphQL schema), official names, scales and rules. Sources are cited in README.md:

- International Budget Partnership (IBP), Open Budget Survey (OBS),
  https://internationalbudget.org/open-budget-survey
- Global Initiative for Fiscal Transparency (GIFT), High-Level Principles on Fiscal Transparency,
  Participation and Accountability, https://fiscaltransparency.net/principles-and-guidance/
"""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(
    description="What an Open Budget Survey score measures: budget transparency (the Open Budget "
    "Index); IBP's comparable transparency series; public participation; budget oversight by the "
    "legislature; budget oversight by the supreme audit institution; or OVERSIGHT, the composite "
    "oversight score of the editions that published one."
)
class OpenBudgetMeasure(enum.StrEnum):
    TRANSPARENCY = "TRANSPARENCY"
    COMPARABLE_TRANSPARENCY = "COMPARABLE_TRANSPARENCY"
    PARTICIPATION = "PARTICIPATION"
    LEGISLATIVE_OVERSIGHT = "LEGISLATIVE_OVERSIGHT"
    AUDIT_OVERSIGHT = "AUDIT_OVERSIGHT"
    OVERSIGHT = "OVERSIGHT"


@strawberry.enum(
    description="IBP's bands of the Open Budget Index: extensive (81-100), substantial (61-80), "
    "limited (41-60), minimal (21-40), scant or no information available (0-20)."
)
class OpenBudgetTransparencyLevel(enum.StrEnum):
    EXTENSIVE = "EXTENSIVE"
    SUBSTANTIAL = "SUBSTANTIAL"
    LIMITED = "LIMITED"
    MINIMAL = "MINIMAL"
    SCANT_OR_NONE = "SCANT_OR_NONE"


@strawberry.enum(
    description="The eight key budget documents the Open Budget Survey assesses, in the order of "
    "the budget cycle (see `BudgetDocument.title` for the official name)."
)
class BudgetDocumentKind(enum.StrEnum):
    PRE_BUDGET_STATEMENT = "PRE_BUDGET_STATEMENT"
    EXECUTIVES_BUDGET_PROPOSAL = "EXECUTIVES_BUDGET_PROPOSAL"
    ENACTED_BUDGET = "ENACTED_BUDGET"
    CITIZENS_BUDGET = "CITIZENS_BUDGET"
    IN_YEAR_REPORTS = "IN_YEAR_REPORTS"
    MID_YEAR_REVIEW = "MID_YEAR_REVIEW"
    YEAR_END_REPORT = "YEAR_END_REPORT"
    AUDIT_REPORT = "AUDIT_REPORT"


@strawberry.enum(
    description="Availability of a key budget document in the Open Budget Survey's terms: "
    "publicly available (published online within IBP's time frame), published late, available "
    "in print (hard copy) only and not online (since OBS 2017 not publicly available), produced "
    "for internal use only, or not produced."
)
class BudgetDocumentStatus(enum.StrEnum):
    PUBLICLY_AVAILABLE = "PUBLICLY_AVAILABLE"
    PUBLISHED_LATE = "PUBLISHED_LATE"
    PRINT_ONLY = "PRINT_ONLY"
    INTERNAL_USE_ONLY = "INTERNAL_USE_ONLY"
    NOT_PRODUCED = "NOT_PRODUCED"


PUBLISHED = (BudgetDocumentStatus.PUBLICLY_AVAILABLE, BudgetDocumentStatus.PUBLISHED_LATE)
"""Published online: the statuses a document with a URL can have."""
DATED = (*PUBLISHED, BudgetDocumentStatus.PRINT_ONLY)
"""Released to the public in some form: the statuses a document with a publication date can have."""


@strawberry.enum(
    description="GIFT's ten High-Level Principles on Fiscal Transparency, Participation and "
    "Accountability (recognised by UN General Assembly resolution 67/218), in their official "
    "order; `GiftPrincipleCoverage` gives each one's number and title."
)
class GiftPrinciple(enum.StrEnum):
    RIGHT_TO_FISCAL_INFORMATION = "RIGHT_TO_FISCAL_INFORMATION"
    AGGREGATE_FISCAL_POLICY = "AGGREGATE_FISCAL_POLICY"
    HIGH_QUALITY_FISCAL_INFORMATION = "HIGH_QUALITY_FISCAL_INFORMATION"
    OBJECTIVES_OUTPUTS_OUTCOMES = "OBJECTIVES_OUTPUTS_OUTCOMES"
    RULE_OF_LAW = "RULE_OF_LAW"
    PRIVATE_SECTOR_RELATIONSHIPS = "PRIVATE_SECTOR_RELATIONSHIPS"
    CLARITY_OF_ROLES = "CLARITY_OF_ROLES"
    LEGISLATIVE_OVERSIGHT = "LEGISLATIVE_OVERSIGHT"
    SUPREME_AUDIT_INSTITUTION = "SUPREME_AUDIT_INSTITUTION"
    PUBLIC_PARTICIPATION = "PUBLIC_PARTICIPATION"


@strawberry.enum(
    description="PRIORITY_AREA: an area of work of the group as a whole; ACTION_PLAN_COMMITMENT: "
    "a commitment of one country's OGP national action plan."
)
class FiscalCommitmentKind(enum.StrEnum):
    PRIORITY_AREA = "PRIORITY_AREA"
    ACTION_PLAN_COMMITMENT = "ACTION_PLAN_COMMITMENT"


# --- Open Budget Survey --------------------------------------------------------------------------

OBS_URL = "https://internationalbudget.org/open-budget-survey"
ROUNDS: tuple[int, ...] = (2006, 2008, 2010, 2012, 2015, 2017, 2019, 2021, 2023)
"""The survey's published rounds (editions). After 2023 the survey stays biennial (odd years)."""
FIRST_EDITION = ROUNDS[0]
SCALE_MAX = 100  # every OBS score is on a 0-100 scale
SUFFICIENT_TRANSPARENCY = 61  # IBP: 61 or more supports informed public debate on the budget
ADEQUATE = 61
"""IBP: a participation or oversight score above 60 means adequate opportunities for the public
to participate, or adequate oversight practices (the same benchmark as transparency's)."""
COMPARABLE_SERIES = "IBP comparable transparency series"
"""`methodologyVersion` of a comparable transparency score: IBP recomputes earlier rounds on the
indicators held constant so that its trend compares rounds (e.g. its 'since 2008' figures)."""


def is_round(edition: int, this_year: int) -> bool:
    """A published round, or a later biennial one (odd year after 2023) not after this year."""
    if edition in ROUNDS:
        return True
    return ROUNDS[-1] < edition <= this_year and (edition - ROUNDS[-1]) % 2 == 0


TRANSPARENCY_BANDS: tuple[tuple[int, OpenBudgetTransparencyLevel], ...] = (
    (80, OpenBudgetTransparencyLevel.EXTENSIVE),
    (60, OpenBudgetTransparencyLevel.SUBSTANTIAL),
    (40, OpenBudgetTransparencyLevel.LIMITED),
    (20, OpenBudgetTransparencyLevel.MINIMAL),
)
"""IBP's bands: a score above the number is in the band (the first that applies); the rest is
SCANT_OR_NONE. Read by `transparency_level` and by the field's SQL (types.py)."""


def transparency_level(score: int) -> OpenBudgetTransparencyLevel:
    """IBP's band of an Open Budget Index score."""
    for floor, band in TRANSPARENCY_BANDS:
        if score > floor:
            return band
    return OpenBudgetTransparencyLevel.SCANT_OR_NONE


K = BudgetDocumentKind
DOCUMENT_TITLES: dict[BudgetDocumentKind, str] = {
    K.PRE_BUDGET_STATEMENT: "Pre-Budget Statement",
    K.EXECUTIVES_BUDGET_PROPOSAL: "Executive's Budget Proposal",
    K.ENACTED_BUDGET: "Enacted Budget",
    K.CITIZENS_BUDGET: "Citizens Budget",
    K.IN_YEAR_REPORTS: "In-Year Reports",
    K.MID_YEAR_REVIEW: "Mid-Year Review",
    K.YEAR_END_REPORT: "Year-End Report",
    K.AUDIT_REPORT: "Audit Report",
}

MEASURE_BENCHMARKS: dict[OpenBudgetMeasure, int] = {
    OpenBudgetMeasure.TRANSPARENCY: SUFFICIENT_TRANSPARENCY,
    OpenBudgetMeasure.COMPARABLE_TRANSPARENCY: SUFFICIENT_TRANSPARENCY,
    OpenBudgetMeasure.PARTICIPATION: ADEQUATE,
    OpenBudgetMeasure.LEGISLATIVE_OVERSIGHT: ADEQUATE,
    OpenBudgetMeasure.AUDIT_OVERSIGHT: ADEQUATE,
    OpenBudgetMeasure.OVERSIGHT: ADEQUATE,
}

# IBP's minimum standards of timeliness (OBS, since 2013): a document published later than this
# counts as "published late", not "publicly available".
TIMELINESS_RULES: dict[BudgetDocumentKind, str] = {
    K.PRE_BUDGET_STATEMENT: "At least one month before the Executive's Budget Proposal is "
    "submitted to the legislature.",
    K.EXECUTIVES_BUDGET_PROPOSAL: "While the legislature is still considering it, before it is "
    "approved.",
    K.ENACTED_BUDGET: "No later than three months after it is approved by the legislature.",
    K.CITIZENS_BUDGET: "No later than three months after the document it refers to is published.",
    K.IN_YEAR_REPORTS: "No later than three months after the reporting period ends.",
    K.MID_YEAR_REVIEW: "No later than three months after the reporting period (the first half of "
    "the fiscal year) ends.",
    K.YEAR_END_REPORT: "No later than 12 months after the end of the fiscal year.",
    K.AUDIT_REPORT: "No later than 18 months after the end of the fiscal year.",
}

# When a document can be published, in calendar years relative to its fiscal year (which is named
# by the calendar year in which it ends): (earliest, latest or None). Budget documents come before
# or during the year they plan; in-year reports once it has started (possibly in the previous
# calendar year); the year-end and audit reports once it has ended. Anything outside is a date in
# the wrong order.
PUBLICATION_WINDOW: dict[BudgetDocumentKind, tuple[int, int | None]] = {
    K.PRE_BUDGET_STATEMENT: (-2, 0),
    K.EXECUTIVES_BUDGET_PROPOSAL: (-2, 0),
    K.ENACTED_BUDGET: (-2, 0),
    K.CITIZENS_BUDGET: (-2, 0),
    K.IN_YEAR_REPORTS: (-1, None),
    K.MID_YEAR_REVIEW: (-1, None),
    K.YEAR_END_REPORT: (0, None),
    K.AUDIT_REPORT: (0, None),
}
FIRST_FISCAL_YEAR = 1990

# --- GIFT High-Level Principles ------------------------------------------------------------------

G = GiftPrinciple
PRINCIPLE_TITLES: dict[GiftPrinciple, str] = {
    G.RIGHT_TO_FISCAL_INFORMATION: "A citizen right to fiscal information",
    G.AGGREGATE_FISCAL_POLICY: "Reporting on aggregate fiscal policy",
    G.HIGH_QUALITY_FISCAL_INFORMATION: "High quality information on past, present and forecast "
    "fiscal activities",
    G.OBJECTIVES_OUTPUTS_OUTCOMES: "Information on objectives, outputs and outcomes",
    G.RULE_OF_LAW: "The rule of law in public financial management",
    G.PRIVATE_SECTOR_RELATIONSHIPS: "Relationships between government and the private sector",
    G.CLARITY_OF_ROLES: "Clarity of roles within and between branches and levels of government",
    G.LEGISLATIVE_OVERSIGHT: "Legislative oversight",
    G.SUPREME_AUDIT_INSTITUTION: "The role of the Supreme Audit Institution",
    G.PUBLIC_PARTICIPATION: "A citizen right to direct public participation in fiscal policy",
}
PRINCIPLE_NUMBERS: dict[GiftPrinciple, int] = {p: n for n, p in enumerate(GiftPrinciple, 1)}
