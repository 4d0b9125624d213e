"""GraphQL types of the fiscal openness area: its records, its group type and its fields on
`Country`.

Every list below a parent is a `@relation` whose loader (loaders.py) reads all the parents' rows
in ONE statement. Rows of the plugin's tables (models.py) become these types through
`core.from_row` (fields read the columns of the same name); a type whose fields are computed from
its row keeps a `from_row` classmethod, which the core's declared loaders use.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Enum, case, false, true, type_coerce

from core import (
    LIST_SIZE,
    MAX_PAGE_SIZE,
    computed,
    from_row,
    load_countries,
    provenance,
    relation,
    types,
)
from plugins.fiscal_openness.loaders import (
    commitments_by_group,
    coverage_by_group,
    documents_by_country,
    principles_by_commitment,
    survey_by_country,
    surveys_by_group,
    trend_by_country,
)
from plugins.fiscal_openness.methodology import (
    ADEQUATE,
    COMPARABLE_SERIES,
    DOCUMENT_TITLES,
    MEASURE_BENCHMARKS,
    ROUNDS,
    SCALE_MAX,
    SUFFICIENT_TRANSPARENCY,
    TIMELINESS_RULES,
    TRANSPARENCY_BANDS,
    BudgetDocumentKind,
    BudgetDocumentStatus,
    FiscalCommitmentKind,
    GiftPrinciple,
    OpenBudgetMeasure,
    OpenBudgetTransparencyLevel,
    transparency_level,
)

ISO_CODE = "ISO 3166-1 alpha-2 or alpha-3 code of an OGP country."


@strawberry.type(description="One score of the Open Budget Survey, on IBP's 0-100 scale.")
class OpenBudgetScore(types.Assessment):
    measure: OpenBudgetMeasure
    benchmark: int = strawberry.field(
        description="IBP's benchmark for this measure (61): sufficient transparency, adequate "
        "opportunities for public participation, adequate oversight."
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @classmethod
    def of(cls, row: Any, measure: OpenBudgetMeasure, value: int) -> OpenBudgetScore:
        """One of the scores of a survey row; they share its edition, methodology and source."""
        comparable = measure is OpenBudgetMeasure.COMPARABLE_TRANSPARENCY
        # the integer columns as they are: GraphQL prints an int as a Float (`61.0`) and as a
        # String (`"2023"`), and the compiled read path reads the columns (core.compiled.leaves)
        return cls(
            measure=measure,
            score=value,
            scale_max=float(SCALE_MAX),
            edition=row.edition,
            methodology_version=COMPARABLE_SERIES if comparable else row.methodology_version,
            source_url=row.source_url,
            benchmark=MEASURE_BENCHMARKS[measure],
            retrieved_on=row.retrieved_on,
            illustrative=row.illustrative,
        )

    @strawberry.field(
        description="The score is at least `benchmark`.",
        metadata=computed(lambda s: s.score >= s.benchmark),
    )
    def meets_benchmark(self) -> bool:
        return self.score >= self.benchmark


def _adequate(score: OpenBudgetScore | None) -> bool | None:
    return None if score is None else score.score >= ADEQUATE


@strawberry.type(
    description="A country's results in one edition (round) of IBP's Open Budget Survey. Since "
    "2017 IBP publishes budget oversight as two scores, by the legislature and by the supreme "
    "audit institution; `oversight` is the composite score of the editions that published one."
)
class OpenBudgetSurvey(types.Node):
    node_type: ClassVar[str] = "OpenBudgetSurvey"
    country_pk: strawberry.Private[int]
    edition: int = strawberry.field(
        description="The survey round: 2006, 2008, 2010, 2012, 2015, 2017, 2019, 2021, 2023 "
        "(biennial since)."
    )
    transparency: OpenBudgetScore = strawberry.field(
        description="Budget transparency: the Open Budget Index."
    )
    comparable_transparency: OpenBudgetScore | None = strawberry.field(
        description="Transparency in IBP's comparable series (the indicators it holds constant "
        "across rounds, as in its trend data); compare rounds on this, not on `transparency`."
    )
    participation: OpenBudgetScore | None = strawberry.field(
        description="Opportunities for the public to take part in the budget process."
    )
    legislative_oversight: OpenBudgetScore | None = strawberry.field(
        description="Budget oversight by the legislature."
    )
    audit_oversight: OpenBudgetScore | None = strawberry.field(
        description="Budget oversight by the supreme audit institution."
    )
    oversight: OpenBudgetScore | None = strawberry.field(
        description="Composite budget oversight (legislature and supreme audit institution), for "
        "the editions that published one; null otherwise (see the two oversight scores)."
    )
    methodology_version: str
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)
    note: str
    # The scores' columns as they are (read by from_row by name), for the SQL of the computed
    # fields below: the compiled read path derives them from the row, as the resolvers do.
    transparency_score: strawberry.Private[int]
    participation_score: strawberry.Private[int | None]
    legislative_oversight_score: strawberry.Private[int | None]
    audit_oversight_score: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> OpenBudgetSurvey:
        def score(measure: OpenBudgetMeasure, value: int | None) -> OpenBudgetScore | None:
            return None if value is None else OpenBudgetScore.of(row, measure, value)

        m = OpenBudgetMeasure
        return from_row(
            cls,
            row,
            transparency=OpenBudgetScore.of(row, m.TRANSPARENCY, row.transparency_score),
            comparable_transparency=score(
                m.COMPARABLE_TRANSPARENCY, row.comparable_transparency_score
            ),
            participation=score(m.PARTICIPATION, row.participation_score),
            legislative_oversight=score(m.LEGISLATIVE_OVERSIGHT, row.legislative_oversight_score),
            audit_oversight=score(m.AUDIT_OVERSIGHT, row.audit_oversight_score),
            oversight=score(m.OVERSIGHT, row.oversight_score),
        )

    @strawberry.field(
        description=f"Transparency of {SUFFICIENT_TRANSPARENCY} or more: IBP's benchmark of "
        "sufficient information to support informed public debate on the budget.",
        metadata=computed(lambda s: s.transparency_score >= SUFFICIENT_TRANSPARENCY),
    )
    def sufficient_transparency(self) -> bool:
        return self.transparency.score >= SUFFICIENT_TRANSPARENCY

    @strawberry.field(
        description=f"Participation of {ADEQUATE} or more: IBP's benchmark of adequate "
        "opportunities for the public to take part; null without a participation score.",
        # NULL >= 61 is NULL: null without the score, as the resolver answers
        metadata=computed(lambda s: s.participation_score >= ADEQUATE),
    )
    def adequate_participation(self) -> bool | None:
        return _adequate(self.participation)

    @strawberry.field(
        description=f"Legislative oversight of {ADEQUATE} or more (IBP: adequate); null without "
        "that score.",
        metadata=computed(lambda s: s.legislative_oversight_score >= ADEQUATE),
    )
    def adequate_legislative_oversight(self) -> bool | None:
        return _adequate(self.legislative_oversight)

    @strawberry.field(
        description=f"Audit oversight of {ADEQUATE} or more (IBP: adequate); null without that "
        "score.",
        metadata=computed(lambda s: s.audit_oversight_score >= ADEQUATE),
    )
    def adequate_audit_oversight(self) -> bool | None:
        return _adequate(self.audit_oversight)

    @strawberry.field(
        description="IBP's band of the transparency score.",
        metadata=computed(
            lambda s: type_coerce(
                case(
                    *(
                        (s.transparency_score > floor, band.name)
                        for floor, band in TRANSPARENCY_BANDS
                    ),
                    else_=OpenBudgetTransparencyLevel.SCANT_OR_NONE.name,
                ),
                Enum(OpenBudgetTransparencyLevel),
            )
        ),
    )
    def transparency_level(self) -> OpenBudgetTransparencyLevel:
        return transparency_level(int(self.transparency.score))

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    description="One round of a country's transparency in IBP's comparable series, with the "
    "change since the previous round of the series."
)
class OpenBudgetTrendPoint:
    edition: int
    score: int = strawberry.field(description="Comparable transparency score, 0-100.")
    change: int | None = strawberry.field(
        description="Points gained (negative: lost) since the previous round recorded in the "
        "series; null for the first."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type(
    description="Availability of one of the eight key budget documents for a country's fiscal "
    "year, as the Open Budget Survey assesses it."
)
class BudgetDocument(types.Node):
    node_type: ClassVar[str] = "BudgetDocument"
    country_pk: strawberry.Private[int]
    fiscal_year: int = strawberry.field(
        description="The fiscal year, named by the calendar year in which it ends (the 2023-24 "
        "fiscal year is 2024)."
    )
    kind: BudgetDocumentKind
    status: BudgetDocumentStatus
    published_on: date | None = strawberry.field(
        description="When it was made public, online or (PRINT_ONLY) in print."
    )
    url: str | None = strawberry.field(description="Where the document is published online.")
    note: str
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @strawberry.field(
        description="The document's official name, e.g. \"Executive's Budget Proposal\".",
        metadata=computed(lambda d: case(DOCUMENT_TITLES, value=d.kind)),
    )
    def title(self) -> str:
        return DOCUMENT_TITLES[self.kind]

    @strawberry.field(
        description="Whether it counts as publicly available in the Open Budget Survey: only "
        "when published online within IBP's time frame. Since OBS 2017 a document available in "
        "print only is not publicly available.",
        metadata=computed(lambda d: d.status == BudgetDocumentStatus.PUBLICLY_AVAILABLE),
    )
    def publicly_available(self) -> bool:
        return self.status is BudgetDocumentStatus.PUBLICLY_AVAILABLE

    @strawberry.field(
        description="Whether it was published online within IBP's time frame (`timelinessRule`): "
        "true when publicly available, false when published late, null otherwise (print only, "
        "internal use only, not produced).",
        metadata=computed(
            lambda d: case(
                (d.status == BudgetDocumentStatus.PUBLICLY_AVAILABLE, true()),
                (d.status == BudgetDocumentStatus.PUBLISHED_LATE, false()),
                else_=None,
            )
        ),
    )
    def met_timeliness(self) -> bool | None:
        if self.status is BudgetDocumentStatus.PUBLICLY_AVAILABLE:
            return True
        if self.status is BudgetDocumentStatus.PUBLISHED_LATE:
            return False
        return None

    @strawberry.field(
        description="IBP's deadline for this document to count as available.",
        metadata=computed(lambda d: case(TIMELINESS_RULES, value=d.kind)),
    )
    def timeliness_rule(self) -> str:
        return TIMELINESS_RULES[self.kind]

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    description="A priority area of a fiscal openness group, or an OGP action plan commitment it "
    "follows, with the GIFT High-Level Principles it addresses."
)
class FiscalCommitment(types.Node):
    node_type: ClassVar[str] = "FiscalCommitment"
    country_pk: strawberry.Private[int | None]
    kind: FiscalCommitmentKind
    title: str
    reference: str | None = strawberry.field(
        description="The commitment's identifier in its action plan, if it has one."
    )
    url: str | None

    @relation(
        principles_by_commitment,
        default=[],
        description="In GIFT's order.",
        metadata={LIST_SIZE: len(GiftPrinciple)},  # each principle at most once
    )
    def principles(self) -> list[GiftPrinciple]: ...

    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(load_countries, key="country_pk", description="Whose action plan it is in.")
    def country(self) -> types.Country | None: ...


@strawberry.type(description="How many of a group's commitments address one GIFT principle.")
class GiftPrincipleCoverage:
    principle: GiftPrinciple
    number: int = strawberry.field(description="The principle's number, 1-10.")
    title: str
    commitment_count: int


@strawberry.type(description="The fiscal openness working group.")
class FiscalOpennessGroup(types.WorkingGroup):
    # Constants as fields with a default (not resolvers): every group object holds them, so the
    # compiled read path answers them as constants.
    sufficient_transparency_threshold: int = strawberry.field(
        default=SUFFICIENT_TRANSPARENCY,
        description="Score from which IBP deems budget transparency sufficient.",
    )
    adequacy_threshold: int = strawberry.field(
        default=ADEQUATE,
        description="Score from which IBP deems public participation, legislative oversight and "
        "audit oversight adequate (61, as for transparency).",
    )

    survey_rounds: list[int] = strawberry.field(
        default_factory=lambda: list(ROUNDS),
        description="The Open Budget Survey's published rounds, oldest first.",
        metadata={LIST_SIZE: len(ROUNDS)},  # fixed: the rounds IBP has published
    )

    @relation(
        surveys_by_group,
        default=[],
        description="Open Budget Survey results of the countries of the group's anchors, "
        "members and observers, by country name: each one's latest, or those of `edition` "
        "(`first`: 1..100).",
    )
    def country_surveys(
        self,
        edition: Annotated[int | None, strawberry.argument(description="Survey year.")] = None,
        first: int = MAX_PAGE_SIZE,
    ) -> list[OpenBudgetSurvey]: ...

    @relation(
        commitments_by_group,
        default=[],
        description="The group's priority areas and the commitments it follows, by title "
        "(`first`: 1..100).",
    )
    def commitments(
        self,
        principle: Annotated[
            GiftPrinciple | None,
            strawberry.argument(description="Only those addressing this principle."),
        ] = None,
        kind: FiscalCommitmentKind | None = None,
        first: int = MAX_PAGE_SIZE,
    ) -> list[FiscalCommitment]: ...

    @relation(
        coverage_by_group,
        default=[],
        description="All ten GIFT principles, in order, with how many commitments address each: "
        "the zeros are the gaps.",
        metadata={LIST_SIZE: 10},
    )
    def principle_coverage(self) -> list[GiftPrincipleCoverage]: ...


# --- Fields on Country ---------------------------------------------------------------------------


@relation(
    survey_by_country,
    description="Open Budget Survey results of one edition; the latest when none is given.",
)
def open_budget_survey(
    root: types.Country,
    edition: Annotated[int | None, strawberry.argument(description="Survey year.")] = None,
) -> OpenBudgetSurvey | None: ...


@relation(
    documents_by_country,
    default=[],
    description="Availability of the key budget documents: latest fiscal year first, then in "
    "the order of the budget cycle (`first`: 1..100).",
)
def budget_documents(
    root: types.Country, fiscal_year: int | None = None, first: int = MAX_PAGE_SIZE
) -> list[BudgetDocument]: ...


@relation(
    trend_by_country,
    default=[],
    description="Budget transparency across rounds in IBP's comparable series (the rounds with a "
    "comparable score recorded), oldest first, each with its change since the previous one "
    "(`first`: 1..100).",
)
def open_budget_transparency_trend(
    root: types.Country, first: int = MAX_PAGE_SIZE
) -> list[OpenBudgetTrendPoint]: ...


COUNTRY_FIELDS = [open_budget_survey, budget_documents, open_budget_transparency_trend]
