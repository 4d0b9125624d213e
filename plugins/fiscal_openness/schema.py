"""GraphQL types, fields, queries and mutations of the fiscal openness area.

Reads: every list below a parent is a `@relation` whose loader reads all parents' rows in ONE
statement; root queries return `await prefetched(info, page)`. Writes: one input object, one
transaction (`in_transaction` around a function of `services`), a payload with `userErrors`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Select, exists, func, select, union
from sqlalchemy.orm import aliased
from strawberry.types import Info

from core import (
    Connection,
    Context,
    UserError,
    count_of,
    in_transaction,
    load_countries,
    models,
    paginate,
    prefetched,
    relation,
    types,
)
from plugins.fiscal_openness import services
from plugins.fiscal_openness.methodology import (
    DOCUMENT_TITLES,
    PRINCIPLE_NUMBERS,
    PRINCIPLE_TITLES,
    SCALE_MAX,
    SUFFICIENT_TRANSPARENCY,
    TIMELINESS_RULES,
    BudgetDocumentKind,
    BudgetDocumentStatus,
    FiscalCommitmentKind,
    GiftPrinciple,
    OpenBudgetMeasure,
    OpenBudgetTransparencyLevel,
    transparency_level,
)
from plugins.fiscal_openness.models import BudgetDocument as DocumentRow
from plugins.fiscal_openness.models import Commitment, CommitmentPrinciple, Survey

KIND_ORDER = {kind: i for i, kind in enumerate(BudgetDocumentKind)}
ISO_CODE = "ISO 3166-1 alpha-2 or alpha-3 code of an OGP country."


# --- Loaders: one statement for all the parents of a level --------------------------------------


async def _rows(ctx: Context, stmt: Select[Any]) -> Sequence[Any]:
    async with ctx.db.read() as conn:
        return (await conn.execute(stmt)).all()


async def survey_by_country(
    ctx: Context, keys: list[int], edition: int | None = None
) -> list[OpenBudgetSurvey | None]:
    """Each country's results in `edition`, or in its latest edition."""
    stmt = select(*Survey.__table__.c).where(ctx.db.any_of(Survey.country_id, keys))
    rows = await _rows(ctx, _edition_or_latest(stmt, edition))
    found = {row.country_id: OpenBudgetSurvey.from_row(row) for row in rows}
    return [found.get(key) for key in keys]


def _edition_or_latest(stmt: Select[Any], edition: int | None) -> Select[Any]:
    """Keep the surveys of `edition`, or each country's latest (no newer edition exists)."""
    if edition is not None:
        return stmt.where(Survey.edition == edition)
    newer = aliased(Survey)
    return stmt.where(
        ~exists().where(newer.country_id == Survey.country_id, newer.edition > Survey.edition)
    )


async def surveys_by_group(
    ctx: Context, keys: list[int], edition: int | None = None
) -> list[list[OpenBudgetSurvey]]:
    """The surveys of the countries of each group's anchors, members and observers."""
    links = union(
        select(models.Membership.group_id, models.Membership.organization_id),
        select(models.Anchor.group_id, models.Anchor.organization_id),
    ).subquery()
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
    found: dict[int, list[OpenBudgetSurvey]] = defaultdict(list)
    for row in await _rows(ctx, _edition_or_latest(stmt, edition)):
        found[row._group].append(OpenBudgetSurvey.from_row(row))
    return [found.get(key, []) for key in keys]


async def documents_by_country(
    ctx: Context, keys: list[int], fiscal_year: int | None = None
) -> list[list[BudgetDocument]]:
    stmt = select(*DocumentRow.__table__.c).where(ctx.db.any_of(DocumentRow.country_id, keys))
    if fiscal_year is not None:
        stmt = stmt.where(DocumentRow.fiscal_year == fiscal_year)
    rows = sorted(await _rows(ctx, stmt), key=lambda r: (-r.fiscal_year, KIND_ORDER[r.kind]))
    found: dict[int, list[BudgetDocument]] = defaultdict(list)
    for row in rows:
        found[row.country_id].append(BudgetDocument.from_row(row))
    return [found.get(key, []) for key in keys]


