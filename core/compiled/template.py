"""A root field's compiled statement kept per plan and run again with other variable values.

Building a root field's statement (the JSON of its whole selection) costs Python time that grows
with the selection (tens of milliseconds for a group page), while a request's variables change
only the rows the root field reads: its own arguments (`workingGroup(slug: $slug)`,
`node(id: $id)`). So the first request of a plan builds the statement and compiles it to SQL
once (a `Template`); a later request with other values builds only the root's rows statement
(`Compiler.root_rows`, cheap), and when it has the same shape (SQLAlchemy cache key, without
the values) binds its values into the kept SQL in place of the first request's, and runs that
SQL text as it is through the driver (asyncpg prepares it once per connection).

Kept only when every variable of the root field is one of its own non-paging arguments (or a
Boolean of `@skip`/`@include`, part of the plan's key): a variable anywhere else in the
selection (a nested `first: $n`, a paging `after: $cursor`) shapes the rest of the statement, so
such a root field is built per set of values (core.compiled.plan keeps it per values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graphql import DirectiveNode, FieldNode, FragmentSpreadNode, Node, VariableNode
from sqlalchemy import BindParameter, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.cache_key import CacheKey
from sqlalchemy.sql.compiler import SQLCompiler

from core.access.sql import VIEWER_PERSON
from core.compiled.connections import PAGING
from core.rows import Clock
from core.storable import all_holdable


@dataclass(eq=False)
class Template:
    """A built root statement compiled once (`compiled`) and, per bind parameter of the rows it
    was built around (cache-key order), that bind's name in `compiled` (None: a clock bind,
    `request_now`, which reads the clock when the statement runs)."""

    statement: Select[Any]
    compiled: SQLCompiler
    names: tuple[str | None, ...]

    @classmethod
    def of(
        cls, statement: Select[Any], rows: Select[Any] | None, dialect: Dialect
    ) -> Template | None:
        """The template of `statement` built around `rows` (None: the statement as it is, no
        values to re-bind); None when a bind of `rows` is not found by name in the compiled
        statement (it could not be re-bound), or when a value of the statement cannot be
        compared as it is (`core.storable.all_holdable`: SQL text run as it is would skip the
        guard's rewrite, so such a statement is built each time)."""
        compiled = statement.compile(dialect=dialect)
        if not all_holdable(compiled.binds.values()):
            return None
        names: list[str | None] = []
        if rows is not None:
            key = rows._generate_cache_key()
            if key is None:
                return None
            for bind in key.bindparams:
                name = compiled.bind_names.get(bind)
                if bind.callable is None and name is None:
                    return None
                names.append(None if bind.callable is not None else name)
        return cls(statement, compiled, tuple(names))

    @property
    def foreign(self) -> bool:
        """Whether a bind reads its value when the statement runs from anything but the clock
        (`core.rows.Clock`): a declaration's own callable, which may read its build's viewer."""
        return any(not isinstance(read, Clock) for read in self._clock.values())

    @cached_property
    def _clock(self) -> dict[str, Callable[[], Any]]:
        """Per bind that reads the clock (`request_now`), its name and how it reads it."""
        binds = self.compiled.binds.items()
        return {name: bind.callable for name, bind in binds if bind.callable is not None}

    def bind(self, rows: Sequence[BindParameter[Any]] = (), person: int | None = None) -> Bound:
        """The SQL text and the driver's parameters of the kept statement with the values of
        `rows` (the bind parameters of the cache key of rows with the template's rows' shape)
        and the viewer's `person` id (when given: `core.access.sql.VIEWER_PERSON`). An expanding
        parameter (`IN` a list) is rendered for this list's length."""
        binds = zip(self.names, rows, strict=True)
        overrides = {name: bind.value for name, bind in binds if name is not None}
        if person is not None and VIEWER_PERSON in self.compiled.binds:
            overrides[VIEWER_PERSON] = person
        compiled = self.compiled
        values: Mapping[str, Any] = compiled.construct_params(overrides, _check=False)
        sql: str = compiled.string
        order: Sequence[str] | None = compiled.positiontup
        processors: Mapping[str, Any] = compiled._bind_processors
        if "POSTCOMPILE" in sql:
            expanded = compiled.construct_expanded_state(values)
            sql, values, order = expanded.statement, expanded.parameters, expanded.positiontup
            # the expanded lists' own processors, on top of every other bind's (as SQLAlchemy's
            # DefaultExecutionContext merges them): a UTCDateTime still binds as it stores
            processors = {**processors, **expanded.processors}
        processed = {
            name: processors[name](value) if name in processors else value
            for name, value in values.items()
        }
        places: Sequence[tuple[Any, str]] = (
            [(n, n) for n in processed] if order is None else list(enumerate(order))
        )
        clock = self._clock
        slots = tuple((at, clock[n], processors.get(n)) for at, n in places if n in clock)
        if order is None:
            return Bound(sql, processed, slots)
        return Bound(sql, tuple(processed[name] for name in order), slots)


@dataclass(frozen=True)
class Bound:
    """A kept statement's SQL text and driver parameters for one set of rows' values, with the
    place of each clock bind in them (`clock`: place, how the clock is read, its processor):
    the same values again re-read only the clock (`now`), instead of binding everything."""

    sql: str
    parameters: tuple[Any, ...] | dict[str, Any]
    clock: tuple[tuple[Any, Callable[[], Any], Callable[[Any], Any] | None], ...] = ()

    def now(self) -> tuple[Any, ...] | dict[str, Any]:
        """The parameters with the clock read now."""
        if not self.clock:
            return self.parameters
        values: Any = (
            list(self.parameters) if isinstance(self.parameters, tuple) else {**self.parameters}
        )
        for place, read, process in self.clock:
            value = read()
            values[place] = value if process is None else process(value)
        return tuple(values) if isinstance(self.parameters, tuple) else values


def sql_and_values(expression: Any) -> tuple[Any, ...] | None:
    """What makes `expression`'s SQL and parameters (an element of SQLAlchemy's): its cache
    key's shape and each bind's value or callable, in order; equal for two expressions when
    they compile to the same SQL with the same parameters. None: not cacheable."""
    key = expression._generate_cache_key()
    if key is None:
        return None
    return (key.key, [(bind.value, bind.callable) for bind in key.bindparams])


def shape_of(rows: Select[Any], kind: str | None) -> tuple[Any, CacheKey | None]:
    """The key of `rows`' shape (its SQL without the values; None: not cacheable) and its
    SQLAlchemy cache key (the values: `Template.bind`)."""
    key = rows._generate_cache_key()
    return (None if key is None else (key.key, kind)), key


def variables_only_in_own_arguments(details: list[Any], fragments: dict[str, Any]) -> bool:
    """True when every variable under a root field (its `FieldDetails`, one per node of the
    response key) is in one of the field's own non-paging arguments, or sits in an
    `@skip`/`@include` directive."""

    def clean(node: Node, seen: set[str]) -> bool:
        if isinstance(node, VariableNode):
            return False
        if isinstance(node, DirectiveNode) and node.name.value in ("skip", "include"):
            return True
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in seen:
                return True
            fragment = fragments.get(name)  # FragmentDetails: the definition, its variables
            if fragment is None:
                return True
            return not fragment.variable_signatures and clean(fragment.definition, seen | {name})
        for key in node.keys:
            value = getattr(node, key, None)
            children = value if isinstance(value, tuple | list) else (value,)
            for child in children:
                if isinstance(child, Node) and key != "loc" and not clean(child, seen):
                    return False
        return True

    for detail in details:
        field: FieldNode = detail.node
        for argument in field.arguments or ():
            # the other arguments only make the rows (RootRead.statement, a node's ID)
            if argument.name.value in PAGING and not clean(argument.value, set()):
                return False
        for directive in field.directives or ():
            if not clean(directive, set()):
                return False
        if field.selection_set is not None and not clean(field.selection_set, set()):
            return False
    return True
