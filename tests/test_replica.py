"""The read replica (setting `database_replica_url`, core.replica), against a real one.

The replica is a streaming standby of the suite's PostgreSQL server (tests.pg_replica:
`pg_basebackup -R`, its own port, started once per session, stopped and removed at the end).
Through HTTP GraphQL requests: a query reads only from the replica and a mutation (its payload
included) only from the primary, counted per engine; with the replica's replay paused, a query
still answers from before the mutation (it is served by the replica) while the mutation's
payload shows the change (read on the primary), and once replayed the query sees it. /readyz
reports the lag without failing, and fails (503) when the replica does not answer.

A SQLite primary with a replica is refused at start-up (these run on every backend).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from core.app import create_app
from core.config import ConfigError, load_settings
from core.testing import PG_URL, ClientFactory, GraphQLClient, token_for
from tests.pg_replica import Replica

OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
REPLICA = "postgresql+asyncpg://postgres@127.0.0.1:5433/ogp"
GROUPS = "query GroupNames { workingGroups(first: 100) { nodes { id name } } }"
RENAME = """
mutation Rename($id: ID!, $name: String!) {
  workingGroupUpdate(input: {id: $id, name: $name}) {
    workingGroup { id name }
    userErrors { code message }
  }
}
"""

# --- configuration: every backend ---


@pytest.mark.parametrize(
    ("primary", "replica"),
    [("sqlite+aiosqlite:///var/x.sqlite3", REPLICA),
     ("postgresql+asyncpg://postgres@127.0.0.1:5432/ogp", "sqlite+aiosqlite:///var/r.sqlite3")],
)  # fmt: skip
def test_sqlite_with_a_replica_is_refused(tmp_path: Path, primary: str, replica: str) -> None:
    """At start-up (`ogp-wg serve`, before any database is touched or port bound) in one line
    naming the setting, and by `load_settings` (what create_app is given) as ConfigError."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    environ |= {"OGP_WG_DATABASE_URL": primary, "OGP_WG_DATABASE_REPLICA_URL": replica}
    done = subprocess.run(
        [OGP_WG, "serve"], env=environ, cwd=tmp_path, capture_output=True, text=True,
        timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ogp-wg: error: "), done.stderr
    assert "database_replica_url" in lines[0] and "SQLite has no replicas" in lines[0]
    assert "OGP_WG_DATABASE_REPLICA_URL" in lines[0]  # where the value came from
    with pytest.raises(ConfigError, match="SQLite has no replicas"):
        load_settings(environ={}, config={"database_url": primary}, database_replica_url=replica)


def test_replica_url_from_the_environment(tmp_path: Path) -> None:
    primary = "postgresql+asyncpg://postgres@127.0.0.1:5432/ogp"
    environ = {"OGP_WG_DATABASE_URL": primary, "OGP_WG_DATABASE_REPLICA_URL": REPLICA}
    assert load_settings(environ=environ, config={}).database_replica_url == REPLICA
    environ["OGP_WG_DATABASE_REPLICA_URL"] = ""  # set but empty: no replica
    assert load_settings(environ=environ, config={}).database_replica_url is None
    assert load_settings(environ={}, config={}).database_replica_url is None


# --- a real replica: PostgreSQL only ---

pg_only = pytest.mark.skipif(
    not PG_URL, reason="a replica needs PostgreSQL (OGP_WG_TEST_DATABASE_URL)"
)


@pytest.fixture(scope="session")
def replica() -> Iterator[Replica]:
    assert PG_URL is not None
    made = Replica.create_from(PG_URL)
    if made is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_basebackup) on this machine")
    try:
        yield made
    finally:
        made.destroy()


class Statements:
    """SQL statements each engine of an app sent, counted by SQLAlchemy's own event."""

    def __init__(self, app: Any) -> None:
        db = app.state.ogp.db
        self.engines = {"primary": db.engine.sync_engine, "replica": db.replica_engine.sync_engine}

    @contextmanager
    def counting(self) -> Iterator[dict[str, int]]:
        counts = {name: 0 for name in self.engines}
        listeners = {}
        for name, engine in self.engines.items():

            def count(*_: Any, name: str = name) -> None:
                counts[name] += 1

            listeners[name] = count
            event.listen(engine, "before_cursor_execute", count)
        try:
            yield counts
        finally:
            for name, engine in self.engines.items():
                event.remove(engine, "before_cursor_execute", listeners[name])


