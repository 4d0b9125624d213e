"""GraphQL types of the access to information area: laws, RTI Ratings, request statistics, the
group type and `Country.rightToInformation`.

Every list below a result is a `@relation` whose load function (loaders.py) reads the rows of
ALL parents in one statement; `from_row` maps a row to its type.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import strawberry
from sqlalchemy import Float, String, case, cast, func, or_

from core import (
    LIST_SIZE,
    MAX_PAGE_SIZE,
    computed,
    from_row,
    load_countries,
    provenance,
    relation,
    types,
)
from plugins.access_to_info import services
from plugins.access_to_info.loaders import (
    load_latest_rating_by_law,
    load_latest_total_by_law,
    load_laws_by_group,
    load_laws_by_id,
    load_ratings_by_law,
    load_rti_law_by_country,
    load_statistics_by_country,
)
from plugins.access_to_info.models import (
    CATEGORIES,
    RTI_RATING_MAXIMUM,
    RtiRatingCategory,
    RtiRatingSeries,
    RtiStatisticsCoverage,
)

RATING_SOURCE = "https://www.rti-rating.org/country-data/"
RATING_LICENCE = "CC BY-NC-SA 3.0 Unported (https://creativecommons.org/licenses/by-nc-sa/3.0/)"
METHODOLOGY = "2010"  # the 61-indicator methodology launched in September 2010

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
    description="One published RTI Rating of a legal framework for the right to information "
    "(Centre for Law and Democracy and Access Info Europe): `score` is the total out of 150, "
    "`categories` its seven parts. A COUNTRY_PAGE rating is dated by the country page's 'RTI "
    "Rating last updated' month (`lastUpdated`; `edition` is its year); a HISTORICAL one is a "
    "year of the Rating's yearly historical data (`edition`)."
)
class RtiRating(types.Node, types.Assessment):
    node_type: ClassVar[str] = "RtiRating"
    law_pk: strawberry.Private[int]
    series: RtiRatingSeries
    last_updated_on: strawberry.Private[date | None]
    rated_law: str | None = strawberry.field(
        description="The text the Rating assessed, when it is not the law in force (e.g. a law "
        "since replaced); null: the law in force."
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)
    categories: list[RtiRatingCategoryScore] = strawberry.field(
        description="The seven categories, in the methodology's order; their scores add up to "
        "`score`.",
        metadata={LIST_SIZE: 7},
    )

    @classmethod
    def from_row(cls, row: Any) -> RtiRating:
        common = {
            # the integer as it is: GraphQL prints it as a String (`"2024"`), and the compiled
            # read path reads the column (core.compiled.leaves)
            "edition": row.edition,
            "methodology_version": row.methodology_version,
            "source_url": row.source_url,
        }
        return from_row(
            cls,
            row,
            last_updated_on=row.last_updated,
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

    # the core's Node.id (its type name is node_type), so the compiled read path builds it in SQL
    id = strawberry.field(resolver=types.Node.id, description="Global ID.")

    @strawberry.field(
        description="COUNTRY_PAGE: the 'RTI Rating last updated' month, 'YYYY-MM'; null for "
        "HISTORICAL.",
        # a date's text is 'YYYY-MM-DD' on both databases: its first seven characters
        metadata=computed(
            lambda r: func.substr(cast(r.last_updated_on, String), 1, 7, type_=String)
        ),
    )
    def last_updated(self) -> str | None:
        return None if self.last_updated_on is None else f"{self.last_updated_on:%Y-%m}"

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
    appeals_favouring_body: int | None = strawberry.field(
        description="Appeals decided in favour of the public body: its decision stands."
    )
    appeals_favouring_requester: int | None = strawberry.field(
        description="Appeals decided in favour of the requester, in full or in part."
    )
    median_response_days: float | None
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)
    notes: str

    @strawberry.field(
        deprecation_reason="Ambiguous (in the UK an upheld complaint favours the requester): "
        "use appealsFavouringBody. Removal: 2027-12-31 (release 0.5.0).",
        metadata=computed(lambda r: r.appeals_favouring_body),
    )
    def appeals_upheld(self) -> int | None:
        return self.appeals_favouring_body

    @strawberry.field(
        deprecation_reason="Use appealsFavouringRequester. Removal: 2027-12-31 (release 0.5.0).",
        metadata=computed(lambda r: r.appeals_favouring_requester),
    )
    def appeals_overturned(self) -> int | None:
        return self.appeals_favouring_requester

    id = strawberry.field(resolver=types.Node.id, description="Global ID.")

    # The rates as SQL too (computed): the same IEEE division of the same integers as Python's.
    @strawberry.field(
        description="answeredInTime / requestsReceived (0-1); null if unknown.",
        metadata=computed(
            lambda r: case(
                (or_(r.answered_in_time.is_(None), r.requests_received == 0), None),
                else_=cast(r.answered_in_time, Float) / r.requests_received,
            )
        ),
    )
    def answered_in_time_rate(self) -> float | None:
        if self.answered_in_time is None or not self.requests_received:
            return None
        return self.answered_in_time / self.requests_received

    @strawberry.field(
        description="(grantedInFull + grantedInPart) / requestsReceived (0-1); null if unknown.",
        metadata=computed(
            lambda r: case(
                (
                    or_(
                        r.granted_in_full.is_(None),
                        r.granted_in_part.is_(None),
                        r.requests_received == 0,
                    ),
                    None,
                ),
                else_=cast(r.granted_in_full + r.granted_in_part, Float) / r.requests_received,
            )
        ),
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
    in_force_since: date | None = strawberry.field(
        description="The day the text in force took effect (a law that replaced an earlier one: "
        "its own day)."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    id = strawberry.field(
        resolver=types.Node.id, description="Global ID (for rtiLawUpdate and rtiRatingRecord)."
    )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_latest_rating_by_law,
        description="The law's latest RTI Rating (the country page's, when recorded), or null "
        "if not rated yet.",
    )
    def rating(self) -> RtiRating | None: ...

    @relation(
        load_ratings_by_law,
        default=[],
        description="Every recorded RTI Rating, oldest first (in a year: the historical data "
        "before the country page; `first`: 1..100).",
    )
    def ratings(self, first: int = MAX_PAGE_SIZE) -> list[RtiRating]: ...

    @relation(
        load_latest_total_by_law,
        deprecation_reason="Use `rating { score }` (and its categories). "
        "Removal: 2027-06-30 (release 0.4.0).",
    )
    def rti_rating(self) -> int | None: ...

    @relation(
        load_statistics_by_country,
        key="country_pk",
        default=[],
        description="The country's request statistics, oldest year first (`first`: 1..100).",
    )
    def request_statistics(
        self, year: int | None = None, first: int = MAX_PAGE_SIZE
    ) -> list[RtiRequestStatistics]: ...


@strawberry.type(description="The access to information working group.")
class AccessToInfoGroup(types.WorkingGroup):
    # Constants as fields with a default (not resolvers): every group object holds them, so the
    # compiled read path answers them as constants.
    rti_rating_maximum: int = strawberry.field(
        default=RTI_RATING_MAXIMUM, description="Highest possible RTI Rating score."
    )
    rti_rating_licence: str = strawberry.field(
        default=RATING_LICENCE,
        description="The licence of the RTI Rating's content (as rti-rating.org states it): "
        "credit Access Info Europe and the Centre for Law and Democracy, no commercial use, "
        "share alike.",
    )

    rti_rating_categories: list[RtiRatingCategoryInfo] = strawberry.field(
        default_factory=lambda: [
            RtiRatingCategoryInfo(category=category, name=name, maximum=maximum)
            for category, (name, maximum) in CATEGORIES.items()
        ],
        description="The RTI Rating's seven categories and their maximum points.",
        metadata={LIST_SIZE: 7},
    )

    @relation(
        load_laws_by_group,
        default=[],
        description="The RTI laws of the countries of the group's anchors and members, by "
        "country name (`first`: 1..100).",
    )
    def member_country_laws(self, first: int = MAX_PAGE_SIZE) -> list[RightToInformationLaw]: ...


@relation(
    load_rti_law_by_country, description="The country's right-to-information law, if it has one."
)
def right_to_information(root: types.Country) -> RightToInformationLaw | None: ...
