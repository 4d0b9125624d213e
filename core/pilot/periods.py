"""The periods a pilot report is cut into: calendar quarters or years, clipped to the report's
dates, and the SQL that puts a timestamp in one of them.

A report covers whole days, `from` to `to` inclusive, in UTC: the instants in
[from 00:00 UTC, the day after `to` 00:00 UTC).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import strawberry
from sqlalchemy import Integer, and_, case, literal

MAX_PERIODS = 200
"""Most periods one report has (50 years by quarter); a longer span: ask by YEAR."""


@strawberry.enum(description="How a pilot report cuts its dates for the figures over time.")
class PilotReportInterval(enum.StrEnum):
    QUARTER = "QUARTER"
    YEAR = "YEAR"


@dataclass(frozen=True)
class Period:
    """One quarter or year of the report, clipped to its dates: `starts_on`..`ends_on` inclusive."""

    index: int
    label: str
    """"2025-Q3" for a quarter, "2025" for a year."""
    starts_on: date
    ends_on: date


def instant(day: date) -> datetime:
    """The first instant of `day` in UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def periods(first: date, last: date, interval: PilotReportInterval) -> list[Period]:
    """The quarters or years that `first`..`last` (inclusive, first <= last) touches, clipped."""
    out: list[Period] = []
    year, quarter = first.year, (first.month - 1) // 3
    while True:
        if interval is PilotReportInterval.YEAR:
            start, after, label = date(year, 1, 1), date(year + 1, 1, 1), f"{year}"
        else:
            start = date(year, 3 * quarter + 1, 1)
            after = date(year + 1, 1, 1) if quarter == 3 else date(year, 3 * quarter + 4, 1)
            label = f"{year}-Q{quarter + 1}"
        if start > last:
            return out
        out.append(Period(len(out), label, max(start, first), min(after - timedelta(days=1), last)))
        if interval is PilotReportInterval.YEAR or quarter == 3:
            year, quarter = year + 1, 0
        else:
            quarter += 1


def count_periods(first: date, last: date, interval: PilotReportInterval) -> int:
    """How many periods `periods` would return, without building them."""
    if interval is PilotReportInterval.YEAR:
        return last.year - first.year + 1
    return (last.year - first.year) * 4 + (last.month - 1) // 3 - (first.month - 1) // 3 + 1


def within(column: Any, first: date, last: date) -> Any:
    """`column` (a UTC timestamp) falls on one of the days `first`..`last`."""
    return and_(column >= instant(first), column < instant(last + timedelta(days=1)))


def period_index(column: Any, cut: list[Period]) -> Any:
    """SQL: the index of the period holding `column` (a timestamp already known `within` the
    report's dates): a CASE over the periods' starts, so it means the same on both databases."""
    if len(cut) == 1:
        return literal(0, Integer)
    whens = [(column < instant(p.starts_on), p.index - 1) for p in cut[1:]]
    return case(*whens, else_=cut[-1].index)


def day_period_index(column: Any, cut: list[Period]) -> Any:
    """SQL: the index of the period holding `column`, a DATE (compared with dates, not instants:
    SQLite stores both as text); NULL (no recorded date) and days before the report: period 0."""
    if len(cut) == 1:
        return literal(0, Integer)
    whens = [(column.is_(None), 0)] + [(column < p.starts_on, p.index - 1) for p in cut[1:]]
    return case(*whens, else_=cut[-1].index)
