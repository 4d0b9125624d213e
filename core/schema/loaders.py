"""Core batch loaders: each runs ONE statement for all the keys a level of the query asked for.

Each opens its own read connection (`ctx.db.read()`), so loaders that run concurrently never share
a connection. Rows become GraphQL objects directly; no ORM objects on read paths.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select, union

from core.context import Context
from core.hookspecs import BatchLoadFn
from core.models import (
    Anchor,
    Country,
    Meeting,
    Membership,
    Organization,
    Person,
    Registration,
    WorkingGroup,
)
from core.schema import types
from core.schema.pagination import paginate_children

T = TypeVar("T")


async def _rows(ctx: Context, stmt: Select[Any]) -> Sequence[Any]:
    async with ctx.db.read() as conn:
        return (await conn.execute(stmt)).all()


def _by_key(rows: Iterable[Any], keys: list[Any], build: Callable[[Any], T]) -> list[T | None]:
    found = {row.id: build(row) for row in rows}
    return [found.get(key) for key in keys]


def _grouped(
    rows: Iterable[Any], keys: list[Any], attr: str, build: Callable[[Any], T]
) -> list[list[T]]:
    groups: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attr)].append(build(row))
    return [groups.get(key, []) for key in keys]


def build_group(ctx: Context, row: Any) -> Any:
    """The concrete type of the group's theme (only visible themes are ever selected)."""
    return ctx.app.group_types[row.theme](**types.group_fields(row))


def visible_groups(ctx: Context) -> Select[Any]:
    """Groups whose theme's plugin is enabled: the only groups any public query returns."""
    return select(*WorkingGroup.__table__.c).where(WorkingGroup.theme.in_(ctx.app.visible_themes))


async def countries_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    rows = await _rows(ctx, select(*Country.__table__.c).where(Country.id.in_(keys)))
    return _by_key(rows, keys, types.Country.from_row)


async def organizations_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    rows = await _rows(ctx, select(*Organization.__table__.c).where(Organization.id.in_(keys)))
    return _by_key(rows, keys, types.Organization.from_row)


async def organizations_by_country(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*Organization.__table__.c)
        .where(Organization.country_id.in_(keys))
        .order_by(Organization.name, Organization.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "country_id", types.Organization.from_row)


async def people_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    cols = (Person.id, Person.name, Person.organization_id)  # never the e-mail
    rows = await _rows(ctx, select(*cols).where(Person.id.in_(keys)))
    return _by_key(rows, keys, types.Person.from_row)


