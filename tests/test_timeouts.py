"""The execution timeout (issue 8, point 3), on SQLite and PostgreSQL.

An operation that runs past `execution_timeout` is answered at once with HTTP 504 and a GraphQL
error TIMEOUT; its database work is stopped (PostgreSQL: the statement is cancelled in the server)
and a write it had begun is rolled back. The server answers the next request as usual. The slow
fields come from a test-only plugin (tests/runtime_plugin.py).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import text

from core.compiled.kept import kept_operations
from core.config import load_settings
from core.db import Database
from core.schema.ids import pk_of
from core.testing import ClientFactory, GraphQLClient
from tests import runtime_plugin
from tests.test_waitlist import REGISTER, _cancel, _lists, _meeting, _people_and_group, _register

GENEROUS = 10.0  # seconds: an answer "at once" comes well within this, on a busy machine too
DEADLINE = 2.0
"""Seconds: the execution timeout of the impatient clients below, which answer other requests
besides the one that is stopped. Not less: on a loaded 2-core CI machine a first request, which
builds its plan and statements, took longer than 0.5 s; the deadline must stop the wait or the
sleep, never the build."""


def timeout_body(seconds: float) -> dict[str, Any]:
    return {
        "errors": [
            {
                "message": (
                    f"The operation took longer than {seconds:g} s and was stopped; nothing it "
                    "would have written was kept. Ask for less (smaller pages, fewer fields)."
                ),
                "extensions": {"code": "TIMEOUT", "timeoutSeconds": seconds},
            }
        ]
    }


async def sleeping_statements(url: str) -> int:
    """pg_sleep statements running in the database right now (0 on SQLite)."""
    if url.startswith("sqlite"):
        return 0
    db = Database(url)
    try:
        async with db.read() as conn:
            sql = (
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND query LIKE 'SELECT pg_sleep%'"
            )
            return int(await conn.scalar(text(sql)) or 0)
    finally:
        await db.dispose()


async def until_no_lock_waiter(conn: Any) -> int:
    """Poll on `conn` (at most GENEROUS seconds) until no other backend of the database waits
    for a lock; the count left."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + GENEROUS
    while (left := await conn.scalar(waiting)) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return int(left)


async def until_no_sleeping_statement(url: str) -> int:
    """Poll (at most GENEROUS seconds) until no pg_sleep runs; the count left."""
    deadline = time.monotonic() + GENEROUS
    while (left := await sleeping_statements(url)) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return left


def test_the_default_timeout_is_ten_seconds() -> None:
    assert load_settings(environ={}, config={}).execution_timeout == 10.0
    configured = load_settings(environ={"OGP_WG_EXECUTION_TIMEOUT": "2.5"}, config={})
    assert configured.execution_timeout == 2.5


async def test_a_slow_query_is_stopped_and_answered_timeout(
    empty_db: str, make_client: ClientFactory
) -> None:
    runtime_plugin.reset()
    # A statement timeout far beyond the test: only the execution timeout can stop pg_sleep.
    client = make_client(
        empty_db,
        installed=runtime_plugin.installed(),
        execution_timeout=DEADLINE,
        database_statement_timeout=120,
    )
    started = time.monotonic()
    response = await client.post("{ slowRead(seconds: 60) }")
    assert time.monotonic() - started < GENEROUS
    assert response.status_code == 504
    assert response.json() == timeout_body(DEADLINE)
    assert await until_no_sleeping_statement(empty_db) == 0  # cancelled in the server too
    # healthy right after: the pool gave its connection back
    assert await client.execute("{ slowRead(seconds: 0) }") == {"slowRead": 1}
    assert await client.execute("{ themes { key } }")


async def test_each_aliased_slow_field_is_stopped(
    empty_db: str, make_client: ClientFactory
) -> None:
    """Several concurrent slow fields (more than the request's share of connections: some are
    waiting for a connection, some hold one) are all stopped by the one deadline."""
    runtime_plugin.reset()
    client = make_client(
        empty_db,
        installed=runtime_plugin.installed(),
        execution_timeout=DEADLINE,
        database_statement_timeout=120,
        database_connections_per_request=2,
    )
    aliases = " ".join(f"a{i}: slowRead(seconds: 60)" for i in range(6))
    response = await client.post(f"{{ {aliases} }}")
    assert response.status_code == 504
    assert response.json() == timeout_body(DEADLINE)
    assert await until_no_sleeping_statement(empty_db) == 0
    assert await client.execute("{ a: slowRead(seconds: 0) b: slowRead(seconds: 0) }") == {
        "a": 1,
        "b": 1,
    }


