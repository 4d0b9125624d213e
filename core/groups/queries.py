"""Root queries of the groups domain: `workingGroups`, `workingGroup` (of enabled themes only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import func, or_, select
from strawberry.types import Info

from core.compiled.declare import COMPILED_ROOT, RootRead
from core.enums import GroupStatus
from core.groups import types
from core.groups.loaders import build_group, group_variants
from core.groups.models import Anchor, Membership, WorkingGroup
from core.groups.visible import visible_groups
from core.loading import prefetched
from core.people.models import Country, Organization
from core.people.queries import country_code
from core.schema.filters import like_pattern
from core.schema.pagination import Connection, count_of, paginate


@strawberry.input(description="Narrow the list of working groups; all given conditions apply.")
class WorkingGroupFilter:
    theme: str | None = strawberry.field(default=None, description="A theme key.")
    status: list[GroupStatus] | None = None
    country: str | None = strawberry.field(
        default=None,
        description="ISO alpha-2 or alpha-3 code: groups with an anchor or member from there.",
    )
    text: str | None = strawberry.field(
        default=None, description="Case-insensitive match on name, summary or description."
    )


def _group_filters(stmt: Any, f: WorkingGroupFilter) -> Any:
    if f.theme is not None:
        stmt = stmt.where(WorkingGroup.theme == f.theme)
    if f.status:
        stmt = stmt.where(WorkingGroup.status.in_(f.status))
    if f.text:
        pattern = like_pattern(f.text)
        stmt = stmt.where(
            or_(
                func.lower(WorkingGroup.name).like(pattern, escape="\\"),
                func.lower(WorkingGroup.summary).like(pattern, escape="\\"),
                func.lower(WorkingGroup.description).like(pattern, escape="\\"),
            )
        )
    if f.country:
        orgs = select(Organization.id).join(Country, Country.id == Organization.country_id)
        orgs = orgs.where(country_code(f.country))
        stmt = stmt.where(
            or_(
                WorkingGroup.id.in_(
                    select(Membership.group_id).where(Membership.organization_id.in_(orgs))
                ),
                WorkingGroup.id.in_(
                    select(Anchor.group_id).where(Anchor.organization_id.in_(orgs))
                ),
            )
        )
    return stmt


def _groups_statement(ctx: Any, arguments: Mapping[str, Any]) -> Any:
    """Every group `workingGroups(filter:)` lists, on both read paths."""
    return _group_filters(visible_groups(ctx), arguments.get("filter") or WorkingGroupFilter())


GROUPS = RootRead(
    statement=_groups_statement,
    make=build_group,
    order_by=(WorkingGroup.name, WorkingGroup.id),
    variants=group_variants,
)
GROUP_BY_SLUG = RootRead(
    statement=lambda ctx, arguments: visible_groups(ctx).where(
        WorkingGroup.slug == arguments["slug"]
    ),
    make=build_group,
    variants=group_variants,
    one=True,
)


@strawberry.type
class Query:
    @strawberry.field(
        description="Working groups of the enabled themes, by name.",
        metadata={COMPILED_ROOT: GROUPS},
    )
    async def working_groups(
        self,
        info: Info,
        filter: WorkingGroupFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[types.WorkingGroup]:
        ctx = info.context
        stmt = GROUPS.statement(ctx, {"filter": filter})
        async with ctx.db.read() as conn:
            page = await paginate(
                conn,
                stmt,
                GROUPS.order_by,
                lambda row: build_group(ctx, row),
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(ctx.db.read, stmt),
            )
        return await prefetched(info, page)

    @strawberry.field(
        description="One working group by its slug.", metadata={COMPILED_ROOT: GROUP_BY_SLUG}
    )
    async def working_group(self, info: Info, slug: str) -> types.WorkingGroup | None:
        ctx = info.context
        async with ctx.db.read() as conn:
            row = (await conn.execute(GROUP_BY_SLUG.statement(ctx, {"slug": slug}))).first()
        return None if row is None else await prefetched(info, build_group(ctx, row))
