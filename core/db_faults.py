"""Database faults: a database that is down, hung or locked is `SERVICE_UNAVAILABLE`, fast.

What counts as a fault of the database rather than of the request or of our code
(`is_database_fault`, which follows an exception's `__cause__` / `__context__` chain):

- connecting failed: refused, unknown host, the connect timeout, the server starting up or
  shutting down, too many connections (`DatabaseUnavailable`, raised by the engine hook below);
- no pooled connection within the pool timeout (`sqlalchemy.exc.TimeoutError`);
- a statement that outran the statement timeout, on the server (PostgreSQL `statement_timeout`,
  SQLSTATE 57014; `lock_timeout`, 55P03) or on the client (asyncpg's command timeout, a
  `TimeoutError`), or a connection lost in the middle (administrator shutdown 57P01..57P03,
  class 08, SQLAlchemy's `connection_invalidated`);
- SQLite: the file locked beyond the busy timeout (SQLITE_BUSY, SQLITE_LOCKED), and a file that
  cannot be used: missing directory or not openable (SQLITE_CANTOPEN), not a database
  (SQLITE_NOTADB), corrupt, an I/O error, read-only, a full disk, no permission.

`install(engine)` makes the engine raise `DatabaseUnavailable` for each of these (the original
exception is its `__cause__`, and goes to the server log, never to a client). SQLAlchemy itself
drops a connection that failed this way (a timeout or a cancellation counts as a disconnect), and
after a lost connection the whole pool is refreshed: when the database is back, the next request
gets a new connection, with no restart.

`unavailable(error)` turns a GraphQL error caused by a fault into the client's answer:
`{"message": MESSAGE, "extensions": {"code": "SERVICE_UNAVAILABLE"}}` at the same path.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLError
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, ExceptionContext
from strawberry.types import ExecutionResult

from core.errors import api_error
from core.graphql_http import RETRY_AFTER, negotiate

log = logging.getLogger("ogp_wg.database")

CODE = "SERVICE_UNAVAILABLE"
MESSAGE = "The database is not available right now; try again shortly."

# PostgreSQL SQLSTATEs of a database that cannot answer now (class 08 is added by prefix).
UNAVAILABLE_SQLSTATES = frozenset(
    {
        "57014",  # query_canceled: statement_timeout
        "55P03",  # lock_not_available: lock_timeout
        "57P01",  # admin_shutdown
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: starting up, shutting down, in recovery
        "53300",  # too_many_connections
        "53100",  # disk_full
        "58030",  # io_error
    }
)
# SQLite primary result codes (the low byte of an extended code) of a file that cannot serve now.
UNAVAILABLE_SQLITE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_PERM,
    }
)


@dataclass(frozen=True)
class Timeouts:
    """How long the service waits for its database, in seconds; each well under the execution
    timeout (default 10 s), so a hung database is answered before the request gives up. The
    app takes them from the settings; other users of `Database` (the CLI, migrations, tests'
    set-up) get TOOLS: no statement timeout, since a migration may rightly run for minutes."""

    statement: float | None = 5.0
    """One statement: PostgreSQL's `statement_timeout` (the server cancels it; a lock waited for
    counts), and asyncpg's command timeout half a second later (a server that does not answer
    at all). On SQLite, the busy timeout: how long a statement waits for another's lock.
    None: no limit (SQLite: 30 s of busy timeout)."""
    pool: float = 5.0
    """Waiting for a connection from the pool."""
    connect: float = 2.0
    """Opening a connection (PostgreSQL)."""

    def engine_options(self, is_sqlite: bool) -> dict[str, Any]:
        """`create_async_engine` keywords that apply these timeouts."""
        if is_sqlite:  # sqlite3's `timeout` is the busy timeout
            busy = 30.0 if self.statement is None else self.statement
            return {"pool_timeout": self.pool, "connect_args": {"timeout": busy}}
        connect_args: dict[str, Any] = {"timeout": self.connect}
        if self.statement is not None:
            connect_args["command_timeout"] = self.statement + 0.5
            statement_ms = str(round(self.statement * 1000))
            connect_args["server_settings"] = {"statement_timeout": statement_ms}
        return {"pool_timeout": self.pool, "connect_args": connect_args}


TOOLS = Timeouts(statement=None, pool=30.0, connect=10.0)
"""For the CLI, migrations and tests' set-up: bounded connects, unbounded statements."""


