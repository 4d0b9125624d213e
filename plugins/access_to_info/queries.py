"""Root queries of the access to information area, and how `node(id:)` fetches its `Node` types.

Each root query filters its records and answers one page of them in order with
`core.query_page`, which loads the relations selected below a level at a time.
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import case, func, select
from strawberry.types.field import StrawberryField

from core import Connection, country_code_condition, models, query_page
from plugins.access_to_info.loaders import load_laws_by_id, ratings_by_id, statistics_by_id
from plugins.access_to_info.models import RtiLaw as LawRow
from plugins.access_to_info.models import RtiRating as RatingRow
from plugins.access_to_info.models import RtiRequestStatistics as StatisticsRow
from plugins.access_to_info.types import RightToInformationLaw, RtiRating, RtiRequestStatistics

# --- Root queries --------------------------------------------------------------------------------


@strawberry.input(description="Narrow the list of laws; all given conditions apply.")
class RtiLawFilter:
    min_rating: int | None = strawberry.field(
        default=None, description="Laws whose latest RTI Rating is at least this (0-150)."
    )
    region: str | None = strawberry.field(
        default=None, description="OGP region of the country, as in `Country.region`."
    )
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")


@strawberry.input(description="Narrow the list of request statistics; all conditions apply.")
class RtiRequestStatisticsFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    year: int | None = None


def _latest_totals() -> Any:
    """(law_id, total) of each law's latest rating: the latest year, and in a year the country
    page's rather than the historical data's (as `RightToInformationLaw.rating`)."""
    rank = RatingRow.edition * 2 + case((RatingRow.series == "COUNTRY_PAGE", 1), else_=0)
    latest = (
        select(RatingRow.law_id, func.max(rank).label("rank")).group_by(RatingRow.law_id).subquery()
    )
    return select(RatingRow.law_id, RatingRow.total).join(
        latest, (latest.c.law_id == RatingRow.law_id) & (latest.c.rank == rank)
    )


@strawberry.field(description="National right-to-information laws, by country name.")
async def rti_laws(
    info: strawberry.Info,
    filter: RtiLawFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[RightToInformationLaw]:
    f = filter or RtiLawFilter()
    Country = models.Country
    stmt = select(*LawRow.__table__.c).join(Country, Country.id == LawRow.country_id)
    if f.country:
        stmt = stmt.where(country_code_condition(f.country))
    if f.region:
        stmt = stmt.where(Country.region == f.region)
    if f.min_rating is not None:
        totals = _latest_totals().subquery()
        rated = select(totals.c.law_id).where(totals.c.total >= f.min_rating)
        stmt = stmt.where(LawRow.id.in_(rated))
    order = (Country.name, LawRow.id)
    return await query_page(
        info, stmt, order, RightToInformationLaw, first=first, after=after, last=last, before=before
    )


@strawberry.field(description="Request statistics per country and year, by country then year.")
async def rti_request_statistics(
    info: strawberry.Info,
    filter: RtiRequestStatisticsFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[RtiRequestStatistics]:
    f = filter or RtiRequestStatisticsFilter()
    Country, Stats = models.Country, StatisticsRow
    stmt = select(*Stats.__table__.c).join(Country, Country.id == Stats.country_id)
    if f.country:
        stmt = stmt.where(country_code_condition(f.country))
    if f.year is not None:
        stmt = stmt.where(Stats.year == f.year)
    order = (Country.name, Stats.year, Stats.id)
    return await query_page(
        info, stmt, order, RtiRequestStatistics, first=first, after=after, last=last, before=before
    )


QUERY_FIELDS: list[StrawberryField] = [rti_laws, rti_request_statistics]


# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    RightToInformationLaw: load_laws_by_id,  # the loader `RtiRating.law` already uses
    RtiRating: ratings_by_id,
    RtiRequestStatistics: statistics_by_id,
}
