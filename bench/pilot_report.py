"""Time `pilotReport` (and its CSV) on the "large" data, and EXPLAIN its statements (issue 10,
section 4: "fast on the benchmark's large data").

    python -m bench.generate --scale large --database-url URL
    python -m bench.pilot_report --database-url URL [-n 15]

URL: a PostgreSQL (postgresql+asyncpg://) or SQLite (sqlite+aiosqlite:///) database. In-process
(create_app + httpx.ASGITransport, the default configuration: every installed plugin), anonymous
(the report is public). For each case: the SQL statements one request runs (captured with a
`before_cursor_execute` listener), the median and 95th percentile of `-n` timed requests after
one warm-up, and the answer's size; then the plan of each statement: on PostgreSQL the Seq Scans
of tables over 10,000 rows (`pg_class.reltuples`), on SQLite the full SCANs of such tables
(`EXPLAIN QUERY PLAN`). PostgreSQL is VACUUMed first (as autovacuum would have).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

import httpx
from sqlalchemy import event, text

from bench.explain import LARGE, seq_scans
from core.app import create_app
from core.config import load_settings
from core.pilot.periods import PilotReportInterval
from core.pilot.queries import report

ACTIVITY = """meetings attended noShows attendanceRate organizationsJoined priorityAreasAgreed
  resourcesShared matchesCompleted"""
IRM = """commitments assessed rated ambitious ambitiousShare starred completionRate
  completion { noEvidence notStarted limited substantial complete }
  didItOpenGovernment { worsened didNotChange marginal major outstanding }
  openedGovernmentShare"""
CHANGE = "change { commitments ambitious ambitiousShare completionRate openedGovernmentShare }"
QUERY = f"""
query PilotBench($from: Date!, $to: Date!, $interval: PilotReportInterval!) {{
  pilotReport(from: $from, to: $to, interval: $interval) {{
    from to periods {{ label startsOn endsOn }}
    groups {{
      slug group {{ id name }}
      participation {{ organizations countries governments civilSociety otherOrganizations }}
      activity {{ {ACTIVITY} }}
      overTime {{
        period activity {{ {ACTIVITY} }}
        participation {{ organizations countries governments civilSociety otherOrganizations }}
      }}
      meetings(first: 100) {{
        totalCount
        nodes {{ meeting {{ id title }} startsAt registered attended noShows attendanceRate }}
      }}
      commitments {{ {IRM} }}
      commitmentsByCycle {{ cycle figures {{ {IRM} }} {CHANGE} }}
      commitmentsByCountry {{
        code country {{ id }} figures {{ {IRM} }} cycles {{ cycle figures {{ {IRM} }} {CHANGE} }}
      }}
    }}
  }}
}}
"""
CASES = (
    ("the pilot's last 2 years, by quarter", "2024-11-01", "2026-10-31", "QUARTER"),
    ("2013-2028, by year", "2013-01-01", "2028-12-31", "YEAR"),
)


async def _sizes(app: Any) -> dict[str, int]:
    """Rows per table (PostgreSQL: the planner's estimate; SQLite: counted)."""
    db = app.state.ogp.db
    async with db.read() as conn:
        if not db.is_sqlite:
            rows = await conn.execute(
                text(
                    "SELECT relname, reltuples::bigint FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                )
            )
            return {name: int(n) for name, n in rows}
        names = await conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        sizes = {}
        for (name,) in names.all():
            sizes[name] = int(await conn.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0)
        return sizes


async def _plan_scans(app: Any, sql: str, parameters: Any) -> list[str]:
    """Tables read whole by the statement's plan."""
    db = app.state.ogp.db
    async with db.read() as conn:
        raw = await conn.exec_driver_sql(
            ("EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN (FORMAT JSON) ") + sql, parameters
        )
        rows = raw.all()
    if db.is_sqlite:
        # "SCAN registrations" (a full scan) vs "SEARCH ... USING INDEX"
        return [r[-1].split()[1] for r in rows if r[-1].startswith("SCAN ")]
    plan = rows[0][0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return list(seq_scans(plan[0]["Plan"]))


async def run(url: str, n: int) -> None:
    app = create_app(load_settings(environ={}, database_url=url, execution_timeout=600))
    engine = app.state.ogp.db.engine.sync_engine
    # every statement through SQLAlchemy, whose event captures it (a compiled read seen before
    # otherwise runs the same SQL text on the driver: core.db `read_value`)
    app.state.ogp.db.raw_statements = False
    captured: list[tuple[str, Any]] = []

    def collect(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    if not app.state.ogp.db.is_sqlite:
        # as autovacuum leaves a table in use: the visibility map lets a count by index skip
        # the heap (bench.generate only ANALYZEs; bench/README.md, "cost flat in table size")
        async with app.state.ogp.db.read() as conn:
            await conn.execute(text("VACUUM ANALYZE"))
    sizes = await _sizes(app)
    transport = httpx.ASGITransport(app=app)
    counts = ", ".join(
        f"{name}: {sizes.get(name, 0):,}" for name in ("registrations", "commitments", "resources")
    )
    print(f"database: {url.split('://')[0]}; {counts}")
    print(
        "| case | statements | median ms | p95 ms | answer KB | CSV median ms "
        "| SQL + figures median ms |"
    )
    print("|---|---|---|---|---|---|---|")
    plans: dict[str, list[tuple[str, Any]]] = {}
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for label, first, last, interval in CASES:
                variables = {"from": first, "to": last, "interval": interval}
                body = {"query": QUERY, "variables": variables}
                event.listen(engine, "before_cursor_execute", collect)
                captured.clear()
                warm = await client.post("/graphql", json=body)
                event.remove(engine, "before_cursor_execute", collect)
                if "errors" in warm.json():
                    raise RuntimeError(f"{label}: {warm.json()['errors']}")
                plans[label] = list(captured)
                times, csv_times, sql_times = [], [], []
                state = app.state.ogp
                period = (date.fromisoformat(first), date.fromisoformat(last))
                for _ in range(n):
                    started = time.perf_counter()
                    response = await client.post("/graphql", json=body)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                    started = time.perf_counter()
                    csv = await client.get("/reports/pilot.csv", params=variables)
                    csv_times.append((time.perf_counter() - started) * 1000)
                    assert csv.status_code == 200
                    started = time.perf_counter()  # the statements and figures, no GraphQL
                    await report(
                        state.db, state.visible_themes, *period, PilotReportInterval(interval)
                    )
                    sql_times.append((time.perf_counter() - started) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                print(f"| {label} | {len(plans[label])} | {statistics.median(times):.0f} | "
                      f"{p95:.0f} | {len(warm.content) / 1024:.0f} | "
                      f"{statistics.median(csv_times):.0f} | "
                      f"{statistics.median(sql_times):.0f} |")  # fmt: skip
        print(
            f"\nfull scans of tables over {LARGE:,} rows (other tables read whole in parentheses):"
        )
        for label, statements in plans.items():
            for sql, parameters in statements:
                scans = await _plan_scans(app, sql, parameters)
                big = sorted({t for t in scans if sizes.get(t, 0) > LARGE})
                small = sorted({t for t in scans if sizes.get(t, 0) <= LARGE})
                head = " ".join(sql.split())[:70]
                print(
                    f"- {label}: `{head}...`: {', '.join(big) or '-'} ({', '.join(small) or '-'})"
                )
    finally:
        await app.state.ogp.db.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pilot_report", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("-n", type=int, default=15, help="timed requests per case (default 15)")
    args = parser.parse_args(argv)
    if args.n < 1:
        sys.exit("-n must be at least 1")
    asyncio.run(run(args.database_url, args.n))


if __name__ == "__main__":
    main()
