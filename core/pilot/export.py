"""The pilot report as a CSV download: `GET /reports/pilot.csv?from=2025-01-01&to=2025-12-31`
(`interval=QUARTER` or `YEAR`, default QUARTER), the same figures as the `pilotReport` field and
the same access (public: core/pilot/access.py).

Groups side by side: one column per working group (by slug, as `pilotReport.groups`), one row
per figure. Columns: `section`, `key`, `figure`, then each group's slug. Sections, in order:

- `participation` (key empty): organizations, countries, governments, civil_society,
  other_organizations;
- `activity` (key empty) and `period` (key: the period's label, "2025-Q3"): meetings, attended,
  no_shows, attendance_rate, organizations_joined, priority_areas_agreed, resources_shared,
  matches_completed; `period` then also the participation at the period's end: organizations,
  countries, governments, civil_society, other_organizations;
- `meeting` (key: "<start, UTC, ISO 8601> <title>"): registered, attended, no_shows,
  attendance_rate; every meeting of the period (the download is whole: GraphQL's
  `meetings` hands them out a page at a time);
- `commitments` (key empty), `cycle` (key: the cohort year, "2018"), `country` (key: alpha-2),
  `country_cycle` (key "KE 2018"): commitments, assessed, rated, ambitious,
  ambitious_share, starred, completion_<level> for each IRM completion level, completion_rate,
  opened_<level> for each "did it open government" level, opened_government_share; cycles also
  change_commitments, change_ambitious, change_ambitious_share, change_completion_rate,
  change_opened_government_share (empty for a first cycle).

A value is an integer or a decimal rate (0..1, at most 4 places); empty where the group has no
such row or the rate has nothing to measure. Errors: 400 with a one-line reason (missing or
malformed date, unknown interval, `from` after `to`, too many periods).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from core.context import AppState
from core.pilot import figures as f
from core.pilot.periods import PilotReportInterval
from core.pilot.queries import PeriodError, report
from core.pilot.report import Report

MEDIA_TYPE = "text/csv; charset=utf-8"
PARTICIPATION = ("organizations", "countries", "governments", "civil_society",
                 "other_organizations")  # fmt: skip
ACTIVITY = ("meetings", "attended", "no_shows", "attendance_rate", "organizations_joined",
            "priority_areas_agreed", "resources_shared", "matches_completed")  # fmt: skip
MEETING = ("registered", "attended", "no_shows", "attendance_rate")
CHANGE = ("commitments", "ambitious", "ambitious_share", "completion_rate",
          "opened_government_share")  # fmt: skip
SECTIONS = ("participation", "activity", "period", "meeting", "commitments", "cycle", "country",
            "country_cycle")  # fmt: skip

Row = tuple[str, str, str, Any]
"""(section, key, figure, value)."""


def _irm(section: str, key: str, i: f.IrmFigures) -> Iterator[Row]:
    yield section, key, "commitments", i.commitments
    yield section, key, "assessed", i.assessed
    yield section, key, "rated", i.rated
    yield section, key, "ambitious", i.ambitious
    yield section, key, "ambitious_share", i.ambitious_share
    yield section, key, "starred", i.starred
    for level, n in i.completion.items():
        yield section, key, f"completion_{level.lower()}", n
    yield section, key, "completion_rate", i.completion_rate
    for level, n in i.opened.items():
        yield section, key, f"opened_{level.lower()}", n
    yield section, key, "opened_government_share", i.opened_government_share


def _cycle(section: str, key: str, c: f.CycleFigures) -> Iterator[Row]:
    yield from _irm(section, key, c.figures)
    for name in CHANGE:
        yield section, key, f"change_{name}", None if c.change is None else getattr(c.change, name)


def group_rows(g: f.GroupFigures, labels: list[str]) -> Iterator[Row]:
    """Every (section, key, figure, value) of one group, in the CSV's order."""
    for name in PARTICIPATION:
        yield "participation", "", name, getattr(g.participation, name)
    for name in ACTIVITY:
        yield "activity", "", name, getattr(g.activity, name)
    for label, a, p in zip(labels, g.over_time, g.participation_over_time, strict=True):
        for name in ACTIVITY:
            yield "period", label, name, getattr(a, name)
        for name in PARTICIPATION:
            yield "period", label, name, getattr(p, name)
    for m in g.meetings:
        key = f"{m.starts_at:%Y-%m-%dT%H:%M:%SZ} {m.title}"
        for name in MEETING:
            yield "meeting", key, name, getattr(m, name)
    yield from _irm("commitments", "", g.commitments)
    for c in g.by_cycle:
        yield from _cycle("cycle", c.cycle, c)
    for country in g.by_country:
        yield from _irm("country", country.alpha2, country.figures)
        for c in country.cycles:
            yield from _cycle("country_cycle", f"{country.alpha2} {c.cycle}", c)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def table(r: Report) -> list[list[str]]:
    """The CSV's rows, header first: figures as rows, groups side by side as columns.

    Sections in SECTIONS order; periods in time order, other keys sorted (meetings by start,
    cycles, countries: several groups' lists interleave); a key's figures in the order yielded.
    """
    labels = [p.label for p in r.periods]
    # section -> key -> figure -> {column: value}, figures in the order first yielded
    found: dict[str, dict[str, dict[str, dict[int, Any]]]] = {name: {} for name in SECTIONS}
    for column, g in enumerate(r.groups):
        for section, key, name, value in group_rows(g, labels):
            found[section].setdefault(key, {}).setdefault(name, {})[column] = value
    header = ["section", "key", "figure", *(g.slug for g in r.groups)]
    rows = [header]
    columns = range(len(r.groups))
    for section, keys in found.items():
        ordered = labels if section == "period" else sorted(keys)
        for key in ordered:
            for name, values in keys.get(key, {}).items():
                rows.append([section, key, name, *(_text(values.get(c)) for c in columns)])
    return rows


def render(r: Report) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table(r))
    return out.getvalue()


def _bad(reason: str) -> Response:
    return PlainTextResponse(f"bad request: {reason}\n", status_code=400)


def routes(state: AppState) -> list[Route]:
    """`GET /reports/pilot.csv` over the app's database and visible themes."""

    async def pilot_csv(request: Request) -> Response:
        query = request.query_params
        try:
            first = date.fromisoformat(query["from"])
            last = date.fromisoformat(query["to"])
        except KeyError as exc:
            return _bad(f"`{exc.args[0]}` is required (YYYY-MM-DD)")
        except ValueError as exc:
            return _bad(f"a date is not YYYY-MM-DD: {exc}")
        try:
            interval = PilotReportInterval(query.get("interval", "QUARTER"))
        except ValueError:
            return _bad("`interval` is QUARTER or YEAR")
        try:
            found = await report(state.db, state.visible_themes, first, last, interval)
        except PeriodError as exc:
            return _bad(str(exc))
        filename = f"pilot-report-{first}-{last}.csv"
        headers = {
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "public, max-age=300",
        }
        return Response(render(found), media_type=MEDIA_TYPE, headers=headers)

    return [Route("/reports/pilot.csv", pilot_csv)]
