"""Row rules on the read paths: a hidden row is absent from lists and from `node(id:)`.

Lists apply the rule in their own statement: every declared load and every root `query_page`
(core.rows) reading a table that a RowRule's scope names adds `conditions_on(ctx, ...)`, so
`totalCount` counts what the viewer sees and a new list of the type cannot forget the rule
(`row_filter` remains for a `where=` of a load of another table, e.g. one joined through the
governed one); `hiding` wraps a type's `node(id:)` loader so that an object the viewer may not
see comes back as None, exactly as a missing row does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Join, Subquery, select

from core.access.declare import RowRule

if TYPE_CHECKING:
    from core.context import Context
    from core.hookspecs import BatchLoadFn


def row_filter(rule: RowRule) -> Callable[[Context], ColumnElement[bool]]:
    """`where=` for a declared load (core.rows) of the rule's type."""
    return lambda ctx: rule.condition(ctx.viewer)


def conditions_on(ctx: Context, *froms: Any) -> list[ColumnElement[bool]]:
    """The conditions of the RowRules on every table of `froms` (SQLAlchemy FROM clauses: a
    Table, or a Join of tables, as `Select.get_final_froms()` gives) for the request's viewer:
    none for staff, a public rule, or an app without an access policy.

    Raises TypeError for a governed table read inside a subquery of `froms` (rows summed up
    by a GROUP BY, `core.rows_by_key` over a subquery): its rules cannot be applied outside
    it, and a summary of rows the viewer may not see would leak them. Only FROM subqueries are
    looked into: a CTE, a LATERAL, an alias of the table or a scalar subquery is not checked
    (nor given the rules), so a declaration must not read a governed table that way."""
    policy = getattr(ctx.app.schema, "access_policy", None)
    if policy is None:
        return []
    governed = [rule for rule in policy.rows.values() if not rule.rule.is_public]
    inside = set(_tables(froms, inside=True))
    for rule in governed:
        if _table(rule.scope.pk) in inside:
            raise TypeError(
                f"{_table(rule.scope.pk).name} has row rules: a declaration may not read it "
                "through a subquery (apply them in a load function of your own)"
            )
    if ctx.viewer.is_staff:
        return []
    tables = set(_tables(froms))
    return [rule.condition(ctx.viewer) for rule in governed if _table(rule.scope.pk) in tables]


def _tables(froms: Sequence[Any], inside: bool = False) -> Iterator[Any]:
    """The tables `froms` read directly; with `inside`, those they read inside subqueries."""
    for clause in froms:
        if isinstance(clause, Join):
            yield from _tables((clause.left, clause.right), inside)
        elif isinstance(clause, Subquery):
            if inside:
                inner = _froms_of(clause.element)
                yield from _tables(inner)
                yield from _tables(inner, inside=True)
        elif not inside:
            yield clause


def _froms_of(statement: Any) -> list[Any]:
    """The FROM clauses of a SELECT, of every SELECT of a UNION (or of a parenthesised one);
    none known for a textual SELECT."""
    if hasattr(statement, "selects"):
        return [clause for part in statement.selects for clause in _froms_of(part)]
    if hasattr(statement, "get_final_froms"):
        return list(statement.get_final_froms())
    inner = getattr(statement, "element", None)
    return [] if inner is None else _froms_of(inner)


def _table(column: Any) -> Any:
    return getattr(column, "expression", column).table  # a mapped attribute's, or a Column's


def hiding(load: BatchLoadFn, rule: RowRule) -> BatchLoadFn:
    """`load`, answering None for the objects `rule` hides from the request's viewer (one
    statement per batch; none for staff or a public rule)."""

    async def load_visible(ctx: Context, keys: list[Any]) -> Sequence[Any]:
        objects = await load(ctx, keys)
        if rule.rule.is_public or ctx.viewer.is_staff:
            return objects
        present = [key for key, obj in zip(keys, objects, strict=True) if obj is not None]
        if not present:
            return objects
        stmt = select(rule.scope.pk).where(
            ctx.db.any_of(rule.scope.pk, present), rule.condition(ctx.viewer)
        )
        async with ctx.db.read() as conn:
            visible = set((await conn.execute(stmt)).scalars())
        return [obj if key in visible else None for key, obj in zip(keys, objects, strict=True)]

    # what it wraps, for the compiled read path: a declared load applies the row rules itself
    load_visible.__wrapped__ = load  # type: ignore[attr-defined]
    return load_visible
