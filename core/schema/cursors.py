"""Keyset cursors: what a cursor holds, how it is checked, and the `WHERE` that resumes after it.

A cursor is base64url of a compact JSON list: the sort-key values of a row, temporal values in
ISO 8601, enums by value. It is decoded by each key column's real type (a `TypeDecorator` such as
`core.db.UTCDateTime` by its `impl`) and bound with the column's own type, so the database
compares it exactly as the ORDER BY compares rows. Whatever `encode_cursor` did not make for
these keys (forged, truncated, another connection's shape, a value of the wrong type or out of
the column's range) is refused with the GraphQL error code `INVALID_CURSOR` before any SQL runs.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Numeric,
    Select,
    SmallInteger,
    String,
    Time,
    Uuid,
    and_,
    literal,
    or_,
    tuple_,
)
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.types import TypeDecorator, TypeEngine

from core.errors import api_error

MAX_CURSOR_LENGTH = 8192
"""Longer `after`/`before` values are refused before decoding (a real cursor is far shorter)."""


def _plain(value: Any) -> Any:
    """A sort-key value as JSON: temporal values in ISO 8601, enums by value, decimals as text."""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    """The opaque cursor of a row's sort-key values (base64url of a compact JSON list)."""
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


Decoder = Callable[[Any], Any]
"""A JSON value -> the value to bind for one sort key; raises ValueError when it does not fit."""

# PostgreSQL's ranges, on both backends (SQLite would hold 64 bits): one answer on both databases.
_INT_BITS = {SmallInteger: 16, BigInteger: 64, Integer: 32}


def _require(ok: bool) -> None:
    if not ok:
        raise ValueError("cursor value does not fit its column")


def _text(value: Any) -> str:
    # U+0000 and lone surrogates cannot be sent to PostgreSQL; refuse them on both databases.
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not a text the column can hold")
    value.encode("utf-8")  # UnicodeEncodeError (a ValueError) for a lone surrogate
    return value


def _decoder(type_: TypeEngine[Any]) -> Decoder:
    """How to check and convert one cursor value for a column of `type_`.

    Raises TypeError (a programming error, at every call of `paginate`) for a type it cannot sort
    by, so an unsupported key is found on the first page, not on a client's second one.
    """
    impl = type_
    while isinstance(impl, TypeDecorator):  # UTCDateTime: compare as the DateTime it stores
        impl = impl.impl_instance
    if isinstance(impl, Enum):
        return _enum_decoder(impl)
    if isinstance(impl, Boolean):
        return _boolean
    if isinstance(impl, Integer):
        bits = next(b for cls, b in _INT_BITS.items() if isinstance(impl, cls))
        return _integer_decoder(bits)
    if isinstance(impl, Float):
        return _float
    if isinstance(impl, Numeric):
        return _decimal
    if isinstance(impl, String):
        return _text
    if isinstance(impl, DateTime):
        aware = bool(impl.timezone)
        return lambda value: _datetime(value, aware)
    if isinstance(impl, Date):
        return lambda value: date.fromisoformat(_text(value))
    if isinstance(impl, Time):
        return lambda value: time.fromisoformat(_text(value))
    if isinstance(impl, Uuid):
        return lambda value: uuid.UUID(_text(value))
    raise TypeError(f"paginate cannot sort by a column of type {type_!r}")


def _enum_decoder(impl: Enum) -> Decoder:
    # Bind the member itself: valid whatever the column stores (values or names).
    members: dict[Any, Any] = (
        {m.value: m for m in impl.enum_class} if impl.enum_class else {v: v for v in impl.enums}
    )

    def decode(value: Any) -> Any:
        _require(isinstance(value, str) and value in members)
        return members[value]

    return decode


def _boolean(value: Any) -> bool:
    _require(isinstance(value, bool))
    return bool(value)


def _integer_decoder(bits: int) -> Decoder:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def decode(value: Any) -> int:
        _require(isinstance(value, int) and not isinstance(value, bool) and low <= value <= high)
        return int(value)

    return decode


def _float(value: Any) -> float:
    _require(isinstance(value, int | float) and not isinstance(value, bool))
    _require(math.isfinite(value))
    return float(value)


def _decimal(value: Any) -> Decimal:
    _require(isinstance(value, str | int | float) and not isinstance(value, bool))
    try:
        out = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    _require(out.is_finite() and -1000 < out.adjusted() < 1000)
    return out


