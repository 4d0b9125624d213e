"""Logs: one line per event (a JSON object in production, readable text in development), each
line of a request carrying its `request_id`, each event logged once, at the level it deserves.

- `configure_logging(settings, stream=None)`: once per process at start-up (`ogp-wg serve`, and
  each worker's app factory). One handler on the root logger, whose formatter is structlog's
  `ProcessorFormatter`, renders every record: ours (stdlib loggers `ogp_wg.*`), uvicorn's,
  Strawberry's, SQLAlchemy's and those of structlog's own loggers alike. `log_format`: "json"
  (the default in production) or "text" (the default otherwise); `log_level`.
- `RequestContext`: the outermost ASGI middleware. Each HTTP request (and WebSocket connection)
  gets a request ID: the client's `X-Request-ID` when it is a plain token (`REQUEST_ID`), else a
  new one (`new_request_id`). It is bound for every log line of the request
  (`structlog.contextvars`), sent back in the `X-Request-ID` header of every answer (GraphQL,
  health, 401, 413, 429, 500...), and with `access_log` ends the request in one access line:
  method, path, status, duration_ms, operation. An exception no inner layer answered is logged
  once at ERROR (with its traceback) and answered 500 in the GraphQL error shape, with the
  correlation ID.
- `log_graphql_errors`: the schema's `process_errors`. A client's mistake (every code but the
  server's own: validation, parse, bad input and arguments, cursors, limits, FORBIDDEN,
  UNAUTHENTICATED, RATE_LIMITED...) is one INFO line without a traceback; an internal error one
  ERROR line with its traceback and the correlation ID that the response carries in
  `extensions.correlationId` (the request ID). A database fault or a timeout is logged (WARNING)
  where it is recognised, `core.db_faults` and `core.timeouts`, and not again here.
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Literal

import orjson
import structlog
from graphql import GraphQLError

from core.db_faults import is_database_fault
from core.errors import classify
from core.observability.operations import Operation, collecting, describe

if TYPE_CHECKING:
    from core.config import Settings

errors_log = logging.getLogger("ogp_wg.errors")
access_log = logging.getLogger("ogp_wg.access")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
"""A request ID a client may choose: a plain token, so no log line carries a client's newline,
quote or megabyte. Anything else is replaced by a new one (`new_request_id`, 32 hex digits)."""
HEADER = b"x-request-id"


_IDS = random.Random()
os.register_at_fork(after_in_child=_IDS.seed)  # each worker its own sequence


def new_request_id() -> str:
    """128 random bits as 32 hex digits: an ID that finds a request's log lines, not a secret,
    so from a generator of its own (seeded from the system once per process, untouched by
    anything that seeds `random`), not uuid4's system call per request."""
    return f"{_IDS.getrandbits(128):032x}"


INTERNAL = "INTERNAL_SERVER_ERROR"
LOGGED_ELSEWHERE = frozenset({"SERVICE_UNAVAILABLE", "TIMEOUT"})
"""Server-side codes whose cause is logged (WARNING) where it is recognised."""
_LOGGED = "_ogp_logged"  # on a GraphQLError: Strawberry hands a parse error over twice
_OURS = "_ogp_handler"  # on the root handler configure_logging installed
UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


@dataclass
class RequestInfo:
    """What the access line needs to know of a request, filled in as it runs."""

    request_id: str
    operations: list[Operation] = field(default_factory=list)
    """Filled in by `core.observability.operations.OperationNames`."""


_request: ContextVar[RequestInfo | None] = ContextVar("ogp_wg_request", default=None)


def request_id_of(given: str | bytes | None) -> str:
    """`given` (an `X-Request-ID` value) when it matches REQUEST_ID, else `new_request_id()`."""
    if isinstance(given, bytes):
        given = given.decode("latin-1")
    return given if given and REQUEST_ID.fullmatch(given) else new_request_id()