async def commitments_by_group(
    ctx: Context,
    keys: list[int],
    principle: GiftPrinciple | None = None,
    kind: FiscalCommitmentKind | None = None,
) -> list[list[FiscalCommitment]]:
    """Each group's commitments with their principles: one row per (commitment, principle)."""
    linked = aliased(CommitmentPrinciple)
    stmt = (
        select(*Commitment.__table__.c, CommitmentPrinciple.principle)
        .outerjoin(CommitmentPrinciple, CommitmentPrinciple.commitment_id == Commitment.id)
        .where(ctx.db.any_of(Commitment.group_id, keys))
        .order_by(Commitment.title, Commitment.id)
    )
    if kind is not None:
        stmt = stmt.where(Commitment.kind == kind)
    if principle is not None:
        addressing = select(linked.commitment_id).where(linked.principle == principle)
        stmt = stmt.where(Commitment.id.in_(addressing))
    by_id: dict[int, FiscalCommitment] = {}
    found: dict[int, list[FiscalCommitment]] = defaultdict(list)
    for row in await _rows(ctx, stmt):
        commitment = by_id.get(row.id)
        if commitment is None:
            commitment = by_id[row.id] = FiscalCommitment.from_row(row, [])
            found[row.group_id].append(commitment)
        if row.principle is not None:
            commitment.principles.append(row.principle)
    for commitment in by_id.values():
        commitment.principles.sort(key=PRINCIPLE_NUMBERS.__getitem__)
    return [found.get(key, []) for key in keys]


async def coverage_by_group(ctx: Context, keys: list[int]) -> list[list[GiftPrincipleCoverage]]:
    stmt = (
        select(Commitment.group_id, CommitmentPrinciple.principle, func.count().label("n"))
        .join(CommitmentPrinciple, CommitmentPrinciple.commitment_id == Commitment.id)
        .where(ctx.db.any_of(Commitment.group_id, keys))
        .group_by(Commitment.group_id, CommitmentPrinciple.principle)
    )
    counts = {(row.group_id, row.principle): row.n for row in await _rows(ctx, stmt)}
    return [
        [GiftPrincipleCoverage.of(p, counts.get((key, p), 0)) for p in GiftPrinciple]
        for key in keys
    ]


# --- Types ---------------------------------------------------------------------------------------


@strawberry.type(description="One score of the Open Budget Survey, on IBP's 0-100 scale.")
class OpenBudgetScore(types.Assessment):
    measure: OpenBudgetMeasure

    @classmethod
    def of(cls, row: Any, measure: OpenBudgetMeasure, value: int) -> OpenBudgetScore:
        """One of the three scores of a survey row; they share its edition and methodology."""
        return cls(
            measure=measure,
            score=float(value),
            scale_max=float(SCALE_MAX),
            edition=str(row.edition),
            methodology_version=row.methodology_version,
            source_url=row.source_url,
        )


