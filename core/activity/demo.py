"""Demo data of the activity domain: the feed entries of what the other demos created directly,
each at the time of what it describes, and the demo's feed in the order things happened.

The domains' demos insert their rows without going through their mutations (core/demo.py), so
the events those mutations would have recorded are added here, after every other demo, with the
time of the row they describe (never the time of loading):

- `MEETING_SCHEDULED` per meeting that has none: at its `SCHEDULED` history entry (a pilot
  group's Summit session: 16 September 2013), else, as nothing records when the plugins' demo
  meetings were scheduled, an illustrative four weeks before the meeting starts, and no later
  than a week before the demo's day (`core.groups.demo.TODAY`);
- per priority area: `PRIORITY_AREA_PROPOSED` at `created_at` (in the proposing organisation's
  feed too), `PRIORITY_AREA_OPENED` at `opened_at`, `PRIORITY_AREA_AGREED` / `_NOT_AGREED` at
  `closed_at` with the count behind it, and `POSITION_TAKEN` at each position's `taken_at`.

Recorded by the system (no actor). Idempotent: an event of the same verb about the same object
is never added twice. `load(conn, since)` then renumbers the events added since event id
`since` (this run's, the other demos' included: decisions, comments) in the order of their `at`,
so a feed, newest first by id, reads in time order.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.models import ActivityEvent
from core.activity.services import record
from core.enums import MeetingChangeKind
from core.groups import demo as demo_groups
from core.meetings.models import Meeting, MeetingChange
from core.priorities.models import PositionStance, PriorityArea, PriorityAreaPosition

SCHEDULED_AHEAD = timedelta(days=28)
"""Illustrative: how long before it starts a demo meeting without a history was scheduled."""
WHAT = {
    PositionStance.ENDORSE: "endorsed",
    PositionStance.OBJECT: "objected to",
    PositionStance.OBJECTION_WITHDRAWN: "withdrew its objection to",
}


async def last_event_id(conn: AsyncConnection) -> int:
    """The newest event's id (0: none); pass it to `load` as `since` before loading demos."""
    return int(await conn.scalar(select(func.max(ActivityEvent.id))) or 0)


async def _recorded(conn: AsyncConnection, subject_type: str) -> set[tuple[str, int]]:
    stmt = select(ActivityEvent.verb, ActivityEvent.subject_id).where(
        ActivityEvent.subject_type == subject_type
    )
    return {(verb, subject) for verb, subject in await conn.execute(stmt)}


async def _meetings(conn: AsyncConnection) -> int:
    done = await _recorded(conn, "Meeting")
    scheduled = (
        select(MeetingChange.at)
        .where(MeetingChange.meeting_id == Meeting.id)
        .where(MeetingChange.kind == MeetingChangeKind.SCHEDULED)
        .order_by(MeetingChange.id)
        .limit(1)
        .scalar_subquery()
    )
    rows = await conn.execute(
        select(Meeting.id, Meeting.group_id, Meeting.title, Meeting.starts_at, scheduled).order_by(
            Meeting.id
        )
    )
    today = demo_groups.TODAY.get() or date.today()
    latest = datetime.combine(today, time(12, 0), tzinfo=UTC) - timedelta(days=7)
    added = 0
    for meeting_id, group_id, title, starts_at, at in rows:
        if ("MEETING_SCHEDULED", meeting_id) in done:
            continue
        await record(
            conn,
            verb="MEETING_SCHEDULED",
            subject_type="Meeting",
            subject_id=meeting_id,
            summary=f"Meeting '{title}' was scheduled",
            group_id=group_id,
            at=at or min(starts_at - SCHEDULED_AHEAD, latest),
        )
        added += 1
    return added


async def _areas(conn: AsyncConnection) -> int:
    done = await _recorded(conn, "PriorityArea")
    added = 0
    for area in await conn.execute(select(PriorityArea).order_by(PriorityArea.id)):
        events: list[tuple[str, datetime | None, str, int | None]] = [
            (
                "PRIORITY_AREA_PROPOSED",
                area.created_at,
                f"Priority area '{area.title}' was proposed",
                area.proposed_by_organization_id,
            ),
            (
                "PRIORITY_AREA_OPENED",
                area.opened_at,
                f"Priority area '{area.title}' is open for discussion",
                None,
            ),
        ]
        if area.agreed is not None:
            outcome = "agreed" if area.agreed else "not agreed"
            verb = "PRIORITY_AREA_AGREED" if area.agreed else "PRIORITY_AREA_NOT_AGREED"
            summary = (
                f"Priority area '{area.title}' was {outcome} ({area.endorsements} of "
                f"{area.participants} endorsed, {area.objections} objected)"
            )
            events.append((verb, area.closed_at, summary, None))
        for verb, at, summary, organization_id in events:
            if at is None or (verb, area.id) in done:
                continue
            await record(
                conn,
                verb=verb,
                subject_type="PriorityArea",
                subject_id=area.id,
                summary=summary,
                group_id=area.group_id,
                organization_id=organization_id,
                at=at,
            )
            added += 1
    return added + await _positions(conn)


async def _positions(conn: AsyncConnection) -> int:
    done = await _recorded(conn, "PriorityAreaPosition")
    position = PriorityAreaPosition
    rows = await conn.execute(
        select(position.id, position.stance, position.organization_id, position.taken_at)
        .add_columns(PriorityArea.title, PriorityArea.group_id)
        .join(PriorityArea, PriorityArea.id == position.priority_area_id)
        .order_by(position.id)
    )
    added = 0
    for row in rows:
        if ("POSITION_TAKEN", row.id) in done:
            continue
        await record(
            conn,
            verb="POSITION_TAKEN",
            subject_type="PriorityAreaPosition",
            subject_id=row.id,
            summary=f"An organisation {WHAT[PositionStance(row.stance)]} priority area "
            f"'{row.title}'",
            group_id=row.group_id,
            organization_id=row.organization_id,
            at=row.taken_at,
        )
        added += 1
    return added


async def _in_time_order(conn: AsyncConnection, since: int) -> None:
    """Give the events after id `since` new ids in the order of their `at` (then of their old
    ids), unless they already are in that order."""
    columns = [c for c in ActivityEvent.__table__.c if c.name != "id"]
    rows = (
        await conn.execute(
            select(ActivityEvent.id, *columns)
            .where(ActivityEvent.id > since)
            .order_by(ActivityEvent.id)
        )
    ).all()
    ordered = sorted(rows, key=lambda row: (row.at, row.id))
    if ordered == rows:
        return
    await conn.execute(delete(ActivityEvent).where(ActivityEvent.id > since))
    for row in ordered:
        values: dict[str, Any] = {c.name: getattr(row, c.name) for c in columns}
        await conn.execute(insert(ActivityEvent).values(**values))


async def load(conn: AsyncConnection, since: int = 0) -> int:
    """Record the missing events, then put this run's events (ids after `since`, see
    `last_event_id`) in time order; returns how many events were added here."""
    added = await _meetings(conn) + await _areas(conn)
    await _in_time_order(conn, since)
    return added
