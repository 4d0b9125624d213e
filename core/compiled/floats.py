"""Floats printed by SQL as `orjson.dumps` prints them (what the resolver path answers).

orjson prints the shortest digits that read back as the same double (Ryu), in decimal notation
for 1e-5 <= |v| < 1e16 with `.0` after an integral value (`100.0`, `0.00001`,
`9999999999999998.0`) and in exponent notation otherwise, the exponent unpadded and signed
(`1e+16`, `1.5e-7`, `5e-324`); `-0.0` keeps its sign.

- SQLite: the function `ogp_float_json` (core.db registers it on every connection) is
  `orjson.dumps` itself: `null` for NULL, an error for a value that is not a finite float.
- PostgreSQL: `float8::text` prints the same shortest digits (Ryu, PostgreSQL 12+) while
  `extra_float_digits` > 0 (the server's default is 1; with 0 or less it prints rounded digits):
  the expression sets it to 1 for its transaction (`set_config(..., true)`) in an uncorrelated
  subquery (an InitPlan, run once) that the CASE reading the value evaluates first. That text
  (`1e+20`, `1e-05`, `100`, `-0`; decimal for 1e-4 <= |v| < 1e15) is orjson's already when
  it has a fraction (`0.25`), and is with `.0` when it is integral (`100`, `-0`); any other is
  split into sign, digits and exponent (regexp_match) and printed again in orjson's notation.
  NaN and +-Infinity (no GraphQL Float) do not match: the expression then fails casting a text
  holding `UNREPRESENTABLE` to an integer, which `core.compiled.sqljson.unrepresentable` recognises.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Double, Integer, Text, case, cast, func, literal_column, select
from sqlalchemy.sql import ColumnElement

FLOAT_FUNCTION = "ogp_float_json"
"""The SQLite function registered on every connection (core.db): orjson's text of a float."""

FAIL_FUNCTION = "ogp_unrepresentable"
"""The SQLite function registered on every connection (core.db): raises, always."""

UNREPRESENTABLE = "ogp_compiled_unrepresentable"
"""In the error a compiled statement raises for a value its SQL does not print."""

_PRINTED = r"^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([-+][0-9]+))?$"
"""float8's text: sign, integer digits, fraction digits, exponent (NaN/Infinity do not match)."""


def _text(value: str) -> ColumnElement[str]:
    return literal_column("'" + value.replace("'", "''") + "'", Text)


def _split(printed: str, before: str = "", keep: str = "") -> str:
    """SQL selecting `m` (the match), `s` (sign), `d` (the significant digits) and `e` (the
    exponent of the first one: |v| = d.ddd x 10^e) of a float8's or numeric's text `printed`;
    `before`: FROM items `printed` reads, `keep`: more columns."""
    every = "m[2] || coalesce(m[3], '')"
    return (
        f"SELECT {keep}m, m[1] AS s, rtrim(ltrim({every}, '0'), '0') AS d, "
        f"coalesce(m[4]::int, 0) + length(m[2]) "
        f"- (length({every}) - length(ltrim({every}, '0'))) - 1 AS e "
        f"FROM {before}LATERAL (SELECT regexp_match({printed}, '{_PRINTED}') AS m OFFSET 0) AS r "
        "OFFSET 0"
    )


# Each derived table ends in OFFSET 0, which keeps the planner from pulling it up into its
# parent: pulled up, each reference to a column repeats the expression computing it (the
# regexp, the subquery shortening the digits: dozens of subplans per value, and JIT).
# `fx.x`: the value (float8). `q`: its float8 text split; `p`: the shortest text split.
# float8out's digits may be one longer than the shortest (Ryu as PostgreSQL builds it does not
# take a bound of the rounding interval, orjson does: 5.614717325177386e+16 is printed
# 5.6147173251773856e+16): the shortest truncation of them (down or up, the nearer first) that
# reads back as the same double is taken, as numeric text (plain notation), when there is one.
_SLOW = (
    "SELECT p.s || CASE WHEN p.d = '' THEN '0.0' "
    "WHEN p.e BETWEEN -5 AND 15 THEN CASE "
    "WHEN p.e >= length(p.d) - 1 THEN p.d || repeat('0', p.e - length(p.d) + 1) || '.0' "
    "WHEN p.e >= 0 THEN substr(p.d, 1, p.e + 1) || '.' || substr(p.d, p.e + 2) "
    "ELSE '0.' || repeat('0', -p.e - 1) || p.d END "
    "ELSE substr(p.d, 1, 1) || CASE WHEN length(p.d) > 1 THEN '.' || substr(p.d, 2) ELSE '' END "
    "|| 'e' || CASE WHEN p.e > 0 THEN '+' ELSE '' END || p.e::text END "
    "FROM (SELECT q.*, CASE WHEN q.m IS NOT NULL THEN q.t::numeric END AS n FROM ("
    + _split("a.t", "(SELECT f.t OFFSET 0) AS a, ", "a.t, ")
    + ") AS q OFFSET 0) AS q, LATERAL ("
    + _split(
        "coalesce((SELECT v.c::text FROM (VALUES "
        + ", ".join(f"({k})" for k in range(1, 17))
        + ") AS ks(k), LATERAL "
        "(VALUES (trunc(q.n, k - 1 - q.e)), (trunc(q.n, k - 1 - q.e) + sign(q.n) * "
        "power(10::numeric, q.e - k + 1))) AS v(c) WHERE CASE WHEN abs(v.c) "
        "BETWEEN 2.4703282292062328e-324 AND 1.7976931348623158e308 "  # no overflow, no 0
        "THEN v.c::float8 = ogp_fx.x ELSE false END AND k < length(q.d) "
        "ORDER BY k, abs(v.c - q.n) LIMIT 1), q.t)"
    )
    + ") AS p"
)
# Between 1e-4 and 1e15 float8's text is plain decimal, as orjson's, and its digits are the
# shortest (the interval's bounds there have more than 17 significant digits, so no candidate
# of float8out's lies on one): taken as it is, `.0` after an integral value; `_SLOW` otherwise.
_SQL = (
    r"SELECT CASE WHEN f.t ~ '^-?[0-9]+\.[0-9]+$' THEN f.t WHEN f.t ~ '^-?[0-9]+$' "
    "THEN f.t || '.0' ELSE (" + _SLOW + ") END "
    "FROM (SELECT CASE WHEN (SELECT set_config('extra_float_digits', '1', true)) IS NOT NULL "
    "THEN ogp_fx.x::text END AS t OFFSET 0) AS f"
)


def pg_float(column: ColumnElement[Any]) -> ColumnElement[str]:
    """orjson's text of a float8 (or real, or numeric) expression on PostgreSQL; `null` for
    NULL. The SQL is `_SQL` over a derived table `ogp_fx` holding the value as float8."""
    outer = list(getattr(column, "_from_objects", []))  # correlated explicitly: SQLAlchemy
    # does not correlate a derived table on its own
    # a real (float4) is read as the double it widens to, a numeric rounded to a double
    value = select(cast(column, Double).label("x")).correlate(*outer).subquery("ogp_fx")
    text = select(literal_column("(" + _SQL + ")", Text)).select_from(value).scalar_subquery()
    failed = cast(cast(_text(UNREPRESENTABLE + " ") + cast(column, Text), Integer), Text)
    return case((column.is_(None), _text("null")), else_=func.coalesce(text, failed))
