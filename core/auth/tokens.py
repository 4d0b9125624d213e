"""Bearer API tokens: issued for a person, shown once, kept only as a SHA-256, expiring, revocable.

A token is `ogpwg_` followed by 43 URL-safe characters (32 random bytes from `secrets`): the
prefix lets secret scanners and people recognise it. Only its hex SHA-256 is stored (`api_tokens.
token_hash`, unique): 256 random bits cannot be brute-forced, so a slow password hash would buy
nothing. Its first `PREFIX_LENGTH` characters are kept too, so `ogp-wg token list` can tell tokens
apart without showing any secret part worth having.

`last_used_at` is written at most once per `LAST_USED_RESOLUTION` per token (a guarded UPDATE after
the read that authenticated it), so authenticated reads do not each cost a write.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache, partial
from typing import Any

from sqlalchemy import ARRAY, String, any_, bindparam, column, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.auth import ALL_SCOPES, READ, Viewer
from core.auth.known import Known, KnownTokens
from core.db import Database, utcnow
from core.driver import DriverStatement
from core.models import ApiToken, Person, StaffRole

TOKEN_PREFIX = "ogpwg_"
PREFIX_LENGTH = 12
"""Characters of a token kept in clear: `ogpwg_` and 6 random ones (36 bits, not a secret)."""
LAST_USED_RESOLUTION = timedelta(minutes=1)
DEFAULT_EXPIRY = timedelta(days=90)
_DURATION = re.compile(r"(\d{1,6})([dhw])")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class TokenError(Exception):
    """A token the caller cannot use (unknown, expired, revoked) or a bad CLI argument; the
    message says which, in one sentence."""


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: `token` is the only copy of the secret there will ever be."""

    id: int
    token: str
    prefix: str
    person_id: int
    scopes: frozenset[str]
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenInfo:
    """A token as `ogp-wg token list` shows it (never the secret)."""

    id: int
    prefix: str
    name: str
    person_id: int
    person_email: str | None
    scopes: frozenset[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def hash_token(token: str) -> str:
    """Hex SHA-256 of the token text, as stored in `api_tokens.token_hash`."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_api_token(credentials: str) -> bool:
    """Whether bearer credentials look like one of our API tokens (else: maybe a JWT)."""
    return credentials.startswith(TOKEN_PREFIX)


def parse_scopes(values: Iterable[str] | None) -> frozenset[str]:
    """`--scope` values (repeatable, each may be space/comma separated) -> scopes; none given
    means read and write. `write` implies `read`. Raises TokenError on an unknown scope."""
    given = {part for value in values or () for part in re.split(r"[\s,]+", value) if part}
    unknown = given - ALL_SCOPES
    if unknown:
        known = ", ".join(sorted(ALL_SCOPES))
        raise TokenError(f"unknown scope {', '.join(sorted(unknown))} (known: {known})")
    if not given:
        return ALL_SCOPES
    return frozenset(given | {READ})


def parse_expiry(text: str | None, now: datetime | None = None) -> datetime | None:
    """`--expires`: a duration (`12h`, `30d`, `8w`), an ISO date (end of that day, UTC) or
    date-time (naive means UTC), or `never`; None gives `DEFAULT_EXPIRY`. Raises TokenError
    for anything else or a time not in the future."""
    now = now or utcnow()
    if text is None:
        return now + DEFAULT_EXPIRY
    text = text.strip()
    if text.lower() == "never":
        return None
    if match := _DURATION.fullmatch(text):
        expires = now + int(match[1]) * _UNITS[match[2]]
    else:
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                day = datetime.fromisoformat(text).date()
                expires = datetime.combine(day, time.max, tzinfo=UTC)
            else:
                expires = datetime.fromisoformat(text)
                expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        except ValueError:
            raise TokenError(
                f"--expires {text!r}: give a duration (30d, 12h, 8w), an ISO date "
                "(2027-01-31), an ISO date-time, or 'never'"
            ) from None
    if expires <= now:
        raise TokenError(f"--expires {text!r} is not in the future")
    return expires


async def issue_token(
    conn: AsyncConnection,
    person_id: int,
    *,
    scopes: frozenset[str] = ALL_SCOPES,
    expires_at: datetime | None = None,
    name: str = "",
) -> IssuedToken:
    """Create a token for `person_id` in the caller's transaction; return it (shown once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = token[:PREFIX_LENGTH]
    token_id = await conn.scalar(
        insert(ApiToken)
        .values(
            person_id=person_id,
            name=name,
            token_hash=hash_token(token),
            prefix=prefix,
            scopes=" ".join(sorted(scopes)),
            created_at=utcnow(),
            expires_at=expires_at,
        )
        .returning(ApiToken.id)
    )
    assert token_id is not None
    return IssuedToken(token_id, token, prefix, person_id, scopes, expires_at)


async def list_tokens(conn: AsyncConnection) -> list[TokenInfo]:
    """Every token, oldest first, with its person's e-mail."""
    stmt = (
        select(*ApiToken.__table__.c, Person.email.label("person_email"))
        .join(Person, Person.id == ApiToken.person_id)
        .order_by(ApiToken.id)
    )
    return [
        TokenInfo(
            id=row.id,
            prefix=row.prefix,
            name=row.name,
            person_id=row.person_id,
            person_email=row.person_email,
            scopes=frozenset(row.scopes.split()),
            created_at=row.created_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
        )
        for row in await conn.execute(stmt)
    ]


async def revoke_token(conn: AsyncConnection, ident: str) -> tuple[int, bool]:
    """Revoke the token with id `ident` or whose prefix starts with `ident` (at least
    `ogpwg_` and one more character, matching exactly one token). Returns (id, newly revoked).
    Raises TokenError when nothing or more than one token matches."""
    ident = ident.strip()
    if ident.isdigit():
        condition = ApiToken.id == int(ident)
    elif is_api_token(ident) and len(ident) > len(TOKEN_PREFIX):
        # A whole token pasted in matches by its hash; a prefix by the stored prefix.
        condition = or_(
            ApiToken.token_hash == hash_token(ident),
            ApiToken.prefix.startswith(ident[:PREFIX_LENGTH], autoescape=True),
        )
    else:
        raise TokenError(f"{ident!r}: give a token id or its prefix (ogpwg_...)")
    rows = (await conn.execute(select(ApiToken.id, ApiToken.revoked_at).where(condition))).all()
    if not rows:
        raise TokenError(f"no token matches {ident!r}")
    if len(rows) > 1:
        ids = ", ".join(str(row.id) for row in rows)
        raise TokenError(f"{ident!r} matches several tokens (ids {ids}): give the id")
    token_id, revoked_at = rows[0]
    if revoked_at is not None:
        return token_id, False
    await conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=utcnow()))
    return token_id, True


