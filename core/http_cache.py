"""ETag / 304 for anonymous public GraphQL queries, as pure ASGI middleware, and its ASGI helpers.

A request is cacheable when it carries neither `Authorization` nor `Cookie` and is a query: any
GET (Strawberry runs only queries over GET), and a POST whose document reads as a query by a cheap
text check (`is_query_document`). For those, and only those, the response is buffered; when it is
a 200 JSON response without `"errors":`, it gets

    ETag: "<first 32 hex digits of sha256(body)>"     (strong: it names these exact bytes;
                                                       with Content-Language, hashed in too)
    Cache-Control: no-cache                           (store if you like, but revalidate every time)
    Vary: Accept, Accept-Encoding, Accept-Language

and a request whose `If-None-Match` names that tag gets 304 with no body instead. The query still
runs: a 304 saves the transfer and the client's parsing, never freshness, so nothing is stale.
Anything else (mutations, subscriptions, requests with credentials, errors, streamed or non-JSON
responses) passes through untouched and unbuffered. A compression middleware, if one is ever
added, belongs inside this one or must tag each encoding apart (a strong ETag names one
representation).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import orjson

MAX_BODY = 1024 * 1024
"""Largest accepted request body, in bytes; larger ones are refused with 413."""

GRAPHQL_BODY = "ogp_wg.graphql_body"
"""Scope key under which a middleware that already read the request body leaves it for the next."""
GRAPHQL_PAYLOAD = "ogp_wg.graphql_payload"
"""Scope key under which a middleware that already parsed the JSON body leaves it for the next."""

_ETAG_HEADERS = (b"etag", b"cache-control", b"vary")
_VARY = b"Accept, Accept-Encoding, Accept-Language"
"""Accept-Language: texts are served in the language it chooses (core/translations)."""
_NO_BODY_HEADERS = (b"content-length", b"content-type")


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit

    def body(self) -> dict[str, Any]:
        message = f"The request body is larger than {self.limit} bytes."
        return {"errors": [{"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}


async def read_body(scope: Any, receive: Any, limit: int = MAX_BODY) -> bytes | None:
    """The whole request body, or None if the client disconnected; BodyTooLarge past `limit`."""
    message = await receive()
    if message["type"] != "http.request":
        return None
    body: bytes = message.get("body", b"")
    if len(body) > limit:
        raise BodyTooLarge(limit)
    if not message.get("more_body", False):
        return body  # the usual case: one message
    for name, value in scope["headers"]:
        if name == b"content-length":
            if value.isdigit() and int(value) > limit:
                raise BodyTooLarge(limit)
            break
    chunks = [body]
    size = len(body)
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Any) -> Any:
    """A `receive` that yields `body` once, then defers to the real one (for disconnects)."""
    pending = True

    async def receive_again() -> Any:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again


async def send_json(send: Any, status: int, data: object) -> None:
    body = orjson.dumps(data)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# Strings (block and plain) and comments, where keywords and braces mean nothing.
_IGNORED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n\r]|\\.)*"|#[^\n\r]*')
_FIRST = re.compile(r"[\s,\ufeff]*(?:\{|(?:query|fragment)\b)")
_WRITE = re.compile(r"\b(?:mutation|subscription)\b")
_SEEN: dict[str, bool] = {}
_SEEN_MAX = 1024
_SEEN_DOC_MAX = 16 * 1024


def is_query_document(document: str) -> bool:
    """True when a document can only run queries: cheap, text-only, and erring towards False.

    Outside strings and comments it must start with `{`, `query` or `fragment`, and contain
    neither `mutation` nor `subscription` as a word anywhere (so an operation picked by
    `operationName` further down cannot be a write; a field named `mutation` merely goes uncached).
    """
    known = _SEEN.get(document)
    if known is not None:
        return known
    text = _IGNORED.sub(" ", document) if ('"' in document or "#" in document) else document
    result = _FIRST.match(text) is not None and _WRITE.search(text) is None
    if len(document) <= _SEEN_DOC_MAX:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[document] = result
    return result


def is_query_request(payload: Any) -> bool:
    """A parsed POST body (one request or a batch) that runs queries only."""
    if isinstance(payload, dict):
        query = payload.get("query")
        return isinstance(query, str) and is_query_document(query)
    if isinstance(payload, list) and payload:
        return all(isinstance(item, dict) and is_query_request(item) for item in payload)
    return False


def etag_for(body: bytes, content_language: bytes | None = None) -> bytes:
    """The strong tag of a representation: its body and, when it has one, its Content-Language
    (two languages are two representations, even in the rare case of equal bodies)."""
    digest = hashlib.sha256(body)
    if content_language:
        digest.update(b"\0" + content_language)
    return b'"' + digest.hexdigest()[:32].encode() + b'"'


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """If-None-Match uses the weak comparison: `W/` is ignored; `*` matches any current tag."""
    if if_none_match.strip() == b"*":
        return True
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate.startswith(b"W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


def _taggable(headers: list[tuple[bytes, bytes]]) -> bool:
    """A JSON response that sets no cookie (a response that does is no longer anonymous)."""
    json = False
    for name, value in headers:
        if name == b"content-type":
            json = value.startswith((b"application/json", b"application/graphql-response+json"))
        elif name == b"set-cookie":
            return False
    return json


class HTTPCache:
    """ASGI middleware: ETag, Cache-Control, Vary and 304 for anonymous queries at `path`."""

    def __init__(self, app: Any, path: str = "/graphql", max_body: int = MAX_BODY) -> None:
        self.app = app
        self.path = path
        self.max_body = max_body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method != "GET" and method != "POST":
            await self.app(scope, receive, send)
            return
        if_none_match = None
        for name, value in scope["headers"]:
            if name == b"authorization" or name == b"cookie":
                await self.app(scope, receive, send)
                return
            if name == b"if-none-match":
                if_none_match = value
        if method == "POST":
            payload = scope.get(GRAPHQL_PAYLOAD)
            if payload is None:
                body = scope.get(GRAPHQL_BODY)
                if body is None:
                    try:
                        body = await read_body(scope, receive, self.max_body)
                    except BodyTooLarge as exc:
                        await send_json(send, 413, exc.body())
                        return
                    if body is None:
                        return
                    receive = replay(body, receive)
                try:
                    payload = orjson.loads(body)
                except orjson.JSONDecodeError:
                    payload = None
            if not is_query_request(payload):
                await self.app(scope, receive, send)
                return
        await self.app(scope, receive, _Revalidating(send, if_none_match))


class _Revalidating:
    """The `send` of a cacheable request: holds a 200 JSON response until its body is complete."""

    __slots__ = ("chunks", "if_none_match", "passthrough", "send", "start")

    def __init__(self, send: Any, if_none_match: bytes | None) -> None:
        self.send = send
        self.if_none_match = if_none_match
        self.start: dict[str, Any] | None = None
        self.chunks: list[bytes] = []
        self.passthrough = False

    async def __call__(self, message: Any) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            if message["status"] != 200 or not _taggable(message.get("headers", ())):
                self.passthrough = True
                await self.send(message)
            else:
                self.start = message
            return
        if self.passthrough or kind != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        start = self.start
        if b'"errors":' in body:
            await self.send(start)
            await self.send({"type": "http.response.body", "body": body})
            return
        language = next((v for k, v in start.get("headers", ()) if k == b"content-language"), None)
        etag = etag_for(body, language)
        headers = [(k, v) for k, v in start.get("headers", ()) if k not in _ETAG_HEADERS]
        vary = [v for k, v in start.get("headers", ()) if k == b"vary"]
        headers += [
            (b"etag", etag),
            (b"cache-control", b"no-cache"),
            (b"vary", b", ".join([*vary, _VARY])),
        ]
        if self.if_none_match is not None and etag_matches(self.if_none_match, etag):
            headers = [(k, v) for k, v in headers if k not in _NO_BODY_HEADERS]
            await self.send({"type": "http.response.start", "status": 304, "headers": headers})
            await self.send({"type": "http.response.body", "body": b""})
            return
        await self.send({**start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})
