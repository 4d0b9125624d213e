"""Root mutations of the meetings domain: thin wrappers over core/meetings/services.py, one
transaction each (core.transactions): meetings and registrations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from core.enums import MeetingKind
from core.errors import UserError
from core.loading import prefetched
from core.meetings import services as meetings
from core.meetings import types
from core.transactions import in_transaction


def _given(value: Any) -> Any:
    return meetings.UNSET if value is strawberry.UNSET else value


# --- Meetings and registrations -----------------------------------------------------------------


@strawberry.input
class MeetingScheduleInput:
    group_id: strawberry.ID
    title: str
    kind: MeetingKind
    starts_at: datetime = strawberry.field(description="With a UTC offset.")
    ends_at: datetime
    timezone: str = strawberry.field(description="IANA time zone, e.g. Europe/London.")
    location: str | None = None
    online_url: str | None = None
    capacity: int | None = strawberry.field(default=None, description="null: unlimited.")
    agenda: str | None = None
    is_summit: bool = False


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
    )
    return meetings.MeetingChanges(**{n: _given(getattr(data, n)) for n in names})


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
            lambda conn: meetings.schedule(conn, input.group_id, ctx.app.visible_themes, changes),
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
            lambda conn: meetings.update_meeting(conn, input.id, ctx.app.visible_themes, changes),
        )
        return await prefetched(
            info, MeetingPayload(meeting=row and types.Meeting.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(description="Register a person; when the meeting is full, waitlist them.")
    async def registration_create(
        self, info: Info, input: RegistrationCreateInput
    ) -> RegistrationPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: meetings.register(
                conn,
                meeting_id=input.meeting_id,
                person_id=input.person_id,
                themes=ctx.app.visible_themes,
            ),
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
        row, errors = await in_transaction(
            ctx,
            lambda conn: meetings.cancel(
                conn, registration_id=input.id, themes=ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info,
            RegistrationPayload(
                registration=row and types.Registration.from_row(row), user_errors=errors
            ),
        )
