"""GraphQL types, fields, queries and mutations of the access to information area.

Every list below a result is a `@relation`: its load function reads the rows of ALL parents in
one statement, so a page of 100 laws with their ratings and statistics costs one statement per
level, not one per law.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import strawberry
from sqlalchemy import Select, func, select, union
from strawberry.types.field import StrawberryField

from core import (
    Connection,
    Context,
    UserError,
    count_of,
    in_transaction,
    load_countries,
    models,
    paginate,
    prefetched,
    relation,
    to_global_id,
    types,
)
from plugins.access_to_info import services
from plugins.access_to_info.models import (
    CATEGORIES,
    COUNTS,
    RTI_RATING_MAXIMUM,
    RtiRatingCategory,
    RtiStatisticsCoverage,
)
from plugins.access_to_info.models import RtiLaw as LawRow
from plugins.access_to_info.models import RtiRating as RatingRow
from plugins.access_to_info.models import RtiRequestStatistics as StatisticsRow

RATING_SOURCE = "https://www.rti-rating.org/country-data/"
METHODOLOGY = "2010"  # the 61-indicator methodology launched on 28 September 2010, unchanged since

# --- Load functions: one statement for all keys --------------------------------------------------


async def _rows(ctx: Context, stmt: Select[Any]) -> Sequence[Any]:
    async with ctx.db.read() as conn:
        return (await conn.execute(stmt)).all()


def _grouped(rows: Sequence[Any], keys: list[int], key: str, build: Callable[[Any], Any]) -> list:
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[getattr(row, key)].append(build(row))
    return [found.get(k, []) for k in keys]


async def load_laws_by_id(ctx: Context, keys: list[int]) -> list[RightToInformationLaw | None]:
    rows = await _rows(ctx, select(*LawRow.__table__.c).where(ctx.db.any_of(LawRow.id, keys)))
    found = {row.id: RightToInformationLaw.from_row(row) for row in rows}
    return [found.get(key) for key in keys]


async def load_rti_law_by_country(
    ctx: Context, keys: list[int]
) -> list[RightToInformationLaw | None]:
    stmt = select(*LawRow.__table__.c).where(ctx.db.any_of(LawRow.country_id, keys))
    found = {row.country_id: RightToInformationLaw.from_row(row) for row in await _rows(ctx, stmt)}
    return [found.get(key) for key in keys]


async def load_ratings_by_law(ctx: Context, keys: list[int]) -> list[list[RtiRating]]:
    stmt = (
        select(*RatingRow.__table__.c)
        .where(ctx.db.any_of(RatingRow.law_id, keys))
        .order_by(RatingRow.law_id, RatingRow.edition)
    )
    return _grouped(await _rows(ctx, stmt), keys, "law_id", RtiRating.from_row)


async def load_latest_rating_by_law(ctx: Context, keys: list[int]) -> list[RtiRating | None]:
    return [ratings[-1] if ratings else None for ratings in await load_ratings_by_law(ctx, keys)]


async def load_latest_total_by_law(ctx: Context, keys: list[int]) -> list[int | None]:
    latest = await load_latest_rating_by_law(ctx, keys)
    return [None if rating is None else int(rating.score) for rating in latest]


async def load_statistics_by_country(
    ctx: Context, keys: list[int], year: int | None = None
) -> list[list[RtiRequestStatistics]]:
    stmt = select(*StatisticsRow.__table__.c)
    stmt = stmt.where(ctx.db.any_of(StatisticsRow.country_id, keys))
    if year is not None:
        stmt = stmt.where(StatisticsRow.year == year)
    stmt = stmt.order_by(StatisticsRow.country_id, StatisticsRow.year)
    return _grouped(await _rows(ctx, stmt), keys, "country_id", RtiRequestStatistics.from_row)


async def load_laws_by_group(ctx: Context, keys: list[int]) -> list[list[RightToInformationLaw]]:
    Anchor, Membership, Organization = models.Anchor, models.Membership, models.Organization
    taking_part = union(
        select(Membership.group_id, Membership.organization_id),
        select(Anchor.group_id, Anchor.organization_id),
    ).subquery()
    stmt = (
        select(taking_part.c.group_id, models.Country.name.label("country_name"))
        .add_columns(*LawRow.__table__.c)
        .distinct()
        .join(Organization, Organization.id == taking_part.c.organization_id)
        .join(LawRow, LawRow.country_id == Organization.country_id)
        .join(models.Country, models.Country.id == LawRow.country_id)
        .where(ctx.db.any_of(taking_part.c.group_id, keys))
        .order_by(taking_part.c.group_id, "country_name", LawRow.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "group_id", RightToInformationLaw.from_row)


# --- Types ---------------------------------------------------------------------------------------


@strawberry.type(description="The official name and maximum of one RTI Rating category.")
class RtiRatingCategoryInfo:
    category: RtiRatingCategory
    name: str
    maximum: int


@strawberry.type(description="A law's points in one RTI Rating category, out of its maximum.")
class RtiRatingCategoryScore(types.Assessment):
    category: RtiRatingCategory
    name: str = strawberry.field(description="Official name of the category.")


@strawberry.type(
    description="One edition of the RTI Rating of a legal framework for the right to "
    "information (Centre for Law and Democracy and Access Info Europe): `score` is the total "
    "out of 150, `categories` its seven parts."
)
class RtiRating(types.Node, types.Assessment):
    node_type: ClassVar[str] = "RtiRating"
    law_pk: strawberry.Private[int]
    categories: list[RtiRatingCategoryScore] = strawberry.field(
        description="The seven categories, in the methodology's order; their scores add up to "
        "`score`."
    )

    @classmethod
    def from_row(cls, row: Any) -> RtiRating:
        common = {
            "edition": str(row.edition),
            "methodology_version": row.methodology_version,
            "source_url": row.source_url,
        }
        return cls(
            pk=row.id,
            law_pk=row.law_id,
            score=row.total,
            scale_max=RTI_RATING_MAXIMUM,
            categories=[
                RtiRatingCategoryScore(
                    category=category,
                    name=name,
                    score=getattr(row, category.value),
                    scale_max=maximum,
                    **common,
                )
                for category, (name, maximum) in CATEGORIES.items()
            ],
            **common,
        )

    @strawberry.field(description="Global ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("RtiRating", self.pk))

    @relation(load_laws_by_id, key="law_pk")
    def law(self) -> RightToInformationLaw: ...


@strawberry.type(
    description="How a country's right-to-information law was used in one year, as its "
    "oversight body or government reports it. A figure is null when the report does not give it."
)
class RtiRequestStatistics(types.Node):
    node_type: ClassVar[str] = "RtiRequestStatistics"
    country_pk: strawberry.Private[int]
    year: int
    coverage: RtiStatisticsCoverage
    requests_received: int
    answered_in_time: int | None = strawberry.field(
        description="Requests answered within the time limit the law sets."
    )
    granted_in_full: int | None
    granted_in_part: int | None
    refused: int | None = strawberry.field(description="Refused in full (under an exception).")
    information_not_held: int | None
    internal_reviews: int | None = strawberry.field(
        description="Requests for internal review (reconsideration by the public body) lodged in "
        "the year; they may concern requests of earlier years."
    )
    appeals: int | None = strawberry.field(
        description="Appeals to the oversight body or a court lodged in the year."
    )
    appeals_upheld: int | None = strawberry.field(
        description="Appeals decided in favour of the public body (its decision upheld)."
    )
    appeals_overturned: int | None = strawberry.field(
        description="Appeals decided in favour of the requester, in full or in part."
    )
    median_response_days: float | None
    source_url: str | None
    notes: str

    @classmethod
    def from_row(cls, row: Any) -> RtiRequestStatistics:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            year=row.year,
            coverage=row.coverage,
            median_response_days=row.median_response_days,
            source_url=row.source_url,
            notes=row.notes,
            **{name: getattr(row, name) for name in COUNTS},
        )

    @strawberry.field(description="Global ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("RtiRequestStatistics", self.pk))

    @strawberry.field(description="answeredInTime / requestsReceived (0-1); null if unknown.")
    def answered_in_time_rate(self) -> float | None:
        if self.answered_in_time is None or not self.requests_received:
            return None
        return self.answered_in_time / self.requests_received

    @strawberry.field(
        description="(grantedInFull + grantedInPart) / requestsReceived (0-1); null if unknown."
    )
    def granted_rate(self) -> float | None:
        if self.granted_in_full is None or self.granted_in_part is None:
            return None
        if not self.requests_received:
            return None
        return (self.granted_in_full + self.granted_in_part) / self.requests_received

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(description="A country's national right-to-information law.")
class RightToInformationLaw(types.Node):
    node_type: ClassVar[str] = services.LAW_TYPE
    country_pk: strawberry.Private[int]
    name: str = strawberry.field(description="Name of the law, e.g. 'Freedom of Information Act'.")
    year_adopted: int = strawberry.field(description="Year the first RTI law was adopted.")
    last_amended: int | None = strawberry.field(description="Year of the latest amendment.")
    oversight_body: str | None = strawberry.field(
        description="The body that oversees the law (information commission, ombudsman...)."
    )
    url: str | None = strawberry.field(description="The text of the law.")

    @classmethod
    def from_row(cls, row: Any) -> RightToInformationLaw:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            name=row.name,
            year_adopted=row.year_adopted,
            last_amended=row.last_amended,
            oversight_body=row.oversight_body,
            url=row.url,
        )

    @strawberry.field(description="Global ID (for rtiLawUpdate and rtiRatingRecord).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(services.LAW_TYPE, self.pk))

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_latest_rating_by_law,
        description="The latest edition of the law's RTI Rating, or null if not rated yet.",
    )
    def rating(self) -> RtiRating | None: ...

    @relation(
        load_ratings_by_law,
        default=[],
        description="Every recorded edition of the RTI Rating, oldest first.",
    )
    def ratings(self) -> list[RtiRating]: ...

    @relation(
        load_latest_total_by_law,
        deprecation_reason="Use `rating { score }` (and its categories).",
    )
    def rti_rating(self) -> int | None: ...

    @relation(
        load_statistics_by_country,
        key="country_pk",
        default=[],
        description="The country's request statistics, oldest year first.",
    )
    def request_statistics(self, year: int | None = None) -> list[RtiRequestStatistics]: ...


@strawberry.type(description="The access to information working group.")
class AccessToInfoGroup(types.WorkingGroup):
    @strawberry.field(description="Highest possible RTI Rating score.")
    def rti_rating_maximum(self) -> int:
        return RTI_RATING_MAXIMUM

    @strawberry.field(description="The RTI Rating's seven categories and their maximum points.")
    def rti_rating_categories(self) -> list[RtiRatingCategoryInfo]:
        return [
            RtiRatingCategoryInfo(category=category, name=name, maximum=maximum)
            for category, (name, maximum) in CATEGORIES.items()
        ]

    @relation(
        load_laws_by_group,
        default=[],
        description="The RTI laws of the countries of the group's anchors and members, by "
        "country name.",
    )
    def member_country_laws(self) -> list[RightToInformationLaw]: ...


@relation(
    load_rti_law_by_country, description="The country's right-to-information law, if it has one."
)
def right_to_information(root: types.Country) -> RightToInformationLaw | None: ...


LOADERS: dict[str, Any] = {"access_to_info_rti_law_by_country": load_rti_law_by_country}


# --- Root queries --------------------------------------------------------------------------------


def _country_is(code: str) -> Any:
    code = code.strip().upper()
    column = models.Country.alpha2 if len(code) == 2 else models.Country.alpha3
    return column == code


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
    """(law_id, total) of each law's latest rating edition."""
    latest = (
        select(RatingRow.law_id, func.max(RatingRow.edition).label("edition"))
        .group_by(RatingRow.law_id)
        .subquery()
    )
    return select(RatingRow.law_id, RatingRow.total).join(
        latest, (latest.c.law_id == RatingRow.law_id) & (latest.c.edition == RatingRow.edition)
    )


