"""A test-only plugin whose connections sort descending and in mixed directions (in-process).

Built through the public API only (`core`), as a partner would: two root connections with
`paginate`, two nested ones with `paginate_children`, over core tables. Its node types are its
own and do not implement `Node`, so the generic test also reaches parents through a root path
rather than `node(id:)`. tests/test_pagination.py walks them like every other connection.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import select

from core import (
    Connection,
    Context,
    Theme,
    count_of,
    enums,
    hookimpl,
    models,
    paginate,
    paginate_children,
    prefetched,
    relation,
    types,
)

KEY = "sorted_views"
Meeting, Organization = models.Meeting, models.Organization


@strawberry.type
class SortedViewsGroup(types.WorkingGroup):
    """The test theme's groups (it has none: the plugin only adds connections)."""


@strawberry.type
class SortedOrganization:
    name: str
    kind: enums.OrganizationKind
    organization_id: int

    @classmethod
    def from_row(cls, row: Any) -> SortedOrganization:
        return cls(name=row.name, kind=row.kind, organization_id=row.id)


@strawberry.type
class SortedMeeting:
    title: str
    kind: enums.MeetingKind
    starts_at: datetime
    is_summit: bool
    meeting_id: int

    @classmethod
    def from_row(cls, row: Any) -> SortedMeeting:
        return cls(
            title=row.title,
            kind=row.kind,
            starts_at=row.starts_at,
            is_summit=row.is_summit,
            meeting_id=row.id,
        )


async def load_meetings(
    ctx: Context,
    keys: list[int],
    kind: enums.MeetingKind | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[SortedMeeting]]:
    stmt = select(*Meeting.__table__.c)
    if kind is not None:
        stmt = stmt.where(Meeting.kind == kind)
    pages = await paginate_children(
        ctx.db,
        stmt,
        Meeting.group_id,
        keys,
        (Meeting.kind, Meeting.starts_at.desc(), Meeting.id),  # mixed: the expanded OR form
        SortedMeeting.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


@strawberry.type
class SortedGroup:
    pk: strawberry.Private[int]
    slug: str

    @relation(load_meetings, description="The group's meetings by kind, then latest first.")
    def meetings_by_kind(
        self,
        kind: enums.MeetingKind | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[SortedMeeting]: ...


@strawberry.field(description="Test only: every group, by slug (a type that is not a Node).")
async def sorted_groups(info: strawberry.Info) -> list[SortedGroup]:
    stmt = select(models.WorkingGroup.id, models.WorkingGroup.slug).order_by(
        models.WorkingGroup.slug
    )
    async with info.context.db.read() as conn:
        groups = [SortedGroup(pk=row.id, slug=row.slug) for row in await conn.execute(stmt)]
    return await prefetched(info, groups)


@strawberry.input
class SortedMeetingsFilter:
    kind: enums.MeetingKind | None = None
    summit: bool | None = None


@strawberry.field(description="Test only: every meeting, latest first (all keys descending).")
async def sorted_meetings_latest_first(
    info: strawberry.Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[SortedMeeting]:
    ctx = info.context
    stmt = select(*Meeting.__table__.c)
    async with ctx.db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (Meeting.starts_at.desc(), Meeting.id.desc()),
            SortedMeeting.from_row,
            first=first,
            after=after,
            last=last,
            before=before,
            count=count_of(ctx.db.read, stmt),
        )
    return await prefetched(info, page)


@strawberry.field(description="Test only: meetings by kind, then latest first (mixed keys).")
async def sorted_meetings_by_kind(
    info: strawberry.Info,
    filter: SortedMeetingsFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[SortedMeeting]:
    ctx = info.context
    f = filter or SortedMeetingsFilter()
    stmt = select(*Meeting.__table__.c)
    if f.kind is not None:
        stmt = stmt.where(Meeting.kind == f.kind)
    if f.summit is not None:
        stmt = stmt.where(Meeting.is_summit == f.summit)
    async with ctx.db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (Meeting.kind, Meeting.starts_at.desc(), Meeting.id),
            SortedMeeting.from_row,
            first=first,
            after=after,
            last=last,
            before=before,
            count=count_of(ctx.db.read, stmt),
        )
    return await prefetched(info, page)


async def load_organizations(
    ctx: Context,
    keys: list[int],
    kind: enums.OrganizationKind | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[SortedOrganization]]:
    stmt = select(*Organization.__table__.c)
    if kind is not None:
        stmt = stmt.where(Organization.kind == kind)
    pages = await paginate_children(
        ctx.db,
        stmt,
        Organization.country_id,
        keys,
        (Organization.name.desc(), Organization.id.desc()),  # uniform descending: a row-value `<`
        SortedOrganization.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


@relation(load_organizations, description="Test only: by name, Z to A.")
def sorted_organizations(
    root: types.Country,
    kind: enums.OrganizationKind | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[SortedOrganization]: ...


class Plugin:
    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key=KEY, title="Sorted views", summary="Test only.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        return SortedViewsGroup

    @hookimpl
    def ogp_wg_query_fields(self) -> list[Any]:
        return [sorted_meetings_latest_first, sorted_meetings_by_kind, sorted_groups]

    @hookimpl
    def ogp_wg_type_fields(self) -> dict[str, list[Any]]:
        return {"Country": [sorted_organizations]}


plugin = Plugin()
