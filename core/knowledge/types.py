"""GraphQL types of the knowledge domain: Resource (a lesson learned, case study, guide, tool,
data set, recording or webinar a group shares) and Expertise (what a person or an organisation
declares it knows).

Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.groups import loaders as groups_loaders
from core.knowledge import loaders
from core.knowledge.checks import MAX_ITEMS
from core.knowledge.models import ResourceKind, ResourceStatus
from core.limits import LIST_SIZE
from core.loading import relation
from core.people import loaders as people_loaders
from core.provenance import ILLUSTRATIVE_HELP
from core.schema.base import Node
from core.schema.pagination import Connection
from core.topics import MAX_TOPICS

if TYPE_CHECKING:
    from core.commitments.types import Commitment
    from core.groups.types import WorkingGroup
    from core.people.types import Country, Organization, Person


@strawberry.type(
    description="Knowledge a working group shares: a lesson learned, case study, guide, tool, "
    "data set, recording or webinar, with a link or a text (or both). A DRAFT is seen only by "
    "its authors (its author organisation's people and the person who created it), its group's "
    "anchors and staff; a PUBLISHED resource is public."
)
class Resource(Node):
    node_type: ClassVar[str] = "Resource"
    group_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int]
    created_by_person_pk: strawberry.Private[int | None]
    kind: ResourceKind
    status: ResourceStatus
    title: str
    summary: str
    url: str | None = strawberry.field(description="Where it is published (http or https).")
    body: str | None = strawberry.field(description="Its text, when it is kept here.")
    licence: str = strawberry.field(
        description="An SPDX licence identifier, e.g. `CC-BY-4.0`; `NOASSERTION`: none stated."
    )
    source: str | None = strawberry.field(
        description="How to cite it: publisher, year, title (the demo's real publications)."
    )
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = strawberry.field(
        description="When it was published (set by the database; null for a draft)."
    )

    @classmethod
    def from_row(cls, row: Any) -> Resource:
        return cls(
            pk=row.id,
            group_pk=row.group_id,
            organization_pk=row.organization_id,
            created_by_person_pk=row.created_by_person_id,
            kind=row.kind,
            status=row.status,
            title=row.title,
            summary=row.summary,
            url=row.url,
            body=row.body,
            licence=row.licence,
            source=row.source,
            illustrative=row.illustrative,
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
        )

    @relation(
        groups_loaders.groups_by_id,
        key="group_pk",
        description="The group it was shared in: its anchors review its draft, its feed shows "
        "its publication.",
    )
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

    @relation(
        loaders.groups_by_resource,
        default=[],
        description="Every group it concerns, its own group first.",
        metadata={LIST_SIZE: MAX_ITEMS + 1},
    )
    def groups(self) -> list[Annotated[WorkingGroup, strawberry.lazy("core.groups.types")]]: ...

    @relation(
        people_loaders.organizations_by_id,
        key="organization_pk",
        description="The author organisation.",
    )
    def organization(self) -> Annotated[Organization, strawberry.lazy("core.people.types")]: ...

    @relation(
        people_loaders.people_by_id,
        key="created_by_person_pk",
        description="The person who shared it (null if their account was deleted).",
    )
    def created_by(self) -> Annotated[Person, strawberry.lazy("core.people.types")] | None: ...

    @relation(
        loaders.countries_by_resource,
        default=[],
        description="Countries it concerns, by name.",
        metadata={LIST_SIZE: MAX_ITEMS},
    )
    def countries(self) -> list[Annotated[Country, strawberry.lazy("core.people.types")]]: ...

    @relation(
        loaders.commitments_by_resource,
        default=[],
        description="Action plan commitments it concerns (`ResourceCreateInput.commitmentIds`), "
        "the newest cycle first, then in each plan's order.",
        metadata={LIST_SIZE: MAX_ITEMS},
    )
    def commitments(
        self,
    ) -> list[Annotated[Commitment, strawberry.lazy("core.commitments.types")]]: ...

    @relation(
        loaders.languages_by_resource,
        default=[],
        description="Languages it is available in: ISO 639-1 codes, alphabetical.",
        metadata={LIST_SIZE: MAX_ITEMS},
    )
    def languages(self) -> list[str]: ...

    @relation(
        loaders.tags_by_resource,
        default=[],
        description="Its topics (slugs, e.g. `beneficial-ownership`), alphabetical.",
        metadata={LIST_SIZE: MAX_TOPICS},
    )
    def tags(self) -> list[str]: ...


@strawberry.type(
    description="What a person or an organisation declares it knows: topics, languages, the "
    "countries it worked in, in its own words. Public, so members find someone who has done "
    "it before (`Query.expertise`)."
)
class Expertise(Node):
    node_type: ClassVar[str] = "Expertise"
    person_pk: strawberry.Private[int | None]
    organization_pk: strawberry.Private[int | None]
    description: str
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Expertise:
        return cls(
            pk=row.id,
            person_pk=row.person_id,
            organization_pk=row.organization_id,
            description=row.description,
            illustrative=row.illustrative,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @relation(
        people_loaders.people_by_id,
        key="person_pk",
        description="The person who declared it (null for an organisation's).",
    )
    def person(self) -> Annotated[Person, strawberry.lazy("core.people.types")] | None: ...

    @relation(
        people_loaders.organizations_by_id,
        key="organization_pk",
        description="The organisation it is about (null for a person's).",
    )
    def organization(
        self,
    ) -> Annotated[Organization, strawberry.lazy("core.people.types")] | None: ...

    @relation(
        loaders.topics_by_expertise,
        default=[],
        description="Topic slugs, alphabetical.",
        metadata={LIST_SIZE: MAX_TOPICS},
    )
    def topics(self) -> list[str]: ...

    @relation(
        loaders.languages_by_expertise,
        default=[],
        description="Languages it works in: ISO 639-1 codes, alphabetical.",
        metadata={LIST_SIZE: MAX_ITEMS},
    )
    def languages(self) -> list[str]: ...

    @relation(
        loaders.countries_by_expertise,
        default=[],
        description="Countries it worked in, by name.",
        metadata={LIST_SIZE: MAX_ITEMS},
    )
    def countries(self) -> list[Annotated[Country, strawberry.lazy("core.people.types")]]: ...


_CONNECTION = Connection.__strawberry_definition__.description  # type: ignore[attr-defined]


@strawberry.type(name="ResourceConnection", description=_CONNECTION)
class ResourceConnection(Connection[Resource]):
    """The one connection type of resources (`Query.resources`, `WorkingGroup.resources`,
    `Commitment.resources`); answers are plain `Connection`s."""


@strawberry.type(name="ExpertiseConnection", description=_CONNECTION)
class ExpertiseConnection(Connection[Expertise]):
    """The one connection type of declared expertise (`Query.expertise`)."""