_TOKEN_COLUMNS = (
    ApiToken.token_hash,
    ApiToken.id,
    ApiToken.person_id,
    ApiToken.scopes,
    ApiToken.expires_at,
    ApiToken.revoked_at,
    ApiToken.last_used_at,
    StaffRole.person_id.label("staff"),
)


@cache
def _by_hashes(dialect_name: str) -> DriverStatement:
    """The rows of the tokens whose hash is among the bind `hashes` (PostgreSQL: an array,
    `= ANY`; SQLite: a JSON array, `IN json_each`): one statement, prepared once, for any number
    of hashes (a hash is always a value the column holds)."""
    if dialect_name == "postgresql":
        hashes: Any = ApiToken.token_hash == any_(bindparam("hashes", type_=ARRAY(String(64))))
    else:
        listed: Any = select(column("value")).select_from(func.json_each(bindparam("hashes")))
        hashes = ApiToken.token_hash.in_(listed.scalar_subquery())
    return DriverStatement(
        select(*_TOKEN_COLUMNS)
        .outerjoin(StaffRole, StaffRole.person_id == ApiToken.person_id)
        .where(hashes)
    )


async def _lookup(db: Database, hashes: list[str]) -> list[Any]:
    """The token row of each hash (None: no such token), for a round of concurrent requests'
    lookups (`core.grouping.Group`): one statement for all of them."""
    dialect = db.engine.dialect
    statement = _by_hashes(dialect.name)
    wanted = sorted(set(hashes))
    value: Any = wanted if dialect.name == "postgresql" else json.dumps(wanted)
    found = {}
    for raw in await db.read_rows(*statement.bind(dialect, {"hashes": value})):
        row = statement.row(dialect, raw)
        found[row.token_hash] = row
    return [found.get(token_hash) for token_hash in hashes]


LOOKUPS = "bearer tokens"
"""`Database.group` name of the tokens' lookups: the requests that arrive while one round of
lookups runs are looked up together in the next (each after its request arrived, so a token
revoked before a request came is never accepted for it)."""


async def authenticate_token(
    db: Database, token: str, now: datetime | None = None, known: KnownTokens | None = None
) -> Viewer:
    """The viewer a bearer API token stands for. Raises TokenError (unknown, revoked or
    expired token); reads one row (with the other requests' that wait for a lookup meanwhile:
    `LOOKUPS`), and writes `last_used_at` at most once a minute. A token found usable is
    remembered in `known` (a hint for later requests: core.auth.known), one found unusable is
    forgotten there."""
    now = now or utcnow()
    token_hash = hash_token(token)
    row = await db.group(LOOKUPS, partial(_lookup, db))(token_hash)
    try:
        if row is None:
            raise TokenError("The bearer token is not valid.")
        _, token_id, person_id, scopes, expires_at, revoked_at, last_used_at, staff = row
        if revoked_at is not None:
            raise TokenError("The bearer token has been revoked.")
        if expires_at is not None and expires_at <= now:
            raise TokenError("The bearer token has expired.")
    except TokenError:
        if known is not None:
            known.forget(token_hash)
        raise
    if last_used_at is None or last_used_at <= now - LAST_USED_RESOLUTION:
        await _touch(db, token_id, now)
        last_used_at = now
    viewer = Viewer(
        person_id=person_id,
        token_id=token_id,
        scopes=frozenset(scopes.split()),
        is_staff=staff is not None,
        method="token",
    )
    if known is not None:
        known.keep(Known(token_hash, viewer, expires_at, last_used_at))
    return viewer


async def _touch(db: Database, token_id: int, now: datetime) -> None:
    """Record use; the guard keeps concurrent requests from each writing within the minute."""
    stale = now - LAST_USED_RESOLUTION
    async with db.write() as conn:
        await conn.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale))
            .values(last_used_at=now)
        )
