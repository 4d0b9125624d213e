"""A meeting's history: one `meeting_changes` row and one activity event per change, written in
the transaction of the change (issue 9, section 2 and 5).

Kinds and verbs: SCHEDULED / MEETING_SCHEDULED when a meeting is scheduled, MOVED / MEETING_MOVED
when its start or end changed, CHANGED / MEETING_CHANGED for any other change of its fields,
CANCELLED / MEETING_CANCELLED when cancelled. The e-mails to registrants (core/notifications) are
built from these events and the registrations; nothing is sent from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.services import record
from core.enums import MeetingChangeKind
from core.meetings.models import MeetingChange

CAMEL = {
    "starts_at": "startsAt",
    "ends_at": "endsAt",
    "online_url": "onlineUrl",
    "is_summit": "isSummit",
    "registration_opens_at": "registrationOpensAt",
    "registration_closes_at": "registrationClosesAt",
}
"""Column -> GraphQL name, where they differ (`fields` keeps the GraphQL names)."""


async def _entry(
    conn: AsyncConnection,
    *,
    kind: MeetingChangeKind,
    verb: str,
    summary: str,
    before: Any,
    after: Any,
    actor_id: int | None,
    fields: Sequence[str] = (),
    reason: str = "",
) -> None:
    await conn.execute(
        insert(MeetingChange).values(
            meeting_id=after.id,
            kind=kind,
            actor_id=actor_id,
            fields=",".join(CAMEL.get(f, f) for f in fields)[:500],
            reason=reason,
            old_starts_at=before.starts_at if before is not None else None,
            old_ends_at=before.ends_at if before is not None else None,
            new_starts_at=after.starts_at,
            new_ends_at=after.ends_at,
            sequence=after.sequence,
        )
    )
    await record(
        conn,
        verb=verb,
        subject_type="Meeting",
        subject_id=after.id,
        summary=summary,
        group_id=after.group_id,
        actor_id=actor_id,
    )


async def scheduled(conn: AsyncConnection, meeting: Any, actor_id: int | None) -> None:
    """`meeting`: the new meetings row."""
    await _entry(
        conn,
        kind=MeetingChangeKind.SCHEDULED,
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
        kind=MeetingChangeKind.MOVED if moved else MeetingChangeKind.CHANGED,
        verb="MEETING_MOVED" if moved else "MEETING_CHANGED",
        summary=f"Meeting '{after.title}' was {'moved' if moved else 'changed'}",
        before=before,
        after=after,
        actor_id=actor_id,
        fields=fields,
        reason=reason,
    )


async def cancelled(
    conn: AsyncConnection, before: Any, after: Any, actor_id: int | None, reason: str
) -> None:
    await _entry(
        conn,
        kind=MeetingChangeKind.CANCELLED,
        verb="MEETING_CANCELLED",
        summary=f"Meeting '{after.title}' was cancelled",
        before=before,
        after=after,
        actor_id=actor_id,
        fields=("cancelledAt",),
        reason=reason,
    )
