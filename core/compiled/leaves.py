"""Leaves compiled (core.compiled.compiler's `Compiler` mixes this in): a field's value read
from a column (or a `computed` expression) as the JSON the resolver path prints for its GraphQL
type: strings, IDs, Ints, Booleans, enums, Dates, UTC DateTimes and Floats (core.compiled.
sqljson), a String, ID or Float from an integer column (as graphql-core serialises an int for
them), or a constant the builder stored (a list of them too); NotCompilable for anything else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLString,
)
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Numeric,
    String,
    Text,
    case,
    cast,
    literal,
)
from sqlalchemy.sql import ColumnElement

from core.compiled.probe import MISSING, Col, NotCompilable
from core.compiled.sqljson import Dialect, const, raw
from core.db import UTCDateTime


class Leaves:
    """The leaf part of `Compiler` (which gives `d`, `_present` and `_leaf_of_type`)."""

    d: Dialect
    _present: set[tuple[int, str]]

    if TYPE_CHECKING:

        def _leaf_of_type(self, where: str, sql_type: Any, column: Any) -> ColumnElement[str]: ...

    def _leaf(self, where: str, gql_type: Any, value: Any, sub: Any) -> ColumnElement[str]:
        if isinstance(value, ColumnElement):  # a SQL_OBJECTS object's expression
            return self._typed_leaf(where, gql_type, value, value.type, True)
        if not isinstance(value, Col):
            if value is MISSING:
                raise NotCompilable(f"{where}: not read from a column")
            try:
                return const(_constant(where, gql_type, value))
            except TypeError as exc:  # a serialised value orjson does not print
                raise NotCompilable(f"{where}: a constant not serialised") from exc
        column, sql_type = sub.c[value.name], value.column.type
        # an expression's column (an aggregate of a grouped subquery) says nothing: may be NULL
        nullable = getattr(value.column, "nullable", True)
        nullable = nullable and (id(sub), value.name) not in self._present
        return self._typed_leaf(where, gql_type, column, sql_type, nullable)

    def _within_32_bits(self, column: Any, printed: ColumnElement[str]) -> ColumnElement[str]:
        """`printed`, or on SQLite (64-bit integers) a failure outside 32 bits."""
        if not self.d.sqlite:
            return printed
        inside = column.is_(None) | column.between(-(2**31), 2**31 - 1)
        return case((inside, printed), else_=self.d.unrepresentable(column))

    def _typed_leaf(
        self, where: str, gql_type: Any, column: Any, sql_type: Any, nullable: bool
    ) -> ColumnElement[str]:
        """The JSON of a column (or expression) of `sql_type` for a leaf field of `gql_type`."""
        non_null = isinstance(gql_type, GraphQLNonNull)
        leaf = gql_type.of_type if non_null else gql_type
        if non_null and nullable:  # a NULL fails the statement: the resolver path answers
            value = self._typed_leaf(where, leaf, column, sql_type, True)
            return case((column.is_(None), self.d.unrepresentable(column)), else_=value)
        if isinstance(leaf, GraphQLEnumType) and isinstance(sql_type, Enum):
            lookup = getattr(sql_type, "_object_lookup", {})
            try:
                names = {str(k): leaf.serialize(m) for k, m in lookup.items() if k is not None}
            except Exception as exc:
                raise NotCompilable(f"{where}: enum values not serialised") from exc
            return self.d.enum(column, names)
        if leaf in (GraphQLString, GraphQLID) and isinstance(sql_type, String | Text):
            if isinstance(sql_type, Enum):
                raise NotCompilable(f"{where}: an enum column read as a string")
            return self.d.string(column)
        # An `Integer` column's value prints as an Int, as text (a String or an ID: graphql-core
        # serialises an int as `str(n)`) and as a Float (`float(n)`, which orjson prints as the
        # digits and `.0` below 1e16). PostgreSQL's integer holds 32 bits; SQLite's may hold 64,
        # which an Int may not (graphql-core refuses it): outside 32 bits the statement fails
        # and the resolver path answers (`unrepresentable`).
        small = isinstance(sql_type, Integer) and not isinstance(sql_type, BigInteger)
        if leaf is GraphQLInt and small:
            return self._within_32_bits(column, self.d.integer(column))
        if leaf in (GraphQLString, GraphQLID) and small:
            return self.d.string(cast(column, Text))
        if leaf is GraphQLFloat and small:
            printed = case((column.is_(None), raw("null")), else_=cast(column, Text).concat(".0"))
            return self._within_32_bits(column, printed)
        if leaf is GraphQLBoolean and isinstance(sql_type, Boolean):
            return self.d.boolean(column)
        if leaf is GraphQLFloat and (
            isinstance(sql_type, Float)
            or (isinstance(sql_type, Numeric) and not sql_type.asdecimal)
        ):
            return self.d.float(column)  # Float, Double, Numeric(asdecimal=False)
        # a UTCDateTime is read back as aware UTC (`+00:00`); a plain DateTime is not compiled
        temporal = {
            "DateTime": isinstance(sql_type, UTCDateTime),
            "Date": isinstance(sql_type, Date) and not isinstance(sql_type, DateTime),
        }
        if isinstance(leaf, GraphQLScalarType) and temporal.get(leaf.name):
            return self._leaf_of_type(where, sql_type, column)
        raise NotCompilable(f"{where}: {leaf} from {sql_type!r} is not reproduced in SQL")


class ComputedColumns:
    """What a `computed` field's SQL function reads: the object's attributes as the columns of
    `sub` they were read from, or as bound values for the numbers and strings its builder
    stored (a benchmark) when it decided on no value of the row (`touched`: such a constant
    may come from the row); a name the object holds no value for (no attribute, or a method:
    a resolver field's own name), the row's column of that name (one no field reads: a
    record's `original_language`); NotCompilable for anything else. Not a Boolean: the probe
    does not see `row.x is None`, so a stored Boolean may be the row's. A nested object's
    constants were compared with every NULL pattern of its columns first (core.compiled.
    nested), so they are its builder's own."""

    def __init__(self, where: str, obj: Any, sub: Any, touched: bool) -> None:
        self._where, self._obj, self._sub, self._touched = where, obj, sub, touched

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name, MISSING)
        if isinstance(value, Col):
            return self._sub.c[value.name]
        if type(value) in (int, float, str) and not self._touched:
            return literal(value)
        if (value is MISSING or callable(value)) and name in self._sub.c:
            return self._sub.c[name]
        raise NotCompilable(f"{self._where}: computed from {name}, not a column")


def _constant(where: str, gql_type: Any, value: Any) -> Any:
    """The JSON value graphql-core completes a constant to (a leaf, or a list of them: a
    field's default, such as a survey's rounds); NotCompilable where it would fail, and for a
    row's value at any depth (`[[row.a]]`: graphql-core would print a String of the marker)."""
    if isinstance(value, Col):
        raise NotCompilable(f"{where}: a list of the row's values")
    if isinstance(gql_type, GraphQLNonNull):
        if value is None:
            raise NotCompilable(f"{where}: not read from a column")
        return _constant(where, gql_type.of_type, value)
    if value is None:
        return None
    if isinstance(gql_type, GraphQLList):
        if not isinstance(value, list | tuple):
            raise NotCompilable(f"{where}: a constant not serialised")
        return [_constant(where, gql_type.of_type, item) for item in value]
    try:
        return gql_type.serialize(value)
    except Exception as exc:
        raise NotCompilable(f"{where}: a constant not serialised") from exc