def replica_client(
    factory: ClientFactory, url: str, replica: Replica, **settings: Any
) -> GraphQLClient:
    return factory(url, database_replica_url=replica.url_of(url), **settings)


async def names(client: GraphQLClient) -> dict[str, str]:
    data = await client.execute(GROUPS)
    return {node["id"]: node["name"] for node in data["workingGroups"]["nodes"]}


@pg_only
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_queries_read_the_replica_and_mutations_the_primary(
    demo_db: str, make_client: ClientFactory, replica: Replica
) -> None:
    client = replica_client(make_client, demo_db, replica, compiled_reads=False)
    staff = client.with_token(await token_for(demo_db, "staff"))
    compiled = replica_client(make_client, demo_db, replica, compiled_reads=True)
    await replica.caught_up(demo_db)
    statements = Statements(client.app)
    with statements.counting() as counts:
        before = await names(client)
    assert before and counts["replica"] > 0 and counts["primary"] == 0, counts

    group, old = next(iter(before.items()))
    await replica.pause_replay()  # the replica keeps answering, but replays nothing more
    try:
        with statements.counting() as counts:
            data = await staff.execute(RENAME, {"id": group, "name": "Renamed on the primary"})
        payload = data["workingGroupUpdate"]
        assert payload["userErrors"] == [], payload
        # the payload is read on the primary, after the write: it shows the new name
        assert payload["workingGroup"] == {"id": group, "name": "Renamed on the primary"}
        assert counts["primary"] > 0 and counts["replica"] == 0, counts

        with statements.counting() as counts:  # the token's lookup reads the primary
            lagging = await names(staff)
        assert lagging[group] == old, "a paused replica cannot know the new name"
        assert counts["replica"] > 0, counts
        with Statements(compiled.app).counting() as counts:  # the compiled read path too
            assert (await names(compiled))[group] == old
        assert counts["replica"] > 0 and counts["primary"] == 0, counts
        # the same request again runs its kept statement on the driver's own connection (no
        # SQLAlchemy event counts it): still the answer only the lagging replica can give
        assert (await names(compiled))[group] == old

        ready = await client.http.get("/readyz")
        assert ready.status_code == 200, ready.text  # lagging is no reason to fail
        state = ready.json()["replica"]
        assert state["status"] == "reachable" and state["standby"] is True, state
        assert state["lagBytes"] > 0 and state["lagSeconds"] is not None, state
    finally:
        await replica.resume_replay()
    await replica.caught_up(demo_db)
    assert (await names(client))[group] == "Renamed on the primary"
    state = (await client.http.get("/readyz")).json()["replica"]
    assert state["status"] == "reachable" and state["lagBytes"] is not None, state


@pg_only
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_replica_that_does_not_answer(
    demo_db: str, make_client: ClientFactory, replica: Replica
) -> None:
    """/readyz 503 naming the replica; queries SERVICE_UNAVAILABLE; mutations still served."""
    client = replica_client(make_client, demo_db, replica, compiled_reads=False)
    staff = client.with_token(await token_for(demo_db, "staff"))
    await replica.caught_up(demo_db)
    group = next(iter(await names(client)))
    await asyncio.to_thread(replica.stop)
    try:
        ready = await client.http.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json() == {"status": "unavailable", "replica": "unavailable"}
        response = await client.post(GROUPS)
        assert response.status_code == 503, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        data = await staff.execute(RENAME, {"id": group, "name": "Renamed without a replica"})
        assert data["workingGroupUpdate"]["workingGroup"]["name"] == "Renamed without a replica"
    finally:
        await asyncio.to_thread(replica.start)
    await replica.caught_up(demo_db)
    assert (await names(client))[group] == "Renamed without a replica"
    assert (await client.http.get("/readyz")).status_code == 200


def test_no_replica_changes_nothing(tmp_path: Path) -> None:
    """Without the setting the app has no replica engine and no ReplicaReads extension."""
    settings = load_settings(
        environ={}, config={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"}
    )
    app = create_app(settings)
    assert app.state.ogp.db.replica_engine is None
    names_ = [getattr(e, "__name__", "") for e in app.state.ogp.schema.extensions]
    assert "ReplicaReads" not in names_
