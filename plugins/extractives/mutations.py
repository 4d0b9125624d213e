"""Root mutations of the extractive industry transparency area.

Each takes one input object and returns a payload with the saved object and `userErrors`; the
checks and the write run in one transaction (`core.mutation_payload`), so a rejected input writes
nothing. The `*Record` mutations both record and correct: without `id` they add a record, with
the `id` of an existing one they replace all its fields.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import strawberry

from core import UserError, mutation_payload
from plugins.extractives import services
from plugins.extractives.models import (
    EitiCountryStatus,
    EitiOverallAssessment,
    EitiStandardVersion,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
)
from plugins.extractives.types import (
    BeneficialOwnershipDisclosureType,
    ContractDisclosureType,
    EitiStatus,
    EitiValidationType,
    ExtractiveProjectType,
)

T = TypeVar("T")

ID_HELP = "Omit to record a new one; the ID of an existing one to correct it (all fields replaced)."
COUNTRY_HELP = "ISO 3166-1 alpha-2 or alpha-3 code of an OGP country."


# --- EITI membership -----------------------------------------------------------------------------


@strawberry.input(description="A country's status in the EITI; recording it again corrects it.")
class EitiMembershipRecordInput:
    country: str = strawberry.field(description=COUNTRY_HELP)
    status: EitiCountryStatus
    joined_on: date = strawberry.field(description="Not after the country's first Validation.")


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
        lambda conn: services.record_membership(
            conn, country=input.country, status=input.status, joined_on=input.joined_on
        ),
        EitiMembershipPayload,
        eiti=EitiStatus,
    )


# --- Validations ---------------------------------------------------------------------------------


@strawberry.input(description="The published result of one EITI Validation.")
class EitiValidationRecordInput:
    id: strawberry.ID | None = strawberry.field(default=None, description=ID_HELP)
    country: str = strawberry.field(description=COUNTRY_HELP + " It must be an EITI country.")
    decided_on: date = strawberry.field(description="Date of the EITI Board's decision.")
    standard: EitiStandardVersion
    stakeholder_engagement: float = strawberry.field(description="Component score, 0-100.")
    transparency: float = strawberry.field(description="Component score, 0-100.")
    outcomes_and_impact: float = strawberry.field(description="Component score, 0-100.")
    overall_score: float = strawberry.field(description="Overall score, 0-100.")
    overall_assessment: EitiOverallAssessment
    source_url: str = strawberry.field(description="The Board decision or country page.")


@strawberry.type
class EitiValidationPayload:
    validation: EitiValidationType | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record an EITI Validation result, or correct one.")
async def eiti_validation_record(
    info: strawberry.Info, input: EitiValidationRecordInput
) -> EitiValidationPayload:
    return await mutation_payload(
        info,
        lambda conn: services.record_validation(conn, input),
        EitiValidationPayload,
        validation=EitiValidationType,
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
    source_url: str | None = None


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
