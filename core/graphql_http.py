"""Strawberry's ASGI view with request errors as GraphQL-over-HTTP says: JSON bodies, 4xx codes.

What a client can get wrong before any GraphQL runs, and the answer (never a 5xx):

- a body that is not JSON text in UTF-8 (invalid bytes, a lone surrogate such as `"\\ud800"`,
  a number beyond a double): 400 `BAD_REQUEST`. orjson decodes, strictly; a leading UTF-8 byte
  order mark is ignored, as RFC 8259 allows;
- a JSON body that is not an object (`null`, `"abc"`, `123`, `true`): 400 `BAD_REQUEST`
  (an array is a batch, refused with 400 because batching is off);
- a mutation (or subscription) sent with GET: 405 `METHOD_NOT_ALLOWED` with `Allow: POST`;
- Strawberry's other refusals (unsupported content type, no query, a `variables` that is not an
  object, ...): their status, with the same JSON shape.

Every refusal is `{"errors": [{"message": str, "extensions": {"code": str}}]}`.

Media type and status (`negotiate`, `response_status`): a client that names
`application/graphql-response+json` in `Accept` (with a q not below application/json's) gets that
media type, and with it the status codes the specification gives it: a response without `data`
(a request error: parse, validation, variables) is 4xx (400, or the status its error code stands
for: 401 UNAUTHENTICATED, 403 FORBIDDEN, 429 RATE_LIMITED...), a response with `data` is 200. Any
other client (no `Accept`, `*/*`, `application/json`, or only types we do not serve) gets
`application/json` and 200 for every well-formed request, as the specification asks of that legacy
media type. One exception in both: a request that got no data because the database is unavailable
is 503 with `Retry-After` (the body says SERVICE_UNAVAILABLE), so proxies and clients retry it.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError

BOM = b"\xef\xbb\xbf"
JSON_WHITESPACE = b" \t\n\r"
JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}
STATUS_OF_CODE = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "METHOD_NOT_ALLOWED": 405,
    "PAYLOAD_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "RATE_LIMITED": 429,
    "INTERNAL_SERVER_ERROR": 500,
    "SERVICE_UNAVAILABLE": 503,
    "TIMEOUT": 504,
}
"""The status a data-less response stands for, by its errors' code (any other code: 400)."""
UNAVAILABLE = "SERVICE_UNAVAILABLE"
RETRY_AFTER = "2"
"""Seconds a client should wait before retrying a 503 (the database may be back by then)."""
_media_type: ContextVar[str] = ContextVar("graphql_media_type", default=JSON)


def negotiate(accept: str | None) -> str:
    """The media type to answer with, from an `Accept` header: GRAPHQL_RESPONSE_JSON when the
    client names it explicitly with a q above 0 and not below application/json's, else JSON
    (also when nothing acceptable is named: the specification lets a server disregard `Accept`
    rather than answer 406, and a 406 helps no one here). Wildcards select JSON.
    """
    if not accept:
        return JSON
    named: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = part.split(";")
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        named[media.strip().lower()] = q
    if GRAPHQL_RESPONSE_JSON not in named or named[GRAPHQL_RESPONSE_JSON] <= 0:
        return JSON
    # application/json's q is its most specific range's: exact, then application/*, then */*.
    json_q = next((named[r] for r in (JSON, "application/*", "*/*") if r in named), 0.0)
    return GRAPHQL_RESPONSE_JSON if named[GRAPHQL_RESPONSE_JSON] >= json_q else JSON


def _codes(response: GraphQLHTTPResponse) -> list[str]:
    codes = []
    for error in response.get("errors") or ():
        extensions = error.get("extensions") if isinstance(error, dict) else None
        code = extensions.get("code") if isinstance(extensions, dict) else None
        codes.append(code if isinstance(code, str) else "")
    return codes


def response_status(response: GraphQLHTTPResponse | list[GraphQLHTTPResponse], media: str) -> int:
    """The HTTP status of a GraphQL response (see the module docstring); a batch is 200."""
    if isinstance(response, list) or "data" in response:
        return 200
    codes = _codes(response)
    if codes and all(code == UNAVAILABLE for code in codes):
        return 503
    if media != GRAPHQL_RESPONSE_JSON:
        return 200
    statuses = [STATUS_OF_CODE.get(code, 400) for code in codes] or [400]
    # A client error is the one to report when there are both: retrying will not fix it.
    return min(statuses, key=lambda status: (status >= 500, status))


NOT_AN_OBJECT = (
    'The request body must be a JSON object: {"query": "...", "variables": {...}, '
    '"operationName": "..."}.'
)


def refusal(
    status: int, message: str, headers: dict[str, str] | None = None, *, media: str = JSON
) -> Response:
    """A request error as a GraphQL response body: status 4xx, `extensions.code` from CODES."""
    code = CODES.get(status, "BAD_REQUEST")
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return Response(body, status_code=status, headers=headers, media_type=media)


@lru_cache(maxsize=64)
def _media_type_of(content_type: str) -> str:
    """The media type of a `Content-Type` value (Strawberry's parsing, through the standard
    library's email parser: costly per request, and clients send a handful of values)."""
    return parse_content_type(content_type)[0]


class GraphQLView(GraphQL[Any, Any]):
    """`strawberry.asgi.GraphQL` that answers request errors in JSON, with the right status."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        media = negotiate(request.headers.get("accept"))
        token = _media_type.set(media)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            response = self._refuse(exc, scope["method"], media)
        finally:
            _media_type.reset(token)
        await response(scope, receive, send)

    def _refuse(self, exc: HTTPException, method: str, media: str) -> Response:
        if isinstance(exc.__cause__, InvalidOperationTypeError) and method == "GET":
            # GraphQL over HTTP: an operation GET may not carry is 405, and 405 names the
            # methods that would do (RFC 9110, 15.5.6).
            allow = {"allow": "POST"}
            return refusal(405, f"{exc.reason}; send it with POST", allow, media=media)
        if exc.status_code == 405:
            return refusal(405, exc.reason, {"allow": "GET, POST"}, media=media)
        return refusal(exc.status_code, exc.reason, media=media)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        """Strawberry's response, with the negotiated media type and its status codes; a
        status set on the context's response (by a resolver or an extension) wins."""
        media = _media_type.get()
        # Strawberry's sub-response starts with no status (None, whatever Starlette's type says).
        status: int | None = getattr(sub_response, "status_code", None)
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = media
        if status is None:
            response.status_code = response_status(response_data, media)
            if response.status_code == 503:
                response.headers.setdefault("retry-after", RETRY_AFTER)
        return response

    def decode_json(self, data: str | bytes) -> object:
        if isinstance(data, bytes) and data.startswith(BOM):
            data = data[len(BOM) :]
        elif isinstance(data, str) and data.startswith("\ufeff"):
            data = data[1:]
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return self.decode_json(data)
        except orjson.JSONDecodeError as exc:
            # orjson's message names the problem and its position, never the content.
            raise HTTPException(400, f"Not valid JSON in UTF-8: {exc}") from exc

    async def parse_http_body(self, request: Any) -> Any:
        posted = request.method == "POST"
        if posted and "application/json" in _media_type_of(request.content_type or ""):
            # A JSON text is an object or an array exactly when its first character (after
            # whitespace) is `{` or `[`: checked on the bytes, so the body is parsed once.
            start = (await request.get_body()).removeprefix(BOM).lstrip(JSON_WHITESPACE)
            if start[:1] not in (b"{", b"["):
                raise HTTPException(400, NOT_AN_OBJECT)
        return await super().parse_http_body(request)
