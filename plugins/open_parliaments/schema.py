"""GraphQL types, loaders and root queries of the open parliaments area (the read side).

Every relation is declared with `@relation(load_fn)`: `load_fn(ctx, keys)` reads the rows of ALL
the parents at one level of the query in ONE statement, so a list of legislatures with their
chambers and indicators costs one statement per level, whatever its length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar, TypeVar

import strawberry
from sqlalchemy import Select, func, select, union
from strawberry.types import Info

from core import (
    Connection,
    Context,
    count_of,
    load_countries,
    load_organizations,
    models,
    paginate,
    prefetched,
    relation,
    types,
)
from plugins.open_parliaments.enums import (
    ChamberKind,
    MonitoringScope,
    OpennessIndicator,
    OpennessStatus,
)
from plugins.open_parliaments.models import DECLARATION_LAUNCHED
from plugins.open_parliaments.models import Chamber as ChamberRow
from plugins.open_parliaments.models import Endorsement as EndorsementRow
from plugins.open_parliaments.models import Legislature as LegislatureRow
from plugins.open_parliaments.models import MonitoringOrganization as MonitoringRow
from plugins.open_parliaments.models import OpennessCheck as CheckRow

DECLARATION_URL = "https://www.openingparliament.org/declaration/"

T = TypeVar("T")

# --- loading helpers -----------------------------------------------------------------------------


async def _rows(ctx: Context, stmt: Select[Any]) -> list[Any]:
    async with ctx.db.read() as conn:
        return list((await conn.execute(stmt)).all())


def _one_each(
    rows: Iterable[Any], keys: list[Any], attr: str, build: Callable[[Any], T]
) -> list[T | None]:
    """One object (or None) per key, matching `row.<attr>` to the key."""
    found = {getattr(row, attr): build(row) for row in rows}
    return [found.get(key) for key in keys]


def _list_each(
    rows: Iterable[Any], keys: list[Any], attr: str, build: Callable[[Any], T]
) -> list[list[T]]:
    """A list per key (possibly empty), in the rows' order."""
    grouped: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attr)].append(build(row))
    return [grouped.get(key, []) for key in keys]


def country_condition(code: str) -> Any:
    """A condition on `countries` matching an ISO 3166-1 alpha-2 or alpha-3 code."""
    code = code.strip().upper()
    return models.Country.alpha2 == code if len(code) == 2 else models.Country.alpha3 == code


# Chambers and indicators are listed in the order of their enumerations.
KIND_ORDER = {kind: i for i, kind in enumerate(ChamberKind)}
INDICATOR_ORDER = {indicator: i for i, indicator in enumerate(OpennessIndicator)}


async def load_chambers_by_legislature(ctx: Context, keys: list[int]) -> list[list[Chamber]]:
    stmt = select(*ChamberRow.__table__.c).where(ctx.db.any_of(ChamberRow.legislature_id, keys))
    rows = sorted(await _rows(ctx, stmt), key=lambda row: KIND_ORDER[row.kind])
    return _list_each(rows, keys, "legislature_id", Chamber.from_row)


async def load_chambers(ctx: Context, keys: list[int]) -> list[Chamber | None]:
    stmt = select(*ChamberRow.__table__.c).where(ctx.db.any_of(ChamberRow.id, keys))
    return _one_each(await _rows(ctx, stmt), keys, "id", Chamber.from_row)


async def load_legislatures(ctx: Context, keys: list[int]) -> list[Legislature | None]:
    stmt = select(*LegislatureRow.__table__.c).where(ctx.db.any_of(LegislatureRow.id, keys))
    return _one_each(await _rows(ctx, stmt), keys, "id", Legislature.from_row)


async def load_legislature_by_country(ctx: Context, keys: list[int]) -> list[Legislature | None]:
    table = LegislatureRow.__table__
    stmt = select(*table.c).where(ctx.db.any_of(LegislatureRow.country_id, keys))
    return _one_each(await _rows(ctx, stmt), keys, "country_id", Legislature.from_row)


