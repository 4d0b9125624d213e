"""Recording and correcting the area's data: every check, then the write, in one transaction.

Each `record_*` function takes its mutation's input object and runs inside the mutation's one
transaction (`core.mutation_payload`): it raises `Rejected` for an invalid input (nothing is
written), and returns the saved row. A record without `id` is new; with `id`
it replaces every field of that record (a correction). The database constraints (models.py)
back up the checks below; a concurrent duplicate that slips past them is reported through
`CONSTRAINT_ERRORS` (the plugin's `ogp_wg_constraint_errors` hook).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select
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
    pk_of,
    row_by_id,
    update_row,
    user_error,
)
from plugins.extractives.models import (
    PROGRESS_ASSESSMENTS,
    PROGRESS_LEVELS,
    SCORED_LEVELS,
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiCountryStatus,
    EitiMembership,
    EitiRequirementAssessment,
    EitiStandardVersion,
    EitiStatusChange,
    EitiValidation,
    ExtractiveProject,
)
from plugins.extractives.sourcing import check_sourcing, sourcing_error

if (
    TYPE_CHECKING
):  # the mutations' input objects, for annotations (mutations.py imports this module)
    from plugins.extractives.mutations import (
        BeneficialOwnerRecordInput,
        ContractDisclosureRecordInput,
        EitiMembershipRecordInput,
        EitiValidationRecordInput,
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
    **sourcing_error("extractives_eiti_status"),
    **sourcing_error("extractives_eiti_status_history"),
    **sourcing_error("extractives_validations"),
    **sourcing_error("extractives_projects"),
}
REQUIREMENT = re.compile(r"[1-9][0-9]?\.[1-9][0-9]?")  # a numbered Requirement: '1.3', '2.5'


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


# --- EITI membership ---------------------------------------------------------------------------


async def record_membership(conn: AsyncConnection, data: EitiMembershipRecordInput) -> Any:
    """Record a country's EITI membership and one dated status change (a Board decision), or
    correct them: the change of `statusSince` replaces the one of that date. The membership's
    current status is always its latest change, so recording an older change only fills in the
    history. Raises `Rejected` (DATES_OUT_OF_ORDER, SUSPENSION_REASON_REQUIRED,
    SUSPENSION_REASON_NOT_SUSPENDED, SOURCE_REQUIRED, INVALID_URL, DATE_IN_FUTURE, TOO_LONG,
    UNKNOWN_COUNTRY)."""
    checks = Checks()
    since = data.status_since or data.joined_on
    checks.order(
        data.joined_on,
        since,
        "statusSince",
        f"a status since {since}, before the country joined on {data.joined_on}",
    )
    if data.status is EitiCountryStatus.SUSPENDED and data.suspension_reason is None:
        checks.add(
            "SUSPENSION_REASON_REQUIRED", "a suspension needs its reason", "suspensionReason"
        )
    if data.status is not EitiCountryStatus.SUSPENDED and data.suspension_reason is not None:
        checks.add(
            "SUSPENSION_REASON_NOT_SUSPENDED",
            f"a country {data.status.value} has no suspension reason",
            "suspensionReason",
        )
    decision = checks.text(data.board_decision, "boardDecision", 100, required=False)
    url = check_sourcing(checks, data.source_url, data.retrieved_on, data.illustrative)
    checks.raise_if_any()
    cid = await country_id(conn, data.country)
    first_validation = (
        await conn.execute(
            select(func.min(EitiValidation.decided_on)).where(EitiValidation.country_id == cid)
        )
    ).scalar()
    first_change = (
        await conn.execute(
            select(func.min(EitiStatusChange.effective_on)).where(
                EitiStatusChange.country_id == cid, EitiStatusChange.effective_on != since
            )
        )
    ).scalar()
    events = [
        (d, what)
        for d, what in ((first_validation, "validated"), (first_change, "given a status"))
        if d
    ]
    if events:
        earliest, what = min(events)
        checks.order(
            data.joined_on,
            earliest,
            "joinedOn",
            f"the country was already {what} on {earliest}, before joining on {data.joined_on}",
        )
    checks.raise_if_any()
    sourcing = {
        "source_url": url,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    own = (
        await conn.execute(select(EitiMembership.id).where(EitiMembership.country_id == cid))
    ).first()
    membership = {
        "country_id": cid,
        "status": data.status,
        "suspension_reason": data.suspension_reason,
        "joined_on": data.joined_on,
        **sourcing,
    }
    saved = await _save(conn, EitiMembership, own, membership)
    change = (
        await conn.execute(
            select(EitiStatusChange.id).where(
                EitiStatusChange.country_id == cid, EitiStatusChange.effective_on == since
            )
        )
    ).first()
    await _save(
        conn,
        EitiStatusChange,
        change,
        {
            "country_id": cid,
            "status": data.status,
            "suspension_reason": data.suspension_reason,
            "effective_on": since,
            "board_decision": decision,
            **sourcing,
        },
    )
    latest = (
        await conn.execute(
            select(EitiStatusChange.status, EitiStatusChange.suspension_reason)
            .where(EitiStatusChange.country_id == cid)
            .order_by(EitiStatusChange.effective_on.desc())
            .limit(1)
        )
    ).one()
    if (latest.status, latest.suspension_reason) != (data.status, data.suspension_reason):
        # An older change was recorded: the current status stays the latest one.
        saved = await update_row(
            conn,
            EitiMembership,
            saved.id,
            status=latest.status,
            suspension_reason=latest.suspension_reason,
        )
    return saved


# --- Validations ---------------------------------------------------------------------------------


async def record_validation(conn: AsyncConnection, data: EitiValidationRecordInput) -> Any:
    """Record a Validation (scored model or the 2016 progress model) with its per-Requirement
    assessments, or correct one (its assessments are replaced). Raises `Rejected`."""
    own = None
    if data.id is not None:  # either kind of Validation's ID
        kind = EARLIER_VALIDATION if pk_of(data.id, EARLIER_VALIDATION) else VALIDATION
        own = await _existing(conn, EitiValidation, data.id, kind)
    checks = Checks()
    progress = data.overall_assessment in PROGRESS_ASSESSMENTS
    scores = {
        "stakeholderEngagement": data.stakeholder_engagement,
        "transparency": data.transparency,
        "outcomesAndImpact": data.outcomes_and_impact,
        "overallScore": data.overall_score,
    }
    for field, value in scores.items():
        if progress and value is not None:
            checks.add(
                "SCORES_NOT_IN_MODEL",
                f"the progress model ({data.overall_assessment.value}) has no {field}",
                field,
            )
        elif not progress and value is None:
            checks.add("REQUIRED", f"a scored Validation needs {field}", field)
        elif value is not None:
            checks.score(value, field)
    if data.effectiveness_points is not None:
        if progress:
            checks.add(
                "SCORES_NOT_IN_MODEL",
                "the progress model has no effectiveness points",
                "effectivenessPoints",
            )
        else:
            checks.in_range(
                data.effectiveness_points, "effectivenessPoints", 0, 100, "SCORE_OUT_OF_RANGE"
            )
    if progress and data.standard is not EitiStandardVersion.EITI_2016:
        checks.add(
            "ASSESSMENT_SCALE_MISMATCH",
            f"{data.overall_assessment.value} is on the progress scale of the 2016 Standard",
            "overallAssessment",
        )
    if not progress and data.standard is EitiStandardVersion.EITI_2016:
        checks.add(
            "ASSESSMENT_SCALE_MISMATCH",
            "Validations against the 2016 Standard were assessed on the progress scale",
            "overallAssessment",
        )
    requirements = _check_requirements(checks, data, progress)
    decision = checks.text(data.board_decision, "boardDecision", 100, required=False)
    if data.source_url is None or not data.source_url.strip():
        checks.add(
            "REQUIRED",
            "sourceUrl is required for every Validation (an illustrative one too)",
            "sourceUrl",
        )
    url = check_sourcing(checks, data.source_url, data.retrieved_on, data.illustrative)
    checks.raise_if_any()
    cid = await country_id(conn, data.country)
    joined_on = (
        await conn.execute(select(EitiMembership.joined_on).where(EitiMembership.country_id == cid))
    ).scalar()
    if joined_on is None:
        raise Rejected(
            user_error(
                "NOT_AN_EITI_COUNTRY",
                f"{data.country} has no EITI status: record it with eitiMembershipRecord first",
                "country",
            )
        )
    checks.order(
        joined_on,
        data.decided_on,
        "decidedOn",
        f"the Validation ({data.decided_on}) precedes the country's joining the EITI ({joined_on})",
    )
    checks.raise_if_any()
    await _unique(
        conn,
        EitiValidation,
        own,
        user_error(
            "DUPLICATE_VALIDATION",
            f"{data.country} already has a Validation decided on {data.decided_on}",
            "decidedOn",
        ),
        EitiValidation.country_id == cid,
        EitiValidation.decided_on == data.decided_on,
    )
    values = {
        "country_id": cid,
        "decided_on": data.decided_on,
        "board_decision": decision,
        "standard": data.standard,
        "stakeholder_engagement": data.stakeholder_engagement,
        "transparency": data.transparency,
        "outcomes_and_impact": data.outcomes_and_impact,
        "overall_score": data.overall_score,
        "effectiveness_points": data.effectiveness_points,
        "overall_assessment": data.overall_assessment,
        "source_url": url,
        "retrieved_on": data.retrieved_on,
        "illustrative": data.illustrative,
    }
    saved = await _save(conn, EitiValidation, own, values)
    assessments = EitiRequirementAssessment.__table__
    await conn.execute(delete(assessments).where(assessments.c.validation_id == saved.id))
    if requirements:
        await conn.execute(
            insert(assessments),
            [
                {"validation_id": saved.id, "requirement": number, "level": level}
                for number, level in requirements
            ],
        )
    return saved


def _check_requirements(
    checks: Checks, data: EitiValidationRecordInput, progress: bool
) -> list[tuple[str, Any]]:
    """The per-Requirement assessments to store: numbers like '1.3', each once, on the
    Validation's scale (INVALID_REQUIREMENT, DUPLICATE_REQUIREMENT, ASSESSMENT_SCALE_MISMATCH)."""
    allowed = PROGRESS_LEVELS if progress else SCORED_LEVELS
    seen: set[str] = set()
    result = []
    for index, item in enumerate(data.requirements or []):
        number = item.requirement.strip()
        path = ("requirements", str(index))
        if not REQUIREMENT.fullmatch(number):
            checks.add(
                "INVALID_REQUIREMENT",
                f"{item.requirement!r} is not a Requirement number such as '1.3'",
                *path,
                "requirement",
            )
        elif number in seen:
            checks.add("DUPLICATE_REQUIREMENT", f"Requirement {number} is assessed twice", *path)
        if item.level not in allowed:
            model = "progress" if progress else "scored"
            checks.add(
                "ASSESSMENT_SCALE_MISMATCH",
                f"{item.level.value} is not on the {model} model's scale",
                *path,
                "level",
            )
        seen.add(number)
        result.append((number, item.level))
    return result


# --- Projects ------------------------------------------------------------------------------------


async def record_project(conn: AsyncConnection, data: ExtractiveProjectRecordInput) -> Any:
    own = await _existing(conn, ExtractiveProject, data.id, PROJECT)
    checks = Checks()
    checks.text(data.name, "name", 300)
    checks.text(data.license_reference, "licenseReference", 100, required=False)
    checks.text(data.location, "location", 300, required=False)
    if data.operator_since is not None and data.operator_id is None:
        checks.add("OPERATOR_REQUIRED", "operatorSince needs the operator", "operatorSince")
    url = check_sourcing(checks, data.source_url, data.retrieved_on, data.illustrative)
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
    checks.url(_blank_to_none(data.source_url), "sourceUrl")
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
        "source_url": _blank_to_none(data.source_url),
    }
    return await _save(conn, BeneficialOwnershipDisclosure, own, values)
