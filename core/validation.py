"""Checking a mutation's input: the user errors every plugin reports the same way.

    errors = UserErrors()
    errors.text(data.title, "title", 200)            # REQUIRED if blank, TOO_LONG
    url = errors.url(data.source_url, "sourceUrl")   # INVALID_URL, TOO_LONG
    country = await errors.country(conn, data.country)   # UNKNOWN_COUNTRY
    errors.raise_if_any()                             # Rejected(every error at once)

A field is named as the client spells it (camelCase, `"sourceUrl"`); the user error's `field` is
then `["input", "sourceUrl"]`. Every check skips a value that is None (a field not given: the
GraphQL schema already says which fields are required); `required` says what None means where
it matters. Codes and messages are the same in every plugin: a client handles `INVALID_URL`
once.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from core.errors import Rejected, UserError, user_error
from core.models import Country
from core.schema.ids import pk_of

URL_MAX = 500
"""Characters: the default longest URL (`String(500)` columns)."""


def url_problem(value: str, field: str, max_length: int = URL_MAX) -> UserError | None:
    """The user error for a URL that is not an absolute http(s) URL with a host, free of spaces
    and control characters (`INVALID_URL`), or longer than `max_length` characters after
    stripping (`TOO_LONG`); None for a good one. Leading and trailing spaces are not errors (see
    `UserErrors.url`, which returns the stripped value to store)."""
    value = value.strip()
    if len(value) > max_length:
        return user_error("TOO_LONG", f"{field} is longer than {max_length} characters", field)
    try:
        parts = urlsplit(value)
        scheme, host = parts.scheme.lower(), parts.hostname
    except ValueError:  # e.g. an invalid IPv6 literal
        scheme, host = "", None
    if (
        scheme not in ("http", "https")
        or not host
        or any(c.isspace() or unicodedata.category(c) == "Cc" for c in value)
    ):
        return user_error("INVALID_URL", f"{field} must be an absolute http(s) URL", field)
    return None


def _iso_code(code: str) -> str | None:
    """The code as stored (upper case, stripped) if it can be an alpha-2 or alpha-3 code."""
    code = code.strip().upper()
    if len(code) not in (2, 3) or not (code.isascii() and code.isalpha()):
        return None
    return code


def country_code_condition(code: str) -> ColumnElement[bool]:
    """The condition on `countries` for an ISO 3166-1 code: alpha-2 (`"MX"`) or alpha-3
    (`"MEX"`), any case, spaces around ignored. Any other value matches no country (no error):
    `select(models.Country.id).where(country_code_condition(code))`."""
    iso = _iso_code(code)
    if iso is None:
        return false()
    return (Country.alpha2 if len(iso) == 2 else Country.alpha3) == iso


def in_country(column: Any, code: str | None) -> ColumnElement[bool]:
    """`column` (a `countries.id` foreign key) is the country with this alpha-2 or alpha-3 code:
    the filter of a root query's optional `country` argument. None matches every row (the
    argument not given); an unknown code matches none."""
    if code is None:
        return true()
    return column.in_(select(Country.id).where(country_code_condition(code)))  # type: ignore[no-any-return]


async def find_country(conn: AsyncConnection, code: str) -> int | None:
    """The id of the country with this alpha-2 or alpha-3 code, or None."""
    if _iso_code(code) is None:
        return None  # no query for what cannot be a code (nor a NUL for PostgreSQL to refuse)
    return await conn.scalar(select(Country.id).where(country_code_condition(code)))


def _unknown_country(code: str, field: str) -> UserError:
    return user_error("UNKNOWN_COUNTRY", f"no country with ISO code {code.strip()!r}", field)


async def country_id(conn: AsyncConnection, code: str, field: str = "country") -> int:
    """The id of the country with this alpha-2 or alpha-3 code; raises
    `Rejected(UNKNOWN_COUNTRY)` at `field` when there is none."""
    found = await find_country(conn, code)
    if found is None:
        raise Rejected(_unknown_country(code, field))
    return found


def id_of(global_id: str, node_type: str, field: str = "id") -> int:
    """The database id in a global ID of `node_type`; raises `Rejected(NOT_FOUND)` at `field`
    for an ID of another type, a malformed one or one beyond the key column's range."""
    pk = pk_of(global_id, node_type)
    if pk is None:
        raise Rejected(user_error("NOT_FOUND", f"no {node_type} with id {global_id!r}", field))
    return pk


