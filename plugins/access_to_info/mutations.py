"""Mutations of the access to information area: one input object, one transaction around a
function of services.py, a payload with `userErrors` (`core.mutation_payload`).
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from core import UserError, mutation_payload
from plugins.access_to_info import services
from plugins.access_to_info.models import CATEGORIES, COUNTS, RtiStatisticsCoverage
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


@strawberry.mutation(description="Record (or correct) one edition of a law's RTI Rating.")
async def rti_rating_record(info: strawberry.Info, input: RtiRatingRecordInput) -> RtiRatingPayload:
    return await mutation_payload(
        info,
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
