"""Batch loaders of the open data area: each reads ALL the parents of a level in one statement.

`load(ctx, keys, **arguments)` returns one value per key, in key order (`core.relation` calls it
a whole level at a time; the `*_by_id` loaders serve `node(id:)`), so a list of countries or
groups costs one statement per selected relation, whatever its length. Rows become the GraphQL
objects of `types.py` directly (`core.from_row`). The plain relations are declared
(`core.rows_by_key`, `core.rows_grouped_by`, `core.pages_by_key`: table, key, order), those that
go through a group's countries too (`through=core.GROUP_COUNTRIES`); a Charter adoption, a
country's EU scope and the ODIN scores ordered by country name read a derived table (a subquery)
built here, so every relation compiles.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Select, case, func, literal, select, true

from core import (
    GROUP_COUNTRIES,
    GROUP_ORGANIZATIONS,
    Context,
    enum_column,
    models,
    pages_by_key,
    rows_by_key,
    rows_grouped_by,
)
from plugins.open_data import models as tables
from plugins.open_data.models import (
    EEA_EFTA_STATES,
    EU_MEMBER_STATES,
    EuHighValueDatasetScope,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
)


def columns(model: Any) -> Select[Any]:
    """Every column of a plugin table, selected by name (rows map to types with `from_row`)."""
    return select(*model.__table__.c)


def _eu_scopes() -> Any:
    """Each country's `EuHighValueDatasetScope` (`scope`), by its ISO code: a member state of
    the EU, of the EEA through EFTA, or not bound."""
    country = models.Country
    scope_type = enum_column(EuHighValueDatasetScope, "scope")
    scope = partial(literal, type_=scope_type)
    s = EuHighValueDatasetScope
    return select(
        country.id.label("country_id"),
        case(
            (country.alpha2.in_(sorted(EU_MEMBER_STATES)), scope(s.EU_MEMBER_STATE)),
            (country.alpha2.in_(sorted(EEA_EFTA_STATES)), scope(s.EEA_EFTA_STATE)),
            else_=scope(s.NOT_BOUND),
        ).label("scope"),
    ).subquery("open_data_eu_scopes")


_EU_SCOPES = _eu_scopes()
load_eu_scope_by_country = rows_by_key(_EU_SCOPES.c.country_id, build=lambda row: row.scope)
"""Whether the EU's high-value dataset rules bind each country's public sector bodies."""


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


_BY_COUNTRY = (GROUP_COUNTRIES.c.group_id, GROUP_COUNTRIES.c.country_id)

load_group_adopters = rows_grouped_by(
    tables.CharterAdopter.country_id,
    lambda: types.OpenDataCharterAdopter,
    order_by=(tables.CharterAdopter.adopted_on, tables.CharterAdopter.id),
    through=_BY_COUNTRY,
)
load_group_endorsers = rows_grouped_by(
    tables.CharterEndorser.organization_id,
    lambda: types.OpenDataCharterEndorser,
    order_by=(tables.CharterEndorser.name, tables.CharterEndorser.id),
    through=(GROUP_ORGANIZATIONS.c.group_id, GROUP_ORGANIZATIONS.c.organization_id),
)
"""The endorsers that are organisations of each group (anchors, members, observers)."""
load_group_portals = pages_by_key(
    tables.DataPortal.country_id,
    lambda: types.DataPortal,
    order_by=(tables.DataPortal.name, tables.DataPortal.id),
    through=_BY_COUNTRY,
)


def _in_categories(ctx: Context, categories: list[HighValueDatasetCategory]) -> Any:
    """The `category` argument: any of these (none given, or an empty list: all)."""
    return tables.HighValueDataset.category.in_(categories) if categories else true()


load_group_datasets = pages_by_key(
    tables.HighValueDataset.country_id,
    lambda: types.HighValueDataset,
    order_by=(tables.HighValueDataset.title, tables.HighValueDataset.id),
    filters={"category": _in_categories},
    through=_BY_COUNTRY,
)


def _odin_named() -> Any:
    """Every ODIN score with its country's name (`country_name`), a group's order."""
    odin, country = tables.OdinScore, models.Country
    return (
        select(*odin.__table__.c, country.name.label("country_name"))
        .join(country, country.id == odin.country_id)
        .subquery("open_data_odin_named")
    )


_ODIN = _odin_named()
load_group_odin = pages_by_key(
    _ODIN.c.country_id,
    lambda: types.OdinScore,
    order_by=(_ODIN.c.country_name, _ODIN.c.edition, _ODIN.c.id),
    filters={"edition": lambda ctx, edition: _ODIN.c.edition == edition.strip()},
    through=_BY_COUNTRY,
)
"""ODIN scores of each group's countries, by country name, then edition."""


# --- by primary key, for node(id:) -------------------------------------------------------------


adopters_by_id = rows_by_key(tables.CharterAdopter.id, lambda: types.OpenDataCharterAdopter)
endorsers_by_id = rows_by_key(tables.CharterEndorser.id, lambda: types.OpenDataCharterEndorser)
datasets_by_id = rows_by_key(tables.HighValueDataset.id, lambda: types.HighValueDataset)
odin_scores_by_id = rows_by_key(tables.OdinScore.id, lambda: types.OdinScore)


# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.open_data import types  # noqa: E402
