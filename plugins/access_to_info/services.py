"""Recording and correcting right-to-information laws, RTI Ratings and request statistics.

Each function runs inside the mutation's one transaction (`core.in_transaction`): it checks the
input, raises `Rejected` with every problem it finds (nothing is written), then writes. The
database constraints (models.py) hold the same rules, so a client that bypasses this code, or
two requests racing each other, still cannot store an inconsistent row; the races come back as
the same user errors through `CONSTRAINT_ERRORS` (the plugin's `ogp_wg_constraint_errors` hook).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import (
    ConstraintError,
    Rejected,
    UserErrors,
    country_id,
    insert_row,
    provenance,
    row_by_id,
    update_row,
    user_error,
)
from plugins.access_to_info.models import (
    APPEAL_OUTCOMES,
    CATEGORIES,
    COUNTS,
    FIRST_RATING_EDITION,
    FIRST_RTI_LAW_YEAR,
    OUTCOMES,
    RTI_RATING_MAXIMUM,
    RtiLaw,
    RtiRating,
    RtiRatingCategory,
    RtiRatingSeries,
    RtiRequestStatistics,
    RtiStatisticsCoverage,
)

LAW_TYPE = "RightToInformationLaw"  # the type name inside the law's global ID

_OUT_OF_RANGE = ConstraintError(
    "SCORE_OUT_OF_RANGE", "a category score is outside 0 and the category's maximum"
)
_INCONSISTENT = ConstraintError("INCONSISTENT_COUNTS", "the request statistics are inconsistent")
# Constraint name -> the user error of a write that slips past the checks below (the plugin's
# `ogp_wg_constraint_errors` hook).
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_access_to_info_rti_laws_country_id": ConstraintError(
        "DUPLICATE_LAW", "the country already has a right-to-information law on record", "country"
    ),
    "uq_access_to_info_rti_ratings_law_id_series_edition": ConstraintError(
        "DUPLICATE_RATING",
        "this rating of the series is already recorded for the law",
        "edition",
    ),
    **provenance.sourcing_error("access_to_info_rti_laws"),
    **provenance.sourcing_error("access_to_info_rti_ratings"),
    "uq_access_to_info_request_statistics_country_id_year": ConstraintError(
        "DUPLICATE_REQUEST_STATISTICS",
        "statistics for this country and year are already recorded",
        "year",
    ),
    "ck_access_to_info_rti_ratings_total_is_sum": ConstraintError(
        "TOTAL_MISMATCH", "the total must equal the sum of the seven category scores", "total"
    ),
    **{f"ck_access_to_info_rti_ratings_{c.value}_max": _OUT_OF_RANGE for c in CATEGORIES},
    "ck_access_to_info_rti_laws_amended_after_adopted": ConstraintError(
        "DATES_OUT_OF_ORDER", "the law cannot be amended before it was adopted", "lastAmended"
    ),
    **{  # every CHECK of the statistics table
        str(check.name): _INCONSISTENT
        for check in RtiRequestStatistics.__table__.constraints
        if isinstance(check, CheckConstraint) and "sourced_or_illustrative" not in str(check.name)
    },
    **provenance.sourcing_error("access_to_info_request_statistics"),
}
MONTH = re.compile(r"(\d{4})-(\d{2})")  # "2016-09": the Rating's "last updated" month


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _this_year() -> int:
    return datetime.now(UTC).year


class _Checks(UserErrors):
    """The core's collector of user errors (every problem of one input, so a form can show them
    all at once), with this area's check of a year."""

    def year(self, value: int | None, field: str, earliest: int) -> bool:
        if value is not None and not earliest <= value <= _this_year():
            self.add("INVALID_YEAR", f"{field} must be between {earliest} and this year", field)
            return False
        return True


def _blank_to_none(value: str | None) -> str | None:
    return None if value is None else (value.strip() or None)


# --- Laws ----------------------------------------------------------------------------------------

LAW_FIELDS = (
    "name",
    "year_adopted",
    "last_amended",
    "oversight_body",
    "url",
    "in_force_since",
    "source_url",
    "retrieved_on",
    "illustrative",
)


def _check_law(values: Mapping[str, Any]) -> None:
    checks = _Checks()
    if checks.required(values["name"], "name"):  # None (cleared by an update) or blank
        checks.text(values["name"], "name", 300)
    adopted, amended = values["year_adopted"], values["last_amended"]
    if adopted is None:
        checks.add("REQUIRED", "yearAdopted is required", "yearAdopted")
    adopted_ok = checks.year(adopted, "yearAdopted", FIRST_RTI_LAW_YEAR)
    amended_ok = checks.year(amended, "lastAmended", FIRST_RTI_LAW_YEAR)
    if adopted_ok and amended_ok and None not in (adopted, amended) and amended < adopted:
        checks.add(
            "DATES_OUT_OF_ORDER",
            f"lastAmended ({amended}) is before yearAdopted ({adopted})",
            "lastAmended",
        )
    checks.text(values["oversight_body"], "oversightBody", 300, required=False)
    checks.url(values["url"], "url")
    provenance.check_sourcing(
        checks, values["source_url"], values["retrieved_on"], bool(values["illustrative"])
    )
    checks.raise_if_any()


