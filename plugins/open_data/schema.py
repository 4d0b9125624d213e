"""GraphQL types, relation loaders and root queries of the open data area.

Every relation is declared with `@relation(load_fn)`: `load_fn(ctx, keys, **arguments)` reads the
rows of ALL parents in one statement and returns one value per key, so a list of countries or
groups costs one statement per selected relation, whatever its length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, ClassVar, TypeVar

import strawberry
from sqlalchemy import Select, or_, select, union
from strawberry.types import Info

from core import (
    Connection,
    Context,
    count_of,
    load_countries,
    models,
    paginate,
    paginate_children,
    prefetched,
    relation,
    types,
)
from plugins.open_data import models as tables
from plugins.open_data.models import (
    ODIN_SCALE_MAX,
    DataPortalPlatform,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
)

T = TypeVar("T")

# https://opendatacharter.org/principles/ (in the Charter's order)
CHARTER_PRINCIPLES = (
    "Open by Default",
    "Timely and Comprehensive",
    "Accessible and Usable",
    "Comparable and Interoperable",
    "For Improved Governance and Citizen Engagement",
    "For Inclusive Development and Innovation",
)


# --- loading helpers -----------------------------------------------------------------------------


async def _rows(ctx: Context, stmt: Select[Any]) -> Sequence[Any]:
    async with ctx.db.read() as conn:
        return (await conn.execute(stmt)).all()


def _grouped(
    rows: Iterable[Any], keys: list[Any], attr: str, build: Callable[[Any], T]
) -> list[list[T]]:
    found: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        found[getattr(row, attr)].append(build(row))
    return [found.get(key, []) for key in keys]


def _by_id(rows: Iterable[Any], keys: list[Any], build: Callable[[Any], T]) -> list[T | None]:
    found = {row.id: build(row) for row in rows}
    return [found.get(key) for key in keys]


def _columns(model: Any) -> Select[Any]:
    return select(*model.__table__.c)


def _country_ids(code: str) -> Select[Any]:
    """Ids of the country with this ISO 3166-1 alpha-2 or alpha-3 code (none if unknown)."""
    code = code.strip().upper()
    column = models.Country.alpha2 if len(code) == 2 else models.Country.alpha3
    return select(models.Country.id).where(column == code)


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


async def load_portals(ctx: Context, keys: list[int]) -> list[DataPortal | None]:
    rows = await _rows(
        ctx, _columns(tables.DataPortal).where(ctx.db.any_of(tables.DataPortal.id, keys))
    )
    return _by_id(rows, keys, DataPortal.from_row)


# --- types ---------------------------------------------------------------------------------------


@strawberry.type(
    description="A national or subnational government that adopted the International Open "
    "Data Charter.",
)
class OpenDataCharterAdopter(types.Node):
    node_type: ClassVar[str] = "OpenDataCharterAdopter"
    country_pk: strawberry.Private[int]
    government: str = strawberry.field(description="e.g. 'Government of Uruguay', 'Montevideo'.")
    level: OpenDataCharterLevel
    adopted_on: date
    source_url: str | None = strawberry.field(description="Evidence of the adoption.")

    @classmethod
    def from_row(cls, row: Any) -> OpenDataCharterAdopter:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            government=row.government,
            level=row.level,
            adopted_on=row.adopted_on,
            source_url=row.source_url,
        )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    description="A country's adoption of the International Open Data Charter: a summary of its "
    "adopting governments (national and subnational)."
)
class OpenDataCharterAdoption:
    adopted_on: date = strawberry.field(description="The first adoption by any of its governments.")
    level: OpenDataCharterLevel = strawberry.field(
        description="NATIONAL when the national government adopted the Charter, SUBNATIONAL when "
        "only subnational governments did."
    )
    adopters: list[OpenDataCharterAdopter] = strawberry.field(description="Earliest first.")

    @classmethod
    def of(cls, adopters: list[OpenDataCharterAdopter]) -> OpenDataCharterAdoption | None:
        if not adopters:
            return None
        national = any(a.level == OpenDataCharterLevel.NATIONAL for a in adopters)
        return cls(
            adopted_on=min(a.adopted_on for a in adopters),
            level=OpenDataCharterLevel.NATIONAL if national else OpenDataCharterLevel.SUBNATIONAL,
            adopters=adopters,
        )


@strawberry.type(description="A high-value dataset and its openness.")
class HighValueDataset(types.Node):
    node_type: ClassVar[str] = "HighValueDataset"
    country_pk: strawberry.Private[int]
    portal_pk: strawberry.Private[int | None]
    title: str
    category: HighValueDatasetCategory
    url: str = strawberry.field(description="The dataset's landing page.")
    machine_readable: bool = strawberry.field(description="Openness element: machine-readable.")
    non_proprietary_format: bool = strawberry.field(
        description="Openness element: available in a non-proprietary format."
    )
    metadata_available: bool = strawberry.field(description="Openness element: metadata.")
    download_or_api: bool = strawberry.field(
        description="Openness element: bulk download or an API."
    )
    open_licence: bool = strawberry.field(
        description="Openness element: an open licence or terms of use allowing reuse."
    )
    licence: str | None = strawberry.field(description="e.g. 'CC BY 4.0'.")
    checked_on: date = strawberry.field(description="When the openness elements were checked.")
    last_updated_on: date | None = strawberry.field(description="Last update by the publisher.")
    notes: str

    @classmethod
    def from_row(cls, row: Any) -> HighValueDataset:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            portal_pk=row.portal_id,
            title=row.title,
            category=row.category,
            url=row.url,
            machine_readable=row.machine_readable,
            non_proprietary_format=row.non_proprietary_format,
            metadata_available=row.metadata_available,
            download_or_api=row.download_or_api,
            open_licence=row.open_licence,
            licence=row.licence,
            checked_on=row.checked_on,
            last_updated_on=row.last_updated_on,
            notes=row.notes,
        )

    @strawberry.field(description="How many of the five openness elements it meets (0-5).")
    def openness_elements_met(self) -> int:
        return sum(
            (
                self.machine_readable,
                self.non_proprietary_format,
                self.metadata_available,
                self.download_or_api,
                self.open_licence,
            )
        )

    @strawberry.field(description="Meets all five openness elements.")
    def fully_open(self) -> bool:
        return self.openness_elements_met() == 5

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_portals, key="portal_pk", description="The portal publishing it, if recorded.")
    def portal(self) -> DataPortal | None: ...


async def load_datasets_by_portal(ctx: Context, keys: list[int]) -> list[list[HighValueDataset]]:
    stmt = (
        _columns(tables.HighValueDataset)
        .where(ctx.db.any_of(tables.HighValueDataset.portal_id, keys))
        .order_by(tables.HighValueDataset.title, tables.HighValueDataset.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "portal_id", HighValueDataset.from_row)


@strawberry.type(description="A government open data portal.")
class DataPortal(types.Node):
    node_type: ClassVar[str] = "DataPortal"
    country_pk: strawberry.Private[int]
    name: str
    url: str
    platform: DataPortalPlatform
    dataset_count: int | None = strawberry.field(
        description="Datasets listed when last checked (null: not counted)."
    )
    has_api: bool = strawberry.field(description="Offers an API to query its catalogue or data.")
    checked_on: date | None = strawberry.field(description="When the count and API were checked.")
    notes: str

    @classmethod
    def from_row(cls, row: Any) -> DataPortal:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            name=row.name,
            url=row.url,
            platform=row.platform,
            dataset_count=row.dataset_count,
            has_api=row.has_api,
            checked_on=row.checked_on,
            notes=row.notes,
        )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_datasets_by_portal, default=[], description="High-value datasets it publishes.")
    def high_value_datasets(self) -> list[HighValueDataset]: ...


@strawberry.type(
    description="A country's Open Data Inventory (ODIN) scores in one edition, by Open Data "
    "Watch. `score` is the ODIN overall score; all three are 0-100.",
)
class OdinScore(types.Node, types.Assessment):
    node_type: ClassVar[str] = "OdinScore"
    country_pk: strawberry.Private[int]
    coverage: float = strawberry.field(description="ODIN coverage subscore, 0-100.")
    openness: float = strawberry.field(description="ODIN openness subscore, 0-100.")
    notes: str

    @classmethod
    def from_row(cls, row: Any) -> OdinScore:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            score=row.overall,
            scale_max=ODIN_SCALE_MAX,
            edition=row.edition,
            methodology_version=row.methodology_version,
            source_url=row.source_url,
            coverage=row.coverage,
            openness=row.openness,
            notes=row.notes,
        )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


# --- fields added to Country ---------------------------------------------------------------------


async def load_charter_by_country(
    ctx: Context, keys: list[int]
) -> list[OpenDataCharterAdoption | None]:
    stmt = (
        _columns(tables.CharterAdopter)
        .where(ctx.db.any_of(tables.CharterAdopter.country_id, keys))
        .order_by(tables.CharterAdopter.adopted_on, tables.CharterAdopter.id)
    )
    adopters = _grouped(await _rows(ctx, stmt), keys, "country_id", OpenDataCharterAdopter.from_row)
    return [OpenDataCharterAdoption.of(found) for found in adopters]


async def load_portals_by_country(ctx: Context, keys: list[int]) -> list[list[DataPortal]]:
    stmt = (
        _columns(tables.DataPortal)
        .where(ctx.db.any_of(tables.DataPortal.country_id, keys))
        .order_by(tables.DataPortal.name, tables.DataPortal.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "country_id", DataPortal.from_row)


async def load_odin_by_country(ctx: Context, keys: list[int]) -> list[list[OdinScore]]:
    stmt = (
        _columns(tables.OdinScore)
        .where(ctx.db.any_of(tables.OdinScore.country_id, keys))
        .order_by(tables.OdinScore.edition.desc())
    )
    return _grouped(await _rows(ctx, stmt), keys, "country_id", OdinScore.from_row)


@relation(
    load_charter_by_country,
    description="Adoption of the International Open Data Charter by the country's national and "
    "subnational governments; null when none has adopted it.",
)
def open_data_charter(root: types.Country) -> OpenDataCharterAdoption | None: ...


@relation(load_portals_by_country, default=[], description="Government open data portals.")
def data_portals(root: types.Country) -> list[DataPortal]: ...


@relation(load_odin_by_country, default=[], description="ODIN scores, latest edition first.")
def odin_scores(root: types.Country) -> list[OdinScore]: ...


# --- the group type ------------------------------------------------------------------------------


async def load_group_adopters(ctx: Context, keys: list[int]) -> list[list[OpenDataCharterAdopter]]:
    gc = _group_countries()
    stmt = (
        _columns(tables.CharterAdopter)
        .add_columns(gc.c.group_id)
        .join(gc, gc.c.country_id == tables.CharterAdopter.country_id)
        .where(ctx.db.any_of(gc.c.group_id, keys))
        .order_by(tables.CharterAdopter.adopted_on, tables.CharterAdopter.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "group_id", OpenDataCharterAdopter.from_row)


async def load_group_portals(
    ctx: Context, keys: list[int], first: int = 20, after: str | None = None
) -> list[Connection[DataPortal]]:
    gc = _group_countries()
    stmt = _columns(tables.DataPortal).join(gc, gc.c.country_id == tables.DataPortal.country_id)
    pages = await paginate_children(
        ctx.db,
        stmt,
        gc.c.group_id,
        keys,
        (tables.DataPortal.name, tables.DataPortal.id),
        DataPortal.from_row,
        first=first,
        after=after,
    )
    return [pages[key] for key in keys]


async def load_group_datasets(
    ctx: Context,
    keys: list[int],
    category: list[HighValueDatasetCategory] | None = None,
    first: int = 20,
    after: str | None = None,
) -> list[Connection[HighValueDataset]]:
    gc = _group_countries()
    stmt = _columns(tables.HighValueDataset).join(
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
        HighValueDataset.from_row,
        first=first,
        after=after,
    )
    return [pages[key] for key in keys]


async def load_group_odin(
    ctx: Context,
    keys: list[int],
    edition: str | None = None,
    first: int = 20,
    after: str | None = None,
) -> list[Connection[OdinScore]]:
    gc = _group_countries()
    country = models.Country
    stmt = (
        _columns(tables.OdinScore)
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
        OdinScore.from_row,
        first=first,
        after=after,
    )
    return [pages[key] for key in keys]


@strawberry.type(
    description="The open data working group. It follows the Charter adoptions, portals, "
    "high-value datasets and ODIN scores of its countries: those of its anchors and members."
)
class OpenDataGroup(types.WorkingGroup):
    @strawberry.field(description="The six principles of the International Open Data Charter.")
    def charter_principles(self) -> list[str]:
        return list(CHARTER_PRINCIPLES)

    @relation(
        load_group_adopters,
        default=[],
        description="Charter adopters in the group's countries, earliest first.",
    )
    def charter_adopters(self) -> list[OpenDataCharterAdopter]: ...

    @relation(load_group_portals, description="Data portals of the group's countries, by name.")
    def data_portals(self, first: int = 20, after: str | None = None) -> Connection[DataPortal]: ...

    @relation(
        load_group_datasets,
        description="High-value datasets of the group's countries, by title.",
    )
    def high_value_datasets(
        self,
        category: list[HighValueDatasetCategory] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[HighValueDataset]: ...

    @relation(
        load_group_odin,
        description="ODIN scores of the group's countries, by country name then edition.",
    )
    def odin_scores(
        self, edition: str | None = None, first: int = 20, after: str | None = None
    ) -> Connection[OdinScore]: ...


# --- root queries --------------------------------------------------------------------------------


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


async def _page(
    info: Info,
    stmt: Select[Any],
    order_by: tuple[Any, ...],
    build: Callable[[Any], T],
    first: int,
    after: str | None,
) -> Connection[T]:
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn, stmt, order_by, build, first=first, after=after, count=count_of(db.read, stmt)
        )
    return await prefetched(info, page)


@strawberry.field(description="Governments that adopted the Open Data Charter, earliest first.")
async def open_data_charter_adopters(
    info: Info,
    filter: CharterAdopterFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[OpenDataCharterAdopter]:
    f = filter or CharterAdopterFilter()
    stmt = _columns(tables.CharterAdopter)
    if f.country is not None:
        stmt = stmt.where(tables.CharterAdopter.country_id.in_(_country_ids(f.country)))
    if f.level is not None:
        stmt = stmt.where(tables.CharterAdopter.level == f.level)
    order_by = (tables.CharterAdopter.adopted_on, tables.CharterAdopter.id)
    return await _page(info, stmt, order_by, OpenDataCharterAdopter.from_row, first, after)


@strawberry.field(name="dataPortals", description="Government open data portals, by name.")
async def data_portals_query(
    info: Info,
    filter: DataPortalFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[DataPortal]:
    f = filter or DataPortalFilter()
    stmt = _columns(tables.DataPortal)
    if f.country is not None:
        stmt = stmt.where(tables.DataPortal.country_id.in_(_country_ids(f.country)))
    if f.platform:
        stmt = stmt.where(tables.DataPortal.platform.in_(f.platform))
    if f.has_api is not None:
        stmt = stmt.where(tables.DataPortal.has_api == f.has_api)
    order_by = (tables.DataPortal.name, tables.DataPortal.id)
    return await _page(info, stmt, order_by, DataPortal.from_row, first, after)


FULLY_OPEN = (
    tables.HighValueDataset.machine_readable,
    tables.HighValueDataset.non_proprietary_format,
    tables.HighValueDataset.metadata_available,
    tables.HighValueDataset.download_or_api,
    tables.HighValueDataset.open_licence,
)


@strawberry.field(name="highValueDatasets", description="High-value datasets, by title.")
async def high_value_datasets_query(
    info: Info,
    filter: HighValueDatasetFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[HighValueDataset]:
    f = filter or HighValueDatasetFilter()
    stmt = _columns(tables.HighValueDataset)
    if f.country is not None:
        stmt = stmt.where(tables.HighValueDataset.country_id.in_(_country_ids(f.country)))
    if f.category:
        stmt = stmt.where(tables.HighValueDataset.category.in_(f.category))
    if f.fully_open is True:
        stmt = stmt.where(*(element.is_(True) for element in FULLY_OPEN))
    elif f.fully_open is False:
        stmt = stmt.where(or_(*(element.is_(False) for element in FULLY_OPEN)))
    order_by = (tables.HighValueDataset.title, tables.HighValueDataset.id)
    return await _page(info, stmt, order_by, HighValueDataset.from_row, first, after)


@strawberry.field(name="odinScores", description="ODIN scores, by country name then edition.")
async def odin_scores_query(
    info: Info,
    filter: OdinScoreFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[OdinScore]:
    f = filter or OdinScoreFilter()
    stmt = _columns(tables.OdinScore).join(
        models.Country, models.Country.id == tables.OdinScore.country_id
    )
    if f.country is not None:
        stmt = stmt.where(tables.OdinScore.country_id.in_(_country_ids(f.country)))
    if f.edition is not None:
        stmt = stmt.where(tables.OdinScore.edition == f.edition.strip())
    order_by = (models.Country.name, tables.OdinScore.edition, tables.OdinScore.id)
    return await _page(info, stmt, order_by, OdinScore.from_row, first, after)


QUERY_FIELDS = [
    open_data_charter_adopters,
    data_portals_query,
    high_value_datasets_query,
    odin_scores_query,
]
COUNTRY_FIELDS = [open_data_charter, data_portals, odin_scores]
