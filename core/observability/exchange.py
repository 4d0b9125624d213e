"""One /graphql request as the metrics see it (`core.observability.metrics`): the `Exchange`
record, filled in while the request runs by the ASGI middleware, the schema extension (each
operation's name and type: `core.observability.operations`), the GraphQL view (`note_errors`: its
errors' codes; `not_graphql`: the GraphiQL page) and SQLAlchemy's cursor events (statements and
their time), then handed to `Metrics.observe`.

The record travels in a context variable, so every task the request spawns (loaders, the
timeout's task) adds to the same one, and statements outside any request count for none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import event

from core.db import on_raw_statement
from core.observability.operations import Operation, collecting

if TYPE_CHECKING:
    from core.observability.metrics import Metrics

GRAPHQL_PATH = "/graphql"
SERVER_CODES = frozenset({"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"})
"""Error codes that are the server's failure, not the client's."""
MAX_ERROR_BODY = 64 * 1024
"""Bytes of a 4xx/5xx body read for its error codes (refusals are a few hundred bytes)."""
_START = "_ogp_wg_metrics_start"  # on SQLAlchemy's execution context: when the cursor ran


@dataclass(slots=True)
class Exchange:
    """What one /graphql request did, filled in while it runs (see `note_errors`)."""

    operations: list[Operation] = field(default_factory=list)
    """Each operation's (name, type), noted by the schema extension."""
    codes: list[str] | None = None
    """Error codes of the response, or None when the GraphQL view noted none."""
    statements: int = 0
    sql_seconds: float = 0.0
    graphql: bool = True
    """False for the GraphiQL page (`not_graphql`): a page for a browser, not counted."""


_exchange: ContextVar[Exchange | None] = ContextVar("ogp_wg_metrics_exchange", default=None)


def note_errors(errors: Iterable[object]) -> None:
    """Count a GraphQL response's errors (each `{"extensions": {"code": str}}`, as formatted
    for the client) towards the current request; nothing outside a measured request."""
    exchange = _exchange.get()
    if exchange is None:
        return
    codes = exchange.codes if exchange.codes is not None else []
    codes.extend(_code(error) for error in errors)
    exchange.codes = codes


def not_graphql() -> None:
    """The current request is not a GraphQL request (a browser asking /graphql for the GraphiQL
    page, or for its 404 when GraphiQL is off): it is left out of the metrics."""
    exchange = _exchange.get()
    if exchange is not None:
        exchange.graphql = False


def _code(error: Any) -> str:
    extensions = error.get("extensions") if isinstance(error, Mapping) else None
    code = extensions.get("code") if isinstance(extensions, Mapping) else None
    return code if isinstance(code, str) and code else "UNKNOWN"


def _codes_in(body: bytes) -> list[str]:
    """The error codes of a refusal's JSON body (`{"errors": [...]}`); [] for anything else."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return []
    errors = parsed.get("errors") if isinstance(parsed, dict) else None
    return [_code(error) for error in errors] if isinstance(errors, list) else []


def outcome(status: int, codes: list[str]) -> str:
    """`ok`, `client_error`, `server_error`, or `cancelled` (status 0: nothing was sent)."""
    if status == 0:
        return "cancelled"
    if status >= 500 or any(code in SERVER_CODES for code in codes):
        return "server_error"
    if status >= 400 or codes:
        return "client_error"
    return "ok"


class MetricsMiddleware:
    """ASGI middleware measuring each /graphql request (every other path passes through)."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != GRAPHQL_PATH:
            await self.app(scope, receive, send)
            return
        exchange = Exchange()
        status = 0
        body: list[bytes] | None = None

        async def measured(message: Any) -> None:
            nonlocal status, body
            if message["type"] == "http.response.start":
                status = message["status"]
                if status >= 400 and exchange.codes is None:
                    body = []  # a refusal made outside the GraphQL view: read its codes
            elif body is not None and sum(map(len, body)) < MAX_ERROR_BODY:
                body.append(message.get("body", b""))
            await send(message)

        token = _exchange.set(exchange)
        start = perf_counter()
        try:
            with collecting() as exchange.operations:
                await self.app(scope, receive, measured)
        except Exception:
            status = status or 500  # answered 500 by an outer layer
            raise
        finally:
            _exchange.reset(token)
            if exchange.graphql:
                codes = exchange.codes
                if codes is None:
                    codes = _codes_in(b"".join(body)) if body else []
                self.metrics.observe(exchange, status, codes, perf_counter() - start)


def watch_statements(engine: Any) -> None:
    """Count the statements of `engine` (a sync Engine) and their time in each request: those
    SQLAlchemy runs (its cursor events) and those the compiled read path runs on the driver
    itself (`core.db.on_raw_statement`)."""
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(engine, "after_cursor_execute", _after_cursor_execute)
    event.listen(engine, "handle_error", _handle_error)
    on_raw_statement(engine, _raw_statement)


def _raw_statement(_sql: str, seconds: float) -> None:
    exchange = _exchange.get()
    if exchange is not None:
        exchange.statements += 1
        exchange.sql_seconds += seconds


def _before_cursor_execute(
    _conn: Any, _cursor: Any, _sql: Any, _params: Any, context: Any, *_: Any
) -> None:
    exchange = _exchange.get()
    if exchange is not None:
        exchange.statements += 1
        setattr(context, _START, perf_counter())


def _after_cursor_execute(
    _conn: Any, _cursor: Any, _sql: Any, _params: Any, context: Any, *_: Any
) -> None:
    start = getattr(context, _START, None)
    exchange = _exchange.get()
    if start is not None and exchange is not None:
        exchange.sql_seconds += perf_counter() - start


def _handle_error(context: Any) -> None:
    execution = context.execution_context
    start = getattr(execution, _START, None) if execution is not None else None
    exchange = _exchange.get()
    if start is not None and exchange is not None:
        exchange.sql_seconds += perf_counter() - start
