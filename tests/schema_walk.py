"""The live schema, introspected over HTTP, as the generic tests walk it.

`introspect(client)` returns a `Schema` that finds every connection field (a field whose type has
`edges` and `pageInfo`), root or nested, the selection of a node's scalar fields, argument values
generated from enum and boolean arguments (and from the enum and boolean fields of input objects
such as `filter`), and the parents of a nested connection, reached from a root field.
"""

from __future__ import annotations

import dataclasses
import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from core.testing import GraphQLClient

TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
INTROSPECTION = f"""{{ __schema {{ queryType {{ name }} types {{
  kind name interfaces {{ name }} possibleTypes {{ name }} enumValues {{ name }}
  fields {{ name args {{ name defaultValue type {{ {TYPE_REF} }} }} type {{ {TYPE_REF} }} }}
  inputFields {{ name type {{ {TYPE_REF} }} }} }} }} }}"""
PAGING_ARGUMENTS = {"first", "after", "last", "before"}
COMPOSITE = {"OBJECT", "INTERFACE", "UNION"}


def named(ref: dict[str, Any]) -> str:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return str(ref["name"])


def is_list(ref: dict[str, Any]) -> bool:
    if ref["kind"] == "NON_NULL":
        ref = ref["ofType"]
    return bool(ref["kind"] == "LIST")


def required(arg: dict[str, Any]) -> bool:
    return bool(arg["type"]["kind"] == "NON_NULL" and arg["defaultValue"] is None)


EXAMPLE_VALUES = {"String": '"open"', "Date": '"2013-01-01"'}
"""A literal for a required argument of a scalar type that has no values to enumerate (enums and
booleans have): `search(query:)`, `pilotReport(from:, to:)`. A new required argument of another
scalar type stops the walk with a message naming it, rather than leaving its field unwalked."""


def step_key(step: str) -> str:
    """The response key of a path step: `pilotReport(from: ..., to: ...)` -> `pilotReport`."""
    return step.split("(", 1)[0]


def step_call(step: str, extra: str) -> str:
    """A path step called with `extra` arguments besides its own required ones."""
    key, _, own = step.partition("(")
    own = own.removesuffix(")")
    return f"{key}({', '.join(a for a in (own, extra) if a)})"


@dataclass(frozen=True)
class Connection:
    parent: str  # the type holding the field (the query type for root connections)
    field: str
    node_type: str
    is_root: bool
    args: tuple[dict[str, Any], ...] = dataclasses.field(compare=False)  # introspected, as JSON

    @property
    def label(self) -> str:
        return f"{self.parent}.{self.field}"


@dataclass(frozen=True)
class Parent:
    """How to reach one parent object: by global ID, or as the `index`-th object at `path`."""

    id: str | None
    path: tuple[tuple[str, bool], ...] = ()
    index: int = 0

    def __str__(self) -> str:
        return self.id or f"{'.'.join(name for name, _ in self.path)}[{self.index}]"