def _datetime(value: Any, aware: bool) -> datetime:
    out = datetime.fromisoformat(_text(value))
    _require((out.tzinfo is not None) == aware)
    # Normalised here, where an overflow (year 1 at +05:00) is a bad cursor, not a crash later.
    return out.astimezone(UTC) if aware else out


@dataclass(frozen=True)
class SortKey:
    column: ColumnElement[Any]  # the expression without its direction
    descending: bool
    decode: Decoder


def sort_keys(order_by: Sequence[Any]) -> list[SortKey]:
    """Each ORDER BY term as (expression, direction, decoder); TypeError for what cannot page."""
    keys = []
    for term in order_by:
        element = term.__clause_element__() if hasattr(term, "__clause_element__") else term
        descending = False
        while isinstance(element, UnaryExpression) and element.modifier in (
            operators.desc_op,
            operators.asc_op,
            operators.nulls_first_op,
            operators.nulls_last_op,
        ):
            descending = descending or element.modifier is operators.desc_op
            element = element.element
        if isinstance(element, Column) and element.nullable:
            # NULLs sort differently on the two databases and never compare: a row would vanish.
            raise TypeError(f"sort key {element} is nullable; order by NOT NULL columns")
        keys.append(SortKey(element, descending, _decoder(element.type)))
    if not keys:
        raise TypeError("paginate needs at least one sort key, the last one unique")
    return keys


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    """The sort-key values a cursor holds, checked against the keys' column types.

    Raises a GraphQL error with code `INVALID_CURSOR` for anything `encode_cursor` did not make
    for these keys: bad base64 or JSON, another length, a value of the wrong type or range.
    """
    try:
        _require(len(cursor) <= MAX_CURSOR_LENGTH)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        _require(isinstance(values, list) and len(values) == len(keys))
        return [key.decode(value) for value, key in zip(values, keys, strict=True)]
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error) as exc:
        raise api_error("INVALID_CURSOR", f"cursor {cursor[:100]!r} is not valid here") from exc


def key_columns(keys: Sequence[SortKey]) -> list[Any]:
    """The sort keys as extra result columns `_key0`, `_key1`... (what a row's cursor holds)."""
    return [key.column.label(f"_key{i}") for i, key in enumerate(keys)]


def resume_after(stmt: Select[Any], keys: Sequence[SortKey], after: str | None) -> Select[Any]:
    """`stmt` limited to the rows after the cursor, in the order the keys give."""
    return _beyond(stmt, keys, after, forwards=True)


def resume_before(stmt: Select[Any], keys: Sequence[SortKey], before: str | None) -> Select[Any]:
    """`stmt` limited to the rows before the cursor, in the order the keys give."""
    return _beyond(stmt, keys, before, forwards=False)


def ordering(keys: Sequence[SortKey], *, backwards: bool = False) -> list[Any]:
    """The ORDER BY terms of the keys, or of their exact reverse (how a backward page is read:
    the rows nearest `before` first, then turned round in Python)."""
    return [key.column.desc() if key.descending != backwards else key.column.asc() for key in keys]


def _beyond(
    stmt: Select[Any], keys: Sequence[SortKey], cursor: str | None, *, forwards: bool
) -> Select[Any]:
    if cursor is None:
        return stmt
    values = [
        literal(value, key.column.type)  # the column's own type: UTCDateTime binds as it stores
        for value, key in zip(decode_cursor(cursor, keys), keys, strict=True)
    ]
    columns = [key.column for key in keys]
    # "beyond" a key: past it in the direction paged (an ascending key read backwards: smaller)
    smaller = [key.descending == forwards for key in keys]
    if len(keys) == 1:
        return stmt.where(columns[0] < values[0] if smaller[0] else columns[0] > values[0])
    if set(smaller) == {False}:
        return stmt.where(tuple_(*columns) > tuple_(*values))  # a row value: one index range
    if set(smaller) == {True}:
        return stmt.where(tuple_(*columns) < tuple_(*values))
    # Mixed directions: (a > x) OR (a = x AND b < y) OR (a = x AND b = y AND c > z) ...
    terms = []
    for i in range(len(keys)):
        equal = [columns[j] == values[j] for j in range(i)]
        beyond = columns[i] < values[i] if smaller[i] else columns[i] > values[i]
        terms.append(and_(*equal, beyond))
    return stmt.where(or_(*terms))
