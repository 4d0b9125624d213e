"""Batch loaders of the open data area: each reads ALL the parents of a level in one statement.

`load(ctx, keys, **arguments)` returns one value per key, in key order (`core.relation` calls it
a whole level at a time; the `*_by_id` loaders serve `node(id:)`), so a list of countries or
groups costs one statement per selected relation, whatever its length. Rows become the GraphQL
objects of `types.py` directly (`core.from_row`). The plain relations are declared
(`core.rows_by_key`, `core.rows_grouped_by`: table, key, order); those that go through a group's
countries are functions.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any

from sqlalchemy import Select, case, func, literal, select, union

from core import (
    MAX_PAGE_SIZE,
    Connection,
    Context,
    from_row,
    models,
    paginate_children,
    rows_by_key,
    rows_grouped_by,
)
from plugins.open_data import models as tables
from plugins.open_data.models import (
    EuHighValueDatasetScope,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
    eu_scope,
)


def columns(model: Any) -> Select[Any]:
    """Every column of a plugin table, selected by name (rows map to types with `from_row`)."""
    return select(*model.__table__.c)


def _group_countries() -> Any:
    """(group_id, country_id) of every group and the countries of its anchors and members."""
    org = models.Organization
    members = select(
        models.Membership.group_id.label("group_id"), org.country_id.label("country_id")
    ).join(org, org.id == models.Membership.organization_id)
    anchors = select(models.Anchor.group_id, org.country_id).join(
        org, org.id == models.Anchor.organization_id
    )
    return union(members, anchors).subquery("group_countries")


async def load_eu_scope_by_country(
    ctx: Context, keys: list[int]
) -> list[EuHighValueDatasetScope | None]:
    """Whether the EU's high-value dataset rules bind each country's public sector bodies."""
    country = models.Country
    stmt = select(country.id, country.alpha2).where(ctx.db.any_of(country.id, keys))
    async with ctx.db.read() as conn:
        codes = dict((await conn.execute(stmt)).all())
    return [eu_scope(codes[key]) if key in codes else None for key in keys]


load_portals = rows_by_key(tables.DataPortal.id, lambda: types.DataPortal)
load_datasets_by_portal = rows_grouped_by(
    tables.HighValueDataset.portal_id,
    lambda: types.HighValueDataset,
    order_by=(tables.HighValueDataset.title, tables.HighValueDataset.id),
)


# --- fields added to Country ---------------------------------------------------------------------


adopters_by_country = rows_grouped_by(
    tables.CharterAdopter.country_id,
    lambda: types.OpenDataCharterAdopter,
    order_by=(tables.CharterAdopter.adopted_on, tables.CharterAdopter.id),
)


def _adoptions() -> Any:
    """Each adopting country's Charter adoption summed up from its adopters, one row per
    country: (country_id, adopted_on: the earliest adoption, level: NATIONAL when its national
    government is among them, else SUBNATIONAL)."""
    adopter = tables.CharterAdopter
    level = adopter.level.type
    national = func.max(case((adopter.level == OpenDataCharterLevel.NATIONAL, 1), else_=0))
    return (
        select(
            adopter.country_id,
            func.min(adopter.adopted_on).label("adopted_on"),
            case(
                (national == 1, literal(OpenDataCharterLevel.NATIONAL, level)),
                else_=literal(OpenDataCharterLevel.SUBNATIONAL, level),
            ).label("level"),
        )
        .group_by(adopter.country_id)
        .subquery("open_data_charter_adoptions")
    )


# a country with no adopter has no row: its adoption is None
load_charter_by_country = rows_by_key(
    _adoptions().c.country_id, lambda: types.OpenDataCharterAdoption
)


load_portals_by_country = rows_grouped_by(
    tables.DataPortal.country_id,
    lambda: types.DataPortal,
    order_by=(tables.DataPortal.name, tables.DataPortal.id),
)
load_odin_by_country = rows_grouped_by(
    tables.OdinScore.country_id,
    lambda: types.OdinScore,
    order_by=(tables.OdinScore.edition.desc(),),  # one score per country and edition
)


# --- the group type ------------------------------------------------------------------------------


async def load_group_adopters(
    ctx: Context, keys: list[int], first: int = MAX_PAGE_SIZE
) -> list[list[types.OpenDataCharterAdopter]]:
    gc = _group_countries()
    stmt = (
        columns(tables.CharterAdopter)
        .add_columns(gc.c.group_id)
        .join(gc, gc.c.country_id == tables.CharterAdopter.country_id)
        .where(ctx.db.any_of(gc.c.group_id, keys))
        .order_by(tables.CharterAdopter.adopted_on, tables.CharterAdopter.id)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found: dict[int, list[types.OpenDataCharterAdopter]] = defaultdict(list)
    for row in rows:
        found[row.group_id].append(from_row(types.OpenDataCharterAdopter, row))
    return [found.get(key, [])[:first] for key in keys]  # `first`: 1..100 (the limits layer)


async def load_group_endorsers(
    ctx: Context, keys: list[int], first: int = MAX_PAGE_SIZE
) -> list[list[types.OpenDataCharterEndorser]]:
    """The endorsers that are organisations of each group (anchors, members, observers)."""
    links = union(
        select(models.Membership.group_id, models.Membership.organization_id),
        select(models.Anchor.group_id, models.Anchor.organization_id),
    ).subquery("group_organizations")
    endorser = tables.CharterEndorser
    stmt = (
        columns(endorser)
        .add_columns(links.c.group_id.label("_group"))
        .join(links, links.c.organization_id == endorser.organization_id)
        .where(ctx.db.any_of(links.c.group_id, keys))
        .order_by(endorser.name, endorser.id)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found: dict[int, list[types.OpenDataCharterEndorser]] = defaultdict(list)
    for row in rows:
        found[row._group].append(from_row(types.OpenDataCharterEndorser, row))
    return [found.get(key, [])[:first] for key in keys]  # `first`: 1..100 (the limits layer)


async def load_group_portals(
    ctx: Context,
    keys: list[int],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[types.DataPortal]]:
    gc = _group_countries()
    stmt = columns(tables.DataPortal).join(gc, gc.c.country_id == tables.DataPortal.country_id)
    pages = await paginate_children(
        ctx.db,
        stmt,
        gc.c.group_id,
        keys,
        (tables.DataPortal.name, tables.DataPortal.id),
        partial(from_row, types.DataPortal),
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


async def load_group_datasets(
    ctx: Context,
    keys: list[int],
    category: list[HighValueDatasetCategory] | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[types.HighValueDataset]]:
    gc = _group_countries()
    stmt = columns(tables.HighValueDataset).join(
        gc, gc.c.country_id == tables.HighValueDataset.country_id
    )
    if category:
        stmt = stmt.where(tables.HighValueDataset.category.in_(category))
    pages = await paginate_children(
        ctx.db,
        stmt,
        gc.c.group_id,
        keys,
        (tables.HighValueDataset.title, tables.HighValueDataset.id),
        partial(from_row, types.HighValueDataset),
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


async def load_group_odin(
    ctx: Context,
    keys: list[int],
    edition: str | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[types.OdinScore]]:
    gc = _group_countries()
    country = models.Country
    stmt = (
        columns(tables.OdinScore)
        .join(gc, gc.c.country_id == tables.OdinScore.country_id)
        .join(country, country.id == tables.OdinScore.country_id)
    )
    if edition is not None:
        stmt = stmt.where(tables.OdinScore.edition == edition.strip())
    pages = await paginate_children(
        ctx.db,
        stmt,
        gc.c.group_id,
        keys,
        (country.name, tables.OdinScore.edition, tables.OdinScore.id),
        types.OdinScore.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


# --- by primary key, for node(id:) -------------------------------------------------------------


adopters_by_id = rows_by_key(tables.CharterAdopter.id, lambda: types.OpenDataCharterAdopter)
endorsers_by_id = rows_by_key(tables.CharterEndorser.id, lambda: types.OpenDataCharterEndorser)
datasets_by_id = rows_by_key(tables.HighValueDataset.id, lambda: types.HighValueDataset)
odin_scores_by_id = rows_by_key(tables.OdinScore.id, lambda: types.OdinScore)


# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.open_data import types  # noqa: E402
