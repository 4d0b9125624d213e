"""Rate limits per client address and per bearer token (issue 8, point 3), counted by `limits`.

Points per minute (a moving window): each client address has `rate_limit_per_ip`, each bearer
token `rate_limit_per_token` (the token is known by a hash of the credentials, before they are
even checked, so guessing tokens costs the guesser's address too). What is charged:

- every HTTP request but the probes (`/healthz`, `/readyz`, `/metrics`: EXEMPT) and GraphiQL's
  static files (served only outside production, from memory, several per page load):
  `rate_limit_query_cost` (1) before its body is read, whatever it turns out to be: `/graphql`,
  the iCalendar feeds (`/groups/{slug}/meetings.ics`, `/meetings/{id}.ics`,
  `/calendar/{token}.ics`), `/graphql/possible-types`, and any unknown path;
- a GraphQL operation found to be a mutation: `rate_limit_mutation_cost` (10) in all, charged
  before it runs (each operation of a batch is charged);
- a WebSocket connection (the upgrade of `/graphql`): `rate_limit_query_cost`; and each of its
  `subscribe` messages `rate_limit_query_cost` more (core.activity.websocket, `Charges.message`),
  counted against the token of `connection_init`'s `authorization` as well.

A request that does not fit is not served: HTTP 429 with `Retry-After` (seconds) and
`{"errors": [{"message", "extensions": {"code": "RATE_LIMITED", "retryAfter"}}]}`. A WebSocket
upgrade that does not fit is refused with the same HTTP 429 (the ASGI "websocket.http.response"
extension; a server without it closes the handshake: 403), which graphql-ws clients treat as a
failed connection and retry with their backoff; a `subscribe` that does not fit gets an `error`
message with that RATE_LIMITED error, and the connection and its other subscriptions go on.

The counts live in this process's memory (one worker), or in Redis when `rate_limit_storage` is
a Redis URL (`redis://127.0.0.1:6379`), shared by every worker and host. A storage that fails
(Redis down or slow) does not take the API down: the request is served and a warning logged.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from core.config import ConfigError, Settings
from core.errors import api_error

log = logging.getLogger("ogp_wg")
SCOPE_KEY = "ogp_wg.rate_limit"
"""Where the middleware leaves a request's `Charges` in the ASGI scope, for `MutationCost`."""
REDIS_TIMEOUT = 0.5
"""Seconds to wait for Redis before serving the request uncounted."""
EXEMPT = frozenset({"/healthz", "/readyz", "/metrics"})
"""Paths never charged: probes a load balancer or Prometheus polls."""
UNCHARGED_PREFIXES = ("/graphiql/static/",)
"""GraphiQL's files (core.graphiql.PREFIX; never served in production)."""


def rate_limited(retry_after: int) -> GraphQLError:
    message = f"Too many requests: try again in {retry_after} s."
    return api_error("RATE_LIMITED", message, retryAfter=retry_after)


def _storage(settings: Settings) -> Storage:
    """The `limits` storage the settings name; ConfigError for a URL it cannot use."""
    url = settings.rate_limit_storage or "memory://"
    options: dict[str, Any] = {}
    if not url.startswith("async+"):
        url = f"async+{url}"
    if url.startswith(("async+redis", "async+valkey")):
        options = {
            "implementation": "redispy",
            "socket_timeout": REDIS_TIMEOUT,
            "socket_connect_timeout": REDIS_TIMEOUT,
        }
    try:
        storage = storage_from_string(url, wrap_exceptions=True, **options)
    except ConfigurationError as exc:
        raise ConfigError(
            f"rate_limit_storage {settings.rate_limit_storage!r} cannot be used: {exc} "
            "(leave it unset to count in memory, or give a Redis URL: redis://host:6379)"
        ) from exc
    assert isinstance(storage, Storage)  # an async+ scheme gives an asyncio storage
    return storage


class RateLimiter:
    """The limits of one app: its storage, the two per-minute items and the costs."""

    def __init__(self, settings: Settings) -> None:
        self.storage = _storage(settings)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.prefix = settings.rate_limit_key_prefix
        self.per_ip = RateLimitItemPerMinute(settings.rate_limit_per_ip)
        self.per_token = RateLimitItemPerMinute(settings.rate_limit_per_token)
        self.query_cost = settings.rate_limit_query_cost
        self.mutation_cost = max(settings.rate_limit_mutation_cost, self.query_cost)

    def keys(self, scope: Any) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        """The buckets a request counts against: its address's and, with credentials, its
        token's (a hash of the `Authorization` header, never the secret)."""
        client = scope.get("client")
        address = client[0] if client else "unknown"
        keys: list[tuple[RateLimitItem, tuple[str, ...]]] = [
            (self.per_ip, (self.prefix, "ip", str(address)))
        ]
        for name, value in scope.get("headers") or ():
            if name == b"authorization" and value:
                keys.append(self.token_key(value))
                break
        return keys

    def token_key(self, credentials: bytes) -> tuple[RateLimitItem, tuple[str, ...]]:
        """The bucket of an `Authorization` value ("Bearer ..."), by a hash of it."""
        digest = hashlib.sha256(credentials).hexdigest()[:32]
        return self.per_token, (self.prefix, "token", digest)

    async def charge(
        self, keys: list[tuple[RateLimitItem, tuple[str, ...]]], cost: int
    ) -> int | None:
        """Take `cost` points from every bucket; the seconds to wait if one has too few, else
        None. A bucket that refuses takes nothing; an earlier one keeps what it took."""
        if cost <= 0:
            return None
        try:
            for item, identifiers in keys:
                if not await self.limiter.hit(item, *identifiers, cost=cost):
                    stats = await self.limiter.get_window_stats(item, *identifiers)
                    return max(1, math.ceil(stats.reset_time - time.time()))
        except Exception as exc:  # the storage failed: serve rather than refuse everyone
            log.warning("rate limit storage unavailable, request not counted: %r", exc)
        return None


