"""Root queries of the core schema."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import strawberry
from sqlalchemy import func, or_, select
from strawberry.types import Info

from core.access import audit
from core.enums import GroupStatus, MeetingKind, OrganizationKind
from core.errors import api_error
from core.limits import MAX_PAGE_SIZE
from core.loading import prefetched
from core.models import Anchor, Country, Meeting, Membership, Organization, WorkingGroup
from core.schema import types
from core.schema.ids import from_global_id
from core.schema.loaders import build_group, visible_groups
from core.schema.nodes import loader_name as node_loader_name
from core.schema.pagination import Connection, count_of, paginate

MAX_NODE_IDS = 100


async def _nothing() -> None:
    return None


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


@strawberry.input
class OrganizationFilter:
    kind: list[OrganizationKind] | None = None
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    text: str | None = strawberry.field(default=None, description="Case-insensitive name match.")


@strawberry.input(description="Narrow the list of meetings; all given conditions apply.")
class MeetingFilter:
    group: str | None = strawberry.field(default=None, description="Slug of a working group.")
    kind: list[MeetingKind] | None = None
    starts_from: datetime | None = strawberry.field(
        default=None, name="from", description="Meetings starting at or after this instant."
    )
    starts_to: datetime | None = strawberry.field(
        default=None, name="to", description="Meetings starting before this instant."
    )
    upcoming: bool | None = strawberry.field(
        default=None, description="true: not yet ended; false: already ended."
    )
    summit: bool | None = None


def _country_code(code: str) -> Any:
    code = code.strip().upper()
    return Country.alpha2 == code if len(code) == 2 else Country.alpha3 == code


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _group_filters(stmt: Any, f: WorkingGroupFilter) -> Any:
    if f.theme is not None:
        stmt = stmt.where(WorkingGroup.theme == f.theme)
    if f.status:
        stmt = stmt.where(WorkingGroup.status.in_(f.status))
    if f.text:
        pattern = _like(f.text)
        stmt = stmt.where(
            or_(
                func.lower(WorkingGroup.name).like(pattern, escape="\\"),
                func.lower(WorkingGroup.summary).like(pattern, escape="\\"),
                func.lower(WorkingGroup.description).like(pattern, escape="\\"),
            )
        )
    if f.country:
        orgs = select(Organization.id).join(Country, Country.id == Organization.country_id)
        orgs = orgs.where(_country_code(f.country))
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


@strawberry.type
class Query:
    @strawberry.field(description="The enabled thematic areas, for navigation.")
    def themes(self, info: Info) -> list[types.Theme]:
        plugins = info.context.app.plugins
        return [
            types.Theme(key=t.key, title=t.title, summary=t.summary, version=t.version)
            for key, t in sorted(plugins.themes.items())
            if key in plugins.enabled
        ]

    @strawberry.field(description="Working groups of the enabled themes, by name.")
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
        stmt = _group_filters(visible_groups(ctx), filter or WorkingGroupFilter())
        async with ctx.db.read() as conn:
            page = await paginate(
                conn,
                stmt,
                (WorkingGroup.name, WorkingGroup.id),
                lambda row: build_group(ctx, row),
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(ctx.db.read, stmt),
            )
        return await prefetched(info, page)

    @strawberry.field(description="One working group by its slug.")
    async def working_group(self, info: Info, slug: str) -> types.WorkingGroup | None:
        ctx = info.context
        async with ctx.db.read() as conn:
            row = (await conn.execute(visible_groups(ctx).where(WorkingGroup.slug == slug))).first()
        return None if row is None else await prefetched(info, build_group(ctx, row))

    @strawberry.field(description="Any object by its global ID.")
    async def node(self, info: Info, id: strawberry.ID) -> types.Node | None:
        decoded = from_global_id(id)
        if decoded is None:
            return None
        type_name, pk = decoded
        # every Node type has a loader (checked at start-up: core.schema.nodes); an unknown or
        # disabled plugin's type name has none, and is answered like a missing row
        loader = node_loader_name(type_name)
        if loader not in info.context.app.loaders:
            return None
        return await prefetched(info, await info.context.loader(loader).load(pk))

    @strawberry.field(
        description="Objects by their global IDs (at most 100), in order: null for an ID that "
        "names nothing (or nothing you may see), as `node` answers it."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[types.Node | None]:
        if len(ids) > MAX_NODE_IDS:
            raise api_error("BAD_USER_INPUT", f"`ids`: at most {MAX_NODE_IDS} IDs")
        ctx = info.context
        pending = []
        for given in ids:
            decoded = from_global_id(given)
            loader = node_loader_name(decoded[0]) if decoded else None
            if decoded is None or loader not in ctx.app.loaders:
                pending.append(_nothing())
            else:
                pending.append(ctx.loader(loader).load(decoded[1]))  # one batch per type
        return await prefetched(info, list(await asyncio.gather(*pending)))

    @strawberry.field(description="OGP participating countries, by name (`first`: 1..100).")
    async def countries(
        self, info: Info, region: str | None = None, first: int = MAX_PAGE_SIZE
    ) -> list[types.Country]:
        stmt = select(*Country.__table__.c).order_by(Country.name, Country.id).limit(first)
        if region is not None:
            stmt = stmt.where(Country.region == region)
        async with info.context.db.read() as conn:
            countries = [types.Country.from_row(row) for row in await conn.execute(stmt)]
        return await prefetched(info, countries)

    @strawberry.field(description="One country by ISO 3166-1 alpha-2 or alpha-3 code.")
    async def country(self, info: Info, code: str) -> types.Country | None:
        stmt = select(*Country.__table__.c).where(_country_code(code))
        async with info.context.db.read() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else await prefetched(info, types.Country.from_row(row))

    @strawberry.field(description="Organisations, by name.")
    async def organizations(
        self,
        info: Info,
        filter: OrganizationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[types.Organization]:
        f = filter or OrganizationFilter()
        stmt = select(*Organization.__table__.c)
        if f.kind:
            stmt = stmt.where(Organization.kind.in_(f.kind))
        if f.country:
            stmt = stmt.where(
                Organization.country_id.in_(select(Country.id).where(_country_code(f.country)))
            )
        if f.text:
            stmt = stmt.where(func.lower(Organization.name).like(_like(f.text), escape="\\"))
        db = info.context.db
        async with db.read() as conn:
            page = await paginate(
                conn,
                stmt,
                (Organization.name, Organization.id),
                types.Organization.from_row,
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(db.read, stmt),
            )
        return await prefetched(info, page)

    @strawberry.field(description="Meetings of visible groups, earliest first.")
    async def meetings(
        self,
        info: Info,
        filter: MeetingFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[types.Meeting]:
        ctx = info.context
        f = filter or MeetingFilter()
        stmt = (
            select(*Meeting.__table__.c)
            .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
            .where(WorkingGroup.theme.in_(ctx.app.visible_themes))
        )
        if f.group is not None:
            stmt = stmt.where(WorkingGroup.slug == f.group)
        if f.kind:
            stmt = stmt.where(Meeting.kind.in_(f.kind))
        for instant in (f.starts_from, f.starts_to):
            if instant is not None and instant.tzinfo is None:
                raise api_error("BAD_USER_INPUT", "`from` and `to` need a UTC offset")
        if f.starts_from is not None:
            stmt = stmt.where(Meeting.starts_at >= f.starts_from)
        if f.starts_to is not None:
            stmt = stmt.where(Meeting.starts_at < f.starts_to)
        if f.upcoming is not None:
            now = datetime.now(UTC)
            stmt = stmt.where(Meeting.ends_at >= now if f.upcoming else Meeting.ends_at < now)
        if f.summit is not None:
            stmt = stmt.where(Meeting.is_summit == f.summit)
        async with ctx.db.read() as conn:
            page = await paginate(
                conn,
                stmt,
                (Meeting.starts_at, Meeting.id),
                types.Meeting.from_row,
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(ctx.db.read, stmt),
            )
        return await prefetched(info, page)

    @strawberry.field(description="Every mutation call, newest first. Staff only.")
    async def audit_log(
        self,
        info: Info,
        filter: audit.AuditLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[audit.AuditEntry] | None:
        return await audit.audit_log(info, filter, first, after, last, before)
