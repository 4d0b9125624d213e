"""Probe rows: how the compiler learns which column each field of an object reads.

The object the resolver path builds from a row (`make(row)`, a type's `from_row`) is built from a
`ProbeRow` whose values are `Col` markers; a field holding a column's marker reads that column.
A builder that does anything with a value but store it (arithmetic, a call) raises on a marker,
and the type is then not compilable. A builder that decides on a value (`if row.x`, `==`, a dict
lookup, formatting it as text) gets an answer from a lenient marker, and the row is marked
`touched`: the constants such a builder stored may come from the row's values, so the compiler
takes none of them for SQL (core.compiled.compiler), only fields holding a marker.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Select
from sqlalchemy.sql.elements import ColumnClause, ColumnElement
from sqlalchemy.sql.visitors import iterate, replacement_traverse

MISSING: Any = object()


class NotCompilable(Exception):
    """The selection cannot be answered by SQL exactly: `str(exc)` says why. `by_values`: the
    reason is in this request's argument values (another request may compile: not cached)."""

    def __init__(self, reason: str, *, by_values: bool = False) -> None:
        super().__init__(reason)
        self.by_values = by_values


class Col:
    """A probe row's value: the marker of one column."""

    __slots__ = ("column", "name", "row")

    def __init__(self, name: str, column: Any, row: ProbeRow | None = None) -> None:
        self.name, self.column, self.row = name, column, row

    def _decided(self, what: str) -> None:
        if self.strict:
            raise TypeError(f"{what} of the value of {self.name}")
        if self.row is not None:
            self.row.touched = True

    def __repr__(self) -> str:
        return f"<column {self.name}>"

    # A strict marker (`probe(..., strict=True)`: core.compiled.nested decides when an object
    # is null by probing) refuses a decision on its value (`if value:`, `value == 0`) rather
    # than pass for a value that is true, or unequal to anything: `value is None` is the one
    # test it reproduces. A lenient one (the other probes) lets a builder decide for fields
    # that are not read (a private flag a Python resolver reads), as before.
    strict = False

    def __bool__(self) -> bool:
        self._decided("a decision on")
        return True

    def __eq__(self, other: object) -> bool:
        self._decided("a comparison")
        return self is other

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:  # a dict or set lookup by the value (`LABELS.get(row.kind)`)
        self._decided("a lookup by")
        return object.__hash__(self)

    def __str__(self) -> str:
        self._decided("text")
        return repr(self)

    def __format__(self, spec: str) -> str:
        self._decided("text")
        return repr(self)


class StrictCol(Col):
    """A marker refusing decisions on its value (see `Col.strict`)."""

    __slots__ = ()
    strict = True


class ProbeRow(Mapping[str, Any]):
    """A row whose values are `_Col` markers (or fixed values), by key and by attribute."""

    def __init__(
        self,
        columns: Mapping[str, Any],
        fixed: Mapping[str, Any] | None = None,
        strict: bool = False,
    ):
        self._columns, self._fixed = columns, dict(fixed or {})
        self._marker = StrictCol if strict else Col
        self.touched = False
        """A lenient marker of this row was decided on (see the module docstring)."""

    def __getitem__(self, name: str) -> Any:
        if name in self._fixed:
            return self._fixed[name]
        return self._marker(name, self._columns[name], self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    @property
    def _mapping(self) -> ProbeRow:
        return self


def probe(
    make: Any,
    columns: Mapping[str, Any],
    fixed: Mapping[str, Any] | None = None,
    strict: bool = False,
) -> Any:
    return probed(make, ProbeRow(columns, fixed, strict))


def probed(make: Any, row: ProbeRow) -> Any:
    """`make(row)`; NotCompilable when the builder raises on a marker."""
    try:
        return make(row)
    except Exception as exc:
        raise NotCompilable(f"its objects are not built from columns alone ({exc!r})") from exc


def is_desc(order: Any) -> bool:
    return getattr(getattr(order, "modifier", None), "__name__", "") == "desc_op"


def table_columns(sub: Any) -> dict[str, Any]:
    """A subquery's columns by name, each as its table's column (nullability, type, keys)."""
    columns = {}
    for column in sub.c:
        base = list(column.base_columns)
        columns[column.name] = base[0] if len(base) == 1 else column
    return columns


def base_tables(column: Any) -> list[Any]:
    """The tables `column` (of a select or a subquery) is read from: a computed column's base is
    an expression (a type_coerce), of no table."""
    return [base.table for base in column.base_columns if isinstance(base, ColumnClause)]


def adapt_to(term: Any, sub: Any) -> Any:
    """`term` (a column or an SQL expression over columns, as a declaration's ORDER BY holds
    it) reading `sub`'s columns instead: each column of the tables `sub` reads replaced by the
    column of `sub` derived from it, or else of the same name (a statement may select from an
    alias of the table). NotCompilable when such a column is not one of `sub`'s."""
    start = term.__clause_element__() if hasattr(term, "__clause_element__") else term
    missing: list[str] = []
    # the tables `sub` reads its rows from: a column of another table (in a subquery of the
    # term: an organisation's name by the row's organization_id) is the subquery's own
    rows_of = {table for column in sub.c for table in base_tables(column)}
    inner = {
        id(column)
        for select in iterate(start)
        if isinstance(select, Select)
        for column in iterate(select)
        if isinstance(column, ColumnClause)
    }

    def replace(element: Any, **kw: Any) -> Any:
        if not isinstance(element, ColumnClause) or element.table is sub:
            return None
        if element.table not in rows_of:
            # A column of a derived table the rows are read from (a declaration over a
            # subquery: `rows_grouped_by(trend.c.country_id, order_by=(trend.c.edition,))`),
            # in a subquery of the term too (correlated to the row): the column `sub` derives
            # from it, itself, not one that only shares its base column (another subquery of
            # the same table). Replaced, it is not traversed into (nor its derived table).
            derived = sub.corresponding_column(element)
            if derived is not None and element in derived.proxy_set:
                return derived
            if id(element) not in inner:
                missing.append(str(element))
            return None
        mapped = sub.corresponding_column(element)
        if mapped is None and element.name in sub.c:
            mapped = sub.c[element.name]
        if mapped is None:
            missing.append(str(element))
        return mapped

    opts: dict[str, Any] = {}
    clause: ColumnElement[Any] = start
    adapted = replacement_traverse(clause, opts, replace)
    if missing:
        raise NotCompilable(f"an order by {start}: {missing[0]} is not a column of its rows")
    return adapted


def column_name(column: Any) -> str:
    name: str = getattr(column, "expression", column).name
    return name
