"""One pass over a parsed document: each operation's depth, aliases, directives and requested nodes.

Fragments are analysed once each, dependencies first (a fragment's totals do not depend on where
it is spread: its fields are read against its own type condition), and a spread adds the
fragment's totals (nodes multiplied by the page sizes above it). So the work is linear in the
document's size whatever the fragments' nesting, and a fragment cycle is found before anything
recurses into it. Fragments are told apart by their definitions, never by their names: one named
`__schema` is counted like any other.

Requested nodes, as GitHub counts them: a field with a `first` argument (a connection, or a list
that takes `first`) asks for `first` nodes for each of its parents, and multiplies what is below
it by `first`; the `edges` / `nodes` lists of a connection add nothing (the connection counted
them). A list field of objects without `first` counts as its declared size (field metadata
`core.limits.LIST_SIZE`) or `unpaginated_list_size`. Introspection lists count nothing: graphql-
core's `MaxIntrospectionDepthRule`, the depth and the alias limits bound them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef

from core.errors import api_error
from core.limits import LIST_SIZE, MAX_PAGE_SIZE, Limits
from core.schema.pagination import DEFAULT_PAGE_SIZE

STRAWBERRY = "strawberry-definition"
MAX_DUPLICATES = 20
"""Times one response name may be selected in one selection set (fields merge: more is waste)."""


@dataclass
class Totals:
    """What a selection set (an operation, a fragment) asks for, at a multiplier of one."""

    depth: int = 0
    """Fields on its longest path."""
    aliases: int = 0
    directives: int = 0
    nodes: int = 0
    variable_pages: bool = False
    """Some `first` below is a variable: the nodes must be counted again with the request's."""

    def add(self, other: Totals, multiplier: int = 1) -> None:
        self.aliases += other.aliases
        self.directives += other.directives
        self.nodes += multiplier * other.nodes
        self.variable_pages |= other.variable_pages


