"""Core GraphQL object types. Plain attributes are dataclass fields (resolved synchronously);
relations are async resolvers that go through a per-request loader, one query per level.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import strawberry

from core.enums import (
    AnchorRole,
    GroupStatus,
    MeetingKind,
    MembershipRole,
    OrganizationKind,
    RegistrationStatus,
)
from core.limits import LIST_SIZE, MAX_PAGE_SIZE
from core.loading import relation
from core.schema import loaders
from core.schema.ids import to_global_id
from core.schema.pagination import Connection


@strawberry.interface(description="An object with a global ID, fetchable with `node(id:)`.")
class Node:
    pk: strawberry.Private[int]
    node_type: ClassVar[str]
    """The type name in this object's global IDs."""

    @strawberry.field(description="Global ID: opaque, unique across types.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(self.node_type, self.pk))  # only when selected


@strawberry.interface(
    description="A score from a published index (Open Budget Index, RTI Rating, ODIN...). Every "
    "plugin's scores implement it, so a front end charts any index the same way; compare two "
    "scores only when their `methodologyVersion` is the same."
)
class Assessment:
    score: float
    scale_max: float = strawberry.field(description="The best possible score on this scale.")
    edition: str = strawberry.field(description="Edition or year of the index, e.g. '2023'.")
    methodology_version: str = strawberry.field(
        description="Scores from different methodology versions are not comparable."
    )
    source_url: str | None = strawberry.field(
        description="Where the published figure can be checked; null for an illustrative "
        "figure that cites no page."
    )


@strawberry.type(description="A thematic area served by an enabled plugin.")
class Theme:
    key: str
    title: str
    summary: str
    version: str


@strawberry.type(description="An OGP participating country.")
class Country(Node):
    node_type: ClassVar[str] = "Country"
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
            pk=row.id,
            code=row.alpha2,
            alpha3=row.alpha3,
            name=row.name,
            region=row.region,
            ogp_member_since=row.ogp_member_since,
            action_plan_cycle=row.action_plan_cycle,
        )

    @relation(
        loaders.organizations_by_country,
        default=[],
        description="Organisations based in this country, by name (`first`: 1..100).",
    )
    def organizations(self, first: int = MAX_PAGE_SIZE) -> list[Organization]: ...

    @relation(
        loaders.groups_by_country,
        default=[],
        description="Visible groups anchored or joined by its organisations, by name (`first`: "
        "1..100).",
    )
    def working_groups(self, first: int = MAX_PAGE_SIZE) -> list[WorkingGroup]: ...


@strawberry.type(description="A government, civil-society or other organisation.")
class Organization(Node):
    node_type: ClassVar[str] = "Organization"
    country_pk: strawberry.Private[int | None]
    name: str
    kind: OrganizationKind
    website: str | None

    @classmethod
    def from_row(cls, row: Any) -> Organization:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            name=row.name,
            kind=row.kind,
            website=row.website,
        )

    @relation(loaders.countries_by_id, key="country_pk")
    def country(self) -> Country | None: ...

    @relation(
        loaders.groups_by_organization,
        default=[],
        description="Visible groups this organisation anchors or is a member of, by name "
        "(`first`: 1..100).",
    )
    def working_groups(self, first: int = MAX_PAGE_SIZE) -> list[WorkingGroup]: ...

    @relation(
        loaders.people_by_organization,
        default=[],
        description="People of this organisation, by name (`first`: 1..100; their e-mail is "
        "never public).",
    )
    def people(self, first: int = MAX_PAGE_SIZE) -> list[Person]: ...


