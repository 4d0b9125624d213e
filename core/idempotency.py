"""`Idempotency-Key` on mutations: a retry gets the first answer and writes nothing twice.

A client that may retry a mutation (a timeout, a dropped connection) sends a key of its choosing,
unique per operation it means, in the `Idempotency-Key` header of the POST (Stripe's convention;
the IETF draft's quoted form `"..."` is accepted too). Keys belong to the caller (`person:<id>`,
or `anonymous:<client address>`), so two people's keys never meet.

- First request with a key: the key is claimed (a row in `idempotency_keys`, in its own committed
  transaction, so exactly one request can hold it), the mutation runs, and its answer (status,
  media type, body) is stored before it is sent.
- Retry, same key, same request (document, operation name, variables; hashed): the stored answer
  is sent again, with `Idempotent-Replayed: true`; nothing runs, nothing is written, no audit row.
- Same key, another request: 422 `IDEMPOTENCY_KEY_REUSED`; nothing runs.
- Same key while the first request is still running: REFUSED at once, 409
  `IDEMPOTENCY_KEY_IN_PROGRESS` with `Retry-After: 1` (the IETF draft's answer; waiting would
  hold a worker and a connection for as long as the first takes). The retry after it gets the
  stored answer.
- An answer that wrote nothing and says the server could not do it now (a 5xx, 429, or an error
  coded INTERNAL_SERVER_ERROR / SERVICE_UNAVAILABLE / TIMEOUT / RATE_LIMITED) is not stored:
  the key is released and a retry runs the mutation. An answer after which something was
  committed is always stored, whatever it says. Whether something was committed is seen from
  the SQL itself (an INSERT/UPDATE/DELETE in a transaction that committed, outside this table,
  the audit log and token bookkeeping), so it holds for the core's and every plugin's mutations.
- A claim whose request died with its process stays "in progress" for `STALE_CLAIM`, then may
  be taken over by a retry.
- Keys are kept `idempotency_key_retention` seconds (default 24 h), then purged (expired rows are
  deleted at most once a minute per process, and an expired key is free for reuse at once).

Queries (a document that can only read) ignore the header; so do GET requests (they cannot
carry mutations). A header that is not 1..200 visible ASCII characters, or sent twice, is a 400.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import anyio
import orjson
from sqlalchemy import and_, delete, event, insert, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from core import commits
from core.auth.middleware import viewer_of
from core.db import Database, utcnow
from core.db_faults import DatabaseUnavailable
from core.http_cache import GRAPHQL_BODY, GRAPHQL_PAYLOAD, is_query_request, read_body, replay
from core.models.trust import IdempotencyKey

log = logging.getLogger("ogp_wg.idempotency")

HEADER = b"idempotency-key"
KEY = re.compile(r"[\x21-\x7e]{1,200}")
IN_PROGRESS = 0
"""`status_code` of a claimed key whose request has not answered yet."""
STALE_CLAIM = timedelta(minutes=5)
"""Far beyond any request's execution timeout: a claim this old belongs to a dead process."""
PURGE_EVERY = 60.0
TRANSIENT = frozenset({"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT", "RATE_LIMITED"})
REUSED = "IDEMPOTENCY_KEY_REUSED"
BUSY = "IDEMPOTENCY_KEY_IN_PROGRESS"
_STILL_RUNNING = (
    "A request with this Idempotency-Key is still running; retry shortly to get its answer."
)
CLAIM_LOCK_WAIT_MS = 1000
"""How long a claim waits for another request's transaction on the same key (PostgreSQL)."""
LOCK_NOT_AVAILABLE = "55P03"
GRAPHQL_RESPONSE_JSON = b"application/graphql-response+json"
_BOOKKEEPING = ("idempotency_keys", "audit_log", "api_tokens")
_WROTE = "ogp_wg.idempotency.wrote"
_TABLE = IdempotencyKey


# --- what a request committed -------------------------------------------------------------------


