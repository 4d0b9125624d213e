"""GraphQL types of the comments domain: Comment, CommentRevision, Feedback.

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.comments import loaders
from core.comments.models import FeedbackCategory
from core.compiled.declare import computed
from core.groups import loaders as groups_loaders
from core.loading import relation
from core.meetings import loaders as meetings_loaders
from core.people import loaders as people_loaders
from core.priorities import loaders as priorities_loaders
from core.schema.base import Node
from core.schema.pagination import Connection

if TYPE_CHECKING:
    from core.groups.types import WorkingGroup
    from core.meetings.types import Meeting
    from core.people.types import Person
    from core.priorities.types import PriorityArea

PersonRef = Annotated["Person", strawberry.lazy("core.people.types")]


@strawberry.type(
    description="A comment on a working group (a proposed group's included), one of its "
    "meetings or priority areas; or a reply to one (threads are one level deep). A hidden "
    "comment stays, showing why it was hidden; its body is for its author, the group's anchors "
    "and staff."
)
class Comment(Node):
    node_type: ClassVar[str] = "Comment"
    group_pk: strawberry.Private[int]
    meeting_pk: strawberry.Private[int | None]
    priority_area_pk: strawberry.Private[int | None]
    parent_pk: strawberry.Private[int | None]
    author_pk: strawberry.Private[int]
    hidden_by_pk: strawberry.Private[int | None]
    body: str | None = strawberry.field(
        description="The text; null when the comment is hidden, except for its author, the "
        "group's anchors and staff."
    )
    created_at: datetime
    edited_at: datetime | None = strawberry.field(
        description="When its author last changed it (null: never); earlier versions in "
        "`revisions`."
    )
    hidden_at: datetime | None = strawberry.field(description="null: not hidden.")
    hidden_reason: str | None = strawberry.field(
        description="Why the group's anchors or staff hid it (shown to everyone)."
    )
    illustrative: bool = strawberry.field(description="Demo content: not anybody's real words.")

    @classmethod
    def from_row(cls, row: Any) -> Comment:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            meeting_pk=row.meeting_id,
            priority_area_pk=row.priority_area_id,
            parent_pk=row.parent_id,
            author_pk=row.author_id,
            hidden_by_pk=row.hidden_by_id,
            body=row.body,
            created_at=row.created_at,
            edited_at=row.edited_at,
            hidden_at=row.hidden_at,
            hidden_reason=row.hidden_reason,
            illustrative=row.illustrative,
        )

    @strawberry.field(
        description="Hidden by the group's anchors or staff (see `hiddenReason`).",
        metadata=computed(lambda c: c.hidden_at.is_not(None)),
    )
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @relation(people_loaders.people_by_id, key="author_pk")
    def author(self) -> PersonRef: ...

    @relation(
        groups_loaders.groups_by_id,
        key="group_pk",
        description="The group it was posted in: its target, or its target's group.",
    )
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

    @relation(
        meetings_loaders.meetings_by_id,
        key="meeting_pk",
        description="The meeting it is on (null: not on a meeting).",
    )
    def meeting(self) -> Annotated[Meeting, strawberry.lazy("core.meetings.types")] | None: ...

    @relation(
        priorities_loaders.priority_areas_by_id,
        key="priority_area_pk",
        description="The priority area it is on (null: not on a priority area).",
    )
    def priority_area(
        self,
    ) -> Annotated[PriorityArea, strawberry.lazy("core.priorities.types")] | None: ...

    @relation(
        loaders.comments_by_id,
        key="parent_pk",
        description="The top-level comment this one replies to (null: it is top-level).",
    )
    def parent(self) -> Comment | None: ...

    @relation(loaders.replies_by_comment, description="Replies, oldest first.")
    def replies(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CommentConnection: ...

    @relation(
        loaders.revisions_by_comment,
        description="Earlier versions, oldest first: for its author, the group's anchors and "
        "staff (null for others).",
    )
    def revisions(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CommentRevision] | None: ...

    @relation(
        people_loaders.people_by_id,
        key="hidden_by_pk",
        description="Who hid it: for the group's anchors and staff (null for others).",
    )
    def hidden_by(self) -> PersonRef | None: ...


@strawberry.type(
    name="CommentConnection",
    description=Connection.__strawberry_definition__.description,  # type: ignore[attr-defined]
)
class CommentConnection(Connection[Comment]):
    """The one connection type of comments: a class, so every field naming it (lazily, from the
    targets' types, and `Comment.replies`) reaches the same type; answers are plain
    `Connection`s."""


@strawberry.type(description="A comment's text as it was before one edit.")
class CommentRevision:
    body: str = strawberry.field(description="The text the edit replaced.")
    edited_at: datetime = strawberry.field(description="When the edit replaced it.")

    @classmethod
    def from_row(cls, row: Any) -> CommentRevision:
        return cls(body=row.body, edited_at=row.edited_at)


@strawberry.type(
    description="Feedback on the working-group concept itself, for the OGP Support Unit: "
    "read by staff (and by its sender)."
)
class Feedback(Node):
    node_type: ClassVar[str] = "Feedback"
    author_pk: strawberry.Private[int]
    body: str
    category: FeedbackCategory | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Feedback:
        return cls(
            pk=row.id,
            author_pk=row.author_id,
            body=row.body,
            category=row.category,
            created_at=row.created_at,
        )

    @relation(people_loaders.people_by_id, key="author_pk")
    def author(self) -> PersonRef: ...
