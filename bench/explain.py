"""EXPLAIN every SQL statement each page of the mix runs, on our server and on the floor, and
report sequential scans of large tables (issue 3: "cost flat in table size").

    python -m bench.explain --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/ogp_bench

Our statements are captured in-process (create_app + httpx.ASGITransport, with a
`before_cursor_execute` listener), so the plans are those of the exact SQL and parameters the app
sends. PostgreSQL only; run it on "large" data, where a bad plan shows. The register page really
registers one (meeting, person) pair on each side: the app runs its statements, the floor's are
only explained.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event

from bench import floor
from bench.generate import asyncpg_dsn
from bench.mix import PAGES, body, documents, variables
from bench.run import WRITE_PAGE, Urls, register_token
from core.app import create_app
from core.config import load_settings

LARGE = 10_000  # rows: a sequential scan above this grows with the data


def seq_scans(plan: dict[str, Any]) -> Iterator[str]:
    """Relation names of every Seq Scan node in a plan tree."""
    if plan.get("Node Type") == "Seq Scan":
        yield plan["Relation Name"]
    for child in plan.get("Plans", ()):
        yield from seq_scans(child)


async def our_statements(url: str, pages: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    """Page -> [(sql, parameters)] as our app sent them to the driver."""
    # the read path `bench.run` measures (issue 12): compiled root fields, the rest by resolvers
    app = create_app(load_settings(database_url=url, compiled_reads=True))
    engine = app.state.ogp.db.engine.sync_engine
    # every statement through SQLAlchemy, whose event captures it (a compiled read seen before
    # otherwise runs the same SQL text on the driver: core.db `read_value`)
    app.state.ogp.db.raw_statements = False
    captured: list[tuple[str, Any]] = []

    def collect(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    docs = documents()
    out: dict[str, list[Any]] = {}
    # registrationCreate needs a signed-in viewer: a staff token, as bench.run sends it
    token = await register_token(Urls.parse(url))
    write = {"authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            # The first statement on a new engine also runs the dialect's set-up queries.
            await client.post("/graphql", json={"query": "{ countries { code } }"})
            event.listen(engine, "before_cursor_execute", collect)
            for page, variables_ in pages.items():
                captured.clear()
                headers = write if page == WRITE_PAGE else None
                response = await client.post(
                    "/graphql", json=body(page, variables_, docs), headers=headers
                )
                if "errors" in response.json():
                    raise RuntimeError(f"{page}: {response.json()['errors']}")
                out[page] = list(captured)
    finally:
        await app.state.ogp.db.dispose()
    return out


async def explain(conn: asyncpg.Connection, sql: str, args: Sequence[Any]) -> list[str]:
    raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *(args or ()))
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return list(seq_scans(plan[0]["Plan"]))


async def report(url: str, verbose: bool) -> None:
    pages = {page: (await variables(url, page, 1))[0] for page in PAGES}
    ours = await our_statements(url, pages)
    theirs = {page: floor.statements(page, pages[page]) for page in PAGES}
    conn = await asyncpg.connect(asyncpg_dsn(url), server_settings={"timezone": "UTC"})
    try:
        rows = await conn.fetch(
            "SELECT relname, reltuples::bigint AS n FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        sizes = {r["relname"]: r["n"] for r in rows}
        print(f"{'server':<7} {'page':<13} {'statements':>10}  seq scans on tables > {LARGE:,} rows"
              "   (other seq scans)")  # fmt: skip
        for server, found in (("ours", ours), ("floor", theirs)):
            for page in PAGES:
                big: list[str] = []
                small: list[str] = []
                for sql, args in found[page]:
                    scans = await explain(conn, sql, args)
                    big += [t for t in scans if sizes.get(t, 0) > LARGE]
                    small += [t for t in scans if sizes.get(t, 0) <= LARGE]
                    if verbose:
                        print(f"    {' '.join(sql.split())[:160]}  -> {scans or 'index only'}")
                print(f"{server:<7} {page:<13} {len(found[page]):>10}  {', '.join(big) or '-'}"
                      f"   ({', '.join(sorted(set(small))) or '-'})")  # fmt: skip
    finally:
        await conn.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    parser.add_argument("--database-url", required=True, help="postgresql+asyncpg:// URL")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each statement")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        sys.exit("bench.explain: PostgreSQL only")
    asyncio.run(report(args.database_url, args.verbose))


if __name__ == "__main__":
    main()
