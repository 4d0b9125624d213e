"""Core GraphQL object types. Plain attributes are dataclass fields (resolved synchronously);
relations are async resolvers that go through a per-request loader, one query per level.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from core.enums import (
    AnchorRole,
    GroupStatus,
    MeetingKind,
    MembershipRole,
    OrganizationKind,
    RegistrationStatus,
)
from core.schema.ids import to_global_id
from core.schema.pagination import Connection


@strawberry.interface(description="An object with a global ID, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


@strawberry.type(description="A thematic area served by an enabled plugin.")
class Theme:
    key: str
    title: str
    summary: str
    version: str


@strawberry.type(description="An OGP participating country.")
class Country(Node):
    pk: strawberry.Private[int]
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    alpha3: str = strawberry.field(description="ISO 3166-1 alpha-3 code.")
    name: str
    region: str
    ogp_member_since: date | None
    action_plan_cycle: str | None = strawberry.field(
        description="The national action plan cycle in force, e.g. '2024-2026'."
    )

    @classmethod
    def from_row(cls, row: Any) -> Country:
        return cls(
            id=strawberry.ID(to_global_id("Country", row.id)),
            pk=row.id,
            code=row.alpha2,
            alpha3=row.alpha3,
            name=row.name,
            region=row.region,
            ogp_member_since=row.ogp_member_since,
            action_plan_cycle=row.action_plan_cycle,
        )

    @strawberry.field(description="Organisations based in this country.")
    async def organizations(self, info: Info) -> list[Organization]:
        return await info.context.loader("organizations_by_country").load(self.pk)

    @strawberry.field(description="Visible groups anchored or joined by its organisations.")
    async def working_groups(self, info: Info) -> list[WorkingGroup]:
        return await info.context.loader("groups_by_country").load(self.pk)


@strawberry.type(description="A government, civil-society or other organisation.")
class Organization(Node):
    pk: strawberry.Private[int]
    country_pk: strawberry.Private[int | None]
    name: str
    kind: OrganizationKind
    website: str | None

    @classmethod
    def from_row(cls, row: Any) -> Organization:
        return cls(
            id=strawberry.ID(to_global_id("Organization", row.id)),
            pk=row.id,
            country_pk=row.country_id,
            name=row.name,
            kind=row.kind,
            website=row.website,
        )

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        if self.country_pk is None:
            return None
        return await info.context.loader("countries_by_id").load(self.country_pk)

    @strawberry.field(description="Visible groups this organisation anchors or is a member of.")
    async def working_groups(self, info: Info) -> list[WorkingGroup]:
        return await info.context.loader("groups_by_organization").load(self.pk)

    @strawberry.field(description="People of this organisation (their e-mail is never public).")
    async def people(self, info: Info) -> list[Person]:
        return await info.context.loader("people_by_organization").load(self.pk)


@strawberry.type(description="Someone who registers for meetings; e-mail is never exposed.")
class Person(Node):
    pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int | None]
    name: str

    @classmethod
    def from_row(cls, row: Any) -> Person:
        return cls(
            id=strawberry.ID(to_global_id("Person", row.id)),
            pk=row.id,
            organization_pk=row.organization_id,
            name=row.name,
        )

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        if self.organization_pk is None:
            return None
        return await info.context.loader("organizations_by_id").load(self.organization_pk)


@strawberry.input(description="Which meetings of a group to list.")
class GroupMeetingsFilter:
    kind: MeetingKind | None = None
    upcoming: bool | None = strawberry.field(
        default=None, description="true: not yet ended; false: already ended."
    )


@strawberry.interface(
    description="A thematic working group. Each theme's plugin provides the concrete type "
    "(e.g. `FiscalOpennessGroup`) with its domain fields: select them with `... on`."
)
class WorkingGroup(Node):
    pk: strawberry.Private[int]
    slug: str
    name: str
    theme: str = strawberry.field(description="Key of the thematic area (see `themes`).")
    summary: str
    description: str
    status: GroupStatus
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The government and civil-society anchors (at most one each).")
    async def anchors(self, info: Info) -> list[Anchor]:
        return await info.context.loader("anchors_by_group").load(self.pk)

    @strawberry.field(description="Member and observer organisations.")
    async def members(self, info: Info, role: MembershipRole | None = None) -> list[Membership]:
        members = await info.context.loader("members_by_group").load(self.pk)
        return members if role is None else [m for m in members if m.role == role]

    @strawberry.field(description="Number of member and observer organisations.")
    async def member_count(self, info: Info) -> int:
        return len(await info.context.loader("members_by_group").load(self.pk))

    @strawberry.field(description="The group's meetings, earliest first.")
    async def meetings(
        self,
        info: Info,
        filter: GroupMeetingsFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Meeting]:
        f = filter or GroupMeetingsFilter()
        key = (self.pk, f.kind, f.upcoming, first, after)
        return await info.context.loader("meetings_by_group").load(key)


def group_fields(row: Any) -> dict[str, Any]:
    """Constructor arguments of any concrete WorkingGroup type, from a `working_groups` row."""
    return {
        "id": strawberry.ID(to_global_id("WorkingGroup", row.id)),
        "pk": row.id,
        "slug": row.slug,
        "name": row.name,
        "theme": row.theme,
        "summary": row.summary,
        "description": row.description,
        "status": row.status,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


@strawberry.type(description="An organisation leading a group for one side of the partnership.")
class Anchor(Node):
    pk: strawberry.Private[int]
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    role: AnchorRole
    since: date | None

    @classmethod
    def from_row(cls, row: Any) -> Anchor:
        return cls(
            id=strawberry.ID(to_global_id("Anchor", row.id)),
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            role=row.role,
            since=row.since,
        )

    @strawberry.field
    async def organization(self, info: Info) -> Organization:
        return await info.context.loader("organizations_by_id").load(self.organization_pk)

    @strawberry.field
    async def group(self, info: Info) -> WorkingGroup | None:
        return await info.context.loader("groups_by_id").load(self.group_pk)


@strawberry.type(description="An organisation taking part in a group.")
class Membership(Node):
    pk: strawberry.Private[int]
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    role: MembershipRole
    joined_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Membership:
        return cls(
            id=strawberry.ID(to_global_id("Membership", row.id)),
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            role=row.role,
            joined_at=row.joined_at,
        )

    @strawberry.field
    async def organization(self, info: Info) -> Organization:
        return await info.context.loader("organizations_by_id").load(self.organization_pk)

    @strawberry.field
    async def group(self, info: Info) -> WorkingGroup | None:
        return await info.context.loader("groups_by_id").load(self.group_pk)


@strawberry.type(description="An in-person meeting, virtual session or webinar of a group.")
class Meeting(Node):
    pk: strawberry.Private[int]
    group_pk: strawberry.Private[int]
    title: str
    kind: MeetingKind
    starts_at: datetime
    ends_at: datetime
    timezone: str = strawberry.field(description="IANA time zone the meeting is held in.")
    location: str | None
    online_url: str | None
    capacity: int | None = strawberry.field(description="null: unlimited.")
    registered_count: int
    agenda: str
    is_summit: bool = strawberry.field(description="Part of an OGP Summit.")

    @classmethod
    def from_row(cls, row: Any) -> Meeting:
        return cls(
            id=strawberry.ID(to_global_id("Meeting", row.id)),
            pk=row.id,
            group_pk=row.group_id,
            title=row.title,
            kind=row.kind,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            timezone=row.timezone,
            location=row.location,
            online_url=row.online_url,
            capacity=row.capacity,
            registered_count=row.registered_count,
            agenda=row.agenda,
            is_summit=row.is_summit,
        )

    @strawberry.field(description="Places left (null: unlimited). Full meetings waitlist.")
    def remaining_places(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.registered_count

    @strawberry.field
    async def group(self, info: Info) -> WorkingGroup | None:
        return await info.context.loader("groups_by_id").load(self.group_pk)

    @strawberry.field(description="Registrations in the order they were made.")
    async def registrations(
        self,
        info: Info,
        status: RegistrationStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Registration]:
        key = (self.pk, status, first, after)
        return await info.context.loader("registrations_by_meeting").load(key)


@strawberry.type(description="One person's place (or waitlist spot) at a meeting.")
class Registration(Node):
    pk: strawberry.Private[int]
    meeting_pk: strawberry.Private[int]
    person_pk: strawberry.Private[int]
    status: RegistrationStatus
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Registration:
        return cls(
            id=strawberry.ID(to_global_id("Registration", row.id)),
            pk=row.id,
            meeting_pk=row.meeting_id,
            person_pk=row.person_id,
            status=row.status,
            created_at=row.created_at,
        )

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return await info.context.loader("people_by_id").load(self.person_pk)

    @strawberry.field
    async def meeting(self, info: Info) -> Meeting | None:
        return await info.context.loader("meetings_by_id").load(self.meeting_pk)
