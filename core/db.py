"""Engine, connections, the declarative Base and the column types every table shares.

Reads and writes take their own connection each time (`Database.read()` / `Database.write()`), so
resolvers that run concurrently never share a session or connection. On SQLite a write transaction
begins IMMEDIATE: the write lock is taken up front, so two writers never both read-then-write.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
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
)
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute
from sqlalchemy.types import TypeDecorator

from core import db_faults
from core.storable import guard

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


# Per-request SQL statement counter: a list set by the request, shared by the tasks it spawns.
statement_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "statement_counter", default=None
)


def _count_statement(*_: Any) -> None:
    counter = statement_counter.get()
    if counter is not None:
        counter[0] += 1


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event (below) emit BEGIN itself, so writes can ask for IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: SyncConnection) -> None:
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # reads: each statement is its own snapshot, no BEGIN round trip
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")


class Database:
    """One engine per app; hands out a fresh connection per unit of work."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        pool_size: int = 32,
        timeouts: db_faults.Timeouts | None = None,
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # Bounded waits (statement, pool, connect), and every fault raised as
        # DatabaseUnavailable: a database down or hung is answered, not waited for.
        timeouts = timeouts or db_faults.Timeouts()
        kwargs: dict[str, Any] = {"echo": echo, **timeouts.engine_options(self.is_sqlite)}
        if not self.is_sqlite:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size // 2, pool_pre_ping=False)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        sync_engine = self.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", _count_statement)
        db_faults.install(sync_engine)
        guard(sync_engine)  # values a column cannot hold: lookups find nothing, writes refused
        if self.is_sqlite:
            event.listen(sync_engine, "connect", _sqlite_connect)
            event.listen(sync_engine, "begin", _sqlite_begin)
        self._writer = self.engine.execution_options(sqlite_immediate=True)
        self._reader = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection of its own for reads, in autocommit: no BEGIN/COMMIT round trips.

        Each loader reads with one statement, which is its own consistent snapshot.
        """
        async with self._reader.connect() as conn:
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """An all-or-nothing write transaction (IMMEDIATE on SQLite); rolls back on any error."""
        async with self._writer.connect() as conn, conn.begin():
            yield conn

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