@strawberry.field(description="National right-to-information laws, by country name.")
async def rti_laws(
    info: strawberry.Info,
    filter: RtiLawFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[RightToInformationLaw]:
    f = filter or RtiLawFilter()
    Country = models.Country
    stmt = select(*LawRow.__table__.c).join(Country, Country.id == LawRow.country_id)
    if f.country:
        stmt = stmt.where(_country_is(f.country))
    if f.region:
        stmt = stmt.where(Country.region == f.region)
    if f.min_rating is not None:
        totals = _latest_totals().subquery()
        rated = select(totals.c.law_id).where(totals.c.total >= f.min_rating)
        stmt = stmt.where(LawRow.id.in_(rated))
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (Country.name, LawRow.id),
            RightToInformationLaw.from_row,
            first=first,
            after=after,
            count=count_of(db.read, stmt),
        )
    return await prefetched(info, page)


@strawberry.field(description="Request statistics per country and year, by country then year.")
async def rti_request_statistics(
    info: strawberry.Info,
    filter: RtiRequestStatisticsFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> Connection[RtiRequestStatistics]:
    f = filter or RtiRequestStatisticsFilter()
    Country, Stats = models.Country, StatisticsRow
    stmt = select(*Stats.__table__.c).join(Country, Country.id == Stats.country_id)
    if f.country:
        stmt = stmt.where(_country_is(f.country))
    if f.year is not None:
        stmt = stmt.where(Stats.year == f.year)
    db = info.context.db
    async with db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (Country.name, Stats.year, Stats.id),
            RtiRequestStatistics.from_row,
            first=first,
            after=after,
            count=count_of(db.read, stmt),
        )
    return await prefetched(info, page)