class Schema:
    def __init__(self, data: dict[str, Any]) -> None:
        self.types: dict[str, dict[str, Any]] = {t["name"]: t for t in data["types"]}
        self.query = data["queryType"]["name"]

    def fields(self, type_name: str) -> list[dict[str, Any]]:
        return list(self.types[type_name].get("fields") or [])

    def is_connection(self, type_name: str) -> bool:
        names = {f["name"] for f in self.fields(type_name)}
        return self.types[type_name]["kind"] == "OBJECT" and {"edges", "pageInfo"} <= names

    def node_of(self, connection_type: str) -> str:
        edges = next(f for f in self.fields(connection_type) if f["name"] == "edges")
        node = next(f for f in self.fields(named(edges["type"])) if f["name"] == "node")
        return named(node["type"])

    def concrete(self, type_name: str) -> set[str]:
        possible = self.types[type_name].get("possibleTypes")
        return {p["name"] for p in possible} if possible else {type_name}

    def implements_node(self, type_name: str) -> bool:
        return all(
            "Node" in {i["name"] for i in self.types[t].get("interfaces") or []}
            for t in self.concrete(type_name)
        )

    def connections(self) -> list[Connection]:
        """Every connection field; one declared by an interface is walked once, on the interface."""
        out = []
        for type_name, t in sorted(self.types.items()):
            if t["kind"] not in {"OBJECT", "INTERFACE"} or type_name.startswith("__"):
                continue
            inherited = {
                f["name"] for i in t.get("interfaces") or [] for f in self.fields(i["name"])
            }
            for field in self.fields(type_name):
                target = named(field["type"])
                if field["name"] in inherited or not self.is_connection(target):
                    continue
                args = {a["name"]: a for a in field["args"]}
                label = f"{type_name}.{field['name']}"
                assert set(args) >= PAGING_ARGUMENTS, f"{label} lacks first/after/last/before"
                for name in ("first", "last"):  # Relay refuses a non-null count with a default
                    arg = args[name]
                    assert arg["type"]["kind"] != "NON_NULL", f"{label}({name}:) is non-null"
                    assert arg["defaultValue"] in (None, "null"), f"{label}({name}:) has a default"
                root = type_name == self.query
                conn = Connection(
                    type_name, field["name"], self.node_of(target), root, tuple(field["args"])
                )
                out.append(conn)
        return out

    def scalar_selection(self, type_name: str) -> str:
        """`__typename` and every scalar or enum field without required arguments; for an abstract
        type, each concrete type's own fields too (aliased, so their types may differ)."""

        def scalars(name: str) -> list[str]:
            return [
                f["name"]
                for f in self.fields(name)
                if self.types[named(f["type"])]["kind"] in {"SCALAR", "ENUM"}
                and not any(required(a) for a in f["args"])
            ]

        parts = ["__typename", *scalars(type_name)]
        if self.types[type_name]["kind"] != "OBJECT":
            for concrete in sorted(self.concrete(type_name)):
                own = [f"{concrete}_{name}: {name}" for name in scalars(concrete)]
                parts.append(f"... on {concrete} {{ {' '.join(own) or '__typename'} }}")
        return " ".join(parts)

    def argument_variants(self, conn: Connection) -> list[str]:
        """Literal argument lists: one per value of each enum or boolean argument, and of each
        enum or boolean field of an input-object argument (`filter: {kind: [VIRTUAL]}`)."""
        out = []
        for arg in conn.args:
            if arg["name"] in PAGING_ARGUMENTS:
                continue
            kind = self.types[named(arg["type"])]["kind"]
            if kind == "INPUT_OBJECT":
                for field in self.types[named(arg["type"])]["inputFields"]:
                    out += [f"{arg['name']}: {{{field['name']}: {v}}}" for v in self._values(field)]
            else:
                out += [f"{arg['name']}: {v}" for v in self._values(arg)]
        return out

    def required_value(self, arg: dict[str, Any]) -> str | None:
        """A literal for a required argument: its first enum or boolean value, else the example
        of its scalar type (`EXAMPLE_VALUES`); None when there is neither."""
        values = self._values(arg)
        if values:
            return values[0]
        value = EXAMPLE_VALUES.get(named(arg["type"]))
        return None if value is None else (f"[{value}]" if is_list(arg["type"]) else value)

    def required_arguments(self, args: Sequence[dict[str, Any]], given: str = "") -> str:
        """`given` (literal arguments) with a value for each required argument of `args` it does
        not name, e.g. `query: "open"`; AssertionError naming an argument with no value."""
        named_in_given = {part.split(":", 1)[0].strip() for part in given.split(",") if part}
        out = []
        for arg in args:
            if required(arg) and arg["name"] not in named_in_given:
                value = self.required_value(arg)
                assert value is not None, f"({arg['name']}:) needs a generated value"
                out.append(f"{arg['name']}: {value}")
        return ", ".join([*out, given] if given else out)

    def _values(self, arg: dict[str, Any]) -> list[str]:
        t = self.types[named(arg["type"])]
        if t["kind"] == "ENUM":
            values = [v["name"] for v in t["enumValues"]]
        elif t["name"] == "Boolean":
            values = ["true", "false"]
        else:
            return []
        return [f"[{v}]" if is_list(arg["type"]) else v for v in values]

    def path_to(self, type_name: str) -> tuple[tuple[str, bool], ...]:
        """The shortest chain of root and nested fields (no required arguments) reaching objects
        of `type_name`: ((field, is_connection), ...)."""
        targets = self.concrete(type_name)
        seen = {self.query}
        queue: deque[tuple[str, tuple[tuple[str, bool], ...]]] = deque([(self.query, ())])
        while queue:
            current, path = queue.popleft()
            for field in self.fields(current):
                if any(required(a) and self.required_value(a) is None for a in field["args"]):
                    continue
                target = named(field["type"])
                if self.types[target]["kind"] not in COMPOSITE or target == "Node":
                    continue  # `Node`: a reference to any object (`ActivityEvent.subject`)
                conn = self.is_connection(target)
                reached = self.node_of(target) if conn else target
                if reached == "Node":
                    continue  # a connection of references to any object (`Commitment.evidence`)
                own = self.required_arguments(field["args"])
                step = (*path, (f"{field['name']}({own})" if own else field["name"], conn))
                if self.concrete(reached) & targets:
                    return step
                if reached not in seen:
                    seen.add(reached)
                    queue.append((reached, step))
        raise AssertionError(f"no root field reaches {type_name}: the walker cannot test it")

    def parents(self, conn: Connection) -> tuple[tuple[tuple[str, bool], ...], str]:
        """The path to `conn`'s parents and the selection collecting them."""
        path = self.path_to(conn.parent)
        ids = " ... on Node { id }" if self.implements_node(conn.parent) else ""
        return path, f"__typename{ids}"


