"""ASGI middleware resolving each request's viewer from its `Authorization` header.

- No `Authorization` header: anonymous.
- `Bearer ogpwg_...`: an API token (`core.auth.tokens`); any other bearer credentials: an OpenID
  Connect access token when that is configured (`core.auth.oidc`).
- Anything else (another scheme, an unknown, expired or revoked token, a JWT that does not
  verify, two `Authorization` headers): HTTP 401 with a GraphQL-shaped body and RFC 6750's
  challenge, never an anonymous request:

      WWW-Authenticate: Bearer realm="ogp-wg", error="invalid_token", error_description="..."
      {"errors": [{"message": "...", "extensions": {"code": "UNAUTHENTICATED"}}]}

- The issuer's key set unreachable: 503 SERVICE_UNAVAILABLE with `Retry-After`; the database
  unreachable: the same answer, from `core.db_faults.AnswerFaults`. Nothing internal in either.

The viewer is left in the ASGI scope (`viewer_of(scope)`), for the GraphQL context and for any
middleware that runs inside this one (rate limits per token, idempotency keys per person).

A GraphQL request over HTTP (`/graphql`, no `Idempotency-Key`) with an API token this worker
looked up before (core.auth.known) is not looked up again here: it gets a `Provisional` viewer,
which the GraphQL view confirms before it executes anything (`confirm`), or which a kept query's
own statement confirms (core.compiled.kept); a token no longer usable is then answered the same
401. `viewer_of` refuses (RuntimeError) to give an unconfirmed viewer, so a path that forgot to
confirm fails instead of acting for a token it did not check.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.responses import Response

from core.auth import ANONYMOUS, Viewer
from core.auth.known import Known, KnownTokens
from core.auth.oidc import KeysUnavailable, OIDCVerifier
from core.auth.tokens import (
    LAST_USED_RESOLUTION,
    TokenError,
    authenticate_token,
    hash_token,
    is_api_token,
)
from core.db import Database, utcnow

VIEWER = "ogp_wg.viewer"
"""ASGI scope key of the request's `Viewer`."""
PROVISIONAL = "ogp_wg.provisional"
"""ASGI scope key of the request's `Provisional` viewer, when it has one instead."""
DEFERRED_PATHS = frozenset({"/graphql"})
"""Where a known token's lookup waits for the GraphQL view (`Provisional`)."""
REALM = "ogp-wg"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
log = logging.getLogger("ogp_wg.auth")


class Provisional:
    """A request's viewer as a token this worker knows (`known`) says, not yet confirmed.
    `confirm()` looks the token up (once per request) and returns the viewer it stands for
    now, or raises Unauthenticated; `confirmed(viewer)` records a confirmation made elsewhere
    (a kept statement's check: core.auth.known)."""

    def __init__(self, known: Known, look_up: Callable[[], Awaitable[Viewer]]) -> None:
        self.known = known
        self.viewer: Viewer | None = None
        """The confirmed viewer; None until confirmed."""
        self.bailed = False
        """An execution begun for it unconfirmed stopped before anything ran unchecked
        (core.compiled.kept: it runs again once the viewer is confirmed)."""
        self._look_up = look_up

    async def confirm(self) -> Viewer:
        if self.viewer is None:
            self.viewer = await self._look_up()
        return self.viewer

    def confirmed(self) -> None:
        self.viewer = self.known.viewer


def provisional_of(scope: Any) -> Provisional | None:
    """The request's provisional viewer (its ASGI scope or a Starlette request), if any."""
    scope = getattr(scope, "scope", scope)
    return scope.get(PROVISIONAL) if scope is not None else None


def viewer_of(scope: Any) -> Viewer:
    """The viewer this middleware resolved for a request (its ASGI scope, or a Starlette
    request); ANONYMOUS when the middleware did not run. Raises RuntimeError for a viewer
    not confirmed yet (`Provisional`: confirm it first)."""
    scope = getattr(scope, "scope", scope)
    provisional = provisional_of(scope)
    if provisional is not None:
        if provisional.viewer is None:
            raise RuntimeError("the request's viewer is used before it was confirmed")
        return provisional.viewer
    viewer = scope.get(VIEWER, ANONYMOUS) if scope is not None else ANONYMOUS
    return viewer if isinstance(viewer, Viewer) else ANONYMOUS


def unconfirmed(context: Any) -> Provisional | None:
    """The provisional viewer of a GraphQL `context`, while it is not confirmed."""
    provisional = provisional_of(context.request)
    return provisional if provisional is not None and provisional.viewer is None else None


