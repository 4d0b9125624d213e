"""Tables of the access to information area (named access_to_info_...).

The database holds the invariants, whatever the client: each RTI Rating category is checked
against its official maximum and the total against the sum of the categories; request
statistics cannot report more outcomes than requests, nor more appeal outcomes than appeals.
"""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column, provenance

FIRST_RTI_LAW_YEAR = 1766  # Sweden's Freedom of the Press Act, the first right-to-information law
FIRST_RATING_EDITION = 2011  # the first year of the RTI Rating's historical data
RTI_RATING_MAXIMUM = 150  # 61 indicators in seven categories, 150 points in all


@strawberry.enum(description="The seven categories of the RTI Rating's 61 indicators.")
class RtiRatingCategory(enum.StrEnum):
    # The value is the column holding the category's points in access_to_info_rti_ratings.
    RIGHT_OF_ACCESS = "right_of_access"
    SCOPE = "scope"
    REQUESTING_PROCEDURES = "requesting_procedures"
    EXCEPTIONS_AND_REFUSALS = "exceptions_and_refusals"
    APPEALS = "appeals"
    SANCTIONS_AND_PROTECTIONS = "sanctions_and_protections"
    PROMOTIONAL_MEASURES = "promotional_measures"


# Official name and maximum points of each category (https://www.rti-rating.org/methodology/).
CATEGORIES: dict[RtiRatingCategory, tuple[str, int]] = {
    RtiRatingCategory.RIGHT_OF_ACCESS: ("Right of Access", 6),
    RtiRatingCategory.SCOPE: ("Scope", 30),
    RtiRatingCategory.REQUESTING_PROCEDURES: ("Requesting Procedures", 30),
    RtiRatingCategory.EXCEPTIONS_AND_REFUSALS: ("Exceptions and Refusals", 30),
    RtiRatingCategory.APPEALS: ("Appeals", 30),
    RtiRatingCategory.SANCTIONS_AND_PROTECTIONS: ("Sanctions and Protections", 8),
    RtiRatingCategory.PROMOTIONAL_MEASURES: ("Promotional Measures", 16),
}
assert sum(maximum for _, maximum in CATEGORIES.values()) == RTI_RATING_MAXIMUM


@strawberry.enum(
    description="Which public bodies a year's request statistics cover (this plugin's own "
    "classification: national reports differ, and figures of different coverage do not compare)."
)
class RtiStatisticsCoverage(enum.StrEnum):
    ALL_PUBLIC_BODIES = "ALL_PUBLIC_BODIES"
    CENTRAL_GOVERNMENT = "CENTRAL_GOVERNMENT"
    PARTIAL = "PARTIAL"


@strawberry.enum(
    description="Which published series an RTI Rating score comes from: COUNTRY_PAGE, the "
    "country's current rating on rti-rating.org, dated by its 'RTI Rating last updated' month; "
    "HISTORICAL, the Rating's yearly historical data, dated by year only."
)
class RtiRatingSeries(enum.StrEnum):
    COUNTRY_PAGE = "COUNTRY_PAGE"
    HISTORICAL = "HISTORICAL"


