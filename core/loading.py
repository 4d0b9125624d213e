"""Loading related rows a whole level at a time, chosen by what the query selects (look-ahead).

A relation field is declared with `@relation(load_fn)`; `load_fn(ctx, keys, **arguments)` returns
one value per parent key, reading ALL parents' children in one statement. A root resolver calls
`await prefetch(info, objects)` once: it walks the query's selection below those objects and, level
by level, runs each selected relation's loader once for every parent at that level (sibling
relations concurrently, each on its own connection). The results are stored on the parents, so
the relation fields then resolve synchronously, and the fast executor (core.execution) completes
them without calling a resolver at all.

A relation reached outside a prefetched tree (e.g. below a field with its own resolver) still
works: it falls back to a per-request DataLoader on the same `load_fn`, batching by level.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar, cast

import strawberry
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_subfields
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.dataloader import DataLoader
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

RELATION = "ogp_wg_relation"
PREFETCHED = "_prefetched"
STRAWBERRY = "strawberry-definition"
DIRECT_READ = "ogp_wg_direct_read"
"""Field metadata: `(context, field node) -> attribute name or None`. A resolver field whose answer,
for some selections, is a plain attribute of its source (e.g. a translatable text when the request
chooses no language) names that attribute, so the fast executor (core/execution.py) reads it
without calling the resolver; None: call the resolver."""

LoadFn = Callable[..., Awaitable[Sequence[Any]]]
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Relation:
    """How a field's values are loaded for many parents at once."""

    load: LoadFn
    key: Callable[[Any], Any]
    default: Any


def relation(
    load: LoadFn, *, key: str = "pk", default: Any = None, **field_options: Any
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a relation field. The decorated function only declares the GraphQL signature
    (arguments and return type); its body is never called::

        @relation(load_meetings_by_group)
        def meetings(self, first: int = 20) -> Connection[Meeting]: ...

        @relation(load_scores_by_country, default=[])   # a field a plugin adds to Country
        def open_budget_index(root: types.Country) -> list[OpenBudgetIndex]: ...

    `key` names the parent attribute passed to the loader; a parent whose key is None gets
    `default` without a query. Use `default=[]` for list relations.
    """

    def decorate(fn: Callable[..., Any]) -> Any:
        spec = Relation(load=load, key=attrgetter(key), default=default)

        source_name = next(iter(inspect.signature(fn).parameters), "self")

        @functools.wraps(fn)
        def resolve(*args: Any, info: strawberry.Info, **arguments: Any) -> Any:
            # Methods get their object as `self` (positional); fields a plugin adds to a core
            # type name it `root` (keyword), as Strawberry passes it.
            self = args[0] if args else arguments.pop(source_name)
            stored = getattr(self, PREFETCHED, None)
            if stored is not None:
                value = stored.get(storage_key(spec, arguments), _ABSENT)
                if value is not _ABSENT:
                    return value
            parent_key = spec.key(self)
            if parent_key is None:
                return spec.default
            return info.context.relation_loader(spec, arguments).load(parent_key)

        _ensure_info_parameter(resolve, fn)
        metadata = {**field_options.pop("metadata", {}), RELATION: spec}
        return strawberry.field(resolver=resolve, metadata=metadata, **field_options)

    return decorate


def _ensure_info_parameter(resolve: Any, fn: Callable[..., Any]) -> None:
    """The declared function may omit `info`; the resolver always needs it."""
    signature = inspect.signature(fn)
    if "info" in signature.parameters:
        return
    params = list(signature.parameters.values())
    info = inspect.Parameter("info", inspect.Parameter.KEYWORD_ONLY, annotation=strawberry.Info)
    params = [p for p in params if p.kind != inspect.Parameter.VAR_KEYWORD]
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keyword = [p for p in params if p.kind == p.KEYWORD_ONLY]
    resolve.__signature__ = signature.replace(parameters=[*positional, info, *keyword])
    resolve.__annotations__ = {**fn.__annotations__, "info": strawberry.Info}
    del resolve.__wrapped__


_ABSENT: Any = object()


def storage_key(spec: Relation, arguments: dict[str, Any]) -> tuple[Relation, str]:
    """Where a parent keeps a relation loaded ahead: by field AND arguments, never by response
    key, since one object can be reached through selections with different arguments."""
    return (spec, repr(sorted(arguments.items())))


def relation_arguments(
    ctx: Any, definition: StrawberryField, field_def: GraphQLField, node: Any, variables: Any
) -> dict[str, Any]:
    """A field's arguments as its resolver receives them (Python values).

    Raises graphql-core's argument errors (`GraphQLError`) for invalid values."""
    raw_args = get_argument_values(field_def, node, variables)
    schema = ctx.app.schema
    return convert_arguments(
        raw_args,
        definition.arguments,
        scalar_registry=schema.schema_converter.scalar_registry,
        config=schema.config,
    )


def relation_loader(ctx: Any, spec: Relation, arguments: dict[str, Any]) -> DataLoader[Any, Any]:
    """The per-request fallback DataLoader for one relation and one set of arguments."""
    cache: dict[tuple[int, str], DataLoader[Any, Any]] = ctx._relation_loaders
    key = (id(spec), repr(sorted(arguments.items())))
    loader = cache.get(key)
    if loader is None:

        async def load(keys: list[Any]) -> Sequence[Any]:
            return await spec.load(ctx, keys, **arguments)

        loader = cache[key] = DataLoader(load_fn=load)
    return loader


# --- look-ahead ----------------------------------------------------------------------------------


def _children(values: Iterable[Any]) -> list[Any]:
    """Flatten field values into the objects below them (lists flattened, None dropped)."""
    out: list[Any] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, list | tuple):
            out.extend(v for v in value if v is not None)
        else:
            out.append(value)
    return out