async def confirm(context: Any) -> None:
    """Confirm the provisional viewer of a GraphQL `context` (core.context.Context), if it
    has one, and make the confirmed one the context's viewer. Raises Unauthenticated."""
    provisional = provisional_of(context.request)
    if provisional is not None:
        context.viewer = await provisional.confirm()


class Unauthenticated(Exception):
    """The request's credentials are not usable; `error` is RFC 6750's error code."""

    def __init__(self, message: str, error: str = "invalid_token") -> None:
        super().__init__(message)
        self.error = error


class Authentication:
    """Pure ASGI middleware: `Middleware(Authentication, db=db, oidc=verifier_or_None)`."""

    def __init__(self, app: Any, db: Database, oidc: OIDCVerifier | None = None) -> None:
        self.app = app
        self.db = db
        self.oidc = oidc
        # a kept statement confirming a token would read the replica's copy of the tokens
        replica = getattr(db, "replica_engine", None) is not None
        self.known = None if replica else KnownTokens(LAST_USED_RESOLUTION)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        values = [v for k, v in scope.get("headers", ()) if k.lower() == b"authorization"]
        known = self._known(scope, values)
        if known is not None:
            provisional = Provisional(known, lambda: self.authenticate(values))
            await self.app({**scope, PROVISIONAL: provisional}, receive, send)
            return
        try:
            viewer = await self.authenticate(values)
        except Unauthenticated as exc:
            await refuse(scope, send, 401, "UNAUTHENTICATED", str(exc), exc.error)
            return
        except KeysUnavailable as exc:
            log.warning("OpenID Connect key set unavailable: %s", exc)
            message = "The service is temporarily unavailable; try again shortly."
            await refuse(scope, send, 503, "SERVICE_UNAVAILABLE", message)
            return
        # A database fault while looking the token up propagates: core.db_faults.AnswerFaults,
        # outside this middleware, answers it 503 SERVICE_UNAVAILABLE like every other path.
        await self.app({**scope, VIEWER: viewer}, receive, send)

    def _known(self, scope: Any, values: list[bytes]) -> Known | None:
        """The known token of a GraphQL request over HTTP without an `Idempotency-Key`
        (whose middleware needs the viewer at once), if it sends one: see the module's
        docstring."""
        if self.known is None or len(values) != 1 or scope["type"] != "http":
            return None
        if scope["path"] not in DEFERRED_PATHS:
            return None
        if any(k.lower() == b"idempotency-key" for k, _ in scope.get("headers", ())):
            return None
        scheme, _, credentials = values[0].partition(b" ")
        token = credentials.strip()
        if scheme.lower() != b"bearer" or not token.isascii():
            return None
        text = token.decode("ascii")
        return self.known.get(hash_token(text), utcnow()) if is_api_token(text) else None

    async def authenticate(self, values: list[bytes]) -> Viewer:
        """The viewer for these `Authorization` header values; raises Unauthenticated."""
        if not values:
            return ANONYMOUS
        if len(values) > 1:
            raise Unauthenticated("Send one Authorization header.", "invalid_request")
        try:
            scheme, _, credentials = values[0].decode("ascii").strip().partition(" ")
        except UnicodeDecodeError:
            raise Unauthenticated("The bearer token is not valid.") from None
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            raise Unauthenticated(
                "Send 'Authorization: Bearer <token>' (an API token or an access token).",
                "invalid_request",
            )
        try:
            if is_api_token(credentials):
                return await authenticate_token(self.db, credentials, known=self.known)
            if self.oidc is not None:
                return await self.oidc.authenticate(self.db, credentials)
        except TokenError as exc:
            raise Unauthenticated(str(exc)) from None
        raise Unauthenticated("The bearer token is not valid.")


def refusal(scope: Any, status: int, code: str, message: str, error: str = "") -> Response:
    """The answer to a request this module refuses: 401 (with RFC 6750's challenge) or 503,
    a GraphQL-shaped body in the media type the request accepts."""
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    accept = b"".join(v for k, v in scope.get("headers", ()) if k.lower() == b"accept")
    media = (
        GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON.encode() in accept else "application/json"
    )
    headers = {"content-type": f"{media}; charset=utf-8", "cache-control": "no-store"}
    if status == 401:
        challenge = f'Bearer realm="{REALM}", error="{error}", error_description="{message}"'
        headers["www-authenticate"] = challenge
    else:
        headers["retry-after"] = "2"
    return Response(body, status, headers)


async def refuse(
    scope: Any, send: Any, status: int, code: str, message: str, error: str = ""
) -> None:
    """Refuse a request (`refusal`); a WebSocket's upgrade is closed (the server answers 403)."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await refusal(scope, status, code, message, error)(scope, _nothing, send)


async def _nothing() -> Any:
    return {"type": "http.disconnect"}
