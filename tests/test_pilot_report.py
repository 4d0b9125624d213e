"""The pilot report (core/pilot, issue 10 section 4), over HTTP on both databases.

- Generated small worlds (organisations, groups with members and anchors, meetings with
  registrations, priority areas, resources (published or not, shared with another group),
  assistance matches (completed or under way), action plans with commitments and IRM
  assessments), inserted through SQL; `pilotReport` answers exactly what plain Python
  recomputes from the world.
- An empty period: every group listed with zeros and null rates.
- A disabled plugin's group is in neither the GraphQL answer nor the CSV.
- The CSV (GET /reports/pilot.csv) holds exactly the GraphQL answer's figures, groups side by
  side; bad parameters answer 400, and `from` after `to` is INVALID_ARGUMENT.
- The number of SQL statements does not grow with the data.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from core.db import Database
from core.testing import ClientFactory, clear
from tests.pilot_expected import cut, expected, flat, normalise
from tests.pilot_world import BASE, SMALL, bigger, insert_world, periods, worlds

IRM = """commitments assessed rated ambitious ambitiousShare starred completionRate
  completion { noEvidence notStarted limited substantial complete }
  didItOpenGovernment { worsened didNotChange marginal major outstanding }
  openedGovernmentShare"""
CHANGE = "change { commitments ambitious ambitiousShare completionRate openedGovernmentShare }"
ACTIVITY = """meetings attended noShows attendanceRate organizationsJoined priorityAreasAgreed
  resourcesShared matchesCompleted"""
REPORT = f"""
query Pilot($from: Date!, $to: Date!, $interval: PilotReportInterval!) {{
  pilotReport(from: $from, to: $to, interval: $interval) {{
    from to interval periods {{ label startsOn endsOn }}
    groups {{
      slug group {{ slug }}
      participation {{ organizations countries governments civilSociety otherOrganizations }}
      activity {{ {ACTIVITY} }}
      overTime {{
        period activity {{ {ACTIVITY} }}
        participation {{ organizations countries governments civilSociety otherOrganizations }}
      }}
      meetings(first: 100) {{
        totalCount pageInfo {{ hasNextPage }}
        nodes {{ meeting {{ title }} startsAt registered attended noShows attendanceRate }}
      }}
      commitments {{ {IRM} }}
      commitmentsByCycle {{ cycle figures {{ {IRM} }} {CHANGE} }}
      commitmentsByCountry {{
        code country {{ code }} figures {{ {IRM} }} cycles {{ cycle figures {{ {IRM} }} {CHANGE} }}
      }}
    }}
  }}
}}
"""


# --- Tests ----------------------------------------------------------------------------------------


def variables(first: date, last: date, interval: str = "QUARTER") -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat(), "interval": interval}


def test_figures_equal_a_recomputation(database_url: str) -> None:
    """Any small world, any period: the report answers what Python recomputes from the rows."""
    loop = asyncio.new_event_loop()
    factory = ClientFactory()
    client = factory(database_url)
    db = Database(database_url)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(world=worlds, period=periods)
    def check(world: dict[str, Any], period: tuple[int, int, str]) -> None:
        first = BASE.date() + timedelta(days=period[0])
        last = first + timedelta(days=period[1])

        async def run() -> dict[str, Any]:
            await clear(database_url)
            await insert_world(db, world)
            return await client.execute(REPORT, variables(first, last, period[2]))

        data = loop.run_until_complete(run())["pilotReport"]
        assert data["from"] == first.isoformat() and data["to"] == last.isoformat()
        assert [p["label"] for p in data["periods"]] == [c[0] for c in cut(first, last, period[2])]
        assert normalise(data["groups"]) == expected(world, first, last, period[2])

    try:
        check()
    finally:
        loop.run_until_complete(db.dispose())
        loop.run_until_complete(factory.close())
        loop.close()


async def test_statement_count_does_not_grow_with_the_data(
    empty_db: str, make_client: ClientFactory
) -> None:
    client = make_client(empty_db, debug=True)
    db = Database(empty_db)
    counts = []
    try:
        for world in (SMALL, bigger(SMALL, 4)):
            await clear(empty_db)
            await insert_world(db, world)
            response = await client.post(REPORT, variables(date(2019, 1, 1), date(2026, 1, 1)))
            assert "errors" not in response.json()
            assert len(response.json()["data"]["pilotReport"]["groups"]) == len(world["groups"])
            counts.append(int(response.headers["x-sql-statements"]))
    finally:
        await db.dispose()
    assert counts[0] == counts[1], counts
    # groups, participation, meetings, activity over time, commitments; then a level at a time:
    # groups, meetings, countries
    assert counts[0] == 8, counts


async def test_an_empty_period_lists_every_group_with_zeros(
    empty_db: str, make_client: ClientFactory
) -> None:
    db = Database(empty_db)
    try:
        await insert_world(db, SMALL)
    finally:
        await db.dispose()
    client = make_client(empty_db)
    data = await client.execute(REPORT, variables(date(2000, 1, 1), date(2000, 12, 31), "YEAR"))
    report = flat(data["pilotReport"])
    assert report["periods"] == [
        {"label": "2000", "startsOn": "2000-01-01", "endsOn": "2000-12-31"}
    ]
    assert [g["slug"] for g in report["groups"]] == ["group-1", "group-2"]
    for group in report["groups"]:
        assert group["participation"]["organizations"] == 0
        assert group["activity"] == {
            "meetings": 0, "attended": 0, "noShows": 0, "attendanceRate": None,
            "organizationsJoined": 0, "priorityAreasAgreed": 0, "resourcesShared": 0,
            "matchesCompleted": 0,
        }  # fmt: skip
        assert group["overTime"] == [
            {
                "period": "2000",
                "activity": group["activity"],
                "participation": group["participation"],
            }
        ]
        assert group["meetings"] == []
        assert group["commitments"]["commitments"] == 0
        assert group["commitments"]["ambitiousShare"] is None
        assert group["commitmentsByCycle"] == group["commitmentsByCountry"] == []


def csv_from_answer(report: dict[str, Any]) -> list[list[str]]:
    """The CSV core/pilot/export.py documents, built from the GraphQL answer."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def snake(name: str) -> str:
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)

    def irm_rows(section: str, key: str, f: dict[str, Any], change: Any = False) -> list[Any]:
        rows = [(section, key, snake(k), f[k])
                for k in ("commitments", "assessed", "rated", "ambitious", "ambitiousShare",
                          "starred")]  # fmt: skip
        rows += [(section, key, f"completion_{snake(k)}", n) for k, n in f["completion"].items()]
        rows.append((section, key, "completion_rate", f["completionRate"]))
        rows += [
            (section, key, f"opened_{snake(k)}", n) for k, n in f["didItOpenGovernment"].items()
        ]
        rows.append((section, key, "opened_government_share", f["openedGovernmentShare"]))
        if change is not False:
            for k in ("commitments", "ambitious", "ambitiousShare", "completionRate",
                      "openedGovernmentShare"):  # fmt: skip
                rows.append(
                    (section, key, f"change_{snake(k)}", None if change is None else change[k])
                )
        return rows

    columns: dict[tuple[str, str, str], dict[str, Any]] = {}
    for g in report["groups"]:
        rows: list[Any] = [
            ("participation", "", snake(k), v) for k, v in g["participation"].items()
        ]
        rows += [("activity", "", snake(k), v) for k, v in g["activity"].items()]
        for p in g["overTime"]:
            rows += [("period", p["period"], snake(k), v) for k, v in p["activity"].items()]
            rows += [("period", p["period"], snake(k), v) for k, v in p["participation"].items()]
        for m in g["meetings"]:
            key = f"{m['startsAt'][:19]}Z {m['meeting']['title']}"
            rows += [("meeting", key, snake(k), m[k])
                     for k in ("registered", "attended", "noShows", "attendanceRate")]  # fmt: skip
        rows += irm_rows("commitments", "", g["commitments"])
        for c in g["commitmentsByCycle"]:
            rows += irm_rows("cycle", c["cycle"], c["figures"], c["change"])
        for country in g["commitmentsByCountry"]:
            rows += irm_rows("country", country["code"], country["figures"])
            for c in country["cycles"]:
                rows += irm_rows(
                    "country_cycle", f"{country['code']} {c['cycle']}", c["figures"], c["change"]
                )
        for section, key, name, value in rows:
            columns.setdefault((section, key, name), {})[g["slug"]] = value
    slugs = [g["slug"] for g in report["groups"]]
    return [["section", "key", "figure", *slugs]] + [
        [*k, *(text(v.get(s)) for s in slugs)] for k, v in columns.items()
    ]