def wrap(path: tuple[tuple[str, bool], ...], inner: str) -> str:
    """`inner` selected at the end of `path` (connections in the path: their first 100 items)."""
    for name, is_connection in reversed(path):
        inner = (
            f"{step_call(name, 'first: 100')} {{ nodes {{ {inner} }} }}"
            if is_connection
            else f"{name} {{ {inner} }}"
        )
    return inner


def leaves(data: Any, path: tuple[tuple[str, bool], ...]) -> list[dict[str, Any]]:
    """The objects at the end of `path` in a response, in order."""
    found: list[Any] = [data]
    for name, is_connection in path:
        nxt: list[Any] = []
        for obj in found:
            value = obj.get(step_key(name)) if obj is not None else None
            if is_connection and value is not None:
                value = value["nodes"]
            nxt += value if isinstance(value, list) else [value]
        found = [obj for obj in nxt if obj is not None]
    return found


async def parents_of(client: GraphQLClient, schema: Schema, conn: Connection) -> list[Parent]:
    """Every object holding `conn` reached through the shortest root path, once each."""
    path, selection = schema.parents(conn)
    body = (await client.post(f"{{ {wrap(path, selection)} }}")).json()
    assert "errors" not in body, body
    objects = [
        o for o in leaves(body["data"], path) if o["__typename"] in schema.concrete(conn.parent)
    ]
    if schema.implements_node(conn.parent):
        return [Parent(id) for id in dict.fromkeys(o["id"] for o in objects)]
    return [Parent(None, path, i) for i in range(len(objects))]


@dataclass(frozen=True)
class Target:
    """One connection to page, at the root or under one parent, with literal extra arguments."""

    conn: Connection
    args: str
    parent: Parent | None
    parent_types: frozenset[str]
    page: str  # the selection of one page, e.g. "totalCount edges { cursor node { id } }"

    @property
    def label(self) -> str:
        where = "" if self.parent is None else f" under {self.parent}"
        return f"{self.conn.label}({self.args}){where}"

    def select(
        self, alias: str, first: str, after: str, count: str = "true", *, backwards: bool = False
    ) -> str:
        """A root selection answering one page of this connection, under response key `alias`
        (the connection field itself is aliased `alias` too, so two targets never share a key).
        `first`, `after` and `count` are GraphQL values or variables; `count` replaces `$COUNT`
        in the page's selection (e.g. `totalCount @include(if: $COUNT)`). `backwards`: the
        page size and cursor are passed as `last` and `before`."""
        extra = f", {self.args}" if self.args else ""
        page = self.page.replace("$COUNT", count)
        size, cursor = ("last", "before") if backwards else ("first", "after")
        arguments = f"{size}: {first}, {cursor}: {after}{extra}"
        field = f"{alias}: {self.conn.field}({arguments}) {{ {page} }}"
        if self.parent is None:
            return field
        if self.parent.id is not None:
            return f"{alias}: node(id: {json.dumps(self.parent.id)}) {{ ... on {self.conn.parent} {{ {field} }} }}"
        return f"{alias}: {wrap(self.parent.path, f'__typename ... on {self.conn.parent} {{ {field} }}')}"

    def extract(self, data: dict[str, Any] | None, alias: str) -> dict[str, Any] | None:
        """This target's page in the response data (None if it is missing)."""
        value = (data or {}).get(alias)
        if self.parent is None or value is None:
            return value
        if self.parent.id is not None:
            return value.get(alias)
        found = [
            o
            for o in leaves({step_key(self.parent.path[0][0]): value}, self.parent.path)
            if o["__typename"] in self.parent_types
        ]
        return found[self.parent.index].get(alias) if self.parent.index < len(found) else None