@dataclass
class Charges:
    """One request's buckets, and how many of its operations were charged so far."""

    limiter: RateLimiter
    keys: list[tuple[RateLimitItem, tuple[str, ...]]]
    operations: int = field(default=0)

    async def operation(self, is_mutation: bool) -> int | None:
        """Charge one operation (the request's own cost already paid counts for the first)."""
        cost = self.limiter.mutation_cost if is_mutation else self.limiter.query_cost
        if self.operations == 0:
            cost -= self.limiter.query_cost
        self.operations += 1
        return await self.limiter.charge(self.keys, cost)

    async def message(self, authorization: str | None) -> int | None:
        """Charge one WebSocket `subscribe` message `rate_limit_query_cost`, against the
        connection's buckets and the token of its `connection_init` (`authorization`), if any
        and not the upgrade's own; the seconds to wait if it does not fit, else None."""
        keys = list(self.keys)
        if authorization:
            token = self.limiter.token_key(authorization.encode(errors="replace"))
            if token not in keys:
                keys.append(token)
        return await self.limiter.charge(keys, self.limiter.query_cost)


def too_many(retry_after: int) -> tuple[dict[str, Any], list[tuple[bytes, bytes]]]:
    """The 429 answer's start message and body, GraphQL-shaped."""
    body = orjson.dumps({"errors": [rate_limited(retry_after).formatted]})
    headers = [
        (b"content-type", b"application/json"),
        (b"retry-after", str(retry_after).encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    return {"type": "http.response.start", "status": 429, "headers": headers}, [(b"", body)]


def charged(scope: Any) -> bool:
    """Whether a request is charged (see the module doc): HTTP and WebSocket, but the EXEMPT
    paths and GraphiQL's files."""
    if scope["type"] not in ("http", "websocket"):
        return False
    path = scope.get("path") or ""
    return path not in EXEMPT and not path.startswith(UNCHARGED_PREFIXES)


class RateLimits:
    """ASGI middleware: charge each request its base cost (see `charged`), or answer 429; the
    request's `Charges` are left in its scope (SCOPE_KEY) for the operations it carries."""

    def __init__(self, app: Any, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not charged(scope):
            await self.app(scope, receive, send)
            return
        charges = Charges(self.limiter, self.limiter.keys(scope))
        retry_after = await self.limiter.charge(charges.keys, self.limiter.query_cost)
        if retry_after is not None:
            start, [(_, body)] = too_many(retry_after)
            if scope["type"] == "websocket":
                await _deny_upgrade(scope, receive, send, start, body)
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self.app({**scope, SCOPE_KEY: charges}, receive, send)


async def _deny_upgrade(
    scope: Any, receive: Any, send: Any, start: dict[str, Any], body: bytes
) -> None:
    """Refuse a WebSocket handshake with the 429 answer (ASGI's websocket.http.response
    extension), or by closing it (403) where the server has no such extension."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return  # the client left already
    if "websocket.http.response" in (scope.get("extensions") or {}):
        await send({**start, "type": "websocket.http.response.start"})
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008})


_charged: ContextVar[bool] = ContextVar("ogp_wg_operation_charged", default=False)


@contextmanager
def charged_already() -> Iterator[None]:
    """Within: the current operation was charged (`charge_operation` charges it no more)."""
    token = _charged.set(True)
    try:
        yield
    finally:
        _charged.reset(token)


async def charge_operation(context: Any, is_mutation: bool) -> GraphQLError | None:
    """Charge one operation of an HTTP request (`context`: ours, with its request and temporal
    response) once its type is known, before it runs: the RATE_LIMITED error to answer instead
    (and 429 with Retry-After set on the response) when it does not fit, else None. Nothing is
    charged over WebSocket (each `subscribe` is, instead), on an uncharged path, or again
    (`charged_already`)."""
    if _charged.get():
        return None
    request = getattr(context, "request", None)
    scope = request.scope if request is not None else {}
    charges = scope.get(SCOPE_KEY) if scope.get("type") == "http" else None
    if not isinstance(charges, Charges):
        return None
    retry_after = await charges.operation(is_mutation)
    if retry_after is None:
        return None
    response = context.response
    response.status_code = 429
    response.headers["retry-after"] = str(retry_after)
    return rate_limited(retry_after)


class MutationCost(SchemaExtension):
    """Charges each operation of an HTTP request once its type is known, before it runs (see
    the module doc): `charge_operation`."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        is_mutation = context.operation_type is OperationType.MUTATION
        refused = await charge_operation(context.context, is_mutation)
        if refused is not None:
            context.result = GraphQLExecutionResult(None, [refused])
        yield
