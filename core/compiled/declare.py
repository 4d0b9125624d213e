"""Declarations the compiler reads: what a root field reads, and counts per key.

A root field declares its read with field metadata `{COMPILED_ROOT: RootRead(...)}`; its
resolver should use the same `statement` function, so that filters mean exactly the same on
both read paths::

    GROUPS = RootRead(statement=group_statement, order_by=(WorkingGroup.name, WorkingGroup.id),
                      make=build_group, discriminator=group_variants)

    @strawberry.field(metadata={COMPILED_ROOT: GROUPS})
    async def working_groups(self, info, filter=None, first=None, ...) -> Connection[...]:
        stmt = GROUPS.statement(info.context, {"filter": filter})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select

from core.access.rows import conditions_on

if TYPE_CHECKING:
    from core.context import Context

COMPILED_ROOT = "ogp_wg_compiled_root"
"""Field metadata key of a root field's `RootRead`."""
COMPUTED = "ogp_wg_computed"
"""Field metadata key of a resolver field's SQL expression (`computed`)."""
APP_CONSTANT = "ogp_wg_app_constant"
"""Field metadata key of a resolver field's value for the whole app (`app_constant`)."""
TRANSLATED = "ogp_wg_translated"
"""Field metadata key of a translatable text's SQL when a language is chosen (core.translations:
`translated(ctx, arguments, row, string)`, `row` as `computed`'s, `string` the dialect's JSON of
a text column; it returns the field's JSON marked with the language served:
core.compiled.sqljson.served_in)."""
SQL_OBJECTS = "ogp_wg_sql_objects"
"""Field metadata key of a resolver field returning a fixed list of objects, as SQL
(core.translations: `texts`): `objects(ctx, arguments, row, string)` -> [(object, mark)], each
object of the field's item type with SQL expressions (or constants) as its fields' values, and
a mark (SQL text, or None) printed after its JSON (core.compiled.sqljson.served_in)."""


@dataclass(frozen=True, eq=False)
class RootRead:
    """What a root field reads.

    - `statement(ctx, arguments) -> Select`: every row the field may answer (all columns of one
      table, filters and visibility applied), from the field's Python arguments other than the
      paging ones; raises (e.g. `api_error`) for a bad argument: the compiler then falls back.
    - `order_by`: a connection's order (columns of that table, ascending or `.desc()`, the last
      unique), as the resolver passes to `paginate`, or a list's (a field returning a list, its
      first `first` rows: `paging={"first"}`); empty for a field answering one object.
    - `make(ctx, row) -> object`: the object a row becomes on the resolver path (the compiler
      calls it with a probe row to learn which column each field reads).
    - `variants(ctx) -> (column name, {column value: probe value})`: for an abstract type, the
      column that decides the concrete type and, per value, the row value to probe with.
    - `one`: the field answers one object or null (the first row), not a connection.
    """

    statement: Callable[[Context, Mapping[str, Any]], Select[Any]]
    make: Callable[[Context, Any], Any]
    order_by: tuple[Any, ...] = ()
    variants: Callable[[Context], tuple[str, Sequence[Any]]] | None = None
    one: bool = False
    paging: frozenset[str] = field(default=frozenset({"first", "after", "last", "before"}))


@dataclass(frozen=True)
class NodeRead:
    """`node(id:)`'s declaration: the ID names a type and a key; the type's node loader
    (`ogp_wg_node_loaders`), when it is a declared `rows_by_key`, says the rest. A type whose
    loader is a Python function falls back."""


NODE_READ = NodeRead()


@dataclass(eq=False)
class CountsByKey:
    """`load(ctx, keys) -> [count per key]`: the rows of `key`'s table per key, row rules and
    `where` applied; a declared load the compiler turns into a correlated COUNT."""

    key: Any
    where: Callable[[Context], Any] | None = None

    @property
    def table(self) -> Any:
        return getattr(self.key, "expression", self.key).table

    def statement(self, ctx: Context) -> Select[Any]:
        """The rows counted, before the key restriction."""
        stmt = select(*self.table.c)
        if self.where is not None:
            stmt = stmt.where(self.where(ctx))
        for rule in conditions_on(ctx, self.table):
            stmt = stmt.where(rule)
        return stmt

    async def __call__(self, ctx: Context, keys: list[Any]) -> list[int]:
        rows = self.statement(ctx).where(ctx.db.any_of(self.key, keys)).subquery()
        key = rows.c[getattr(self.key, "expression", self.key).name]
        stmt = select(key, func.count()).group_by(key)
        async with ctx.db.read() as conn:
            counts = {k: int(n) for k, n in await conn.execute(stmt)}
        return [counts.get(k, 0) for k in keys]


def counts_by_key(key: Any, *, where: Callable[[Context], Any] | None = None) -> CountsByKey:
    """A load function for a count relation (`@relation(counts_by_key(Membership.group_id),
    default=0)`): how many rows of `key`'s table have each parent's key, ONE statement for all
    parents; the table's row rules apply, so a count counts what the viewer may see."""
    return CountsByKey(key=key, where=where)


def computed(sql: Callable[[Any], Any]) -> dict[str, Any]:
    """Field metadata saying what a resolver field computes, as SQL, so the compiled read path
    answers it without Python: `sql(row)` gets an object whose attributes are the columns the
    type's other fields read (by attribute name: `row.capacity`), or else the row's columns
    by name (one no field reads), and returns a SQLAlchemy expression of them, with the value
    the Python resolver returns for the same row::

        @strawberry.field(metadata=computed(
            lambda m: case((m.capacity.is_(None), None), else_=m.capacity - m.registered_count)
        ))
        def remaining_places(self) -> int | None:
            return None if self.capacity is None else self.capacity - self.registered_count

    The expression's SQL type must print as the GraphQL type does (an Integer for an Int, a
    Boolean for a Boolean, ...); otherwise the field falls back. Both are kept side by side,
    so tests/test_compiled.py compares them on every row it reads."""
    return {COMPUTED: sql}


def app_constant(value: Callable[[Context], Any]) -> dict[str, Any]:
    """Field metadata saying that a resolver field answers the same for every object and every
    viewer while the app runs (read from the plugin's settings, which are fixed at start-up):
    `value(ctx)` is it, and the resolver should return `value(info.context)` too. The compiled
    read path calls `value` when it plans a query (plans are kept per app) and prints the
    result as a JSON constant of the field's type, as graphql-core completes it::

        def _priorities(ctx: Context) -> list[TargetGroup]:
            return list(ctx.plugin_settings(KEY).priority_groups)

        @strawberry.field(metadata=app_constant(_priorities))
        def priority_groups(self, info: strawberry.Info) -> list[TargetGroup]:
            return _priorities(info.context)

    A value that depends on the object, the viewer or the time must not be declared so (it
    would be answered from the first plan); a value that does not serialise as the field's
    type falls back to the resolver path."""
    return {APP_CONSTANT: value}
