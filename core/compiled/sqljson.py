"""JSON text built by SQL, byte for byte what `orjson.dumps` prints for the same value.

Neither database's own JSON output fits: PostgreSQL's `json_build_object` prints `{"a" : 1}` and
`json_agg` puts newlines between items; `jsonb` reorders keys. So the text is concatenated
(`||`, the same operator on both databases) from escaped leaves: strings through `to_json`
(PostgreSQL) or `json_quote` (SQLite), which escape exactly as orjson does (`"`, `\\`, the short
forms `\\b \\f \\n \\r \\t`, other control characters as lowercase `\\u00xx`, the rest raw
UTF-8); integers as their decimal text; booleans, nulls and enum names as literal JSON; dates
and UTC date-times as `isoformat()` prints them; floats as orjson prints them (`Dialect.float`:
core.compiled.floats). A value the SQL does not print (a non-finite float: no GraphQL Float)
or a NULL where the field is non-null (`Dialect.unrepresentable`) makes the statement fail with an
error `unrepresentable` recognises, and the root field is then answered by the resolver path.

Every function returns a SQLAlchemy text expression that is never NULL. Constants written into
the SQL (`raw`) are JSON made here from GraphQL names (response keys, type and enum names: the
GraphQL grammar allows only `[_A-Za-z0-9]`) or from code; request values are always bound.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import reduce
from typing import Any

import orjson
from sqlalchemy import Integer, String, Text, case, cast, func, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql import ColumnElement

from core.compiled.floats import FAIL_FUNCTION, FLOAT_FUNCTION, UNREPRESENTABLE, pg_float

PG_TIMESTAMP = 'YYYY-MM-DD"T"HH24:MI:SS.US'
"""`to_char`'s pattern of a UTC timestamp: `isoformat()`'s, with 6 digits of fraction always."""
B64_FUNCTION = "ogp_b64url"
"""The SQLite function registered on every connection (core.db): urlsafe base64, no padding."""


_TEXT = "_ogp_constant"
"""The attribute of a `raw` element holding its text: `cat` merges neighbouring constants, as
the database would not (`a || 'x' || 'y'` is `(a || 'x') || 'y'`, two concatenations per row)."""
_PARTS = "_ogp_parts"
"""The attribute of a `cat` element holding `(itself, its parts)`, so a `cat` of it merges its
constants with their neighbours; a copy SQLAlchemy makes (an adapted clone copies the
attribute, not the parts' adaptation) is not the element recorded, and is kept whole."""


def raw(text: str) -> ColumnElement[str]:
    """A constant of the generated SQL (see the module docstring: never request data)."""
    element = literal_column("'" + text.replace("'", "''") + "'", Text)
    setattr(element, _TEXT, text)
    return element


def const(value: Any) -> ColumnElement[str]:
    """The JSON of a constant Python value (str, int, bool or None)."""
    return raw(orjson.dumps(value).decode())


def cat(*parts: ColumnElement[Any]) -> ColumnElement[str]:
    """`a || b || ...` (as text), the constants next to each other (a `cat`'s included) as one."""
    merged: list[ColumnElement[Any]] = []
    for part in (p for each in parts for p in _parts(each)):
        text = getattr(part, _TEXT, None)
        before = getattr(merged[-1], _TEXT, None) if merged else None
        if text is not None and before is not None:
            merged[-1] = raw(before + text)
        else:
            merged.append(part)
    coerced: list[ColumnElement[str]] = [type_coerce(p, String) for p in merged]
    joined = reduce(lambda a, b: a + b, coerced)
    setattr(joined, _PARTS, (joined, merged))
    return joined


def _parts(element: ColumnElement[Any]) -> Sequence[ColumnElement[Any]]:
    """The parts `cat` made `element` of, or `element` alone (not a `cat`'s, or a copy of one)."""
    recorded = getattr(element, _PARTS, None)
    return recorded[1] if recorded is not None and recorded[0] is element else (element,)


def json_list(items: Sequence[ColumnElement[str]]) -> ColumnElement[str]:
    """`[i1,i2,...]` of JSON texts (a fixed number of them: `array` aggregates rows)."""
    parts: list[ColumnElement[str]] = [raw("[")]
    for i, text in enumerate(items):
        parts += [raw(","), text] if i else [text]
    return cat(*parts, raw("]"))


class Dialect:
    """The leaves and aggregates that differ between SQLite and PostgreSQL."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite

    def string(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        if self.sqlite:
            return func.json_quote(column)  # NULL -> 'null'
        return func.coalesce(cast(func.to_json(cast(column, Text)), Text), raw("null"))

    def float(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        """A float (float8/REAL) as `orjson.dumps` prints it; `null` for NULL."""
        if self.sqlite:
            printed: ColumnElement[str] = getattr(func, FLOAT_FUNCTION)(column)
            return printed
        return pg_float(column)

    def unrepresentable(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        """Fails the statement (the error `unrepresentable` recognises) when evaluated: what a
        CASE answers for a value the SQL does not print (a NULL for a non-null field); its root
        field is then answered by the resolver path. Reads `column` so that neither database
        evaluates it before the CASE chooses it (a constant may be folded at planning)."""
        if self.sqlite:
            failed: ColumnElement[str] = getattr(func, FAIL_FUNCTION)(column)
            return failed
        text = raw(UNREPRESENTABLE + " ") + func.coalesce(cast(column, Text), raw("null"))
        return cast(cast(text, Integer), Text)

    def integer(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        return func.coalesce(cast(column, Text), raw("null"))

    def boolean(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        return case(
            (column.is_(None), raw("null")), (column.is_(True), raw("true")), else_=raw("false")
        )

    def datetime(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        """A `core.db.UTCDateTime` column as `datetime.isoformat()` prints the UTC value Python
        reads (`"2026-11-30T14:00:00+00:00"`, `.ffffff` only when the microseconds are not 0)."""
        if self.sqlite:
            # stored as naive UTC text 'YYYY-MM-DD HH:MM:SS[.f...]' (SQLAlchemy: 6 digits;
            # the triggers' strftime('%f'): 3); Python reads the fraction right-padded to 6
            whole = func.substr(column, 1, 10) + raw("T") + func.substr(column, 12, 8)
            fraction = func.substr(func.substr(column, 21) + raw("000000"), 1, 6)
            micro = case((fraction == raw("000000"), raw("")), else_=raw(".") + fraction)
            text = cat(raw('"'), whole, micro, raw('+00:00"'))
        else:
            # one to_char: '.000000' can only be the fraction (no other '.' is printed)
            printed = func.to_char(func.timezone(raw("UTC"), column), raw(PG_TIMESTAMP))
            text = cat(raw('"'), func.replace(printed, raw(".000000"), raw("")), raw('+00:00"'))
        return case((column.is_(None), raw("null")), else_=text)

    def date(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        """A `Date` column as `date.isoformat()` prints it (`"2026-11-30"`)."""
        if self.sqlite:
            return func.json_quote(column)  # stored as 'YYYY-MM-DD'; NULL -> 'null'
        text = cat(raw('"'), func.to_char(column, raw("YYYY-MM-DD")), raw('"'))
        return case((column.is_(None), raw("null")), else_=text)

    def enum(self, column: ColumnElement[Any], names: Mapping[str, str]) -> ColumnElement[str]:
        """`names`: stored value -> GraphQL enum value name."""
        whens = [(column == raw(stored), const(name)) for stored, name in names.items()]
        return case(*whens, else_=raw("null"))

    def base64url(self, text: ColumnElement[Any]) -> ColumnElement[str]:
        if self.sqlite:
            encoded: ColumnElement[str] = getattr(func, B64_FUNCTION)(text)
            return encoded
        encoded = func.encode(func.convert_to(text, literal_column("'UTF8'")), raw("base64"))
        return func.rtrim(func.translate(encoded, literal_column("E'+/\\n'"), raw("-_")), raw("="))

    def global_id(self, type_name: str, pk: ColumnElement[Any]) -> ColumnElement[str]:
        """core.schema.ids.to_global_id(type_name, pk) as a JSON string."""
        return cat(raw('"'), self.base64url(cat(raw(type_name + ":"), cast(pk, Text))), raw('"'))

    def count(self, stmt: Any) -> ColumnElement[str]:
        """The number of rows of `stmt` (a Select) as JSON."""
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        return cast(counted.scalar_subquery(), Text)

    def array(
        self, element: ColumnElement[str], source: Any, order_by: Sequence[Any]
    ) -> ColumnElement[str]:
        """`[e1,e2,...]` of `element` over the rows of `source` (a Select whose FROM and WHERE
        give the rows), in `order_by` order; `[]` for none."""
        if self.sqlite:
            # SQLite 3.40 has no ORDER BY inside an aggregate, and an aggregate over an ordered
            # subquery reads its rows in an order SQL does not promise. A window's ORDER BY
            # does: the frame (the whole list) is aggregated in that order, every row holding
            # the whole text, of which the first row's is taken
            whole = func.group_concat(element, raw(",")).over(
                order_by=list(order_by) or None, rows=(None, None)
            )
            listed = source.add_columns(whole).limit(1).scalar_subquery()
            return cat(raw("["), func.coalesce(listed, raw("")), raw("]"))
        else:
            inner = source.add_columns(element.label("j"))
            labels = [
                o.element.label(f"o{i}") if _is_desc(o) else o.label(f"o{i}")
                for i, o in enumerate(order_by)
            ]
            inner = inner.add_columns(*labels).subquery()
            keys = [
                inner.c[f"o{i}"].desc() if _is_desc(o) else inner.c[f"o{i}"]
                for i, o in enumerate(order_by)
            ]
            joined = (
                func.string_agg(inner.c.j, aggregate_order_by(raw(","), *keys))
                if keys
                else func.string_agg(inner.c.j, raw(","))
            )
        text = select(func.coalesce(joined, raw(""))).select_from(inner).scalar_subquery()
        return cat(raw("["), text, raw("]"))

    def obj(self, members: Sequence[tuple[str, ColumnElement[str]]]) -> ColumnElement[str]:
        """`{"k1":v1,"k2":v2}`: members in order (response keys, already unique)."""
        if not members:
            return raw("{}")
        parts: list[ColumnElement[Any]] = []
        for i, (key, value) in enumerate(members):
            parts.append(raw(("{" if i == 0 else ",") + orjson.dumps(key).decode() + ":"))
            parts.append(value)
        parts.append(raw("}"))
        return cat(*parts)


def _is_desc(order: Any) -> bool:
    modifier = getattr(order, "modifier", None)
    return getattr(modifier, "__name__", "") == "desc_op"


TOO_DEEP = ("parser stack overflow", "Expression tree is too large")
"""SQLite's refusals of a statement nested deeper than its parser (YYSTACKDEPTH) or expression
tree (SQLITE_MAX_EXPR_DEPTH) allow: a query within the API's depth limit can compile to one (a
comment's reply's hidden-by person's e-mail, below a group's meetings), the more so wrapped in
a kept statement's token check (core.auth.known)."""