def current_request_id() -> str:
    """The request ID of the request being served (`RequestContext`). Outside one (a schema
    executed directly), a new ID that the rest of the current context shares."""
    info = _request.get()
    if info is None:
        info = RequestInfo(new_request_id())
        _request.set(info)
    return info.request_id


# --- configuration ------------------------------------------------------------------------


def _drop_uvicorn_colors(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """uvicorn passes an ANSI-coloured copy of its message as an `extra`: not a field."""
    event.pop("color_message", None)
    return event


def _drop_empty(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """Readable text leaves out what is unknown (`operation=None`); JSON keeps its keys."""
    return {key: value for key, value in event.items() if value is not None}


def _context_processors() -> list[Any]:
    """What every line carries: the request's context (request_id), level, logger, time."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _renderers(log_format: Literal["json", "text"], stream: IO[str]) -> list[Any]:
    meta = structlog.stdlib.ProcessorFormatter.remove_processors_meta
    if log_format == "json":
        # The traceback as one string field: the line stays one JSON object.
        dumps = orjson.dumps

        def serializer(value: Any, **_: Any) -> str:
            return dumps(value, default=repr).decode()

        return [
            meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(serializer=serializer),
        ]
    colors = bool(getattr(stream, "isatty", lambda: False)())
    renderer = structlog.dev.ConsoleRenderer(
        colors=colors, exception_formatter=structlog.dev.plain_traceback
    )
    return [meta, _drop_empty, renderer]


def resolved_format(settings: Settings) -> Literal["json", "text"]:
    """`log_format` as configured, or by default JSON in production and text otherwise."""
    if settings.log_format is not None:
        return settings.log_format
    return "json" if settings.production else "text"


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Route every log record of the process to one handler writing to `stream` (stderr) in
    `resolved_format(settings)` at `settings.log_level`. Calling it again replaces what an
    earlier call installed (nothing else on the root logger is touched). uvicorn's loggers
    lose their own handlers (their records reach ours) and its access log is off: the access
    line is `RequestContext`'s. Returns the handler installed."""
    stream = stream or sys.stderr
    # A stdlib record's fields are its `extra`s (`log.info("event", extra={...})`).
    foreign = [*_context_processors(), structlog.stdlib.ExtraAdder(), _drop_uvicorn_colors]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=foreign, processors=_renderers(resolved_format(settings), stream)
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    setattr(handler, _OURS, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in UVICORN:
        # uvicorn's own set-up (a level, handlers, or `disabled` by a dictConfig) may have run
        # in this process before: its records follow the root's level and handler from now on.
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.disabled = False
        logger.setLevel(logging.NOTSET)
    logging.getLogger("uvicorn.access").disabled = True
    # structlog's own loggers (a plugin may use them) go through the same handler.
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_context_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return handler


_quiet: ContextVar[bool] = ContextVar("ogp_wg_quiet_alembic", default=False)
ALEMBIC_CONTEXT = "alembic.runtime.migration"
"""The logger of Alembic's MigrationContext: two INFO lines ("Context impl ...", "Will assume
... DDL") each time one is made, which reading the applied revisions does."""


def _not_quiet(_: logging.LogRecord) -> bool:
    return not _quiet.get()


@contextmanager
def quiet_alembic() -> Iterator[None]:
    """Drop the INFO lines of Alembic's MigrationContext logged in the current context (and the
    tasks and SQLAlchemy greenlets it starts): `/readyz` reads the applied revisions on every
    probe. A migration elsewhere, in another request or thread, still logs them."""
    logging.getLogger(ALEMBIC_CONTEXT).addFilter(_not_quiet)  # once: a filter is added once
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def uvicorn_log_options(settings: Settings) -> dict[str, Any]:
    """`uvicorn.run` keywords that keep `configure_logging`'s set-up: no logging config of
    uvicorn's own (it would replace ours), no access log of its own (ours has the request ID
    and the operation), our level."""
    return {"log_config": None, "access_log": False, "log_level": settings.log_level.lower()}


# --- GraphQL errors -------------------------------------------------------------------------


def _operation_name(execution_context: Any) -> str | None:
    return describe(execution_context).name if execution_context is not None else None


def log_graphql_errors(
    errors: Sequence[GraphQLError], execution_context: Any = None, operation: str | None = None
) -> None:
    """Log each error once (see the module docstring): INFO for a client's mistake (event
    "client error": code, error, path, operation), ERROR with the traceback for an internal
    one (event "internal error": correlation_id, error, path, operation). The operation's name
    is `operation`, else read from Strawberry's `execution_context`."""
    for error in errors:
        if error.__dict__.get(_LOGGED):
            continue
        error.__dict__[_LOGGED] = True
        original = error.original_error
        if is_database_fault(original):
            continue
        code = classify(error, debug=True)["extensions"]["code"]
        if code in LOGGED_ELSEWHERE:
            continue
        operation = operation or _operation_name(execution_context)
        fields: dict[str, Any] = {
            "code": code,
            "error": error.message,
            "path": ".".join(map(str, error.path)) if error.path else None,
            "operation": operation,
        }
        if code == INTERNAL:
            fields["correlation_id"] = current_request_id()
            errors_log.error("internal error", extra=fields, exc_info=original)
        else:
            errors_log.info("client error", extra=fields)


# --- the middleware -----------------------------------------------------------------------


async def _answer_internal_error(send: Any, request_id: str, message: str) -> None:
    """500 in the GraphQL error shape, with the correlation ID, as a masked field error has."""
    extensions = {"code": INTERNAL, "correlationId": request_id}
    body = orjson.dumps({"errors": [{"message": message, "extensions": extensions}]})
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestContext:
    """The outermost ASGI middleware: request ID, response header, access line, and the
    answer to an exception nothing else answered (see the module docstring)."""

    def __init__(self, app: Any, *, access_log: bool = False, debug: bool = False) -> None:
        self.app = app
        self.access_log = access_log
        self.debug = debug

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = next((value for key, value in scope.get("headers", ()) if key == HEADER), None)
        info = RequestInfo(request_id_of(given))
        header = (HEADER, info.request_id.encode())
        status: list[int] = []

        async def send_with_id(message: Any) -> None:
            kind = message["type"]
            if kind == "http.response.start" or kind == "websocket.accept":
                status.append(message.get("status", 101))
                kept = [h for h in message.get("headers") or () if h[0].lower() != HEADER]
                message = {**message, "headers": [*kept, header]}
            await send(message)

        start = time.perf_counter()
        token = _request.set(info)
        bound = structlog.contextvars.bind_contextvars(request_id=info.request_id)
        try:
            with collecting() as info.operations:
                await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # Logged here, once; not re-raised, so neither Starlette nor uvicorn logs it again.
            extra = {"correlation_id": info.request_id, "path": scope.get("path")}
            errors_log.error("unhandled exception", extra=extra, exc_info=exc)
            if not status and scope["type"] == "http":  # else the answer is already under way
                message = f"{type(exc).__name__}: {exc}" if self.debug else "Internal server error"
                await _answer_internal_error(send_with_id, info.request_id, message)
        finally:
            if self.access_log:
                self._access_line(scope, info, status, time.perf_counter() - start)
            structlog.contextvars.reset_contextvars(**bound)
            _request.reset(token)

    @staticmethod
    def _access_line(scope: Any, info: RequestInfo, status: list[int], seconds: float) -> None:
        names = [name for name, _ in info.operations]
        operation = ",".join(name or "-" for name in names) if any(names) else None
        access_log.info(
            "request",
            extra={
                "method": scope.get("method", "WEBSOCKET"),
                "path": scope.get("path"),
                "status": status[0] if status else None,
                "duration_ms": round(seconds * 1000, 2),
                "operation": operation,
            },
        )
