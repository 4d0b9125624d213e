"""Root queries of the knowledge domain: `resources` (the published ones, and the drafts the
viewer may see) and `expertise` (declarations, to find someone who has done it before). Also read
through `WorkingGroup.resources`, `Commitment.resources`, `Person.expertise`,
`Organization.expertise` and `node(id:)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core.columns import in_rows
from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import visible_theme
from core.knowledge import loaders, types
from core.knowledge.models import Expertise, Resource, ResourceGroup, ResourceKind, ResourceStatus
from core.people.models import Country
from core.people.queries import country_code
from core.rows import root_page
from core.schema.ids import pk_of

NOTHING = -1
"""A pk no row has: an ID of another type (or malformed) in a filter matches nothing."""


@strawberry.input(description="Narrow the list of resources; all given conditions apply.")
class ResourceFilter:
    group: strawberry.ID | None = strawberry.field(
        default=None, description="A working group: the resources it concerns."
    )
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3 code of a country it concerns."
    )
    language: str | None = strawberry.field(
        default=None, description="ISO 639-1 code of a language it is available in, e.g. 'es'."
    )
    kind: ResourceKind | None = None
    tag: str | None = strawberry.field(default=None, description="A topic slug.")
    status: ResourceStatus | None = strawberry.field(
        default=None, description="DRAFT: the drafts you may see (yours, your groups')."
    )


@strawberry.input(description="Narrow the list of expertise; all given conditions apply.")
class ExpertiseFilter:
    topic: str | None = strawberry.field(default=None, description="A topic slug.")
    language: str | None = strawberry.field(default=None, description="An ISO 639-1 code.")
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3 code of a country it worked in."
    )
    group: strawberry.ID | None = strawberry.field(
        default=None,
        description="A working group: the declarations of its member, observer and anchor "
        "organisations and of their people.",
    )


def _group_pk(ctx: Context, global_id: str) -> Any:
    """The visible group's pk as a subquery (an unknown or hidden group matches nothing)."""
    pk = pk_of(global_id, "WorkingGroup") or NOTHING
    return (
        select(WorkingGroup.id).where(WorkingGroup.id == pk, visible_theme(ctx)).scalar_subquery()
    )


def _countries(code: str | None) -> Any:
    return None if code is None else select(Country.id).where(country_code(code))


def _resources(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every resource `resources(filter:)` lists, before its row rule (both read paths)."""
    f = arguments.get("filter") or ResourceFilter()
    stmt = select(*Resource.__table__.c).where(loaders.in_visible_groups(ctx))
    conditions = loaders.resource_filters(
        kind=f.kind, language=f.language, tag=f.tag, country=_countries(f.country)
    )
    if f.group is not None:
        in_group = select(ResourceGroup.resource_id).where(
            ResourceGroup.group_id == _group_pk(ctx, f.group)
        )
        conditions.append(in_rows(Resource.id, in_group))
    if f.status is not None:
        conditions.append(Resource.status == f.status)
    return stmt.where(*conditions)


def _expertise(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every declaration `expertise(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or ExpertiseFilter()
    conditions = loaders.expertise_filters(
        topic=f.topic,
        language=f.language,
        country=_countries(f.country),
        group=None if f.group is None else _group_pk(ctx, f.group),
    )
    return select(*Expertise.__table__.c).where(*conditions)


RESOURCES = root_page(_resources, loaders.ORDER, types.Resource)
EXPERTISE = root_page(_expertise, (Expertise.id.desc(),), types.Expertise)


@strawberry.type
class Query:
    @strawberry.field(
        description="Resources of visible groups, newest first: the published ones, and the "
        "drafts you may see (your organisation's, and those of the groups you anchor).",
        metadata=RESOURCES.metadata,
    )
    async def resources(
        self,
        info: Info,
        filter: ResourceFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> types.ResourceConnection:
        return await RESOURCES.page(  # type: ignore[return-value]
            info, {"filter": filter}, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="Declared expertise of people and organisations, newest first: find "
        "someone who has done it before by topic, language, country or group.",
        metadata=EXPERTISE.metadata,
    )
    async def expertise(
        self,
        info: Info,
        filter: ExpertiseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> types.ExpertiseConnection:
        return await EXPERTISE.page(  # type: ignore[return-value]
            info, {"filter": filter}, first=first, after=after, last=last, before=before
        )