def unrepresentable(exc: BaseException) -> bool:
    """Whether a compiled statement failed on something its SQL does not print, so that the
    resolver path answers its root field: a value (see the module docstring): PostgreSQL's
    error quotes `UNREPRESENTABLE`; SQLite's says a function of ours raised (`ogp_float_json`
    for a non-finite float, `ogp_unrepresentable` always; `ogp_b64url` never raises on text);
    or the statement itself, nested too deep for SQLite (`TOO_DEEP`)."""
    text = str(exc)
    return (
        UNREPRESENTABLE in text
        or "user-defined function raised exception" in text
        or any(refusal in text for refusal in TOO_DEEP)
    )


SERVED_MARK = "\x01"
"""Follows a translated text's JSON with the language it was served in (`served_in`): a raw
control character, which no JSON text holds (both databases' escaping prints it `\\u0001`)."""
_SERVED = re.compile(SERVED_MARK + "([a-z]{2})")


def served_in(json_text: ColumnElement[str], language: ColumnElement[str]) -> ColumnElement[str]:
    """A text field's JSON followed by the mark of the language it was served in (ISO 639-1):
    `spliced` takes the marks out and notes their languages, for `Content-Language`
    (core.translations), as the resolver path notes each text it serves."""
    return cat(json_text, raw(SERVED_MARK), language)


def spliced(ctx: Any, text: str) -> orjson.Fragment:
    """A compiled statement's JSON, as the response holds it: without the marks of `served_in`,
    whose languages are noted for the request (`core.translations.types.note_served`)."""
    if SERVED_MARK in text:
        from core.translations.types import note_served  # the translations domain imports this

        for language in sorted(set(_SERVED.findall(text))):
            note_served(ctx, language)
        text = _SERVED.sub("", text)
    return orjson.Fragment(text)
