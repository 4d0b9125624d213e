"""The workload of the CI regression gate (`python -m bench.gate`): the query mix, in-process.

    python -m bench.gate_workload setup DIR   # not under valgrind: DIR/gate.sqlite3 + DIR/gate.json
    python -m bench.gate_workload run DIR     # under callgrind (bench/gate.py starts it)
    python -m bench.gate_workload check DIR   # run the mix natively, print the responses, and
                                              # compare them with bench/gate_expected.json
    python -m bench.gate_workload record DIR  # run the mix natively, store its responses there

`setup` migrates a fresh SQLite database, loads the demo data for a fixed day and picks, by SQL, the
meeting whose registrations are listed and the (meeting, person) pairs the mutations register.
`run` builds the app with `create_app` (production settings: no debug), sends the mix once through
`httpx.ASGITransport` to warm up, then ITERATIONS times: the measured region. The mix is the
stored documents of `bench/queries/` (the group list, a group page, a meeting page, a country page
with every plugin's fields, one registration), or the inline copies below if those are missing.

The region is bracketed by calls to two C functions that nothing else in the stack calls,
`os.ctermid` (start) and `os.getloadavg` (end); callgrind's `--dump-before=` on them writes one
profile for imports + app build + warm-up and one for the region alone (all threads, so aiosqlite's
worker threads and SQLite are counted too).

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
import shutil
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ITERATIONS = 20
"""Measured iterations of the mix (plus one warm-up): about a minute under callgrind."""

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
"""The frozen clock: the demo data's relative meetings are then 10, 35 and 70 days ahead."""

DB_FILE = "gate.sqlite3"
PARAMS_FILE = "gate.json"
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


class _Frozen(type):
    """A stand-in for `datetime` / `date` in a module's globals: constructing, `isinstance` and
    every other attribute go to the real class; only the clock methods the class defines differ."""

    real: type

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real(*args, **kwargs)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls.real, name)


class FrozenDatetime(metaclass=_Frozen):
    real = datetime

    @staticmethod
    def now(tz: Any = None) -> datetime:
        return NOW.astimezone(tz) if tz is not None else NOW.replace(tzinfo=None)

    @staticmethod
    def utcnow() -> datetime:
        return NOW.replace(tzinfo=None)

    @staticmethod
    def today() -> datetime:
        return NOW.replace(tzinfo=None)


class FrozenDate(metaclass=_Frozen):
    real = date

    @staticmethod
    def today() -> date:
        return TODAY


def frozen_utcnow() -> datetime:
    return NOW


def freeze_clock() -> list[str]:
    """Stop the clock in every loaded module of the project (core.*, plugins.*) that reads it as
    `utcnow()`, `datetime.now()` or `date.today()` from its globals; returns their names.

    Call it after the schema is built: Strawberry resolves annotations from module globals."""
    import core.db

    frozen = []
    replacements = {
        id(core.db.utcnow): frozen_utcnow,
        id(datetime): FrozenDatetime,
        id(date): FrozenDate,
    }
    for name, module in sorted(sys.modules.items()):
        if module is None or not name.startswith(("core", "plugins")) or name == __name__:
            continue
        for attr, value in list(vars(module).items()):
            if attr in ("utcnow", "datetime", "date") and id(value) in replacements:
                setattr(module, attr, replacements[id(value)])
                frozen.append(f"{name}.{attr}")
    return frozen


class _InlineQueue:
    """Stands in for the queue of an aiosqlite connection's worker thread: runs each call at once,
    in the event loop's thread, and resolves its future on the loop's next turn."""

    def put_nowait(self, item: tuple[Any, Any]) -> None:
        from aiosqlite.core import set_exception, set_result

        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting coroutine, as aiosqlite does
            if future is not None:
                future.get_loop().call_soon(set_exception, future, exc)
            return
        if future is not None:
            future.get_loop().call_soon(set_result, future, result)


class _NoThread:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def start(self) -> None:
        pass


def single_thread_sqlite() -> None:
    """aiosqlite runs each connection's calls in a worker thread; the handoffs between threads
    (GIL waits of `sys.getswitchinterval()` seconds of WALL time, wake-ups) make the instruction
    count vary from run to run. Run them inline instead: same SQL, same SQLite work."""
    import aiosqlite.core

    aiosqlite.core.SimpleQueue = _InlineQueue  # type: ignore[attr-defined,misc]
    aiosqlite.core.Thread = _NoThread  # type: ignore[attr-defined,misc]


def settings(directory: Path) -> Any:
    from core.config import load_settings

    url = f"sqlite+aiosqlite:///{directory / DB_FILE}"
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
    )


# --- setup (outside valgrind) ---------------------------------------------------------------------


async def setup(directory: Path) -> None:
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

    (directory / DB_FILE).unlink(missing_ok=True)
    config = settings(directory)
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
        signed_in = page in ("meeting_page", "register")
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
    app = create_app(settings(directory))
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
    """`setup|run|check|record DIR [EXPECTED]`: EXPECTED (default bench/gate_expected.json) is
    the file `check` compares with and `record` writes."""
    if len(argv) not in (2, 3) or argv[0] not in ("setup", "run", "check", "record"):
        raise SystemExit(__doc__)
    command, directory = argv[0], Path(argv[1]).resolve()
    expected = Path(argv[2]) if len(argv) == 3 else EXPECTED
    if command == "setup":
        directory.mkdir(parents=True, exist_ok=True)
        asyncio.run(setup(directory))
    elif command == "run":
        asyncio.run(run(directory))
    else:
        work = directory / "check"
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy(directory / DB_FILE, work / DB_FILE)
        shutil.copy(directory / PARAMS_FILE, work / PARAMS_FILE)
        asyncio.run(run(work, show=command == "check"))
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