QUERY_FIELDS: list[StrawberryField] = [rti_laws, rti_request_statistics]


# --- Mutations -----------------------------------------------------------------------------------


@strawberry.input(description="A country's national right-to-information law.")
class RtiLawRecordInput:
    country: str = strawberry.field(description="ISO alpha-2 or alpha-3 code.")
    name: str
    year_adopted: int
    last_amended: int | None = strawberry.field(default=None, description="Year; not before.")
    oversight_body: str | None = None
    url: str | None = strawberry.field(default=None, description="The text of the law.")


@strawberry.input(description="Fields left out stay as they are; null clears an optional one.")
class RtiLawUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    year_adopted: int | None = strawberry.UNSET
    last_amended: int | None = strawberry.UNSET
    oversight_body: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET


@strawberry.type
class RtiLawPayload:
    law: RightToInformationLaw | None
    user_errors: list[UserError]


def _points(maximum: int) -> Any:
    return strawberry.field(description=f"Points, 0-{maximum}.")


@strawberry.input(
    description="One edition of a law's RTI Rating, as published on rti-rating.org: the seven "
    "category scores and the published total, which must be their sum."
)
class RtiRatingRecordInput:
    law_id: strawberry.ID
    edition: int = strawberry.field(
        description="Year of the Rating's annual snapshot (28 September), 2011 or later."
    )
    right_of_access: int = _points(6)
    scope: int = _points(30)
    requesting_procedures: int = _points(30)
    exceptions_and_refusals: int = _points(30)
    appeals: int = _points(30)
    sanctions_and_protections: int = _points(8)
    promotional_measures: int = _points(16)
    total: int = strawberry.field(description="The published total, 0-150.")
    methodology_version: str = strawberry.field(
        default=METHODOLOGY, description="Default: the 61-indicator methodology of 2010."
    )
    source_url: str = RATING_SOURCE
    replace: bool = strawberry.field(
        default=False, description="Correct the recorded edition instead of failing."
    )


