"""`build_schema()`: the one place the schema is put together, from the core and enabled plugins."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from core.hookspecs import BatchLoadFn
from core.plugins import PluginError, PluginSet, merge_unique
from core.schema import types
from core.schema.loaders import CORE_LOADERS
from core.schema.mutations import Mutation
from core.schema.queries import Query

EXTENSIBLE_TYPES = ("Country", "Organization", "Person", "Meeting", "Anchor", "Membership",
                    "Registration")
CACHE_SIZE = 1024


class PluginSchema(strawberry.Schema):
    """A Strawberry schema whose core types also carry the fields plugins add to them.

    Strawberry asks `get_fields()` for each type's fields while converting it, so plugin fields
    join a core type here without any plugin touching the core class.
    """

    def __init__(self, *args: Any, extra_fields: Mapping[str, list[StrawberryField]], **kw: Any):
        self._extra_fields = extra_fields
        super().__init__(*args, **kw)

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        extra = self._extra_fields.get(type_definition.name)
        return type_definition.fields + extra if extra else type_definition.fields


@dataclass(frozen=True)
class BuiltSchema:
    schema: PluginSchema
    group_types: dict[str, type]
    loaders: dict[str, BatchLoadFn]


def _graphql_name(field: StrawberryField) -> str:
    if field.python_name is None and field.base_resolver is not None:
        field.python_name = field.base_resolver.name
    if not field.python_name:
        raise TypeError("a plugin field must be a strawberry.field with a resolver function")
    return field.graphql_name or to_camel_case(field.python_name)


def _named_fields(
    contributions: Iterable[tuple[str, Sequence[StrawberryField]]],
    core_names: Iterable[str],
    where: str,
) -> tuple[list[StrawberryField], list[str]]:
    owners = {name: "core" for name in core_names}
    fields: list[StrawberryField] = []
    for key, plugin_fields in contributions:
        for field in plugin_fields:
            try:
                name = _graphql_name(field)
            except TypeError as exc:
                raise PluginError(f"plugin '{key}' adds a bad field to {where}: {exc}") from exc
            if name in owners:
                raise PluginError(
                    f"plugins '{owners[name]}' and '{key}' both define the field "
                    f"{where}.{name}"
                )
            owners[name] = key
            fields.append(field)
    return fields, list(owners)


def _core_field_names(cls: type) -> list[str]:
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    return [f.graphql_name or to_camel_case(f.python_name) for f in definition.fields]


def _plugin_type_names(plugins: PluginSet) -> None:
    """Two plugins declaring a GraphQL type of the same name: name both, before Strawberry does."""
    owners: dict[str, str] = {}
    core_names = {
        getattr(obj, "__strawberry_definition__").name
        for module in ("core.schema.types", "core.schema.queries", "core.schema.mutations",
                       "core.schema.pagination", "core.errors", "core.enums")
        for obj in vars(sys.modules[module]).values()
        if hasattr(obj, "__strawberry_definition__")
    }
    for key in plugins.enabled:
        package = getattr(plugins.installed[key].obj, "__name__", None)
        if not package:
            continue
        for module_name, module in list(sys.modules.items()):
            if module is None or not (module_name == package or module_name.startswith(f"{package}.")):
                continue
            for obj in vars(module).values():
                definition = getattr(obj, "__strawberry_definition__", None)
                if definition is None or getattr(obj, "__module__", "") != module_name:
                    continue
                name = definition.name
                if name in core_names:
                    raise PluginError(f"plugin '{key}' defines type '{name}', a core type name")
                if owners.setdefault(name, key) != key:
                    raise PluginError(
                        f"plugins '{owners[name]}' and '{key}' both define the type '{name}'"
                    )


def build_schema(plugins: PluginSet) -> BuiltSchema:
    """Collect every enabled plugin's contributions and assemble the schema once."""
    group_types: dict[str, type] = {}
    for key, cls in plugins.call("ogp_wg_group_type"):
        if not (isinstance(cls, type) and issubclass(cls, types.WorkingGroup)):
            raise PluginError(
                f"plugin '{key}' (hook ogp_wg_group_type) must return a strawberry type "
                "subclassing core.types.WorkingGroup"
            )
        group_types[key] = cls
    for key in plugins.enabled:
        if key not in group_types:
            raise PluginError(f"plugin '{key}' must implement ogp_wg_group_type()")

    _plugin_type_names(plugins)

    extra: dict[str, list[StrawberryField]] = {}
    by_type: dict[str, list[tuple[str, Sequence[StrawberryField]]]] = {}
    for key, mapping in plugins.call("ogp_wg_type_fields"):
        for type_name, fields in mapping.items():
            if type_name not in EXTENSIBLE_TYPES:
                raise PluginError(
                    f"plugin '{key}' (hook ogp_wg_type_fields) adds fields to '{type_name}'; "
                    f"extensible core types: {', '.join(EXTENSIBLE_TYPES)}"
                )
            by_type.setdefault(type_name, []).append((key, fields))
    for type_name, contributions in by_type.items():
        core_cls = getattr(types, type_name)
        extra[type_name], _ = _named_fields(contributions, _core_field_names(core_cls), type_name)

    extra["Query"], _ = _named_fields(
        plugins.call("ogp_wg_query_fields"), _core_field_names(Query), "Query"
    )
    extra["Mutation"], _ = _named_fields(
        plugins.call("ogp_wg_mutation_fields"), _core_field_names(Mutation), "Mutation"
    )

    loaders = {name: fn for name, (_, fn) in merge_unique(
        [("core", CORE_LOADERS), *plugins.call("ogp_wg_loaders")], "the loader"
    ).items()}

    extra_types: list[type] = list(group_types.values())
    for _, plugin_types in plugins.call("ogp_wg_types"):
        extra_types.extend(plugin_types)

    try:
        schema = PluginSchema(
            query=Query,
            mutation=Mutation,
            types=extra_types,
            extra_fields=extra,
            extensions=[
                ParserCache(maxsize=CACHE_SIZE),
                ValidationCache(maxsize=CACHE_SIZE),
            ],
        )
    except (TypeError, ValueError, GraphQLError) as exc:
        raise PluginError(f"the schema could not be built: {type(exc).__name__}: {exc}") from exc
    return BuiltSchema(schema=schema, group_types=group_types, loaders=loaders)