@strawberry.type(description="Someone who registers for meetings.")
class Person(Node):
    node_type: ClassVar[str] = "Person"
    organization_pk: strawberry.Private[int | None]
    name: str

    @relation(
        loaders.emails_by_person,
        description="E-mail address: for the person themself and staff; null for others.",
    )
    def email(self) -> str | None: ...

    @classmethod
    def from_row(cls, row: Any) -> Person:
        return cls(
            pk=row.id,
            organization_pk=row.organization_id,
            name=row.name,
        )

    @relation(loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Organization | None: ...


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
    node_type: ClassVar[str] = "WorkingGroup"
    slug: str
    name: str
    theme: str = strawberry.field(description="Key of the thematic area (see `themes`).")
    summary: str
    description: str
    status: GroupStatus
    created_at: datetime
    updated_at: datetime

    @relation(
        loaders.anchors_by_group,
        default=[],
        description="The government and civil-society anchors (at most one each).",
        metadata={LIST_SIZE: len(AnchorRole)},
    )
    def anchors(self) -> list[Anchor]: ...

    @relation(
        loaders.members_by_group,
        default=[],
        description="Member and observer organisations, earliest first (`first`: 1..100).",
    )
    def members(
        self, role: MembershipRole | None = None, first: int = MAX_PAGE_SIZE
    ) -> list[Membership]: ...

    @relation(
        loaders.member_counts_by_group,
        default=0,
        description="Number of member and observer organisations.",
    )
    def member_count(self) -> int: ...

    @relation(loaders.meetings_by_group, description="The group's meetings, earliest first.")
    def meetings(
        self,
        filter: GroupMeetingsFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Meeting]: ...


def group_fields(row: Any) -> dict[str, Any]:
    """Constructor arguments of any concrete WorkingGroup type, from a `working_groups` row."""
    return {
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
    node_type: ClassVar[str] = "Anchor"
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    role: AnchorRole
    since: date | None

    @classmethod
    def from_row(cls, row: Any) -> Anchor:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            role=row.role,
            since=row.since,
        )

    @relation(loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Organization: ...

    @relation(loaders.groups_by_id, key="group_pk")
    def group(self) -> WorkingGroup | None: ...


@strawberry.type(description="An organisation taking part in a group.")
class Membership(Node):
    node_type: ClassVar[str] = "Membership"
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    role: MembershipRole
    joined_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Membership:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            role=row.role,
            joined_at=row.joined_at,
        )

    @relation(loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Organization: ...

    @relation(loaders.groups_by_id, key="group_pk")
    def group(self) -> WorkingGroup | None: ...


@strawberry.type(description="An in-person meeting, virtual session or webinar of a group.")
class Meeting(Node):
    node_type: ClassVar[str] = "Meeting"
    group_pk: strawberry.Private[int]
    title: str
    kind: MeetingKind
    starts_at: datetime
    ends_at: datetime
    timezone: str = strawberry.field(description="IANA time zone the meeting is held in.")
    location: str | None
    online_url: str | None = strawberry.field(
        description="Join URL: for people with a place, the group's anchors and staff; null "
        "for others (`kind` still says whether the meeting is online)."
    )
    capacity: int | None = strawberry.field(description="null: unlimited.")
    registered_count: int
    agenda: str
    is_summit: bool = strawberry.field(description="Part of an OGP Summit.")

    @classmethod
    def from_row(cls, row: Any) -> Meeting:
        return cls(
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

    @relation(loaders.groups_by_id, key="group_pk")
    def group(self) -> WorkingGroup | None: ...

    @relation(
        loaders.registrations_by_meeting,
        description=(
            "Registrations in the order they joined their current queue (`queuedAt`): the"
            " waitlist in the order it is promoted, the registered in the order they got a place."
        ),
    )
    def registrations(
        self,
        status: RegistrationStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Registration]: ...


@strawberry.type(description="One person's place (or waitlist spot) at a meeting.")
class Registration(Node):
    node_type: ClassVar[str] = "Registration"
    meeting_pk: strawberry.Private[int]
    person_pk: strawberry.Private[int]
    status: RegistrationStatus
    created_at: datetime
    queued_at: datetime = strawberry.field(
        description="When the person last joined the waitlist or got a place: the waitlist is"
        " first come, first served by this time. Cancelling and registering again starts anew."
    )

    @classmethod
    def from_row(cls, row: Any) -> Registration:
        return cls(
            pk=row.id,
            meeting_pk=row.meeting_id,
            person_pk=row.person_id,
            status=row.status,
            created_at=row.created_at,
            queued_at=row.queued_at,
        )

    @relation(loaders.people_by_id, key="person_pk")
    def person(self) -> Person: ...

    @relation(loaders.meetings_by_id, key="meeting_pk")
    def meeting(self) -> Meeting | None: ...
