"""Probe rows: how the compiler learns which column each field of an object reads.

The object the resolver path builds from a row (`make(row)`, a type's `from_row`) is built from a
`ProbeRow` whose values are `Col` markers; a field holding a column's marker reads that column.
A builder that does anything with a value but store it (arithmetic, a call) raises on a marker,
and the type is then not compilable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

MISSING: Any = object()


class NotCompilable(Exception):
    """The selection cannot be answered by SQL exactly: `str(exc)` says why. `by_values`: the
    reason is in this request's argument values (another request may compile: not cached)."""

    def __init__(self, reason: str, *, by_values: bool = False) -> None:
        super().__init__(reason)
        self.by_values = by_values


class Col:
    """A probe row's value: the marker of one column."""

    __slots__ = ("column", "name")

    def __init__(self, name: str, column: Any) -> None:
        self.name, self.column = name, column

    def __repr__(self) -> str:
        return f"<column {self.name}>"


class ProbeRow(Mapping[str, Any]):
    """A row whose values are `_Col` markers (or fixed values), by key and by attribute."""

    def __init__(self, columns: Mapping[str, Any], fixed: Mapping[str, Any] | None = None):
        self._columns, self._fixed = columns, dict(fixed or {})

    def __getitem__(self, name: str) -> Any:
        if name in self._fixed:
            return self._fixed[name]
        return Col(name, self._columns[name])

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


def probe(make: Any, columns: Mapping[str, Any], fixed: Mapping[str, Any] | None = None) -> Any:
    try:
        return make(ProbeRow(columns, fixed))
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


def column_name(column: Any) -> str:
    name: str = getattr(column, "expression", column).name
    return name
