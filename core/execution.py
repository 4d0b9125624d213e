"""A faster executor for plain subtrees, answering exactly what graphql-core answers.

graphql-core spends several microseconds on every field: building a resolve-info object, calling
Strawberry's resolver wrapper, completing the value through a chain of type checks. Most fields
here are plain: a dataclass attribute, a method of `self` alone, or a relation already loaded by
`core.loading.prefetch`. For each selection set this executor compiles, once per request, a plan:
per field, how to read it and how to complete its value (leaves coerced, lists mapped, objects
recursed).

Errors follow graphql-core's rules, with graphql-core's own machinery: a field (or list item)
that fails is handed to `handle_field_error` at its own path, which records it and answers null,
or re-raises it when the position is non-null so that null propagates to the nearest nullable
parent. Every field without a plan (resolvers, introspection, relations that were not loaded
ahead) goes through graphql-core's `execute_field`, and every value the plan is not sure about
(an unexpected Python type, a value of an unknown runtime type) through its `complete_value`.
tests/test_execution.py and tests/test_differential.py compare the two executors byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from math import isfinite
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLString,
    is_abstract_type,
)
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from core.loading import (
    DIRECT_READ,
    PREFETCHED,
    RELATION,
    STRAWBERRY,
    relation_arguments,
    storage_key,
)

MISSING: Any = object()
SYNC_RESULTS = frozenset({str, int, float, bool, dict, list, type(None)})
"""Completed values that cannot be awaitable: no need to ask."""
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
Getter = Callable[[Any], Any]
"""source -> the field's raw value, or MISSING when the standard path must resolve it."""
Completer = Callable[[Any, Path], Any]
"""(raw value, its path) -> completed value (or an awaitable of it); raises on a field error."""


def _is_plain_method(resolver: Any) -> bool:
    """A sync method of `self` alone (no info, root or arguments): safe to call directly."""
    if resolver.is_async or resolver.arguments or resolver.info_parameter is not None:
        return False
    if resolver.root_parameter is not None or resolver.self_parameter is None:
        return False
    return len(resolver.signature.parameters) == 1


