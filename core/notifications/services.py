"""Writes of the notifications domain: a person's preferences (`notificationPreferencesSet`),
and a message into the outbox (`enqueue`, for the pass of core/notifications/job.py: queueing
and sending messages is never a request's work)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.models import ActivityEvent
from core.db import utcnow
from core.errors import Rejected, user_error
from core.notifications.models import (
    DigestFrequency,
    NotificationPreference,
    OutboxKind,
    OutboxMessage,
    OutboxState,
)
from core.people.models import Person
from core.transactions import ConstraintError

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    # the person was deleted between the check and the write
    "fk_notification_preferences_person_id_people": ConstraintError(
        "NOT_FOUND", "no such person", None
    ),
}

DEFAULTS = {"digest": DigestFrequency.NONE, "meeting_notices": True}
"""A person without a preferences row: no digest, meeting notices on."""


async def newest_event_id(conn: AsyncConnection) -> int:
    """The id of the newest activity event (0: none yet)."""
    return int(await conn.scalar(select(func.coalesce(func.max(ActivityEvent.id), 0))) or 0)


async def set_preferences(
    conn: AsyncConnection, person_id: int, digest: DigestFrequency, meeting_notices: bool | None
) -> Any:
    """Store the preferences of `person_id` (the signed-in person); `meeting_notices` None:
    unchanged (on for a first choice). Returns the `notification_preferences` row.

    Choosing a digest (again) starts it at the newest event: a first digest tells what happened
    since, not the groups' whole history. Raises Rejected(NO_EMAIL) when a digest is chosen by
    a person without an e-mail address.
    """
    email = await conn.scalar(select(Person.email).where(Person.id == person_id))
    if digest != DigestFrequency.NONE and not email:
        raise Rejected(
            user_error("NO_EMAIL", "you have no e-mail address to send a digest to", "digest")
        )
    table = NotificationPreference.__table__
    current = (await conn.execute(select(table).where(table.c.person_id == person_id))).first()
    values: dict[str, Any] = {"digest": digest, "updated_at": utcnow()}
    if meeting_notices is not None:
        values["meeting_notices"] = meeting_notices
    starts = digest != DigestFrequency.NONE and (
        current is None or current.digest == DigestFrequency.NONE
    )
    if starts:
        values["digest_watermark"] = await newest_event_id(conn)
        values["last_digest_at"] = None
    if current is None:
        values.setdefault("meeting_notices", True)
        values.setdefault("digest_watermark", 0)
        await conn.execute(insert(table).values(person_id=person_id, **values))
    else:
        await conn.execute(update(table).where(table.c.person_id == person_id).values(**values))
    return (await conn.execute(select(table).where(table.c.person_id == person_id))).one()


async def enqueue(
    conn: AsyncConnection, person: Any, kind: OutboxKind, event_id: int, subject: str, body: str
) -> None:
    """Queue one PENDING message to `person` (a people row with `id`, `email`), keyed by
    (person, kind, event): a second one for the same key violates the outbox's UNIQUE."""
    await conn.execute(
        insert(OutboxMessage).values(
            person_id=person.id,
            kind=kind,
            event_id=event_id,
            recipient=person.email,
            subject=subject,
            body=body,
            state=OutboxState.PENDING,
            attempts=0,
            last_error="",
        )
    )
