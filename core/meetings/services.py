"""Scheduling meetings and taking registrations without ever overbooking.

A registration locks its meeting row (SELECT ... FOR UPDATE on PostgreSQL; the transaction's
BEGIN IMMEDIATE on SQLite), then takes a place with a conditional UPDATE of `registered_count`; the
CHECK constraint on that column is the last line of defence. No count-then-insert race.

First come, first served: a registration's `queued_at` is set whenever it joins the waitlist or the
registered list (a first registration, a comeback after cancelling, a promotion), and the waitlist
is promoted in (queued_at, id) order. The row's id is no measure of waiting: a person who cancels
and registers again keeps it. `queued_at` is strictly increasing per meeting (see `_queue_time`).

Registration windows (issue 9, section 2): before `registration_opens_at` a registration is
refused with REGISTRATION_NOT_OPEN, except at a Summit meeting (`is_summit`), where it is taken as
PRE_REGISTERED (no place yet, queued in order); from `registration_closes_at` on,
REGISTRATION_CLOSED.
Pre-registrations are admitted (REGISTERED while places last, then WAITLISTED, in queue order) once
the meeting's registration is open (`admit_pre_registrations`): by the background job that looks
for meetings whose registration opened (`core.meetings.lifecycle.admit_due`: the server's loop
every `notify_interval` seconds, or `ogp-wg notify admit` / `notify send` from cron), or by any
earlier write on the meeting (a registration, a cancellation, an update), which admits first.
Between the opening time and the first of these, a read still shows the queue PRE_REGISTERED
(bound: one interval of the job). Every change of a meeting raises its `sequence`
and is kept in `meeting_changes` with an activity event (core/meetings/history.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Insert, Update, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.activity.services import publish_meeting
from core.db import utcnow
from core.enums import MeetingKind, RegistrationStatus
from core.errors import Rejected, UserError, user_error
from core.groups.models import WorkingGroup
from core.meetings import history
from core.meetings.models import Meeting, Registration
from core.transactions import ConstraintError
from core.validation import url_problem

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    # what a concurrent write can still hit after the checks below, by constraint name
    # (the ck_registrations_* and ck_meeting_links_* ones are core_0013's triggers)
    "ck_registrations_pre_registered_at_summit": ConstraintError(
        "REGISTRATION_NOT_OPEN",
        "registration has not opened (pre-registration is for Summit meetings only)",
        "meetingId",
    ),
    "ck_registrations_attendance_after_start": ConstraintError(
        "MEETING_NOT_STARTED", "the meeting has not started", "meetingId"
    ),
    "ck_registrations_attendance_with_place": ConstraintError(
        "NOT_ATTENDABLE", "a registration without a place cannot attend", "attendance"
    ),
    "ck_meeting_links_limit": ConstraintError(
        "TOO_MANY_LINKS", "a meeting carries at most 20 links; remove one first", "meetingId"
    ),
    "uq_registrations_meeting_id_person_id": ConstraintError(
        "DUPLICATE_REGISTRATION", "this person is already registered for the meeting", "personId"
    ),
    "ck_meetings_ends_after_start": ConstraintError(
        "ENDS_BEFORE_STARTS", "the meeting must end after it starts", "endsAt"
    ),
    "ck_meetings_within_capacity": ConstraintError(
        "MEETING_FULL", "the meeting has no places left", "meetingId"
    ),
    "ck_meetings_registration_opens_before_closes": ConstraintError(
        "REGISTRATION_WINDOW_INVALID",
        "registration must open before it closes",
        "registrationClosesAt",
    ),
    # core_0014's triggers
    "ck_registrations_registration_open": ConstraintError(
        "REGISTRATION_NOT_OPEN", "registration has not opened", "meetingId"
    ),
    "ck_registrations_registration_not_closed": ConstraintError(
        "REGISTRATION_CLOSED", "registration has closed", "meetingId"
    ),
    "ck_meetings_sequence_kept": ConstraintError(
        "CONSTRAINT_VIOLATION", "a meeting's sequence never goes down", "id"
    ),
}

UNSET: Any = object()


@dataclass
class MeetingChanges:
    """Fields of a meeting; UNSET leaves a field as it is (update) or to its default (create)."""

    title: Any = UNSET
    kind: Any = UNSET
    starts_at: Any = UNSET
    ends_at: Any = UNSET
    timezone: Any = UNSET
    location: Any = UNSET
    online_url: Any = UNSET
    capacity: Any = UNSET
    agenda: Any = UNSET
    is_summit: Any = UNSET
    registration_opens_at: Any = UNSET
    registration_closes_at: Any = UNSET

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not UNSET}


def _validate(merged: dict[str, Any]) -> None:
    """Check a meeting's full set of values; report every problem at once."""
    errors: list[UserError] = []
    title = merged.get("title")
    if not title or not str(title).strip():
        errors.append(user_error("REQUIRED", "title must not be blank", "title"))
    elif len(title) > 300:
        errors.append(user_error("TOO_LONG", "title is longer than 300 characters", "title"))
    for name, camel in (("starts_at", "startsAt"), ("ends_at", "endsAt")):
        value = merged.get(name)
        if value is None:
            errors.append(user_error("REQUIRED", f"{camel} is required", camel))
        elif value.tzinfo is None:
            message = f"{camel} needs a UTC offset, e.g. 2026-05-04T09:00:00+02:00"
            errors.append(user_error("NAIVE_DATETIME", message, camel))
    window = [merged.get("registration_opens_at"), merged.get("registration_closes_at")]
    for value, camel in zip(window, ("registrationOpensAt", "registrationClosesAt"), strict=True):
        if value is not None and value.tzinfo is None:
            message = f"{camel} needs a UTC offset, e.g. 2026-05-04T09:00:00+02:00"
            errors.append(user_error("NAIVE_DATETIME", message, camel))
    opens, closes = window
    if opens and closes and opens.tzinfo and closes.tzinfo and closes <= opens:
        errors.append(
            user_error(
                "REGISTRATION_WINDOW_INVALID",
                "registrationClosesAt must be after registrationOpensAt",
                "registrationClosesAt",
            )
        )
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if starts is not None and ends is not None and starts.tzinfo and ends.tzinfo and ends <= starts:
        errors.append(user_error("ENDS_BEFORE_STARTS", "endsAt must be after startsAt", "endsAt"))
    try:
        ZoneInfo(merged.get("timezone") or "")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        errors.append(
            user_error(
                "INVALID_TIMEZONE",
                f"{merged.get('timezone')!r} is not an IANA time zone (e.g. Europe/London)",
                "timezone",
            )
        )
    capacity = merged.get("capacity")
    if capacity is not None and capacity < 0:
        errors.append(user_error("INVALID_CAPACITY", "capacity must be 0 or more", "capacity"))
    url = merged.get("online_url")
    if url and (problem := url_problem(url, "onlineUrl")) is not None:
        errors.append(problem)  # the whole value checked, one message with every plugin's URLs
    kind = merged.get("kind")
    if kind == MeetingKind.IN_PERSON and not merged.get("location"):
        errors.append(
            user_error("LOCATION_REQUIRED", "an in-person meeting needs a location", "location")
        )
    if kind in (MeetingKind.VIRTUAL, MeetingKind.WEBINAR) and not url:
        errors.append(
            user_error("ONLINE_URL_REQUIRED", "a virtual meeting needs an onlineUrl", "onlineUrl")
        )
    if errors:
        raise Rejected(*errors)


