"""A streaming read replica of the test session's PostgreSQL server, on a free port.

    replica = Replica.create(primary_url)   # pg_basebackup -R + start; None without binaries
    replica.url_of(database_url)            # that database's URL on the replica
    await replica.caught_up(primary_url)    # waits until it replayed the primary's position
    await replica.pause_replay(); await replica.resume_replay()    # WAL replay paused / resumed
    replica.stop(); replica.start(); replica.destroy()

The replica is a physical copy of the whole primary cluster (`pg_basebackup -R -X stream`: a
standby that streams the primary's WAL and answers read-only queries, `hot_standby`), so the
primary must accept replication connections from 127.0.0.1 (`pg_hba.conf`: `host replication
all 127.0.0.1/32 trust`, then `SELECT pg_reload_conf()`; `wal_level` replica or logical and
`max_wal_senders` > 0, PostgreSQL's defaults). Binaries and the `postgres` system user as in
tests.pg_cluster.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.live_server import free_port
from tests.pg_cluster import Cluster, find_bindir

# A standby needs at least the primary's values of these (it refuses to start otherwise).
COPIED_SETTINGS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_locks_per_transaction",
    "max_prepared_transactions",
)


async def _primary_settings(primary_url: str) -> dict[str, str]:
    engine = create_async_engine(primary_url)
    try:
        async with engine.connect() as conn:
            return {name: str(await conn.scalar(text(f"SHOW {name}"))) for name in COPIED_SETTINGS}
    finally:
        await engine.dispose()


@dataclass
class Replica(Cluster):
    """A standby of the primary `primary_url` names; `url` is its `postgres` database."""

    settings: tuple[tuple[str, str], ...] = ()

    @classmethod
    def create_from(cls, primary_url: str) -> Replica | None:
        """Base backup of the primary, configured as its standby and started; None without
        PostgreSQL binaries. Raises AssertionError naming the tool's output if one fails."""
        bindir = find_bindir()
        if bindir is None:
            return None
        run_as = "postgres" if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="ogp-wg-replica-"))
        if run_as:
            shutil.chown(root, user=run_as)
        copied = asyncio.run(_primary_settings(primary_url))
        replica = cls(root, free_port(), bindir, run_as, tuple(copied.items()))
        try:
            primary = make_url(primary_url)
            replica._run(
                "pg_basebackup", "-h", primary.host or "127.0.0.1", "-p", str(primary.port or 5432),
                "-U", primary.username or "postgres", "-D", str(replica.data),
                "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
            )  # fmt: skip
            # A Debian server keeps its configuration outside the data directory: the copy
            # has none, so it gets its own (trust on its own socket and on 127.0.0.1 only).
            for name, content in (
                ("postgresql.conf", "hot_standby = on\n"),
                ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
            ):
                path = replica.data / name
                path.write_text(content)
                if run_as:
                    shutil.chown(path, user=run_as)
            replica.start()
        except BaseException:
            replica.destroy()
            raise
        return replica

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += "".join(f" -c {name}={value}" for name, value in self.settings)
        log = str(self.root / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", *args)

    def url_of(self, database_url: str) -> str:
        """The same database (name, user) on the replica."""
        url = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    def log(self) -> str:
        path = self.root / "postgres.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    async def _admin(self, sql: str) -> object:
        engine = create_async_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                return await conn.scalar(text(sql))
        finally:
            await engine.dispose()

    async def caught_up(self, primary_url: str, within: float = 60.0) -> None:
        """Wait until the replica has replayed everything the primary had written when this
        was called (its current WAL position)."""
        engine = create_async_engine(primary_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                position = await conn.scalar(text("SELECT pg_current_wal_lsn()::text"))
        finally:
            await engine.dispose()
        check = f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn"
        deadline = time.monotonic() + within
        while not await self._admin(check):
            assert time.monotonic() < deadline, f"the replica did not catch up: {self.log()}"
            await asyncio.sleep(0.05)

    async def pause_replay(self) -> None:
        """Stop replaying WAL (it keeps receiving it) until `resume_replay()`; returns once paused."""
        await self._admin("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 30
        while await self._admin("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the replica's replay did not pause"
            await asyncio.sleep(0.05)

    async def resume_replay(self) -> None:
        await self._admin("SELECT pg_wal_replay_resume()")
