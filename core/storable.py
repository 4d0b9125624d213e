"""Values the database or the response encoder cannot hold, refused where they enter.

A client's value must never become a server error, and must get the same answer on SQLite and
PostgreSQL, although the two differ: PostgreSQL refuses U+0000 in text and strings longer than a
`String(n)` column, SQLite takes both (and its LIKE silently stops at U+0000); neither takes an
integer beyond 64 bits, nor a datetime that overflows when converted to UTC. Every kind is
handled at one of three doors, so no core or plugin field needs code of its own:

1. The request body (`core.graphql_http`): JSON is decoded by orjson, which refuses invalid
   UTF-8 and lone surrogates (`"\\ud800"`), so no string that cannot be encoded back reaches a
   resolver. graphql-core already refuses them in document literals.
2. GraphQL input coercion (`SCALAR_OVERRIDES`, installed by `build_schema`): a `DateTime` must lie
   between 0001-01-02 and 9999-12-30 in UTC, so it converts to UTC and to any time zone (offsets
   are under a day); a `Date` is an RFC 3339 full-date, `YYYY-MM-DD` (both scalars carry
   `@specifiedBy` RFC 3339). Otherwise `BAD_USER_INPUT` (a variable) or a validation error (a
   literal).
3. The database connection (`guard`, installed on every engine `core.db.Database` creates),
   where the column a value meets is known, so "fits the column" can be judged at all:
   - a lookup with a value no row can hold and a database would not even compare (text with
     U+0000 or a lone surrogate, an integer beyond its column's range, a datetime beyond the
     range) finds nothing: `=`, `LIKE`, `IN` with such a value become false, `!=` / `NOT LIKE`
     become `IS NOT NULL`, and such items are dropped from `IN` / `ANY` lists (text longer than
     its column compares fine on both databases, and matches nothing by itself);
   - writing such a value, or text longer than its column (INSERT / UPDATE), rolls the mutation
     back with a user error on the input field named like the column (`online_url` ->
     `["input", "onlineUrl"]`): codes `INVALID_CHARACTER`, `TOO_LONG`, `OUT_OF_RANGE`. A
     `String(n)` column takes n characters; a column without a length (`Text`: descriptions,
     agendas, notes) takes the engine's `text_max_length` (setting `text_max_length`, default
     TEXT_MAX_LENGTH), so every text a client can write, a plugin's included, is bounded;
   - any other use of it (an ordering comparison, a function argument) is a client error:
     `BAD_USER_INPUT` for a read, a user error inside a mutation's transaction.
   Integer ranges are those of PostgreSQL's column types on both backends (INTEGER: 32 bits).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import dateutil.parser
import strawberry
from sqlalchemy import ARRAY, BigInteger, Integer, SmallInteger, String, event, false
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ClauseElement, ColumnElement
from sqlalchemy.sql.sqltypes import NULLTYPE
from sqlalchemy.sql.visitors import ExternallyTraversible
from sqlalchemy.types import TypeDecorator, TypeEngine
from strawberry.utils.str_converters import to_camel_case

from core.errors import Rejected, UserError, api_error, user_error

# --- 2. GraphQL input: DateTime -----------------------------------------------------------------

EARLIEST = datetime(1, 1, 2)
LATEST = datetime(9999, 12, 30, 23, 59, 59, 999999)
"""Instants (naive, in UTC) a DateTime may name: a day inside Python's range on each side."""


