"""Taking registrations without ever overbooking: the queue of a meeting.

A registration locks its meeting row (SELECT ... FOR UPDATE on PostgreSQL; the transaction's
BEGIN IMMEDIATE on SQLite), then takes a place by an UPDATE of `registered_count`: the locked row
says whether one is left (nobody else can take it while the lock is held), except once the
meeting's registration window has opened, when pre-registrations may be admitted first in the same
transaction and the UPDATE is conditional (one more round trip); the
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
(bound: one interval of the job).

On PostgreSQL, `registrationCreate` first calls `register_at_once` (core.meetings.at_once: the
common case in one statement, its own transaction); what it does not take is decided here.

Every statement here is built once (`core.driver.DriverStatement`) and runs through
`core.driver.rows`: `registrationCreate` and `registrationCancel` run theirs in a transaction on
the driver's connection (issue 12: SQLAlchemy's work per statement was most of a registration's
server time), while a meeting's update and the admission job run the same rules inside their
SQLAlchemy transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, false, func, insert, select, update

from core import lookups
from core.activity.services import publish_meeting
from core.db import utcnow
from core.driver import DriverStatement, rows
from core.driver import WriteConnection as Connection
from core.enums import RegistrationStatus
from core.errors import Rejected, user_error
from core.groups.models import WorkingGroup
from core.meetings.models import Meeting, Registration
from core.people.models import Person

_REGISTRATION = tuple(Registration.__table__.c)


@cache
def _lock(themes: tuple[str, ...]) -> DriverStatement:
    """The meeting `pk`, locked, if its group's theme is one of `themes` (an app's visible
    themes: one statement per app)."""
    # one bind per theme: an empty or expanding IN is rendered per execution, not once
    visible: list[Any] = [bindparam(f"theme_{i}", theme) for i, theme in enumerate(themes)]
    return DriverStatement(
        select(*Meeting.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(
            Meeting.id == bindparam("pk"), WorkingGroup.theme.in_(visible) if visible else false()
        )
        .with_for_update(of=Meeting)
    )


@cache
def _meeting_of(model: Any) -> DriverStatement:
    return DriverStatement(select(model.meeting_id).where(model.id == bindparam("pk")))


_PRE_REGISTERED = DriverStatement(
    select(Registration.id)
    .where(
        Registration.meeting_id == bindparam("meeting"),
        Registration.status == RegistrationStatus.PRE_REGISTERED,
    )
    .order_by(Registration.queued_at, Registration.id)
)
"""A meeting's pre-registrations, in queue order."""
_FIRST_WAITING = DriverStatement(
    select(Registration.id)
    .where(
        Registration.meeting_id == bindparam("meeting"),
        Registration.status == RegistrationStatus.WAITLISTED,
    )
    .order_by(Registration.queued_at, Registration.id)
    .limit(1)
)
"""The head of a meeting's waitlist (one row, however long the waitlist)."""
_TAKE_PLACE = DriverStatement(
    update(Meeting)
    .where(
        Meeting.id == bindparam("meeting"),
        (Meeting.capacity.is_(None)) | (Meeting.registered_count < Meeting.capacity),
    )
    .values(registered_count=Meeting.registered_count + 1)
    .returning(Meeting.id)
)
_FREE_PLACE = DriverStatement(
    update(Meeting)
    .where(Meeting.id == bindparam("meeting"))
    .values(registered_count=Meeting.registered_count - 1)
)


def _latest_entry() -> Any:
    """The latest queue time of meeting `meeting` (None: no registration): a scalar subquery."""
    latest = select(func.max(Registration.queued_at))
    return latest.where(Registration.meeting_id == bindparam("meeting")).scalar_subquery()


_LATEST = DriverStatement(select(_latest_entry().label("latest")))
_THEIRS = select(Registration.id).where(
    Registration.meeting_id == bindparam("meeting"), Registration.person_id == bindparam("person")
)
_REGISTRANT_COLUMNS = (
    select(Person.id).where(Person.id == bindparam("person")).scalar_subquery().label("person"),
    _THEIRS.scalar_subquery().label("registration"),
    _THEIRS.with_only_columns(Registration.status).scalar_subquery().label("status"),
    _latest_entry().label("latest"),
)
_REGISTRANT = DriverStatement(select(*_REGISTRANT_COLUMNS))
"""With the meeting locked, in ONE statement (a round trip per question costs more than the
questions): `person` (the person's id, None if there is no such person), the person's
registration for the meeting (`registration`, `status`; None if none) and the meeting's latest
queue time (`latest`)."""
_TAKE_PLACE_AND_REGISTRANT = DriverStatement(
    update(Meeting)
    .where(Meeting.id == bindparam("meeting"))
    .values(registered_count=Meeting.registered_count + 1)
    .returning(*_REGISTRANT_COLUMNS)
)
"""`_REGISTRANT`'s answers and one place taken, in one statement: for a meeting locked and seen
to have room (a refusal after it rolls the place back with the rest). Its subqueries read
after the lock, as `_REGISTRANT` does (the lock was taken by an earlier statement)."""
_REQUEUE = DriverStatement(
    update(Registration)
    .where(Registration.id == bindparam("registration"))
    .values(status=bindparam("new_status"), queued_at=bindparam("new_queued_at"))
    .returning(*_REGISTRATION)
)
_INSERT = DriverStatement(
    insert(Registration)
    .values(
        meeting_id=bindparam("meeting"),
        person_id=bindparam("person"),
        status=bindparam("new_status"),
        created_at=bindparam("new_queued_at"),
        queued_at=bindparam("new_queued_at"),
    )
    .returning(*_REGISTRATION)
)
_READ = DriverStatement(select(*_REGISTRATION).where(Registration.id == bindparam("registration")))
_CANCEL = DriverStatement(
    update(Registration)
    .where(Registration.id == bindparam("registration"))
    .values(status=RegistrationStatus.CANCELLED)
)


