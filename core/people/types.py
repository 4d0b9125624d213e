"""GraphQL types of the people domain: Country, Organization, Person.

Plain attributes are dataclass fields (resolved synchronously); relations are async resolvers that
go through a per-request loader, one query per level (core.loading).

Types of other domains are lazy: `Annotated[WorkingGroup, strawberry.lazy("core.groups.types")]`,
with the class imported for type checkers only. The domains' types refer to each other both ways
(Country.workingGroups, WorkingGroup.meetings, Meeting.group...), so no types module imports
another at run time; Strawberry resolves the reference when the schema is built (and
core.schema.build unwraps the `LazyType` where it walks the types). Importing the other module
instead fails whichever domain comes first: Strawberry evaluates a field's annotation while the
class is being defined, when the other module may be only partly run. Loaders modules import no
types or loaders module at the top, and their own types module last (core/groups/loaders.py),
so each types module finds every loader defined when its classes are.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.activity import loaders as activity_loaders
from core.commitments import loaders as commitments_loaders
from core.enums import OrganizationKind
from core.groups import loaders as groups_loaders
from core.knowledge import loaders as knowledge_loaders
from core.limits import MAX_PAGE_SIZE
from core.loading import relation
from core.notifications import loaders as notifications_loaders
from core.people import loaders
from core.priorities import loaders as priorities_loaders
from core.schema.base import Node

if TYPE_CHECKING:
    from core.activity.types import ActivityEventConnection
    from core.commitments.types import ActionPlanConnection
    from core.groups.types import WorkingGroup
    from core.knowledge.types import Expertise
    from core.notifications.types import NotificationPreferences
    from core.priorities.types import PriorityAreaPositionConnection

GroupRef = Annotated["WorkingGroup", strawberry.lazy("core.groups.types")]


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
        groups_loaders.groups_by_country,
        default=[],
        description="Visible groups anchored or joined by its organisations, by name (`first`: "
        "1..100).",
    )
    def working_groups(self, first: int = MAX_PAGE_SIZE) -> list[GroupRef]: ...

    @relation(
        commitments_loaders.action_plans_by_country,
        description="Its OGP action plans, newest cycle first.",
    )
    def action_plans(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ActionPlanConnection, strawberry.lazy("core.commitments.types")]: ...


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
        groups_loaders.groups_by_organization,
        default=[],
        description="Visible groups this organisation anchors or is a member of, by name "
        "(`first`: 1..100).",
    )
    def working_groups(self, first: int = MAX_PAGE_SIZE) -> list[GroupRef]: ...

    @relation(
        loaders.people_by_organization,
        default=[],
        description="People of this organisation, by name (`first`: 1..100; their e-mail is "
        "never public).",
    )
    def people(self, first: int = MAX_PAGE_SIZE) -> list[Person]: ...

    @relation(
        activity_loaders.activity_by_organization,
        description="The organisation's activity, newest first: what it did (its proposals, "
        "positions, comments, anchor roles...) and what happened in the groups it is a member "
        "or an anchor of (meetings, priority areas, decisions...), each event once; events you "
        "may not see are not listed.",
    )
    def activity(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ActivityEventConnection, strawberry.lazy("core.activity.types")]: ...

    @relation(
        priorities_loaders.positions_by_organization,
        description="Positions the organisation took on priority areas, newest first; "
        "`current: true` only its current ones.",
    )
    def priority_area_positions(
        self,
        current: bool | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[PriorityAreaPositionConnection, strawberry.lazy("core.priorities.types")]: ...

    @relation(
        knowledge_loaders.expertise_by_organization,
        description="What the organisation declares it knows (null: nothing declared).",
    )
    def expertise(self) -> Annotated[Expertise, strawberry.lazy("core.knowledge.types")] | None: ...


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

    @relation(
        knowledge_loaders.expertise_by_person,
        description="What the person declares they know (null: nothing declared).",
    )
    def expertise(self) -> Annotated[Expertise, strawberry.lazy("core.knowledge.types")] | None: ...

    @relation(
        notifications_loaders.preferences_by_person,
        description="Which e-mail they get (digest, meeting notices): for the person themself "
        "and staff; null for others.",
    )
    def notification_preferences(
        self,
    ) -> Annotated[NotificationPreferences, strawberry.lazy("core.notifications.types")] | None: ...

    @classmethod
    def from_row(cls, row: Any) -> Person:
        return cls(
            pk=row.id,
            organization_pk=row.organization_id,
            name=row.name,
        )

    @relation(loaders.organizations_by_id, key="organization_pk")
    def organization(self) -> Organization | None: ...
