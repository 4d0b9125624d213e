"""Recording and correcting the area's data: every check, then the write, in one transaction.

Each `record_*` function takes its mutation's input object and runs inside the mutation's one
transaction (`core.mutation_payload`): it raises `Rejected` for an invalid input (nothing is
written), and returns the saved row. A record without `id` is new; with `id`
it replaces every field of that record (a correction). The database constraints (models.py)
back up the checks below; a concurrent duplicate that slips past them is reported through
`CONSTRAINT_ERRORS` (the plugin's `ogp_wg_constraint_errors` hook).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import (
    ConstraintError,
    Rejected,
    UserError,
    UserErrors,
    country_id,
    enums,
    id_of,
    insert_row,
    models,
    provenance,
    row_by_id,
    update_row,
    user_error,
)
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    ExtractiveProject,
)

if (
    TYPE_CHECKING
):  # the mutations' input objects, for annotations (mutations.py imports this module)
    from plugins.extractives.mutations import (
        BeneficialOwnerRecordInput,
        ContractDisclosureRecordInput,
        ExtractiveProjectRecordInput,
    )

# Global ID type names of the records (see types.py).
VALIDATION = "EitiValidation"
EARLIER_VALIDATION = "EitiEarlierValidation"
PROJECT = "ExtractiveProject"
CONTRACT = "ExtractiveContractDisclosure"
OWNER = "BeneficialOwnershipDisclosure"

# Operators and companies are organisations of these kinds (state-owned enterprises: GOVERNMENT).
COMPANY_KINDS = (enums.OrganizationKind.PRIVATE_SECTOR, enums.OrganizationKind.GOVERNMENT)

# Constraint name -> the user error a concurrent write that slips past the checks gets.
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_extractives_eiti_status_country_id": ConstraintError(
        "DUPLICATE_EITI_MEMBERSHIP",
        "the country's EITI status was recorded at the same time; try again",
        "country",
    ),
    "uq_extractives_validations_country_id_decided_on": ConstraintError(
        "DUPLICATE_VALIDATION",
        "this country already has a Validation decided on that date",
        "decidedOn",
    ),
    "uq_extractives_projects_country_id_name": ConstraintError(
        "DUPLICATE_PROJECT", "this country already has a project of that name", "name"
    ),
    "uq_extractives_contract_disclosures_country_id_url": ConstraintError(
        "DUPLICATE_CONTRACT_DISCLOSURE",
        "this document is already recorded for this country",
        "url",
    ),
    "uq_extractives_beneficial_owners_disclosure": ConstraintError(
        "DUPLICATE_BENEFICIAL_OWNER",
        "this owner of this company is already recorded for that disclosure date",
        "ownerName",
    ),
    "uq_extractives_eiti_status_history_country_id_effective_on": ConstraintError(
        "DUPLICATE_STATUS_CHANGE",
        "a status change of this country on that date was recorded at the same time",
        "statusSince",
    ),
    "uq_extractives_requirement_assessments_validation_id_requirement": ConstraintError(
        "DUPLICATE_REQUIREMENT", "a Requirement is assessed twice", "requirements"
    ),
    **provenance.sourcing_error("extractives_eiti_status"),
    **provenance.sourcing_error("extractives_eiti_status_history"),
    **provenance.sourcing_error("extractives_validations"),
    **provenance.sourcing_error("extractives_projects"),
    **provenance.sourcing_error("extractives_contract_disclosures"),
    **provenance.sourcing_error("extractives_beneficial_owners"),
}


# --- Checks of the input alone -------------------------------------------------------------------


class Checks(UserErrors):
    """The core's collector of user errors (every problem of an input, so the user sees them all
    at once), with this area's two checks of its own."""

    def score(self, value: float, field: str) -> None:
        """A Validation score: points out of 100."""
        self.in_range(value, field, 0, 100, "SCORE_OUT_OF_RANGE")

    def order(self, earlier: date | None, later: date | None, field: str, message: str) -> None:
        if earlier is not None and later is not None and earlier > later:
            self.add("DATES_OUT_OF_ORDER", message, field)


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