async def load_indicators_by_chamber(
    ctx: Context, keys: list[int]
) -> list[list[ChamberOpennessIndicator]]:
    stmt = select(*CheckRow.__table__.c).where(ctx.db.any_of(CheckRow.chamber_id, keys))
    rows = sorted(await _rows(ctx, stmt), key=lambda row: INDICATOR_ORDER[row.indicator])
    return _list_each(rows, keys, "chamber_id", ChamberOpennessIndicator.from_row)


async def load_monitors_by_legislature(
    ctx: Context, keys: list[int]
) -> list[list[ParliamentaryMonitoringOrganization]]:
    stmt = (
        select(*MonitoringRow.__table__.c)
        .join(models.Organization, models.Organization.id == MonitoringRow.organization_id)
        .where(ctx.db.any_of(MonitoringRow.legislature_id, keys))
        .order_by(models.Organization.name, MonitoringRow.id)
    )
    rows = await _rows(ctx, stmt)
    return _list_each(rows, keys, "legislature_id", ParliamentaryMonitoringOrganization.from_row)


async def load_endorsement_count(ctx: Context, keys: list[int]) -> list[int]:
    """The same figure for every group: all endorsements recorded."""
    count = (await _rows(ctx, select(func.count()).select_from(EndorsementRow)))[0][0]
    return [int(count)] * len(keys)


async def load_member_endorsements(
    ctx: Context, keys: list[int]
) -> list[list[DeclarationEndorsement]]:
    """Endorsements by each group's anchors and member organisations, earliest first."""
    participants = union(
        select(models.Anchor.group_id, models.Anchor.organization_id).where(
            ctx.db.any_of(models.Anchor.group_id, keys)
        ),
        select(models.Membership.group_id, models.Membership.organization_id).where(
            ctx.db.any_of(models.Membership.group_id, keys)
        ),
    ).subquery()
    stmt = (
        select(*EndorsementRow.__table__.c, participants.c.group_id)
        .join(participants, participants.c.organization_id == EndorsementRow.organization_id)
        .order_by(EndorsementRow.endorsed_on, EndorsementRow.id)
    )
    return _list_each(await _rows(ctx, stmt), keys, "group_id", DeclarationEndorsement.from_row)


# --- types ---------------------------------------------------------------------------------------


# Base of this plugin's types: the core's `Node` interface gives each a global `id`, opaque and
# unique across types, for client caches and mutation inputs, which `node(id:)` fetches back
# through the loaders declared in nodes.py (`node_type` is the type name inside the ID).
_Identified = types.Node


@strawberry.type(description="A country's national legislature (IPU Parline), with its chambers.")
class Legislature(_Identified):
    node_type: ClassVar[str] = "Legislature"
    country_pk: strawberry.Private[int]
    name: str
    chambers: int = strawberry.field(
        description="Number of chambers (IPU Parline's structure of parliament): 1 unicameral, "
        "2 bicameral. The chambers themselves are `houses`."
    )

    @classmethod
    def from_row(cls, row: Any) -> Legislature:
        return cls(pk=row.id, country_pk=row.country_id, name=row.name, chambers=row.chambers)

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_chambers_by_legislature,
        default=[],
        description="The chambers recorded so far: the UNICAMERAL one, or LOWER then UPPER.",
    )
    def houses(self) -> list[Chamber]: ...

    @relation(
        load_monitors_by_legislature,
        default=[],
        description="Parliamentary monitoring organisations following this legislature.",
    )
    def monitoring_organizations(self) -> list[ParliamentaryMonitoringOrganization]: ...


