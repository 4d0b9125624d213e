"""Mutations of the access to information area: one input object, one transaction around a
function of services.py, a payload with `userErrors` (`core.mutation_payload`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from core import UserError, mutation_payload, provenance
from plugins.access_to_info import services
from plugins.access_to_info.models import (
    CATEGORIES,
    COUNTS,
    RtiRatingSeries,
    RtiStatisticsCoverage,
)
from plugins.access_to_info.types import (
    METHODOLOGY,
    RATING_SOURCE,
    RightToInformationLaw,
    RtiRating,
    RtiRequestStatistics,
)


@strawberry.input(description="A country's national right-to-information law.")
class RtiLawRecordInput:
    country: str = strawberry.field(description="ISO alpha-2 or alpha-3 code.")
    name: str
    year_adopted: int
    last_amended: int | None = strawberry.field(default=None, description="Year; not before.")
    oversight_body: str | None = None
    url: str | None = strawberry.field(default=None, description="The text of the law.")
    in_force_since: date | None = strawberry.field(
        default=None, description="The day the text in force took effect."
    )
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.input(description="Fields left out stay as they are; null clears an optional one.")
class RtiLawUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    year_adopted: int | None = strawberry.UNSET
    last_amended: int | None = strawberry.UNSET
    oversight_body: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    in_force_since: date | None = strawberry.UNSET
    source_url: str | None = strawberry.UNSET
    retrieved_on: date | None = strawberry.UNSET
    illustrative: bool | None = strawberry.UNSET


@strawberry.type
class RtiLawPayload:
    law: RightToInformationLaw | None
    user_errors: list[UserError]


def _points(maximum: int) -> Any:
    return strawberry.field(description=f"Points, 0-{maximum}.")


@strawberry.input(
    description="One published RTI Rating of a law, as rti-rating.org gives it: the seven "
    "category scores and the published total, which must be their sum."
)
class RtiRatingRecordInput:
    law_id: strawberry.ID
    series: RtiRatingSeries = strawberry.field(
        default=RtiRatingSeries.COUNTRY_PAGE,
        description="COUNTRY_PAGE (dated by lastUpdated) or HISTORICAL (dated by edition).",
    )
    last_updated: str | None = strawberry.field(
        default=None,
        description="COUNTRY_PAGE: the country page's 'RTI Rating last updated' month, 'YYYY-MM'.",
    )
    edition: int | None = strawberry.field(
        default=None,
        description="HISTORICAL: the year of the historical data (2011 or later). COUNTRY_PAGE: "
        "optional, the year of lastUpdated.",
    )
    rated_law: str | None = strawberry.field(
        default=None,
        description="The text the Rating assessed, when it is not the law in force.",
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
    source_url: str = strawberry.field(
        default=RATING_SOURCE, description="The country page (required, illustrative or not)."
    )
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)
    replace: bool = strawberry.field(
        default=False, description="Correct the recorded rating instead of failing."
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
    appeals_favouring_body: int | None = strawberry.field(
        default=None, description="Appeals decided in favour of the public body."
    )
    appeals_favouring_requester: int | None = strawberry.field(
        default=None, description="Appeals decided in favour of the requester, in full or part."
    )
    median_response_days: float | None = None
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)
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
    return await mutation_payload(
        info,
        lambda conn: services.record_law(conn, input.country, values),
        RtiLawPayload,
        law=RightToInformationLaw,
    )


@strawberry.mutation(description="Correct a right-to-information law.")
async def rti_law_update(info: strawberry.Info, input: RtiLawUpdateInput) -> RtiLawPayload:
    changes = {
        name: getattr(input, name)
        for name in services.LAW_FIELDS
        if getattr(input, name) is not strawberry.UNSET
    }
    return await mutation_payload(
        info,
        lambda conn: services.update_law(conn, input.id, changes),
        RtiLawPayload,
        law=RightToInformationLaw,
    )


@strawberry.mutation(description="Record (or correct) one published RTI Rating of a law.")
async def rti_rating_record(info: strawberry.Info, input: RtiRatingRecordInput) -> RtiRatingPayload:
    return await mutation_payload(
        info,
        lambda conn: services.record_rating(
            conn,
            law_id=input.law_id,
            series=input.series,
            edition=input.edition,
            last_updated=input.last_updated,
            rated_law=input.rated_law,
            scores={category: getattr(input, category.value) for category in CATEGORIES},
            total=input.total,
            methodology_version=input.methodology_version,
            source_url=input.source_url,
            retrieved_on=input.retrieved_on,
            illustrative=input.illustrative,
            replace=input.replace,
        ),
        RtiRatingPayload,
        rating=RtiRating,
    )


@strawberry.mutation(description="Record (or correct) a country's request statistics for a year.")
async def rti_request_statistics_record(
    info: strawberry.Info, input: RtiRequestStatisticsRecordInput
) -> RtiRequestStatisticsPayload:
    return await mutation_payload(
        info,
        lambda conn: services.record_statistics(
            conn,
            country=input.country,
            year=input.year,
            coverage=input.coverage,
            counts={name: getattr(input, name) for name in COUNTS},
            median_response_days=input.median_response_days,
            source_url=input.source_url,
            retrieved_on=input.retrieved_on,
            illustrative=input.illustrative,
            notes=input.notes,
            replace=input.replace,
        ),
        RtiRequestStatisticsPayload,
        statistics=RtiRequestStatistics,
    )


MUTATION_FIELDS: list[StrawberryField] = [
    rti_law_record,
    rti_law_update,
    rti_rating_record,
    rti_request_statistics_record,
]
