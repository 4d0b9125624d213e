"""Root queries of the access to information area, and how `node(id:)` fetches its `Node` types.

Each root query is declared with `core.root_page`: a statement of its filtered records and their
order, answered as one page (compiled to one SQL statement, or on the resolver path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, case, func, select
from strawberry.types.field import StrawberryField

from core import Connection, Context, country_code_condition, models, root_page
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


def _rti_laws(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every law `rtiLaws(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or RtiLawFilter()
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
    return stmt


RTI_LAWS = root_page(_rti_laws, (models.Country.name, LawRow.id), RightToInformationLaw)


@strawberry.field(
    description="National right-to-information laws, by country name.",
    metadata=RTI_LAWS.metadata,
)
async def rti_laws(
    info: strawberry.Info,
    filter: RtiLawFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[RightToInformationLaw]:
    return await RTI_LAWS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


def _rti_request_statistics(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every statistics row `rtiRequestStatistics(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or RtiRequestStatisticsFilter()
    Country, Stats = models.Country, StatisticsRow
    stmt = select(*Stats.__table__.c).join(Country, Country.id == Stats.country_id)
    if f.country:
        stmt = stmt.where(country_code_condition(f.country))
    if f.year is not None:
        stmt = stmt.where(Stats.year == f.year)
    return stmt


RTI_REQUEST_STATISTICS = root_page(
    _rti_request_statistics,
    (models.Country.name, StatisticsRow.year, StatisticsRow.id),
    RtiRequestStatistics,
)


@strawberry.field(
    description="Request statistics per country and year, by country then year.",
    metadata=RTI_REQUEST_STATISTICS.metadata,
)
async def rti_request_statistics(
    info: strawberry.Info,
    filter: RtiRequestStatisticsFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[RtiRequestStatistics]:
    return await RTI_REQUEST_STATISTICS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


QUERY_FIELDS: list[StrawberryField] = [rti_laws, rti_request_statistics]


# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    RightToInformationLaw: load_laws_by_id,  # the loader `RtiRating.law` already uses
    RtiRating: ratings_by_id,
    RtiRequestStatistics: statistics_by_id,
}