async def targets(
    client: GraphQLClient, schema: Schema, page: str, *, nested: bool
) -> list[Target]:
    """Every root (or every nested) connection of the schema, under each of its parents, without
    extra arguments. `page` holds a `%s` for the node's scalar selection."""
    out: list[Target] = []
    for conn in schema.connections():
        if conn.is_root == nested:
            continue
        parents = [None] if conn.is_root else await parents_of(client, schema, conn)
        selection = page % schema.scalar_selection(conn.node_type)
        types = frozenset(schema.concrete(conn.parent))
        args = schema.required_arguments(conn.args)
        out += [Target(conn, args, parent, types, selection) for parent in parents]
    return out


def variants(schema: Schema, target: Target) -> list[Target]:
    """The same target with each generated argument value (see `Schema.argument_variants`)."""
    return [
        replace(target, args=schema.required_arguments(target.conn.args, args))
        for args in schema.argument_variants(target.conn)
    ]


async def introspect(client: GraphQLClient) -> Schema:
    return Schema((await client.execute(INTROSPECTION))["__schema"])


@dataclass(frozen=True)
class ListField:
    """A field taking `first` (a connection or a plain list), as `Schema.first_fields` finds it."""

    parent: str
    field: str
    is_connection: bool
    item_type: str  # the connection's node type, or the list's item type
    required: tuple[dict[str, Any], ...] = dataclasses.field(compare=False)  # but `first`

    @property
    def label(self) -> str:
        return f"{self.parent}.{self.field}"


def first_fields(schema: Schema) -> list[ListField]:
    """Every field taking `first`, connection or plain list; one declared by an interface is
    walked once, on the interface (its implementations share the resolver's load)."""
    out = []
    for type_name, t in sorted(schema.types.items()):
        if t["kind"] not in {"OBJECT", "INTERFACE"} or type_name.startswith("__"):
            continue
        inherited = {f["name"] for i in t.get("interfaces") or [] for f in schema.fields(i["name"])}
        for field in schema.fields(type_name):
            args = {a["name"]: a for a in field["args"]}
            if field["name"] in inherited or "first" not in args:
                continue
            target = named(field["type"])
            conn = schema.is_connection(target)
            others = tuple(a for a in field["args"] if a["name"] != "first" and required(a))
            item = schema.node_of(target) if conn else target
            out.append(ListField(type_name, field["name"], conn, item, others))
    return out


def list_selection(schema: Schema, field: ListField, alias: str, first: str) -> str:
    """`alias: field(first: first, <required arguments>) { items }`: a connection's `nodes`, or
    the list's items, each with its scalar selection."""
    args = schema.required_arguments(field.required, f"first: {first}")
    call = f"{alias}: {field.field}({args})"
    if schema.types[field.item_type]["kind"] not in COMPOSITE:
        return call
    # the item type's own scalars (not each concrete type's: an interface with many
    # implementations would pass the alias limit), and its ID: items are told apart
    own = [
        f["name"]
        for f in schema.fields(field.item_type)
        if schema.types[named(f["type"])]["kind"] in {"SCALAR", "ENUM"}
        and not any(required(a) for a in f["args"])
    ]
    items = " ".join(["__typename", *own])
    return f"{call} {{ nodes {{ {items} }} }}" if field.is_connection else f"{call} {{ {items} }}"
