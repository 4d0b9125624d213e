"""Core batch loaders: each runs ONE statement for all the parents a level of the query has.

`load(ctx, keys, **arguments)` returns one value per key, in order; relation fields in
core.schema.types name them, and core.loading calls them a whole level at a time. Each opens its
own read connection, so loaders that run concurrently never share one. Rows become GraphQL
objects directly; no ORM objects on read paths.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select, union

from core.access.meetings import visible_registrations
from core.access.people import visible_emails
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
from core.rows import (
    PagesByKey,
    RowsByKey,
    RowsGroupedBy,
    pages_by_key,
    rows_by_key,
    rows_grouped_by,
)
from core.schema.pagination import paginate_children

T = TypeVar("T")


async def _rows(ctx: Context, stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:  # any columns
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


def _in_visible_groups(ctx: Context, model: Any, group_column: Any) -> Select[Any]:
    return (
        select(*model.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == group_column)
        .where(WorkingGroup.theme.in_(ctx.app.visible_themes))
    )


# Declared loads (core.rows): the relation's table, key column, order and filters as data, the
# same declarations plugins use; the rows become the types through their `from_row`.
countries_by_id: RowsByKey[Any] = rows_by_key(Country.id, lambda: types.Country)
organizations_by_id: RowsByKey[Any] = rows_by_key(Organization.id, lambda: types.Organization)
organizations_by_country: RowsGroupedBy[Any] = rows_grouped_by(
    Organization.country_id,
    lambda: types.Organization,
    order_by=(Organization.name, Organization.id),
)

PUBLIC_PERSON = (Person.id, Person.name, Person.organization_id)  # never the e-mail

emails_by_person: RowsByKey[Any] = rows_by_key(
    Person.id,
    build=lambda row: row.email,
    columns=(Person.id, Person.email),
    where=visible_emails,  # the field rule as SQL too: no other e-mail is even read
)

people_by_id: RowsByKey[Any] = rows_by_key(Person.id, lambda: types.Person, columns=PUBLIC_PERSON)
people_by_organization: RowsGroupedBy[Any] = rows_grouped_by(
    Person.organization_id,
    lambda: types.Person,
    order_by=(Person.name, Person.id),
    columns=PUBLIC_PERSON,
)


async def groups_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    rows = await _rows(ctx, visible_groups(ctx).where(ctx.db.any_of(WorkingGroup.id, keys)))
    return _by_key(rows, keys, lambda row: build_group(ctx, row))


def _group_org_links() -> Any:
    return union(
        select(Membership.group_id, Membership.organization_id),
        select(Anchor.group_id, Anchor.organization_id),
    ).subquery()


async def groups_by_organization(ctx: Context, keys: list[int], first: int = 100) -> list[Any]:
    links = _group_org_links()
    stmt = (
        visible_groups(ctx)
        .add_columns(links.c.organization_id.label("_key"))
        .join(links, links.c.group_id == WorkingGroup.id)
        .where(ctx.db.any_of(links.c.organization_id, keys))
        .order_by(WorkingGroup.name, WorkingGroup.id)
    )
    groups = _grouped(await _rows(ctx, stmt), keys, "_key", lambda row: build_group(ctx, row))
    return [found[:first] for found in groups]  # a handful per organisation: cut here


async def groups_by_country(ctx: Context, keys: list[int], first: int = 100) -> list[Any]:
    links = _group_org_links()
    stmt = (
        visible_groups(ctx)
        .add_columns(Organization.country_id.label("_key"))
        .join(links, links.c.group_id == WorkingGroup.id)
        .join(Organization, Organization.id == links.c.organization_id)
        .where(ctx.db.any_of(Organization.country_id, keys))
        .distinct()
        .order_by(WorkingGroup.name, WorkingGroup.id)
    )
    groups = _grouped(await _rows(ctx, stmt), keys, "_key", lambda row: build_group(ctx, row))
    return [found[:first] for found in groups]  # groups are few: cut here


anchors_by_group: RowsGroupedBy[Any] = rows_grouped_by(
    Anchor.group_id, lambda: types.Anchor, order_by=(Anchor.role,)
)
members_by_group: RowsGroupedBy[Any] = rows_grouped_by(
    Membership.group_id,
    lambda: types.Membership,
    order_by=(Membership.joined_at, Membership.id),
    filters={"role": Membership.role},
)


async def member_counts_by_group(ctx: Context, keys: list[int]) -> list[int]:
    stmt = (
        select(Membership.group_id, func.count())
        .where(ctx.db.any_of(Membership.group_id, keys))
        .group_by(Membership.group_id)
    )
    counts = dict(await _rows(ctx, stmt))
    return [counts.get(key, 0) for key in keys]


async def meetings_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = _in_visible_groups(ctx, Meeting, Meeting.group_id).where(ctx.db.any_of(Meeting.id, keys))
    return _by_key(await _rows(ctx, stmt), keys, types.Meeting.from_row)


async def anchors_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = _in_visible_groups(ctx, Anchor, Anchor.group_id).where(ctx.db.any_of(Anchor.id, keys))
    return _by_key(await _rows(ctx, stmt), keys, types.Anchor.from_row)


async def memberships_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = _in_visible_groups(ctx, Membership, Membership.group_id).where(
        ctx.db.any_of(Membership.id, keys)
    )
    return _by_key(await _rows(ctx, stmt), keys, types.Membership.from_row)


async def registrations_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*Registration.__table__.c)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(ctx.db.any_of(Registration.id, keys), WorkingGroup.theme.in_(ctx.app.visible_themes))
    )
    return _by_key(await _rows(ctx, stmt), keys, types.Registration.from_row)


async def meetings_by_group(
    ctx: Context,
    keys: list[int],
    filter: Any = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Any]:
    stmt = select(*Meeting.__table__.c)
    if filter is not None and filter.kind is not None:
        stmt = stmt.where(Meeting.kind == filter.kind)
    if filter is not None and filter.upcoming is not None:
        now = datetime.now(UTC)
        stmt = stmt.where(Meeting.ends_at >= now if filter.upcoming else Meeting.ends_at < now)
    order = (Meeting.starts_at, Meeting.id)
    pages = await paginate_children(
        ctx.db,
        stmt,
        Meeting.group_id,
        keys,
        order,
        types.Meeting.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


# first come, first served: the order of joining the current queue (the waitlist's order is the
# order of promotion), not the id, which a comeback after cancelling keeps
registrations_by_meeting: PagesByKey[Any] = pages_by_key(
    Registration.meeting_id,
    lambda: types.Registration,
    order_by=(Registration.queued_at, Registration.id),
    where=visible_registrations,  # only the rows the viewer may see, counted alike: core.access
    filters={"status": Registration.status},
)


CORE_LOADERS: dict[str, BatchLoadFn] = {
    "countries_by_id": countries_by_id,
    "organizations_by_id": organizations_by_id,
    "people_by_id": people_by_id,
    "groups_by_id": groups_by_id,
    "meetings_by_id": meetings_by_id,
    "anchors_by_id": anchors_by_id,
    "memberships_by_id": memberships_by_id,
    "registrations_by_id": registrations_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""

# Imported last, not first: core.schema.types needs this module's loaders while its classes are
# being defined, and the loaders above need `types` only when they run. Importing it here breaks
# the cycle whichever of the two modules is imported first (`from core import load_countries` in
# a fresh interpreter imports this one first).
from core.schema import types  # noqa: E402
