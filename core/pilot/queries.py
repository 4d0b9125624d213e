"""Root query of the pilot domain: `pilotReport(from, to, interval)`.

Public, like the CSV download (core/pilot/access.py says why). Errors (GraphQL,
`extensions.code`): INVALID_ARGUMENT when `from` is after `to`, a date is outside
1000-01-01..9998-12-31, or the period has more than periods.MAX_PERIODS quarters or years.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.db import Database
from core.errors import api_error
from core.pilot.periods import MAX_PERIODS, PilotReportInterval, count_periods
from core.pilot.report import Report, pilot_report
from core.pilot.types import PilotReport


class PeriodError(ValueError):
    """The period cannot be reported: the message says why."""


EARLIEST, LATEST = date(1000, 1, 1), date(9998, 12, 31)
"""The dates a report may cover (a day after LATEST and its year's end stay representable)."""


def check_period(first: date, last: date, interval: PilotReportInterval) -> None:
    """PeriodError unless first <= last, both within EARLIEST..LATEST, and the period has at
    most MAX_PERIODS periods."""
    for day in (first, last):
        if not EARLIEST <= day <= LATEST:
            raise PeriodError(f"{day} is outside {EARLIEST}..{LATEST}")
    if first > last:
        raise PeriodError(f"`from` ({first}) is after `to` ({last})")
    n = count_periods(first, last, interval)
    if n > MAX_PERIODS:
        raise PeriodError(
            f"{n} periods of a {interval.value.lower()}: at most {MAX_PERIODS}; ask by YEAR"
        )


async def report(
    db: Database,
    themes: tuple[str, ...],
    first: date,
    last: date,
    interval: PilotReportInterval,
) -> Report:
    """The report over one read connection (PeriodError: see check_period)."""
    check_period(first, last, interval)
    async with db.read() as conn:
        return await pilot_report(conn, themes, first, last, interval)


@strawberry.type
class Query:
    @strawberry.field(
        description="The Steering Committee's report on the pilot: every working group's "
        "participation, activity and commitments side by side for `from`..`to` (inclusive, UTC "
        "days), the activity also per quarter or year (`interval`). Public: aggregates only. "
        "Errors: INVALID_ARGUMENT when `from` is after `to`, a date is outside "
        "1000-01-01..9998-12-31, or the period has more than 200 quarters or years. The "
        "same figures as CSV: GET /reports/pilot.csv?from=&to=&interval=."
    )
    async def pilot_report(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        interval: PilotReportInterval = PilotReportInterval.QUARTER,
    ) -> PilotReport:
        ctx = info.context
        try:
            found = await report(ctx.db, ctx.app.visible_themes, from_, to, interval)
        except PeriodError as exc:
            raise api_error("INVALID_ARGUMENT", str(exc)) from None
        return PilotReport.of(found)
