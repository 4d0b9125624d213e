"""Database faults (issue 8, point 6): down, hung, locked, unusable; and a client that leaves.

- Down (a PostgreSQL cluster of this session's own, stopped): /readyz is 503 at once and names
  nothing of the database; GraphQL requests fail in under 2 s with SERVICE_UNAVAILABLE (503, no
  data); when the cluster is started again the same server process answers again.
- Hung (the cluster's processes SIGSTOPped): statement, pool and connect timeouts answer every
  request SERVICE_UNAVAILABLE within the execution timeout, and the server recovers.
- Locked (both backends: a lock held by another connection): a request waiting for it is
  answered SERVICE_UNAVAILABLE when the statement timeout (SQLite: the busy timeout) runs out,
  nothing is written; and a write whose client disconnects while it waits is rolled back, never
  committed once the lock is released.
- Unusable SQLite files: /readyz 503 without internals; queries SERVICE_UNAVAILABLE, not 500.

The own-cluster tests take about half a minute (initdb once per session); they are marked
`slow`. They need PostgreSQL's server binaries (see tests/pg_cluster.py).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, text

from core.auth.tokens import issue_token
from core.db import Database, utcnow
from core.migrate import upgrade
from core.models.trust import StaffRole
from core.people.models import Person
from core.plugins import make_plugin_manager
from core.testing import ClientFactory, settings_for
from tests.live_server import Server, free_port, live_server
from tests.pg_cluster import Cluster

UNAVAILABLE = "SERVICE_UNAVAILABLE"
READYZ_DOWN = {"status": "unavailable", "database": "unavailable"}
GROUPS = "{ workingGroups(first: 5) { totalCount } }"
CREATE = """mutation ($slug: String!) {
  workingGroupCreate(input: {slug: $slug, name: "Fault test", theme: "open_data"}) {
    workingGroup { slug }
    userErrors { code }
  }
}"""


def assert_names_no_internals(text_: str, url: str) -> None:
    """Nothing of the database in an answer: no driver, no SQL, no role, host, port or path."""
    lowered = text_.lower()
    for word in ("sqlalchemy", "asyncpg", "sqlite", "postgres", "select ", "traceback", "error("):
        assert word not in lowered, (word, text_)
    for part in (url.rsplit("/", 1)[-1], url.split("@")[-1].split("/")[0]):
        assert part not in text_, (part, text_)


def assert_unavailable(response: httpx.Response, url: str) -> None:
    """A request the database could not serve: 503, Retry-After, SERVICE_UNAVAILABLE, no data."""
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    body = response.json()
    assert "data" not in body, body
    assert body["errors"], body
    assert {error["extensions"]["code"] for error in body["errors"]} == {UNAVAILABLE}, body
    assert_names_no_internals(response.text, url)


async def staff_token(url: str) -> str:
    """A read + write token of a new staff member (any mutation is allowed to staff)."""
    db = Database(url)
    try:
        async with db.write() as conn:
            person = await conn.scalar(
                insert(Person).values(name="Fault tester").returning(Person.id)
            )
            assert person is not None
            await conn.execute(insert(StaffRole).values(person_id=person, granted_by="test"))
            issued = await issue_token(
                conn, person, expires_at=utcnow() + timedelta(days=1), name="faults"
            )
    finally:
        await db.dispose()
    return issued.token


async def groups_with_slug(url: str, slug: str) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            sql = text("SELECT count(*) FROM working_groups WHERE slug = :slug")
            return int(await conn.scalar(sql, {"slug": slug}) or 0)
    finally:
        await db.dispose()


@asynccontextmanager
async def write_lock(url: str, *, block_reads: bool = False) -> AsyncIterator[None]:
    """Another connection holding the lock a group's creation needs, until the block ends:
    SQLite's write lock (BEGIN IMMEDIATE), or on PostgreSQL a lock on `working_groups` (SHARE
    blocks writes; ACCESS EXCLUSIVE, with `block_reads`, reads too)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split(":///", 1)[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    db = Database(url)
    try:
        async with db.engine.connect() as conn, conn.begin():
            mode = "ACCESS EXCLUSIVE" if block_reads else "SHARE"
            await conn.execute(text(f"LOCK TABLE working_groups IN {mode} MODE"))
            yield
    finally:
        await db.dispose()


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, **kw: Any
) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.post("/graphql", json={"query": query, "variables": variables}, **kw)
    return response, time.monotonic() - started


# --- both backends: locks and a client that leaves ------------------------------------------


