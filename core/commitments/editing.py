"""Corrections after creation (issue 10, section 3): an action plan's fields (plans are extended,
e.g. Kenya's 2018-2020 plan ran to June 2021, and `cycle_end` decides the IRM's star period),
and a commitment's milestones (added, retitled, re-dated, moved). Staff only
(core/commitments/access.py). The database keeps the same rules as at creation (CHECKs of
core_0015, mapped to userErrors by `services.CONSTRAINT_ERRORS`); these functions report them
first, with the input's field names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update

from core.commitments.models import (
    FIRST_COHORT,
    ActionPlan,
    Commitment,
    Milestone,
    MilestoneStatus,
)
from core.commitments.services import (
    LAST_COHORT,
    MAX_MILESTONES,
    PLAN_TITLE_MAX,
    TITLE_MAX,
    URL_MAX,
)
from core.errors import Rejected, user_error
from core.validation import UserErrors, row_by_id


async def update_action_plan(
    conn: Any,
    plan_id: str,
    *,
    title: str | None = None,
    cycle_start: date | None = None,
    cycle_end: date | None = None,
    cohort: int | None = None,
    submitted_on: date | None = None,
    source_url: str | None = None,
    illustrative: bool | None = None,
) -> Any:
    """Change the fields given (None: unchanged); returns the plan's row. The rules apply to the
    plan as it will be: INVALID_CYCLE (cycleEnd not after cycleStart), OUT_OF_RANGE (cohort
    before 2011 or after 2100), SOURCE_REQUIRED (not illustrative and no sourceUrl),
    INVALID_URL, REQUIRED/TOO_LONG (title), ACTION_PLAN_EXISTS (the country has another plan
    starting that day), NOT_FOUND."""
    row = await row_by_id(conn, ActionPlan, plan_id, "ActionPlan")
    errors = UserErrors()
    values: dict[str, Any] = {}
    if title is not None:
        values["title"] = errors.text(title, "title", PLAN_TITLE_MAX)
    if cycle_start is not None:
        values["cycle_start"] = cycle_start
    if cycle_end is not None:
        values["cycle_end"] = cycle_end
    if (cycle_end or row.cycle_end) <= (cycle_start or row.cycle_start):
        field = "cycleEnd" if cycle_end is not None else "cycleStart"
        errors.add("INVALID_CYCLE", "cycleEnd must be after cycleStart", field)
    if cohort is not None:
        errors.in_range(cohort, "cohort", FIRST_COHORT, LAST_COHORT)
        values["cohort"] = cohort
    if submitted_on is not None:
        values["submitted_on"] = submitted_on
    if source_url is not None:
        values["source_url"] = errors.url(source_url, "sourceUrl", URL_MAX)
    if illustrative is not None:
        values["illustrative"] = illustrative
    will_be_illustrative = row.illustrative if illustrative is None else illustrative
    if not will_be_illustrative and values.get("source_url", row.source_url) is None:
        message = "an action plan that is not illustrative needs sourceUrl"
        errors.add("SOURCE_REQUIRED", message, "sourceUrl")
    errors.raise_if_any()
    if cycle_start is not None and cycle_start != row.cycle_start:
        taken = await conn.scalar(
            select(ActionPlan.id).where(
                ActionPlan.country_id == row.country_id,
                ActionPlan.cycle_start == cycle_start,
                ActionPlan.id != row.id,
            )
        )
        if taken is not None:
            message = "the country already has an action plan starting that day"
            raise Rejected(user_error("ACTION_PLAN_EXISTS", message, "cycleStart"))
    if values:
        await conn.execute(update(ActionPlan).where(ActionPlan.id == row.id).values(**values))
    stmt = select(*ActionPlan.__table__.c).where(ActionPlan.id == row.id)
    return (await conn.execute(stmt)).one()


def _position(errors: UserErrors, position: int | None, last: int) -> int | None:
    """A 1-based place among `last` milestones (OUT_OF_RANGE outside 1..last)."""
    if position is not None and not errors.in_range(position, "position", 1, max(last, 1)):
        return None
    return position


async def _shift(conn: Any, commitment_pk: int, low: int, high: int, by: int) -> None:
    """Move the milestones at positions low..high (inclusive) by `by` places."""
    await conn.execute(
        update(Milestone)
        .where(
            Milestone.commitment_id == commitment_pk,
            Milestone.position >= low,
            Milestone.position <= high,
        )
        .values(position=Milestone.position + by)
    )


async def add_milestone(
    conn: Any,
    commitment_id: str,
    *,
    title: str,
    due_on: date | None = None,
    position: int | None = None,
) -> Any:
    """Add a milestone (NOT_STARTED) at `position` (1 = first; None: at the end), moving the
    later ones down; returns its row. Errors: NOT_FOUND (commitmentId), REQUIRED/TOO_LONG
    (title), OUT_OF_RANGE (position not in 1..count+1), TOO_MANY (more than 50)."""
    commitment = await row_by_id(conn, Commitment, commitment_id, "Commitment", "commitmentId")
    # the commitment's row is locked (row_by_id): positions are renumbered one writer at a time
    count = int(
        await conn.scalar(
            select(func.count())
            .select_from(Milestone)
            .where(Milestone.commitment_id == commitment.id)
        )
        or 0
    )
    errors = UserErrors()
    clean_title = errors.text(title, "title", TITLE_MAX)
    place = _position(errors, position, count + 1)
    if count >= MAX_MILESTONES:
        errors.add("TOO_MANY", f"at most {MAX_MILESTONES} milestones", "commitmentId")
    errors.raise_if_any()
    place = count + 1 if place is None else place
    await _shift(conn, commitment.id, place, count, 1)
    stmt = insert(Milestone).values(
        commitment_id=commitment.id,
        position=place,
        title=clean_title,
        due_on=due_on,
        status=MilestoneStatus.NOT_STARTED,
    )
    pk = (await conn.execute(stmt.returning(Milestone.id))).scalar_one()
    return (await conn.execute(select(*Milestone.__table__.c).where(Milestone.id == pk))).one()


async def update_milestone(
    conn: Any,
    milestone_id: str,
    *,
    title: str | None = None,
    due_on: date | None = None,
    position: int | None = None,
) -> Any:
    """Retitle, re-date or move a milestone (None: unchanged; its progress is
    `milestoneStatusSet`'s); returns its row. Errors: NOT_FOUND, REQUIRED/TOO_LONG (title),
    OUT_OF_RANGE (position not in 1..count)."""
    row = await row_by_id(conn, Milestone, milestone_id, "Milestone")
    count = int(
        await conn.scalar(
            select(func.count())
            .select_from(Milestone)
            .where(Milestone.commitment_id == row.commitment_id)
        )
        or 0
    )
    errors = UserErrors()
    values: dict[str, Any] = {}
    if title is not None:
        values["title"] = errors.text(title, "title", TITLE_MAX)
    if due_on is not None:
        values["due_on"] = due_on
    place = _position(errors, position, count)
    errors.raise_if_any()
    if place is not None and place != row.position:
        if place < row.position:
            await _shift(conn, row.commitment_id, place, row.position - 1, 1)
        else:
            await _shift(conn, row.commitment_id, row.position + 1, place, -1)
        values["position"] = place
    if values:
        await conn.execute(update(Milestone).where(Milestone.id == row.id).values(**values))
    return (await conn.execute(select(*Milestone.__table__.c).where(Milestone.id == row.id))).one()