async def test_a_compiled_read_waiting_for_a_lock_is_stopped(
    demo_db: str, make_client: ClientFactory
) -> None:
    """The compiled path's kept statement (the same request from the second time on: read on
    the driver's own connection, `Database.read_value`) waiting for a lock: answered TIMEOUT at
    the execution deadline, its statement cancelled in the server (PostgreSQL); and with a
    shorter statement timeout, cancelled by the server itself, SERVICE_UNAVAILABLE (a fault of
    the database, not of the request). The pool answers after either. On SQLite (WAL) a reader
    never waits for a writer: the read is answered while the write is open."""
    client = make_client(demo_db, execution_timeout=DEADLINE, database_statement_timeout=120)
    patient = make_client(demo_db, execution_timeout=10, database_statement_timeout=0.3)
    query = "{ workingGroups(first: 3) { totalCount nodes { slug } } }"
    first = await client.execute(query)
    assert await client.execute(query) == first  # built, then kept: from now on read raw
    assert await patient.execute(query) == first
    assert await patient.execute(query) == first
    once = make_client(demo_db, execution_timeout=10, database_statement_timeout=0.3)
    assert await once.execute(query) == first
    # a nullable root field that waits for the lock beside one that does not
    partial = '{ workingGroup(slug: "open-data") { slug } country(code: "KE") { name } }'
    for app, times in ((patient, 2), (once, 1)):
        for _ in range(times):
            assert (await app.execute(partial))["workingGroup"] == {"slug": "open-data"}
    holder = Database(demo_db)
    try:
        async with holder.write() as conn:  # a write holding the table until it ends
            if holder.is_sqlite:
                await conn.execute(text("UPDATE working_groups SET name = name"))
                assert await client.execute(query) == first
                return
            await conn.execute(text("LOCK TABLE working_groups IN ACCESS EXCLUSIVE MODE"))
            started = time.monotonic()
            response = await client.post(query)
            assert time.monotonic() - started < GENEROUS
            assert (response.status_code, response.json()) == (504, timeout_body(DEADLINE))
            # cancelled in the server while the lock is still held
            assert await until_no_lock_waiter(conn) == 0
            response = await patient.post(query)
            assert response.status_code == 503, response.text
            assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            # the kept answer's failure (core.compiled.kept) as the whole way reports it: the
            # second request of an app (its statement built before the lock), not kept yet
            fresh = await once.post(query)
            assert (fresh.status_code, fresh.text) == (503, response.text)
            kept, whole = await patient.post(partial), await once.post(partial)
            assert (kept.status_code, kept.text) == (whole.status_code, whole.text)
            body = kept.json()
            assert body["data"]["workingGroup"] is None and body["data"]["country"]["name"]
            assert body["errors"][0]["path"] == ["workingGroup"]
    finally:
        await holder.dispose()
    assert await client.execute(query) == first  # the pool gave its connection back
    assert await patient.execute(query) == first
    # kept before the lock (core.compiled.kept): the patient's failed reads above were kept
    # answers (the deadline's cancellation is not counted), and so are these two
    for app, answered in ((client, 1), (patient, 3)):
        kept = kept_operations(app.app.state.ogp)
        assert kept is not None and kept.answered == answered


