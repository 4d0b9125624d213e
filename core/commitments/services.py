"""The writes of the commitments domain, each in the caller's transaction (core.transactions):
record an action plan, add and edit commitments (themes, milestones), move a milestone's
status, record the IRM's assessment (linking a commitment and a working group: links.py).

Every check answers a user error before the database would refuse; the database's constraints
(core/commitments/models.py, core_0015) hold the same rules for a writer that skips them, and
CONSTRAINT_ERRORS maps each to the same code. Who may call which: core/commitments/access.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.auth import Viewer
from core.commitments.models import (
    FIRST_COHORT,
    ActionPlan,
    Commitment,
    CommitmentTopic,
    Completion,
    DidItOpenGovernment,
    IrmAssessment,
    Milestone,
    MilestoneStatus,
    PotentialForResults,
    PotentialImpact,
)
from core.db import utcnow
from core.errors import Rejected, user_error
from core.topics import MAX_TOPICS, invalid_topics, normalise_topics
from core.transactions import ConstraintError
from core.validation import UserErrors, row_by_id

TITLE_MAX, PLAN_TITLE_MAX, DESCRIPTION_MAX = 500, 300, 20_000
REFERENCE_MAX, INSTITUTION_MAX, SOURCE_TITLE_MAX, URL_MAX = 32, 300, 300, 2000
MAX_MILESTONES = 50
LAST_COHORT = 2100
KEEP: Any = object()
"""An optional field left out of an update: kept as it is (None clears it)."""

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "ck_action_plans_cycle_order": ConstraintError(
        "INVALID_CYCLE", "cycleEnd must be after cycleStart", "cycleEnd"
    ),
    "ck_action_plans_cohort_range": ConstraintError(
        "OUT_OF_RANGE", f"cohort is a year from {FIRST_COHORT} (OGP's founding)", "cohort"
    ),
    "ck_action_plans_sourced_or_illustrative": ConstraintError(
        "SOURCE_REQUIRED", "an action plan that is not illustrative needs sourceUrl", "sourceUrl"
    ),
    "ck_commitments_sourced_or_illustrative": ConstraintError(
        "SOURCE_REQUIRED", "a commitment that is not illustrative needs sourceUrl", "sourceUrl"
    ),
    "uq_action_plans_country_id_cycle_start": ConstraintError(
        "ACTION_PLAN_EXISTS",
        "the country already has an action plan starting that day",
        "cycleStart",
    ),
    "uq_commitments_action_plan_id_reference": ConstraintError(
        "DUPLICATE_REFERENCE",
        "the action plan already has a commitment with that reference",
        "reference",
    ),
    "ck_commitments_plan_fixed": ConstraintError(
        "CONSTRAINT_VIOLATION", "a commitment stays in the action plan it was made in", "id"
    ),
    "ck_commitment_topics_topic": ConstraintError(
        "INVALID_TOPIC", "a theme is a topic slug, e.g. 'beneficial-ownership'", "themes"
    ),
    "ck_irm_assessments_one_potential_scale": ConstraintError(
        "TWO_POTENTIAL_SCALES",
        "an assessment rates potentialForResults or potentialImpact, not both",
        "potentialImpact",
    ),
    "ck_irm_assessments_sourced_or_illustrative": ConstraintError(
        "SOURCE_REQUIRED", "an assessment that is not illustrative needs sourceUrl", "sourceUrl"
    ),
}


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: date | None = None
    status: MilestoneStatus = MilestoneStatus.NOT_STARTED


@dataclass(frozen=True)
class Assessment:
    """The IRM's ratings of one commitment (None: not rated on that scale)."""

    verifiable: bool | None
    access_to_information: bool
    civic_participation: bool
    public_accountability: bool
    technology_and_innovation: bool
    potential_for_results: PotentialForResults | None
    potential_impact: PotentialImpact | None
    completion: Completion | None
    did_it_open_government: DidItOpenGovernment | None
    source_title: str
    source_url: str | None
    illustrative: bool


def _themes(errors: UserErrors, themes: Sequence[str]) -> list[str]:
    topics = normalise_topics(themes)
    bad = invalid_topics(topics)
    if bad:
        errors.add("INVALID_TOPIC", f"not topic slugs: {', '.join(bad)}", "themes")
    if len(topics) > MAX_TOPICS:
        errors.add("TOO_MANY", f"at most {MAX_TOPICS} themes", "themes")
    return topics


def _milestones(errors: UserErrors, milestones: Sequence[MilestoneInput]) -> list[MilestoneInput]:
    if len(milestones) > MAX_MILESTONES:
        errors.add("TOO_MANY", f"at most {MAX_MILESTONES} milestones", "milestones")
    kept = []
    for i, m in enumerate(milestones):
        title = m.title.strip()
        if not title:
            errors.add("REQUIRED", "a milestone's title must not be blank", "milestones", str(i))
        elif len(title) > TITLE_MAX:
            message = f"a milestone's title is longer than {TITLE_MAX} characters"
            errors.add("TOO_LONG", message, "milestones", str(i))
        kept.append(MilestoneInput(title, m.due_on, m.status))
    return kept


