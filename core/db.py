"""Engine, connections, the declarative Base and the column types every table shares.

Reads and writes take their own connection each time (`Database.read()` / `Database.write()`), so
resolvers that run concurrently never share a session or connection. On SQLite a write transaction
begins IMMEDIATE: the write lock is taken up front, so two writers never both read-then-write.

One request may hold only a bounded share of the pool: while a `ConnectionShare` is installed
(`connection_share`, set per GraphQL operation by `core.timeouts`), `read()` and `write()` first
take one of its permits, so a query with many concurrent root fields or loaders waits for its own
connections instead of taking every connection of the pool from other clients.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    asynccontextmanager,
    contextmanager,
    nullcontext,
    suppress,
)
from datetime import UTC, datetime
from functools import partial
from time import perf_counter
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    DateTime,
    MetaData,
    Table,
    any_,
    bindparam,
    event,
    text,
)
from sqlalchemy.engine import Engine as SyncEngine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import greenlet_spawn

from core import db_faults, sqlite
from core.connection_share import connection_share
from core.grouping import Group, GroupedWrites
from core.storable import AUTOCOMMIT_READ, TEXT_MAX_LENGTH, guard

if TYPE_CHECKING:
    from core.driver import WriteConnection

log = logging.getLogger("ogp_wg")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for core and plugin tables (plugins name theirs `<key>_...`)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # SQLAlchemy types it as a FromClause (a class may be mapped to a join); every model
        # here maps one Table, so `Model.__table__.name` and `delete(Model.__table__)` type-check.
        __table__: ClassVar[Table]


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both backends (SQLite stores naive UTC text, sorted correctly)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


MAX_PREPARED_STATEMENT = 256 * 1024
"""Characters of SQL beyond which asyncpg does not keep a statement prepared (per connection,
100 statements at most: asyncpg's `statement_cache_size`)."""

# Per-request SQL statement counter: a list set by the request, shared by the tasks it spawns.
statement_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "statement_counter", default=None
)


RAW_STATEMENT = "ogp_wg_raw_statement"


def on_raw_statement(engine: SyncEngine, callback: Callable[[str, float], None]) -> None:
    """Call `callback(sql, seconds)` after each statement run on `engine`'s driver (a sync
    Engine; `Database.read_value`, `read_rows`, `write_many`, `core.driver.transaction`), which
    SQLAlchemy's cursor events do not see: the SQL text and its seconds, whether it succeeded
    or failed. A callback that raises fails the statement in its place (in a transaction:
    rolled back), as an `after_cursor_execute` listener does on SQLAlchemy's path."""
    engine.__dict__.setdefault(RAW_STATEMENT, []).append(callback)


def _count_statement(*_: Any) -> None:
    counter = statement_counter.get()
    if counter is not None:
        counter[0] += 1


replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)
"""True while a query operation runs (set by `core.replica.ReplicaReads`): `Database.read()`
then reads from the replica, if there is one. Everything else (mutations and the reads they
make, subscriptions, start-up, the CLI, jobs) leaves it False and reads from the primary."""


def _permit() -> AbstractAsyncContextManager[None]:
    share = connection_share.get()
    return nullcontext() if share is None else share.permit()


AFTER_COMMIT = "ogp_wg.after_commit"
"""`conn.info` key of the callbacks `Database.write()` calls once its transaction committed."""


def after_commit(conn: WriteConnection, callback: Callable[[], None]) -> None:
    """Call `callback()` once the write transaction of `conn` (`Database.write()`'s, or
    `core.driver.transaction`'s) has committed; never if it rolls back. Callbacks must not
    raise (they run after the commit, outside it)."""
    conn.info.setdefault(AFTER_COMMIT, []).append(callback)


