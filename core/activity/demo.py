"""Demo data of the activity domain: the feed entries of what the other demos created directly.

The domains' demos insert their rows without going through their mutations (core/demo.py), so
the events those mutations would have recorded are added here, after every other demo: one
`MEETING_SCHEDULED` per demo meeting that has no event yet (each pilot group's Summit meeting,
scheduled by the system: no actor). Idempotent: a meeting that has an event gets none.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.models import ActivityEvent
from core.activity.services import record
from core.meetings.models import Meeting


async def load(conn: AsyncConnection) -> int:
    """Record the missing events; returns how many were added."""
    has_event = select(ActivityEvent.subject_id).where(ActivityEvent.subject_type == "Meeting")
    meetings = (
        await conn.execute(
            select(Meeting.id, Meeting.group_id, Meeting.title)
            .where(Meeting.id.not_in(has_event))
            .order_by(Meeting.id)
        )
    ).all()
    for meeting in meetings:
        await record(
            conn,
            verb="MEETING_SCHEDULED",
            subject_type="Meeting",
            subject_id=meeting.id,
            summary=f"Meeting '{meeting.title}' was scheduled",
            group_id=meeting.group_id,
        )
    return len(meetings)
