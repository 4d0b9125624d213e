"""Statements built once and run on the driver's own connection (issue 12).

SQLAlchemy's work per statement (its cache key, its compiled-statement cache, its execution
context and events) costs more Python than asyncpg's own execution of a short statement. A
statement every request runs the same way (the bearer token's lookup, the audit log's row, the
statements of a registration) is therefore built once as an SQLAlchemy Core statement whose
every value is a named `bindparam`, compiled once per dialect, and run as SQL text with the
driver's parameters: by `Database.read_rows` / `write_many` (one statement), or in a
`transaction` on the driver: the same SQL SQLAlchemy would send, the same bind and result
processing (e.g. `UTCDateTime`), the pool, timeouts, fault handling and statement counting of
`Database.read_value`.

`rows(conn, statement, **values)` runs such a statement on either kind of connection, so that a
domain's rules are written once for its writes on the driver and for those that share a
transaction of SQLAlchemy's (`Database.write()`) with other work.

Only for values a column always holds as they are (a hash, an id from a global ID, a code, the
clock): SQL text skips `core.storable`'s guard, which rewrites lookups of values no row can hold.
"""

from __future__ import annotations

import re
import sqlite3
from collections import namedtuple
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from core.commits import committed_write, is_write

if TYPE_CHECKING:
    from core.db import Database

# what each driver raises for a violated constraint: SQLAlchemy's IntegrityError here too, so
# that `core.transactions` maps it to its user error alike
_INTEGRITY = (asyncpg.exceptions.IntegrityConstraintViolationError, sqlite3.IntegrityError)
_PLAIN = re.compile(r"[A-Za-z0-9_:.-]+")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...]  # the positional parameters' names
    own: Mapping[str, Any]  # values of the bindparams that carry their own
    processors: Mapping[str, Any]  # bind name -> SQLAlchemy's bind processor
    results: tuple[Callable[[Any], Any] | None, ...]
    make: Callable[[Sequence[Any]], Any]  # a named tuple of the returned columns' keys