async def test_the_csv_holds_the_graphql_answer(empty_db: str, make_client: ClientFactory) -> None:
    db = Database(empty_db)
    try:
        await insert_world(db, bigger(SMALL, 2))
    finally:
        await db.dispose()
    client = make_client(empty_db)
    args = variables(date(2019, 1, 1), date(2020, 6, 30))
    report = flat((await client.execute(REPORT, args))["pilotReport"])
    response = await client.http.get("/reports/pilot.csv", params=args)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        'filename="pilot-report-2019-01-01-2020-06-30.csv"'
        in response.headers["content-disposition"]
    )
    table = list(csv.reader(io.StringIO(response.text)))
    expected_rows = csv_from_answer(report)
    assert table[0] == expected_rows[0]
    # the same rows; the CSV's order is its own (sections, then keys, then figures)
    assert sorted(table[1:]) == sorted(expected_rows[1:])
    assert len(table) == len({tuple(r[:3]) for r in table})
    sections = [r[0] for r in table[1:]]
    assert sections == sorted(sections, key=[
        "participation", "activity", "period", "meeting", "commitments", "cycle", "country",
        "country_cycle"].index)  # fmt: skip


MEETINGS = """
query Meetings($from: Date!, $to: Date!, $first: Int, $after: String) {
  pilotReport(from: $from, to: $to) {
    groups {
      meetings(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { meeting { id } startsAt } }
      }
    }
  }
}
"""


