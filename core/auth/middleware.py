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
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from core.auth import ANONYMOUS, Viewer
from core.auth.oidc import KeysUnavailable, OIDCVerifier
from core.auth.tokens import TokenError, authenticate_token, is_api_token
from core.db import Database

VIEWER = "ogp_wg.viewer"
"""ASGI scope key of the request's `Viewer`."""
REALM = "ogp-wg"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
log = logging.getLogger("ogp_wg.auth")


def viewer_of(scope: Any) -> Viewer:
    """The viewer this middleware resolved for a request (its ASGI scope, or a Starlette
    request); ANONYMOUS when the middleware did not run."""
    scope = getattr(scope, "scope", scope)
    viewer = scope.get(VIEWER, ANONYMOUS) if scope is not None else ANONYMOUS
    return viewer if isinstance(viewer, Viewer) else ANONYMOUS


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

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        values = [v for k, v in scope.get("headers", ()) if k.lower() == b"authorization"]
        try:
            viewer = await self.authenticate(values)
        except Unauthenticated as exc:
            await self._refuse(scope, send, 401, "UNAUTHENTICATED", str(exc), exc.error)
            return
        except KeysUnavailable as exc:
            log.warning("OpenID Connect key set unavailable: %s", exc)
            message = "The service is temporarily unavailable; try again shortly."
            await self._refuse(scope, send, 503, "SERVICE_UNAVAILABLE", message)
            return
        # A database fault while looking the token up propagates: core.db_faults.AnswerFaults,
        # outside this middleware, answers it 503 SERVICE_UNAVAILABLE like every other path.
        await self.app({**scope, VIEWER: viewer}, receive, send)

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
                return await authenticate_token(self.db, credentials)
            if self.oidc is not None:
                return await self.oidc.authenticate(self.db, credentials)
        except TokenError as exc:
            raise Unauthenticated(str(exc)) from None
        raise Unauthenticated("The bearer token is not valid.")

    async def _refuse(
        self, scope: Any, send: Any, status: int, code: str, message: str, error: str = ""
    ) -> None:
        if scope["type"] == "websocket":  # before accept: the server answers the upgrade 403
            await send({"type": "websocket.close", "code": 1008})
            return
        body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
        accept = b"".join(v for k, v in scope.get("headers", ()) if k.lower() == b"accept")
        media = (
            GRAPHQL_RESPONSE_JSON
            if GRAPHQL_RESPONSE_JSON.encode() in accept
            else "application/json"
        )
        headers = [
            (b"content-type", f"{media}; charset=utf-8".encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        if status == 401:
            challenge = f'Bearer realm="{REALM}", error="{error}", error_description="{message}"'
            headers.append((b"www-authenticate", challenge.encode()))
        else:
            headers.append((b"retry-after", b"2"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
