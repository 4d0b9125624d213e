"""The workload of the CI regression gate (`python -m bench.gate`): the query mix, in-process.

    python -m bench.gate_workload setup DIR [sqlite|postgresql]
                                              # not under valgrind: the template database
                                              # (bench/gate_databases.py) + DIR/gate.json
    python -m bench.gate_workload run DIR     # under callgrind (bench/gate.py starts it)
    python -m bench.gate_workload check DIR   # run the mix natively, print the responses, and
                                              # compare them with bench/gate_expected.json
    python -m bench.gate_workload record DIR  # run the mix natively, store its responses there
    python -m bench.gate_workload clean DIR   # drop the PostgreSQL template `setup` made

`setup` migrates a fresh database (SQLite by default, or PostgreSQL), loads the demo data for a
fixed day and picks, by SQL, the meeting whose registrations are listed and the (meeting, person)
pairs the mutations register.
`run` builds the app with `create_app` (production settings: no debug), sends the mix once through
`httpx.ASGITransport` to warm up, then ITERATIONS times: the measured region. The mix is the
stored documents of `bench/queries/` (the group list, a group page, a meeting page, a country page
with every plugin's fields, one registration), or the inline copies below if those are missing.

The region is bracketed by calls to two C functions that nothing else in the stack calls,
`os.ctermid` (start) and `os.getloadavg` (end); callgrind's `--dump-before=` on them writes one
profile for imports + app build + warm-up and one for the region alone (all threads, so aiosqlite's
worker threads and SQLite are counted too; PostgreSQL is another process, so the server's Python
and asyncpg are counted, the database's own work is not).

Determinism (three runs agree to about 0.001%): the clock is frozen (demo data, "upcoming" filters
and `MEETING_ENDED` checks all read it), PYTHONHASHSEED=0 (set by the gate), the database is copied
fresh for each run, the garbage collector starts the region from a collected, frozen heap, and
aiosqlite's calls run inline instead of in its worker threads: with the threads, GIL hand-offs
timed in wall-clock made runs differ by 0.1-0.6% (more on a loaded machine). The same SQL and
SQLite work is counted; only the cost of the thread hop (a few % of the region) is not.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import gate_databases as databases
from bench.gate_clock import NOW, TODAY, freeze_clock, single_thread_sqlite
from bench.mix import SIGNED_IN_PAGES

ITERATIONS = 20
"""Measured iterations of the mix (plus one warm-up): about a minute under callgrind."""


DB_FILE, PARAMS_FILE = databases.DB_FILE, databases.PARAMS_FILE
RESPONSES_FILE = "responses.json"
"""Written by `run` after the region: every response's digest and the warm-up's bodies."""
EXPECTED = Path(__file__).with_name("gate_expected.json")
"""The stored expected responses (`python -m bench.gate --update` records them)."""
QUERIES = Path(__file__).parent / "queries"

GROUP_LIST = """
query GroupList {
  workingGroups(first: 100) {
    nodes {
      id slug name theme status
      anchors { role organization { name country { code } } }
      memberCount
    }
  }
}
"""

GROUP_PAGE = """
query GroupPage($slug: String!) {
  workingGroup(slug: $slug) {
    id name summary status
    meetings(first: 20) { nodes { id title startsAt remainingPlaces } }
  }
}
"""

MEETING_PAGE = """
query MeetingPage($id: ID!) {
  node(id: $id) {
    ... on Meeting {
      id title startsAt capacity remainingPlaces
      registrations(first: 100) {
        nodes { status person { name organization { name } } }
      }
    }
  }
}
"""

COUNTRY_PAGE = """
query CountryPage($code: String!) {
  country(code: $code) {
    code alpha3 name region ogpMemberSince actionPlanCycle
    organizations { name kind website }
    workingGroups { slug name }
    rightToInformation { yearAdopted rtiRating }
    eiti { status joinedOn }
    openBudgetIndex { edition score sufficient }
    openDataCharter { adoptedOn level }
    legislature { name chambers }
  }
}
"""

REGISTER = """
mutation Register($meetingId: ID!, $personId: ID!) {
  registrationCreate(input: {meetingId: $meetingId, personId: $personId}) {
    registration { id status }
    userErrors { code message field }
  }
}
"""


def settings(directory: Path, url: str) -> Any:
    from core.config import load_settings

    # Rate limits off: the `limits` library's memory storage expires its counters from a timer
    # in a worker thread, which would make the count depend on wall-clock time. The execution
    # timeout is wall-clock too: under valgrind (~50x slower) a request outlives the default.
    return load_settings(
        environ={},
        cwd=directory,
        database_url=url,
        debug=False,
        rate_limits=False,
        execution_timeout=3600,
        # the read path issue 12 makes the main one: root fields that compile run as one SQL
        # statement each, the rest on the resolver path (the gate measures both, as served)
        compiled_reads=True,
    )


# --- setup (outside valgrind) ---------------------------------------------------------------------


async def setup(directory: Path, dialect: str) -> None:
    from sqlalchemy import func, select

    import core.app  # noqa: F401  (everything the app loads, in its order, before freezing)
    from core import models
    from core.auth.staff import find_person
    from core.auth.tokens import issue_token
    from core.db import Database
    from core.demo import DEMO_ROLES, load_demo
    from core.migrate import upgrade
    from core.plugins import make_plugin_manager
    from core.schema.ids import to_global_id

    url = databases.template_url(dialect, directory)
    config = settings(directory, url)
    plugins = make_plugin_manager(config)
    freeze_clock()
    db = Database(config.database_url)
    try:
        await upgrade(db, plugins)
        await load_demo(db, plugins, today=TODAY)
        async with db.read() as conn:
            # the meeting with the most registrations (ties: the lowest id)
            busiest = (
                await conn.execute(
                    select(models.Registration.meeting_id)
                    .group_by(models.Registration.meeting_id)
                    .order_by(func.count().desc(), models.Registration.meeting_id)
                    .limit(1)
                )
            ).scalar_one()
            upcoming = list(
                (
                    await conn.execute(
                        select(models.Meeting.id)
                        .where(models.Meeting.ends_at > NOW)
                        .order_by(models.Meeting.id)
                    )
                ).scalars()
            )
            people = list(
                (await conn.execute(select(models.Person.id).order_by(models.Person.id))).scalars()
            )
            registrations = await conn.execute(
                select(models.Registration.meeting_id, models.Registration.person_id)
            )
            taken = {(row.meeting_id, row.person_id) for row in registrations}
        async with db.write() as conn:  # registering others takes a signed-in staff member
            staff, _ = await find_person(conn, DEMO_ROLES["staff"])
            token = (await issue_token(conn, staff, name="gate")).token
    finally:
        await db.dispose()
    # one pair per iteration (warm-up included), walking the meetings for each person in turn
    pairs = [(m, p) for p in people for m in upcoming if (m, p) not in taken][: ITERATIONS + 1]
    if len(pairs) < ITERATIONS + 1:
        raise SystemExit(f"gate setup: only {len(pairs)} free (meeting, person) pairs")
    params = {
        "database_url": url,
        "token": token,
        "group": "open-data",
        "country": "MX",
        "meeting": to_global_id("Meeting", busiest),
        "registrations": [
            {"meetingId": to_global_id("Meeting", m), "personId": to_global_id("Person", p)}
            for m, p in pairs
        ],
    }
    (directory / PARAMS_FILE).write_text(json.dumps(params, indent=2) + "\n")


# --- run (under callgrind) ------------------------------------------------------------------------


@dataclass
class Request:
    name: str
    body: dict[str, Any]
    headers: dict[str, str] | None = None


INLINE = {
    "group_list": ("GroupList", GROUP_LIST),
    "group_page": ("GroupPage", GROUP_PAGE),
    "meeting_page": ("MeetingPage", MEETING_PAGE),
    "country_page": ("CountryPage", COUNTRY_PAGE),
    "register": ("Register", REGISTER),
}


def documents() -> dict[str, tuple[str, str]]:
    """Page -> (operation name, document): the stored `bench/queries/<page>.graphql` (the mix of
    `make bench`) when all five exist, else the documents above (same operations and variables)."""
    stored = {page: QUERIES / f"{page}.graphql" for page in INLINE}
    if not all(path.is_file() for path in stored.values()):
        return INLINE
    return {page: (INLINE[page][0], path.read_text()) for page, path in stored.items()}


def mix(params: dict[str, Any], iteration: int) -> list[Request]:
    """The requests of one iteration: four pages and one registration (iteration 0: warm-up)."""
    docs = documents()

    def request(page: str, variables: dict[str, Any] | None = None) -> Request:
        operation, document = docs[page]
        body = {"query": document, "variables": variables or {}, "operationName": operation}
        # the public pages are read anonymously; the meeting page by a signed-in staff member,
        # who may see its registrations (hidden from anonymous viewers: the page would measure,
        # and check, an empty list); the registration is a staff member's too
        signed_in = page in SIGNED_IN_PAGES
        headers = {"authorization": f"Bearer {params['token']}"} if signed_in else None
        return Request(page, body, headers)

    return [
        request("group_list"),
        request("group_page", {"slug": params["group"]}),
        request("meeting_page", {"id": params["meeting"]}),
        request("country_page", {"code": params["country"]}),
        request("register", params["registrations"][iteration]),
    ]


async def send(client: Any, req: Request) -> bytes:
    response = await client.post("/graphql", json=req.body, headers=req.headers)
    content: bytes = response.content
    if response.status_code != 200 or b'"errors"' in content:
        raise SystemExit(f"gate: {req.name} failed ({response.status_code}): {content[:500]!r}")
    if req.name == "register" and b'"userErrors":[]' not in content:
        raise SystemExit(f"gate: {req.name} was rejected: {content[:500]!r}")
    return content


def answers(responses: list[tuple[str, int, bytes]]) -> dict[str, Any]:
    """What the gate stores of a run's responses: the SHA-256 of every response, in order (page,
    iteration), and the warm-up's bodies parsed (to show what changed when a digest differs)."""
    return {
        "digests": [
            {"page": page, "iteration": i, "sha256": hashlib.sha256(body).hexdigest()}
            for page, i, body in responses
        ],
        "warmup": {page: json.loads(body) for page, i, body in responses if i == 0},
    }