async def test_a_mutation_past_the_deadline_writes_nothing(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    runtime_plugin.reset()
    app = make_client(
        demo_db,
        installed=runtime_plugin.installed(),
        execution_timeout=DEADLINE,
        database_statement_timeout=120,
    )
    client: GraphQLClient = app.with_token(role_tokens["staff"])
    response = await client.post(
        'mutation { slowCountryRecord(code: "ZZT", seconds: 60) { code } }'
    )
    assert response.status_code == 504
    assert response.json() == timeout_body(DEADLINE)
    assert await until_no_sleeping_statement(demo_db) == 0
    found = await client.execute('{ country(code: "ZZT") { name } }')
    assert found == {"country": None}  # the insert was rolled back
    # the same write, given the time, is kept: the rollback above was the timeout's doing
    done = await client.execute('mutation { slowCountryRecord(code: "ZZT", seconds: 0) { code } }')
    assert done == {"slowCountryRecord": {"code": "ZZT"}}
    assert await client.execute('{ country(code: "ZZT") { name } }') == {
        "country": {"name": "Slow ZZT"}
    }


async def test_a_registration_waiting_for_its_meeting_is_stopped(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """registrationCreate's transaction runs on the driver's own connection (core.driver).
    Waiting for its meeting's row lock (PostgreSQL): past the execution deadline it is answered
    TIMEOUT and its statement cancelled in the server; with a shorter statement timeout, the
    server cancels it: SERVICE_UNAVAILABLE. On SQLite, whose write lock is the whole database's,
    a registration that waits for another writer past the busy timeout is SERVICE_UNAVAILABLE.
    Either way nothing is written, and once the lock is free the same registration succeeds on
    the same pools."""
    token = role_tokens["staff"]
    client = make_client(demo_db, execution_timeout=DEADLINE, database_statement_timeout=120)
    patient = make_client(demo_db, execution_timeout=10, database_statement_timeout=0.3)
    staff, patient_staff = client.with_token(token), patient.with_token(token)
    (person,), group = await _people_and_group(staff, 1)
    meeting = await _meeting(staff, group, capacity=5)
    variables = {"m": meeting, "p": person}
    holder = Database(demo_db)
    try:
        async with holder.write() as conn:  # SQLite: BEGIN IMMEDIATE, the write lock
            if not holder.is_sqlite:
                lock = "SELECT id FROM meetings WHERE id = :pk FOR UPDATE"
                await conn.execute(text(lock), {"pk": pk_of(meeting, "Meeting")})
                started = time.monotonic()
                response = await staff.post(REGISTER, variables)
                assert time.monotonic() - started < GENEROUS
                assert (response.status_code, response.json()) == (504, timeout_body(DEADLINE))
                # cancelled in the server while the lock is still held
                assert await until_no_lock_waiter(conn) == 0
            response = await patient_staff.post(REGISTER, variables)
            assert response.status_code == 503, response.text
            assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    finally:
        await holder.dispose()
    assert (await _lists(staff, meeting))["all"] == []  # nothing written
    for app in (staff, patient_staff):
        done = await _register(app, meeting, person)
        assert done["userErrors"] == [] and done["registration"]["status"] == "REGISTERED"
        cancelled = await _cancel(app, done["registration"]["id"])
        assert cancelled["userErrors"] == [] and cancelled["registration"]["status"] == "CANCELLED"


# --- a request's share of the connection pool ---------------------------------------------------


async def until(condition: Any) -> None:
    """Wait (at most GENEROUS seconds) until `condition()` holds."""
    deadline = time.monotonic() + GENEROUS
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        await asyncio.sleep(0.01)


async def test_a_heavy_request_cannot_take_the_pool_from_others(
    empty_db: str, make_client: ClientFactory
) -> None:
    """15 aliases each holding a connection (PostgreSQL pool: 2 + 1 overflow; SQLite's: 5 + 10)
    used to take every connection; with one connection per request, a light request from
    another client is answered while the heavy one still waits for its own."""
    runtime_plugin.reset()
    client = make_client(
        empty_db,
        installed=runtime_plugin.installed(),
        database_pool_size=2,
        database_connections_per_request=1,
        database_pool_timeout=60,  # waiting for the pool must not look like an answer
    )
    aliases = " ".join(f'a{i}: heldConnection(key: "heavy")' for i in range(15))
    heavy = asyncio.create_task(client.post(f"{{ {aliases} }}"))
    await until(lambda: runtime_plugin.HOLDING[0] >= 1)  # the heavy request holds its share

    light = client.execute("{ countries(first: 5) { name } slowRead(seconds: 0) }")
    assert await asyncio.wait_for(light, GENEROUS) == {"countries": [], "slowRead": 1}
    assert not heavy.done()  # answered while the heavy request still ran
    assert runtime_plugin.MOST_HELD[0] == 1  # never more than its share at once

    runtime_plugin.release("heavy")
    response = await asyncio.wait_for(heavy, GENEROUS)
    assert response.status_code == 200
    assert response.json()["data"] == {f"a{i}": 1 for i in range(15)}
    assert runtime_plugin.MOST_HELD[0] == 1


async def test_a_request_uses_up_to_its_share_at_once(
    empty_db: str, make_client: ClientFactory
) -> None:
    """The share bounds a request; it does not serialise it: 3 of 3 connections at once."""
    runtime_plugin.reset()
    client = make_client(
        empty_db, installed=runtime_plugin.installed(), database_connections_per_request=3
    )
    aliases = " ".join(f'a{i}: heldConnection(key: "wide")' for i in range(5))
    request = asyncio.create_task(client.post(f"{{ {aliases} }}"))
    await until(lambda: runtime_plugin.HOLDING[0] == 3)
    await asyncio.sleep(0.2)  # a fourth would have taken its connection by now
    assert runtime_plugin.MOST_HELD[0] == 3
    runtime_plugin.release("wide")
    response = await asyncio.wait_for(request, GENEROUS)
    assert response.json()["data"] == {f"a{i}": 1 for i in range(5)}
    assert runtime_plugin.MOST_HELD[0] == 3


def test_the_default_share_is_four_connections() -> None:
    assert load_settings(environ={}, config={}).database_connections_per_request == 4
