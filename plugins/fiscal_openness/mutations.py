"""Mutations of the fiscal openness area: one input object, one transaction around a function of
services.py, a payload with `userErrors` (`core.mutation_payload`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from core import UserError, mutation_payload, provenance
from plugins.fiscal_openness import services
from plugins.fiscal_openness.methodology import (
    BudgetDocumentKind,
    BudgetDocumentStatus,
    FiscalCommitmentKind,
    GiftPrinciple,
)
from plugins.fiscal_openness.types import (
    ISO_CODE,
    BudgetDocument,
    FiscalCommitment,
    OpenBudgetSurvey,
)


def _given(data: Any, *names: str) -> dict[str, Any]:
    """The named input fields the client sent (left-out fields stay as they are)."""
    return {n: getattr(data, n) for n in names if getattr(data, n) is not strawberry.UNSET}


SURVEY_FIELDS = (
    "edition",
    "transparency_score",
    "comparable_transparency_score",
    "participation_score",
    "legislative_oversight_score",
    "audit_oversight_score",
    "oversight_score",
    "methodology_version",
    "note",
    *provenance.FIELDS,
)
DOCUMENT_FIELDS = (
    "fiscal_year",
    "kind",
    "status",
    "published_on",
    "url",
    "note",
    *provenance.FIELDS,
)
COMMITMENT_FIELDS = ("kind", "title", "reference", "url", *provenance.FIELDS)
EDITION = "The survey round: 2006, 2008, 2010, 2012, 2015, 2017, 2019, 2021, 2023 (then biennial)."
SOURCE_URL = "The publisher's page the values were read from; required unless illustrative."
RETRIEVED_ON = "When they were read there (not in the future); required unless illustrative."
ILLUSTRATIVE = "Made-up or unverified values (demo data, examples); default false."


@strawberry.input(description="A country's results in one Open Budget Survey edition.")
class OpenBudgetSurveyRecordInput:
    country: str = strawberry.field(description=ISO_CODE)
    edition: int = strawberry.field(description=EDITION)
    transparency_score: int = strawberry.field(description="Open Budget Index, 0-100.")
    comparable_transparency_score: int | None = strawberry.field(
        default=None, description="Transparency in IBP's comparable series, 0-100."
    )
    participation_score: int | None = strawberry.field(default=None, description="0-100.")
    legislative_oversight_score: int | None = strawberry.field(
        default=None, description="Oversight by the legislature, 0-100."
    )
    audit_oversight_score: int | None = strawberry.field(
        default=None, description="Oversight by the supreme audit institution, 0-100."
    )
    oversight_score: int | None = strawberry.field(
        default=None,
        description="Composite oversight, 0-100: only for an edition that published one.",
    )
    methodology_version: str | None = strawberry.field(
        default=None,
        description="Scores are compared only within one methodology version. Default: "
        "'OBS <edition>'.",
    )
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)
    note: str | None = None


@strawberry.input(description="Fields left out stay as they are.")
class OpenBudgetSurveyCorrectInput:
    id: strawberry.ID
    edition: int | None = strawberry.UNSET
    transparency_score: int | None = strawberry.UNSET
    comparable_transparency_score: int | None = strawberry.UNSET
    participation_score: int | None = strawberry.UNSET
    legislative_oversight_score: int | None = strawberry.UNSET
    audit_oversight_score: int | None = strawberry.UNSET
    oversight_score: int | None = strawberry.UNSET
    methodology_version: str | None = strawberry.UNSET
    source_url: str | None = strawberry.UNSET
    retrieved_on: date | None = strawberry.UNSET
    illustrative: bool | None = strawberry.UNSET
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
        default=None,
        description="Only for a document published online or in print; not in the future.",
    )
    url: str | None = strawberry.field(
        default=None, description="Only for a document published online."
    )
    note: str | None = None
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)


@strawberry.input(description="Fields left out stay as they are; null clears a date or URL.")
class BudgetDocumentCorrectInput:
    id: strawberry.ID
    fiscal_year: int | None = strawberry.UNSET
    kind: BudgetDocumentKind | None = strawberry.UNSET
    status: BudgetDocumentStatus | None = strawberry.UNSET
    published_on: date | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    note: str | None = strawberry.UNSET
    source_url: str | None = strawberry.UNSET
    retrieved_on: date | None = strawberry.UNSET
    illustrative: bool | None = strawberry.UNSET


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
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)


@strawberry.input(description="Fields left out stay as they are; `principles` replaces them all.")
class FiscalCommitmentCorrectInput:
    id: strawberry.ID
    kind: FiscalCommitmentKind | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    principles: list[GiftPrinciple] | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    source_url: str | None = strawberry.UNSET
    retrieved_on: date | None = strawberry.UNSET
    illustrative: bool | None = strawberry.UNSET


@strawberry.type
class FiscalCommitmentPayload:
    fiscal_commitment: FiscalCommitment | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record a country's results in one Open Budget Survey edition.")
async def open_budget_survey_record(
    info: Info, input: OpenBudgetSurveyRecordInput
) -> OpenBudgetSurveyPayload:
    values = _given(input, *SURVEY_FIELDS)
    return await mutation_payload(
        info,
        lambda conn: services.record_survey(conn, input.country, values),
        OpenBudgetSurveyPayload,
        open_budget_survey=OpenBudgetSurvey,
    )


@strawberry.mutation(description="Correct recorded Open Budget Survey results.")
async def open_budget_survey_correct(
    info: Info, input: OpenBudgetSurveyCorrectInput
) -> OpenBudgetSurveyPayload:
    changes = _given(input, *SURVEY_FIELDS)
    return await mutation_payload(
        info,
        lambda conn: services.correct_survey(conn, input.id, changes),
        OpenBudgetSurveyPayload,
        open_budget_survey=OpenBudgetSurvey,
    )


@strawberry.mutation(description="Record the availability of a key budget document.")
async def budget_document_record(
    info: Info, input: BudgetDocumentRecordInput
) -> BudgetDocumentPayload:
    values = _given(input, *DOCUMENT_FIELDS)
    return await mutation_payload(
        info,
        lambda conn: services.record_document(conn, input.country, values),
        BudgetDocumentPayload,
        budget_document=BudgetDocument,
    )


@strawberry.mutation(description="Correct a recorded key budget document.")
async def budget_document_correct(
    info: Info, input: BudgetDocumentCorrectInput
) -> BudgetDocumentPayload:
    changes = _given(input, *DOCUMENT_FIELDS)
    return await mutation_payload(
        info,
        lambda conn: services.correct_document(conn, input.id, changes),
        BudgetDocumentPayload,
        budget_document=BudgetDocument,
    )


@strawberry.mutation(
    description="Record a group's priority area or commitment and the GIFT principles it addresses."
)
async def fiscal_commitment_record(
    info: Info, input: FiscalCommitmentRecordInput
) -> FiscalCommitmentPayload:
    values = _given(input, *COMMITMENT_FIELDS)
    return await mutation_payload(
        info,
        lambda conn: services.record_commitment(
            conn, input.group_id, input.country, input.principles, values
        ),
        FiscalCommitmentPayload,
        fiscal_commitment=FiscalCommitment,
    )


@strawberry.mutation(description="Correct a priority area or commitment, or its principles.")
async def fiscal_commitment_correct(
    info: Info, input: FiscalCommitmentCorrectInput
) -> FiscalCommitmentPayload:
    changes = _given(input, *COMMITMENT_FIELDS)
    # Left out: unchanged. Given (null counts as empty): replaces them, and must name one.
    principles = None if input.principles is strawberry.UNSET else input.principles or []
    return await mutation_payload(
        info,
        lambda conn: services.correct_commitment(
            conn, input.id, input.country, principles, changes
        ),
        FiscalCommitmentPayload,
        fiscal_commitment=FiscalCommitment,
    )


MUTATION_FIELDS = [
    open_budget_survey_record,
    open_budget_survey_correct,
    budget_document_record,
    budget_document_correct,
    fiscal_commitment_record,
    fiscal_commitment_correct,
]