def parse_datetime(value: object) -> datetime:
    """An ISO 8601 date-time string -> datetime.

    Raises a GraphQLError with code BAD_USER_INPUT when the value is not a string, is malformed,
    or lies outside EARLIEST..LATEST once converted to UTC.
    """
    if not isinstance(value, str):
        raise api_error("BAD_USER_INPUT", f"DateTime cannot represent {value!r}: expected a string")
    try:
        parsed = dateutil.parser.isoparse(value)
        offset = parsed.utcoffset()
        instant = parsed.replace(tzinfo=None) - offset if offset else parsed.replace(tzinfo=None)
    except (ValueError, OverflowError) as exc:  # malformed, or overflows on the way to UTC
        instant, problem = None, str(exc)
    else:
        problem = "out of range"
    if instant is None or not EARLIEST <= instant <= LATEST:
        raise api_error(
            "BAD_USER_INPUT",
            f"DateTime cannot represent {value!r}: {problem} "
            "(ISO 8601, between 0001-01-02 and 9999-12-30 UTC)",
        )
    return parsed


RFC_3339 = "https://www.rfc-editor.org/rfc/rfc3339"
_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object) -> date:
    """An RFC 3339 full-date string (`YYYY-MM-DD`) -> date.

    Raises a GraphQLError with code BAD_USER_INPUT for anything else (Python's `fromisoformat`
    alone would also take ISO 8601's `20261130` and `2026-W48-1`, which RFC 3339 does not).
    """
    if isinstance(value, str) and _FULL_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise api_error("BAD_USER_INPUT", f"Date cannot represent {value!r}: expected YYYY-MM-DD")


DATETIME = strawberry.scalar(
    name="DateTime",
    description="A date-time with its UTC offset, RFC 3339 (e.g. 2026-11-30T14:00:00+00:00).",
    specified_by_url=RFC_3339,
    serialize=datetime.isoformat,
    parse_value=parse_datetime,
)
DATE = strawberry.scalar(
    name="Date",
    description="A calendar date, RFC 3339 full-date (YYYY-MM-DD).",
    specified_by_url=RFC_3339,
    serialize=lambda value: value.isoformat(),  # as Strawberry's own Date does
    parse_value=parse_date,
)
SCALAR_OVERRIDES: dict[object, Any] = {datetime: DATETIME, date: DATE}
"""For `strawberry.Schema(scalar_overrides=...)`."""


# --- 3. The database connection -----------------------------------------------------------------