def plain_getter(field_def: GraphQLField) -> Getter | None:
    """How to read a field that is neither a relation nor has arguments, or None."""
    definition = (field_def.extensions or {}).get(STRAWBERRY)
    if definition is None or definition.extensions or definition.permission_classes:
        return None
    if RELATION in definition.metadata:
        return None  # keyed by arguments: built per selection by `FastExecutionContext._getter`
    resolver = definition.base_resolver
    if resolver is None:
        python_name = definition.python_name
        if not python_name:
            return None
        return lambda source: getattr(source, python_name, MISSING)
    if _is_plain_method(resolver):
        method: Getter = resolver.wrapped_func
        return method
    return None


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with a compiled direct path for plain fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[int, int], list[tuple[str, Any, Getter | None, Any, Any]]] = {}
        self._completers: dict[tuple[int, int], Completer] = {}
        self._alive: list[Any] = []

    def build_response(self, data: dict[str, Any] | None) -> Any:
        """graphql-core's; then, unless deferred work still uses them, the plans are dropped:
        their completers refer to this executor, so kept they would make every request's
        executor (and all it refers to) a reference cycle that only the cyclic garbage
        collector frees, at tens of milliseconds a collection under load (issue 12)."""
        result = super().build_response(data)
        if isinstance(result, ExecutionResult):
            self._plans.clear()
            self._completers.clear()
            self._alive.clear()
            # graphql-core's helpers are bound methods of this executor: a cycle of their own
            self.async_helpers = None  # type: ignore[assignment]
        return result

    # --- plans ------------------------------------------------------------------------------

    def _plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: Any
    ) -> list[tuple[str, Any, Getter | None, Any, Any]]:
        """Per response key: (key, field details, getter, completer, return type)."""
        key = (id(parent_type), id(grouped_field_set))
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        plan = []
        for response_name, details in grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                plan.append((response_name, details, None, parent_type.name, None))
                continue
            field_def = parent_type.fields.get(name)
            getter = self._getter(parent_type, field_def, details) if field_def else None
            if field_def is None or getter is None:
                plan.append((response_name, details, None, None, None))
                continue
            completer = self._completer(field_def.type, details, parent_type, field_def)
            plan.append((response_name, details, getter, completer, field_def.type))
        self._plans[key] = plan
        self._alive.append(grouped_field_set)  # its id must not be reused while cached
        return plan

    def _getter(
        self, parent_type: GraphQLObjectType, field_def: GraphQLField, details: Any
    ) -> Getter | None:
        cache = parent_type.__dict__.setdefault("_ogp_getters", {})  # the schema owns the type
        name = details[0].node.name.value
        getter = cache.get(name, MISSING)
        if getter is MISSING:
            getter = cache[name] = plain_getter(field_def)
        if getter is not None:
            plain: Getter = getter  # the cache holds what plain_getter returned
            return plain
        definition = (field_def.extensions or {}).get(STRAWBERRY)
        if definition is None or definition.extensions or definition.permission_classes:
            return None
        direct_read = definition.metadata.get(DIRECT_READ)
        if direct_read is not None:
            attribute = direct_read(self.context_value, details[0].node)
            if attribute is None:
                return None
            return lambda source: getattr(source, attribute, MISSING)
        if RELATION not in definition.metadata:
            return None
        try:
            arguments = relation_arguments(
                self.context_value, definition, field_def, details[0].node, self.variable_values
            )
        except Exception:
            return None  # the standard path reports the argument error at this field
        stored_as = storage_key(definition, arguments)

        def prefetched(source: Any) -> Any:
            stored = source.__dict__.get(PREFETCHED)
            return MISSING if stored is None else stored.get(stored_as, MISSING)

        return prefetched

    def _completer(
        self,
        return_type: Any,
        details: Any,
        parent_type: GraphQLObjectType,
        field_def: GraphQLField,
    ) -> Completer:
        key = (id(return_type), id(details))
        completer = self._completers.get(key)
        if completer is None:
            completer = self._completers[key] = self._build(
                return_type, details, parent_type, field_def
            )
        return completer

    def _standard(
        self, return_type: Any, details: Any, parent_type: GraphQLObjectType, field_def: Any
    ) -> Completer:
        """graphql-core's own completion, for values the plan is not sure about."""

        def complete(value: Any, path: Path) -> Any:
            info = self.build_resolve_info(field_def, to_nodes(details), parent_type, path)
            return self.complete_value(return_type, details, info, path, value, None)

        return complete

    def _build(
        self, return_type: Any, details: Any, parent_type: GraphQLObjectType, field_def: Any
    ) -> Completer:
        if isinstance(return_type, GraphQLNonNull):
            inner = self._build(return_type.of_type, details, parent_type, field_def)
            field_name = details[0].node.name.value
            message = f"Cannot return null for non-nullable field {parent_type.name}.{field_name}."

            def non_null(value: Any, path: Path) -> Any:
                if value is None or value is Undefined:
                    raise TypeError(message)
                completed = inner(value, path)
                if completed is None:
                    raise TypeError(message)
                return completed

            return non_null
        inner = self._build_nullable(return_type, details, parent_type, field_def)

        def nullable(value: Any, path: Path) -> Any:
            return None if value is None or value is Undefined else inner(value, path)

        return nullable

    def _build_nullable(
        self, return_type: Any, details: Any, parent_type: GraphQLObjectType, field_def: Any
    ) -> Completer:
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            return leaf_completer(return_type)
        standard = self._standard(return_type, details, parent_type, field_def)
        if isinstance(return_type, GraphQLList):
            return self._list(return_type, details, parent_type, field_def, standard)
        if is_abstract_type(return_type):
            schema = self.schema

            def complete_abstract(value: Any, path: Path) -> Any:
                definition = getattr(value, "__strawberry_definition__", None)
                object_type = schema.type_map.get(definition.name) if definition else None
                if not isinstance(object_type, GraphQLObjectType) or not schema.is_sub_type(
                    return_type, object_type
                ):
                    return standard(value, path)
                return self._object(object_type, details, standard)(value, path)

            return complete_abstract
        if isinstance(return_type, GraphQLObjectType):
            return self._object(return_type, details, standard)
        return standard

    def _object(
        self, object_type: GraphQLObjectType, details: Any, standard: Completer
    ) -> Completer:
        key = (id(object_type), id(details))
        completer = self._completers.get(key)
        if completer is not None:
            return completer
        grouped: list[Any] = []  # the sub-selection, collected on first use
        is_type_of = object_type.is_type_of

        def complete_object(value: Any, path: Path) -> Any:
            # Strawberry's is_type_of is an isinstance check that ignores `info`: no need to
            # build one per object (graphql-core's signature asks for it, hence the ignore)
            if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
                return standard(value, path)  # graphql-core raises the located error
            if not grouped:
                grouped.append(self.collect_subfields(object_type, details).grouped_field_set)
            return self.execute_fields(object_type, value, path, grouped[0], None)

        self._completers[key] = complete_object
        return complete_object

    def _list(
        self,
        return_type: GraphQLList[Any],
        details: Any,
        parent_type: GraphQLObjectType,
        field_def: Any,
        standard: Completer,
    ) -> Completer:
        item_type = return_type.of_type
        item = self._build(item_type, details, parent_type, field_def)
        is_awaitable = self.is_awaitable
        handle_field_error = self.handle_field_error
        guarded = self._guarded

        def complete_list(value: Any, path: Path) -> Any:
            if not isinstance(value, list | tuple):
                return standard(value, path)  # iterables, async iterables, errors
            items: list[Any] = []
            pending: list[int] = []
            try:
                for index, element in enumerate(value):
                    item_path = Path(path, index, None)
                    try:
                        completed = item(element, item_path)
                        if type(completed) not in SYNC_RESULTS and is_awaitable(completed):
                            completed = guarded(completed, item_type, details, item_path)
                            pending.append(index)
                    except Exception as raw_error:
                        handle_field_error(raw_error, item_type, details, item_path)
                        completed = None
                    items.append(completed)
            except Exception:
                if pending:
                    self.settle_in_background([items[i] for i in pending])
                raise
            return self._gathered(items, pending) if pending else items

        return complete_list

    # --- execution --------------------------------------------------------------------------

    async def _guarded(
        self, awaitable: Awaitable[Any], return_type: Any, details: Any, path: Path
    ) -> Any:
        """Await a completion, reporting its failure at `path` as graphql-core does."""
        try:
            return await awaitable
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    async def _gathered(self, values: list[Any], pending: list[Any]) -> list[Any]:
        if len(pending) == 1:
            values[pending[0]] = await values[pending[0]]
        else:
            done = await gather_with_cancel(*(values[i] for i in pending))
            for index, result in zip(pending, done, strict=True):
                values[index] = result
        return values

    async def _gathered_fields(self, results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
        if len(pending) == 1:
            results[pending[0]] = await results[pending[0]]
        else:
            done = await gather_with_cancel(*(results[key] for key in pending))
            results.update(zip(pending, done, strict=True))
        return results

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if position_context is not None or source_value is None or path is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plan = self._plans.get((id(parent_type), id(grouped_field_set)))
        if plan is None:
            plan = self._plan(parent_type, grouped_field_set)
        results: dict[str, Any] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        type_name = parent_type.name
        try:
            for response_name, details, getter, completer, return_type in plan:
                if getter is None and completer is not None:  # __typename
                    results[response_name] = completer
                    continue
                field_path = Path(path, response_name, type_name)
                try:
                    value = MISSING if getter is None else getter(source_value)
                    if value is not MISSING:
                        result = completer(value, field_path)
                        if type(result) not in SYNC_RESULTS and is_awaitable(result):
                            result = self._guarded(result, return_type, details, field_path)
                except Exception as raw_error:  # a plain method or a completion failed here
                    self.handle_field_error(raw_error, return_type, details, field_path)
                    value = result = None
                if value is MISSING:  # no plan, or nothing loaded ahead: the standard path
                    result = self.execute_field(
                        parent_type, source_value, details, field_path, None
                    )
                    if result is Undefined:
                        continue
                results[response_name] = result
                if type(result) not in SYNC_RESULTS and is_awaitable(result):
                    pending.append(response_name)
        except Exception:
            if pending:
                self.settle_in_background([results[key] for key in pending])
            raise
        return self._gathered_fields(results, pending) if pending else results


def leaf_completer(return_type: GraphQLScalarType | GraphQLEnumType) -> Completer:
    complete_leaf = FastExecutionContext.complete_leaf_value
    if isinstance(return_type, GraphQLEnumType):
        seen: dict[Any, Any] = {}

        def enum(value: Any, _path: Path) -> Any:
            try:
                return seen[value]
            except KeyError:
                coerced = seen[value] = complete_leaf(return_type, value)
                return coerced
            except TypeError:  # unhashable: not one of ours
                return complete_leaf(return_type, value)

        return enum
    if return_type is GraphQLString or return_type is GraphQLID:

        def string(value: Any, _path: Path) -> Any:
            return value if type(value) is str else complete_leaf(return_type, value)

        return string
    if return_type is GraphQLBoolean:

        def boolean(value: Any, _path: Path) -> Any:
            return value if type(value) is bool else complete_leaf(return_type, value)

        return boolean
    if return_type is GraphQLFloat:

        def float_(value: Any, _path: Path) -> Any:
            # NaN and infinity are not GraphQL Floats: graphql-core raises for them
            if type(value) is float and isfinite(value):
                return value
            return complete_leaf(return_type, value)

        return float_
    if return_type is GraphQLInt:

        def int_(value: Any, _path: Path) -> Any:
            if type(value) is int and INT_MIN <= value <= INT_MAX:
                return value
            return complete_leaf(return_type, value)

        return int_

    def scalar(value: Any, _path: Path) -> Any:
        return complete_leaf(return_type, value)

    return scalar
