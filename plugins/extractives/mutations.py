"""Root mutations of the extractive industry transparency area.

Each takes one input object and returns a payload with the saved object and `userErrors`; the
checks and the write run in one transaction (`core.mutation_payload`), so a rejected input writes
nothing. The `*Record` mutations both record and correct: without `id` they add a record, with
the `id` of an existing one they replace all its fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

import strawberry

from core import UserError, from_row, mutation_payload, provenance
from plugins.extractives import eiti, services
from plugins.extractives.models import (
    PROGRESS_ASSESSMENTS,
    EitiCountryStatus,
    EitiDatePrecision,
    EitiOverallAssessment,
    EitiRequirementLevel,
    EitiStandardVersion,
    EitiSuspensionReason,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
)
from plugins.extractives.types import (
    BeneficialOwnershipDisclosureType,
    ContractDisclosureType,
    EitiEarlierValidationType,
    EitiStatus,
    EitiValidationType,
    ExtractiveProjectType,
)

T = TypeVar("T")

ID_HELP = "Omit to record a new one; the ID of an existing one to correct it (all fields replaced)."
COUNTRY_HELP = "ISO 3166-1 alpha-2 or alpha-3 code of an OGP country."


# --- EITI membership -----------------------------------------------------------------------------


@strawberry.input(
    description="A country's EITI membership and one dated status change; recording it again "
    "corrects the membership and the change of that date."
)
class EitiMembershipRecordInput:
    country: str = strawberry.field(description=COUNTRY_HELP)
    status: EitiCountryStatus
    suspension_reason: EitiSuspensionReason | None = strawberry.field(
        default=None,
        description="One reason (added to suspensionReasons); a SUSPENDED status needs at "
        "least one reason, any other status none.",
    )
    suspension_reasons: list[EitiSuspensionReason] | None = strawberry.field(
        default=None,
        description="All the reasons of a suspension (e.g. the three eiti.org lists for "
        "Mexico): required when status is SUSPENDED, refused otherwise; they replace the "
        "reasons recorded for that change.",
    )
    joined_on: date = strawberry.field(
        description="The day the EITI Board admitted the country (eiti.org's 'Joined'); not "
        "after its first Validation or status change."
    )
    status_since: date | None = strawberry.field(
        default=None,
        description="The day this status took effect (default: joinedOn). The current status "
        "is the latest change recorded.",
    )
    board_decision: str | None = strawberry.field(
        default=None, description="The EITI Board decision reference, e.g. '2022-31 / BM-53'."
    )
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type
class EitiMembershipPayload:
    eiti: EitiStatus | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record or correct a country's EITI status and joining date.")
async def eiti_membership_record(
    info: strawberry.Info, input: EitiMembershipRecordInput
) -> EitiMembershipPayload:
    return await mutation_payload(
        info,
        lambda conn: eiti.record_membership(conn, input),
        EitiMembershipPayload,
        eiti=EitiStatus,
    )


# --- Validations ---------------------------------------------------------------------------------


@strawberry.input(description="The assessment of one numbered EITI Requirement.")
class EitiRequirementAssessmentInput:
    requirement: str = strawberry.field(description="The Requirement's number, e.g. '1.3'.")
    level: EitiRequirementLevel = strawberry.field(description="On the Validation's scale.")


SCORE_HELP = "0-100; required under the scored model, refused under the progress model."


@strawberry.input(description="The published result of one EITI Validation.")
class EitiValidationRecordInput:
    id: strawberry.ID | None = strawberry.field(default=None, description=ID_HELP)
    country: str = strawberry.field(description=COUNTRY_HELP + " It must be an EITI country.")
    decided_on: date = strawberry.field(
        description="Date of the EITI Board's decision: the first of the month (precision "
        "MONTH) or 1 January (YEAR) when only that is known."
    )
    decided_on_precision: EitiDatePrecision = strawberry.field(
        default=EitiDatePrecision.DAY,
        description="How much of decidedOn is known (default DAY); never guess a day.",
    )
    board_decision: str | None = strawberry.field(
        default=None, description="The Board decision reference, e.g. '2024-18 / BM-59'."
    )
    standard: EitiStandardVersion = strawberry.field(
        description="EITI_2016 goes with the progress scale, the others with the scored one."
    )
    stakeholder_engagement: float | None = strawberry.field(default=None, description=SCORE_HELP)
    transparency: float | None = strawberry.field(default=None, description=SCORE_HELP)
    outcomes_and_impact: float | None = strawberry.field(default=None, description=SCORE_HELP)
    overall_score: float | None = strawberry.field(default=None, description=SCORE_HELP)
    effectiveness_points: float | None = strawberry.field(
        default=None,
        description="Additional points for effectiveness and sustainability (scored model).",
    )
    overall_assessment: EitiOverallAssessment
    requirements: list[EitiRequirementAssessmentInput] | None = strawberry.field(
        default=None,
        description="Per-Requirement assessments (replace the recorded ones on a correction).",
    )
    source_url: str = strawberry.field(
        description="The Board decision or country page (required, illustrative or not)."
    )
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type
class EitiValidationPayload:
    validation: EitiValidationType | None = strawberry.field(
        description="The Validation saved, under the scored model."
    )
    earlier_validation: EitiEarlierValidationType | None = strawberry.field(
        description="The Validation saved, under the progress model (2016 Standard)."
    )
    user_errors: list[UserError]


def _validation_payload(
    validation: EitiValidationType | EitiEarlierValidationType | None,
    user_errors: list[UserError],
) -> EitiValidationPayload:
    earlier = isinstance(validation, EitiEarlierValidationType)
    return EitiValidationPayload(
        validation=None if earlier else validation,  # type: ignore[arg-type]
        earlier_validation=validation if earlier else None,  # type: ignore[arg-type]
        user_errors=user_errors,
    )


def _validation_of(row: Any) -> EitiValidationType | EitiEarlierValidationType:
    if row.overall_assessment in PROGRESS_ASSESSMENTS:
        return from_row(EitiEarlierValidationType, row)
    return EitiValidationType.from_row(row)


@strawberry.mutation(
    description="Record an EITI Validation result (scored or progress model), or correct one."
)
async def eiti_validation_record(
    info: strawberry.Info, input: EitiValidationRecordInput
) -> EitiValidationPayload:
    return await mutation_payload(
        info,
        lambda conn: eiti.record_validation(conn, input),
        _validation_payload,
        validation=_validation_of,
    )


# --- Projects ------------------------------------------------------------------------------------


@strawberry.input(description="An oil, gas or mining project.")
class ExtractiveProjectRecordInput:
    id: strawberry.ID | None = strawberry.field(default=None, description=ID_HELP)
    country: str = strawberry.field(description=COUNTRY_HELP)
    name: str = strawberry.field(description="Unique in the country.")
    commodity: ExtractiveCommodity
    operator_id: strawberry.ID | None = strawberry.field(
        default=None, description="A PRIVATE_SECTOR or GOVERNMENT (state enterprise) Organization."
    )
    license_reference: str | None = None
    location: str | None = None
    operator_since: date | None = strawberry.field(
        default=None, description="The day the operator took over (operators change hands)."
    )
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type
class ExtractiveProjectPayload:
    project: ExtractiveProjectType | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record an extractive project, or correct one.")
async def project_record(
    info: strawberry.Info, input: ExtractiveProjectRecordInput
) -> ExtractiveProjectPayload:
    return await mutation_payload(
        info,
        lambda conn: services.record_project(conn, input),
        ExtractiveProjectPayload,
        project=ExtractiveProjectType,
    )


# --- Contract and license disclosures ------------------------------------------------------------


@strawberry.input(
    name="ExtractiveContractDisclosureRecordInput",
    description="A contract or license made public (EITI Requirement 2.4).",
)
class ContractDisclosureRecordInput:
    id: strawberry.ID | None = strawberry.field(default=None, description=ID_HELP)
    country: str = strawberry.field(description=COUNTRY_HELP)
    title: str
    kind: ExtractiveAgreementKind
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="A project in the same country."
    )
    signed_on: date | None = strawberry.field(default=None, description="Not after disclosedOn.")
    disclosed_on: date
    url: str = strawberry.field(description="Where the document is published; unique per country.")
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type(name="ExtractiveContractDisclosurePayload")
class ContractDisclosurePayload:
    contract_disclosure: ContractDisclosureType | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record a disclosed contract or license, or correct one.")
async def contract_disclosure_record(
    info: strawberry.Info, input: ContractDisclosureRecordInput
) -> ContractDisclosurePayload:
    return await mutation_payload(
        info,
        lambda conn: services.record_contract(conn, input),
        ContractDisclosurePayload,
        contract_disclosure=ContractDisclosureType,
    )


# --- Beneficial ownership ------------------------------------------------------------------------


@strawberry.input(description="A beneficial owner of a company (EITI Requirement 2.5).")
class BeneficialOwnerRecordInput:
    id: strawberry.ID | None = strawberry.field(default=None, description=ID_HELP)
    country: str = strawberry.field(description=COUNTRY_HELP + " The disclosing country.")
    company_id: strawberry.ID = strawberry.field(
        description="A PRIVATE_SECTOR or GOVERNMENT (state enterprise) Organization."
    )
    owner_name: str
    politically_exposed_person: bool
    ownership_percent: float | None = strawberry.field(
        default=None, description="Above 0, at most 100."
    )
    interest_since: date | None = strawberry.field(
        default=None, description="Not after disclosedOn."
    )
    disclosed_on: date
    source_url: str | None = strawberry.field(
        default=None,
        description="The declaration or register entry. " + provenance.SOURCE_URL_HELP,
    )
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type
class BeneficialOwnerPayload:
    beneficial_owner: BeneficialOwnershipDisclosureType | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record a disclosed beneficial owner, or correct one.")
async def beneficial_owner_record(
    info: strawberry.Info, input: BeneficialOwnerRecordInput
) -> BeneficialOwnerPayload:
    return await mutation_payload(
        info,
        lambda conn: services.record_owner(conn, input),
        BeneficialOwnerPayload,
        beneficial_owner=BeneficialOwnershipDisclosureType,
    )


MUTATION_FIELDS = [
    eiti_membership_record,
    eiti_validation_record,
    project_record,
    contract_disclosure_record,
    beneficial_owner_record,
]
