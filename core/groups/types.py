"""GraphQL types of the groups domain: the WorkingGroup interface (each theme's plugin provides
the concrete type), Anchor, Membership.

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.comments import loaders as comments_loaders
from core.activity import loaders as activity_loaders
from core.enums import AnchorRole, GroupStatus, MeetingKind, MembershipRole
from core.groups import loaders
from core.limits import LIST_SIZE, MAX_PAGE_SIZE
from core.loading import relation
from core.meetings import loaders as meetings_loaders
from core.people import loaders as people_loaders
from core.priorities import loaders as priorities_loaders
from core.priorities.models import PriorityAreaStatus
from core.schema.base import Node
from core.schema.pagination import Connection

if TYPE_CHECKING:
    from core.activity.types import ActivityEventConnection
    from core.comments.types import CommentConnection
    from core.meetings.types import Meeting
    from core.people.types import Organization
    from core.priorities.types import ConsensusRuleType, PriorityAreaConnection


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

    @relation(
        meetings_loaders.meetings_by_group, description="The group's meetings, earliest first."
    )
    def meetings(
        self,
        filter: GroupMeetingsFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[Meeting, strawberry.lazy("core.meetings.types")]]: ...

    @relation(
        activity_loaders.activity_by_group,
        description="What happened in the group, newest first; events about what you may not "
        "see are left out (and not counted).",
    )
    def activity(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ActivityEventConnection, strawberry.lazy("core.activity.types")]: ...

    @relation(
        comments_loaders.comments_on_group,
        description="Comments on the group itself (a proposal's included), oldest first; "
        "replies under each (`Comment.replies`).",
    )
    def comments(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[CommentConnection, strawberry.lazy("core.comments.types")]: ...

    @relation(
        priorities_loaders.priority_areas_by_group,
        description="The group's priority areas, newest first; `status` keeps one status.",
    )
    def priority_areas(
        self,
        status: PriorityAreaStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[PriorityAreaConnection, strawberry.lazy("core.priorities.types")]: ...

    @relation(
        priorities_loaders.rules_by_group,
        description="How the group decides its priority areas (the default rule if none set).",
    )
    def consensus_rule(
        self,
    ) -> Annotated[ConsensusRuleType, strawberry.lazy("core.priorities.types")]: ...


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

    @relation(people_loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...

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

    @relation(people_loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...

    @relation(loaders.groups_by_id, key="group_pk")
    def group(self) -> WorkingGroup | None: ...