async def people_by_organization(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(Person.id, Person.name, Person.organization_id)
        .where(Person.organization_id.in_(keys))
        .order_by(Person.name, Person.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "organization_id", types.Person.from_row)


async def groups_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    rows = await _rows(ctx, visible_groups(ctx).where(WorkingGroup.id.in_(keys)))
    return _by_key(rows, keys, lambda row: build_group(ctx, row))


def _group_org_links() -> Any:
    return union(
        select(Membership.group_id, Membership.organization_id),
        select(Anchor.group_id, Anchor.organization_id),
    ).subquery()


async def groups_by_organization(ctx: Context, keys: list[int]) -> list[Any]:
    links = _group_org_links()
    stmt = (
        visible_groups(ctx)
        .add_columns(links.c.organization_id.label("_key"))
        .join(links, links.c.group_id == WorkingGroup.id)
        .where(links.c.organization_id.in_(keys))
        .order_by(WorkingGroup.name, WorkingGroup.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "_key", lambda row: build_group(ctx, row))


async def groups_by_country(ctx: Context, keys: list[int]) -> list[Any]:
    links = _group_org_links()
    stmt = (
        visible_groups(ctx)
        .add_columns(Organization.country_id.label("_key"))
        .join(links, links.c.group_id == WorkingGroup.id)
        .join(Organization, Organization.id == links.c.organization_id)
        .where(Organization.country_id.in_(keys))
        .distinct()
        .order_by(WorkingGroup.name, WorkingGroup.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "_key", lambda row: build_group(ctx, row))


async def anchors_by_group(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = select(*Anchor.__table__.c).where(Anchor.group_id.in_(keys)).order_by(Anchor.role)
    return _grouped(await _rows(ctx, stmt), keys, "group_id", types.Anchor.from_row)


async def members_by_group(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*Membership.__table__.c)
        .where(Membership.group_id.in_(keys))
        .order_by(Membership.joined_at, Membership.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "group_id", types.Membership.from_row)


async def meetings_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = _in_visible_groups(ctx, Meeting, Meeting.group_id).where(Meeting.id.in_(keys))
    return _by_key(await _rows(ctx, stmt), keys, types.Meeting.from_row)


def _in_visible_groups(ctx: Context, model: Any, group_column: Any) -> Select[Any]:
    return (
        select(*model.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == group_column)
        .where(WorkingGroup.theme.in_(ctx.app.visible_themes))
    )


async def anchors_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = _in_visible_groups(ctx, Anchor, Anchor.group_id).where(Anchor.id.in_(keys))
    return _by_key(await _rows(ctx, stmt), keys, types.Anchor.from_row)


async def memberships_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = _in_visible_groups(ctx, Membership, Membership.group_id).where(Membership.id.in_(keys))
    return _by_key(await _rows(ctx, stmt), keys, types.Membership.from_row)


async def registrations_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*Registration.__table__.c)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(Registration.id.in_(keys), WorkingGroup.theme.in_(ctx.app.visible_themes))
    )
    return _by_key(await _rows(ctx, stmt), keys, types.Registration.from_row)


def _split_by_args(keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], list[int]]:
    """Keys are (parent pk, *arguments): one statement per distinct set of arguments."""
    by_args: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for parent, *args in keys:
        by_args[tuple(args)].append(parent)
    return by_args


async def meetings_by_group(ctx: Context, keys: list[tuple[Any, ...]]) -> list[Any]:
    pages: dict[tuple[Any, ...], Any] = {}
    for (kind, upcoming, first, after), parents in _split_by_args(keys).items():
        stmt = select(*Meeting.__table__.c)
        if kind is not None:
            stmt = stmt.where(Meeting.kind == kind)
        if upcoming is not None:
            now = datetime.now(UTC)
            stmt = stmt.where(Meeting.ends_at >= now if upcoming else Meeting.ends_at < now)
        async with ctx.db.read() as conn:
            result = await paginate_children(
                conn,
                stmt,
                Meeting.group_id,
                parents,
                (Meeting.starts_at, Meeting.id),
                types.Meeting.from_row,
                first=first,
                after=after,
            )
        for parent, page in result.items():
            pages[(parent, kind, upcoming, first, after)] = page
    return [pages[key] for key in keys]


async def registrations_by_meeting(ctx: Context, keys: list[tuple[Any, ...]]) -> list[Any]:
    pages: dict[tuple[Any, ...], Any] = {}
    for (status, first, after), parents in _split_by_args(keys).items():
        stmt = select(*Registration.__table__.c)
        if status is not None:
            stmt = stmt.where(Registration.status == status)
        async with ctx.db.read() as conn:
            result = await paginate_children(
                conn,
                stmt,
                Registration.meeting_id,
                parents,
                (Registration.id,),
                types.Registration.from_row,
                first=first,
                after=after,
            )
        for parent, page in result.items():
            pages[(parent, status, first, after)] = page
    return [pages[key] for key in keys]


CORE_LOADERS: dict[str, BatchLoadFn] = {
    "countries_by_id": countries_by_id,
    "organizations_by_id": organizations_by_id,
    "organizations_by_country": organizations_by_country,
    "people_by_id": people_by_id,
    "people_by_organization": people_by_organization,
    "groups_by_id": groups_by_id,
    "groups_by_organization": groups_by_organization,
    "groups_by_country": groups_by_country,
    "anchors_by_group": anchors_by_group,
    "members_by_group": members_by_group,
    "meetings_by_id": meetings_by_id,
    "anchors_by_id": anchors_by_id,
    "memberships_by_id": memberships_by_id,
    "registrations_by_id": registrations_by_id,
    "meetings_by_group": meetings_by_group,
    "registrations_by_meeting": registrations_by_meeting,
}
