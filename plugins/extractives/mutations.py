"""Root mutations of the extractive industry transparency area.

Each takes one input object and returns a payload with the saved object and `userErrors`; the
checks and the write run in one transaction (`core.in_transaction`), so a rejected input writes
nothing. The `*Record` mutations both record and correct: without `id` they add a record, with
the `id` of an existing one they replace all its fields.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

import strawberry

from core import UserError, in_transaction, prefetched
from plugins.extractives import services
from plugins.extractives.models import (
    EitiCountryStatus,
    EitiOverallAssessment,
    EitiStandardVersion,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
)
from plugins.extractives.schema import (
    BeneficialOwnershipDisclosureType,
    ContractDisclosureType,
    EitiStatus,
    EitiValidationType,
    ExtractiveProjectType,
)

T = TypeVar("T")

ID_HELP = "Omit to record a new one; the ID of an existing one to correct it (all fields replaced)."
COUNTRY_HELP = "ISO 3166-1 alpha-2 or alpha-3 code of an OGP country."


def _plain(data: Any, cls: type[T]) -> T:
    """The service's input dataclass from the GraphQL input object (same field names)."""
    return cls(**{f.name: getattr(data, f.name) for f in fields(cls)})  # type: ignore[arg-type]


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
    row, errors = await in_transaction(
        info.context,
        lambda conn: services.record_membership(
            conn, country=input.country, status=input.status, joined_on=input.joined_on
        ),
    )
    eiti = row and EitiStatus.from_row(row)
    return await prefetched(info, EitiMembershipPayload(eiti=eiti, user_errors=errors))


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
    data = _plain(input, services.ValidationInput)
    row, errors = await in_transaction(
        info.context, lambda conn: services.record_validation(conn, data)
    )
    validation = row and EitiValidationType.from_row(row)
    return await prefetched(info, EitiValidationPayload(validation=validation, user_errors=errors))


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
    data = _plain(input, services.ProjectInput)
    row, errors = await in_transaction(
        info.context, lambda conn: services.record_project(conn, data)
    )
    project = row and ExtractiveProjectType.from_row(row)
    return await prefetched(info, ExtractiveProjectPayload(project=project, user_errors=errors))


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
    data = _plain(input, services.ContractInput)
    row, errors = await in_transaction(
        info.context, lambda conn: services.record_contract(conn, data)
    )
    disclosure = row and ContractDisclosureType.from_row(row)
    return await prefetched(
        info, ContractDisclosurePayload(contract_disclosure=disclosure, user_errors=errors)
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
    data = _plain(input, services.OwnerInput)
    row, errors = await in_transaction(info.context, lambda conn: services.record_owner(conn, data))
    owner = row and BeneficialOwnershipDisclosureType.from_row(row)
    return await prefetched(
        info, BeneficialOwnerPayload(beneficial_owner=owner, user_errors=errors)
    )


MUTATIONS = [
    eiti_membership_record,
    eiti_validation_record,
    project_record,
    contract_disclosure_record,
    beneficial_owner_record,
]
