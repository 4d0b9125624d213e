"""The service's lifecycle loses nothing (issue 8, point 6), with a real `ogp-wg serve`.

- SIGTERM: a request in flight finishes and is answered, new connections are refused at once,
  and the process exits with status 0. The request is held in flight without any timing: it
  sends its headers with `Expect: 100-continue`, and the server's `100 Continue` says the app is
  reading its body; the body is sent only after SIGTERM. On PostgreSQL a second case holds a
  request inside its database transaction (the test locks the meeting row; the request is seen
  waiting for that lock in pg_locks), then lets it go after SIGTERM: it commits. An open
  subscription (graphql-transport-ws, `groupActivity`) is closed cleanly: its socket gets a
  close frame with 1012 (service restart) or 1001 (going away) within CLOSED_WITHIN seconds,
  and the process still exits with status 0.
- Disabling a plugin, enabling it again, restarting, upgrading the migrations: every table of
  the demo data, plus a row in each table the demo leaves empty (`tests.every_table`), is
  compared row by row before and after.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import select, text

from core.db import Database
from core.models import Meeting
from core.schema.ids import pk_of
from core.testing import at_revision
from tests.every_table import empty_tables, fill_every_table
from tests.server_process import (
    OGP_WG,
    Caller,
    LiveServer,
    people_with_tokens,
    running_server,
    server_env,
    start_server,
)
from tests.snapshots import differences, lost, on_columns, table_columns, table_rows
from tests.test_subscriptions import GROUP_ACTIVITY, demo_ids, gauge
from tests.test_subscriptions import socket as subscriptions_socket

REFUSED_WITHIN = 30.0  # seconds to wait for the listening socket to close after SIGTERM
CLOSED_WITHIN = 5.0  # seconds for an open subscription's socket to be closed after SIGTERM
REGISTER = """mutation($m: ID!, $p: ID!) { registrationCreate(input: {meetingId: $m, personId: $p}) {
  registration { id status } userErrors { code } } }"""

pytestmark = pytest.mark.slow  # real server processes, started and stopped


def _refused(server: LiveServer) -> bool:
    """True once a new connection is refused (polled: the socket closes just after SIGTERM)."""
    deadline = time.monotonic() + REFUSED_WITHIN
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{server.base_url}/healthz", timeout=2)
        except httpx.ConnectError:
            return True
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    return False


def _http_response(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed mid-body"
        body += chunk
    return status, body


async def _meeting(url: str, server: LiveServer, staff: Caller) -> str:
    start = datetime.now(UTC) + timedelta(days=12)
    values = {
        "title": "Shutdown clinic",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "UTC",
        "onlineUrl": "https://meet.example.org/shutdown",
        "capacity": 10,
    }
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=staff.headers, timeout=60
    ) as http:
        group = (
            await http.post(
                "/graphql", json={"query": '{ workingGroup(slug: "open-data") { id } }'}
            )
        ).json()
        values["groupId"] = group["data"]["workingGroup"]["id"]
        schedule = (
            "mutation($i: MeetingScheduleInput!) { meetingSchedule(input: $i) { meeting { id } } }"
        )
        done = (
            await http.post("/graphql", json={"query": schedule, "variables": {"i": values}})
        ).json()
    return str(done["data"]["meetingSchedule"]["meeting"]["id"])


async def _registered(url: str, meeting: str) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            stmt = select(Meeting.registered_count).where(Meeting.id == pk_of(meeting, "Meeting"))
            return int(await conn.scalar(stmt) or 0)
    finally:
        await db.dispose()


def test_sigterm_finishes_the_request_in_flight(demo_db: str, tmp_path: Path) -> None:
    staff = asyncio.run(people_with_tokens(demo_db, 1, staff=True, label="sigterm staff"))[0]
    person = asyncio.run(people_with_tokens(demo_db, 1, label="sigterm registrant"))[0]
    server = start_server(demo_db, tmp_path)
    try:
        meeting = asyncio.run(_meeting(demo_db, server, staff))
        body = orjson.dumps({"query": REGISTER, "variables": {"m": meeting, "p": person.id}})
        port = int(server.base_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(
                b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + f"Authorization: Bearer {person.token}\r\n".encode()
                + f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode()
            )
            interim = sock.recv(1024)
            assert interim.startswith(b"HTTP/1.1 100 "), interim  # the app is reading the body

            server.process.send_signal(15)  # SIGTERM
            assert _refused(server), "new connections were still accepted after SIGTERM"
            assert asyncio.run(_registered(demo_db, meeting)) == 0

            sock.sendall(body)
            status, answer = _http_response(sock)
        assert status == 200, answer
        payload = orjson.loads(answer)["data"]["registrationCreate"]
        assert payload["userErrors"] == [] and payload["registration"]["status"] == "REGISTERED"
        assert server.process.wait(60) == 0, server.output()
        assert asyncio.run(_registered(demo_db, meeting)) == 1
    finally:
        if server.process.poll() is None:
            server.terminate()
    assert "Traceback" not in server.output(), server.output()


def test_sigterm_lets_a_transaction_in_flight_commit(demo_db: str, tmp_path: Path) -> None:
    """PostgreSQL: the request waits inside its transaction for a row lock the test holds."""
    if demo_db.startswith("sqlite"):
        pytest.skip("PostgreSQL only: SQLite has no row locks; the case above covers both")
    staff = asyncio.run(people_with_tokens(demo_db, 1, staff=True, label="lock staff"))[0]
    person = asyncio.run(people_with_tokens(demo_db, 1, label="lock registrant"))[0]

    async def scenario(server: LiveServer) -> None:
        meeting = await _meeting(demo_db, server, staff)
        db = Database(demo_db)
        try:
            async with db.engine.connect() as lock:
                transaction = await lock.begin()
                pk = pk_of(meeting, "Meeting")
                await lock.execute(
                    text("SELECT id FROM meetings WHERE id = :id FOR UPDATE"), {"id": pk}
                )
                async with httpx.AsyncClient(base_url=server.base_url, timeout=120) as http:
                    request = asyncio.create_task(
                        http.post(
                            "/graphql",
                            json={"query": REGISTER, "variables": {"m": meeting, "p": person.id}},
                            headers=person.headers,
                        )
                    )
                    async with db.read() as watch:  # until the request waits for our lock
                        waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')"
                        while not (await watch.execute(text(waiting))).scalar():
                            assert not request.done(), request.result().text
                            await asyncio.sleep(0.05)
                    server.process.send_signal(15)  # SIGTERM
                    assert await asyncio.to_thread(_refused, server)
                    await transaction.commit()  # let it go
                    response = await request
            assert response.status_code == 200, response.text
            payload = response.json()["data"]["registrationCreate"]
            assert payload["registration"]["status"] == "REGISTERED"
            assert await _registered(demo_db, meeting) == 1
        finally:
            await db.dispose()

    with running_server(
        demo_db, tmp_path, database_statement_timeout="60", execution_timeout="120"
    ) as server:
        asyncio.run(scenario(server))
        assert server.process.wait(60) == 0, server.output()


def test_sigterm_closes_subscriptions(demo_db: str, tmp_path: Path) -> None:
    """An open subscription's socket is closed with a close code, at once; exit status 0."""
    group, _ = asyncio.run(demo_ids(demo_db))

    async def scenario(server: LiveServer) -> tuple[int, float]:
        async with subscriptions_socket(server) as ws:
            assert (await ws.init())["type"] == "connection_ack"
            await ws.subscribe(GROUP_ACTIVITY, {"id": group})
            assert await gauge(server, 1), "the subscription never started"
            server.process.send_signal(15)  # SIGTERM
            started = time.monotonic()
            code = await ws.closed_with()
            return code, time.monotonic() - started

    server = start_server(demo_db, tmp_path)
    try:
        code, took = asyncio.run(scenario(server))
        assert code in (1001, 1012), code
        assert took < CLOSED_WITHIN, f"closed after {took:.1f} s"
        assert server.process.wait(60) == 0, server.output()
    finally:
        if server.process.poll() is None:
            server.terminate()
    assert "Traceback" not in server.output(), server.output()