@strawberry.type(name="ParliamentaryChamber", description="One chamber (house) of a legislature.")
class Chamber(_Identified):
    node_type: ClassVar[str] = "ParliamentaryChamber"
    legislature_pk: strawberry.Private[int]
    kind: ChamberKind
    name: str
    website: str | None

    @classmethod
    def from_row(cls, row: Any) -> Chamber:
        return cls(
            pk=row.id,
            legislature_pk=row.legislature_id,
            kind=row.kind,
            name=row.name,
            website=row.website,
        )

    @relation(load_legislatures, key="legislature_pk")
    def legislature(self) -> Legislature: ...

    @relation(
        load_indicators_by_chamber,
        default=[],
        description="The latest check of each indicator recorded for this chamber.",
    )
    def openness_indicators(self) -> list[ChamberOpennessIndicator]: ...


@strawberry.type(
    description="The latest check of one openness indicator on one chamber: its status, the "
    "page that shows it and the date it was checked."
)
class ChamberOpennessIndicator(_Identified):
    node_type: ClassVar[str] = "ChamberOpennessIndicator"
    chamber_pk: strawberry.Private[int]
    indicator: OpennessIndicator
    status: OpennessStatus
    evidence_url: str = strawberry.field(description="Where the status can be verified.")
    checked_on: date = strawberry.field(description="When the evidence was last checked.")
    note: str | None

    @classmethod
    def from_row(cls, row: Any) -> ChamberOpennessIndicator:
        return cls(
            pk=row.id,
            chamber_pk=row.chamber_id,
            indicator=row.indicator,
            status=row.status,
            evidence_url=row.evidence_url,
            checked_on=row.checked_on,
            note=row.note,
        )

    @relation(load_chambers, key="chamber_pk")
    def chamber(self) -> Chamber: ...


@strawberry.type(
    description="An organisation's endorsement of the Declaration on Parliamentary Openness "
    "(OpeningParliament.org)."
)
class DeclarationEndorsement(_Identified):
    node_type: ClassVar[str] = "DeclarationEndorsement"
    organization_pk: strawberry.Private[int]
    endorsed_on: date
    source_url: str | None = strawberry.field(description="Where the endorsement is published.")
    note: str | None

    @classmethod
    def from_row(cls, row: Any) -> DeclarationEndorsement:
        return cls(
            pk=row.id,
            organization_pk=row.organization_id,
            endorsed_on=row.endorsed_on,
            source_url=row.source_url,
            note=row.note,
        )

    @relation(load_organizations, key="organization_pk")
    def organization(self) -> types.Organization: ...


@strawberry.type(
    description="A parliamentary monitoring organisation (PMO): an organisation that monitors a "
    "legislature, its members or both, and informs citizens about its work."
)
class ParliamentaryMonitoringOrganization(_Identified):
    node_type: ClassVar[str] = "ParliamentaryMonitoringOrganization"
    organization_pk: strawberry.Private[int]
    legislature_pk: strawberry.Private[int]
    scope: MonitoringScope
    website: str | None = strawberry.field(
        description="The monitoring website, when it is not the organisation's own."
    )

    @classmethod
    def from_row(cls, row: Any) -> ParliamentaryMonitoringOrganization:
        return cls(
            pk=row.id,
            organization_pk=row.organization_id,
            legislature_pk=row.legislature_id,
            scope=row.scope,
            website=row.website,
        )

    @relation(load_organizations, key="organization_pk")
    def organization(self) -> types.Organization: ...

    @relation(load_legislatures, key="legislature_pk", description="The legislature monitored.")
    def legislature(self) -> Legislature: ...


@strawberry.type(description="The open parliaments working group.")
class OpenParliamentsGroup(types.WorkingGroup):
    @strawberry.field(description="The Declaration on Parliamentary Openness.")
    def declaration_url(self) -> str:
        return DECLARATION_URL

    @strawberry.field(
        description="When the Declaration was launched: 15 September 2012, International Day of "
        "Democracy, at the World e-Parliament Conference in Rome."
    )
    def declaration_launched_on(self) -> date:
        return DECLARATION_LAUNCHED

    @relation(
        load_endorsement_count,
        default=0,
        description="Endorsements of the Declaration recorded, by any organisation.",
    )
    def endorsement_count(self) -> int: ...

    @relation(
        load_member_endorsements,
        default=[],
        description="Endorsements of the Declaration by this group's anchors and members.",
    )
    def member_endorsements(self) -> list[DeclarationEndorsement]: ...