@strawberry.type(
    description="A country's results in one edition (round) of IBP's Open Budget Survey."
)
class OpenBudgetSurvey(types.Node):
    node_type: ClassVar[str] = "OpenBudgetSurvey"
    country_pk: strawberry.Private[int]
    edition: int = strawberry.field(description="Survey year, e.g. 2023.")
    transparency: OpenBudgetScore = strawberry.field(
        description="Budget transparency: the Open Budget Index."
    )
    participation: OpenBudgetScore | None = strawberry.field(
        description="Opportunities for the public to take part in the budget process."
    )
    oversight: OpenBudgetScore | None = strawberry.field(
        description="Budget oversight by the legislature and the supreme audit institution."
    )
    methodology_version: str
    source_url: str
    note: str

    @classmethod
    def from_row(cls, row: Any) -> OpenBudgetSurvey:
        def score(measure: OpenBudgetMeasure, value: int | None) -> OpenBudgetScore | None:
            return None if value is None else OpenBudgetScore.of(row, measure, value)

        return cls(
            pk=row.id,
            country_pk=row.country_id,
            edition=row.edition,
            transparency=OpenBudgetScore.of(
                row, OpenBudgetMeasure.TRANSPARENCY, row.transparency_score
            ),
            participation=score(OpenBudgetMeasure.PARTICIPATION, row.participation_score),
            oversight=score(OpenBudgetMeasure.OVERSIGHT, row.oversight_score),
            methodology_version=row.methodology_version,
            source_url=row.source_url,
            note=row.note,
        )

    @strawberry.field(
        description=f"Transparency of {SUFFICIENT_TRANSPARENCY} or more: IBP's benchmark of "
        "sufficient information to support informed public debate on the budget."
    )
    def sufficient_transparency(self) -> bool:
        return self.transparency.score >= SUFFICIENT_TRANSPARENCY

    @strawberry.field(description="IBP's band of the transparency score.")
    def transparency_level(self) -> OpenBudgetTransparencyLevel:
        return transparency_level(int(self.transparency.score))

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


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
    published_on: date | None = strawberry.field(description="When it was made public.")
    url: str | None = strawberry.field(description="Where the published document is.")
    note: str

    @classmethod
    def from_row(cls, row: Any) -> BudgetDocument:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            fiscal_year=row.fiscal_year,
            kind=row.kind,
            status=row.status,
            published_on=row.published_on,
            url=row.url,
            note=row.note,
        )

    @strawberry.field(
        description="The document's official name, e.g. \"Executive's Budget Proposal\"."
    )
    def title(self) -> str:
        return DOCUMENT_TITLES[self.kind]

    @strawberry.field(
        description="Whether it was published within IBP's time frame (`timelinessRule`): true "
        "when publicly available, false when published late, null when never published."
    )
    def met_timeliness(self) -> bool | None:
        if self.status is BudgetDocumentStatus.PUBLICLY_AVAILABLE:
            return True
        if self.status is BudgetDocumentStatus.PUBLISHED_LATE:
            return False
        return None

    @strawberry.field(description="IBP's deadline for this document to count as available.")
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
    principles: list[GiftPrinciple] = strawberry.field(description="In GIFT's order.")

    @classmethod
    def from_row(cls, row: Any, principles: list[GiftPrinciple]) -> FiscalCommitment:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            kind=row.kind,
            title=row.title,
            reference=row.reference,
            url=row.url,
            principles=sorted(principles, key=PRINCIPLE_NUMBERS.__getitem__),
        )

    @relation(load_countries, key="country_pk", description="Whose action plan it is in.")
    def country(self) -> types.Country | None: ...


@strawberry.type(description="How many of a group's commitments address one GIFT principle.")
class GiftPrincipleCoverage:
    principle: GiftPrinciple
    number: int = strawberry.field(description="The principle's number, 1-10.")
    title: str
    commitment_count: int

    @classmethod
    def of(cls, principle: GiftPrinciple, count: int) -> GiftPrincipleCoverage:
        return cls(
            principle=principle,
            number=PRINCIPLE_NUMBERS[principle],
            title=PRINCIPLE_TITLES[principle],
            commitment_count=count,
        )


@strawberry.type(description="The fiscal openness working group.")
class FiscalOpennessGroup(types.WorkingGroup):
    @strawberry.field(description="Score from which IBP deems budget transparency sufficient.")
    def sufficient_transparency_threshold(self) -> int:
        return SUFFICIENT_TRANSPARENCY

    @relation(
        surveys_by_group,
        default=[],
        description="Open Budget Survey results of the countries of the group's anchors, "
        "members and observers, by country name: each one's latest, or those of `edition`.",
    )
    def country_surveys(
        self, edition: Annotated[int | None, strawberry.argument(description="Survey year.")] = None
    ) -> list[OpenBudgetSurvey]: ...

    @relation(
        commitments_by_group,
        default=[],
        description="The group's priority areas and the commitments it follows, by title.",
    )
    def commitments(
        self,
        principle: Annotated[
            GiftPrinciple | None,
            strawberry.argument(description="Only those addressing this principle."),
        ] = None,
        kind: FiscalCommitmentKind | None = None,
    ) -> list[FiscalCommitment]: ...

    @relation(
        coverage_by_group,
        default=[],
        description="All ten GIFT principles, in order, with how many commitments address each: "
        "the zeros are the gaps.",
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
    "the order of the budget cycle.",
)
def budget_documents(
    root: types.Country, fiscal_year: int | None = None
) -> list[BudgetDocument]: ...