# --- no row lost ----------------------------------------------------------------------------------

GROUPS = "{ workingGroups(first: 50) { nodes { slug theme } } }"


def _themes(server: LiveServer) -> set[str]:
    body = httpx.post(server.graphql, json={"query": GROUPS}, timeout=60).json()
    assert "errors" not in body, body
    return {node["theme"] for node in body["data"]["workingGroups"]["nodes"]}


def _serve_and_stop(url: str, workdir: Path, **settings: str) -> set[str]:
    with running_server(url, workdir, **settings) as server:
        themes = _themes(server)
        assert server.terminate() == 0, server.output()
    return themes


def test_no_row_lost_across_plugins_restarts_and_upgrades(demo_db: str, tmp_path: Path) -> None:
    asyncio.run(fill_every_table(demo_db, tmp_path))
    before = asyncio.run(table_rows(demo_db))
    assert empty_tables(before) == []  # a row in every table, so each one is compared

    everything = _serve_and_stop(demo_db, tmp_path)
    assert "open_data" in everything
    assert differences(before, asyncio.run(table_rows(demo_db))) == []

    # Disabled: its part of the API is gone, its rows are not.
    without = _serve_and_stop(demo_db, tmp_path, plugins_disabled="open_data")
    assert without == everything - {"open_data"}
    assert differences(before, asyncio.run(table_rows(demo_db))) == []

    # Enabled again (and so restarted twice): everything is back.
    assert _serve_and_stop(demo_db, tmp_path) == everything
    assert differences(before, asyncio.run(table_rows(demo_db))) == []

    # `db upgrade` at head changes nothing.
    upgrade = subprocess.run(
        [OGP_WG, "db", "upgrade"],
        env=server_env(demo_db),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    after = asyncio.run(table_rows(demo_db))
    assert lost(before, after) == []
    # what it may add is its own bookkeeping: which plugin owns which revision and table
    assert differences(before, after, skip={"plugin_registry"}) == []


async def test_an_upgrade_keeps_every_row(demo_db: str, tmp_path: Path) -> None:
    """From the core's previous revision (core_0004: before the trust tables) to head: every row
    that existed before the upgrade is there after it."""
    await fill_every_table(demo_db, tmp_path)  # at head: through today's API
    async with at_revision(demo_db, "core_0004"):
        older = await table_rows(demo_db)
        older_columns = await table_columns(demo_db)
        assert "idempotency_keys" not in older  # really at the previous revision
        # every table of that revision has rows (the newer tables went with the downgrade)
        assert empty_tables(older) == []
        done = subprocess.run(
            [OGP_WG, "db", "upgrade"],
            env=server_env(demo_db),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        # columns added since (issue 9: anchors' source, meetings' registration window...) are
        # left out: every row is still there with the values it had
        newer = on_columns(await table_rows(demo_db), await table_columns(demo_db), older_columns)
        older.pop("alembic_version")  # the revision it is at: that is what changes
        assert lost(older, newer) == []
        # besides the new tables, only the upgrade's bookkeeping (plugin_registry) grows
        skip = {"plugin_registry", "alembic_version", *(set(newer) - set(older))}
        assert differences(older, newer, skip=skip) == []
        assert {"api_tokens", "staff_roles", "audit_log", "idempotency_keys"} <= set(newer)
