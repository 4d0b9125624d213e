"""GraphQL types of the activity domain: ActivityEvent and its ActivityVerb."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry.types import Info

from core.activity.services import VERBS
from core.loading import prefetched, relation
from core.people import loaders as people_loaders
from core.schema.base import Node
from core.schema.nodes import loader_name
from core.schema.pagination import Connection

if TYPE_CHECKING:
    from core.people.types import Person

_VERBS = enum.StrEnum("ActivityVerb", {verb: verb for verb in sorted(VERBS)})  # type: ignore[misc]
ActivityVerb: Any = strawberry.enum(
    _VERBS,
    description="What happened (issue 9, section 5): MEETING_* for meetings, PRIORITY_AREA_* "
    "and POSITION_TAKEN for priority areas, COMMENT_POSTED, GROUP_* and ANCHOR_CHANGED.",
)
"""Built from `core.activity.services.VERBS`, so a verb added there is a value here."""


@strawberry.type(
    description="Something that happened in a group or to an organisation: one entry of an "
    "activity feed. Visible exactly when its group and its subject are."
)
class ActivityEvent(Node):
    node_type: ClassVar[str] = "ActivityEvent"
    actor_pk: strawberry.Private[int | None]
    subject_type: strawberry.Private[str]
    subject_pk: strawberry.Private[int]
    verb: ActivityVerb
    at: datetime = strawberry.field(description="When it happened (UTC).")
    summary: str = strawberry.field(description="One line in English, for people.")

    @classmethod
    def from_row(cls, row: Any) -> ActivityEvent:
        return cls(
            pk=row.id,
            actor_pk=row.actor_id,
            subject_type=row.subject_type,
            subject_pk=row.subject_id,
            verb=ActivityVerb(row.verb),
            at=row.at,
            summary=row.summary,
        )

    @relation(
        people_loaders.people_by_id,
        key="actor_pk",
        description="Who did it; null for the system (or a person deleted since).",
    )
    def actor(self) -> Annotated[Person, strawberry.lazy("core.people.types")] | None: ...

    @strawberry.field(
        description="What it is about (a Meeting, a PriorityArea, a WorkingGroup...), as "
        "`node(id:)` answers it: null if deleted since."
    )
    async def subject(self, info: Info) -> Node | None:
        loader = loader_name(self.subject_type)
        if loader not in info.context.app.loaders:
            return None  # a type of a plugin that is disabled now
        subject = await info.context.loader(loader).load(self.subject_pk)
        return await prefetched(info, subject)


@strawberry.type(
    name="ActivityEventConnection",
    description=Connection.__strawberry_definition__.description,  # type: ignore[attr-defined]
)
class ActivityEventConnection(Connection[ActivityEvent]):
    """The one connection type of events, which `WorkingGroup.activity` and
    `Organization.activity` name lazily: a class, so both fields (and every theme's group type
    inheriting the first) reach the same type; answers are plain `Connection` objects."""