# --- Country.legislature -------------------------------------------------------------------------


@relation(
    load_legislature_by_country, description="The country's national legislature, if recorded."
)
def legislature(root: types.Country) -> Legislature | None: ...


# --- root queries --------------------------------------------------------------------------------


@strawberry.input(description="Narrow the list of legislatures.")
class LegislatureFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")


@strawberry.input(description="Narrow the list of endorsements; all given conditions apply.")
class DeclarationEndorsementFilter:
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3: endorsing organisations based there."
    )
    since: date | None = strawberry.field(
        default=None, description="Endorsed on or after this date."
    )


@strawberry.input(description="Narrow the list of parliamentary monitoring organisations.")
class ParliamentaryMonitoringOrganizationFilter:
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3: PMOs monitoring that legislature."
    )


def _in_country(column: Any, code: str) -> Any:
    return column.in_(select(models.Country.id).where(country_condition(code)))


@strawberry.field(description="National legislatures, by name.")
async def legislatures(
    info: Info,
    filter: LegislatureFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[Legislature]:
    ctx = info.context
    stmt = select(*LegislatureRow.__table__.c)
    if filter and filter.country:
        stmt = stmt.where(_in_country(LegislatureRow.country_id, filter.country))
    async with ctx.db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (LegislatureRow.name, LegislatureRow.id),
            Legislature.from_row,
            first=first,
            after=after,
            count=count_of(ctx.db.read, stmt),
        )
    return await prefetched(info, page)


@strawberry.field(
    description="Endorsements of the Declaration on Parliamentary Openness, earliest first."
)
async def declaration_endorsements(
    info: Info,
    filter: DeclarationEndorsementFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[DeclarationEndorsement]:
    ctx = info.context
    f = filter or DeclarationEndorsementFilter()
    stmt = select(*EndorsementRow.__table__.c)
    if f.country:
        orgs = select(models.Organization.id).where(
            _in_country(models.Organization.country_id, f.country)
        )
        stmt = stmt.where(EndorsementRow.organization_id.in_(orgs))
    if f.since:
        stmt = stmt.where(EndorsementRow.endorsed_on >= f.since)
    async with ctx.db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (EndorsementRow.endorsed_on, EndorsementRow.id),
            DeclarationEndorsement.from_row,
            first=first,
            after=after,
            count=count_of(ctx.db.read, stmt),
        )
    return await prefetched(info, page)


@strawberry.field(description="Parliamentary monitoring organisations, by organisation name.")
async def parliamentary_monitoring_organizations(
    info: Info,
    filter: ParliamentaryMonitoringOrganizationFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[ParliamentaryMonitoringOrganization]:
    ctx = info.context
    stmt = select(*MonitoringRow.__table__.c).join(
        models.Organization, models.Organization.id == MonitoringRow.organization_id
    )
    if filter and filter.country:
        legislatures_there = select(LegislatureRow.id).where(
            _in_country(LegislatureRow.country_id, filter.country)
        )
        stmt = stmt.where(MonitoringRow.legislature_id.in_(legislatures_there))
    async with ctx.db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (models.Organization.name, MonitoringRow.id),
            ParliamentaryMonitoringOrganization.from_row,
            first=first,
            after=after,
            count=count_of(ctx.db.read, stmt),
        )
    return await prefetched(info, page)


QUERY_FIELDS = [legislatures, declaration_endorsements, parliamentary_monitoring_organizations]

LOADERS: dict[str, Any] = {"open_parliaments_legislature_by_country": load_legislature_by_country}