class _Walker:
    def __init__(self, info: Any) -> None:
        raw = info._raw_info
        self.ctx = info.context
        self.schema: GraphQLSchema = raw.schema
        self.fragments = {name: FragmentDetails(node, None) for name, node in raw.fragments.items()}
        self.operation = raw.operation
        self.variable_values = _variable_values(raw)

    async def walk(self, field_type: Any, details: list[Any], objects: list[Any]) -> None:
        if not objects or not is_composite_type(get_named_type(field_type)):
            return
        named = get_named_type(field_type)
        if is_abstract_type(named):
            by_type: dict[GraphQLObjectType, list[Any]] = defaultdict(list)
            for obj in objects:
                # the concrete type of a value of an abstract type is an object type
                concrete = self.schema.type_map[obj.__strawberry_definition__.name]
                by_type[cast(GraphQLObjectType, concrete)].append(obj)
        else:
            by_type = {named: objects}
        # One load per selected field and arguments, across all concrete types: a list of
        # WorkingGroup interface values costs one statement per relation, not one per theme.
        batches: dict[tuple[Any, ...], tuple[StrawberryField, GraphQLField, Any, list[Any]]] = {}
        for object_type, objs in by_type.items():
            grouped = collect_subfields(
                self.schema,
                self.fragments,
                self.variable_values,
                self.operation,
                object_type,
                details,
            ).grouped_field_set
            for field_details in grouped.values():
                name = field_details[0].node.name.value
                if name.startswith("__"):
                    continue
                field_def = object_type.fields[name]
                definition: StrawberryField | None = (field_def.extensions or {}).get(STRAWBERRY)
                if definition is None:
                    continue
                spec = definition.metadata.get(RELATION)
                if spec is None and definition.base_resolver is not None:
                    continue  # a resolver of its own: it loads what it needs
                nodes = tuple(id(d.node) for d in field_details)
                key = (spec or definition.python_name, nodes)
                if key in batches:
                    batches[key][3].extend(objs)
                else:
                    batches[key] = (definition, field_def, field_details, list(objs))
        work: list[Awaitable[None]] = []
        for definition, field_def, field_details, objs in batches.values():
            spec = definition.metadata.get(RELATION)
            if spec is not None:
                work.append(self.load(spec, definition, field_def, field_details, objs))
            else:
                values = [getattr(obj, definition.python_name) for obj in objs]
                work.append(self.walk(field_def.type, field_details, _children(values)))
        if len(work) == 1:
            await work[0]
        elif work:
            await asyncio.gather(*work)

    async def load(
        self,
        spec: Relation,
        definition: StrawberryField,
        field_def: GraphQLField,
        details: list[Any],
        parents: list[Any],
    ) -> None:
        try:
            arguments = relation_arguments(
                self.ctx, definition, field_def, details[0].node, self.variable_values
            )
            stored_as = storage_key(spec, arguments)
            missing = [p for p in parents if stored_as not in p.__dict__.get(PREFETCHED, ())]
            keys = list(dict.fromkeys(k for k in map(spec.key, missing) if k is not None))
            loaded = await spec.load(self.ctx, keys, **arguments) if keys else []
        except Exception:
            # Nothing is stored: the field resolves on the standard path, where the same
            # error is reported at the field's own path and location, as the spec requires.
            return
        values = dict(zip(keys, loaded, strict=True))
        children: list[Any] = []
        for parent in parents:
            stored = parent.__dict__.setdefault(PREFETCHED, {})
            if stored_as not in stored:
                parent_key = spec.key(parent)
                stored[stored_as] = spec.default if parent_key is None else values[parent_key]
            # Another selection with the same arguments may have stored first (siblings load
            # concurrently): walk what is stored, so every selection completes the same objects.
            children.append(stored[stored_as])
        await self.walk(field_def.type, details, _children(children))


def _variable_values(raw: Any) -> VariableValues:
    """graphql-core's VariableValues from the coerced dict Strawberry hands resolvers."""
    return VariableValues({}, dict(raw.variable_values or {}))


nothing_selected: ContextVar[bool] = ContextVar("ogp_wg_nothing_selected", default=False)
"""Set while a field runs whose selection is known to hold attributes and plain methods of
`self` alone, no relation (core.compiled.kept_mutations: a kept payload it completes itself):
`prefetch` would walk it and load nothing, so it returns at once."""


async def prefetch(info: Any, objects: Sequence[Any]) -> None:
    """Load every relation the query selects below `objects` (the current field's values)."""
    if nothing_selected.get():
        return
    raw = info._raw_info
    details = [FieldDetails(node, None, None) for node in raw.field_nodes]
    await _Walker(info).walk(raw.return_type, details, _children(objects))


async def prefetched(info: Any, value: T) -> T:
    """`value` (a field's result: object, list or connection) with its selected relations loaded."""
    await prefetch(info, [value])
    return value
