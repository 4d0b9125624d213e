"""GraphQL types of the meetings domain: Meeting, Registration, the filter of a group's meetings.

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.enums import MeetingKind, RegistrationStatus
from core.groups import loaders as groups_loaders
from core.loading import relation
from core.meetings import loaders
from core.people import loaders as people_loaders
from core.schema.base import Node
from core.schema.pagination import Connection

if TYPE_CHECKING:
    from core.groups.types import WorkingGroup
    from core.people.types import Person


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

    @relation(groups_loaders.groups_by_id, key="group_pk")
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

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

    @relation(people_loaders.people_by_id, key="person_pk")
    def person(self) -> Annotated[Person, strawberry.lazy("core.people.types")]: ...

    @relation(loaders.meetings_by_id, key="meeting_pk")
    def meeting(self) -> Meeting | None: ...
