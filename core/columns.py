"""Column helpers shared by core and plugin tables."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Boolean, Enum, Select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import Grouping, UnaryExpression
from sqlalchemy.sql.functions import FunctionElement


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint (no native PG type to migrate)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class _InRows(FunctionElement[bool]):
    name = "in_rows"
    type = Boolean()
    inherit_cache = True

    def self_group(self, against: Any = None) -> Any:
        # written as the comparison it is: a Boolean function's default in a condition is
        # `... = 1` on SQLite, which SQLite answers by scanning the table, not probing its index
        if against in (operators.and_, operators.or_, operators._asbool):
            return self
        return self if against is None else Grouping(self)

    def _negate(self) -> Any:
        return UnaryExpression(self.self_group(against=operators.inv), operator=operators.inv)


def in_rows(column: Any, rows: Select[Any]) -> _InRows:
    """`column IN (rows)` (`rows`: a one-column SELECT, correlated or not); on PostgreSQL
    `column = ANY(ARRAY(rows))`.

    Why: for a few keys out of a large table (a group's linked resources, newest first),
    PostgreSQL reads `rows` whole first and then probes `column`'s index for each key, in the
    index's order, so `ORDER BY column LIMIT n` stops after n rows. With `IN` it may instead
    walk `column`'s index over the whole table, merging with `rows`: its estimate for a page
    (a LIMIT) assumes the keys spread evenly over the table, and the cost grows with the
    table (tests/test_query_plans.py). SQLite has no arrays, and plans `IN` by probing.
    For a list of values rather than a SELECT: `core.db.Database.any_of`."""
    return _InRows(column, rows.scalar_subquery())


@compiles(_InRows)
def _in(element: _InRows, compiler: Any, **kw: Any) -> str:
    column, rows = element.clauses
    return f"{compiler.process(column, **kw)} IN {compiler.process(rows, **kw)}"


@compiles(_InRows, "postgresql")
def _any_of_array(element: _InRows, compiler: Any, **kw: Any) -> str:
    column, rows = element.clauses
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(rows, **kw)})"
