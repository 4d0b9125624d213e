"""Batch loaders of the extractive industry transparency area: one statement per query level.

Every related object is read by a `@relation` loader (types.py): `load(ctx, keys, **arguments)`
reads the rows of ALL the parents of a level in one statement, never one per object, and returns
one value per key, in key order. The `*_by_id` loaders serve `node(id:)`. Rows become the GraphQL
objects of `types.py` directly (no ORM objects). The plain relations are declared
(`core.rows_by_key`, `core.rows_grouped_by`: table, key, order); the others are functions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import exists, true

from core import GROUP_COUNTRIES, Context, models, rows_by_key, rows_grouped_by
from core import types as core_types
from plugins.extractives.models import (
    PROGRESS_ASSESSMENTS,
    SCORED_ASSESSMENTS,
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiMembership,
    EitiRequirementAssessment,
    EitiStatusChange,
    EitiStatusChangeReason,
    EitiStatusReason,
    EitiValidation,
    ExtractiveProject,
)

T = TypeVar("T")


# --- EITI membership and Validation --------------------------------------------------------------


# Scored-model Validations (from 2021) are `EitiValidation`s; the progress-model ones (2016
# Standard) are `EitiEarlierValidation`s: one table, told apart by the assessment's scale.
SCORED = EitiValidation.overall_assessment.in_(SCORED_ASSESSMENTS)
EARLIER = EitiValidation.overall_assessment.in_(PROGRESS_ASSESSMENTS)

load_validations_by_country = rows_grouped_by(
    EitiValidation.country_id,
    lambda: types.EitiValidationType,
    order_by=(EitiValidation.decided_on.desc(),),  # one Validation per country and date
    where=SCORED,
)
load_earlier_validations_by_country = rows_grouped_by(
    EitiValidation.country_id,
    lambda: types.EitiEarlierValidationType,
    order_by=(EitiValidation.decided_on.desc(),),
    where=EARLIER,
)
load_requirements_by_validation = rows_grouped_by(
    EitiRequirementAssessment.validation_id,
    lambda: types.EitiRequirementAssessmentType,
    order_by=(EitiRequirementAssessment.requirement, EitiRequirementAssessment.id),
)
load_status_history_by_country = rows_grouped_by(
    EitiStatusChange.country_id,
    lambda: types.EitiStatusChangeType,
    order_by=(EitiStatusChange.effective_on.desc(),),  # one change per country and date
)
load_eiti_by_country = rows_by_key(EitiMembership.country_id, lambda: types.EitiStatus)
# Suspension reasons, in the order recorded (lists of the enum values, not objects).
load_reasons_by_membership = rows_grouped_by(
    EitiStatusReason.country_id,
    order_by=(EitiStatusReason.id,),
    build=lambda row: row.reason,
)
load_reasons_by_status_change = rows_grouped_by(
    EitiStatusChangeReason.status_change_id,
    order_by=(EitiStatusChangeReason.id,),
    build=lambda row: row.reason,
)


load_first_reason_by_membership = rows_by_key(
    EitiStatusReason.country_id, order_by=(EitiStatusReason.id,), build=lambda row: row.reason
)
"""The first recorded reason of each membership (the deprecated `suspensionReason`)."""
load_first_reason_by_status_change = rows_by_key(
    EitiStatusChangeReason.status_change_id,
    order_by=(EitiStatusChangeReason.id,),
    build=lambda row: row.reason,
)
"""The first recorded reason of each status change (the deprecated `suspensionReason`)."""


# --- Projects, contract and license disclosures (EITI Requirement 2.4) -------------------------


load_projects = rows_by_key(ExtractiveProject.id, lambda: types.ExtractiveProjectType)
load_contracts_by_project = rows_grouped_by(
    ContractDisclosure.project_id,
    lambda: types.ContractDisclosureType,
    order_by=(ContractDisclosure.disclosed_on, ContractDisclosure.id),
)


# --- Beneficial ownership (EITI Requirement 2.5) -------------------------------------------------


def _pep_only(ctx: Context, pep_only: bool) -> Any:
    """`pepOnly: true` keeps the politically exposed persons; false (the default) keeps all."""
    return BeneficialOwnershipDisclosure.politically_exposed.is_(True) if pep_only else true()


load_owners_by_company = rows_grouped_by(
    BeneficialOwnershipDisclosure.company_id,
    lambda: types.BeneficialOwnershipDisclosureType,
    order_by=(
        BeneficialOwnershipDisclosure.disclosed_on.desc(),
        BeneficialOwnershipDisclosure.owner_name,
        BeneficialOwnershipDisclosure.id,
    ),
    filters={"pep_only": _pep_only},
)


# --- The group type ------------------------------------------------------------------------------


load_eiti_countries_by_group = rows_grouped_by(
    models.Country.id,
    lambda: core_types.Country,
    where=exists().where(EitiMembership.country_id == models.Country.id),
    order_by=(models.Country.name, models.Country.id),
    through=(GROUP_COUNTRIES.c.group_id, GROUP_COUNTRIES.c.country_id),
)
"""The EITI countries among the countries of each group's anchors and members."""


# --- By primary key, for node(id:) -------------------------------------------------------------


validations_by_id = rows_by_key(EitiValidation.id, lambda: types.EitiValidationType, where=SCORED)
earlier_validations_by_id = rows_by_key(
    EitiValidation.id, lambda: types.EitiEarlierValidationType, where=EARLIER
)
contracts_by_id = rows_by_key(ContractDisclosure.id, lambda: types.ContractDisclosureType)
owners_by_id = rows_by_key(
    BeneficialOwnershipDisclosure.id, lambda: types.BeneficialOwnershipDisclosureType
)


# Named loaders of the `ogp_wg_loaders` hook.
LOADERS: dict[str, Any] = {"extractives_eiti_by_country": load_eiti_by_country}

# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.extractives import types  # noqa: E402
