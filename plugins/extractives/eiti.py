"""Recording and correcting EITI memberships (with their dated status history) and Validations
(scored or progress model, with per-Requirement assessments).

Each function takes its mutation's input object and runs inside the mutation's one transaction
(`core.mutation_payload`): it raises `Rejected` for an invalid input (nothing is written), and
returns the saved row. The shared checks and writes are services.py's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import Rejected, country_id, pk_of, provenance, update_row, user_error
from plugins.extractives.models import (
    PROGRESS_ASSESSMENTS,
    PROGRESS_LEVELS,
    SCORED_LEVELS,
    EitiCountryStatus,
    EitiDatePrecision,
    EitiMembership,
    EitiRequirementAssessment,
    EitiStandardVersion,
    EitiStatusChange,
    EitiStatusChangeReason,
    EitiStatusReason,
    EitiValidation,
)
from plugins.extractives.services import (
    EARLIER_VALIDATION,
    VALIDATION,
    Checks,
    _existing,
    _save,
    _unique,
)

if TYPE_CHECKING:  # the mutations' input objects (mutations.py imports this module)
    from plugins.extractives.mutations import EitiMembershipRecordInput, EitiValidationRecordInput

REQUIREMENT = re.compile(r"[1-9][0-9]?\.[1-9][0-9]?")  # a numbered Requirement: '1.3', '2.5'


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
    reasons = list(
        dict.fromkeys(
            [
                *(data.suspension_reasons or []),
                *([data.suspension_reason] if data.suspension_reason else []),
            ]
        )
    )
    checks.order(
        data.joined_on,
        since,
        "statusSince",
        f"a status since {since}, before the country joined on {data.joined_on}",
    )
    if data.status is EitiCountryStatus.SUSPENDED and not reasons:
        checks.add(
            "SUSPENSION_REASON_REQUIRED", "a suspension needs its reason", "suspensionReason"
        )
    if data.status is not EitiCountryStatus.SUSPENDED and reasons:
        checks.add(
            "SUSPENSION_REASON_NOT_SUSPENDED",
            f"a country {data.status.value} has no suspension reason",
            "suspensionReason",
        )
    decision = checks.text(data.board_decision, "boardDecision", 100, required=False)
    url = provenance.check_sourcing(checks, data.source_url, data.retrieved_on, data.illustrative)
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
    saved_change = await _save(
        conn,
        EitiStatusChange,
        change,
        {
            "country_id": cid,
            "status": data.status,
            "effective_on": since,
            "board_decision": decision,
            **sourcing,
        },
    )
    await _replace_reasons(
        conn, EitiStatusChangeReason, "status_change_id", saved_change.id, reasons
    )
    latest = (
        await conn.execute(
            select(EitiStatusChange.id, EitiStatusChange.status)
            .where(EitiStatusChange.country_id == cid)
            .order_by(EitiStatusChange.effective_on.desc())
            .limit(1)
        )
    ).one()
    if latest.id != saved_change.id:
        # An older change was recorded: the current status stays the latest one.
        saved = await update_row(conn, EitiMembership, saved.id, status=latest.status)
        reasons = list(
            (
                await conn.execute(
                    select(EitiStatusChangeReason.reason)
                    .where(EitiStatusChangeReason.status_change_id == latest.id)
                    .order_by(EitiStatusChangeReason.id)
                )
            ).scalars()
        )
    await _replace_reasons(conn, EitiStatusReason, "country_id", cid, reasons)
    return saved


async def _replace_reasons(
    conn: AsyncConnection, model: Any, key: str, parent: int, reasons: list[Any]
) -> None:
    """Make `reasons` (in order) the suspension reasons of the status `parent`."""
    table = model.__table__
    await conn.execute(delete(table).where(table.c[key] == parent))
    if reasons:
        await conn.execute(insert(table), [{key: parent, "reason": r} for r in reasons])


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
    precision = data.decided_on_precision
    if (precision is EitiDatePrecision.MONTH and data.decided_on.day != 1) or (
        precision is EitiDatePrecision.YEAR
        and (data.decided_on.month, data.decided_on.day) != (1, 1)
    ):
        first = "the first of the month" if precision is EitiDatePrecision.MONTH else "1 January"
        checks.add(
            "DATE_PRECISION_MISMATCH",
            f"a date known to the {precision.value.lower()} only is given as {first}",
            "decidedOn",
        )
    decision = checks.text(data.board_decision, "boardDecision", 100, required=False)
    if data.source_url is None or not data.source_url.strip():
        checks.add(
            "REQUIRED",
            "sourceUrl is required for every Validation (an illustrative one too)",
            "sourceUrl",
        )
    url = provenance.check_sourcing(checks, data.source_url, data.retrieved_on, data.illustrative)
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
        "decided_on_precision": precision,
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