class Database:
    """One engine per app; hands out a fresh connection per unit of work.

    `text_max_length`: characters a text column without a length (`Text`) takes from a write
    (`core.storable`); `pool_size`: PostgreSQL connections kept open (plus half as many more),
    per server. `replica_url`: a read replica of `url` (PostgreSQL), its own engine and pool:
    `read()` uses it while `replica_reads` is set; `write()`, and `read()` otherwise, the primary.
    `plan_cache_mode`: PostgreSQL's setting of that name on every connection (None: the
    server's own).
    """

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        pool_size: int = 32,
        text_max_length: int = TEXT_MAX_LENGTH,
        timeouts: db_faults.Timeouts | None = None,
        replica_url: str | None = None,
        plan_cache_mode: str | None = None,
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.raw_statements = not echo
        """Whether `read_value`, `read_rows` and `write_many` run on the driver's own connection
        (off: through `read()` and `write()`, for whatever watches SQLAlchemy's events: the SQL
        echo, tracing's spans)."""
        if replica_url is not None and (self.is_sqlite or replica_url.startswith("sqlite")):
            raise ValueError("a read replica needs PostgreSQL as primary and replica")
        # Bounded waits (statement, pool, connect), and every fault raised as
        # DatabaseUnavailable: a database down or hung is answered, not waited for.
        timeouts = timeouts or db_faults.TOOLS  # the app passes the configured ones
        kwargs: dict[str, Any] = {"echo": echo, **timeouts.engine_options(self.is_sqlite)}
        if not self.is_sqlite:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size // 2, pool_pre_ping=False)
            # asyncpg prepares a statement once per connection only up to this size (15 KiB by
            # default): a compiled page's statement is larger, and `read_value` relies on it
            connect_args = kwargs["connect_args"] = dict(kwargs.get("connect_args", {}))
            connect_args["max_cacheable_statement_size"] = MAX_PREPARED_STATEMENT
            if plan_cache_mode is not None:  # core.config.Settings.database_plan_cache_mode
                server = connect_args.get("server_settings", {})
                connect_args["server_settings"] = {**server, "plan_cache_mode": plan_cache_mode}
        self.engine: AsyncEngine = self._engine(url, kwargs, text_max_length)
        self._writer = self.engine.execution_options(sqlite_immediate=True)
        self._reader = self.engine.execution_options(
            **{AUTOCOMMIT_READ: True} if self.is_sqlite else {"isolation_level": "AUTOCOMMIT"}
        )
        self.grouped_writes = GroupedWrites(self)
        """Rows of one write statement written together with other callers' (the audit log's)."""
        self._groups: dict[str, Group[Any, Any]] = {}
        self.replica_engine: AsyncEngine | None = None
        self._replica_reader = self._reader
        if replica_url is not None:
            self.replica_engine = self._engine(replica_url, kwargs, text_max_length)
            self._replica_reader = self.replica_engine.execution_options(
                isolation_level="AUTOCOMMIT"
            )

    def _engine(self, url: str, kwargs: dict[str, Any], text_max_length: int) -> AsyncEngine:
        engine = create_async_engine(url, **kwargs)
        sync_engine = engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", _count_statement)
        db_faults.install(sync_engine)
        # values a column cannot hold: lookups find nothing, writes refused
        guard(sync_engine, text_max_length=text_max_length)
        if self.is_sqlite:
            event.listen(sync_engine, "connect", sqlite.on_connect)
            event.listen(sync_engine, "begin", sqlite.on_begin)
        return engine

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection of its own for reads, in autocommit: no BEGIN/COMMIT round trips.

        Each loader reads with one statement, which is its own consistent snapshot. From the
        replica while `replica_reads` is set (a query operation) and there is one.
        """
        share = connection_share.get()
        reader = self._replica_reader if replica_reads.get() else self._reader
        async with _permit(), reader.connect() as conn:
            pid = self._server_pid(conn) if share is not None else None
            try:
                yield conn
            except BaseException:
                await self._stop_if_cancelled(conn.invalidate, pid, reader)
                raise

    async def read_value(self, sql: str, parameters: Sequence[Any]) -> Any:
        """The one value of a one-row, one-column read, given as the dialect's SQL text and
        DBAPI parameters (what `exec_driver_sql` takes): run on the driver's own connection,
        checked out of the same pool as `read()`'s (replica routing, request share and timeouts
        alike), without SQLAlchemy's per-statement machinery, which costs more Python than the
        driver itself (issue 12: the compiled read path's one statement per root field). asyncpg
        prepares it once per connection (its statement cache); on SQLite, one call on
        aiosqlite's thread. Counted like every statement (`statement_counter`, and the
        `on_raw_statement` callbacks: the metrics). With `raw_statements` off (SQL echo,
        tracing: they watch SQLAlchemy's events) it runs through `read()`.

        Raises DatabaseUnavailable for a database fault, as SQLAlchemy's `handle_error` makes
        `read()` do, with the same care of the pool: a lost connection replaces every pooled
        connection opened before it (as SQLAlchemy does on a disconnect), a timed-out one is
        discarded, a fault the server reported (a statement or lock timeout) keeps it. Any other
        failure raises the driver's own error (e.g. a failed cast). A cancelled task stops the
        server's statement too, and the connection is discarded.
        """
        if not self.raw_statements:
            async with self.read() as conn:
                return (await conn.exec_driver_sql(sql, parameters)).scalar_one()
        return await self._on_driver(self._read_engine(), "value", sql, parameters)

    async def read_rows(self, sql: str, parameters: Sequence[Any]) -> list[Sequence[Any]]:
        """The rows of a read, their values as the driver gives them (no result processing:
        `core.driver.DriverStatement.row` does it); run as `read_value`."""
        if not self.raw_statements:
            async with self.read() as conn:
                return list((await conn.exec_driver_sql(sql, parameters)).all())
        rows: list[Sequence[Any]] = await self._on_driver(
            self._read_engine(), "rows", sql, parameters
        )
        return rows

    async def write_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One write statement run once per row of parameters, all in one transaction of its
        own on the primary (PostgreSQL: asyncpg's `executemany`, pipelined: one round trip and
        one commit; SQLite: in one IMMEDIATE transaction), run as `read_value` runs a read (with
        `raw_statements` off: in a `write()` transaction). All or nothing; raises as `read_value`
        does (a violated constraint: the driver's own error). Counted as one statement."""
        if not self.raw_statements:
            async with self.write() as conn:
                await conn.exec_driver_sql(sql, [tuple(row) for row in rows])
            return
        await self._on_driver(self.engine, "many", sql, rows)

    def group(
        self, name: str, run: Callable[[list[Any]], Awaitable[Sequence[Any]]]
    ) -> Group[Any, Any]:
        """This database's `core.grouping.Group` called `name` (e.g. the bearer tokens' lookups,
        one per audit statement), made with `run` on first use: concurrent callers' work run
        together in rounds."""
        found = self._groups.get(name)
        if found is None:
            found = self._groups[name] = Group(run)
        return found

    def _read_engine(self) -> AsyncEngine:
        return self.replica_engine if replica_reads.get() and self.replica_engine else self.engine

    async def _on_driver(
        self, engine: AsyncEngine, fetch: str, sql: str, parameters: Sequence[Any]
    ) -> Any:
        """Run one statement on a pooled connection of `engine`'s driver; `fetch`: "value"
        (the first column of the first row), "rows" (every row), "many" (a write,
        `parameters` a sequence of rows' parameters: see `write_many`)."""
        async with self.driver(engine) as driver:
            with self.timed(engine, sql):
                if fetch == "many":
                    await self._many(driver, sql, parameters)
                    return None
                if self.is_sqlite:  # autocommit (`core.sqlite.on_connect`)
                    rows = await driver.execute_fetchall(sql, parameters)
                    return rows[0][0] if fetch == "value" else list(rows)
                if fetch == "value":
                    return await driver.fetchval(sql, *parameters)
                return await driver.fetch(sql, *parameters)

    async def _many(self, driver: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not self.is_sqlite:
            await driver.executemany(sql, rows)  # atomic: one implicit transaction
            return
        if len(rows) == 1:  # autocommit: a write commits itself
            await driver.execute_fetchall(sql, rows[0])
            return
        await driver.execute_fetchall("BEGIN IMMEDIATE")
        try:
            async with driver.executemany(sql, rows):  # the cursor closed after
                pass
            await driver.execute_fetchall("COMMIT")
        except Exception:
            with suppress(Exception):  # a connection that failed may refuse it: discarded then
                await driver.execute_fetchall("ROLLBACK")
            raise

    @contextmanager
    def timed(self, engine: AsyncEngine, sql: str) -> Iterator[None]:
        """Count one statement run on the driver (`statement_counter`) and report it to
        `engine`'s `on_raw_statement` callbacks."""
        _count_statement()
        started = perf_counter()
        try:
            yield
        finally:
            seconds = perf_counter() - started
            for callback in engine.sync_engine.__dict__.get(RAW_STATEMENT, ()):
                callback(sql, seconds)

    @asynccontextmanager
    async def driver(self, engine: AsyncEngine) -> AsyncIterator[Any]:
        """A pooled connection of `engine` as its driver's own (asyncpg's or aiosqlite's), with
        the care `read_value` documents: the request's share of the pool, a database fault
        raised as DatabaseUnavailable (the connection invalidated as it calls for), a
        cancellation stopping the server's statement, and the connection back in the pool."""
        async with _permit():
            fairy = await engine.raw_connection()
            driver: Any = fairy.driver_connection
            try:
                yield driver
            except Exception as exc:
                lost = isinstance(exc, OSError) or (not self.is_sqlite and driver.is_closed())
                if not lost and not db_faults.is_database_fault(exc):
                    raise  # the server's answer: the connection is as good as before
                with suppress(Exception):  # a connection that cannot even be closed is gone
                    if isinstance(exc, TimeoutError):  # asyncpg's: the statement may still run
                        await greenlet_spawn(fairy.invalidate, exc)
                    elif lost:
                        pool = engine.sync_engine.pool
                        await greenlet_spawn(pool._invalidate, fairy, exc)
                sqlstate = getattr(exc, "sqlstate", None)
                raise db_faults.DatabaseUnavailable(f"database fault: {exc!r}", sqlstate) from exc
            except BaseException:  # cancelled: the statement may still be running
                invalidate = partial(greenlet_spawn, fairy.invalidate)
                if not self.is_sqlite:
                    await self._stop_if_cancelled(invalidate, driver.get_server_pid(), engine)
                if fairy.dbapi_connection is not None:
                    await invalidate()
                raise
            finally:
                # back to the pool (a no-op once invalidated); aiosqlite's reset awaits
                await greenlet_spawn(fairy.close)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """An all-or-nothing write transaction (IMMEDIATE on SQLite); rolls back on any error."""
        share = connection_share.get()
        async with _permit(), self._writer.connect() as conn:
            pid = self._server_pid(conn) if share is not None else None
            try:
                async with conn.begin():
                    yield conn
            except BaseException:
                conn.info.pop(AFTER_COMMIT, None)
                await self._stop_if_cancelled(conn.invalidate, pid, self._reader)
                raise
            for callback in conn.info.pop(AFTER_COMMIT, ()):
                callback()  # committed: e.g. in-process subscriptions (core.activity.bus)

    def _server_pid(self, conn: AsyncConnection) -> int | None:
        """The PostgreSQL backend serving `conn` (asyncpg knows it from the start-up), or None."""
        if self.is_sqlite or conn.sync_connection is None:
            return None
        get_pid = getattr(conn.sync_connection.connection.driver_connection, "get_server_pid", None)
        return get_pid() if get_pid is not None else None

    async def _stop_if_cancelled(
        self, invalidate: Callable[[], Awaitable[Any]], pid: int | None, server: AsyncEngine
    ) -> None:
        """A request's task cancelled while it used a connection (execution timeout, client gone),
        which `invalidate` discards: make sure the server stops the statement too. asyncpg asks
        for that itself, but the cancel request dies with the connection when it is discarded;
        so the connection is discarded here (never reused, so its backend serves no one else)
        and the backend's statement cancelled from another connection to the same `server`
        (PostgreSQL then rolls back its transaction).
        """
        task = asyncio.current_task()
        if pid is None or task is None or not task.cancelling():
            return
        with suppress(Exception):
            await invalidate()
        try:
            async with server.connect() as other:
                await other.execute(text("SELECT pg_cancel_backend(:pid)"), {"pid": pid})
        except Exception as exc:  # the database is gone too: nothing left to stop
            log.warning("could not cancel the statement of backend %s: %r", pid, exc)

    def any_of(
        self, column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[Any]
    ) -> ColumnElement[bool]:
        """`column IN values`; on PostgreSQL `= ANY(array)`: one bind parameter whatever the
        number of keys, so the statement is compiled and prepared once, not per list length.
        """
        values = list(values)
        if self.is_sqlite:
            return column.in_(values)
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.replica_engine is not None:
            await self.replica_engine.dispose()
