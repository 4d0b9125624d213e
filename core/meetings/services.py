"""Scheduling and changing meetings (registrations: core/meetings/registrations.py).

Every change of a meeting raises its `sequence` and is kept in `meeting_changes` with an
activity event (core/meetings/history.py; the database writes the row, core_0014); a change of
capacity promotes the waitlist, and any write on a meeting first admits its due
pre-registrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.enums import MeetingKind
from core.errors import Rejected, UserError, user_error
from core.meetings import history, registrations
from core.meetings.models import MAX_DAYS, MAX_DURATION, Meeting
from core.meetings.registrations import locked_meeting
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
    "ck_meetings_max_duration": ConstraintError(
        "MEETING_TOO_LONG", f"a meeting lasts at most {MAX_DAYS} days", "endsAt"
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
    if starts is not None and ends is not None and starts.tzinfo and ends.tzinfo:
        if ends <= starts:
            message = "endsAt must be after startsAt"
            errors.append(user_error("ENDS_BEFORE_STARTS", message, "endsAt"))
        elif ends - starts > MAX_DURATION:  # the database's ck_meetings_max_duration (core_0020)
            message = f"a meeting lasts at most {MAX_DAYS} days: endsAt is too long after startsAt"
            errors.append(user_error("MEETING_TOO_LONG", message, "endsAt"))
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
    meeting = await locked_meeting(conn, pk, themes, meeting_id, "id")
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
        await registrations.promote_waitlist(conn, meeting.id)
    stmt = select(*Meeting.__table__.c).where(Meeting.id == meeting.id)
    updated = (await conn.execute(stmt)).one()
    await registrations.admit_pre_registrations(conn, updated)
    if given:
        await history.changed(conn, meeting, updated, sorted(given), actor_id, reason)
    return updated