class DatabaseUnavailable(Exception):
    """The database could not be reached, or did not answer in time. `str()` says why, for the
    server log and the CLI (it may name the host or the error); clients get only MESSAGE."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        """PostgreSQL's SQLSTATE when the server said why (e.g. `55P03`: a lock timeout)."""


def _is_fault(exc: BaseException) -> bool:
    if isinstance(exc, DatabaseUnavailable | sa_exc.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or (exc.orig is not None and _is_fault(exc.orig))
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in UNAVAILABLE_SQLITE
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate in UNAVAILABLE_SQLSTATES or sqlstate.startswith("08")
    return False


def is_database_fault(exc: BaseException | None) -> bool:
    """True when `exc`, or an exception it was raised from, is a fault of the database."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if _is_fault(exc):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """The engine's `do_connect`: connect as usual; any failure to connect is the database's."""
    try:
        return dialect.connect(*cargs, **cparams)
    except Exception as exc:
        raise DatabaseUnavailable(f"cannot connect to the database: {exc!r}") from exc


def _handle_error(context: ExceptionContext) -> BaseException | None:
    """The engine's `handle_error`: a fault becomes DatabaseUnavailable (raised in its place).

    SQLAlchemy already drops the one connection on which a timeout or a cancellation happened
    (never handed out again with a statement still running on it); a connection reset is a lost
    connection, after which the pool is refreshed.
    """
    original = context.original_exception
    if isinstance(original, ConnectionError):
        context.is_disconnect = True
    if not isinstance(original, Exception):
        return None  # a cancellation goes on as it is: the caller is going away
    if isinstance(original, TimeoutError) or context.is_disconnect or _is_fault(original):
        return DatabaseUnavailable(
            f"database fault: {original!r}", getattr(original, "sqlstate", None)
        )
    return None


def install(engine: Engine) -> None:
    """Hook the engine so that every database fault is raised as DatabaseUnavailable."""
    event.listen(engine, "do_connect", _connect)
    event.listen(engine, "handle_error", _handle_error)


def unavailable(error: GraphQLError) -> GraphQLError:
    """`error` as the client sees it: SERVICE_UNAVAILABLE at its path when a database fault
    caused it (the cause goes to the log), else `error` itself."""
    if not is_database_fault(error.original_error):
        return error
    log.warning("database unavailable at %s: %s", ".".join(map(str, error.path or ())), error)
    fault = api_error(CODE, MESSAGE)
    return GraphQLError(
        fault.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=fault.extensions,
    )


def is_unavailable(error: GraphQLError) -> bool:
    """Whether `error` (as returned by `unavailable`) is SERVICE_UNAVAILABLE."""
    return (error.extensions or {}).get("code") == CODE


def nothing_served(result: ExecutionResult) -> bool:
    """Whether a result's only errors are SERVICE_UNAVAILABLE and none of its root fields has a
    value: the database served nothing, and the answer is 503 without `data` (the errors say
    why; a client retries the whole request)."""
    if not result.errors or not all(is_unavailable(error) for error in result.errors):
        return False
    return result.data is None or all(value is None for value in result.data.values())


def _is_fault_group(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return any(_is_fault_group(inner) for inner in exc.exceptions)
    return is_database_fault(exc)


class AnswerFaults:
    """ASGI middleware: a database fault raised outside GraphQL's execution (a middleware that
    reads the database first, e.g. to look a bearer token up) is answered as GraphQL's own are:
    503, `Retry-After`, `{"errors": [{"message": MESSAGE, "extensions": {"code": CODE}}]}`,
    instead of a 500. The cause goes to the log."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started or not _is_fault_group(exc):
                raise
            log.warning("database unavailable at %s: %r", scope.get("path"), exc)
            accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
            body = orjson.dumps({"errors": [{"message": MESSAGE, "extensions": {"code": CODE}}]})
            headers = [
                (b"content-type", negotiate(accept).encode()),
                (b"content-length", b"%d" % len(body)),
                (b"retry-after", RETRY_AFTER.encode()),
            ]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})
