# mypy: disable-error-code="empty-body"
"""GraphQL types of the assistance domain: AssistanceRequest, AssistanceOffer, AssistanceMatch, a
match's reasons (`AssistanceMatchReason`) and its history (`AssistanceMatchMove`).

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.assistance import loaders, moves, reasons, scoring, services
from core.assistance.models import AssistanceKind, AssistanceStatus, MatchStatus
from core.groups import loaders as groups_loaders
from core.knowledge import loaders as knowledge_loaders
from core.limits import LIST_SIZE
from core.loading import relation
from core.people import loaders as people_loaders
from core.provenance import ILLUSTRATIVE_HELP
from core.schema.base import Node
from core.schema.ids import to_global_id
from core.schema.pagination import Connection
from core.topics import MAX_TOPICS

if TYPE_CHECKING:
    from core.groups.types import WorkingGroup
    from core.knowledge.types import Resource
    from core.people.types import Country, Organization, Person


MAX_REASONS = 1 + MAX_TOPICS + services.MAX_LANGUAGES + scoring.MAX_PEER_REASONS
MAX_MOVES = 5
"""A match's birth and at most four moves (SUGGESTED .. COMPLETED, or DECLINED earlier)."""


@strawberry.enum(
    name="MatchReasonCode",
    description="A scoring component of a match (points: core/assistance/scoring.py): "
    "SAME_GROUP 30, SAME_THEME 15, SHARED_TOPIC 20 per topic, SHARED_LANGUAGE 10 per language, "
    "PEER_COMPLETED 25 per country and topic.",
)
class ReasonCode(enum.StrEnum):
    SAME_GROUP = scoring.SAME_GROUP
    SAME_THEME = scoring.SAME_THEME
    SHARED_TOPIC = scoring.SHARED_TOPIC
    SHARED_LANGUAGE = scoring.SHARED_LANGUAGE
    PEER_COMPLETED = scoring.PEER_COMPLETED