@strawberry.type
class RtiRatingPayload:
    rating: RtiRating | None
    user_errors: list[UserError]


@strawberry.input(description="A country's request statistics for one year.")
class RtiRequestStatisticsRecordInput:
    country: str = strawberry.field(description="ISO alpha-2 or alpha-3 code.")
    year: int
    coverage: RtiStatisticsCoverage = RtiStatisticsCoverage.ALL_PUBLIC_BODIES
    requests_received: int
    answered_in_time: int | None = None
    granted_in_full: int | None = None
    granted_in_part: int | None = None
    refused: int | None = None
    information_not_held: int | None = None
    internal_reviews: int | None = None
    appeals: int | None = None
    appeals_upheld: int | None = None
    appeals_overturned: int | None = None
    median_response_days: float | None = None
    source_url: str | None = None
    notes: str = ""
    replace: bool = strawberry.field(
        default=False,
        description="Replace the recorded year's figures with these (a figure left out becomes "
        "null) instead of failing.",
    )


@strawberry.type
class RtiRequestStatisticsPayload:
    statistics: RtiRequestStatistics | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record a country's right-to-information law.")
async def rti_law_record(info: strawberry.Info, input: RtiLawRecordInput) -> RtiLawPayload:
    values = {name: getattr(input, name) for name in services.LAW_FIELDS}
    row, errors = await in_transaction(
        info.context, lambda conn: services.record_law(conn, input.country, values)
    )
    law = row and RightToInformationLaw.from_row(row)
    return await prefetched(info, RtiLawPayload(law=law, user_errors=errors))