async def locked_meeting(
    conn: Connection,
    pk: int,
    themes: tuple[str, ...],
    global_id: str,
    *field: str,
    asked_for: str = "Meeting",
) -> Any:
    """The meeting row, locked until the transaction ends; NOT_FOUND if its group is hidden."""
    found = await rows(conn, _lock(themes), pk=pk)
    if not found:
        raise lookups.not_found(asked_for, global_id, *field)
    return found[0]


async def locked_meeting_of(
    conn: Connection, model: Any, global_id: str, themes: tuple[str, ...]
) -> tuple[int, Any]:
    """(pk, its meeting's row locked) for the row of `model` (a model with `meeting_id`, e.g.
    Registration, MeetingLink) that `global_id` names; NOT_FOUND at `id` when either is absent
    or hidden."""
    type_name = model.__name__
    pk = lookups.decode(global_id, type_name, "id")
    found = await rows(conn, _meeting_of(model), pk=pk)
    if not found:
        raise lookups.not_found(type_name, global_id, "id")
    meeting = await locked_meeting(
        conn, found[0].meeting_id, themes, global_id, "id", asked_for=type_name
    )
    return pk, meeting


async def admit_pre_registrations(
    conn: Connection, meeting: Any, now: datetime | None = None
) -> int:
    """Once registration has opened by `now` (default: the clock; `meeting` locked), give the
    pre-registered places in the order they pre-registered: REGISTERED while places last, then
    WAITLISTED. Returns how many were admitted: 0 before the window opens, for a cancelled
    meeting, or when nobody pre-registered."""
    if not _admission_due(meeting, now or utcnow()):
        return 0
    waiting = await rows(conn, _PRE_REGISTERED, meeting=meeting.id)
    for registration in waiting:
        status = (
            RegistrationStatus.REGISTERED
            if await _take_place(conn, meeting.id)
            else RegistrationStatus.WAITLISTED
        )
        await _requeue(conn, registration.id, status, await _queue_time(conn, meeting.id))
    return len(waiting)


async def _take_place(conn: Connection, meeting_pk: int) -> bool:
    """Atomically take one place if any is left."""
    return bool(await rows(conn, _TAKE_PLACE, meeting=meeting_pk))


async def _requeue(
    conn: Connection, registration_pk: int, status: RegistrationStatus, queued_at: datetime
) -> Any:
    """The registration in `status`, joining its queue at `queued_at`; returns it."""
    (row,) = await rows(
        conn, _REQUEUE, registration=registration_pk, new_status=status, new_queued_at=queued_at
    )
    return row


def _after(latest: datetime | None) -> datetime:
    """Now, or 1 microsecond after `latest` (the meeting's latest queue entry) if that is not
    earlier: so entries never tie (several promotions in one transaction, a coarse clock) and
    keep the order of the locked transactions even when the clocks of several app hosts
    disagree."""
    now = utcnow()
    return now if latest is None or now > latest else latest + timedelta(microseconds=1)


async def _queue_time(conn: Connection, meeting_pk: int) -> datetime:
    """The time at which a registration joins one of the meeting's queues, with the meeting
    row locked (`_after` the latest entry)."""
    (row,) = await rows(conn, _LATEST, meeting=meeting_pk)
    return _after(row.latest)


async def promote_waitlist(conn: Connection, meeting_pk: int) -> None:
    """Give freed places to the waitlist, first come first served: longest waiting first.

    Runs with the meeting row locked (every caller holds it), so no other transaction can take
    the same place or promote the same person.
    """
    while True:
        first = await rows(conn, _FIRST_WAITING, meeting=meeting_pk)
        if not first or not await _take_place(conn, meeting_pk):
            return
        queued_at = await _queue_time(conn, meeting_pk)  # joins the registered list
        await _requeue(conn, first[0].id, RegistrationStatus.REGISTERED, queued_at)