def _law_values(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    out["name"] = values["name"].strip()
    out["oversight_body"] = _blank_to_none(values["oversight_body"])
    out["source_url"] = _blank_to_none(values["source_url"])
    out["illustrative"] = bool(values["illustrative"])
    return out


async def record_law(conn: AsyncConnection, country: str, values: Mapping[str, Any]) -> Any:
    """Record a country's law; `values` holds every name of LAW_FIELDS."""
    _check_law(values)
    cid = await country_id(conn, country)
    taken = (await conn.execute(select(RtiLaw.id).where(RtiLaw.country_id == cid))).first()
    if taken is not None:
        raise Rejected(
            user_error(
                "DUPLICATE_LAW",
                f"{country.upper()} already has a law on record: correct it with rtiLawUpdate",
                "country",
            )
        )
    return await insert_row(conn, RtiLaw, country_id=cid, **_law_values(values))


async def update_law(conn: AsyncConnection, global_id: str, changes: Mapping[str, Any]) -> Any:
    """Change some fields of a law; `changes` holds only the fields given."""
    law = await _law(conn, global_id, "id")
    values = {name: getattr(law, name) for name in LAW_FIELDS} | dict(changes)
    _check_law(values)
    return await update_row(conn, RtiLaw, law.id, **_law_values(values))


async def _law(conn: AsyncConnection, global_id: str, field: str) -> Any:
    return await row_by_id(conn, RtiLaw, global_id, LAW_TYPE, field, for_update=False)


# --- RTI Ratings ---------------------------------------------------------------------------------


def _month(value: str | None, checks: UserErrors) -> date | None:
    """The first day of a "YYYY-MM" month; INVALID_MONTH otherwise."""
    if value is None:
        return None
    match = MONTH.fullmatch(value.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        checks.add(
            "INVALID_MONTH", f"lastUpdated must be a month, 'YYYY-MM', got {value!r}", "lastUpdated"
        )
        return None
    return date(int(match[1]), int(match[2]), 1)


def _rating_date(
    checks: _Checks, series: RtiRatingSeries, edition: int | None, last_updated: str | None
) -> tuple[int | None, date | None]:
    """(edition, last updated month) of a rating: a country-page rating is dated by its "last
    updated" month (its edition is that year); a historical one by its year only."""
    month = _month(last_updated, checks)
    if series is RtiRatingSeries.COUNTRY_PAGE:
        if last_updated is None:
            checks.add(
                "LAST_UPDATED_REQUIRED",
                "a country-page rating is dated by its 'RTI Rating last updated' month",
                "lastUpdated",
            )
        elif month is not None:
            if edition is not None and edition != month.year:
                checks.add(
                    "EDITION_MISMATCH",
                    f"edition {edition} is not the year of lastUpdated ({month:%Y-%m})",
                    "edition",
                )
            edition = month.year
    else:
        if last_updated is not None:
            checks.add(
                "LAST_UPDATED_NOT_IN_SERIES",
                "the historical data is dated by year only: give edition, not lastUpdated",
                "lastUpdated",
            )
        if edition is None:
            checks.add("REQUIRED", "a historical rating needs its year (edition)", "edition")
    checks.year(edition, "edition", FIRST_RATING_EDITION)
    if month is not None and month > datetime.now(UTC).date():
        checks.add("DATE_IN_FUTURE", f"lastUpdated {month:%Y-%m} is in the future", "lastUpdated")
    return edition, month


async def record_rating(
    conn: AsyncConnection,
    *,
    law_id: str,
    series: RtiRatingSeries,
    edition: int | None,
    last_updated: str | None,
    rated_law: str | None,
    scores: Mapping[RtiRatingCategory, int],
    total: int,
    methodology_version: str,
    source_url: str,
    retrieved_on: date | None,
    illustrative: bool,
    replace: bool,
) -> Any:
    """Record one published RTI Rating of a law (country page or historical data), or
    (`replace`) correct a recorded one. Raises `Rejected` (LAST_UPDATED_REQUIRED,
    LAST_UPDATED_NOT_IN_SERIES, EDITION_MISMATCH, INVALID_MONTH, INVALID_YEAR, SCORE_OUT_OF_RANGE,
    TOTAL_MISMATCH, SOURCE_REQUIRED, INVALID_URL, DATE_IN_FUTURE, DUPLICATE_RATING, NOT_FOUND)."""
    checks = _Checks()
    edition, month = _rating_date(checks, series, edition, last_updated)
    for category, (name, maximum) in CATEGORIES.items():
        if not 0 <= scores[category] <= maximum:
            checks.add(
                "SCORE_OUT_OF_RANGE",
                f"{name} is scored 0-{maximum}, got {scores[category]}",
                _camel(category.value),
            )
    if not 0 <= total <= RTI_RATING_MAXIMUM:
        checks.add("SCORE_OUT_OF_RANGE", f"total is 0-{RTI_RATING_MAXIMUM}, got {total}", "total")
    elif not checks.errors and total != sum(scores.values()):
        checks.add(
            "TOTAL_MISMATCH",
            f"total {total} is not the sum of the categories ({sum(scores.values())})",
            "total",
        )
    if checks.required(methodology_version, "methodologyVersion"):
        checks.text(methodology_version, "methodologyVersion", 40)
    rated = checks.text(rated_law, "ratedLaw", 300, required=False)
    url = provenance.check_sourcing(checks, source_url, retrieved_on, illustrative)
    if url is None:
        checks.add("REQUIRED", "sourceUrl is required for every rating", "sourceUrl")
    checks.raise_if_any()

    law = await _law(conn, law_id, "lawId")
    values = {category.value: points for category, points in scores.items()} | {
        "total": total,
        "methodology_version": methodology_version.strip(),
        "last_updated": month,
        "rated_law": rated,
        "source_url": url,
        "retrieved_on": retrieved_on,
        "illustrative": illustrative,
    }
    existing = (
        await conn.execute(
            select(RtiRating.id).where(
                RtiRating.law_id == law.id,
                RtiRating.series == series,
                RtiRating.edition == edition,
            )
        )
    ).scalar()
    if existing is None:
        return await insert_row(
            conn, RtiRating, law_id=law.id, series=series, edition=edition, **values
        )
    if not replace:
        raise Rejected(
            user_error(
                "DUPLICATE_RATING",
                f"the {series.value} rating of {edition} is already recorded: pass replace: "
                "true to correct it",
                "edition",
            )
        )
    return await update_row(conn, RtiRating, existing, **values)


# --- Request statistics --------------------------------------------------------------------------


def _check_counts(counts: Mapping[str, int | None], median: float | None) -> None:
    checks = _Checks()
    for name in COUNTS:
        value = counts[name]
        if value is not None and value < 0:
            checks.add("NEGATIVE_VALUE", f"{_camel(name)} cannot be negative", _camel(name))
    if median is not None and median < 0:
        checks.add("NEGATIVE_VALUE", "medianResponseDays cannot be negative", "medianResponseDays")
    if checks.errors:
        checks.raise_if_any()

    received = counts["requests_received"]
    in_time = counts["answered_in_time"]
    if in_time is not None and in_time > received:
        checks.add(
            "INCONSISTENT_COUNTS",
            f"answeredInTime ({in_time}) exceeds requestsReceived ({received})",
            "answeredInTime",
        )
    outcomes = sum(counts[name] or 0 for name in OUTCOMES)
    if outcomes > received:
        checks.add(
            "INCONSISTENT_COUNTS",
            f"the outcomes (granted in full or in part, refused, information not held: "
            f"{outcomes}) exceed requestsReceived ({received})",
            "requestsReceived",
        )
    appeal_outcomes = sum(counts[name] or 0 for name in APPEAL_OUTCOMES)
    if appeal_outcomes > (counts["appeals"] or 0):
        checks.add(
            "INCONSISTENT_COUNTS",
            f"appealsFavouringBody + appealsFavouringRequester ({appeal_outcomes}) exceed appeals "
            f"({counts['appeals'] if counts['appeals'] is not None else 'not given'})",
            "appeals",
        )
    checks.raise_if_any()


async def record_statistics(
    conn: AsyncConnection,
    *,
    country: str,
    year: int,
    coverage: RtiStatisticsCoverage,
    counts: Mapping[str, int | None],
    median_response_days: float | None,
    source_url: str | None,
    retrieved_on: date | None,
    illustrative: bool,
    notes: str,
    replace: bool,
) -> Any:
    """Record a country's request statistics for a year, or (`replace`) correct them: the
    recorded figures are all replaced by the input's (a figure left out becomes unknown).
    """
    checks = _Checks()
    checks.year(year, "year", FIRST_RTI_LAW_YEAR)
    url = provenance.check_sourcing(checks, source_url, retrieved_on, illustrative)
    checks.text(notes, "notes", 2000, required=False)
    checks.raise_if_any()
    _check_counts(counts, median_response_days)

    cid = await country_id(conn, country)
    values = dict(counts) | {
        "coverage": coverage,
        "median_response_days": median_response_days,
        "source_url": url,
        "retrieved_on": retrieved_on,
        "illustrative": illustrative,
        "notes": notes.strip(),
    }
    existing = (
        await conn.execute(
            select(RtiRequestStatistics.id).where(
                RtiRequestStatistics.country_id == cid, RtiRequestStatistics.year == year
            )
        )
    ).scalar()
    if existing is None:
        return await insert_row(conn, RtiRequestStatistics, country_id=cid, year=year, **values)
    if not replace:
        raise Rejected(
            user_error(
                "DUPLICATE_REQUEST_STATISTICS",
                f"{year} is already recorded for {country.upper()}: pass replace: true to "
                "correct it",
                "year",
            )
        )
    return await update_row(conn, RtiRequestStatistics, existing, **values)
