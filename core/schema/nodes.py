"""`node(id:)`: which batch loader fetches each type that implements `Node`, checked at start-up.

A global ID names a type (`Node.node_type`, e.g. "OpenBudgetSurvey") and a pk. The core's domains
declare loaders for their types (core.domains.NODE_LOADERS); plugins declare theirs with the
`ogp_wg_node_loaders` hook, keyed by the Strawberry class itself (no loader name to guess).
`node_loaders()` merges both and refuses a schema in which some type implements `Node` but no
loader can fetch it: every ID the API hands out can be passed back to `node(id:)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.access.declare import RowRule
from core.access.rows import hiding
from core.hookspecs import BatchLoadFn
from core.plugins import PluginError, PluginSet
from core.schema.base import Node

HOOK = "ogp_wg_node_loaders"


def loader_name(type_name: str) -> str:
    """The name under which the loader of `type_name`'s IDs sits in `AppState.loaders`.

    Internal: plugins declare node loaders by class (`ogp_wg_node_loaders`), never by this name.
    """
    return f"node:{type_name}"


def _who(owner: str) -> str:
    return "the core" if owner == "core" else f"plugin '{owner}'"


def _node_type(owner: str, cls: Any) -> str:
    """The ID type name of a declared class; a PluginError if it is not a fetchable Node type."""
    if not (isinstance(cls, type) and issubclass(cls, Node)):
        raise PluginError(
            f"{_who(owner)} (hook {HOOK}): {cls!r} is not a Strawberry type implementing "
            "core.types.Node; the keys are the classes whose objects node(id:) returns"
        )
    node_type = getattr(cls, "node_type", None)
    if not isinstance(node_type, str) or not node_type:
        raise PluginError(
            f"{_who(owner)} (hook {HOOK}): {cls.__name__} has no `node_type` class attribute "
            f'(e.g. node_type: ClassVar[str] = "{cls.__name__}"), the type name of its global IDs'
        )
    return node_type


def _is_object_type(cls: Any) -> bool:
    definition = getattr(cls, "__strawberry_definition__", None)
    return definition is not None and not getattr(definition, "is_interface", False)


def node_loaders(
    plugins: PluginSet,
    core_loaders: Mapping[type, BatchLoadFn],
    types_by_owner: Mapping[str, Mapping[str, Any]],
    rows: Mapping[str, RowRule] | None = None,
) -> dict[str, BatchLoadFn]:
    """Loaders for `node(id:)`, by `loader_name(node_type)`, from the core and enabled plugins.

    `core_loaders` is the core domains' {NodeType: load_fn} (core.domains.NODE_LOADERS);
    `types_by_owner` is {"core" or plugin key: {GraphQL type name: class}}: every named type each
    one's contributions reach; `rows` the row rules by type name (core.access): a row the
    viewer may not see is answered None, like a missing one. Stops start-up (PluginError naming
    the plugin, the hook and the type) when a declared key is not a Node type, when two owners
    declare the same ID type name, or when an object type implementing Node has no loader.
    """
    declared: dict[str, tuple[str, BatchLoadFn]] = {}
    for owner, mapping in [("core", core_loaders), *plugins.call(HOOK)]:
        if not isinstance(mapping, Mapping):
            raise PluginError(
                f"{_who(owner)} (hook {HOOK}) must return a mapping {{NodeType: load_fn}}, "
                f"not {type(mapping).__name__}"
            )
        for cls, load_fn in mapping.items():
            node_type = _node_type(owner, cls)
            if not callable(load_fn):
                raise PluginError(
                    f"{_who(owner)} (hook {HOOK}): the loader of {node_type} is not callable"
                )
            if node_type in declared:
                raise PluginError(
                    f"{_who(declared[node_type][0])} and {_who(owner)} both declare a node "
                    f"loader for '{node_type}' (hook {HOOK})"
                )
            declared[node_type] = (owner, load_fn)

    seen: set[str] = set()
    for owner, named in types_by_owner.items():
        for name, cls in named.items():
            if name in seen or not isinstance(cls, type) or not issubclass(cls, Node):
                continue
            seen.add(name)  # the first owner to reach a type is the one that defines it
            if not _is_object_type(cls):
                continue  # an interface (Node, WorkingGroup): its implementations are checked
            if getattr(cls, "node_type", None) not in declared:
                raise PluginError(
                    f"{_who(owner)}: type '{name}' implements Node, but node(id:) cannot fetch "
                    f"it; return {{{cls.__name__}: load_fn}} from {HOOK}() (hook {HOOK}), "
                    "load_fn(ctx, pks) giving one object or None per pk"
                )
    rows = rows or {}
    return {
        loader_name(node_type): hiding(fn, rows[node_type]) if node_type in rows else fn
        for node_type, (_, fn) in declared.items()
    }
