"""GraphQL types of the meetings domain: Meeting, Registration, the filter of a group's meetings.

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import and_, case, or_

from core.comments import loaders as comments_loaders
from core.compiled.declare import computed
from core.db import utcnow
from core.enums import MeetingChangeKind, MeetingKind, MeetingLinkKind, RegistrationStatus
from core.groups import loaders as groups_loaders
from core.limits import LIST_SIZE
from core.loading import relation
from core.meetings import loaders
from core.people import loaders as people_loaders
from core.rows import request_now
from core.schema.base import Node
from core.schema.pagination import Connection
from core.translations.types import (
    Language,
    ServedText,
    original_language_field,
    texts_field,
    translatable,
)

if TYPE_CHECKING:
    from core.comments.types import CommentConnection
    from core.groups.types import WorkingGroup
    from core.people.types import Person


@strawberry.type(description="An in-person meeting, virtual session or webinar of a group.")
class Meeting(Node):
    node_type: ClassVar[str] = "Meeting"
    group_pk: strawberry.Private[int]
    # Translatable texts (core/translations): the attribute holds the original.
    title: strawberry.Private[str]
    served_title: str = translatable("Meeting", "title", "The meeting's title.")
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
    agenda: strawberry.Private[str]
    served_agenda: str = translatable("Meeting", "agenda", "Agenda or summary.")
    original_language: Language = original_language_field("Meeting")
    texts: list[ServedText] = texts_field("Meeting")
    is_summit: bool = strawberry.field(
        description="Part of an OGP Summit: people may pre-register before registration opens."
    )
    registration_opens_at: datetime | None = strawberry.field(
        description="When registration opens (null: open since scheduling). Before it: "
        "REGISTRATION_NOT_OPEN, or PRE_REGISTERED at a Summit meeting."
    )
    registration_closes_at: datetime | None = strawberry.field(
        description="When registration closes (null: when the meeting ends); from it on: "
        "REGISTRATION_CLOSED."
    )
    sequence: int = strawberry.field(
        description="Revision of the meeting, raised by every change (the calendar's SEQUENCE)."
    )
    cancelled_at: datetime | None = strawberry.field(description="null: not cancelled.")
    minutes: str = strawberry.field(description="Minutes or a summary, after the meeting.")
    online: strawberry.Private[bool]

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
            registration_opens_at=row.registration_opens_at,
            registration_closes_at=row.registration_closes_at,
            sequence=row.sequence,
            cancelled_at=row.cancelled_at,
            minutes=row.minutes,
            online=row.kind != MeetingKind.IN_PERSON or row.online_url is not None,
        )

    @strawberry.field(
        description="Whether the meeting can be joined online (a join URL exists);"
        " everyone may know it, only some may read `onlineUrl`.",
        metadata=computed(
            lambda m: or_(m.kind != MeetingKind.IN_PERSON, m.online_url.is_not(None))
        ),
    )
    def is_online(self) -> bool:
        return self.online

    @strawberry.field(
        description="Whether the meeting was cancelled (`cancelledAt` says when).",
        metadata=computed(lambda m: m.cancelled_at.is_not(None)),
    )
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @strawberry.field(
        description="Whether registration is open now: within its window, the meeting neither "
        "over nor cancelled.",
        # the clock read when the statement runs (request_now), as the resolver reads it
        metadata=computed(
            lambda m: and_(
                m.cancelled_at.is_(None),
                m.ends_at > request_now(),
                or_(m.registration_opens_at.is_(None), m.registration_opens_at <= request_now()),
                or_(m.registration_closes_at.is_(None), request_now() < m.registration_closes_at),
            )
        ),
    )
    def registration_open(self) -> bool:
        now = utcnow()
        opens, closes = self.registration_opens_at, self.registration_closes_at
        return (
            self.cancelled_at is None
            and self.ends_at > now
            and (opens is None or opens <= now)
            and (closes is None or now < closes)
        )

    @strawberry.field(
        description="Places left (null: unlimited). Full meetings waitlist.",
        metadata=computed(  # the same in SQL, for the compiled read path
            lambda m: case((m.capacity.is_(None), None), else_=m.capacity - m.registered_count)
        ),
    )
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

    @relation(
        comments_loaders.comments_on_meeting,
        description="Comments on the meeting, oldest first; replies under each.",
    )
    def comments(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[CommentConnection, strawberry.lazy("core.comments.types")]: ...

    @relation(
        loaders.links_by_meeting,
        description="Recordings, slides and other links, in the order they were attached "
        "(at most 20).",
        metadata={LIST_SIZE: 20},
        default=[],
    )
    def links(self) -> list[MeetingLink]: ...

    @relation(
        loaders.changes_by_meeting,
        description="The meeting's history, oldest first: scheduled, changed, moved, cancelled.",
    )
    def changes(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[MeetingChange]: ...


@strawberry.type(description="A recording, slides or another page attached to a meeting.")
class MeetingLink(Node):
    node_type: ClassVar[str] = "MeetingLink"
    meeting_pk: strawberry.Private[int]
    kind: MeetingLinkKind
    url: str
    title: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> MeetingLink:
        return cls(
            pk=row.id,
            meeting_pk=row.meeting_id,
            kind=row.kind,
            url=row.url,
            title=row.title,
            created_at=row.created_at,
        )

    @relation(loaders.meetings_by_id, key="meeting_pk")
    def meeting(self) -> Meeting | None: ...


@strawberry.type(description="One entry of a meeting's history: who changed what, when and why.")
class MeetingChange:
    actor_pk: strawberry.Private[int | None]
    kind: MeetingChangeKind
    at: datetime
    fields: list[str] = strawberry.field(
        description="GraphQL names of the fields that changed.", metadata={LIST_SIZE: 20}
    )
    reason: str
    old_starts_at: datetime | None = strawberry.field(description="null when scheduled.")
    old_ends_at: datetime | None
    new_starts_at: datetime | None
    new_ends_at: datetime | None
    sequence: int = strawberry.field(description="The meeting's sequence after the change.")

    @classmethod
    def from_row(cls, row: Any) -> MeetingChange:
        return cls(
            actor_pk=row.actor_id,
            kind=row.kind,
            at=row.at,
            fields=[f for f in row.fields.split(",") if f],
            reason=row.reason,
            old_starts_at=row.old_starts_at,
            old_ends_at=row.old_ends_at,
            new_starts_at=row.new_starts_at,
            new_ends_at=row.new_ends_at,
            sequence=row.sequence,
        )

    @relation(people_loaders.people_by_id, key="actor_pk")
    def actor(self) -> Annotated[Person, strawberry.lazy("core.people.types")] | None: ...


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