async def schedule(
    conn: AsyncConnection,
    group_id: str,
    themes: tuple[str, ...],
    changes: MeetingChanges,
    actor_id: int | None = None,
) -> Any:
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    values = {
        "agenda": "",
        "is_summit": False,
        "location": None,
        "online_url": None,
        "capacity": None,
    } | changes.given()
    _validate(values)
    stmt = (
        insert(Meeting)
        .values(group_id=group.id, registered_count=0, sequence=0, minutes="", **values)
        .returning(*Meeting.__table__.c)
    )
    meeting = (await conn.execute(stmt)).one()
    await history.scheduled(conn, meeting, actor_id)
    return meeting


async def _locked_meeting(
    conn: AsyncConnection,
    pk: int,
    themes: tuple[str, ...],
    global_id: str,
    *field: str,
    asked_for: str = "Meeting",
) -> Any:
    """The meeting row, locked until the transaction ends; NOT_FOUND if its group is hidden."""
    stmt = (
        select(*Meeting.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(Meeting.id == pk, WorkingGroup.theme.in_(themes))
        .with_for_update(of=Meeting)
    )
    return await lookups.one_or_reject(conn, stmt, asked_for, global_id, *field)


async def update_meeting(
    conn: AsyncConnection,
    meeting_id: str,
    themes: tuple[str, ...],
    changes: MeetingChanges,
    actor_id: int | None = None,
    reason: str = "",
) -> Any:
    """Change the given fields; a change of anything raises `sequence` and is kept in the
    history (MEETING_MOVED when a time changed, else MEETING_CHANGED). MEETING_CANCELLED for a
    cancelled meeting."""
    pk = lookups.decode(meeting_id, "Meeting", "id")
    meeting = await _locked_meeting(conn, pk, themes, meeting_id, "id")
    if meeting.cancelled_at is not None:
        raise Rejected(user_error("MEETING_CANCELLED", "the meeting was cancelled", "id"))
    given = {k: v for k, v in changes.given().items() if v != getattr(meeting, k)}
    merged = dict(meeting._mapping) | given
    _validate(merged)
    capacity = merged["capacity"]
    if capacity is not None and capacity < meeting.registered_count:
        raise Rejected(
            user_error(
                "CAPACITY_BELOW_REGISTERED",
                f"{meeting.registered_count} people are registered; cancel some first",
                "capacity",
            )
        )
    if given:  # the database raises `sequence` and writes the history row (core_0014)
        await conn.execute(update(Meeting).where(Meeting.id == meeting.id).values(**given))
    if "capacity" in given:
        await _promote_waitlist(conn, meeting.id)
    stmt = select(*Meeting.__table__.c).where(Meeting.id == meeting.id)
    updated = (await conn.execute(stmt)).one()
    await admit_pre_registrations(conn, updated)
    if given:
        await history.changed(conn, meeting, updated, sorted(given), actor_id, reason)
    return updated


async def admit_pre_registrations(
    conn: AsyncConnection, meeting: Any, now: datetime | None = None
) -> int:
    """Once registration has opened by `now` (default: the clock; `meeting` locked), give the
    pre-registered places in the order they pre-registered: REGISTERED while places last, then
    WAITLISTED. Returns how many were admitted: 0 before the window opens, for a cancelled
    meeting, or when nobody pre-registered."""
    opens = meeting.registration_opens_at
    if opens is None or opens > (now or utcnow()) or meeting.cancelled_at is not None:
        return 0
    waiting = (
        await conn.scalars(
            select(Registration.id)
            .where(
                Registration.meeting_id == meeting.id,
                Registration.status == RegistrationStatus.PRE_REGISTERED,
            )
            .order_by(Registration.queued_at, Registration.id)
        )
    ).all()
    for registration_id in waiting:
        status = (
            RegistrationStatus.REGISTERED
            if await _take_place(conn, meeting.id)
            else RegistrationStatus.WAITLISTED
        )
        await conn.execute(
            update(Registration)
            .where(Registration.id == registration_id)
            .values(status=status, queued_at=await _queue_time(conn, meeting.id))
        )
    return len(waiting)


async def _take_place(conn: AsyncConnection, meeting_pk: int) -> bool:
    """Atomically take one place if any is left."""
    stmt = (
        update(Meeting)
        .where(
            Meeting.id == meeting_pk,
            (Meeting.capacity.is_(None)) | (Meeting.registered_count < Meeting.capacity),
        )
        .values(registered_count=Meeting.registered_count + 1)
        .returning(Meeting.id)
    )
    return (await conn.execute(stmt)).first() is not None


async def _queue_time(conn: AsyncConnection, meeting_pk: int) -> datetime:
    """The time at which a registration joins one of the meeting's queues, with the meeting
    row locked: now, or 1 microsecond after the meeting's latest entry if that is not earlier.

    So entries never tie (several promotions in one transaction, a coarse clock) and keep the
    order of the locked transactions even when the clocks of several app hosts disagree.
    """
    latest = (
        await conn.execute(
            select(func.max(Registration.queued_at)).where(Registration.meeting_id == meeting_pk)
        )
    ).scalar()
    now = utcnow()
    return now if latest is None or now > latest else latest + timedelta(microseconds=1)


async def _promote_waitlist(conn: AsyncConnection, meeting_pk: int) -> None:
    """Give freed places to the waitlist, first come first served: longest waiting first.

    Runs with the meeting row locked (every caller holds it), so no other transaction can take
    the same place or promote the same person.
    """
    while True:
        first_waiting = (
            await conn.execute(
                select(Registration.id)
                .where(
                    Registration.meeting_id == meeting_pk,
                    Registration.status == RegistrationStatus.WAITLISTED,
                )
                .order_by(Registration.queued_at, Registration.id)
                .limit(1)
            )
        ).first()
        if first_waiting is None or not await _take_place(conn, meeting_pk):
            return
        await conn.execute(
            update(Registration)
            .where(Registration.id == first_waiting.id)
            .values(
                status=RegistrationStatus.REGISTERED,
                queued_at=await _queue_time(conn, meeting_pk),  # joins the registered list
            )
        )


async def register(
    conn: AsyncConnection, *, meeting_id: str, person_id: str, themes: tuple[str, ...]
) -> Any:
    pk = lookups.decode(meeting_id, "Meeting", "meetingId")
    meeting = await _locked_meeting(conn, pk, themes, meeting_id, "meetingId")
    person = await lookups.person(conn, person_id, "personId")
    now = utcnow()
    if meeting.cancelled_at is not None:
        raise Rejected(user_error("MEETING_CANCELLED", "the meeting was cancelled", "meetingId"))
    if meeting.ends_at <= now:
        raise Rejected(user_error("MEETING_ENDED", "the meeting is over", "meetingId"))
    opens, closes = meeting.registration_opens_at, meeting.registration_closes_at
    early = opens is not None and now < opens
    if early and not meeting.is_summit:
        message = f"registration opens at {opens.isoformat()}"
        raise Rejected(user_error("REGISTRATION_NOT_OPEN", message, "meetingId"))
    if closes is not None and now >= closes:
        message = f"registration closed at {closes.isoformat()}"
        raise Rejected(user_error("REGISTRATION_CLOSED", message, "meetingId"))
    if not early:
        await admit_pre_registrations(conn, meeting)
    existing = (
        await conn.execute(
            select(Registration.id, Registration.status).where(
                Registration.meeting_id == meeting.id, Registration.person_id == person.id
            )
        )
    ).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise Rejected(
            user_error(
                "DUPLICATE_REGISTRATION",
                f"this person is already {existing.status.lower()} for the meeting",
                "personId",
            )
        )
    if early:  # a Summit meeting before its registration opens: in the queue, no place yet
        status = RegistrationStatus.PRE_REGISTERED
    elif await _take_place(conn, meeting.id):
        status = RegistrationStatus.REGISTERED
    else:
        status = RegistrationStatus.WAITLISTED
    queued_at = await _queue_time(conn, meeting.id)
    stmt: Update | Insert
    if existing is not None:
        # A cancelled registration comes back at the end of the queue: a new queued_at, while the
        # row (its id, created_at) stays. Ordering by id would put it back where it was.
        stmt = (
            update(Registration)
            .where(Registration.id == existing.id)
            .values(status=status, queued_at=queued_at)
        )
    else:
        stmt = insert(Registration).values(
            meeting_id=meeting.id,
            person_id=person.id,
            status=status,
            created_at=queued_at,
            queued_at=queued_at,
        )
    registration = (await conn.execute(stmt.returning(*Registration.__table__.c))).one()
    await publish_meeting(conn, meeting.id)  # meetingChanged subscribers: places changed
    return registration


async def cancel(conn: AsyncConnection, *, registration_id: str, themes: tuple[str, ...]) -> Any:
    pk = lookups.decode(registration_id, "Registration", "id")
    row = await lookups.one_or_reject(
        conn,
        select(Registration.meeting_id).where(Registration.id == pk),
        "Registration",
        registration_id,
        "id",
    )
    meeting = await _locked_meeting(
        conn, row.meeting_id, themes, registration_id, "id", asked_for="Registration"
    )
    await admit_pre_registrations(conn, meeting)
    reg = (await conn.execute(select(*Registration.__table__.c).where(Registration.id == pk))).one()
    if reg.status in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.ATTENDED,
        RegistrationStatus.NO_SHOW,
    ):
        raise Rejected(
            user_error("NOT_CANCELLABLE", f"the registration is already {reg.status.lower()}", "id")
        )
    await conn.execute(
        update(Registration)
        .where(Registration.id == pk)
        .values(status=RegistrationStatus.CANCELLED)
    )
    if reg.status == RegistrationStatus.REGISTERED:
        await conn.execute(
            update(Meeting)
            .where(Meeting.id == reg.meeting_id)
            .values(registered_count=Meeting.registered_count - 1)
        )
        await _promote_waitlist(conn, reg.meeting_id)
    await publish_meeting(conn, reg.meeting_id)  # meetingChanged subscribers: places changed
    stmt = select(*Registration.__table__.c).where(Registration.id == pk)
    return (await conn.execute(stmt)).one()
