"""The bench's read pages, resolver path vs compiled path, in one process (no HTTP server, no
load generator): the time of one request through the ASGI app, median of N interleaved rounds.

    PYTHONPATH=. .venv/bin/python bench/compiled_pages.py URL [ROUNDS] [LANGUAGE]

URL: a database with the demo data (`ogp-wg db upgrade && ogp-wg demo`), SQLite or PostgreSQL.
Each round sends every page once to each path, alternating which goes first, so drift of a
shared machine's load falls on both alike. Signed in (staff) where the bench's mix is
(`bench.mix.SIGNED_IN_PAGES`), anonymous elsewhere. LANGUAGE: sent as `Accept-Language` (`es`:
the texts in Spanish where translated, as a Spanish-speaking front end asks). Both answers are
checked byte-identical first.
Prints per page: the medians (ms), their ratio, and the SQL statements of each path's request;
then the four pages together (one of each, as the mix sends them: the sum of the medians), and
whether that meets issue 12's target on SQLite (`make bench` runs it so, on the demo data).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.mix import SIGNED_IN_PAGES
from core.testing import ClientFactory, GraphQLClient, token_for

QUERIES = Path(__file__).parent / "queries"
PAGES = ("group_list", "group_page", "meeting_page", "country_page")
SQLITE_AT_LEAST = 5
"""Issue 12, section 4: on SQLite the compiled path is at least 5x the resolver path's
throughput on the mix (its read pages; one of each: the sum of the medians)."""


async def _meeting_id(client: GraphQLClient) -> str:
    """The demo meeting with the most registrations (the meeting page's worst case)."""
    body = (
        await client.post(
            "{ workingGroups(first: 100) { nodes { meetings(first: 100) { nodes { id "
            "registrations(first: 1) { totalCount } } } } } }"
        )
    ).json()
    meetings = [m for g in body["data"]["workingGroups"]["nodes"] for m in g["meetings"]["nodes"]]
    return str(max(meetings, key=lambda m: m["registrations"]["totalCount"])["id"])


async def _timed(
    client: GraphQLClient, body: dict[str, Any], headers: dict[str, str]
) -> tuple[float, str, str]:
    start = time.perf_counter()
    response = await client.http.post("/graphql", json=body, headers=headers)
    elapsed = time.perf_counter() - start
    return elapsed, response.text, response.headers.get("x-sql-statements", "?")


async def main(url: str, rounds: int, language: str | None = None) -> None:
    headers = {"accept-language": language} if language else {}
    factory = ClientFactory()
    token = await token_for(url, "staff")
    anonymous = {
        "resolver": factory(url, debug=True, compiled_reads=False),
        "compiled": factory(url, debug=True, compiled_reads=True),
    }
    signed_in = {path: client.with_token(token) for path, client in anonymous.items()}
    resolver = signed_in["resolver"]
    variables = {
        "group_page": {"slug": "fiscal-openness"},
        "meeting_page": {"id": await _meeting_id(resolver)},
        "country_page": {"code": "MX"},
    }
    bodies = {
        name: {"query": (QUERIES / f"{name}.graphql").read_text(), "variables": variables.get(name)}
        for name in PAGES
    }
    times: dict[tuple[str, str], list[float]] = {}
    statements: dict[tuple[str, str], str] = {}
    for name, body in bodies.items():  # warm-up, and the same answer both ways
        clients = signed_in if name in SIGNED_IN_PAGES else anonymous
        (_, a, _), (_, b, _) = [await _timed(clients[path], body, headers) for path in clients]
        assert a == b, (name, a[:300], b[:300])
    for i in range(rounds):
        for name, body in bodies.items():
            clients = signed_in if name in SIGNED_IN_PAGES else anonymous
            order = list(clients.items())
            for path, client in order if i % 2 == 0 else order[::-1]:
                elapsed, _, count = await _timed(client, body, headers)
                times.setdefault((name, path), []).append(elapsed)
                statements[(name, path)] = count
    asked = f", Accept-Language: {language}" if language else ""
    print(f"{url.split('://')[0]}, {rounds} interleaved rounds{asked}, median ms per request")
    print(f"{'page':<14}{'resolver':>10}{'compiled':>10}{'ratio':>8}  statements")
    for name in PAGES:
        r = statistics.median(times[(name, "resolver")]) * 1000
        c = statistics.median(times[(name, "compiled")]) * 1000
        counts = f"{statements[(name, 'resolver')]} -> {statements[(name, 'compiled')]}"
        print(f"{name:<14}{r:>10.2f}{c:>10.2f}{r / c:>7.1f}x  {counts}")
    r, c = (sum(statistics.median(times[(n, p)]) for n in PAGES) for p in ("resolver", "compiled"))
    print(f"{'the four':<14}{r * 1000:>10.2f}{c * 1000:>10.2f}{r / c:>7.1f}x")
    verdict = "met" if r / c >= SQLITE_AT_LEAST else "NOT MET"
    print(f"issue 12's target, the four >= {SQLITE_AT_LEAST:g}x on SQLite: {verdict}")
    await factory.close()


if __name__ == "__main__":
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    asyncio.run(main(sys.argv[1], rounds, sys.argv[3] if len(sys.argv) > 3 else None))