async def test_meetings_come_a_page_at_a_time(empty_db: str, make_client: ClientFactory) -> None:
    """Pages of `first` follow one another by cursor, ties on the start broken by id, and add up
    to the whole list; totalCount is every meeting; `first` above 100 and a foreign cursor are
    refused."""
    db = Database(empty_db)
    try:
        await insert_world(db, bigger(SMALL, 5))  # 5 meetings per group, at the same hour
    finally:
        await db.dispose()
    client = make_client(empty_db)
    args = {"from": "2019-01-01", "to": "2026-01-01"}

    async def pages(first: int | None, after: str | None = None) -> list[Any]:
        data = await client.execute(MEETINGS, {**args, "first": first, "after": after})
        return [g["meetings"] for g in data["pilotReport"]["groups"]]

    whole = (await pages(100))[0]
    assert whole["totalCount"] == len(whole["edges"]) == 5
    assert len({e["node"]["meeting"]["id"] for e in whole["edges"]}) == 5
    walked, after = [], None
    while True:
        page = (await pages(2, after))[0]
        assert page["totalCount"] == 5
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        walked += page["edges"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [len(walked)] == [5] and walked == whole["edges"]
    default = (await pages(None))[0]
    assert default["edges"] == whole["edges"]  # 20 by default: all 5
    for first, after, code in ((101, None, "INVALID_ARGUMENT"), (0, None, "INVALID_ARGUMENT"),
                               (2, "bm90IGEgY3Vyc29y", "INVALID_CURSOR")):  # fmt: skip
        errors = await client.errors(MEETINGS, {**args, "first": first, "after": after})
        assert errors[0]["extensions"]["code"] == code


async def test_a_disabled_plugins_group_is_hidden(
    empty_db: str, make_client: ClientFactory
) -> None:
    db = Database(empty_db)
    try:
        await insert_world(db, SMALL)
    finally:
        await db.dispose()
    args = variables(date(2019, 1, 1), date(2026, 1, 1), "YEAR")
    everything = make_client(empty_db)
    without = make_client(empty_db, plugins={"disabled": ["open_data"]})
    all_groups = (await everything.execute(REPORT, args))["pilotReport"]["groups"]
    report = (await without.execute(REPORT, args))["pilotReport"]
    assert [g["slug"] for g in all_groups] == ["group-1", "group-2"]
    assert [g["slug"] for g in report["groups"]] == ["group-2"]  # group-1 is open_data's
    assert report["groups"][0] == all_groups[1]
    response = await without.http.get("/reports/pilot.csv", params=args)
    header = next(csv.reader(io.StringIO(response.text)))
    assert header == ["section", "key", "figure", "group-2"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"to": "2020-01-01"}, "`from` is required"),
        ({"from": "2020-13-01", "to": "2020-01-01"}, "not YYYY-MM-DD"),
        ({"from": "2020-01-01", "to": "2020-01-01", "interval": "MONTH"}, "QUARTER or YEAR"),
        ({"from": "2021-01-01", "to": "2020-01-01"}, "is after"),
        ({"from": "1900-01-01", "to": "2020-01-01"}, "at most 200"),
        ({"from": "9999-12-31", "to": "9999-12-31"}, "is outside"),
    ],
)
async def test_bad_periods_are_refused(
    empty_db: str, make_client: ClientFactory, params: dict[str, str], reason: str
) -> None:
    client = make_client(empty_db)
    response = await client.http.get("/reports/pilot.csv", params=params)
    assert response.status_code == 400 and reason in response.text
    if reason in ("is after", "at most 200", "is outside"):
        errors = await client.errors(REPORT, {**params, "interval": "QUARTER"})
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"
        assert reason in errors[0]["message"]