_INT_BITS = ((SmallInteger, 16), (BigInteger, 64), (Integer, 32))
_FALSE_OPS = frozenset(
    {
        operators.eq,
        operators.is_not_distinct_from,
        operators.like_op,
        operators.ilike_op,
        operators.contains_op,
        operators.startswith_op,
        operators.endswith_op,
        operators.in_op,
    }
)
_NOT_NULL_OPS = frozenset(
    {
        operators.ne,
        operators.not_like_op,
        operators.not_ilike_op,
        operators.not_contains_op,
        operators.not_startswith_op,
        operators.not_endswith_op,
        operators.not_in_op,
    }
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEXED_NAME = re.compile(r"(?P<column>.+?)(?:_m?[0-9]+)?")  # SQLAlchemy's `name_1`, `name_m0`


@dataclass(frozen=True)
class Unholdable:
    """Why a value cannot be stored: a user-error code and a sentence that ends a message."""

    code: str
    reason: str


NUL = Unholdable("INVALID_CHARACTER", "must not contain the character U+0000 (NUL)")
SURROGATE = Unholdable("INVALID_CHARACTER", "must not contain unpaired surrogate code points")
DATETIME_RANGE = Unholdable("OUT_OF_RANGE", "is out of range (0001-01-02 to 9999-12-30 UTC)")
NOT_FINITE = Unholdable("OUT_OF_RANGE", "must be a finite number")
TEXT_MAX_LENGTH = 20_000
"""Characters a text column without a length of its own (`Text`) takes from a write."""


def _base(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def unholdable(
    value: object,
    type_: TypeEngine[Any],
    *,
    writing: bool = True,
    text_max_length: int = TEXT_MAX_LENGTH,
) -> Unholdable | None:
    """Why a column of `type_` cannot hold `value`, or None if it fits.

    `writing=False` judges a value compared with the column instead: text longer than the column
    still compares (and matches nothing, a LIKE pattern's length is not a value's), so only the
    kinds a database refuses even to compare remain. `text_max_length` (characters) is the
    length of a text column declared without one (`Text`).
    """
    if isinstance(value, str):
        if "\x00" in value:
            return NUL
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                return SURROGATE
        base = _base(type_)
        if writing and isinstance(base, String):
            length = base.length if base.length is not None else text_max_length
            if len(value) > length:
                return Unholdable("TOO_LONG", f"is longer than {length} characters")
        return None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        base = _base(type_)
        bits = next((b for kind, b in _INT_BITS if isinstance(base, kind)), 64)
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            return Unholdable("OUT_OF_RANGE", f"is out of range (at most {2 ** (bits - 1) - 1})")
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else NOT_FINITE
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            return DATETIME_RANGE
    return None


def _is_list(bind: BindParameter[Any]) -> bool:
    return bind.expanding or isinstance(bind.type, ARRAY)


def _item_type(bind: BindParameter[Any]) -> TypeEngine[Any]:
    return bind.type.item_type if isinstance(bind.type, ARRAY) else bind.type


def _bind_problem(bind: BindParameter[Any]) -> Unholdable | None:
    value = bind.effective_value
    if _is_list(bind) and isinstance(value, list | tuple):
        item_type = _item_type(bind)
        return next(filter(None, (unholdable(v, item_type, writing=False) for v in value)), None)
    return unholdable(value, bind.type, writing=False)


AUTOCOMMIT_READ = "ogp_wg_autocommit_read"
"""The execution option of SQLite's reads (core.db.Database.read): no BEGIN, like PostgreSQL's
AUTOCOMMIT isolation level, without its cost on SQLite (below)."""


def autocommit(execution_options: Mapping[str, Any]) -> bool:
    """True for a connection that runs each statement on its own (a read, `Database.read`):
    PostgreSQL's AUTOCOMMIT isolation level, or SQLite's `AUTOCOMMIT_READ`. SQLite's connections
    never begin a transaction by themselves (core.db), so a read there only has to skip the BEGIN;
    the isolation level would cost a round trip to aiosqlite's thread on every checkout and a
    PRAGMA on every return, and the return would turn the driver's implicit transactions back on."""
    return bool(
        execution_options.get("isolation_level") == "AUTOCOMMIT"
        or execution_options.get(AUTOCOMMIT_READ)
    )


def all_holdable(binds: Iterable[BindParameter[Any]]) -> bool:
    """True when a read may compare each bind's value with its column as it is: no value a
    database refuses even to compare (NUL, an unpaired surrogate, an integer past the column's
    range...). Otherwise the statement must go through `guard`'s rewrite (`_before_execute`):
    SQL text run as it is (core.compiled.template) would fail in the database."""
    return not any(_bind_problem(bind) for bind in binds)


def _scalar_problem(side: Any) -> bool:
    return (
        isinstance(side, BindParameter) and not _is_list(side) and _bind_problem(side) is not None
    )


def _replace(element: Any, **_: Any) -> Any:
    """The replacement of one node of a statement holding an unholdable value, or None."""
    if isinstance(element, BinaryExpression):
        for side, other in ((element.right, element.left), (element.left, element.right)):
            if _scalar_problem(side):
                if element.operator in _FALSE_OPS:
                    return false()
                if element.operator in _NOT_NULL_OPS and isinstance(other, ColumnElement):
                    return other.is_not(None)
        return None
    if isinstance(element, BindParameter) and _is_list(element):
        values = element.effective_value
        if isinstance(values, list | tuple):
            item_type = _item_type(element)
            kept = [v for v in values if unholdable(v, item_type, writing=False) is None]
            if len(kept) != len(values):
                return BindParameter(
                    None, kept, type_=element.type, expanding=element.expanding, unique=True
                )
    return None


def _binds(statement: ClauseElement | ExternallyTraversible) -> Iterable[BindParameter[Any]]:
    # The cache key is computed (and memoised on the statement) by every execution anyway.
    key = statement._generate_cache_key() if isinstance(statement, ClauseElement) else None
    if key is not None:
        return key.bindparams
    return (e for e in visitors.iterate(statement) if isinstance(e, BindParameter))


def _field(name: str, statement: Any) -> str | None:
    """The input field named like the column a bind parameter writes or compares, if any."""
    table = getattr(statement, "table", None)
    match = _INDEXED_NAME.fullmatch(name)
    column = match["column"] if match else name
    if table is not None and column not in table.c and name in table.c:
        column = name
    return to_camel_case(column) if table is None or column in table.c else None


def _user_error(problem: Unholdable, field: str | None) -> UserError:
    fields = (field,) if field else ()
    return user_error(problem.code, f"{field or 'a value'} {problem.reason}", *fields)


def _refuse(problem: Unholdable, field: str | None, *, writing: bool) -> Exception:
    """Inside a mutation's transaction a user error (`Rejected`), else BAD_USER_INPUT."""
    if writing:
        return Rejected(_user_error(problem, field))
    message = f"{field or 'a value'} {problem.reason}"
    return api_error("BAD_USER_INPUT", message, reason=problem.code)


def _before_execute(
    conn: Connection,
    statement: Any,
    multiparams: Any,
    params: Any,
    execution_options: Any,
) -> tuple[Any, Any, Any]:
    """Rewrite lookups with values no row can hold; refuse other uses of them in reads."""
    if not isinstance(statement, ClauseElement):
        return statement, multiparams, params
    if all_holdable(_binds(statement)):
        return statement, multiparams, params
    rewritten = visitors.replacement_traverse(statement, {}, _replace)
    if not statement.is_dml:  # writes are judged after compilation, with the columns' types
        for bind in _binds(rewritten):
            problem = _bind_problem(bind)
            if problem is not None:
                writing = not autocommit(execution_options)
                name = getattr(bind, "_orig_key", None) or bind.key
                field = _field(name, None) if _IDENTIFIER.fullmatch(str(name)) else None
                raise _refuse(problem, field, writing=writing)
    return rewritten, multiparams, params


def _check_write(context: Any, text_max_length: int) -> None:
    """Refuse an INSERT / UPDATE / DELETE carrying a value its column cannot hold."""
    if context is None or context.compiled is None:
        return
    if not (context.isinsert or context.isupdate or context.isdelete):
        return
    if getattr(context, "_ogp_wg_checked", False):
        return  # a batch of an "insertmanyvalues" execution: its rows were checked at the first
    context._ogp_wg_checked = True
    binds = context.compiled.binds
    for row in context.compiled_parameters:
        errors = []  # every problem of the row at once, as the services report theirs
        for name, value in row.items():
            bind = binds.get(name)
            problem = unholdable(
                value, bind.type if bind is not None else NULLTYPE, text_max_length=text_max_length
            )
            if problem is None and isinstance(value, list | tuple) and bind is not None:
                item_type = _item_type(bind)
                problems = (
                    unholdable(v, item_type, text_max_length=text_max_length) for v in value
                )
                problem = next(filter(None, problems), None)
            if problem is not None:
                errors.append(_user_error(problem, _field(name, context.compiled.statement)))
        if errors:
            raise Rejected(*errors)


def guard(engine: Engine, *, text_max_length: int = TEXT_MAX_LENGTH) -> None:
    """Install the database door on a (sync) engine: see the module's docstring.

    `text_max_length`: characters a column without a length (`Text`) takes from a write.
    """

    def before_cursor_execute(
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        _check_write(context, text_max_length)

    event.listen(engine, "before_execute", _before_execute, retval=True)
    event.listen(engine, "before_cursor_execute", before_cursor_execute)


__all__ = [
    "DATE",
    "DATETIME",
    "SCALAR_OVERRIDES",
    "TEXT_MAX_LENGTH",
    "Unholdable",
    "guard",
    "unholdable",
]
