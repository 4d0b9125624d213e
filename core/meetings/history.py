"""A meeting's history: one `meeting_changes` row and one activity event per change, written in
the transaction of the change (issue 9, section 2 and 5).

The database writes the row of a change or a cancellation itself (core_0014's trigger on
`meetings`, with the kind, the fields, the times and the sequence it raised), whatever wrote the
change; this module adds what the database cannot know, who changed it and why, to that row, and
records the activity event. The SCHEDULED row is written here.

Kinds and verbs: SCHEDULED / MEETING_SCHEDULED when a meeting is scheduled, MOVED / MEETING_MOVED
when its start or end changed, CHANGED / MEETING_CHANGED for any other change of its fields,
CANCELLED / MEETING_CANCELLED when cancelled. The e-mails to registrants (core/notifications) are
built from these events and the registrations; nothing is sent from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.services import record
from core.enums import MeetingChangeKind
from core.meetings.models import MeetingChange


async def _entry(
    conn: AsyncConnection,
    *,
    verb: str,
    summary: str,
    before: Any,
    after: Any,
    actor_id: int | None,
    reason: str = "",
) -> None:
    if before is not None:  # the trigger wrote the row of this change: who and why
        written = (
            select(func.max(MeetingChange.id))
            .where(MeetingChange.meeting_id == after.id, MeetingChange.sequence == after.sequence)
            .scalar_subquery()
        )
        await conn.execute(
            update(MeetingChange)
            .where(MeetingChange.id == written)
            .values(actor_id=actor_id, reason=reason)
        )
    else:
        await _scheduled_row(conn, after, actor_id)
    await record(
        conn,
        verb=verb,
        subject_type="Meeting",
        subject_id=after.id,
        summary=summary,
        group_id=after.group_id,
        actor_id=actor_id,
    )


async def _scheduled_row(conn: AsyncConnection, meeting: Any, actor_id: int | None) -> None:
    await conn.execute(
        insert(MeetingChange).values(
            meeting_id=meeting.id,
            kind=MeetingChangeKind.SCHEDULED,
            actor_id=actor_id,
            fields="",
            reason="",
            old_starts_at=None,
            old_ends_at=None,
            new_starts_at=meeting.starts_at,
            new_ends_at=meeting.ends_at,
            sequence=meeting.sequence,
        )
    )


async def scheduled(conn: AsyncConnection, meeting: Any, actor_id: int | None) -> None:
    """`meeting`: the new meetings row."""
    await _entry(
        conn,
        verb="MEETING_SCHEDULED",
        summary=f"Meeting '{meeting.title}' was scheduled",
        before=None,
        after=meeting,
        actor_id=actor_id,
    )


async def changed(
    conn: AsyncConnection,
    before: Any,
    after: Any,
    fields: Sequence[str],
    actor_id: int | None,
    reason: str,
) -> None:
    """`before`/`after`: the meetings row around the update; `fields`: the columns changed."""
    moved = "starts_at" in fields or "ends_at" in fields
    await _entry(
        conn,
        verb="MEETING_MOVED" if moved else "MEETING_CHANGED",
        summary=f"Meeting '{after.title}' was {'moved' if moved else 'changed'}",
        before=before,
        after=after,
        actor_id=actor_id,
        reason=reason,
    )


async def cancelled(
    conn: AsyncConnection, before: Any, after: Any, actor_id: int | None, reason: str
) -> None:
    await _entry(
        conn,
        verb="MEETING_CANCELLED",
        summary=f"Meeting '{after.title}' was cancelled",
        before=before,
        after=after,
        actor_id=actor_id,
        reason=reason,
    )
