"""`build_schema()`: the one place the schema is put together, from the core and enabled plugins."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types import ExecutionContext
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType
from strawberry.utils.str_converters import to_camel_case

from core.access.policy import Policy, fields_of, install
from core.commitments.evidence import evidence_types
from core.domains import LOADERS as CORE_LOADERS
from core.domains import NODE_LOADERS as CORE_NODE_LOADERS
from core.domains import Mutation, Query, Subscription
from core.execution import FastExecutionContext
from core.hookspecs import BatchLoadFn
from core.limits import Limits
from core.limits.extension import Guard, QueryLimits
from core.observability.logs import log_graphql_errors
from core.plugins import PluginError, PluginSet, merge_unique
from core.schema import types
from core.schema.nodes import node_loaders
from core.storable import SCALAR_OVERRIDES
from core.user_error_codes import UserErrorCodeError, code_enum, collect, typed_code_field

EXTENSIBLE_TYPES = (
    "Country",
    "Organization",
    "Person",
    "Meeting",
    "Anchor",
    "Membership",
    "Registration",
)
CACHE_SIZE = 1024
NAMES = NameConverter()


class PluginSchema(strawberry.Schema):
    """A Strawberry schema whose core types also carry the fields plugins add to them.

    Strawberry asks `get_fields()` for each type's fields while converting it, so plugin fields
    join a core type here without any plugin touching the core class.
    """

    def __init__(
        self,
        *args: Any,
        extra_fields: Mapping[str, list[StrawberryField]],
        user_error_code: type | None = None,
        **kw: Any,
    ):
        self._extra_fields = extra_fields
        self._user_error_code = user_error_code
        super().__init__(*args, **kw)

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        fields = type_definition.fields
        if type_definition.name == "UserError" and self._user_error_code is not None:
            # `code` is this schema's UserErrorCode enum: core.user_error_codes
            fields = typed_code_field(fields, self._user_error_code)
        extra = self._extra_fields.get(type_definition.name)
        return fields + extra if extra else fields

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Each error logged once, at its level: a client's mistake at INFO without a
        traceback, an internal error at ERROR with it (Strawberry's own logs every error at
        ERROR with a traceback). Both executors report their errors here."""
        log_graphql_errors(errors, execution_context)


@dataclass(frozen=True)
class BuiltSchema:
    schema: PluginSchema
    group_types: dict[str, type]
    loaders: dict[str, BatchLoadFn]
    policy: Policy | None = None
    """The access rules in force (core.access.policy)."""


def _graphql_name(field: StrawberryField) -> str:
    # Strawberry annotates python_name as `str`, but it is None until a class owns the field.
    python_name = cast("str | None", field.python_name)
    if python_name is None and field.base_resolver is not None:
        field.python_name = python_name = field.base_resolver.name
    if not python_name:
        raise TypeError("a plugin field must be a strawberry.field with a resolver function")
    return field.graphql_name or to_camel_case(python_name)


def _named_fields(
    contributions: Iterable[tuple[str, Sequence[StrawberryField]]],
    core_names: Iterable[str],
    where: str,
) -> list[StrawberryField]:
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
                    f"plugins '{owners[name]}' and '{key}' both define the field {where}.{name}"
                )
            owners[name] = key
            fields.append(field)
    return fields


def _core_field_names(cls: type) -> list[str]:
    definition = get_object_definition(cls, strict=True)
    return [f.graphql_name or to_camel_case(f.python_name) for f in definition.fields]


def _named_types(roots: Iterable[Any]) -> dict[str, Any]:
    """Every named GraphQL type reachable from `roots` (types and fields), by name."""
    found: dict[str, Any] = {}
    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, StrawberryField):
            stack.append(item.type)
            stack.extend(arg.type for arg in item.arguments)
            continue
        while hasattr(item, "of_type") or isinstance(item, LazyType):
            # list / optional wrappers; a domain's reference to another's type (strawberry.lazy)
            item = item.resolve_type() if isinstance(item, LazyType) else item.of_type
        definition = getattr(item, "__strawberry_definition__", None)
        if definition is None or not hasattr(definition, "name"):
            continue
        if isinstance(definition, StrawberryObjectDefinition):
            name = NAMES.from_object(definition)  # e.g. MeetingConnection for Connection[Meeting]
        else:
            name = definition.name
        if name in found:
            continue
        found[name] = getattr(definition, "origin", item)  # specialised generics share an origin
        stack.extend(getattr(definition, "fields", ()) or ())
        stack.extend(getattr(definition, "interfaces", ()) or ())
    return found


