"""Delivery of "something changed" signals to the subscriptions of every worker process.

A signal is a topic string: `group:<id>` (a new activity event of the group), `meeting:<id>`
(the meeting's places or details changed). It carries no data: a subscription that receives it
reads what changed from the database, with its own viewer's access rules, so nothing private
travels and a signal lost or merged with another only delays, never corrupts, what is shown.

- PostgreSQL: `publish` runs `pg_notify(CHANNEL, topic)` inside the writer's transaction;
  PostgreSQL delivers it when (and only if) the transaction commits, to every session that
  LISTENs, in commit order. Each worker keeps ONE dedicated asyncpg connection LISTENing (opened
  at its first subscription, reopened after a loss) and hands each signal to its local queues.
- SQLite (one process): `publish` registers a callback that `core.db.Database.write()` calls
  after the commit, which hands the topic to the buses of this process on the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import bindparam, func, select

from core.db import Database, after_commit
from core.driver import DriverStatement, DriverTransaction, WriteConnection, rows

CHANNEL = "ogp_wg_activity"
"""The PostgreSQL NOTIFY channel of every signal."""
QUEUE_SIZE = 100
"""Signals a subscription may have pending; past that the oldest are merged (they carry no
data: one pending signal of a topic means "read again")."""
RECONNECT_SECONDS = 1.0
log = logging.getLogger("ogp_wg.activity")

_local_buses: weakref.WeakSet[Bus] = weakref.WeakSet()


def group_topic(group_id: int) -> str:
    return f"group:{group_id}"


def meeting_topic(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


_NOTIFY = DriverStatement(select(func.pg_notify(bindparam("channel"), bindparam("topic"))))


async def publish(conn: WriteConnection, topic: str) -> None:
    """Signal `topic` to every worker's subscribers when `conn`'s transaction commits."""
    if conn.dialect.name == "postgresql":
        if isinstance(conn, DriverTransaction):
            conn.notify(CHANNEL, topic)  # sent with its COMMIT
        else:
            await rows(conn, _NOTIFY, channel=CHANNEL, topic=topic)
        return
    url = conn.engine.url.render_as_string(hide_password=False)
    after_commit(conn, lambda: _deliver_in_process(url, topic))


def _deliver_in_process(url: str, topic: str) -> None:
    for bus in list(_local_buses):
        if bus.url == url:
            bus.deliver(topic)


class Bus:
    """One worker's subscriptions by topic: `async with bus.listen(topic) as queue`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.url = db.engine.url.render_as_string(hide_password=False)
        self.is_postgres = db.engine.dialect.name == "postgresql"
        self._queues: dict[str, set[asyncio.Queue[str]]] = {}
        self._listener: Any = None  # asyncpg.Connection while LISTENing
        self._lock = asyncio.Lock()
        self._closed = False
        self._reconnect: asyncio.Task[None] | None = None
        if not self.is_postgres:
            _local_buses.add(self)

    def deliver(self, topic: str) -> None:
        """Hand a committed signal to this worker's subscriptions of the topic."""
        for queue in list(self._queues.get(topic, ())):
            if queue.full():
                continue  # one pending signal already says "read again"
            queue.put_nowait(topic)

    @contextlib.asynccontextmanager
    async def listen(self, topic: str) -> AsyncIterator[asyncio.Queue[str]]:
        """A queue receiving `topic` each time it is published, from now until the block ends.
        On PostgreSQL the worker's LISTEN connection is open before this yields, so no signal
        committed after that is missed. Raises the driver's error if it cannot be opened."""
        if self.is_postgres:
            await self._ensure_listening()
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues.setdefault(topic, set()).add(queue)
        try:
            yield queue
        finally:
            queues = self._queues.get(topic)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self._queues[topic]

    async def _ensure_listening(self) -> None:
        async with self._lock:
            if self._listener is not None and not self._listener.is_closed():
                return
            import asyncpg  # type: ignore[import-untyped]  # PostgreSQL only

            dsn = self.url.replace("postgresql+asyncpg://", "postgresql://", 1)
            connection = await asyncpg.connect(dsn)
            await connection.add_listener(CHANNEL, self._on_notify)
            connection.add_termination_listener(self._on_lost)
            self._listener = connection

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.deliver(payload)

    def _on_lost(self, _conn: Any) -> None:
        """The LISTEN connection died (database restart, network): reopen it in the background;
        every subscription is told to read again once it is back (signals in between are lost,
        the reads catch up)."""
        self._listener = None
        if not self._closed and (self._reconnect is None or self._reconnect.done()):
            self._reconnect = asyncio.get_running_loop().create_task(self._reopen())

    async def _reopen(self) -> None:
        while not self._closed and self._queues:
            try:
                await self._ensure_listening()
            except Exception as exc:  # down still: try again shortly
                log.warning("activity LISTEN connection: %r; retrying", exc)
                await asyncio.sleep(RECONNECT_SECONDS)
                continue
            for topic in list(self._queues):
                self.deliver(topic)
            return

    async def close(self) -> None:
        self._closed = True
        if self._reconnect is not None:
            self._reconnect.cancel()
        listener, self._listener = self._listener, None
        if listener is not None and not listener.is_closed():
            with contextlib.suppress(Exception):
                await listener.close(timeout=2)
