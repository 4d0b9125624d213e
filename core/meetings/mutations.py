"""Root mutations of the meetings domain: thin wrappers over core/meetings/services.py,
registrations.py and lifecycle.py, one transaction each (core.transactions): meetings,
registrations, cancelling, attendance, minutes, links, the personal calendar feed's secret."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from core.enums import MeetingKind, MeetingLinkKind, RegistrationStatus
from core.errors import UserError
from core.loading import prefetched
from core.meetings import at_once, lifecycle, registrations, types
from core.meetings import services as meetings
from core.transactions import (
    at_once_or_in_driver_transaction,
    in_driver_transaction,
    in_transaction,
)


def _given(value: Any) -> Any:
    return meetings.UNSET if value is strawberry.UNSET else value


# --- Meetings and registrations -----------------------------------------------------------------


@strawberry.input
class MeetingScheduleInput:
    group_id: strawberry.ID
    title: str
    kind: MeetingKind
    starts_at: datetime = strawberry.field(description="With a UTC offset.")
    ends_at: datetime = strawberry.field(description="After startsAt, at most 14 days after it.")
    timezone: str = strawberry.field(description="IANA time zone, e.g. Europe/London.")
    location: str | None = None
    online_url: str | None = None
    capacity: int | None = strawberry.field(default=None, description="null: unlimited.")
    agenda: str | None = None
    is_summit: bool = False
    registration_opens_at: datetime | None = strawberry.field(
        default=None, description="null: registration open at once."
    )
    registration_closes_at: datetime | None = strawberry.field(
        default=None, description="null: open until the meeting ends."
    )


@strawberry.input(description="Fields left out stay as they are.")
class MeetingUpdateInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    kind: MeetingKind | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET
    ends_at: datetime | None = strawberry.UNSET
    timezone: str | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    online_url: str | None = strawberry.UNSET
    capacity: int | None = strawberry.UNSET
    agenda: str | None = strawberry.UNSET
    is_summit: bool | None = strawberry.UNSET
    registration_opens_at: datetime | None = strawberry.UNSET
    registration_closes_at: datetime | None = strawberry.UNSET
    reason: str | None = strawberry.field(
        default=None, description="Why (kept in the meeting's history; registrants are told)."
    )


@strawberry.type
class MeetingPayload:
    meeting: types.Meeting | None
    user_errors: list[UserError]


@strawberry.input
class RegistrationCreateInput:
    meeting_id: strawberry.ID
    person_id: strawberry.ID


@strawberry.input
class RegistrationCancelInput:
    id: strawberry.ID


@strawberry.type
class RegistrationPayload:
    registration: types.Registration | None
    user_errors: list[UserError]


def _meeting_changes(data: Any) -> meetings.MeetingChanges:
    names = (
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "timezone",
        "location",
        "online_url",
        "capacity",
        "agenda",
        "is_summit",
        "registration_opens_at",
        "registration_closes_at",
    )
    return meetings.MeetingChanges(**{n: _given(getattr(data, n)) for n in names})


@strawberry.input
class MeetingCancelInput:
    id: strawberry.ID
    reason: str = strawberry.field(default="", description="Kept in the history; told.")


@strawberry.enum(description="What the anchors record for a registration after the meeting.")
class AttendanceStatus(enum.StrEnum):
    ATTENDED = "ATTENDED"
    NO_SHOW = "NO_SHOW"


@strawberry.input
class AttendanceEntry:
    registration_id: strawberry.ID
    status: AttendanceStatus


@strawberry.input(description="Attendance of registrations of one meeting (all or none).")
class AttendanceRecordInput:
    meeting_id: strawberry.ID
    attendance: list[AttendanceEntry]


@strawberry.input
class MeetingMinutesSetInput:
    id: strawberry.ID
    minutes: str = strawberry.field(description="Replaces the minutes; at most 100000 characters.")


@strawberry.input
class MeetingLinkAddInput:
    meeting_id: strawberry.ID
    kind: MeetingLinkKind
    url: str = strawberry.field(description="Absolute http(s) URL.")
    title: str


@strawberry.input
class MeetingLinkRemoveInput:
    id: strawberry.ID


@strawberry.type
class MeetingLinkPayload:
    link: types.MeetingLink | None
    meeting: types.Meeting | None
    user_errors: list[UserError]


@strawberry.type
class CalendarFeedTokenPayload:
    url: str | None = strawberry.field(
        description="The personal feed's address, with its secret: shown this once."
    )
    token: str | None = strawberry.field(description="The secret alone (also in `url`).")
    user_errors: list[UserError]


async def _meeting_payload(info: Info, row: Any, errors: list[UserError]) -> MeetingPayload:
    payload = MeetingPayload(meeting=row and types.Meeting.from_row(row), user_errors=errors)
    result: MeetingPayload = await prefetched(info, payload)
    return result


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Schedule a meeting of a group.")
    async def meeting_schedule(self, info: Info, input: MeetingScheduleInput) -> MeetingPayload:
        ctx = info.context
        changes = _meeting_changes(input)
        if changes.agenda is None:
            changes.agenda = ""
        row, errors = await in_transaction(
            ctx,
            lambda conn: meetings.schedule(
                conn, input.group_id, ctx.app.visible_themes, changes, ctx.viewer.person_id
            ),
        )
        return await prefetched(
            info, MeetingPayload(meeting=row and types.Meeting.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(description="Change a meeting; raising capacity admits the waitlist.")
    async def meeting_update(self, info: Info, input: MeetingUpdateInput) -> MeetingPayload:
        ctx = info.context
        changes = _meeting_changes(input)
        row, errors = await in_transaction(
            ctx,
            lambda conn: meetings.update_meeting(
                conn,
                input.id,
                ctx.app.visible_themes,
                changes,
                ctx.viewer.person_id,
                input.reason or "",
            ),
        )
        return await prefetched(
            info, MeetingPayload(meeting=row and types.Meeting.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(description="Register a person; when the meeting is full, waitlist them.")
    async def registration_create(
        self, info: Info, input: RegistrationCreateInput
    ) -> RegistrationPayload:
        ctx = info.context
        asked = {
            "meeting_id": input.meeting_id,
            "person_id": input.person_id,
            "themes": ctx.app.visible_themes,
        }
        row, errors = await at_once_or_in_driver_transaction(
            ctx,
            lambda conn: at_once.register_at_once(conn, **asked),
            lambda conn: registrations.register(conn, **asked),
        )
        return await prefetched(
            info,
            RegistrationPayload(
                registration=row and types.Registration.from_row(row), user_errors=errors
            ),
        )

    @strawberry.mutation(description="Cancel a registration; the first on the waitlist moves up.")
    async def registration_cancel(
        self, info: Info, input: RegistrationCancelInput
    ) -> RegistrationPayload:
        ctx = info.context
        row, errors = await in_driver_transaction(
            ctx,
            lambda conn: registrations.cancel(
                conn, registration_id=input.id, themes=ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info,
            RegistrationPayload(
                registration=row and types.Registration.from_row(row), user_errors=errors
            ),
        )

    @strawberry.mutation(
        description="Cancel a meeting that has not ended: kept with its history; registrants "
        "are told (an activity event)."
    )
    async def meeting_cancel(self, info: Info, input: MeetingCancelInput) -> MeetingPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: lifecycle.cancel_meeting(
                conn, input.id, ctx.app.visible_themes, ctx.viewer.person_id, input.reason
            ),
        )
        return await _meeting_payload(info, row, errors)

    @strawberry.mutation(
        description="Record who attended (ATTENDED) and who did not (NO_SHOW), once the meeting "
        "has started."
    )
    async def attendance_record(self, info: Info, input: AttendanceRecordInput) -> MeetingPayload:
        ctx = info.context
        entries = [
            lifecycle.Attendance(e.registration_id, RegistrationStatus(e.status.value))
            for e in input.attendance
        ]
        row, errors = await in_transaction(
            ctx,
            lambda conn: lifecycle.record_attendance(
                conn, input.meeting_id, ctx.app.visible_themes, entries
            ),
        )
        return await _meeting_payload(info, row, errors)

    @strawberry.mutation(description="Set the minutes (or a summary) of a meeting that started.")
    async def meeting_minutes_set(
        self, info: Info, input: MeetingMinutesSetInput
    ) -> MeetingPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: lifecycle.set_minutes(
                conn, input.id, ctx.app.visible_themes, input.minutes
            ),
        )
        return await _meeting_payload(info, row, errors)

    @strawberry.mutation(description="Attach a link: a recording, slides or another page.")
    async def meeting_link_add(self, info: Info, input: MeetingLinkAddInput) -> MeetingLinkPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: lifecycle.add_link(
                conn, input.meeting_id, ctx.app.visible_themes, input.kind, input.url, input.title
            ),
        )
        link = row and types.MeetingLink.from_row(row)
        meeting = None
        if link is not None:
            meeting = await ctx.loader("meetings_by_id").load(link.meeting_pk)
        return await prefetched(
            info, MeetingLinkPayload(link=link, meeting=meeting, user_errors=errors)
        )

    @strawberry.mutation(description="Remove a link from a meeting.")
    async def meeting_link_remove(
        self, info: Info, input: MeetingLinkRemoveInput
    ) -> MeetingLinkPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx, lambda conn: lifecycle.remove_link(conn, input.id, ctx.app.visible_themes)
        )
        meeting = row and types.Meeting.from_row(row)
        return await prefetched(
            info, MeetingLinkPayload(link=None, meeting=meeting, user_errors=errors)
        )

    @strawberry.mutation(
        description="A new secret address for the viewer's personal calendar feed (the meetings "
        "they registered for, with join URLs where they have a place); the old one stops working."
    )
    async def calendar_feed_token_create(self, info: Info) -> CalendarFeedTokenPayload:
        ctx = info.context
        person_id = ctx.viewer.person_id
        assert person_id is not None  # the rule (SIGNED_IN) let only people in
        token, errors = await in_transaction(
            ctx, lambda conn: lifecycle.rotate_feed_token(conn, person_id)
        )
        url = None
        if token is not None:
            url = str(ctx.request.url_for("personal_calendar", token=token))
        return CalendarFeedTokenPayload(url=url, token=token, user_errors=errors)