async def register(
    conn: Connection, *, meeting_id: str, person_id: str, themes: tuple[str, ...]
) -> Any:
    pk = lookups.decode(meeting_id, "Meeting", "meetingId")
    meeting = await locked_meeting(conn, pk, themes, meeting_id, "meetingId")
    person_pk = lookups.decode(person_id, "Person", "personId")
    now = utcnow()
    refused = _refusal(meeting, now)
    early = meeting.registration_opens_at is not None and now < meeting.registration_opens_at
    admitting = refused is None and not early and _admission_due(meeting, now)
    # The locked row says whether a place is left; taken with the registrant's read (one round
    # trip) unless pre-registrations may be admitted first (they come before this person)
    room = meeting.capacity is None or meeting.registered_count < meeting.capacity
    taken = refused is None and not early and not admitting and room
    (found,) = await rows(
        conn,
        _TAKE_PLACE_AND_REGISTRANT if taken else _REGISTRANT,
        meeting=meeting.id,
        person=person_pk,
    )
    if found.person is None:
        raise lookups.not_found("Person", person_id, "personId")
    if refused is not None:
        raise refused
    admitted = await admit_pre_registrations(conn, meeting, now) if admitting else 0
    if found.registration is not None and found.status != RegistrationStatus.CANCELLED:
        raise Rejected(
            user_error(
                "DUPLICATE_REGISTRATION",
                f"this person is already {found.status.lower()} for the meeting",
                "personId",
            )
        )
    if early:  # a Summit meeting before its registration opens: in the queue, no place yet
        status = RegistrationStatus.PRE_REGISTERED
    elif taken or (admitting and await _take_place(conn, meeting.id)):
        status = RegistrationStatus.REGISTERED
    else:
        status = RegistrationStatus.WAITLISTED
    # the queue's latest entry as read with the person, unless pre-registrations joined it since
    queued_at = await _queue_time(conn, meeting.id) if admitted else _after(found.latest)
    if found.registration is not None:
        # A cancelled registration comes back at the end of the queue: a new queued_at, while the
        # row (its id, created_at) stays. Ordering by id would put it back where it was.
        registration = await _requeue(conn, found.registration, status, queued_at)
    else:
        (registration,) = await rows(
            conn,
            _INSERT,
            meeting=meeting.id,
            person=found.person,
            new_status=status,
            new_queued_at=queued_at,
        )
    await publish_meeting(conn, meeting.id)  # meetingChanged subscribers: places changed
    return registration


def _refusal(meeting: Any, now: datetime) -> Rejected | None:
    """Why the meeting takes no registration at `now` (cancelled, over, not open yet unless a
    Summit meeting's pre-registration, closed), or None."""
    if meeting.cancelled_at is not None:
        return Rejected(user_error("MEETING_CANCELLED", "the meeting was cancelled", "meetingId"))
    if meeting.ends_at <= now:
        return Rejected(user_error("MEETING_ENDED", "the meeting is over", "meetingId"))
    opens, closes = meeting.registration_opens_at, meeting.registration_closes_at
    if opens is not None and now < opens and not meeting.is_summit:
        message = f"registration opens at {opens.isoformat()}"
        return Rejected(user_error("REGISTRATION_NOT_OPEN", message, "meetingId"))
    if closes is not None and now >= closes:
        message = f"registration closed at {closes.isoformat()}"
        return Rejected(user_error("REGISTRATION_CLOSED", message, "meetingId"))
    return None


def _admission_due(meeting: Any, now: datetime) -> bool:
    """Whether pre-registrations may wait to be admitted (`admit_pre_registrations` would look):
    the registration has opened by `now` and the meeting is not cancelled."""
    opens = meeting.registration_opens_at
    return opens is not None and opens <= now and meeting.cancelled_at is None


async def cancel(conn: Connection, *, registration_id: str, themes: tuple[str, ...]) -> Any:
    pk, meeting = await locked_meeting_of(conn, Registration, registration_id, themes)
    await admit_pre_registrations(conn, meeting)
    (reg,) = await rows(conn, _READ, registration=pk)
    if reg.status in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.ATTENDED,
        RegistrationStatus.NO_SHOW,
    ):
        raise Rejected(
            user_error("NOT_CANCELLABLE", f"the registration is already {reg.status.lower()}", "id")
        )
    await rows(conn, _CANCEL, registration=pk)
    if reg.status == RegistrationStatus.REGISTERED:
        await rows(conn, _FREE_PLACE, meeting=reg.meeting_id)
        await promote_waitlist(conn, reg.meeting_id)
    await publish_meeting(conn, reg.meeting_id)  # meetingChanged subscribers: places changed
    (cancelled,) = await rows(conn, _READ, registration=pk)
    return cancelled