@strawberry.type(
    description="An organisation's request for technical assistance or a peer exchange."
)
class AssistanceRequest(Node):
    node_type: ClassVar[str] = "AssistanceRequest"
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    country_pk: strawberry.Private[int]
    title: str
    needs: str = strawberry.field(description="What it needs, in the requester's words.")
    needed_by: date | None = strawberry.field(description="By when, if said.")
    kind: AssistanceKind
    status: AssistanceStatus
    created_at: datetime
    closed_at: datetime | None
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> AssistanceRequest:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            country_pk=row.country_id,
            title=row.title,
            needs=row.needs,
            needed_by=row.needed_by,
            kind=row.kind,
            status=row.status,
            created_at=row.created_at,
            closed_at=row.closed_at,
            illustrative=row.illustrative,
        )

    @relation(groups_loaders.groups_by_id, key="group_pk")
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

    @relation(
        people_loaders.organizations_by_id,
        key="organization_pk",
        description="The requesting organisation (a government or civil society's).",
    )
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...

    @relation(
        people_loaders.countries_by_id, key="country_pk", description="The country it is for."
    )
    def country(self) -> Annotated[Country, strawberry.lazy("core.people.types")]: ...

    @relation(
        loaders.topics_by_request,
        default=[],
        description="Topic slugs, sorted.",
        metadata={LIST_SIZE: MAX_TOPICS},
    )
    def topics(self) -> list[str]: ...

    @relation(
        loaders.languages_by_request,
        default=[],
        description="ISO 639-1 codes it works in.",
        metadata={LIST_SIZE: services.MAX_LANGUAGES},
    )
    def languages(self) -> list[str]: ...

    @relation(
        loaders.matches_by_request,
        description="Its matches, best first (score, then the oldest); `status` keeps one.",
    )
    def matches(
        self,
        status: MatchStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> AssistanceMatchConnection: ...


@strawberry.type(description="An organisation's offer of expertise.")
class AssistanceOffer(Node):
    node_type: ClassVar[str] = "AssistanceOffer"
    organization_pk: strawberry.Private[int]
    title: str
    description: str
    status: AssistanceStatus
    created_at: datetime
    closed_at: datetime | None
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> AssistanceOffer:
        return cls(
            pk=row.id,
            organization_pk=row.organization_id,
            title=row.title,
            description=row.description,
            status=row.status,
            created_at=row.created_at,
            closed_at=row.closed_at,
            illustrative=row.illustrative,
        )

    @relation(people_loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...

    @relation(
        loaders.topics_by_offer,
        default=[],
        description="Topic slugs, sorted.",
        metadata={LIST_SIZE: MAX_TOPICS},
    )
    def topics(self) -> list[str]: ...

    @relation(
        loaders.languages_by_offer,
        default=[],
        description="ISO 639-1 codes.",
        metadata={LIST_SIZE: services.MAX_LANGUAGES},
    )
    def languages(self) -> list[str]: ...

    @relation(
        loaders.groups_by_offer,
        default=[],
        description="The groups it is for, by name.",
        metadata={LIST_SIZE: services.MAX_GROUPS},
    )
    def groups(self) -> list[Annotated[WorkingGroup, strawberry.lazy("core.groups.types")]]: ...

    @relation(
        loaders.countries_by_offer,
        default=[],
        description="Countries the organisation has worked in, by name.",
        metadata={LIST_SIZE: services.MAX_COUNTRIES},
    )
    def countries(self) -> list[Annotated[Country, strawberry.lazy("core.people.types")]]: ...

    @relation(loaders.matches_by_offer, description="Its matches, best first.")
    def matches(
        self,
        status: MatchStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> AssistanceMatchConnection: ...


@strawberry.type(
    description="One reason a match was suggested: a scoring component and its points."
)
class AssistanceMatchReason:
    facts: strawberry.Private[reasons.Facts]
    group_pk: strawberry.Private[int | None]
    country_pk: strawberry.Private[int | None]
    commitment_pk: strawberry.Private[int | None]
    code: ReasonCode
    points: int
    text: str = strawberry.field(description="The reason in words a person can check.")
    topic: str | None
    language: str | None
    year: int | None = strawberry.field(description="PEER_COMPLETED: the plan's last year.")

    @classmethod
    def from_row(cls, row: Any) -> AssistanceMatchReason:
        facts = reasons.Facts(
            code=row.code,
            group_name=row.group_name,
            theme=row.theme,
            topic=row.topic,
            language=row.language,
            country_name=row.country_name,
            year=row.year,
        )
        return cls(
            facts=facts,
            group_pk=row.group_id,
            country_pk=row.country_id,
            commitment_pk=row.commitment_id,
            code=ReasonCode(row.code),
            points=row.points,
            text=reasons.render(facts),
            topic=row.topic,
            language=row.language,
            year=row.year,
        )

    @strawberry.field(description="PEER_COMPLETED: the global ID of the completed Commitment.")
    def commitment_id(self) -> strawberry.ID | None:
        if self.commitment_pk is None:
            return None
        return strawberry.ID(to_global_id("Commitment", self.commitment_pk))

    @relation(groups_loaders.groups_by_id, key="group_pk")
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

    @relation(people_loaders.countries_by_id, key="country_pk")
    def country(self) -> Annotated[Country, strawberry.lazy("core.people.types")] | None: ...


@strawberry.type(description="One move of a match (its suggestion included: `from` null).")
class AssistanceMatchMove:
    person_pk: strawberry.Private[int | None]
    from_status: MatchStatus | None
    to_status: MatchStatus
    at: datetime
    note: str | None

    @classmethod
    def from_row(cls, row: Any) -> AssistanceMatchMove:
        return cls(
            person_pk=row.person_id,
            from_status=MatchStatus(row.from_status) if row.from_status else None,
            to_status=MatchStatus(row.to_status),
            at=row.at,
            note=row.note,
        )

    @relation(
        people_loaders.people_by_id,
        key="person_pk",
        description="Who moved it; null for the service's suggestion.",
    )
    def person(self) -> Annotated[Person, strawberry.lazy("core.people.types")] | None: ...


@strawberry.type(description="A suggested pairing of a request and an offer, and where it stands.")
class AssistanceMatch(Node):
    node_type: ClassVar[str] = "AssistanceMatch"
    request_pk: strawberry.Private[int]
    offer_pk: strawberry.Private[int]
    status: MatchStatus
    score: int = strawberry.field(description="The sum of its reasons' points.")
    suggested_at: datetime
    moved_at: datetime = strawberry.field(description="When its status last changed.")
    completed_at: datetime | None
    outcome_report: str | None = strawberry.field(description="What came of it (COMPLETED).")
    outcome_resource_pk: strawberry.Private[int | None]
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> AssistanceMatch:
        return cls(
            pk=row.id,
            request_pk=row.request_id,
            offer_pk=row.offer_id,
            status=row.status,
            score=row.score,
            suggested_at=row.suggested_at,
            moved_at=row.moved_at,
            completed_at=row.completed_at,
            outcome_report=row.outcome_report,
            outcome_resource_pk=row.outcome_resource_id,
            illustrative=row.illustrative,
        )

    @strawberry.field(
        description="Where it may move next (by the side allowed: see the docs).",
        metadata={LIST_SIZE: len(MatchStatus)},
    )
    def next_statuses(self) -> list[MatchStatus]:
        return moves.allowed_targets(self.status)

    @relation(loaders.requests_by_id, key="request_pk")
    def request(self) -> AssistanceRequest | None: ...

    @relation(
        knowledge_loaders.resources_by_id,
        key="outcome_resource_pk",
        description="The draft LESSON_LEARNED made of its outcome report "
        "(`assistanceMatchPublishOutcome`), as its readers see it (a draft: its organisation, "
        "the group's anchors, staff).",
    )
    def outcome_resource(
        self,
    ) -> Annotated[Resource, strawberry.lazy("core.knowledge.types")] | None: ...

    @relation(loaders.offers_by_id, key="offer_pk")
    def offer(self) -> AssistanceOffer | None: ...

    @relation(
        loaders.reasons_by_match,
        default=[],
        description="Its reasons, in order.",
        metadata={LIST_SIZE: MAX_REASONS},
    )
    def reasons(self) -> list[AssistanceMatchReason]: ...

    @relation(
        loaders.explanations_by_match,
        description="Its reasons in words, joined by '; '.",
    )
    def explanation(self) -> str: ...

    @relation(
        loaders.moves_by_match,
        default=[],
        description="Its moves, oldest first.",
        metadata={LIST_SIZE: MAX_MOVES},
    )
    def history(self) -> list[AssistanceMatchMove]: ...


_CONNECTION = Connection.__strawberry_definition__.description  # type: ignore[attr-defined]


@strawberry.type(name="AssistanceRequestConnection", description=_CONNECTION)
class AssistanceRequestConnection(Connection[AssistanceRequest]):
    """The one connection type of requests (root field, `WorkingGroup.assistanceRequests`)."""


@strawberry.type(name="AssistanceOfferConnection", description=_CONNECTION)
class AssistanceOfferConnection(Connection[AssistanceOffer]):
    """The one connection type of offers."""


@strawberry.type(name="AssistanceMatchConnection", description=_CONNECTION)
class AssistanceMatchConnection(Connection[AssistanceMatch]):
    """The one connection type of matches (`AssistanceRequest.matches`, `.Offer.matches`)."""
