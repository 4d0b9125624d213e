"""A root field's selection -> ONE SQLAlchemy statement returning the field's JSON text.

What compiles (anything else raises `NotCompilable(reason)`, and the root field falls back):
- a root field declaring a `RootRead` (core.compiled.declare): a connection (core.compiled.
  connections: `nodes`, `edges { cursor node }`, `totalCount`, `pageInfo`, `first`/`after`,
  `last`/`before`), one object, or a list (its first `first` rows in the declared order); an
  abstract result type when the declaration names its `variants`;
  `node(id:)` (`NodeRead`) for a type whose node loader is a declared `rows_by_key`;
- in objects: `__typename`; `id` of a Node; fields read from a column (String/ID from text,
  Int from an integer, Boolean, enums from `enum_column`s, Date, DateTime from `UTCDateTime`);
  a non-null field from a nullable column (or a non-null to-one relation whose row may be
  missing, or a nested object its builder may not build) answers NULL by failing the statement
  on purpose (core.compiled.sqljson.unrepresentable): the resolver path then answers the root
  field and reports the error; `DIRECT_READ` fields when they read a column, or else their
  `TRANSLATED` SQL (a text in the language chosen, marked with the language served:
  core.compiled.sqljson.served_in);
  Float from a Float/Double/Numeric(asdecimal=False) column as orjson prints it (core.compiled.
  floats); a String, ID or Float from an integer column (core.compiled.leaves); `computed`
  fields (their SQL expression, reading columns and the builder's constants); `app_constant`
  fields (their value for the app, printed as a constant); relations
  declared with `rows_by_key` (its `filters`, and `order_by`: a key's first row),
  `counts_by_key`, `rows_grouped_by` (its `filters` and `first`) or `pages_by_key` (its
  filters and paging arguments), with their `where` and row rules, in their declared order:
  columns or SQL expressions over the row's columns (a CASE ranking an enum: `_adapt`), a
  cursor over an expression as its value's leaf JSON (core.compiled.connections);
- objects nested in a row (a field the builder fills with an object made from the same row,
  or a list of such objects, null where the builder gives None for NULL columns: core.compiled.
  nested).

Which column a field reads is learnt by building the object the resolver path builds from a
probe row (`make(row)`, `from_row`) whose values are markers: a field holding a column's marker
reads that column; a field the builder computes (or a builder that does anything with a value
but store it) is not compilable; an object nested in a row whose builder decides on anything
but NULL is not either (core.compiled.nested).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
    is_abstract_type,
)
from graphql.execution.collect_fields import collect_subfields
from sqlalchemy import (
    Select,
    case,
    func,
    or_,
    select,
)
from sqlalchemy.sql import ColumnElement

from core.compiled.declare import (
    APP_CONSTANT,
    COMPILED_ROOT,
    COMPUTED,
    SQL_OBJECTS,
    NodeRead,
)
from core.compiled.guarded import field_guard, guarded
from core.compiled.leaves import ComputedColumns, Leaves
from core.compiled.nested import NestedObjects, Reprobe, is_object, objects
from core.compiled.probe import (
    MISSING,
    Col,
    NotCompilable,
    ProbeRow,
    probe,
    probed,
    table_columns,
)
from core.compiled.relations import Relations
from core.compiled.sqljson import Dialect, const, raw
from core.compiled.template import sql_and_values
from core.loading import DIRECT_READ, RELATION, STRAWBERRY, relation_arguments
from core.rows import RowsByKey
from core.schema.ids import from_global_id


class Compiler(Relations, Leaves, NestedObjects):
    """Compiles root fields of one request (its context, variables and fragments)."""

    def __init__(self, ctx: Any, execution: Any) -> None:
        self.ctx = ctx
        self.execution = execution
        self.schema = execution.schema
        self.fragments = execution.fragments
        self.variables = execution.variable_values
        self.operation = execution.operation
        self.d = Dialect(ctx.db.is_sqlite)
        self.rows: Select[Any] | None = None
        """The last root field's rows (`root_rows`); `rows_kind`: the type a node ID names."""
        self.rows_kind: str | None = None
        self._present: set[tuple[int, str]] = set()
        """Nullable columns known NOT NULL where an object nested in a row is built (it is
        null otherwise: core.compiled.nested)."""
        self._touched: dict[int, bool] = {}
        self._built: dict[int, tuple[Any, Reprobe]] = {}
        """Per probed object (by id, kept alive here): how to build it again with some columns
        fixed (core.compiled.nested asks)."""

    def _probe(self, make: Any, columns: Any, fixed: dict[str, Any] | None = None) -> Any:
        """`probe`, remembering how the object was built and whether its builder decided on a
        value (then its constants may be the row's: `_leaf_or_constant`)."""
        row = ProbeRow(columns, fixed)
        obj = probed(make, row)
        self._touched[id(obj)] = row.touched

        def again(more: dict[str, Any]) -> Any:  # a fixed column (a variant's) stays fixed
            return probe(make, columns, {**more, **(fixed or {})}, strict=True)

        self._built[id(obj)] = (obj, again)
        return obj

    # --- roots ------------------------------------------------------------------------------

    def root_rows(self, field_def: GraphQLField, details: Any) -> Select[Any]:
        """The rows a root field reads, as `root` builds them for these variables (the part of
        its statement that its own arguments decide: core.compiled.template)."""
        self.root(field_def, details, rows_only=True)
        assert self.rows is not None
        return self.rows

    def root(self, field_def: GraphQLField, details: Any, rows_only: bool = False) -> Select[Any]:
        definition = (field_def.extensions or {}).get(STRAWBERRY)
        declared: Any = definition.metadata.get(COMPILED_ROOT) if definition else None
        if definition is None or declared is None:
            raise NotCompilable("no RootRead declaration (a Python resolver)")
        if definition.extensions or definition.permission_classes:
            raise NotCompilable("a guarded field")
        try:
            arguments = relation_arguments(
                self.ctx, definition, field_def, details[0].node, self.variables
            )
        except Exception as exc:
            raise NotCompilable(
                "an argument error: the resolver path reports it", by_values=True
            ) from exc
        if isinstance(declared, NodeRead):
            return self._node(field_def, details, arguments["id"], rows_only)
        paging = {name: arguments.pop(name, None) for name in declared.paging}
        try:
            stmt: Select[Any] = declared.statement(self.ctx, arguments)
        except Exception as exc:
            raise NotCompilable(
                "an argument refused: the resolver path reports it", by_values=True
            ) from exc
        self.rows = stmt
        if rows_only:
            return stmt
        if declared.one:
            if isinstance(field_def.type, GraphQLNonNull):
                raise NotCompilable("a non-null single object")
            sub = stmt.subquery()
            make = partial(declared.make, self.ctx)
            value = self._rows_object(
                get_named_type(field_def.type), details, sub, make, declared.variants
            )
            text = select(value).select_from(sub).limit(1).scalar_subquery()
            return select(func.coalesce(text, raw("null")))
        listed = field_def.type
        if isinstance(listed, GraphQLNonNull):
            listed = listed.of_type
        if isinstance(listed, GraphQLList):
            return select(self._root_list(listed, details, stmt, declared, paging))
        request = self._request(details[0].node.name.value, paging)
        conn_type = get_named_type(field_def.type)
        return select(
            self._connection(
                conn_type, details, stmt, declared.order_by, declared, request, root=True
            )
        )

    def _root_list(
        self,
        list_type: GraphQLList[Any],
        details: Any,
        stmt: Select[Any],
        declared: Any,
        paging: Any,
    ) -> ColumnElement[str]:
        """A root list (not a connection): the first `first` rows of `stmt` in the declaration's
        order, as its resolver cuts them (`first` checked by core.limits before execution)."""
        first = paging.get("first")
        if not declared.order_by or set(paging) != {"first"} or not isinstance(first, int):
            raise NotCompilable("a list root without an order and a `first`")
        where = details[0].node.name.value
        return self._list(where, list_type.of_type, details, stmt, declared, first)

    def _node(
        self, field_def: GraphQLField, details: Any, global_id: str, rows_only: bool = False
    ) -> Select[Any]:
        """`node(id:)`: null for an ID that names nothing (as the resolver answers it), else
        the row the type's declared node loader reads, null when absent or hidden."""
        from core.schema.nodes import loader_name  # the kernel's schema imports this package

        decoded = from_global_id(global_id)
        loader = None if decoded is None else self.ctx.app.loaders.get(loader_name(decoded[0]))
        self.rows_kind = None if decoded is None else decoded[0]
        if decoded is None or loader is None:
            self.rows = select(raw("null"))
            return self.rows
        declared = getattr(loader, "__wrapped__", loader)  # the row rules: the load's own
        if not isinstance(declared, RowsByKey) or isinstance(field_def.type, GraphQLNonNull):
            raise NotCompilable(f"node: {decoded[0]} is loaded by Python", by_values=True)
        self.rows = self._statement("node", lambda: declared.statement(self.ctx, {}))
        self.rows = self.rows.where(declared.key == decoded[1])
        if rows_only:
            return self.rows
        rows = self.rows.subquery()
        make = partial(declared.make, self.ctx)
        if declared.variants is not None:  # rows of several types (a working group's theme's)
            value = self._rows_object(
                get_named_type(field_def.type), details, rows, make, declared.variants
            )
        else:
            obj = self._probe(make, table_columns(rows))
            concrete = self._concrete(get_named_type(field_def.type), obj)
            value = self._object(concrete, details, rows, obj)
        text = select(value).select_from(rows).limit(1).scalar_subquery()
        return select(func.coalesce(text, raw("null")))

    def _rows_object(
        self,
        gtype: Any,
        details: Any,
        sub: Any,
        make: Callable[[Any], Any],
        variants: Callable[[Any], tuple[str, Sequence[Any]]] | None,
    ) -> ColumnElement[str]:
        """The object JSON of a row of `sub` (a subquery of a declaration's statement) that
        `make(row)` builds: of `gtype`; for an interface, of the concrete type each value of
        the `variants` column makes (one CASE branch per value)."""
        columns = table_columns(sub)
        if not is_abstract_type(gtype):
            obj = self._probe(make, columns)
            return self._object(gtype, details, sub, obj)
        if variants is None:
            raise NotCompilable(f"{gtype.name} is abstract and no variants are declared")
        column, values = variants(self.ctx)
        whens = []
        for value in values:
            obj = self._probe(make, columns, {column: value})
            concrete = self._concrete(gtype, obj)
            whens.append(
                (sub.c[column] == raw(str(value)), self._object(concrete, details, sub, obj))
            )
        if not whens:
            return raw("null")
        first = sql_and_values(whens[0][1])
        if first is not None and all(sql_and_values(value) == first for _, value in whens):
            # The same SQL for every variant (the selection reads nothing of the concrete type):
            # one branch, not one per type, which PostgreSQL would initialise on every run.
            whens = [(or_(*(condition for condition, _ in whens)), whens[0][1])]
        return case(*whens, else_=raw("null"))

    def _concrete(self, gtype: Any, obj: Any) -> GraphQLObjectType:
        definition = getattr(obj, "__strawberry_definition__", None)
        concrete = self.schema.type_map.get(definition.name) if definition else None
        if not isinstance(concrete, GraphQLObjectType) or not (
            concrete is gtype or self.schema.is_sub_type(gtype, concrete)
        ):
            raise NotCompilable(f"the objects built are not of type {gtype.name}")
        return concrete

    # --- objects and fields -----------------------------------------------------------------

    def _collect(self, gtype: GraphQLObjectType, details: Any) -> dict[str, Any]:
        grouped: dict[str, Any] = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, gtype, details
        ).grouped_field_set
        return grouped

    def _object(self, gtype: Any, details: Any, sub: Any, obj: Any) -> ColumnElement[str]:
        if not isinstance(gtype, GraphQLObjectType):
            raise NotCompilable(f"{gtype} is not an object type")
        concrete = self._concrete(gtype, obj)
        members: list[tuple[str, ColumnElement[str]]] = []
        for key, sub_details in self._collect(concrete, details).items():
            name = sub_details[0].node.name.value
            if name == "__typename":
                members.append((key, const(concrete.name)))
            elif name.startswith("__"):
                raise NotCompilable(f"{name} (introspection)")
            else:
                field_def = concrete.fields[name]
                value = self._field(concrete, field_def, sub_details, sub, obj)
                members.append((key, value))
        return self.d.obj(members)

    def _field(
        self, gtype: GraphQLObjectType, field_def: GraphQLField, details: Any, sub: Any, obj: Any
    ) -> ColumnElement[str]:
        where = f"{gtype.name}.{details[0].node.name.value}"
        definition = (field_def.extensions or {}).get(STRAWBERRY)
        if definition is None:
            raise NotCompilable(f"{where}: not a Strawberry field")
        guard = field_guard(where, definition, field_def.type)
        value = self._value(where, definition, field_def, details, sub, obj)
        return value if guard is None else guarded(where, guard, self.ctx.viewer, value, obj, sub)

    def _value(
        self,
        where: str,
        definition: Any,
        field_def: GraphQLField,
        details: Any,
        sub: Any,
        obj: Any,
    ) -> ColumnElement[str]:
        """A field's JSON, whoever may read it (`_field` applies its FieldRule)."""
        spec = definition.metadata.get(RELATION)
        if spec is not None:
            return self._relation(where, spec, definition, field_def, details, sub, obj)
        direct = definition.metadata.get(DIRECT_READ)
        resolver = definition.base_resolver
        sql = definition.metadata.get(COMPUTED)
        if sql is not None and not details[0].node.arguments:
            expression = sql(ComputedColumns(where, obj, sub, bool(self._touched.get(id(obj)))))
            return self._typed_leaf(where, field_def.type, expression, expression.type, True)
        constant = definition.metadata.get(APP_CONSTANT)
        if constant is not None and not details[0].node.arguments:
            return self._leaf(where, field_def.type, constant(self.ctx), sub)
        if direct is not None:
            attribute = direct(self.ctx, details[0].node)
            if attribute is None:
                return self._translated(where, definition, field_def, details, sub, obj)
            value = getattr(obj, attribute, MISSING)
        elif SQL_OBJECTS in definition.metadata:
            return self._sql_objects(where, definition, field_def, details, sub, obj)
        elif resolver is not None:
            qualname = getattr(resolver.wrapped_func, "__qualname__", "")
            if qualname == "Node.id" and isinstance(getattr(obj, "pk", None), Col):
                return self.d.global_id(type(obj).node_type, sub.c[obj.pk.name])
            raise NotCompilable(f"{where}: a Python resolver")
        elif details[0].node.arguments:
            raise NotCompilable(f"{where}: arguments")
        else:
            value = getattr(obj, definition.python_name, MISSING)
        if id(obj) in self._built and (is_object(value) or objects(value)):
            attribute = definition.python_name if direct is None else attribute
            return self._nested(where, field_def.type, details, sub, obj, attribute, value)
        if self._touched.get(id(obj)) and not isinstance(value, Col):
            default = getattr(definition, "default", MISSING)
            factory = getattr(definition, "default_factory", None)
            if default is dataclasses.MISSING and callable(factory):
                default = factory()  # a constant list (a survey's rounds)
            if value is MISSING or type(value) is not type(default) or value != default:
                raise NotCompilable(f"{where}: a value its builder may have computed from the row")
        return self._leaf(where, field_def.type, value, sub)

    def _statement(self, where: str, make: Callable[[], Select[Any]]) -> Select[Any]:
        """A declaration's statement, `make()`: an argument it refuses falls back for these
        values (the resolver path reports it); a declaration the core refuses (a TypeError: a
        summary of a governed table, an undeclared filter) falls back for good."""
        try:
            return make()
        except TypeError as exc:
            raise NotCompilable(f"{where}: {exc}") from exc
        except Exception as exc:
            raise NotCompilable(f"{where}: an argument refused", by_values=True) from exc
