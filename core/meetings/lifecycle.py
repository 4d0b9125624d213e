"""What happens to a meeting besides registrations (issue 9, section 2): cancelling it, and after
it started, attendance, minutes and links; the secret of a person's calendar feed; and the job
that admits pre-registrations when a Summit meeting's registration opens (`admit_due`).

Each mutation's function runs inside the caller's write transaction
(core.transactions.in_transaction) with the meeting row locked, and raises `Rejected` with every
problem it finds: all or nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.activity.services import publish_meeting
from core.auth.tokens import hash_token
from core.db import Database, utcnow
from core.enums import MeetingLinkKind, RegistrationStatus
from core.errors import Rejected, UserError, user_error
from core.groups.models import WorkingGroup
from core.meetings import history
from core.meetings.models import CalendarFeedToken, Meeting, MeetingLink, Registration
from core.meetings.registrations import (
    admit_pre_registrations,
    locked_meeting,
    locked_meeting_of,
)
from core.schema.ids import pk_of
from core.validation import url_problem

MAX_LINKS = 20
"""Links one meeting may carry (so `Meeting.links` is a short, fixed-size list)."""
MAX_MINUTES = 100_000
"""Characters of minutes."""
ATTENDABLE = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)
"""Registrations whose attendance can be recorded: those with a place (recorded again, changed)."""


def _started(meeting: Any, field: str) -> None:
    if meeting.starts_at > utcnow():
        raise Rejected(user_error("MEETING_NOT_STARTED", "the meeting has not started", field))


async def cancel_meeting(
    conn: AsyncConnection,
    meeting_id: str,
    themes: tuple[str, ...],
    actor_id: int | None,
    reason: str,
) -> Any:
    """Cancel a meeting that has not ended: `cancelled_at` set, `sequence` raised, history and a
    MEETING_CANCELLED event. Registrations stay as they are (the registrants are told from them).
    Errors: NOT_FOUND, MEETING_CANCELLED (already), MEETING_ENDED, TOO_LONG (reason)."""
    pk = lookups.decode(meeting_id, "Meeting", "id")
    meeting = await locked_meeting(conn, pk, themes, meeting_id, "id")
    if meeting.cancelled_at is not None:
        raise Rejected(user_error("MEETING_CANCELLED", "the meeting is already cancelled", "id"))
    if meeting.ends_at <= utcnow():
        raise Rejected(user_error("MEETING_ENDED", "the meeting is over", "id"))
    if len(reason) > 2000:
        raise Rejected(user_error("TOO_LONG", "reason is longer than 2000 characters", "reason"))
    await conn.execute(
        update(Meeting)
        .where(Meeting.id == pk)
        .values(cancelled_at=utcnow())  # sequence raised, history row: core_0014
    )
    after = (await conn.execute(select(*Meeting.__table__.c).where(Meeting.id == pk))).one()
    await history.cancelled(conn, meeting, after, actor_id, reason)
    return after


@dataclass
class Attendance:
    registration_id: str
    status: RegistrationStatus  # ATTENDED or NO_SHOW


async def record_attendance(
    conn: AsyncConnection, meeting_id: str, themes: tuple[str, ...], entries: Sequence[Attendance]
) -> Any:
    """Set ATTENDED or NO_SHOW on registrations of the meeting, once it has started; a later call
    corrects an earlier one. Errors (fields `attendance.<i>.registrationId`): NOT_FOUND (not a
    registration of this meeting), NOT_ATTENDABLE (waitlisted, pre-registered or cancelled: no
    place); MEETING_NOT_STARTED, MEETING_CANCELLED, REQUIRED (no entries)."""
    pk = lookups.decode(meeting_id, "Meeting", "meetingId")
    meeting = await locked_meeting(conn, pk, themes, meeting_id, "meetingId")
    if meeting.cancelled_at is not None:
        raise Rejected(user_error("MEETING_CANCELLED", "the meeting was cancelled", "meetingId"))
    _started(meeting, "meetingId")
    if not entries:
        raise Rejected(user_error("REQUIRED", "attendance lists no registration", "attendance"))
    errors: list[UserError] = []
    wanted: dict[int, RegistrationStatus] = {}
    for index, entry in enumerate(entries):
        field = ("attendance", str(index), "registrationId")
        reg_pk = pk_of(entry.registration_id, "Registration")
        row = None
        if reg_pk is not None:
            stmt = select(Registration.status).where(
                Registration.id == reg_pk, Registration.meeting_id == pk
            )
            row = (await conn.execute(stmt)).first()
        if row is None:
            message = f"no registration {entry.registration_id!r} for this meeting"
            errors.append(user_error("NOT_FOUND", message, *field))
        elif row.status not in ATTENDABLE:
            message = f"a {row.status.lower()} registration had no place"
            errors.append(user_error("NOT_ATTENDABLE", message, *field))
        else:
            wanted[reg_pk] = entry.status  # type: ignore[index]
    if errors:
        raise Rejected(*errors)
    for reg_pk, status in wanted.items():
        await conn.execute(
            update(Registration).where(Registration.id == reg_pk).values(status=status)
        )
    return meeting


async def set_minutes(
    conn: AsyncConnection, meeting_id: str, themes: tuple[str, ...], minutes: str
) -> Any:
    """Replace the minutes (or summary) of a meeting that has started. Errors: NOT_FOUND,
    MEETING_NOT_STARTED, TOO_LONG."""
    pk = lookups.decode(meeting_id, "Meeting", "id")
    meeting = await locked_meeting(conn, pk, themes, meeting_id, "id")
    _started(meeting, "id")
    if len(minutes) > MAX_MINUTES:
        message = f"minutes are longer than {MAX_MINUTES} characters"
        raise Rejected(user_error("TOO_LONG", message, "minutes"))
    await conn.execute(update(Meeting).where(Meeting.id == pk).values(minutes=minutes))
    return (await conn.execute(select(*Meeting.__table__.c).where(Meeting.id == pk))).one()


async def add_link(
    conn: AsyncConnection,
    meeting_id: str,
    themes: tuple[str, ...],
    kind: MeetingLinkKind,
    url: str,
    title: str,
) -> Any:
    """Attach a link (recording, slides, other). Errors: NOT_FOUND, INVALID_URL (url),
    REQUIRED / TOO_LONG (title), TOO_MANY_LINKS (MAX_LINKS already)."""
    pk = lookups.decode(meeting_id, "Meeting", "meetingId")
    await locked_meeting(conn, pk, themes, meeting_id, "meetingId")
    errors: list[UserError] = []
    if (problem := url_problem(url, "url")) is not None:
        errors.append(problem)
    if not title.strip():
        errors.append(user_error("REQUIRED", "title must not be blank", "title"))
    elif len(title) > 300:
        errors.append(user_error("TOO_LONG", "title is longer than 300 characters", "title"))
    count = await conn.scalar(
        select(func.count()).select_from(MeetingLink).where(MeetingLink.meeting_id == pk)
    )
    if (count or 0) >= MAX_LINKS:
        message = f"a meeting carries at most {MAX_LINKS} links; remove one first"
        errors.append(user_error("TOO_MANY_LINKS", message, "meetingId"))
    if errors:
        raise Rejected(*errors)
    stmt = (
        insert(MeetingLink)
        .values(meeting_id=pk, kind=kind, url=url, title=title, created_at=utcnow())
        .returning(*MeetingLink.__table__.c)
    )
    return (await conn.execute(stmt)).one()


async def remove_link(conn: AsyncConnection, link_id: str, themes: tuple[str, ...]) -> Any:
    """Remove a link; returns its meeting's row. Errors: NOT_FOUND."""
    pk, meeting = await locked_meeting_of(conn, MeetingLink, link_id, themes)
    await conn.execute(delete(MeetingLink).where(MeetingLink.id == pk))
    return meeting


