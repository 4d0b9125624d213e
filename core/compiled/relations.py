"""Relations compiled (core.compiled.compiler's `Compiler` mixes this in): a field declared with
`rows_by_key` (one row: its filters and order, the first row of a key), `counts_by_key`,
`rows_grouped_by` (a list: its filters and `first`) or `pages_by_key` (a connection: its filters
and paging arguments, core.compiled.connections), correlated to the parent's row by its key
column; the rows' objects compiled as any object, ordered by their declared order (`_adapt`).
NotCompilable for a relation loaded by a Python function, or anything its declaration does not
say."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)
from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.sql import ColumnElement

from core.access.rows import conditions_on
from core.columns import in_rows
from core.compiled.connections import PAGING, Connections
from core.compiled.declare import SQL_OBJECTS, TRANSLATED, CountsByKey
from core.compiled.leaves import ComputedColumns
from core.compiled.probe import (
    Col,
    NotCompilable,
    adapt_to,
    column_name,
    is_desc,
    table_columns,
)
from core.compiled.sqljson import cat, json_list, raw
from core.loading import relation_arguments
from core.rows import PagesByKey, RowsByKey, RowsGroupedBy


class Relations(Connections):
    """The relation part of `Compiler` (which gives `ctx`, `variables` and the methods declared
    below): relations (a relation's page is a connection's), and the other fields whose
    arguments choose their SQL (translated texts, `SQL_OBJECTS`)."""

    ctx: Any
    variables: Any
    _touched: dict[int, bool]

    if TYPE_CHECKING:

        def _statement(self, where: str, make: Callable[[], Select[Any]]) -> Select[Any]: ...
        def _probe(self, make: Any, columns: Any, fixed: dict[str, Any] | None = None) -> Any: ...
        def _leaf(self, where: str, gql_type: Any, value: Any, sub: Any) -> ColumnElement[str]: ...
        def _object(self, gtype: Any, details: Any, sub: Any, obj: Any) -> ColumnElement[str]: ...
        def _rows_object(
            self, gtype: Any, details: Any, sub: Any, make: Any, variants: Any
        ) -> ColumnElement[str]: ...

    def _arguments(
        self, where: str, definition: Any, field_def: GraphQLField, details: Any
    ) -> dict[str, Any]:
        """A nested field's arguments as its resolver receives them; an invalid value falls
        back for these values (the resolver path reports it)."""
        try:
            return relation_arguments(
                self.ctx, definition, field_def, details[0].node, self.variables
            )
        except Exception as exc:
            raise NotCompilable(f"{where}: an argument error", by_values=True) from exc

    def _translated(
        self,
        where: str,
        definition: Any,
        field_def: GraphQLField,
        details: Any,
        sub: Any,
        obj: Any,
    ) -> ColumnElement[str]:
        """A text read in the language chosen (`TRANSLATED`), marked with the language served."""
        translated = definition.metadata.get(TRANSLATED)
        if translated is None:
            raise NotCompilable(f"{where}: a language is chosen (translated text)")
        arguments = self._arguments(where, definition, field_def, details)
        row = ComputedColumns(where, obj, sub, bool(self._touched.get(id(obj))))
        text: ColumnElement[str] = translated(self.ctx, arguments, row, self.d.string)
        return text

    def _sql_objects(
        self,
        where: str,
        definition: Any,
        field_def: GraphQLField,
        details: Any,
        sub: Any,
        obj: Any,
    ) -> ColumnElement[str]:
        """The JSON list of the objects a `SQL_OBJECTS` field declares, each followed by its
        mark."""
        list_type = get_nullable_type(field_def.type)
        if not isinstance(list_type, GraphQLList):
            raise NotCompilable(f"{where}: SQL objects of a field that is no list")
        item_type = get_named_type(list_type)
        arguments = self._arguments(where, definition, field_def, details)
        row = ComputedColumns(where, obj, sub, bool(self._touched.get(id(obj))))
        items = []
        for item, mark in definition.metadata[SQL_OBJECTS](self.ctx, arguments, row, self.d.string):
            json = self._object(item_type, details, sub, item)
            items.append(json if mark is None else cat(json, mark))
        return json_list(items)

    def _relation(
        self,
        where: str,
        spec: Any,
        definition: Any,
        field_def: GraphQLField,
        details: Any,
        sub: Any,
        obj: Any,
    ) -> ColumnElement[str]:
        arguments = self._arguments(where, definition, field_def, details)
        load = spec.load
        if not isinstance(load, CountsByKey | RowsByKey | RowsGroupedBy | PagesByKey):
            raise NotCompilable(f"{where}: loaded by a Python function, not a declaration")
        if arguments and isinstance(load, CountsByKey):
            raise NotCompilable(f"{where}: arguments of a relation that takes none")
        try:
            parent_key = spec.key(obj)
        except AttributeError as exc:
            raise NotCompilable(f"{where}: its key is not a column") from exc
        if not isinstance(parent_key, Col):
            raise NotCompilable(f"{where}: its key is not a column")
        parent = sub.c[parent_key.name]
        if isinstance(load, CountsByKey) and spec.default == 0:
            rows = self._statement(where, lambda: load.statement(self.ctx)).subquery()
            key_name = column_name(load.key)
            counted = select(func.count()).select_from(rows).where(rows.c[key_name] == parent)
            return cast(counted.scalar_subquery(), Text)
        if isinstance(load, RowsByKey) and spec.default is None:
            rows = self._statement(where, lambda: load.statement(self.ctx, arguments)).subquery()
            value = self._rows(where, field_def.type, details, rows, load)
            match = rows.c[column_name(load.key)] == parent
            one = select(value).select_from(rows).where(match)
            one = one.order_by(*self._adapt(load.order_by, rows)).limit(1)
            missing = raw("null")
            if isinstance(field_def.type, GraphQLNonNull) and not (
                not (load.order_by or load.filters) and self._always_found(load, parent_key.column)
            ):  # non-null, and a row may be missing or hidden: then the resolver path answers
                missing = self.d.unrepresentable(parent)
            return func.coalesce(one.scalar_subquery(), missing)
        if isinstance(load, RowsGroupedBy | PagesByKey):
            paging = {name: arguments.pop(name, None) for name in PAGING}
            children = self._statement(where, lambda: load.statement(self.ctx, arguments))
            # correlated to the parent's row explicitly: it ends up in a derived table, which
            # SQLAlchemy does not correlate on its own
            match = load.key == parent
            if load.through is not None:  # a row once, however many links lead to it
                link_parent, link_child = load.through
                try:
                    rules = load.link_rules(self.ctx)
                except TypeError as exc:  # a governed table inside the link: refused for good
                    raise NotCompilable(f"{where}: {exc}") from exc
                linked = select(link_child).where(link_parent == parent, *rules)
                match = in_rows(load.key, linked.correlate(sub))
            children = children.where(match).correlate(sub)
        if isinstance(load, PagesByKey) and spec.default is None:
            request = self._request(where, paging)
            conn_type = get_named_type(field_def.type)
            return self._connection(conn_type, details, children, load.order_by, load, request)
        if isinstance(load, RowsGroupedBy) and spec.default == []:
            list_type = (
                field_def.type.of_type
                if isinstance(field_def.type, GraphQLNonNull)
                else field_def.type
            )
            paged = any(paging[name] is not None for name in ("after", "last", "before"))
            if not isinstance(list_type, GraphQLList) or paged:
                raise NotCompilable(f"{where}: not a list, or paged")
            return self._list(where, list_type.of_type, details, children, load, paging["first"])
        raise NotCompilable(f"{where}: loaded by a Python function, not a declaration")

    def _list(
        self, where: str, item_type: Any, details: Any, stmt: Any, load: Any, first: int | None
    ) -> ColumnElement[str]:
        """The JSON list of what `load` (a declared load, or a root's `RootRead`: its `make`,
        `order_by` and `variants`) makes of the rows of `stmt`, in its declared order: the
        first `first` of them (all for None)."""
        stmt = stmt.order_by(None)
        if first is not None:
            if not load.order_by:
                raise NotCompilable(f"{where}: `first` of a list in no declared order")
            # the resolver path keeps the rows ranked <= first: none for first < 0
            stmt = stmt.order_by(*load.order_by).limit(max(first, 0))
        rows = stmt.subquery()
        value = self._rows(where, item_type, details, rows, load)
        return self.d.array(value, select().select_from(rows), self._adapt(load.order_by, rows))

    def _always_found(self, load: RowsByKey[Any], parent_column: Any) -> bool:
        """A to-one row that always exists: a NOT NULL foreign key, nothing hiding it."""
        target = getattr(load.key, "expression", load.key)
        if (
            getattr(parent_column, "nullable", True)
            or load.where is not None
            or conditions_on(self.ctx, load.table)
        ):
            return False
        return any(
            fk.column.table is load.table and fk.column.name == target.name
            for fk in parent_column.foreign_keys
        )

    def _rows(
        self, where: str, gql_type: Any, details: Any, rows: Any, load: Any
    ) -> ColumnElement[str]:
        """The JSON of what `load` (a declared load) makes of a row of `rows`: an object of
        `gql_type`'s named type (or of each of its variants' types, for an interface), or a
        leaf (a list of enums or strings, a first reason: `build=lambda row: row.reason`) read
        from the one column `build` returns unchanged."""
        make = partial(load.make, self.ctx)
        if not is_leaf_type(get_named_type(gql_type)):
            return self._rows_object(get_named_type(gql_type), details, rows, make, load.variants)
        value = self._probe(make, table_columns(rows))
        if not isinstance(value, Col) or self._touched.get(id(value)):
            raise NotCompilable(f"{where}: a value its builder computes from the row")
        return self._leaf(where, gql_type, value, rows)

    def _adapt(self, order_by: tuple[Any, ...], sub: Any) -> list[Any]:
        """A declaration's ORDER BY terms over the rows of `sub` (a subquery of its statement):
        columns, or SQL expressions over the row's columns (a CASE ranking an enum, ...), each
        column taken from `sub`; NotCompilable for a term reading anything else."""
        adapted = []
        for order in order_by:
            desc = is_desc(order)
            term = order.element if desc else order
            if getattr(order, "modifier", None) is not None and not desc:
                raise NotCompilable("an order the compiler does not reproduce")
            mapped = adapt_to(term, sub)
            adapted.append(mapped.desc() if desc else mapped)
        return adapted
