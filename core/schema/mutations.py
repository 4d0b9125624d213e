"""Root mutations of the core schema: thin wrappers over `core.services`, one transaction each."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from core.enums import AnchorRole, GroupStatus, MeetingKind, MembershipRole
from core.errors import UserError
from core.loading import prefetched
from core.schema import types
from core.schema.loaders import build_group
from core.services import groups, meetings
from core.transactions import in_transaction


def _given(value: Any) -> Any:
    return meetings.UNSET if value is strawberry.UNSET else value


# --- Working groups -----------------------------------------------------------------------------


@strawberry.input
class WorkingGroupCreateInput:
    slug: str = strawberry.field(description="URL name: lowercase letters, digits, hyphens.")
    name: str
    theme: str = strawberry.field(description="Key of an enabled theme.")
    summary: str | None = None
    description: str | None = None
    status: GroupStatus | None = strawberry.field(default=None, description="Default PROPOSED.")


@strawberry.input
class WorkingGroupUpdateInput:
    id: strawberry.ID
    name: str | None = None
    summary: str | None = None
    description: str | None = None
    status: GroupStatus | None = None


@strawberry.type
class WorkingGroupPayload:
    working_group: types.WorkingGroup | None
    user_errors: list[UserError]


# --- Anchors and members ------------------------------------------------------------------------


@strawberry.input
class AnchorSetInput:
    group_id: strawberry.ID
    organization_id: strawberry.ID
    role: AnchorRole
    since: date | None = None
    replace: bool = strawberry.field(
        default=False, description="Replace the current anchor of this role instead of failing."
    )


@strawberry.input
class AnchorRemoveInput:
    group_id: strawberry.ID
    role: AnchorRole


@strawberry.type
class AnchorPayload:
    anchor: types.Anchor | None
    user_errors: list[UserError]


@strawberry.input
class MembershipAddInput:
    group_id: strawberry.ID
    organization_id: strawberry.ID
    role: MembershipRole = MembershipRole.MEMBER


@strawberry.input
class MembershipRemoveInput:
    group_id: strawberry.ID
    organization_id: strawberry.ID


@strawberry.type
class MembershipPayload:
    membership: types.Membership | None
    user_errors: list[UserError]


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
    @strawberry.mutation(description="Create a working group of an enabled theme.")
    async def working_group_create(
        self, info: Info, input: WorkingGroupCreateInput
    ) -> WorkingGroupPayload:
        ctx = info.context
        changes = groups.GroupChanges(input.name, input.summary, input.description, input.status)
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.create_group(
                conn,
                slug=input.slug,
                theme=input.theme,
                themes=ctx.app.visible_themes,
                changes=changes,
            ),
        )
        return await prefetched(
            info,
            WorkingGroupPayload(working_group=row and build_group(ctx, row), user_errors=errors),
        )

    @strawberry.mutation(description="Change a group's name, texts or status.")
    async def working_group_update(
        self, info: Info, input: WorkingGroupUpdateInput
    ) -> WorkingGroupPayload:
        ctx = info.context
        changes = groups.GroupChanges(input.name, input.summary, input.description, input.status)
        row, errors = await in_transaction(
            ctx, lambda conn: groups.update_group(conn, input.id, ctx.app.visible_themes, changes)
        )
        return await prefetched(
            info,
            WorkingGroupPayload(working_group=row and build_group(ctx, row), user_errors=errors),
        )

    @strawberry.mutation(description="Set the government or civil-society anchor of a group.")
    async def anchor_set(self, info: Info, input: AnchorSetInput) -> AnchorPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.set_anchor(
                conn,
                group_id=input.group_id,
                organization_id=input.organization_id,
                role=input.role,
                since=input.since,
                replace=input.replace,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info, AnchorPayload(anchor=row and types.Anchor.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(description="Remove a group's anchor for one role.")
    async def anchor_remove(self, info: Info, input: AnchorRemoveInput) -> AnchorPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.remove_anchor(
                conn, group_id=input.group_id, role=input.role, themes=ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info, AnchorPayload(anchor=row and types.Anchor.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(description="Add an organisation to a group.")
    async def membership_add(self, info: Info, input: MembershipAddInput) -> MembershipPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.add_member(
                conn,
                group_id=input.group_id,
                organization_id=input.organization_id,
                role=input.role,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info,
            MembershipPayload(
                membership=row and types.Membership.from_row(row), user_errors=errors
            ),
        )

    @strawberry.mutation(description="Remove an organisation from a group.")
    async def membership_remove(
        self, info: Info, input: MembershipRemoveInput
    ) -> MembershipPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.remove_member(
                conn,
                group_id=input.group_id,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info,
            MembershipPayload(
                membership=row and types.Membership.from_row(row), user_errors=errors
            ),
        )

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