def _note_write(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if commits.counter.get() is None:
        return
    head = statement.lstrip()[:80]
    if commits.is_write(head) and not any(table in head for table in _BOOKKEEPING):
        conn.info[_WROTE] = True


def _note_commit(conn: Any) -> None:
    if conn.info.pop(_WROTE, False):
        commits.committed_write()


def _note_rollback(conn: Any) -> None:
    conn.info.pop(_WROTE, None)


def track_commits(engine: Engine) -> None:
    """Count, per request, the transactions that committed a write (idempotent per engine)."""
    if not event.contains(engine, "before_cursor_execute", _note_write):
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", _note_commit)
        event.listen(engine, "rollback", _note_rollback)


# --- the middleware -----------------------------------------------------------------------------


@dataclass
class _Answer:
    """A response as the app sent it: status, headers, body."""

    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    complete: bool = False

    async def send(self, message: Any) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
            if not message.get("more_body", False):
                self.complete = True

    def media_type(self) -> bytes:
        found = [v for k, v in self.headers if k.lower() == b"content-type"]
        return found[0] if found else b"application/json"

    def transient(self) -> bool:
        """Says the server could not do it now (so a retry should run it again)."""
        if self.status >= 500 or self.status == 429:
            return True
        try:
            payload = orjson.loads(bytes(self.body))
        except orjson.JSONDecodeError:
            return False
        errors = payload.get("errors") if isinstance(payload, dict) else None
        return any(
            isinstance(e, dict) and (e.get("extensions") or {}).get("code") in TRANSIENT
            for e in errors or ()
        )


@dataclass(frozen=True)
class _Stored:
    status: int
    media_type: bytes
    body: bytes


class Idempotency:
    """Pure ASGI middleware: `Middleware(Idempotency, db=db, retention=seconds)`. Runs inside
    `core.auth.middleware.Authentication` (it needs the viewer) and after the persisted-query
    middleware (it hashes the document that runs)."""

    def __init__(self, app: Any, db: Database, retention: float) -> None:
        self.app = app
        self.db = db
        self.retention = timedelta(seconds=retention)
        self._next_purge = 0.0
        track_commits(db.engine.sync_engine)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        values = [v for k, v in scope.get("headers", ()) if k.lower() == HEADER]
        if scope["type"] != "http" or scope["method"] != "POST" or not values:
            await self.app(scope, receive, send)
            return
        key = _key(values)
        if key is None:
            message = "Send one Idempotency-Key header of 1 to 200 visible ASCII characters."
            await _refuse(scope, send, 400, "BAD_REQUEST", message)
            return
        body = scope.get(GRAPHQL_BODY)
        if body is None:
            body = await read_body(scope, receive)
            if body is None:
                return  # the client went away
            receive = replay(body, receive)
        payload = scope.get(GRAPHQL_PAYLOAD)
        if payload is None:
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                payload = None
        if payload is None or is_query_request(payload):
            await self.app(scope, receive, send)  # reads (or a body GraphQL refuses): no key
            return
        digest = hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()
        principal = _principal(scope)
        found = await self._claim(principal, key, digest)
        if isinstance(found, _Stored):
            headers = [(b"idempotent-replayed", b"true")]
            await _send(send, found.status, found.media_type, found.body, headers)
            return
        if found is not None:
            await _refuse(scope, send, *found)
            return
        await self._run(scope, receive, send, principal, key)

    async def _run(self, scope: Any, receive: Any, send: Any, principal: str, key: str) -> None:
        answer = _Answer()
        committed = [0]
        token = commits.counter.set(committed)
        try:
            await self.app(scope, receive, answer.send)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self._settle(principal, key, None, committed[0])
            raise
        finally:
            commits.counter.reset(token)
        with anyio.CancelScope(shield=True):  # stored before it is sent: a retry finds it
            await self._settle(principal, key, answer, committed[0])
        await _send(send, answer.status, None, bytes(answer.body), answer.headers)

    async def _claim(
        self, principal: str, key: str, digest: str
    ) -> _Stored | tuple[int, str, str] | None:
        """None: the key is ours. Else the stored answer, or a refusal (status, code, text)."""
        now = utcnow()
        await self._purge_if_due()
        mine = and_(_TABLE.principal == principal, _TABLE.key == key)
        try:
            async with self.db.write() as conn:
                if not self.db.is_sqlite:
                    # Every lock this transaction can wait for is held by another request with
                    # this same key (claiming it, or storing its answer): bounded, and answered
                    # as "in progress" below, not left to the statement timeout's 503.
                    await conn.execute(text(f"SET LOCAL lock_timeout = '{CLAIM_LOCK_WAIT_MS}ms'"))
                free = or_(
                    _TABLE.expires_at <= now,
                    and_(_TABLE.status_code == IN_PROGRESS, _TABLE.created_at <= now - STALE_CLAIM),
                )
                await conn.execute(delete(_TABLE).where(mine, free))
                await conn.execute(
                    insert(_TABLE).values(
                        principal=principal,
                        key=key,
                        request_hash=digest,
                        status_code=IN_PROGRESS,
                        response=b"",
                        created_at=now,
                        expires_at=now + self.retention,
                    )
                )
            return None
        except IntegrityError:
            pass  # held by an earlier request (committed, or it just committed its claim)
        except DatabaseUnavailable as exc:
            if exc.sqlstate != LOCK_NOT_AVAILABLE:
                raise
            return 409, BUSY, _STILL_RUNNING
        async with self.db.read() as conn:
            columns = (_TABLE.request_hash, _TABLE.status_code, _TABLE.response)
            row = (await conn.execute(select(*columns).where(mine))).first()
        if row is not None and row.request_hash != digest:
            message = (
                "This Idempotency-Key was used for another request; use a new key for a new "
                "request."
            )
            return 422, REUSED, message
        if row is None or row.status_code == IN_PROGRESS:
            return 409, BUSY, _STILL_RUNNING
        media_type, _, body = bytes(row.response).partition(b"\n")
        return _Stored(row.status_code, media_type, body)

    async def _settle(self, principal: str, key: str, answer: _Answer | None, commits: int) -> None:
        """Store the answer, or release the key when nothing was written and it is worth a
        retry. Committed writes without an answer (the request died after committing) keep
        the claim until it is stale: a retry is refused rather than run twice."""
        mine = and_(
            _TABLE.principal == principal, _TABLE.key == key, _TABLE.status_code == IN_PROGRESS
        )
        try:
            async with self.db.write() as conn:
                if answer is not None and answer.complete and (commits or not answer.transient()):
                    stored = answer.media_type() + b"\n" + bytes(answer.body)
                    values = {"status_code": answer.status, "response": stored}
                    await conn.execute(update(_TABLE).where(mine).values(**values))
                elif not commits:
                    await conn.execute(delete(_TABLE).where(mine))
                else:
                    log.warning("idempotency key %r of %s: written, but no answer", key, principal)
        except Exception:
            # The answer still goes out; the claim stays until it is stale (logged).
            log.exception("idempotency key %r of %s: could not settle", key, principal)

    async def _purge_if_due(self) -> None:
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + PURGE_EVERY
        try:
            await purge_expired(self.db)
        except Exception:
            log.exception("purging expired idempotency keys failed")


async def purge_expired(db: Database) -> int:
    """Delete the keys whose retention has passed; returns how many."""
    async with db.write() as conn:
        result = await conn.execute(delete(_TABLE).where(_TABLE.expires_at <= utcnow()))
    return int(result.rowcount or 0)


def _key(values: list[bytes]) -> str | None:
    if len(values) != 1:
        return None
    try:
        text = values[0].decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]  # the IETF draft's sf-string form
    return text if KEY.fullmatch(text) else None


def _principal(scope: Any) -> str:
    viewer = viewer_of(scope)
    if viewer.person_id is not None:
        return f"person:{viewer.person_id}"
    client = scope.get("client") or ("unknown", 0)
    return f"anonymous:{client[0]}"[:100]


async def _send(
    send: Any,
    status: int,
    media_type: bytes | None,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
) -> None:
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    if media_type is not None:
        headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        headers.append((b"content-type", media_type))
    headers.append((b"content-length", b"%d" % len(body)))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Any, send: Any, status: int, code: str, message: str) -> None:
    accept = b",".join(v for k, v in scope.get("headers", ()) if k.lower() == b"accept")
    media = GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON in accept else b"application/json"
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    headers = [(b"retry-after", b"1")] if status == 409 else []
    await _send(send, status, media, body, headers)
