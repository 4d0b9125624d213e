"""Rate limits per client address and per bearer token (issue 8, point 3), counted by `limits`.

Points per minute (a moving window): each client address has `rate_limit_per_ip`, each bearer
token `rate_limit_per_token` (the token is known by a hash of the credentials, before they are
even checked, so guessing tokens costs the guesser's address too). A request to `/graphql` costs
`rate_limit_query_cost` (1) before its body is read, whatever it turns out to be; an operation
found to be a mutation costs `rate_limit_mutation_cost` (10) in all, charged before it runs (each
operation of a batch is charged). A request that does not fit is not served: HTTP 429 with
`Retry-After` (seconds) and `{"errors": [{"message", "extensions": {"code": "RATE_LIMITED",
"retryAfter"}}]}`.

The counts live in this process's memory (one worker), or in Redis when `rate_limit_storage` is
a Redis URL (`redis://127.0.0.1:6379`), shared by every worker and host. A storage that fails
(Redis down or slow) does not take the API down: the request is served and a warning logged.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator
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
                digest = hashlib.sha256(value).hexdigest()[:32]
                keys.append((self.per_token, (self.prefix, "token", digest)))
                break
        return keys

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


def too_many(retry_after: int) -> tuple[dict[str, Any], list[tuple[bytes, bytes]]]:
    """The 429 answer's start message and body, GraphQL-shaped."""
    body = orjson.dumps({"errors": [rate_limited(retry_after).formatted]})
    headers = [
        (b"content-type", b"application/json"),
        (b"retry-after", str(retry_after).encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    return {"type": "http.response.start", "status": 429, "headers": headers}, [(b"", body)]


class RateLimits:
    """ASGI middleware: charge each `/graphql` request its base cost, or answer 429."""

    def __init__(self, app: Any, limiter: RateLimiter, path: str = "/graphql") -> None:
        self.app = app
        self.limiter = limiter
        self.path = path

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") != self.path:
            await self.app(scope, receive, send)
            return
        charges = Charges(self.limiter, self.limiter.keys(scope))
        retry_after = await self.limiter.charge(charges.keys, self.limiter.query_cost)
        if retry_after is not None:
            start, [(_, body)] = too_many(retry_after)
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self.app({**scope, SCOPE_KEY: charges}, receive, send)


class MutationCost(SchemaExtension):
    """Charges each operation once its type is known, before it runs (see the module doc)."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        request = getattr(context.context, "request", None)
        charges = request.scope.get(SCOPE_KEY) if request is not None else None
        if isinstance(charges, Charges):
            is_mutation = context.operation_type is OperationType.MUTATION
            retry_after = await charges.operation(is_mutation)
            if retry_after is not None:
                context.result = GraphQLExecutionResult(None, [rate_limited(retry_after)])
                response = context.context.response
                response.status_code = 429
                response.headers["retry-after"] = str(retry_after)
        yield