# --- Root queries --------------------------------------------------------------------------------


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


# --- Mutations -----------------------------------------------------------------------------------


def _given(data: Any, *names: str) -> dict[str, Any]:
    """The named input fields the client sent (left-out fields stay as they are)."""
    return {n: getattr(data, n) for n in names if getattr(data, n) is not strawberry.UNSET}


SURVEY_FIELDS = (
    "edition",
    "transparency_score",
    "participation_score",
    "oversight_score",
    "methodology_version",
    "source_url",
    "note",
)
DOCUMENT_FIELDS = ("fiscal_year", "kind", "status", "published_on", "url", "note")


@strawberry.input(description="A country's results in one Open Budget Survey edition.")
class OpenBudgetSurveyRecordInput:
    country: str = strawberry.field(description=ISO_CODE)
    edition: int = strawberry.field(description="Survey year, e.g. 2023.")
    transparency_score: int = strawberry.field(description="Open Budget Index, 0-100.")
    participation_score: int | None = strawberry.field(default=None, description="0-100.")
    oversight_score: int | None = strawberry.field(default=None, description="0-100.")
    methodology_version: str | None = strawberry.field(
        default=None,
        description="Scores are compared only within one methodology version. Default: "
        "'OBS <edition>'.",
    )
    source_url: str | None = strawberry.field(
        default=None, description="Default: https://internationalbudget.org/open-budget-survey"
    )
    note: str | None = None


@strawberry.input(description="Fields left out stay as they are.")
class OpenBudgetSurveyCorrectInput:
    id: strawberry.ID
    edition: int | None = strawberry.UNSET
    transparency_score: int | None = strawberry.UNSET
    participation_score: int | None = strawberry.UNSET
    oversight_score: int | None = strawberry.UNSET
    methodology_version: str | None = strawberry.UNSET
    source_url: str | None = strawberry.UNSET
    note: str | None = strawberry.UNSET


@strawberry.type
class OpenBudgetSurveyPayload:
    open_budget_survey: OpenBudgetSurvey | None
    user_errors: list[UserError]


@strawberry.input(description="Availability of one key budget document for a fiscal year.")
class BudgetDocumentRecordInput:
    country: str = strawberry.field(description=ISO_CODE)
    fiscal_year: int = strawberry.field(
        description="Named by the calendar year in which the fiscal year ends."
    )
    kind: BudgetDocumentKind
    status: BudgetDocumentStatus
    published_on: date | None = strawberry.field(
        default=None, description="Only for a published document; not in the future."
    )
    url: str | None = strawberry.field(default=None, description="Only for a published document.")
    note: str | None = None


@strawberry.input(description="Fields left out stay as they are; null clears a date or URL.")
class BudgetDocumentCorrectInput:
    id: strawberry.ID
    fiscal_year: int | None = strawberry.UNSET
    kind: BudgetDocumentKind | None = strawberry.UNSET
    status: BudgetDocumentStatus | None = strawberry.UNSET
    published_on: date | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    note: str | None = strawberry.UNSET


@strawberry.type
class BudgetDocumentPayload:
    budget_document: BudgetDocument | None
    user_errors: list[UserError]


@strawberry.input(description="A priority area or commitment of a fiscal openness group.")
class FiscalCommitmentRecordInput:
    group_id: strawberry.ID = strawberry.field(description="A fiscal openness working group.")
    kind: FiscalCommitmentKind
    title: str
    principles: list[GiftPrinciple] = strawberry.field(
        description="The GIFT High-Level Principles it addresses (at least one)."
    )
    country: str | None = strawberry.field(
        default=None, description="Required for an action plan commitment. " + ISO_CODE
    )
    reference: str | None = None
    url: str | None = None


@strawberry.input(description="Fields left out stay as they are; `principles` replaces them all.")
class FiscalCommitmentCorrectInput:
    id: strawberry.ID
    kind: FiscalCommitmentKind | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    principles: list[GiftPrinciple] | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET


