"""GraphQL types of the priorities domain: PriorityArea, PriorityAreaPosition, the consensus
rule, the live or recorded tally (`Consensus`) and the recorded outcome.

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.comments import loaders as comments_loaders
from core.groups import loaders as groups_loaders
from core.limits import LIST_SIZE
from core.loading import relation
from core.meetings import loaders as meetings_loaders
from core.people import loaders as people_loaders
from core.priorities import consensus, loaders, services
from core.priorities.models import PositionStance, PriorityAreaStatus
from core.provenance import ILLUSTRATIVE_HELP
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
    from core.meetings.types import Meeting
    from core.people.types import Country, Organization


@strawberry.type(
    name="ConsensusRule",
    description="When a group's priority area counts as agreed. The default: no standing "
    "objection, and endorsements from at least half of the organisations that took part.",
)
class ConsensusRuleType:
    objections_block: bool = strawberry.field(
        description="Whether one standing objection stops agreement."
    )
    min_endorsement_share: float = strawberry.field(
        description="The least share (0..1) of the participating organisations that must "
        "endorse; at least one endorsement is always needed."
    )
    is_default: bool = strawberry.field(description="Whether this is the default rule.")

    @classmethod
    def of(cls, rule: consensus.Rule) -> ConsensusRuleType:
        return cls(
            objections_block=rule.objections_block,
            min_endorsement_share=rule.min_endorsement_share,
            is_default=rule.is_default,
        )


ConsensusRule = ConsensusRuleType


@strawberry.type(
    description="The count behind a priority area's consensus, and whether it meets the rule."
)
class Consensus:
    rule: ConsensusRuleType
    endorsements: int = strawberry.field(description="Current endorsements.")
    objections: int = strawberry.field(description="Standing (not withdrawn) objections.")
    participants: int = strawberry.field(
        description="Organisations with a current position (withdrawn objections included)."
    )
    member_organizations: int = strawberry.field(
        description="The group's member organisations and anchors: who may take part."
    )
    reached: bool = strawberry.field(description="Whether the count meets the rule.")
    recorded: bool = strawberry.field(
        description="true: the count and rule recorded when the area was closed (a later change "
        "of the group's rule does not alter it); false: the live count under the current rule."
    )

    @classmethod
    def of(cls, rule: consensus.Rule, tally: consensus.Tally, *, recorded: bool) -> Consensus:
        return cls(
            rule=ConsensusRuleType.of(rule),
            endorsements=tally.endorsements,
            objections=tally.objections,
            participants=tally.participants,
            member_organizations=tally.member_organizations,
            reached=consensus.reached(rule, tally),
            recorded=recorded,
        )


@strawberry.type(description="How a priority area's discussion ended.")
class PriorityAreaOutcome:
    meeting_pk: strawberry.Private[int | None]
    agreed: bool
    decided_at: datetime

    @relation(meetings_loaders.meetings_by_id, key="meeting_pk")
    def meeting(
        self,
    ) -> Annotated[Meeting, strawberry.lazy("core.meetings.types")] | None: ...


@strawberry.type(
    description="An area a working group proposes to work on, agreed by consensus of its "
    "member organisations."
)
class PriorityArea(Node):
    node_type: ClassVar[str] = "PriorityArea"
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    # Translatable texts (core/translations): the attribute holds the original.
    title: strawberry.Private[str]
    served_title: str = translatable("PriorityArea", "title", "The priority area's title.")
    rationale: strawberry.Private[str]
    served_rationale: str = translatable("PriorityArea", "rationale", "Why it matters.")
    original_language: Language = original_language_field("PriorityArea")
    texts: list[ServedText] = texts_field("PriorityArea")
    status: PriorityAreaStatus
    created_at: datetime
    opened_at: datetime | None = strawberry.field(description="When discussion opened.")
    closes_at: datetime | None = strawberry.field(
        description="Positions are taken until then (exclusive)."
    )
    outcome: PriorityAreaOutcome | None = strawberry.field(
        description="Set when the anchors close the discussion (kept when archived)."
    )
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> PriorityArea:
        outcome = None
        if row.agreed is not None:
            outcome = PriorityAreaOutcome(
                meeting_pk=row.meeting_id, agreed=row.agreed, decided_at=row.closed_at
            )
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.proposed_by_organization_id,
            title=row.title,
            rationale=row.rationale,
            status=row.status,
            created_at=row.created_at,
            opened_at=row.opened_at,
            closes_at=row.closes_at,
            outcome=outcome,
            illustrative=row.illustrative,
        )

    @relation(groups_loaders.groups_by_id, key="group_pk")
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

    @relation(
        people_loaders.organizations_by_id,
        key="organization_pk",
        description="The member organisation that proposed it.",
    )
    def proposed_by(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...

    @relation(
        loaders.countries_by_area,
        default=[],
        description="Countries it concerns, by name.",
        metadata={LIST_SIZE: services.MAX_COUNTRIES},
    )
    def countries(self) -> list[Annotated[Country, strawberry.lazy("core.people.types")]]: ...

    @relation(
        loaders.record_ids_by_area,
        default=[],
        description="Global IDs of thematic records of the group's plugin it builds on, as "
        "given (fetch them with `nodes(ids:)`).",
        metadata={LIST_SIZE: services.MAX_RECORDS},
    )
    def thematic_record_ids(self) -> list[strawberry.ID]: ...

    @relation(
        loaders.consensus_by_area,
        description="The count and the rule: live while open, as recorded once closed.",
    )
    def consensus(self) -> Consensus: ...

    @relation(
        loaders.positions_by_area,
        description="Positions taken, newest first; `current: true` only the organisations' "
        "current ones, `false` only the superseded history.",
    )
    def positions(
        self,
        current: bool | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> PriorityAreaPositionConnection: ...

    @relation(
        comments_loaders.comments_on_priority_area,
        description="Comments on the priority area, oldest first; replies under each.",
    )
    def comments(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[CommentConnection, strawberry.lazy("core.comments.types")]: ...


@strawberry.type(description="One position an organisation took on a priority area.")
class PriorityAreaPosition(Node):
    node_type: ClassVar[str] = "PriorityAreaPosition"
    area_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    stance: PositionStance
    reason: str | None = strawberry.field(description="Required for an objection.")
    taken_at: datetime
    current: bool = strawberry.field(
        description="Whether it is the organisation's current position (else superseded)."
    )
    superseded_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> PriorityAreaPosition:
        return cls(
            pk=row.id,
            area_pk=row.priority_area_id,
            organization_pk=row.organization_id,
            stance=row.stance,
            reason=row.reason,
            taken_at=row.taken_at,
            current=row.is_current,
            superseded_at=row.superseded_at,
        )

    @relation(loaders.priority_areas_by_id, key="area_pk")
    def priority_area(self) -> PriorityArea | None: ...

    @relation(people_loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...


_CONNECTION = Connection.__strawberry_definition__.description  # type: ignore[attr-defined]


@strawberry.type(name="PriorityAreaConnection", description=_CONNECTION)
class PriorityAreaConnection(Connection[PriorityArea]):
    """The one connection type of priority areas: a class, so every field naming it (lazily,
    from another domain's types) reaches the same type; answers are plain `Connection`s."""


@strawberry.type(name="PriorityAreaPositionConnection", description=_CONNECTION)
class PriorityAreaPositionConnection(Connection[PriorityAreaPosition]):
    """The one connection type of positions (`PriorityArea.positions`,
    `Organization.priorityAreaPositions`), as PriorityAreaConnection."""