# --- Look-ups ------------------------------------------------------------------------------------


async def _existing(
    conn: AsyncConnection, model: Any, global_id: str | None, type_name: str
) -> Any:
    """The record being corrected (None for a new record); NOT_FOUND at `id` if there is none."""
    if global_id is None:
        return None
    return await row_by_id(conn, model, global_id, type_name, for_update=False)


async def _company(conn: AsyncConnection, global_id: str, field: str, code: str) -> int:
    """An organisation that can operate a project or have beneficial owners."""
    pk = id_of(global_id, "Organization", field)
    org = models.Organization
    row = (await conn.execute(select(org.id, org.kind).where(org.id == pk))).first()
    if row is None:
        raise Rejected(user_error("NOT_FOUND", f"no Organization with id {global_id!r}", field))
    if row.kind not in COMPANY_KINDS:
        message = f"a {row.kind} organisation is neither a company nor a state enterprise"
        raise Rejected(user_error(code, message, field))
    return row.id


async def _unique(
    conn: AsyncConnection, model: Any, own: Any, error: UserError, *where: Any
) -> None:
    """Reject when another record (not `own`, the one being corrected) has the same natural key."""
    stmt = select(model.id).where(*where)
    if own is not None:
        stmt = stmt.where(model.id != own.id)
    if (await conn.execute(stmt.limit(1))).first() is not None:
        raise Rejected(error)


async def _save(conn: AsyncConnection, model: Any, own: Any, values: dict[str, Any]) -> Any:
    """A new row, or `own` (the record being corrected) with every field replaced."""
    if own is None:
        return await insert_row(conn, model, **values)
    return await update_row(conn, model, own.id, **values)


# --- Projects ------------------------------------------------------------------------------------