async def create_action_plan(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    country: str,
    title: str,
    cycle_start: date,
    cycle_end: date,
    cohort: int,
    submitted_on: date | None,
    source_url: str | None,
    illustrative: bool,
) -> Any:
    """Insert a plan; returns its row. Errors: UNKNOWN_COUNTRY, REQUIRED/TOO_LONG (title),
    INVALID_CYCLE, OUT_OF_RANGE (cohort), INVALID_URL, SOURCE_REQUIRED, ACTION_PLAN_EXISTS."""
    errors = UserErrors()
    country_pk = await errors.country(conn, country)
    clean_title = errors.text(title, "title", PLAN_TITLE_MAX)
    if cycle_end <= cycle_start:
        errors.add("INVALID_CYCLE", "cycleEnd must be after cycleStart", "cycleEnd")
    errors.in_range(cohort, "cohort", FIRST_COHORT, LAST_COHORT)
    url = errors.url(source_url, "sourceUrl", URL_MAX)
    if not illustrative and url is None:
        errors.add(
            "SOURCE_REQUIRED",
            "an action plan that is not illustrative needs sourceUrl",
            "sourceUrl",
        )
    errors.raise_if_any()
    taken = await conn.scalar(
        select(ActionPlan.id).where(
            ActionPlan.country_id == country_pk, ActionPlan.cycle_start == cycle_start
        )
    )
    if taken is not None:
        message = "the country already has an action plan starting that day"
        raise Rejected(user_error("ACTION_PLAN_EXISTS", message, "cycleStart"))
    stmt = insert(ActionPlan).values(
        country_id=country_pk,
        title=clean_title,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        submitted_on=submitted_on,
        cohort=cohort,
        source_url=url,
        illustrative=illustrative,
        created_at=utcnow(),
        created_by_person_id=viewer.person_id,
    )
    pk = (await conn.execute(stmt.returning(ActionPlan.id))).scalar_one()
    return (await conn.execute(select(*ActionPlan.__table__.c).where(ActionPlan.id == pk))).one()


async def _reference_taken(
    conn: AsyncConnection, plan_pk: int, reference: str, other_than: int | None = None
) -> None:
    stmt = select(Commitment.id).where(
        Commitment.action_plan_id == plan_pk, Commitment.reference == reference
    )
    if other_than is not None:
        stmt = stmt.where(Commitment.id != other_than)
    if await conn.scalar(stmt) is not None:
        message = f"the action plan already has a commitment {reference!r}"
        raise Rejected(user_error("DUPLICATE_REFERENCE", message, "reference"))


async def _write_themes(conn: AsyncConnection, commitment_pk: int, themes: list[str]) -> None:
    await conn.execute(
        delete(CommitmentTopic).where(CommitmentTopic.commitment_id == commitment_pk)
    )
    if themes:
        await conn.execute(
            insert(CommitmentTopic),
            [{"commitment_id": commitment_pk, "topic": t} for t in themes],
        )


async def create_commitment(
    conn: AsyncConnection,
    *,
    action_plan_id: str,
    reference: str,
    title: str,
    description: str,
    lead_institution: str | None,
    themes: Sequence[str],
    milestones: Sequence[MilestoneInput],
    illustrative: bool,
    source_url: str | None = None,
) -> int:
    """Add a commitment at the end of its plan, with its themes and milestones (in the order
    given); returns its pk. Errors: NOT_FOUND (actionPlanId), REQUIRED/TOO_LONG, INVALID_TOPIC,
    TOO_MANY, DUPLICATE_REFERENCE, INVALID_URL, SOURCE_REQUIRED (not illustrative, no URL)."""
    plan = await row_by_id(conn, ActionPlan, action_plan_id, "ActionPlan", "actionPlanId")
    errors = UserErrors()
    ref = errors.text(reference, "reference", REFERENCE_MAX)
    clean_title = errors.text(title, "title", TITLE_MAX)
    body = errors.text(description, "description", DESCRIPTION_MAX, required=False) or ""
    lead = errors.text(lead_institution, "leadInstitution", INSTITUTION_MAX, required=False)
    topics = _themes(errors, themes)
    steps = _milestones(errors, milestones)
    url = errors.url(source_url, "sourceUrl", URL_MAX)
    errors.raise_if_any()
    assert ref is not None
    await _reference_taken(conn, plan.id, ref)
    # the plan's row is locked (row_by_id): positions are numbered one writer at a time
    last = await conn.scalar(
        select(func.max(Commitment.position)).where(Commitment.action_plan_id == plan.id)
    )
    now = utcnow()
    stmt = insert(Commitment).values(
        action_plan_id=plan.id,
        reference=ref,
        position=(last or 0) + 1,
        title=clean_title,
        description=body,
        lead_institution=lead,
        source_url=url,
        illustrative=illustrative,
        created_at=now,
        updated_at=now,
    )
    pk = int((await conn.execute(stmt.returning(Commitment.id))).scalar_one())
    await _write_themes(conn, pk, topics)
    if steps:
        rows = [
            {
                "commitment_id": pk,
                "position": i,
                "title": m.title,
                "due_on": m.due_on,
                "status": m.status,
                "status_updated_at": None if m.status is MilestoneStatus.NOT_STARTED else now,
            }
            for i, m in enumerate(steps, start=1)
        ]
        await conn.execute(insert(Milestone), rows)
    return pk


