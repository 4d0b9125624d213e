"""Taking positions on a priority area under discussion: an endorsement, an objection (with its
reason), the withdrawal of an objection. Each new position supersedes the organisation's current
one, which stays as history (`supersededAt`); the database keeps one current row per
organisation and area (core/priorities/models.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.services import record
from core.auth import Viewer
from core.db import utcnow
from core.errors import Rejected, user_error
from core.priorities import services
from core.priorities.models import PositionStance, PriorityAreaPosition, PriorityAreaStatus

REASON_MAX = services.REASON_MAX


async def take_position(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    area_id: str,
    stance: PositionStance,
    reason: str | None,
    organization_id: str | None,
    themes: tuple[str, ...],
    withdrawing: bool = False,
) -> Any:
    """The organisation's new current position; the previous one stays, superseded.

    ENDORSE (a reason is optional), OBJECT (REASON_REQUIRED), or, `withdrawing`, the withdrawal
    of its standing objection (NO_OBJECTION otherwise). Only while the area is UNDER_DISCUSSION
    (DISCUSSION_NOT_OPEN) and before its closing date (DISCUSSION_CLOSED)."""
    field = "priorityAreaId"
    area = await services.locked_area(conn, area_id, themes, field)
    if area.status != PriorityAreaStatus.UNDER_DISCUSSION:
        raise Rejected(
            user_error(
                "DISCUSSION_NOT_OPEN",
                f"positions are taken while the area is UNDER_DISCUSSION, not {area.status.value}",
                field,
            )
        )
    now = utcnow()
    if area.closes_at is not None and now >= area.closes_at:
        raise Rejected(
            user_error("DISCUSSION_CLOSED", "the discussion's closing date has passed", field)
        )
    if stance == PositionStance.OBJECT:
        if reason is None or not reason.strip():
            raise Rejected(user_error("REASON_REQUIRED", "an objection needs a reason", "reason"))
        reason = services.required_text(reason, "reason", REASON_MAX)
    elif reason is not None:
        reason = reason.strip() or None
        if reason is not None and len(reason) > REASON_MAX:
            raise Rejected(
                user_error("TOO_LONG", f"reason is longer than {REASON_MAX} characters", "reason")
            )
    org = await services.acting_organization(conn, viewer, organization_id, area.group_id)
    p = PriorityAreaPosition
    current = (
        await conn.execute(
            select(p.id, p.stance).where(
                p.priority_area_id == area.id, p.organization_id == org, p.is_current.is_(True)
            )
        )
    ).first()
    if withdrawing and (current is None or current.stance != PositionStance.OBJECT):
        raise Rejected(
            user_error("NO_OBJECTION", "the organisation has no standing objection here", field)
        )
    if current is not None:
        await conn.execute(
            update(p).where(p.id == current.id).values(is_current=False, superseded_at=now)
        )
    stmt = (
        insert(p)
        .values(
            priority_area_id=area.id,
            organization_id=org,
            person_id=viewer.person_id,
            stance=stance,
            reason=reason,
            taken_at=now,
            is_current=True,
        )
        .returning(*p.__table__.c)
    )
    position = (await conn.execute(stmt)).one()
    what = {
        PositionStance.ENDORSE: "endorsed",
        PositionStance.OBJECT: "objected to",
        PositionStance.OBJECTION_WITHDRAWN: "withdrew its objection to",
    }[stance]
    await record(
        conn,
        verb="POSITION_TAKEN",
        subject_type="PriorityAreaPosition",
        subject_id=position.id,
        summary=f"An organisation {what} priority area '{area.title}'",
        group_id=area.group_id,
        organization_id=org,
        actor_id=viewer.person_id,
    )
    return position