async def rotate_feed_token(conn: AsyncConnection, person_id: int) -> str:
    """A new secret for the person's calendar feed, replacing any earlier one (whose URL stops
    working). Returns the secret, which is stored only as its SHA-256: shown once."""
    token = secrets.token_urlsafe(32)
    await conn.execute(delete(CalendarFeedToken).where(CalendarFeedToken.person_id == person_id))
    await conn.execute(
        insert(CalendarFeedToken).values(
            person_id=person_id, token_hash=hash_token(token), created_at=utcnow()
        )
    )
    return token


async def admit_due(db: Database, themes: Collection[str], now: datetime | None = None) -> int:
    """Admit the pre-registrations of every meeting of a group of `themes` whose registration
    has opened by `now` (default: the clock) and that still has some PRE_REGISTERED: each
    meeting in its own write transaction, its row locked, in queue order (REGISTERED while
    places last, then WAITLISTED: `core.meetings.registrations.admit_pre_registrations`), and
    `meetingChanged` subscribers told. Returns how many registrations were admitted.

    Run by the server's loop (core/notifications/loop.py) and `ogp-wg notify admit` / `notify
    send`. Safe to run anywhere at once, without a lease: the meeting's lock serialises two
    runs (and a registration), and the second finds nobody left PRE_REGISTERED. A disabled
    theme's meetings wait until it is enabled again. Database errors propagate.
    """
    now = now or utcnow()
    waiting = (
        select(Registration.id)
        .where(
            Registration.meeting_id == Meeting.id,
            Registration.status == RegistrationStatus.PRE_REGISTERED,
        )
        .exists()
    )
    async with db.read() as conn:
        due = list(
            await conn.scalars(
                select(Meeting.id)
                .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
                .where(
                    WorkingGroup.theme.in_(tuple(themes)),
                    Meeting.registration_opens_at <= now,
                    Meeting.cancelled_at.is_(None),
                    waiting,
                )
                .order_by(Meeting.id)
            )
        )
    admitted = 0
    for pk in due:
        async with db.write() as conn:
            stmt = select(*Meeting.__table__.c).where(Meeting.id == pk).with_for_update()
            meeting = (await conn.execute(stmt)).first()
            if meeting is None:
                continue  # deleted since
            count = await admit_pre_registrations(conn, meeting, now)
            if count:
                await publish_meeting(conn, pk)  # places changed
            admitted += count
    return admitted