class RtiLaw(provenance.Sourced, Base):
    """A country's national right-to-information law (its legal framework: one per country)."""

    __tablename__ = "access_to_info_rti_laws"
    __table_args__ = (
        provenance.sourced_check(),
        CheckConstraint(f"year_adopted >= {FIRST_RTI_LAW_YEAR}", name="year_adopted_range"),
        CheckConstraint(
            "last_amended IS NULL OR last_amended >= year_adopted", name="amended_after_adopted"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    year_adopted: Mapped[int]
    last_amended: Mapped[int | None]  # year of the latest amendment
    oversight_body: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    in_force_since: Mapped[date | None]
    """The day the text in force took effect (a law that replaced an earlier one: its own day)."""


def _category_checks() -> list[CheckConstraint]:
    checks = [
        CheckConstraint(f"{category.value} BETWEEN 0 AND {maximum}", name=f"{category.value}_max")
        for category, (_, maximum) in CATEGORIES.items()
    ]
    total = " + ".join(category.value for category in CATEGORIES)
    checks.append(CheckConstraint(f"total = {total}", name="total_is_sum"))
    checks.append(CheckConstraint(f"edition >= {FIRST_RATING_EDITION}", name="edition_range"))
    return checks


class RtiRating(provenance.Sourced, Base):
    """One published RTI Rating of a law: the points in each category and their total, from the
    country page (dated by its "last updated" month) or the yearly historical data (a year)."""

    __tablename__ = "access_to_info_rti_ratings"
    __table_args__ = (
        UniqueConstraint("law_id", "series", "edition"),
        *_category_checks(),
        CheckConstraint(
            "(series = 'COUNTRY_PAGE' AND last_updated IS NOT NULL) "
            "OR (series = 'HISTORICAL' AND last_updated IS NULL)",
            name="dated_by_series",
        ),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("access_to_info_rti_laws.id"))
    series: Mapped[RtiRatingSeries] = mapped_column(enum_column(RtiRatingSeries, "series"))
    edition: Mapped[int]
    """COUNTRY_PAGE: the year of `last_updated`; HISTORICAL: the year of the historical data."""
    last_updated: Mapped[date | None]
    """COUNTRY_PAGE: the first day of the "RTI Rating last updated" month."""
    rated_law: Mapped[str | None] = mapped_column(String(300))
    """The text the Rating assessed, when it is not the law in force (e.g. a replaced law)."""
    methodology_version: Mapped[str] = mapped_column(String(40))
    source_url: Mapped[str] = mapped_column(String(500))  # type: ignore[assignment]
    right_of_access: Mapped[int]
    scope: Mapped[int]
    requesting_procedures: Mapped[int]
    exceptions_and_refusals: Mapped[int]
    appeals: Mapped[int]
    sanctions_and_protections: Mapped[int]
    promotional_measures: Mapped[int]
    total: Mapped[int]


# Counts reported per country and year; None where the national report does not give the figure.
COUNTS = (
    "requests_received",
    "answered_in_time",
    "granted_in_full",
    "granted_in_part",
    "refused",
    "information_not_held",
    "internal_reviews",
    "appeals",
    "appeals_favouring_body",
    "appeals_favouring_requester",
)
OUTCOMES = ("granted_in_full", "granted_in_part", "refused", "information_not_held")
APPEAL_OUTCOMES = ("appeals_favouring_body", "appeals_favouring_requester")


def _sum(columns: tuple[str, ...]) -> str:
    return " + ".join(f"COALESCE({column}, 0)" for column in columns)


class RtiRequestStatistics(provenance.Sourced, Base):
    """How a country's right-to-information law was used in one year."""

    __tablename__ = "access_to_info_request_statistics"
    __table_args__ = (
        provenance.sourced_check(),
        UniqueConstraint("country_id", "year"),
        CheckConstraint(f"year >= {FIRST_RTI_LAW_YEAR}", name="year_range"),
        *(CheckConstraint(f"{c} >= 0", name=f"{c}_not_negative") for c in COUNTS),
        CheckConstraint("median_response_days >= 0", name="median_not_negative"),
        CheckConstraint("answered_in_time <= requests_received", name="in_time_within_received"),
        CheckConstraint(f"{_sum(OUTCOMES)} <= requests_received", name="outcomes_within_received"),
        # Appeal outcomes need the number of appeals, and cannot exceed it.
        CheckConstraint(
            f"{_sum(APPEAL_OUTCOMES)} <= COALESCE(appeals, 0)", name="outcomes_within_appeals"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    year: Mapped[int]
    coverage: Mapped[RtiStatisticsCoverage] = mapped_column(
        enum_column(RtiStatisticsCoverage, "coverage")
    )
    requests_received: Mapped[int]
    answered_in_time: Mapped[int | None]
    granted_in_full: Mapped[int | None]
    granted_in_part: Mapped[int | None]
    refused: Mapped[int | None]
    information_not_held: Mapped[int | None]
    internal_reviews: Mapped[int | None]
    appeals: Mapped[int | None]
    appeals_favouring_body: Mapped[int | None]
    """Appeals decided in favour of the public body: its decision stands."""
    appeals_favouring_requester: Mapped[int | None]
    """Appeals decided in favour of the requester, in full or in part."""
    median_response_days: Mapped[float | None]
    notes: Mapped[str] = mapped_column(Text, default="")
