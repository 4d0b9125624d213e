"""GraphQL types of the groups domain: the WorkingGroup interface (each theme's plugin provides
the concrete type), Anchor, Membership.

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.activity import loaders as activity_loaders
from core.assistance import loaders as assistance_loaders
from core.assistance.models import AssistanceStatus
from core.comments import loaders as comments_loaders
from core.commitments import loaders as commitments_loaders
from core.enums import AnchorRole, GroupStatus, MeetingKind, MembershipRole
from core.groups import loaders
from core.knowledge import loaders as knowledge_loaders
from core.knowledge.models import ResourceKind
from core.limits import LIST_SIZE, MAX_PAGE_SIZE
from core.loading import relation
from core.meetings import loaders as meetings_loaders
from core.people import loaders as people_loaders
from core.priorities import loaders as priorities_loaders
from core.priorities.models import PriorityAreaStatus
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
    from core.activity.types import ActivityEventConnection
    from core.assistance.types import AssistanceRequestConnection
    from core.comments.types import CommentConnection
    from core.commitments.types import CommitmentConnection
    from core.knowledge.types import ResourceConnection
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
    # The texts are translatable (core/translations): the attribute holds the original, the
    # GraphQL field serves the chosen language.
    name: strawberry.Private[str]
    served_name: str = translatable("WorkingGroup", "name", "The group's name.")
    theme: str = strawberry.field(description="Key of the thematic area (see `themes`).")
    summary: strawberry.Private[str]
    served_summary: str = translatable("WorkingGroup", "summary", "A line about the group.")
    description: strawberry.Private[str]
    served_description: str = translatable("WorkingGroup", "description", "What it does.")
    original_language: Language = original_language_field("WorkingGroup")
    texts: list[ServedText] = texts_field("WorkingGroup")
    status: GroupStatus
    created_at: datetime
    updated_at: datetime

    rationale: str = strawberry.field(
        default="", description="Why the group was proposed (its proposal's case); may be empty."
    )
    max_government_anchors: int = strawberry.field(
        default=1,
        description="How many current government anchors the group may have (1 unless a "
        "Steering Committee decision allowed more: see `decisions`).",
    )
    max_civil_society_anchors: int = strawberry.field(
        default=1,
        description="How many current civil-society anchors the group may have (1 unless a "
        "Steering Committee decision allowed more).",
    )

    @relation(
        loaders.anchors_by_group,
        default=[],
        description="The current anchors (open terms), by role: at least one of each "
        "role while PILOT or ACTIVE, at most `maxGovernmentAnchors` / `maxCivilSocietyAnchors`.",
        metadata={LIST_SIZE: 6},
    )
    def anchors(self) -> list[Anchor]: ...

    @relation(
        loaders.anchor_history_by_group,
        default=[],
        description="Who coordinated the group when: every anchor term, current and ended, by "
        "start date (`first`: 1..100).",
    )
    def anchor_history(self, first: int = MAX_PAGE_SIZE) -> list[AnchorTerm]: ...

    @relation(
        loaders.decisions_by_group,
        description="The Steering Committee's decisions about the group, oldest first.",
    )
    def decisions(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[GroupDecision]: ...

    @relation(
        loaders.proposed_anchors_by_group,
        default=[],
        description="The organisations the group's proposal named to anchor it (no rights).",
        metadata={LIST_SIZE: 6},
    )
    def proposed_anchors(self) -> list[ProposedAnchor]: ...

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

    @relation(
        knowledge_loaders.resources_by_group,
        description="Resources the group shares (lessons learned, guides, case studies...), "
        "newest first: the published ones, and the drafts you may see; `kind`, `language` (ISO "
        "639-1) and `tag` (a topic slug) narrow the list.",
    )
    def resources(
        self,
        kind: ResourceKind | None = None,
        language: str | None = None,
        tag: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ResourceConnection, strawberry.lazy("core.knowledge.types")]: ...

    @relation(
        assistance_loaders.requests_by_group,
        description="Requests for technical assistance or a peer exchange posted in the group, "
        "newest first; `status` keeps one status.",
    )
    def assistance_requests(
        self,
        status: AssistanceStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[AssistanceRequestConnection, strawberry.lazy("core.assistance.types")]: ...

    @relation(
        commitments_loaders.commitments_by_group,
        description="The action-plan commitments the group follows (linked by its anchors), "
        "newest cycle first. (Named so beside FiscalOpennessGroup.commitments, the fiscal "
        "plugin's own list.)",
    )
    def action_plan_commitments(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[CommitmentConnection, strawberry.lazy("core.commitments.types")]: ...


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
        "rationale": row.rationale,
        "max_government_anchors": row.max_government_anchors,
        "max_civil_society_anchors": row.max_civil_society_anchors,
    }


@strawberry.type(description="An organisation leading a group for one side of the partnership.")
class Anchor(Node):
    node_type: ClassVar[str] = "Anchor"
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    role: AnchorRole
    since: date | None = strawberry.field(description="The day the current term began.")
    source: str = strawberry.field(
        default="", description="Where the anchorship is documented (a URL or a citation)."
    )

    @classmethod
    def from_row(cls, row: Any) -> Anchor:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            role=row.role,
            since=row.since,
            source=row.source,
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


@strawberry.type(description="One anchor term: an organisation coordinating a group for a role.")
class AnchorTerm:
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    role: AnchorRole
    started_on: date | None = strawberry.field(description="First day (null: not known).")
    ended_on: date | None = strawberry.field(description="Last day; null while current.")
    current: bool = strawberry.field(description="The term is open: the anchor is current.")
    source: str = strawberry.field(description="Where the anchorship is documented.")

    @classmethod
    def from_row(cls, row: Any) -> AnchorTerm:
        return cls(
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            role=row.role,
            started_on=row.started_on,
            ended_on=row.ended_on,
            current=row.ended_on is None,
            source=row.source,
        )

    @relation(people_loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...


@strawberry.type(description="An organisation a proposal named to anchor the group.")
class ProposedAnchor:
    organization_pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Any) -> ProposedAnchor:
        return cls(organization_pk=row.organization_id)

    @relation(people_loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...


@strawberry.type(
    description="A Steering Committee decision about a group, recorded by OGP staff: a move "
    "between statuses and/or a new anchor allowance."
)
class GroupDecision(Node):
    node_type: ClassVar[str] = "GroupDecision"
    group_pk: strawberry.Private[int]
    from_status: GroupStatus | None = strawberry.field(
        description="The status before; null when the status was carried across from before "
        "decisions were recorded, or the decision changed only the anchor allowance."
    )
    to_status: GroupStatus | None = strawberry.field(
        description="The status decided; null: the status did not change."
    )
    max_government_anchors: int | None = strawberry.field(
        description="The government-anchor allowance decided; null: unchanged."
    )
    max_civil_society_anchors: int | None = strawberry.field(
        description="The civil-society-anchor allowance decided; null: unchanged."
    )
    decided_on: date = strawberry.field(description="The day the Steering Committee decided.")
    meeting: str = strawberry.field(
        description="Which Steering Committee meeting (free text or a reference to its minutes)."
    )
    reason: str
    source: str = strawberry.field(description="Where the decision is published (may be empty).")
    illustrative: bool = strawberry.field(
        description="true: demo data, not OGP's record (e.g. an exact date no source gives)."
    )
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> GroupDecision:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            from_status=row.from_status,
            to_status=row.to_status,
            max_government_anchors=row.max_government_anchors,
            max_civil_society_anchors=row.max_civil_society_anchors,
            decided_on=row.decided_on,
            meeting=row.meeting,
            reason=row.reason,
            source=row.source,
            illustrative=row.illustrative,
            recorded_at=row.recorded_at,
        )

    @relation(loaders.groups_by_id, key="group_pk")
    def group(self) -> WorkingGroup | None: ...
