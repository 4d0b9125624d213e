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

Every refusal is `{"errors": [{"message": str, "extensions": {"code": str}}]}` as
`application/json`.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError

BOM = b"\xef\xbb\xbf"
JSON_WHITESPACE = b" \t\n\r"
CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}
NOT_AN_OBJECT = (
    'The request body must be a JSON object: {"query": "...", "variables": {...}, '
    '"operationName": "..."}.'
)


def refusal(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A request error as a GraphQL response body: status 4xx, `extensions.code` from CODES."""
    code = CODES.get(status, "BAD_REQUEST")
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return Response(body, status_code=status, headers=headers, media_type="application/json")


class GraphQLView(GraphQL[Any, Any]):
    """`strawberry.asgi.GraphQL` that answers request errors in JSON, with the right status."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            response = self._refuse(exc, scope["method"])
        await response(scope, receive, send)

    def _refuse(self, exc: HTTPException, method: str) -> Response:
        if isinstance(exc.__cause__, InvalidOperationTypeError) and method == "GET":
            # GraphQL over HTTP: an operation GET may not carry is 405, and 405 names the
            # methods that would do (RFC 9110, 15.5.6).
            return refusal(405, f"{exc.reason}; send it with POST", {"allow": "POST"})
        if exc.status_code == 405:
            return refusal(405, exc.reason, {"allow": "GET, POST"})
        return refusal(exc.status_code, exc.reason)

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
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if "application/json" in content_type:
                # A JSON text is an object or an array exactly when its first character (after
                # whitespace) is `{` or `[`: checked on the bytes, so the body is parsed once.
                start = (await request.get_body()).removeprefix(BOM).lstrip(JSON_WHITESPACE)
                if start[:1] not in (b"{", b"["):
                    raise HTTPException(400, NOT_AN_OBJECT)
        return await super().parse_http_body(request)