async def update_commitment(
    conn: AsyncConnection,
    commitment_id: str,
    *,
    reference: str | None,
    title: str | None,
    description: str | None,
    lead_institution: Any = KEEP,
    themes: Sequence[str] | None,
    source_url: str | None = None,
) -> int:
    """Change the fields given (None: unchanged; `themes` replaces the list); returns the pk.
    `lead_institution`, optional on a commitment, is KEEP when not given, and None or blank
    removes it. Errors: NOT_FOUND, REQUIRED/TOO_LONG, INVALID_TOPIC, TOO_MANY,
    DUPLICATE_REFERENCE, INVALID_URL."""
    row = await row_by_id(conn, Commitment, commitment_id, "Commitment")
    errors = UserErrors()
    values: dict[str, Any] = {}
    if reference is not None:
        values["reference"] = errors.text(reference, "reference", REFERENCE_MAX)
    if title is not None:
        values["title"] = errors.text(title, "title", TITLE_MAX)
    if description is not None:
        values["description"] = (
            errors.text(description, "description", DESCRIPTION_MAX, required=False) or ""
        )
    if lead_institution is not KEEP:
        values["lead_institution"] = errors.text(
            lead_institution, "leadInstitution", INSTITUTION_MAX, required=False
        )
    if source_url is not None:
        values["source_url"] = errors.url(source_url, "sourceUrl", URL_MAX)
    topics = None if themes is None else _themes(errors, themes)
    errors.raise_if_any()
    if "reference" in values:
        await _reference_taken(conn, row.action_plan_id, values["reference"], other_than=row.id)
    values["updated_at"] = utcnow()
    await conn.execute(update(Commitment).where(Commitment.id == row.id).values(**values))
    if topics is not None:
        await _write_themes(conn, row.id, topics)
    return int(row.id)


async def set_milestone_status(
    conn: AsyncConnection, viewer: Viewer, milestone_id: str, status: MilestoneStatus
) -> Any:
    """Move a milestone to `status` (any step to any: a correction may go back); returns its
    row. Errors: NOT_FOUND."""
    row = await row_by_id(conn, Milestone, milestone_id, "Milestone")
    await conn.execute(
        update(Milestone)
        .where(Milestone.id == row.id)
        .values(
            status=status, status_updated_at=utcnow(), status_updated_by_person_id=viewer.person_id
        )
    )
    await conn.execute(
        update(Commitment).where(Commitment.id == row.commitment_id).values(updated_at=utcnow())
    )
    return (await conn.execute(select(*Milestone.__table__.c).where(Milestone.id == row.id))).one()


async def record_assessment(
    conn: AsyncConnection, viewer: Viewer, commitment_id: str, assessment: Assessment
) -> int:
    """Record (or replace: one per commitment) the IRM's assessment; returns the commitment's
    pk. Errors: NOT_FOUND (commitmentId), TWO_POTENTIAL_SCALES, REQUIRED/TOO_LONG
    (sourceTitle), INVALID_URL, SOURCE_REQUIRED."""
    row = await row_by_id(conn, Commitment, commitment_id, "Commitment", "commitmentId")
    a = assessment
    errors = UserErrors()
    if a.potential_for_results is not None and a.potential_impact is not None:
        errors.add(
            "TWO_POTENTIAL_SCALES",
            "an assessment rates potentialForResults (since the 2021 IRM Refresh) or "
            "potentialImpact (before it), not both",
            "potentialImpact",
        )
    source_title = errors.text(a.source_title, "sourceTitle", SOURCE_TITLE_MAX)
    url = errors.url(a.source_url, "sourceUrl", URL_MAX)
    if not a.illustrative and url is None:
        errors.add(
            "SOURCE_REQUIRED", "an assessment that is not illustrative needs sourceUrl", "sourceUrl"
        )
    errors.raise_if_any()
    values = {
        "verifiable": a.verifiable,
        "access_to_information": a.access_to_information,
        "civic_participation": a.civic_participation,
        "public_accountability": a.public_accountability,
        "technology_and_innovation": a.technology_and_innovation,
        "potential_for_results": a.potential_for_results,
        "potential_impact": a.potential_impact,
        "completion": a.completion,
        "did_it_open_government": a.did_it_open_government,
        "source_title": source_title,
        "source_url": url,
        "illustrative": a.illustrative,
        "recorded_at": utcnow(),
        "recorded_by_person_id": viewer.person_id,
    }
    await conn.execute(delete(IrmAssessment).where(IrmAssessment.commitment_id == row.id))
    await conn.execute(insert(IrmAssessment).values(commitment_id=row.id, **values))
    return int(row.id)