@dataclass(eq=False)
class DriverStatement:
    """`statement` (SQLAlchemy Core; every value a named `bindparam`) as the driver runs it.

    Raises ValueError for a statement whose SQL depends on its values (an expanding `IN`).

    `bind(dialect, values)` -> (SQL text, the driver's positional parameters: asyncpg's `$n`,
    SQLite's `?`); `values` maps each bindparam's name to its value (a bindparam made with its
    own value, e.g. `bindparam("theme_0", "open_data")`, keeps it unless given), processed as
    SQLAlchemy would (e.g. `UTCDateTime` to naive UTC on SQLite); raises KeyError naming a
    bindparam without a value (a column default is not applied here: give every column).
    `row(dialect, raw)` -> the returned row as a named tuple of the statement's columns (their
    keys: attribute access as on SQLAlchemy's rows), through the columns' result processors
    (SQLite's datetime text to `datetime`...).
    """

    statement: ClauseElement
    writes: bool = False
    """A statement that writes though it is no INSERT, UPDATE or DELETE (a function's call):
    it wrote when it returned a row (core.commits counts it)."""
    _compiled: dict[str, _Compiled] = field(default_factory=dict)

    def _of(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)
            if "POSTCOMPILE" in compiled.string:  # e.g. `in_(a_list)`: SQL per execution
                raise ValueError(f"a statement with an expanding parameter: {compiled.string}")
            columns: Any = getattr(self.statement, "exported_columns", None) or ()
            results = tuple(
                column.type._cached_result_processor(dialect, None) for column in columns
            )
            # both drivers' paramstyles are positional (asyncpg's `$n`, sqlite3's `?`)
            assert compiled.positiontup is not None
            own = {n: b.value for n, b in compiled.binds.items() if b.value is not None}
            row_type: Any = namedtuple("Row", [column.key for column in columns], rename=True)  # type: ignore[misc]
            make = row_type._make
            found = _Compiled(
                compiled.string,
                tuple(compiled.positiontup),
                own,
                compiled._bind_processors,
                results,
                make,
            )
            self._compiled[dialect.name] = found
        return found

    def bind(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
        compiled = self._of(dialect)
        processors, own = compiled.processors, compiled.own

        def value(name: str) -> Any:
            given = values[name] if name in values or name not in own else own[name]
            process = processors.get(name)
            return given if process is None or given is None else process(given)

        return compiled.sql, tuple(value(name) for name in compiled.order)

    def row(self, dialect: Dialect, raw: Sequence[Any] | None) -> Any:
        if raw is None:
            return None
        compiled = self._of(dialect)
        return compiled.make(
            [
                value if process is None else process(value)
                for value, process in zip(raw, compiled.results, strict=True)
            ]
        )


class DriverTransaction:
    """A write transaction on the driver's connection (`transaction`). Like SQLAlchemy's
    AsyncConnection where the domain code looks: `dialect`, `engine` and `info` (whose
    `core.db.after_commit` callbacks run once it committed)."""

    def __init__(self, db: Database, driver: Any, *, autocommit: bool = False) -> None:
        self.db = db
        self.driver = driver
        self.autocommit = autocommit
        """Each statement its own transaction (`autocommit`), not one until COMMIT."""
        self.wrote = False
        """Whether a statement wrote (core.commits counts the transaction once committed)."""
        self.engine = db.engine
        self.dialect = db.engine.dialect
        self.info: dict[str, Any] = {}
        self.at_commit: list[str] = []
        """SQL sent in the same message as the COMMIT, before it (`notify`)."""

    def notify(self, channel: str, payload: str) -> None:
        """PostgreSQL: `pg_notify(channel, payload)`, sent with the COMMIT (a NOTIFY is
        delivered when its transaction commits anyway: one round trip less). Both are written
        into the SQL, so they must be plain (letters, digits, `_`, `:`, `.`, `-`); raises
        ValueError otherwise."""
        if not (_PLAIN.fullmatch(channel) and _PLAIN.fullmatch(payload)):
            raise ValueError(f"not a plain channel and payload: {channel!r}, {payload!r}")
        self.at_commit.append(f"SELECT pg_notify('{channel}', '{payload}')")

    async def all(self, statement: DriverStatement, values: Mapping[str, Any]) -> list[Any]:
        """The rows `statement` returns with `values` (none for a write without RETURNING).
        Raises SQLAlchemy's IntegrityError for a violated constraint."""
        sql, parameters = statement.bind(self.dialect, values)
        with self.db.timed(self.engine, sql):
            try:
                if self.db.is_sqlite:
                    raw = await self.driver.execute_fetchall(sql, parameters)
                else:
                    raw = await self.driver.fetch(sql, *parameters)
            except _INTEGRITY as exc:
                raise IntegrityError(sql, parameters, exc) from exc
            # noted before anything watching the statement may raise: it wrote
            if (statement.writes and raw) or is_write(sql):
                if self.autocommit:
                    committed_write()
                else:
                    self.wrote = True
        return [statement.row(self.dialect, one) for one in raw]


@asynccontextmanager
async def transaction(db: Database) -> AsyncIterator[DriverTransaction]:
    """An all-or-nothing write transaction on a connection of the primary as its driver's own
    (IMMEDIATE on SQLite, as `Database.write()`): committed when the block ends, rolled back
    when it raises; `core.db.after_commit` callbacks run once committed. Raises what the block
    raises, DatabaseUnavailable for a database fault (`Database.driver`)."""
    from core.db import AFTER_COMMIT

    async with db.driver(db.engine) as driver:
        # aiosqlite's execute_fetchall closes its cursor; asyncpg's execute is one round trip
        control = driver.execute_fetchall if db.is_sqlite else driver.execute
        await control("BEGIN IMMEDIATE" if db.is_sqlite else "BEGIN")
        tx = DriverTransaction(db, driver)
        try:
            yield tx
            # one message (PostgreSQL's simple query runs its statements in order; the open
            # transaction is theirs): what must precede the COMMIT, then the COMMIT
            await control("; ".join([*tx.at_commit, "COMMIT"]))
            if tx.wrote:
                committed_write()
        except Exception:
            # before the connection goes back to the pool (SQLAlchemy's reset does not know
            # of this transaction; after a COMMIT that failed, PostgreSQL has none left and
            # only warns); a cancellation discards the connection instead
            await control("ROLLBACK")
            raise
    for callback in tx.info.pop(AFTER_COMMIT, ()):
        callback()  # committed: e.g. in-process subscriptions (core.activity.bus)


@asynccontextmanager
async def autocommit(db: Database) -> AsyncIterator[DriverTransaction]:
    """A connection of the primary as its driver's own, outside any transaction: each statement
    is its own, committed when it returns (one round trip for a write that is one statement,
    e.g. a PostgreSQL function's call). Raises what the block raises, DatabaseUnavailable for a
    database fault, and ValueError when the block `notify`-ed (there is no COMMIT to send it
    with: a statement signals itself, e.g. by pg_notify)."""
    async with db.driver(db.engine) as driver:
        tx = DriverTransaction(db, driver, autocommit=True)
        yield tx
        if tx.at_commit:
            raise ValueError(f"nothing commits the signals {tx.at_commit!r} outside a transaction")


WriteConnection = AsyncConnection | DriverTransaction
"""Either kind of write transaction: `Database.write()`'s or `transaction`'s."""


async def rows(conn: WriteConnection, statement: DriverStatement, **values: Any) -> list[Any]:
    """The rows of `statement` with `values`, on the driver (a DriverTransaction) or through
    SQLAlchemy (an AsyncConnection of `Database.write()`): rows with attribute access either
    way. Raises SQLAlchemy's IntegrityError for a violated constraint."""
    if isinstance(conn, DriverTransaction):
        return await conn.all(statement, values)
    executable: Any = statement.statement  # a Core statement (a ClauseElement to compile)
    result = await conn.execute(executable, values)
    return list(result.all()) if result.returns_rows else []
