"""Statements built once and run on the driver's own connection (issue 12).

SQLAlchemy's work per statement (its cache key, its compiled-statement cache, its execution
context and events) costs more Python than asyncpg's own execution of a short statement. A
statement every request runs the same way (the bearer token's lookup, the audit log's row) is
therefore built once as an SQLAlchemy Core statement whose every value is a named `bindparam`,
compiled once per dialect, and run as SQL text with the driver's parameters by `Database`
(`read_row`, `write_once`): the same SQL SQLAlchemy would send, the same bind and result
processing (e.g. `UTCDateTime`), the pool, timeouts, fault handling and statement counting of
`Database.read_value`.

Only for values a column always holds as they are (a hash, an id, a code): SQL text skips
`core.storable`'s guard, which rewrites lookups of values no row can hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...]  # the positional parameters' names
    processors: Mapping[str, Any]  # bind name -> SQLAlchemy's bind processor
    results: tuple[Callable[[Any], Any] | None, ...]


@dataclass(eq=False)
class DriverStatement:
    """`statement` (SQLAlchemy Core; every value a named `bindparam`, each named once) as the
    driver runs it.

    `bind(dialect, values)` -> (SQL text, the driver's positional parameters: asyncpg's `$n`,
    SQLite's `?`); `values` maps each bindparam's name to its
    value, processed as SQLAlchemy would (e.g. `UTCDateTime` to naive UTC on SQLite); raises
    KeyError naming a bindparam without a value (a column default is not applied here: give
    every column). `row(dialect, raw)` -> the returned row's values in the statement's column
    order, through the columns' result processors (SQLite's datetime text to `datetime`...).
    """

    statement: ClauseElement
    _compiled: dict[str, _Compiled] = field(default_factory=dict)

    def _of(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)
            columns: Any = getattr(self.statement, "selected_columns", None) or ()
            results = tuple(
                column.type._cached_result_processor(dialect, None) for column in columns
            )
            # both drivers' paramstyles are positional (asyncpg's `$n`, sqlite3's `?`)
            assert compiled.positiontup is not None
            order = tuple(compiled.positiontup)
            found = _Compiled(compiled.string, order, compiled._bind_processors, results)
            self._compiled[dialect.name] = found
        return found

    def bind(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
        compiled = self._of(dialect)
        processors = compiled.processors

        def value(name: str) -> Any:
            given = values[name]
            process = processors.get(name)
            return given if process is None or given is None else process(given)

        return compiled.sql, tuple(value(name) for name in compiled.order)

    def row(self, dialect: Dialect, raw: Sequence[Any] | None) -> tuple[Any, ...] | None:
        if raw is None:
            return None
        results = self._of(dialect).results
        return tuple(
            value if process is None else process(value)
            for value, process in zip(raw, results, strict=True)
        )