@strawberry.type
class FiscalCommitmentPayload:
    fiscal_commitment: FiscalCommitment | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record a country's results in one Open Budget Survey edition.")
async def open_budget_survey_record(
    info: Info, input: OpenBudgetSurveyRecordInput
) -> OpenBudgetSurveyPayload:
    values = _given(input, *SURVEY_FIELDS)
    row, errors = await in_transaction(
        info.context, lambda conn: services.record_survey(conn, input.country, values)
    )
    survey = None if row is None else OpenBudgetSurvey.from_row(row)
    return await prefetched(
        info, OpenBudgetSurveyPayload(open_budget_survey=survey, user_errors=errors)
    )


@strawberry.mutation(description="Correct recorded Open Budget Survey results.")
async def open_budget_survey_correct(
    info: Info, input: OpenBudgetSurveyCorrectInput
) -> OpenBudgetSurveyPayload:
    changes = _given(input, *SURVEY_FIELDS)
    row, errors = await in_transaction(
        info.context, lambda conn: services.correct_survey(conn, input.id, changes)
    )
    survey = None if row is None else OpenBudgetSurvey.from_row(row)
    return await prefetched(
        info, OpenBudgetSurveyPayload(open_budget_survey=survey, user_errors=errors)
    )


@strawberry.mutation(description="Record the availability of a key budget document.")
async def budget_document_record(
    info: Info, input: BudgetDocumentRecordInput
) -> BudgetDocumentPayload:
    values = _given(input, *DOCUMENT_FIELDS)
    row, errors = await in_transaction(
        info.context, lambda conn: services.record_document(conn, input.country, values)
    )
    document = None if row is None else BudgetDocument.from_row(row)
    return await prefetched(
        info, BudgetDocumentPayload(budget_document=document, user_errors=errors)
    )


@strawberry.mutation(description="Correct a recorded key budget document.")
async def budget_document_correct(
    info: Info, input: BudgetDocumentCorrectInput
) -> BudgetDocumentPayload:
    changes = _given(input, *DOCUMENT_FIELDS)
    row, errors = await in_transaction(
        info.context, lambda conn: services.correct_document(conn, input.id, changes)
    )
    document = None if row is None else BudgetDocument.from_row(row)
    return await prefetched(
        info, BudgetDocumentPayload(budget_document=document, user_errors=errors)
    )


@strawberry.mutation(
    description="Record a group's priority area or commitment and the GIFT principles it addresses."
)
async def fiscal_commitment_record(
    info: Info, input: FiscalCommitmentRecordInput
) -> FiscalCommitmentPayload:
    values = _given(input, "kind", "title", "reference", "url")
    result, errors = await in_transaction(
        info.context,
        lambda conn: services.record_commitment(
            conn, input.group_id, input.country, input.principles, values
        ),
    )
    commitment = None if result is None else FiscalCommitment.from_row(*result)
    return await prefetched(
        info, FiscalCommitmentPayload(fiscal_commitment=commitment, user_errors=errors)
    )


@strawberry.mutation(description="Correct a priority area or commitment, or its principles.")
async def fiscal_commitment_correct(
    info: Info, input: FiscalCommitmentCorrectInput
) -> FiscalCommitmentPayload:
    changes = _given(input, "kind", "title", "reference", "url")
    # Left out: unchanged. Given (null counts as empty): replaces them, and must name one.
    principles = None if input.principles is strawberry.UNSET else input.principles or []
    result, errors = await in_transaction(
        info.context,
        lambda conn: services.correct_commitment(
            conn, input.id, input.country, principles, changes
        ),
    )
    commitment = None if result is None else FiscalCommitment.from_row(*result)
    return await prefetched(
        info, FiscalCommitmentPayload(fiscal_commitment=commitment, user_errors=errors)
    )


COUNTRY_FIELDS = [open_budget_survey, budget_documents]
QUERY_FIELDS = [open_budget_surveys, budget_documents_query]
MUTATION_FIELDS = [
    open_budget_survey_record,
    open_budget_survey_correct,
    budget_document_record,
    budget_document_correct,
    fiscal_commitment_record,
    fiscal_commitment_correct,
]
