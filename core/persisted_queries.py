"""Automatic persisted queries (Apollo's APQ protocol), as pure ASGI middleware.

A front end sends `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}` in a POST JSON
body, or in the `extensions` query-string parameter (JSON) of a GET:

- hash only, document known: the document is put back into the request and it runs as usual;
- hash only, document unknown: 200 with `PERSISTED_QUERY_NOT_FOUND`; the client then resends the
  request with both `query` and the hash, which stores the document and runs it;
- `query` and hash: the hash must be sha256(query) (else 400, `PERSISTED_QUERY_HASH_MISMATCH`);
  the document is stored and the request runs;
- any other protocol version: 200 with `PERSISTED_QUERY_NOT_SUPPORTED` (Apollo clients then stop
  sending hashes and send documents).

The store is a bounded LRU per worker process (documents and bytes). It is a cache, not shared
state: workers stay stateless because a worker that has never seen a hash, or has evicted it,
answers NotFound and the client's retry with the full document re-registers it there. Nothing
needs to be shared across processes or survive a restart.

The middleware also refuses POST bodies over `max_body` (1 MiB) with 413, before anything parses
them. Batched requests (a JSON array) are handled item by item.

With trusted documents (`core.trusted_documents`, setting `trusted_documents`) the allow-list
replaces this protocol: every request is checked against it (a hash names a listed document or
nothing), and nothing is stored.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl, quote

import orjson
from cachetools import LRUCache

from core.http_cache import (
    GRAPHQL_BODY,
    GRAPHQL_PAYLOAD,
    MAX_BODY,
    BodyTooLarge,
    read_body,
    replay,
    send_json,
)
from core.trusted_documents import ID_KEYS, NotAllowed, TrustedDocuments

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
BAD_REQUEST = "BAD_REQUEST"

_HEX = re.compile(r"[0-9a-fA-F]{64}")


class PersistedQueryError(Exception):
    """A protocol failure, answered as a GraphQL error response with this status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


class PersistedQueryStore:
    """A bounded LRU of documents by SHA-256 hex digest: at most `max_entries` documents and
    `max_bytes` characters. Each document counts as at least `max_bytes / max_entries`
    characters, which keeps both bounds with one size (cachetools has one), so a store of large
    and small documents together evicts before either bound alone would (a client whose document
    was evicted sends it again: APQ's PersistedQueryNotFound)."""

    def __init__(self, max_entries: int = 2000, max_bytes: int = 16 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        floor = -(-max_bytes // max_entries)  # rounded up
        self._docs: LRUCache[str, str] = LRUCache(max_bytes, getsizeof=lambda d: max(len(d), floor))

    def __len__(self) -> int:
        return len(self._docs)

    def get(self, digest: str) -> str | None:
        return self._docs.get(digest)

    def put(self, digest: str, document: str) -> None:
        if len(document) <= self.max_bytes:  # a larger one is not kept (LRUCache refuses it)
            self._docs[digest] = document


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def resolve(request: Any, store: PersistedQueryStore) -> bool:
    """Apply APQ to one GraphQL request object in place; True if its `query` was filled in.

    Raises PersistedQueryError for the protocol's failures. Anything that is not an APQ request
    (no `extensions.persistedQuery`, or not even an object) is left for Strawberry to judge.
    """
    if not isinstance(request, dict):
        return False
    extensions = request.get("extensions")
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return False
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict):
        raise PersistedQueryError(400, BAD_REQUEST, "extensions.persistedQuery must be an object")
    if persisted.get("version") != 1:
        raise PersistedQueryError(200, NOT_SUPPORTED, "PersistedQueryNotSupported")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or len(digest) != 64 or _HEX.fullmatch(digest) is None:
        raise PersistedQueryError(
            400, BAD_REQUEST, "persistedQuery.sha256Hash must be a SHA-256 digest in hexadecimal"
        )
    digest = digest.lower()
    query = request.get("query")
    if query is None or query == "":
        document = store.get(digest)
        if document is None:
            raise PersistedQueryError(200, NOT_FOUND, "PersistedQueryNotFound")
        request["query"] = document
        return True
    if not isinstance(query, str):
        return False  # Strawberry reports the malformed `query`
    if sha256_hex(query) != digest:
        raise PersistedQueryError(400, HASH_MISMATCH, "provided sha does not match query")
    store.put(digest, query)
    return False


class PersistedQueries:
    """ASGI middleware: APQ and the request-body limit for the GraphQL endpoint at `path`."""

    def __init__(
        self,
        app: Any,
        path: str = "/graphql",
        store: PersistedQueryStore | None = None,
        max_body: int = MAX_BODY,
        trusted: TrustedDocuments | None = None,
    ) -> None:
        self.app = app
        self.path = path
        self.store = store if store is not None else PersistedQueryStore()
        self.max_body = max_body
        self.trusted = trusted
        self._resolve = trusted.resolve if trusted is not None else self._apq

    def _apq(self, request: Any) -> bool:
        return resolve(request, self.store)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "POST":
            await self._post(scope, receive, send)
        elif method == "GET" and (
            self.trusted is not None or b"persistedQuery" in scope["query_string"]
        ):
            await self._get(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _post(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            body = await read_body(scope, receive, self.max_body)
        except BodyTooLarge as exc:
            await send_json(send, 413, exc.body())
            return
        if body is None:  # the client went away
            return
        if self.trusted is not None or b"persistedQuery" in body:
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                payload = None  # Strawberry answers the malformed body
            if payload is not None:
                try:
                    if isinstance(payload, list):
                        changed = [self._resolve(item) for item in payload]
                        changed_any = any(changed)
                    else:
                        changed_any = self._resolve(payload)
                except (PersistedQueryError, NotAllowed) as exc:
                    await send_json(send, exc.status, exc.body())
                    return
                if changed_any:
                    body = orjson.dumps(payload)
                    headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
                    headers.append((b"content-length", b"%d" % len(body)))
                    scope["headers"] = headers
                scope[GRAPHQL_PAYLOAD] = payload
        scope[GRAPHQL_BODY] = body
        await self.app(scope, replay(body, receive), send)

    async def _get(self, scope: Any, receive: Any, send: Any) -> None:
        raw = scope["query_string"].decode("latin-1")
        params = dict(parse_qsl(raw, keep_blank_values=True))
        try:
            extensions = orjson.loads(params.get("extensions") or "null")
        except orjson.JSONDecodeError:
            if self.trusted is None:
                await self.app(scope, receive, send)  # Strawberry answers the malformed parameter
                return
            extensions = None  # the document is judged all the same
        request = {"query": params.get("query"), "extensions": extensions}
        request.update({key: params[key] for key in ID_KEYS if key in params})
        try:
            changed = self._resolve(request)
        except (PersistedQueryError, NotAllowed) as exc:
            await send_json(send, exc.status, exc.body())
            return
        if changed:
            # Appended last, so it wins over an empty `query=` (Starlette keeps the last value).
            document = quote(request["query"], safe="").encode()
            scope["query_string"] += b"&query=" + document
        await self.app(scope, receive, send)