def _check_type_names(core_roots: list[Any], contributions: dict[str, list[Any]]) -> None:
    """Two different types of the same name: stop, naming both owners (core or plugin)."""
    owners: dict[str, tuple[str, Any]] = {
        name: ("core", cls) for name, cls in _named_types(core_roots).items()
    }
    for key, roots in contributions.items():
        for name, cls in _named_types(roots).items():
            owner = owners.setdefault(name, (key, cls))
            if owner[1] is not cls:
                who = "the core" if owner[0] == "core" else f"plugin '{owner[0]}'"
                raise PluginError(f"{who} and plugin '{key}' both define the type '{name}'")


def build_schema(
    plugins: PluginSet,
    *,
    fast_execution: bool = True,
    limits: Limits | None = None,
    max_batch_operations: int | None = None,
) -> BuiltSchema:
    """Collect every enabled plugin's contributions and assemble the schema once.

    `fast_execution=False` keeps graphql-core's standard executor (the reference the fast one
    is tested against). `limits`: the static limits (core.limits; default: the defaults).
    `max_batch_operations`: accept batches of at most that many operations (None: no batches).
    """
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

    contributed: dict[str, list[Any]] = {key: [cls] for key, cls in group_types.items()}

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
            contributed[key].extend(fields)
    for type_name, contributions in by_type.items():
        core_cls = getattr(types, type_name)
        extra[type_name] = _named_fields(contributions, _core_field_names(core_cls), type_name)

    plugin_mutations: list[tuple[str, StrawberryField]] = []
    for root, hook in ((Query, "ogp_wg_query_fields"), (Mutation, "ogp_wg_mutation_fields")):
        results = plugins.call(hook)
        for key, fields in results:
            contributed[key].extend(fields)
            if root is Mutation:
                plugin_mutations.extend((key, f) for f in fields)
        extra[root.__name__] = _named_fields(results, _core_field_names(root), root.__name__)

    loaders = {
        name: fn
        for name, (_, fn) in merge_unique(
            [("core", CORE_LOADERS), *plugins.call("ogp_wg_loaders")], "the loader"
        ).items()
    }

    extra_types: list[type] = [types.Assessment, *group_types.values()]
    for key, plugin_types in plugins.call("ogp_wg_types"):
        extra_types.extend(plugin_types)
        contributed[key].extend(plugin_types)
    _check_type_names([Query, Mutation, types.Assessment], contributed)
    # node(id:) fetches every Node type of the schema, or start-up stops: core.schema.nodes
    reached = {key: _named_types(roots) for key, roots in contributed.items()}
    reached = {"core": _named_types([Query, Mutation, Subscription, types.Assessment]), **reached}
    # access rules checked and their guards put on the fields: core.access.policy
    core_mutations = [("core", f) for f in fields_of(Mutation)]
    type_fields = {"Query": fields_of(Query, extra["Query"])}
    for named in reached.values():
        for name, cls in named.items():
            if get_object_definition(cls) is not None and name not in type_fields:
                type_fields[name] = fields_of(cls, extra.get(name, ()))
    policy = install(plugins, core_mutations + plugin_mutations, type_fields)
    loaders.update(node_loaders(plugins, CORE_NODE_LOADERS, reached, rows=policy.rows))
    # which plugin types may evidence a commitment (hook ogp_wg_evidence_types), checked here
    evidence = evidence_types(plugins, loaders)

    try:  # the core's and the enabled plugins' user error codes: core.user_error_codes
        user_error_code = code_enum(collect(plugins))
    except UserErrorCodeError as exc:
        raise PluginError(str(exc)) from exc
    guard = Guard(limits or Limits(), cache_size=CACHE_SIZE)
    try:
        schema = PluginSchema(
            query=Query,
            mutation=Mutation,
            subscription=Subscription,
            types=extra_types,
            extra_fields=extra,
            user_error_code=user_error_code,
            execution_context_class=FastExecutionContext if fast_execution else None,
            scalar_overrides=SCALAR_OVERRIDES,  # a DateTime converts to UTC: core.storable
            extensions=[
                # reads, parses, validates (cached) and limits documents
                lambda: QueryLimits(guard),
            ],
            config=StrawberryConfig(
                batching_config=None
                if max_batch_operations is None
                else {"max_operations": max_batch_operations}
            ),
        )
    except (TypeError, ValueError, GraphQLError) as exc:
        raise PluginError(f"the schema could not be built: {type(exc).__name__}: {exc}") from exc
    schema.access_policy = policy  # type: ignore[attr-defined]  # read through ctx.app.schema
    schema.evidence_types = evidence  # type: ignore[attr-defined]  # core.commitments.evidence
    return BuiltSchema(schema=schema, group_types=group_types, loaders=loaders, policy=policy)
