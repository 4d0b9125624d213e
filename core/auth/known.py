"""Tokens this worker knows: a bearer API token's viewer taken as a hint, confirmed by the read.

Looking a token up costs a statement of its own before the request's read (issue 12: a read
page signed in took two statements, the token's and the read's). A worker remembers the tokens
it looked up (`KnownTokens`); for a request with a known token, `core.auth.middleware` leaves a
*provisional* viewer, which nothing may act on until it is confirmed (`core.auth.middleware.
Provisional`). A query answered by kept statements (core.compiled.kept) confirms it inside its
own statement: `Known.checked` wraps the first statement so that it answers only while the
token is, in that statement's snapshot, what the worker remembers (not revoked, not expired,
the same person, staff or not as before), and says so in a column of its own. Every other path
confirms it by looking it up as before. So a revoked, expired or changed token is never taken
for the old viewer: the answer and the check are one snapshot (stricter than a lookup followed
by a read, which are two), and the remembering is never trusted on its own.

Not used with a read replica (`database_replica_url`): the kept statement reads the replica,
whose copy of the tokens may lag; the middleware then looks each token up on the primary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from cachetools import LRUCache
from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.engine import Dialect

from core.auth import Viewer
from core.driver import DriverStatement
from core.models import ApiToken, StaffRole

KNOWN_SIZE = 4096
"""Tokens remembered per worker (each a few hundred bytes)."""


@dataclass(frozen=True)
class Known:
    """A token as its last lookup found it: its hash (hex SHA-256), the viewer it stood for,
    its expiry and when its `last_used_at` was last written (both UTC)."""

    token_hash: str
    viewer: Viewer
    expires_at: datetime | None
    used_at: datetime

    def checked(
        self, dialect: Dialect, sql: str, parameters: tuple[Any, ...], now: datetime
    ) -> tuple[str, tuple[Any, ...]]:
        """`sql` (a one-row, one-column read with the driver's positional `parameters`) made a
        one-row read of two columns: whether the token still stands for this viewer at `now`,
        and `sql`'s value (NULL when it does not: the read is not made)."""
        statement = _still(self.viewer.is_staff)
        values = {"hash": self.token_hash, "person": self.viewer.person_id, "now": now}
        check, check_parameters = statement.bind(dialect, values)
        if dialect.name == "postgresql":  # `$n` are numbered: the check's follow the read's
            shift = len(parameters)
            check = re.sub(r"\$(\d+)", lambda m: f"${int(m[1]) + shift}", check)
            ordered = (*parameters, *check_parameters)
        else:  # SQLite's `?` are taken in the text's order: the check's come first
            ordered = (*check_parameters, *parameters)
        read = f"CASE WHEN still.ok THEN ({sql}) END"
        return f"WITH still AS ({check}) SELECT still.ok, {read} FROM still", ordered


@cache
def _still(staff: bool) -> DriverStatement:
    """One row, `ok`: the token of hash `hash` is person `person`'s, not revoked, not expired
    at `now`, and its person is staff (`staff`) or not, as when it was looked up."""
    is_staff = exists().where(StaffRole.person_id == ApiToken.person_id)
    expiry: Any = bindparam("now", type_=ApiToken.expires_at.type)
    still = exists().where(
        ApiToken.token_hash == bindparam("hash"),
        ApiToken.person_id == bindparam("person"),
        ApiToken.revoked_at.is_(None),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > expiry),
        is_staff if staff else ~is_staff,
    )
    return DriverStatement(select(still.label("ok")))


class KnownTokens:
    """The tokens a worker looked up, by hash: at most `KNOWN_SIZE`, least recently used out.
    One is offered (`get`) only while it has not expired and its `last_used_at` is fresh (within
    `resolution`: past it, the lookup writes it again, as `core.auth.tokens` promises)."""

    def __init__(self, resolution: timedelta, size: int = KNOWN_SIZE) -> None:
        self._known: LRUCache[str, Known] = LRUCache(size)
        self.resolution = resolution

    def get(self, token_hash: str, now: datetime) -> Known | None:
        known = self._known.get(token_hash)
        if known is None:
            return None
        if (known.expires_at is not None and known.expires_at <= now) or (
            known.used_at <= now - self.resolution
        ):
            self._known.pop(token_hash, None)
            return None
        return known

    def keep(self, known: Known) -> None:
        self._known[known.token_hash] = known

    def forget(self, token_hash: str) -> None:
        self._known.pop(token_hash, None)