@strawberry.mutation(description="Correct a right-to-information law.")
async def rti_law_update(info: strawberry.Info, input: RtiLawUpdateInput) -> RtiLawPayload:
    changes = {
        name: getattr(input, name)
        for name in services.LAW_FIELDS
        if getattr(input, name) is not strawberry.UNSET
    }
    row, errors = await in_transaction(
        info.context, lambda conn: services.update_law(conn, input.id, changes)
    )
    law = row and RightToInformationLaw.from_row(row)
    return await prefetched(info, RtiLawPayload(law=law, user_errors=errors))


@strawberry.mutation(description="Record (or correct) one edition of a law's RTI Rating.")
async def rti_rating_record(info: strawberry.Info, input: RtiRatingRecordInput) -> RtiRatingPayload:
    row, errors = await in_transaction(
        info.context,
        lambda conn: services.record_rating(
            conn,
            law_id=input.law_id,
            edition=input.edition,
            scores={category: getattr(input, category.value) for category in CATEGORIES},
            total=input.total,
            methodology_version=input.methodology_version,
            source_url=input.source_url,
            replace=input.replace,
        ),
    )
    rating = row and RtiRating.from_row(row)
    return await prefetched(info, RtiRatingPayload(rating=rating, user_errors=errors))


@strawberry.mutation(description="Record (or correct) a country's request statistics for a year.")
async def rti_request_statistics_record(
    info: strawberry.Info, input: RtiRequestStatisticsRecordInput
) -> RtiRequestStatisticsPayload:
    row, errors = await in_transaction(
        info.context,
        lambda conn: services.record_statistics(
            conn,
            country=input.country,
            year=input.year,
            coverage=input.coverage,
            counts={name: getattr(input, name) for name in COUNTS},
            median_response_days=input.median_response_days,
            source_url=input.source_url,
            notes=input.notes,
            replace=input.replace,
        ),
    )
    statistics = row and RtiRequestStatistics.from_row(row)
    return await prefetched(
        info, RtiRequestStatisticsPayload(statistics=statistics, user_errors=errors)
    )


MUTATION_FIELDS: list[StrawberryField] = [
    rti_law_record,
    rti_law_update,
    rti_rating_record,
    rti_request_statistics_record,
]