async def record_project(conn: AsyncConnection, data: ExtractiveProjectRecordInput) -> Any:
    own = await _existing(conn, ExtractiveProject, data.id, PROJECT)
    checks = Checks()
    checks.text(data.name, "name", 300)
    checks.text(data.license_reference, "licenseReference", 100, required=False)
    checks.text(data.location, "location", 300, required=False)
    if data.operator_since is not None and data.operator_id is None:
        checks.add("OPERATOR_REQUIRED", "operatorSince needs the operator", "operatorSince")
    url = provenance.check_sourcing(checks, data.source_url, data.retrieved_on, data.illustrative)
    checks.raise_if_any()
    cid = await country_id(conn, data.country)
    operator = None
    if data.operator_id is not None:
        operator = await _company(conn, data.operator_id, "operatorId", "INVALID_OPERATOR")
    name = data.name.strip()
    await _unique(
        conn,
        ExtractiveProject,
        own,
        user_error("DUPLICATE_PROJECT", f"{data.country} already has a project {name!r}", "name"),
        ExtractiveProject.country_id == cid,
        ExtractiveProject.name == name,
    )
    if own is not None and own.country_id != cid:
        await _no_disclosures_elsewhere(conn, own.id, cid)
    values = {
        "country_id": cid,
        "name": name,
        "commodity": data.commodity,
        "operator_id": operator,
        "license_reference": _blank_to_none(data.license_reference),
        "location": _blank_to_none(data.location),
        "operator_since": data.operator_since,
        "source_url": url,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    return await _save(conn, ExtractiveProject, own, values)


async def _no_disclosures_elsewhere(conn: AsyncConnection, project: int, country: int) -> None:
    """A disclosure linked to a project is in the project's country: moving the project to
    another country must not leave its disclosures behind."""
    stmt = select(func.count()).where(
        ContractDisclosure.project_id == project, ContractDisclosure.country_id != country
    )
    linked = (await conn.execute(stmt)).scalar_one()
    if linked:
        raise Rejected(
            user_error(
                "PROJECT_COUNTRY_MISMATCH",
                f"{linked} contract disclosure(s) of this project are recorded for its current "
                "country: correct them first",
                "country",
            )
        )


# --- Contract and license disclosures ------------------------------------------------------------


async def record_contract(conn: AsyncConnection, data: ContractDisclosureRecordInput) -> Any:
    own = await _existing(conn, ContractDisclosure, data.id, CONTRACT)
    checks = Checks()
    checks.text(data.title, "title", 300)
    checks.url(data.url, "url")
    checks.order(
        data.signed_on,
        data.disclosed_on,
        "signedOn",
        f"signed on {data.signed_on}, after its disclosure on {data.disclosed_on}",
    )
    source = provenance.check_sourcing(
        checks, data.source_url, data.retrieved_on, data.illustrative
    )
    checks.raise_if_any()
    cid = await country_id(conn, data.country)
    project = None
    if data.project_id is not None:
        project = await _existing_project(conn, data.project_id)
        if project.country_id != cid:
            raise Rejected(
                user_error(
                    "PROJECT_COUNTRY_MISMATCH",
                    f"the project is not in {data.country}",
                    "projectId",
                )
            )
    url = data.url.strip()
    await _unique(
        conn,
        ContractDisclosure,
        own,
        user_error(
            "DUPLICATE_CONTRACT_DISCLOSURE",
            f"{url} is already recorded for {data.country}",
            "url",
        ),
        ContractDisclosure.country_id == cid,
        ContractDisclosure.url == url,
    )
    values = {
        "country_id": cid,
        "project_id": project and project.id,
        "title": data.title.strip(),
        "kind": data.kind,
        "signed_on": data.signed_on,
        "disclosed_on": data.disclosed_on,
        "url": url,
        "source_url": source,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    return await _save(conn, ContractDisclosure, own, values)


async def _existing_project(conn: AsyncConnection, global_id: str) -> Any:
    return await row_by_id(
        conn, ExtractiveProject, global_id, PROJECT, "projectId", for_update=False
    )


# --- Beneficial ownership ------------------------------------------------------------------------


async def record_owner(conn: AsyncConnection, data: BeneficialOwnerRecordInput) -> Any:
    own = await _existing(conn, BeneficialOwnershipDisclosure, data.id, OWNER)
    checks = Checks()
    checks.text(data.owner_name, "ownerName", 300)
    if data.ownership_percent is not None and not 0 < data.ownership_percent <= 100:
        checks.add(
            "PERCENT_OUT_OF_RANGE",
            f"ownershipPercent must be above 0 and at most 100, got {data.ownership_percent}",
            "ownershipPercent",
        )
    checks.order(
        data.interest_since,
        data.disclosed_on,
        "interestSince",
        f"interest held since {data.interest_since}, after its disclosure on {data.disclosed_on}",
    )
    source = provenance.check_sourcing(
        checks, data.source_url, data.retrieved_on, data.illustrative
    )
    checks.raise_if_any()
    cid = await country_id(conn, data.country)
    company = await _company(conn, data.company_id, "companyId", "INVALID_COMPANY")
    owner_name = data.owner_name.strip()
    await _unique(
        conn,
        BeneficialOwnershipDisclosure,
        own,
        user_error(
            "DUPLICATE_BENEFICIAL_OWNER",
            f"{owner_name!r} is already recorded as an owner of this company on "
            f"{data.disclosed_on}",
            "ownerName",
        ),
        BeneficialOwnershipDisclosure.country_id == cid,
        BeneficialOwnershipDisclosure.company_id == company,
        BeneficialOwnershipDisclosure.owner_name == owner_name,
        BeneficialOwnershipDisclosure.disclosed_on == data.disclosed_on,
    )
    values = {
        "country_id": cid,
        "company_id": company,
        "owner_name": owner_name,
        "politically_exposed": data.politically_exposed_person,
        "ownership_percent": data.ownership_percent,
        "interest_since": data.interest_since,
        "disclosed_on": data.disclosed_on,
        "source_url": source,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    return await _save(conn, BeneficialOwnershipDisclosure, own, values)