async def row_by_id(
    conn: AsyncConnection,
    model: Any,
    global_id: str,
    node_type: str,
    field: str = "id",
    *,
    for_update: bool = True,
) -> Any:
    """The row of `model` (a table class with an `id` primary key) that a global ID of
    `node_type` names, locked for the rest of the transaction unless `for_update=False` (the
    row an update reads and then changes); raises `Rejected(NOT_FOUND)` at `field` when the ID
    is not one of `node_type` or no row has it."""
    pk = id_of(global_id, node_type, field)
    stmt = select(*model.__table__.c).where(model.id == pk)
    row = (await conn.execute(stmt.with_for_update() if for_update else stmt)).first()
    if row is None:
        raise Rejected(user_error("NOT_FOUND", f"no {node_type} with id {global_id!r}", field))
    return row


class UserErrors:
    """Collects every problem of one input, so a client fixes them all in one go; then
    `raise_if_any()` rejects the input (`Rejected`: the transaction writes nothing and the
    payload's `userErrors` lists them all, in the order found)."""

    def __init__(self) -> None:
        self.errors: list[UserError] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, code: str, message: str, *field: str) -> None:
        """One error; `field`: the input field at fault (a path for a nested one)."""
        self.errors.append(user_error(code, message, *field))

    def raise_if_any(self) -> None:
        """Raise `Rejected(*errors)` if any problem was found."""
        if self.errors:
            raise Rejected(*self.errors)

    def required(self, value: Any, field: str) -> bool:
        """`REQUIRED` for None or a blank string ("must not be blank"); True if present."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add("REQUIRED", f"{field} must not be blank", field)
            return False
        return True

    def text(
        self, value: str | None, field: str, max_length: int, *, required: bool = True
    ) -> str | None:
        """A text value: None is not checked (a field not given); blank is `REQUIRED` when
        `required`, more than `max_length` characters is `TOO_LONG`. Returns the value stripped
        (None for blank), the form to store."""
        if value is None:
            return None
        stripped = value.strip()
        if required and not stripped:
            self.add("REQUIRED", f"{field} must not be blank", field)
        elif len(value) > max_length:
            self.add("TOO_LONG", f"{field} is longer than {max_length} characters", field)
        return stripped or None

    def url(self, value: str | None, field: str, max_length: int = URL_MAX) -> str | None:
        """An optional URL: None is not checked; otherwise `url_problem`'s `INVALID_URL` or
        `TOO_LONG`. Returns the value stripped, the form to store."""
        if value is None:
            return None
        problem = url_problem(value, field, max_length)
        if problem is not None:
            self.errors.append(problem)
        return value.strip()

    def in_range(
        self, value: float | None, field: str, low: float, high: float, code: str = "OUT_OF_RANGE"
    ) -> bool:
        """`code` unless `low <= value <= high` (None is not checked; NaN is out of range)."""
        if value is not None and not low <= value <= high:
            self.add(code, f"{field} must be between {low} and {high}, got {value}", field)
            return False
        return True

    async def country(
        self, conn: AsyncConnection, code: str | None, field: str = "country"
    ) -> int | None:
        """The id of the country with this alpha-2 or alpha-3 code; `UNKNOWN_COUNTRY` and None
        when there is none (None is not checked)."""
        if code is None:
            return None
        found = await find_country(conn, code)
        if found is None:
            self.errors.append(_unknown_country(code, field))
        return found