class Analyser:
    """The analysis for one schema and its limits; `analyse(document, variables)` per request."""

    def __init__(self, schema: GraphQLSchema, limits: Limits) -> None:
        self.schema = schema
        self.limits = limits
        self._sizes: dict[tuple[str, str], int | None] = {}

    def analyse(
        self, document: DocumentNode, variables: Mapping[str, Any] | None = None
    ) -> dict[str | None, Totals]:
        """Each operation's totals, by name (None for an anonymous one).

        `variables` None: the static pass (a `first` given by a variable counts as 1 and marks
        `variable_pages`). Raises a GraphQLError for a fragment cycle (GRAPHQL_VALIDATION_FAILED)
        or a `first` or `last` outside 1..100 (INVALID_ARGUMENT).
        """
        fragments: dict[str, FragmentDefinitionNode] = {}
        operations: list[OperationDefinitionNode] = []
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments.setdefault(definition.name.value, definition)
            elif isinstance(definition, OperationDefinitionNode):
                operations.append(definition)
        done: dict[str, Totals] = {}
        for name in _dependencies_first(fragments):
            fragment = fragments[name]
            parent = self.schema.get_type(fragment.type_condition.name.value)
            totals = self._selection_set(fragment.selection_set, parent, done, variables)
            totals.directives += len(fragment.directives or ())
            done[name] = totals
        found: dict[str | None, Totals] = {}
        for operation in operations:
            root = self.schema.get_root_type(operation.operation)
            totals = self._selection_set(operation.selection_set, root, done, variables)
            totals.directives += len(operation.directives or ())
            totals.directives += sum(
                len(v.directives or ()) for v in operation.variable_definitions or ()
            )
            found.setdefault(operation.name.value if operation.name else None, totals)
        return found

    def _selection_set(
        self,
        selection_set: SelectionSetNode,
        parent: Any,
        fragments: Mapping[str, Totals],
        variables: Mapping[str, Any] | None,
    ) -> Totals:
        _check_duplicates(selection_set)
        totals = Totals()
        for selection in selection_set.selections:
            totals.directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    totals.aliases += 1
                field = self._field(parent, selection.name.value)
                below = get_named_type(field.type) if field is not None else None
                sub = Totals()
                if selection.selection_set is not None:
                    sub = self._selection_set(selection.selection_set, below, fragments, variables)
                free = selection.name.value == "ofType" and getattr(parent, "name", "") == "__Type"
                totals.depth = max(totals.depth, sub.depth + (0 if free else 1))
                count, multiplier, variable = self._pages(parent, selection, field, variables)
                totals.nodes += count
                totals.variable_pages |= variable
                totals.add(sub, multiplier)
            elif isinstance(selection, FragmentSpreadNode):
                spread = fragments.get(selection.name.value)
                if spread is not None:  # an unknown fragment: validation reports it
                    totals.depth = max(totals.depth, spread.depth)
                    totals.add(spread)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inline = self.schema.get_type(condition.name.value) if condition else parent
                sub = self._selection_set(selection.selection_set, inline, fragments, variables)
                totals.depth = max(totals.depth, sub.depth)
                totals.add(sub)
        return totals

    def _field(self, parent: Any, name: str) -> GraphQLField | None:
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent is self.schema.query_type:
            if name == "__schema":
                return SchemaMetaFieldDef
            if name == "__type":
                return TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            field: GraphQLField | None = parent.fields.get(name)
            return field
        return None  # unknown: validation reports it

    def _pages(
        self,
        parent: Any,
        node: FieldNode,
        field: GraphQLField | None,
        variables: Mapping[str, Any] | None,
    ) -> tuple[int, int, bool]:
        """(nodes this field asks for per parent, multiplier below it, whether from a variable)."""
        if field is None:
            return 0, 1, False
        if "first" in field.args:
            size, variable = self._first(node, field, variables)
            name = "first"
            if "last" in field.args:  # a connection: `last` pages backwards, in place of `first`
                last, variable_last = self._first(node, field, variables, "last")
                variable |= variable_last
                if last is not None:  # with `first` too: refused when the field runs
                    size, name = last, "last"
                elif size is None:
                    size = DEFAULT_PAGE_SIZE
            if size is None:
                size = MAX_PAGE_SIZE  # `first: null` on a list that is not a connection
            if not 1 <= size <= MAX_PAGE_SIZE:
                raise api_error(
                    "INVALID_ARGUMENT",
                    f"`{name}` must be between 1 and {MAX_PAGE_SIZE}, got {size}",
                    field=node.name.value,
                )
            return size, size, variable
        parent_name = getattr(parent, "name", "")
        if not is_list_type(get_nullable_type(field.type)) or parent_name.startswith("__"):
            return 0, 1, False
        if "ids" in field.args:  # `nodes(ids: [...])`: one node per ID asked for
            ids, variable = self._ids(node, variables)
            return ids, ids, variable
        if not is_composite_type(get_named_type(field.type)):
            return 0, 1, False  # a list of scalars: no nodes below it
        if parent_name.endswith("Connection") and node.name.value in ("edges", "nodes"):
            return 0, 1, False  # counted by the connection field above
        size = self._size(parent_name, node.name.value, field)
        return size, size, False

    def _first(
        self,
        node: FieldNode,
        field: GraphQLField,
        variables: Mapping[str, Any] | None,
        name: str = "first",
    ) -> tuple[int | None, bool]:
        """The page size argument `name` asks for (None: not given, or null), and whether a
        variable gives it. A connection's `first` and `last` default to null."""
        default = field.args[name].default_value
        fallback = default if isinstance(default, int) else None
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value), False
            if isinstance(value, VariableNode):
                if variables is None:
                    return 1, True
                given = variables.get(value.name.value)
                if isinstance(given, int) and not isinstance(given, bool):
                    return given, True
                return fallback, True  # absent, null or ill-typed: coercion judges it
            return fallback, False  # not an Int: validation reports it
        return fallback, False

    def _ids(self, node: FieldNode, variables: Mapping[str, Any] | None) -> tuple[int, bool]:
        for argument in node.arguments or ():
            if argument.name.value != "ids":
                continue
            value = argument.value
            if isinstance(value, ListValueNode):
                return len(value.values), False
            if isinstance(value, VariableNode):
                if variables is None:
                    return 1, True
                given = variables.get(value.name.value)
                return (len(given) if isinstance(given, list) else 1), True
            return 1, False
        return 0, False

    def _size(self, parent_name: str, name: str, field: GraphQLField) -> int:
        key = (parent_name, name)
        if key not in self._sizes:
            definition = (field.extensions or {}).get(STRAWBERRY)
            metadata = getattr(definition, "metadata", None) or {}
            size = metadata.get(LIST_SIZE)
            self._sizes[key] = size if isinstance(size, int) else None
        declared = self._sizes[key]
        return declared if declared is not None else self.limits.unpaginated_list_size


def _check_duplicates(selection_set: SelectionSetNode) -> None:
    """Refuse one response name selected more than MAX_DUPLICATES times in a selection set
    (inline fragments included): graphql-core compares such fields pairwise, so a few
    thousand `__typename` in 2,000 tokens would cost seconds of validation."""
    seen: Counter[str] = Counter()
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                name = (selection.alias or selection.name).value
                seen[name] += 1
                if seen[name] > MAX_DUPLICATES:
                    raise api_error(
                        "QUERY_TOO_COSTLY",
                        f"The query selects '{name}' more than {MAX_DUPLICATES} times in one "
                        "selection set.",
                        limit=MAX_DUPLICATES,
                    )
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)


def _dependencies_first(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after every fragment it spreads; a cycle is refused. Iterative, so
    a long chain of fragments cannot exhaust the interpreter's recursion limit."""
    spreads = {name: _spreads(fragment.selection_set) for name, fragment in fragments.items()}
    order: list[str] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in fragments:
        if state.get(start):
            continue
        state[start] = 1
        stack = [(start, iter(spreads[start]))]
        while stack:
            name, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                state[name] = 2
                order.append(name)
            elif child in fragments:
                if state.get(child) == 1:
                    raise api_error(
                        "GRAPHQL_VALIDATION_FAILED",
                        f"Cannot spread fragment '{child}' within itself.",
                    )
                if not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(spreads[child])))
    return order


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    names: list[str] = []
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:  # type: ignore[attr-defined]
                pending.append(selection.selection_set)  # type: ignore[attr-defined]
    return names
