"""Root queries of the open data area, and how `node(id:)` fetches its `Node` types.

Each root query is declared with `core.root_page`: a statement of its filtered records and their
order, answered as one page (compiled to one SQL statement, or on the resolver path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, or_
from strawberry.types import Info

from core import Connection, Context, in_country, models, root_page
from plugins.open_data import models as tables
from plugins.open_data.loaders import (
    adopters_by_id,
    columns,
    datasets_by_id,
    endorsers_by_id,
    load_portals,
    odin_scores_by_id,
)
from plugins.open_data.models import (
    DataPortalPlatform,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
)
from plugins.open_data.types import (
    DataPortal,
    HighValueDataset,
    OdinScore,
    OpenDataCharterAdopter,
    OpenDataCharterEndorser,
)


@strawberry.input(description="Narrow the list of Charter adopters; all given conditions apply.")
class CharterAdopterFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    level: OpenDataCharterLevel | None = None


@strawberry.input(description="Narrow the list of data portals; all given conditions apply.")
class DataPortalFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    platform: list[DataPortalPlatform] | None = None
    has_api: bool | None = None


@strawberry.input(description="Narrow the list of high-value datasets; all conditions apply.")
class HighValueDatasetFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    category: list[HighValueDatasetCategory] | None = None
    fully_open: bool | None = strawberry.field(
        default=None, description="true: meets all five openness elements; false: misses one."
    )


@strawberry.input(description="Narrow the list of ODIN scores; all given conditions apply.")
class OdinScoreFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    edition: str | None = strawberry.field(default=None, description="e.g. '2022/23'.")


def _open_data_charter_adopters(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every adopter `openDataCharterAdopters(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or CharterAdopterFilter()
    stmt = columns(tables.CharterAdopter)
    if f.country is not None:
        stmt = stmt.where(in_country(tables.CharterAdopter.country_id, f.country))
    if f.level is not None:
        stmt = stmt.where(tables.CharterAdopter.level == f.level)
    return stmt


OPEN_DATA_CHARTER_ADOPTERS = root_page(
    _open_data_charter_adopters,
    (tables.CharterAdopter.adopted_on, tables.CharterAdopter.id),
    OpenDataCharterAdopter,
)


@strawberry.field(
    description="Governments that adopted the Open Data Charter, earliest first.",
    metadata=OPEN_DATA_CHARTER_ADOPTERS.metadata,
)
async def open_data_charter_adopters(
    info: Info,
    filter: CharterAdopterFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[OpenDataCharterAdopter]:
    return await OPEN_DATA_CHARTER_ADOPTERS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


def _open_data_charter_endorsers(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every endorser `openDataCharterEndorsers` lists (both read paths)."""
    return columns(tables.CharterEndorser)


OPEN_DATA_CHARTER_ENDORSERS = root_page(
    _open_data_charter_endorsers,
    (tables.CharterEndorser.name, tables.CharterEndorser.id),
    OpenDataCharterEndorser,
)


@strawberry.field(
    description="Organisations that endorsed the Open Data Charter (governments adopt it: "
    "`openDataCharterAdopters`), by name.",
    metadata=OPEN_DATA_CHARTER_ENDORSERS.metadata,
)
async def open_data_charter_endorsers(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[OpenDataCharterEndorser]:
    return await OPEN_DATA_CHARTER_ENDORSERS.page(
        info, {}, first=first, after=after, last=last, before=before
    )


def _data_portals(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every portal `dataPortals(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or DataPortalFilter()
    stmt = columns(tables.DataPortal)
    if f.country is not None:
        stmt = stmt.where(in_country(tables.DataPortal.country_id, f.country))
    if f.platform:
        stmt = stmt.where(tables.DataPortal.platform.in_(f.platform))
    if f.has_api is not None:
        stmt = stmt.where(tables.DataPortal.has_api == f.has_api)
    return stmt


DATA_PORTALS = root_page(_data_portals, (tables.DataPortal.name, tables.DataPortal.id), DataPortal)


@strawberry.field(
    name="dataPortals",
    description="Government open data portals, by name.",
    metadata=DATA_PORTALS.metadata,
)
async def data_portals_query(
    info: Info,
    filter: DataPortalFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[DataPortal]:
    return await DATA_PORTALS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


FULLY_OPEN = (
    tables.HighValueDataset.machine_readable,
    tables.HighValueDataset.non_proprietary_format,
    tables.HighValueDataset.metadata_available,
    tables.HighValueDataset.download_or_api,
    tables.HighValueDataset.open_licence,
)


def _high_value_datasets(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every dataset `highValueDatasets(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or HighValueDatasetFilter()
    stmt = columns(tables.HighValueDataset)
    if f.country is not None:
        stmt = stmt.where(in_country(tables.HighValueDataset.country_id, f.country))
    if f.category:
        stmt = stmt.where(tables.HighValueDataset.category.in_(f.category))
    if f.fully_open is True:
        stmt = stmt.where(*(element.is_(True) for element in FULLY_OPEN))
    elif f.fully_open is False:
        stmt = stmt.where(or_(*(element.is_(False) for element in FULLY_OPEN)))
    return stmt


HIGH_VALUE_DATASETS = root_page(
    _high_value_datasets,
    (tables.HighValueDataset.title, tables.HighValueDataset.id),
    HighValueDataset,
)


@strawberry.field(
    name="highValueDatasets",
    description="High-value datasets, by title.",
    metadata=HIGH_VALUE_DATASETS.metadata,
)
async def high_value_datasets_query(
    info: Info,
    filter: HighValueDatasetFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[HighValueDataset]:
    return await HIGH_VALUE_DATASETS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


def _odin_scores(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every score `odinScores(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or OdinScoreFilter()
    stmt = columns(tables.OdinScore).join(
        models.Country, models.Country.id == tables.OdinScore.country_id
    )
    if f.country is not None:
        stmt = stmt.where(in_country(tables.OdinScore.country_id, f.country))
    if f.edition is not None:
        stmt = stmt.where(tables.OdinScore.edition == f.edition.strip())
    return stmt


ODIN_SCORES = root_page(
    _odin_scores,
    (models.Country.name, tables.OdinScore.edition, tables.OdinScore.id),
    OdinScore,
)


@strawberry.field(
    name="odinScores",
    description="ODIN scores, by country name then edition.",
    metadata=ODIN_SCORES.metadata,
)
async def odin_scores_query(
    info: Info,
    filter: OdinScoreFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[OdinScore]:
    return await ODIN_SCORES.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


QUERY_FIELDS = [
    open_data_charter_adopters,
    open_data_charter_endorsers,
    data_portals_query,
    high_value_datasets_query,
    odin_scores_query,
]

# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    OpenDataCharterAdopter: adopters_by_id,
    OpenDataCharterEndorser: endorsers_by_id,
    HighValueDataset: datasets_by_id,
    DataPortal: load_portals,  # the loader `HighValueDataset.portal` already uses
    OdinScore: odin_scores_by_id,
}