async def test_a_request_waiting_for_a_lock_is_answered_at_the_statement_timeout(
    empty_db: str, make_client: ClientFactory
) -> None:
    token = await staff_token(empty_db)
    client = make_client(empty_db, database_statement_timeout=1).with_token(token).http
    async with write_lock(empty_db):
        response, took = await post(client, CREATE, {"slug": "locked-out"})
    assert_unavailable(response, empty_db)
    assert took < 10, took  # within the execution timeout (default 10 s)
    assert await groups_with_slug(empty_db, "locked-out") == 0

    if not empty_db.startswith("sqlite"):  # SQLite's readers never wait for a writer (WAL)
        async with write_lock(empty_db, block_reads=True):
            response, took = await post(client, GROUPS)
        assert_unavailable(response, empty_db)
        assert took < 10, took

    # The lock gone, the same server writes (the connection that timed out was not reused).
    response, _ = await post(client, CREATE, {"slug": "locked-out"})
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["workingGroupCreate"]
    assert payload == {"workingGroup": {"slug": "locked-out"}, "userErrors": []}
    assert await groups_with_slug(empty_db, "locked-out") == 1


async def send_and_leave(port: int, body: bytes, token: str, stay: float) -> None:
    """POST /graphql over a raw socket, then close it after `stay` seconds without reading."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    await asyncio.sleep(stay)
    assert not reader.at_eof()  # still waiting for its answer when the client leaves
    writer.close()
    await writer.wait_closed()


@pytest.mark.slow
async def test_a_write_whose_client_is_gone_is_rolled_back(empty_db: str) -> None:
    token = await staff_token(empty_db)
    env = {"OGP_WG_DATABASE_STATEMENT_TIMEOUT": "30"}  # the lock is what stops the write
    body = httpx.Request(
        "POST", "http://x", json={"query": CREATE, "variables": {"slug": "left"}}
    ).content
    with live_server(empty_db, env) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            # The token's first use records it (a write): done now, not under the lock, so the
            # request below waits for the lock in its mutation, after its body has been read.
            auth = {"authorization": f"Bearer {token}"}
            assert (await post(client, GROUPS, headers=auth))[0].status_code == 200
        async with write_lock(empty_db):
            await send_and_leave(server.port, body, token, stay=1.5)
            await asyncio.sleep(1.0)  # the server notices and cancels the request
        await asyncio.sleep(3.0)  # time enough for a write that went on to commit
        assert await groups_with_slug(empty_db, "left") == 0, server.log()

        # The same request from a client that waits is written: the test could see a write.
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            response, _ = await post(
                client,
                CREATE,
                {"slug": "left"},
                headers={"authorization": f"Bearer {token}"},
            )
        assert response.json()["data"]["workingGroupCreate"]["userErrors"] == [], response.text
        assert await groups_with_slug(empty_db, "left") == 1


# --- SQLite files that cannot be used -------------------------------------------------------


def unusable_sqlite(tmp_path: Path, kind: str) -> str:
    path = tmp_path / "gone" / "db.sqlite3"
    path.parent.mkdir()
    if kind == "a directory":
        path.mkdir()
    elif kind == "not a database":
        path.write_bytes(b"this is not an SQLite database file, it only has its name" * 100)
    return f"sqlite+aiosqlite:///{path}"


@pytest.mark.parametrize("kind", ["a directory", "not a database", "its folder removed"])
async def test_an_unusable_sqlite_file_is_unavailable_not_internal(
    tmp_path: Path, make_client: ClientFactory, kind: str
) -> None:
    url = unusable_sqlite(tmp_path, kind)
    client = make_client(url).http
    if kind == "its folder removed":  # e.g. a volume unmounted under a running server
        os.rmdir(tmp_path / "gone")
    started = time.monotonic()
    ready = await client.get("/readyz")
    assert ready.status_code == 503, ready.text
    assert ready.json() == READYZ_DOWN
    assert time.monotonic() - started < 2
    assert_names_no_internals(ready.text, url)
    response, took = await post(client, GROUPS)
    assert_unavailable(response, url)
    assert took < 2, took


async def test_an_unreachable_postgresql_is_unavailable_at_once(
    make_client: ClientFactory,
) -> None:
    """Nothing listens on the port: the connection is refused, the answer is immediate."""
    url = f"postgresql+asyncpg://ogp_role@127.0.0.1:{free_port()}/ogp_secret_db"
    client = make_client(url).http
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (503, READYZ_DOWN)
    assert_names_no_internals(ready.text, url)
    for accept in ("application/json", "application/graphql-response+json"):
        response, took = await post(client, GROUPS, headers={"accept": accept})
        assert_unavailable(response, url)
        assert response.headers["content-type"].startswith(accept)
        assert took < 2, took
    # Looking a bearer token up (before GraphQL runs) fails the same way, not with a 500.
    response, took = await post(client, GROUPS, headers={"authorization": "Bearer ogpwg_x" * 3})
    assert_unavailable(response, url)


# --- a PostgreSQL cluster of our own: stopped, hung, started -------------------------------


@pytest.fixture(scope="session")
def own_cluster() -> Iterator[Cluster]:
    cluster = Cluster.create()
    if cluster is None:
        if os.environ.get("OGP_WG_TEST_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL's server binaries (initdb, pg_ctl) are needed")
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    try:

        async def migrate() -> None:
            db = Database(cluster.url)
            try:
                await upgrade(db, make_plugin_manager(settings_for(cluster.url)))
            finally:
                await db.dispose()

        asyncio.run(migrate())
        yield cluster
    finally:
        cluster.destroy()


HUNG_ENV = {
    "OGP_WG_DATABASE_STATEMENT_TIMEOUT": "1",
    "OGP_WG_DATABASE_POOL_TIMEOUT": "1",
    "OGP_WG_DATABASE_CONNECT_TIMEOUT": "1",
    "OGP_WG_DATABASE_POOL_SIZE": "2",  # + 1 overflow: most concurrent requests wait for the pool
}


@pytest.fixture(scope="module")
def cluster_server(own_cluster: Cluster) -> Iterator[Server]:
    """One server on the own cluster for the tests below (one start-up, not one per test)."""
    with live_server(own_cluster.url, HUNG_ENV) as server:
        yield server


@pytest.fixture
def cluster(own_cluster: Cluster) -> Iterator[Cluster]:
    """The own cluster, up and answering at the start and at the end of each test."""
    own_cluster.resume()
    if not own_cluster.running():
        own_cluster.start()
    yield own_cluster
    own_cluster.resume()
    if not own_cluster.running():
        own_cluster.start()


async def until_served(client: httpx.AsyncClient, within: float = 20) -> int:
    """Ask until the query is answered with data; return how many tries it took."""
    deadline = time.monotonic() + within
    tries = 0
    while True:
        tries += 1
        response, _ = await post(client, GROUPS)
        if response.status_code == 200 and "errors" not in response.json():
            return tries
        assert time.monotonic() < deadline, response.text
        await asyncio.sleep(0.2)


async def until_ready(client: httpx.AsyncClient, within: float = 20) -> None:
    deadline = time.monotonic() + within
    while (ready := await client.get("/readyz")).status_code != 200:
        assert time.monotonic() < deadline, ready.text
        await asyncio.sleep(0.2)


@pytest.mark.slow
async def test_database_down_fails_fast_and_recovers_without_restart(
    cluster: Cluster, cluster_server: Server
) -> None:
    token = await staff_token(cluster.url)
    server = cluster_server
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        await until_served(client)  # the pool holds live connections now
        cluster.stop()
        for _ in range(3):  # a pooled connection found dead, then refused connections
            started = time.monotonic()
            ready = await client.get("/readyz")
            assert (ready.status_code, ready.json()) == (503, READYZ_DOWN), ready.text
            assert time.monotonic() - started < 2
            response, took = await post(client, GROUPS)
            assert_unavailable(response, cluster.url)
            assert took < 2, took
            response, took = await post(
                client,
                CREATE,
                {"slug": "while-down"},
                headers={"authorization": f"Bearer {token}"},
            )
            assert_unavailable(response, cluster.url)
            assert took < 2, took

        cluster.start()
        await until_served(client)
        await until_ready(client)
        assert server.process.poll() is None  # the same process: no restart
    assert "database unavailable" in server.log()  # the cause is in the log


@pytest.mark.slow
async def test_database_hung_is_answered_within_the_timeouts(
    cluster: Cluster, cluster_server: Server
) -> None:
    execution_timeout = 10  # the default
    server = cluster_server
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        await until_served(client)
        cluster.hang()
        try:
            started = time.monotonic()
            ready = await client.get("/readyz")
            assert (ready.status_code, ready.json()) == (503, READYZ_DOWN), ready.text
            assert time.monotonic() - started < 3

            answers = await asyncio.gather(*(post(client, GROUPS) for _ in range(8)))
            for response, took in answers:
                assert_unavailable(response, cluster.url)
                assert took < execution_timeout, took
        finally:
            cluster.resume()
        await until_served(client)
        await until_ready(client)
        assert server.process.poll() is None