def compare(observed: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """The differences between two `answers(...)`, in words; empty when every response matches.

    A response that returns less (or other) data than the stored one changes its digest, so a
    regression that loses fields or rows fails here however few instructions it takes."""
    problems = []
    pairs = zip(observed["digests"], expected["digests"], strict=False)
    for got, want in pairs:
        if got != want:
            problems.append(
                f"{got['page']} (iteration {got['iteration']}): sha256 {got['sha256'][:12]}, "
                f"expected {want['sha256'][:12]}"
            )
    if len(observed["digests"]) != len(expected["digests"]):
        problems.append(
            f"{len(observed['digests'])} responses, expected {len(expected['digests'])}"
        )
    for page, body in expected["warmup"].items():
        if observed["warmup"].get(page) != body:
            got = json.dumps(observed["warmup"].get(page), sort_keys=True)[:400]
            problems.append(f"{page} warm-up body differs; got: {got}")
    return problems


async def run(directory: Path, *, show: bool = False) -> None:
    import httpx

    from core.app import create_app

    params = json.loads((directory / PARAMS_FILE).read_text())
    plans = [mix(params, i) for i in range(ITERATIONS + 1)]
    app = create_app(settings(directory, params["database_url"]))
    frozen = freeze_clock()
    single_thread_sqlite()
    if show:
        source = "bench/queries" if documents() is not INLINE else "inline (no bench/queries)"
        print(f"documents: {source}\nclock frozen at {NOW.isoformat()} in: {', '.join(frozen)}")
    transport = httpx.ASGITransport(app=app)
    responses: list[tuple[str, int, bytes]] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
        for req in plans[0]:  # warm-up: caches, lazily built objects, the connection pool
            content = await send(client, req)
            responses.append((req.name, 0, content))
            if show:
                print(f"--- {req.name}\n{content.decode()}")
        if threading.active_count() != 1:  # aiosqlite changed: its threads would add noise
            names = [thread.name for thread in threading.enumerate()]
            raise SystemExit(f"gate: threads {names} are running; fix single_thread_sqlite()")
        gc.collect()
        gc.freeze()
        os.ctermid()  # callgrind --dump-before: everything so far
        for iteration, plan in enumerate(plans[1:], start=1):
            for req in plan:
                responses.append((req.name, iteration, await send(client, req)))
        os.getloadavg()  # callgrind --dump-before: the measured region
        gc.unfreeze()
    await app.state.ogp.db.dispose()
    (directory / RESPONSES_FILE).write_text(json.dumps(answers(responses), indent=1) + "\n")


def main(argv: list[str]) -> None:
    """`setup DIR [DIALECT]`, `run DIR`, `clean DIR`, `check|record DIR [EXPECTED]`: EXPECTED
    (default bench/gate_expected.json) is the file `check` compares with and `record` writes."""
    if len(argv) not in (2, 3) or argv[0] not in ("setup", "run", "check", "record", "clean"):
        raise SystemExit(__doc__)
    command, directory = argv[0], Path(argv[1]).resolve()
    if command == "setup":
        dialect = argv[2] if len(argv) == 3 else "sqlite"
        if dialect not in databases.DIALECTS:
            raise SystemExit(f"gate: dialect {dialect!r} is not one of {databases.DIALECTS}")
        directory.mkdir(parents=True, exist_ok=True)
        databases.recreate_template(dialect, directory)
        asyncio.run(setup(directory, dialect))
        return
    if command == "clean":
        databases.drop_template(directory)
        return
    expected = Path(argv[2]) if len(argv) == 3 else EXPECTED
    if command == "run":
        asyncio.run(run(directory))
        return
    work = directory / "check"
    work.mkdir(parents=True, exist_ok=True)
    databases.copy(directory, work, "check")
    try:
        asyncio.run(run(work, show=command == "check"))
    finally:
        databases.drop_copy(work)
    observed = json.loads((work / RESPONSES_FILE).read_text())
    if command == "record":
        expected.write_text(json.dumps(observed, indent=1) + "\n")
        return
    problems = compare(observed, json.loads(expected.read_text()))
    print("\n".join(problems) or f"responses: all equal to {expected}")
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
