"""Every field an enabled plugin adds to a core type compiles (core.compiled), or is EXEMPT.

The fields are found from the app's GraphQL schema, not listed by hand: on a core type (one the
core defines: `Country`, `Organization`) the fields whose resolver or definition lives outside
`core`, and every field of a plugin's working group type (`FiscalOpennessGroup`, ...) that the
`WorkingGroup` interface does not have. Each is asked for below the root field that reaches its
type (`country(code:)`, `workingGroup(slug:)`), then every field of its own sub-selection in
turn, one at a time below parents that compile (`__typename` where a field is an object; core
types reached from a plugin type are not walked into), and the compiler (the plan `ogp-wg
explain` prints) says whether the root field compiles. A field that falls back must be in
EXEMPT, with why; an EXEMPT field that now compiles fails the test too, so the list only
shrinks. Everything that compiles (each host's compiled selection, and node(id:) of every plugin
type whose node loader is declared) answers byte for byte the same through graphql-core, the
fast resolver path and the compiled path (tests/test_compiled.py's three executors), for every
country, every plugin group and the first rows of each type, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from core import to_global_id
from core.loading import STRAWBERRY

if TYPE_CHECKING:
    from tests.executors import Trio  # the `trio` fixture (tests/conftest.py)

EXEMPT: dict[str, str] = {}
"""`Type.field` -> why it falls back: exactly the plugin fields that fall back (see the module).
What a declaration cannot say yet is listed in docs/writing-plugins.md, "The fallback"."""

HOSTS: dict[str, tuple[str, str]] = {
    "Country": ('country(code: "CL") {', "}"),
    "Organization": ('country(code: "CL") { organizations {', "} }"),
}
"""How a query reaches each core type that plugins add fields to: the text around its fields.
A core type with plugin fields that is missing here fails the test (add how to reach it)."""

GROUP = "WorkingGroup"
"""The interface of the working group types; a plugin's group type is reached by its slug."""


def _module(field: GraphQLField) -> str:
    """The module that defines a field: its resolver's, else the class it was declared on."""
    definition = (field.extensions or {}).get(STRAWBERRY)
    if definition is None:
        return ""
    if definition.base_resolver is not None:
        return str(definition.base_resolver.wrapped_func.__module__)
    return str(getattr(definition.origin, "__module__", ""))


def _is_core(module: str) -> bool:
    return module.split(".")[0] in ("core", "strawberry")


def _is_test(module: str) -> bool:
    """tests/'s own plugins (the faults plugin the three executors install) are not walked."""
    return module.split(".")[0] == "tests"


def _type_module(gtype: Any) -> str:
    definition = (gtype.extensions or {}).get("strawberry-definition")
    return str(getattr(getattr(definition, "origin", None), "__module__", ""))


@dataclass(frozen=True)
class Host:
    """A type plugins add fields to, and the query text around a selection of its fields."""

    type_name: str
    before: str
    after: str
    fields: tuple[str, ...]
    node: bool = False
    """Reached by `node(id: $id)` (the walk plans it with the ID of primary key 1)."""

    def query(self, selection: str) -> str:
        return f"{{ {self.before} {selection} {self.after} }}"

    def plan_variables(self) -> dict[str, Any]:
        return {"id": to_global_id(self.type_name, 1)} if self.node else {}


def hosts(schema: GraphQLSchema, slugs: dict[str, str]) -> list[Host]:
    """Every core type with plugin fields (by HOSTS), and every plugin working group type (by
    the slug of a group of that type, `slugs`: type name -> slug)."""
    found = []
    interface = schema.type_map[GROUP]
    assert isinstance(interface, GraphQLInterfaceType)
    for name, gtype in sorted(schema.type_map.items()):
        if not isinstance(gtype, GraphQLObjectType) or name in ("Query", "Mutation"):
            continue
        if name.startswith("__") or name == "Subscription":
            continue
        if _is_test(_type_module(gtype)):
            continue
        if interface in gtype.interfaces and not _is_core(_type_module(gtype)):
            own = tuple(f for f in gtype.fields if f not in interface.fields)
            slug = slugs[name]  # a plugin group type without a group in the demo: add one
            found.append(
                Host(name, f'workingGroup(slug: "{slug}") {{ ... on {name} {{', "} }", own)
            )
        elif _is_core(_type_module(gtype)):
            own = tuple(
                f
                for f, d in gtype.fields.items()
                if not _is_core(_module(d)) and not _is_test(_module(d))
            )
            if own:
                assert name in HOSTS, f"{name} has plugin fields {own}: say how to reach it"
                before, after = HOSTS[name]
                found.append(Host(name, before, after, own))
    return found


def _required_arguments(field: GraphQLField) -> bool:
    """A field that cannot be asked for without arguments (none of the plugins' has one)."""
    return any(
        isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        for arg in field.args.values()
    )


Tree = dict[str, "Tree"]
"""A selection as nested dicts: field name -> its sub-selection (empty for a leaf)."""


PAGED = 5
"""`first` of every field that takes it, when `render` is given the tree's type."""


def render(tree: Tree, gtype: Any = None) -> str:
    """A selection's text: `a b { c }`; an object with nothing below it gets `__typename`.
    With `gtype` (the tree's type), each field that takes `first` asks for `first: PAGED`."""
    parts = []
    for name, below in tree.items():
        field = None if gtype is None else gtype.fields[name]
        head = f"{name}(first: {PAGED})" if field is not None and "first" in field.args else name
        if below is None:
            parts.append(head)
        else:
            inner = None if field is None else get_named_type(field.type)
            inner = inner if isinstance(inner, GraphQLObjectType) else None
            parts.append(f"{head} {{ {render(below, inner) or '__typename'} }}")
    return " ".join(parts)


def walk(trio: Trio, schema: GraphQLSchema, host: Host) -> tuple[dict[str, str], Tree, int]:
    """Below `host`'s plugin fields, each field asked for alone below its parents (which
    compile): `Type.field` -> reason for those that fall back; the selection of those that
    compile (`Tree`, objects as `{}`, leaves as None); how many fields were asked."""
    found: dict[str, str] = {}
    compiled: Tree = {}
    asked = 0
    # (parent type, field name, where the field goes in `compiled`, its path, types on it)
    todo: list[tuple[Any, str, Tree, tuple[str, ...], tuple[str, ...]]] = [
        (schema.type_map[host.type_name], name, compiled, (), (host.type_name,))
        for name in host.fields
    ]
    while todo:
        gtype, name, parent, path, types_on_path = todo.pop(0)
        field = gtype.fields[name]
        if _required_arguments(field):
            continue
        inner = get_named_type(field.type)
        leaf = is_leaf_type(inner)
        tree: Tree = {}
        node = tree
        for step in path:
            node[step] = {}
            node = node[step]
        node[name] = None if leaf else {}  # type: ignore[assignment]
        asked += 1
        document = host.query(render(tree))
        if host.node:
            document = "query ($id: ID!) " + document
        (plan,) = trio.plans(document, host.plan_variables())
        if plan.statement is None:
            found.setdefault(f"{gtype.name}.{name}", str(plan.reason))
            continue
        parent[name] = None if leaf else {}  # type: ignore[assignment]
        if leaf or inner.name in types_on_path or _is_core(_type_module(inner)):
            continue
        if isinstance(inner, GraphQLInterfaceType | GraphQLUnionType):
            continue  # no plugin field answers an abstract type yet: __typename is asked
        todo += [
            (inner, child, parent[name], (*path, name), (*types_on_path, inner.name))
            for child in inner.fields
        ]
    return found, compiled, asked


def _schema(trio: Trio) -> GraphQLSchema:
    schema: GraphQLSchema = trio.clients[None][2].app.state.ogp.schema._schema
    return schema


def _slugs(trio: Trio) -> dict[str, str]:
    body = trio.compare("{ workingGroups(first: 100) { nodes { __typename slug } } }").json()
    slugs: dict[str, str] = {}
    for node in body["data"]["workingGroups"]["nodes"]:
        slugs.setdefault(node["__typename"], node["slug"])
    return slugs


NODE_ROWS = 12
"""node(id:) of a plugin type is compared for the rows of primary key 1..NODE_ROWS (absent ones
too: null both ways; a document takes at most 15 aliases)."""


def node_hosts(trio: Trio, schema: GraphQLSchema) -> list[Host]:
    """Every plugin Node type whose node loader is a declared `rows_by_key` (the ones
    `node(id:)` compiles for), reached by `node(id: $id)`: all its fields."""
    from core.rows import RowsByKey
    from core.schema.nodes import loader_name

    loaders = trio.clients[None][2].app.state.ogp.loaders
    node = schema.type_map["Node"]
    found = []
    for name, gtype in sorted(schema.type_map.items()):
        if not isinstance(gtype, GraphQLObjectType) or node not in gtype.interfaces:
            continue
        if _is_core(_type_module(gtype)) or _is_test(_type_module(gtype)):
            continue
        loader = loaders.get(loader_name(name))
        if isinstance(getattr(loader, "__wrapped__", loader), RowsByKey):
            before = f"node(id: $id) {{ ... on {name} {{"
            found.append(Host(name, before, "} }", tuple(gtype.fields), node=True))
    return found


def _walked(trio: Trio, nodes: bool = False) -> tuple[dict[str, str], list[tuple[Host, Tree]], int]:
    """The walk of every host (and, with `nodes`, of every declared plugin Node type): the
    fields that fall back (from the hosts only), the compiled selections, the fields asked."""
    schema = _schema(trio)
    found: dict[str, str] = {}
    trees = []
    asked = 0
    for host in hosts(schema, _slugs(trio)) + (node_hosts(trio, schema) if nodes else []):
        if host.node:
            _, compiled, n = walk(trio, schema, host)
            trees.append((host, compiled))
            continue
        failing, compiled, n = walk(trio, schema, host)
        asked += n
        trees.append((host, compiled))
        for key, reason in failing.items():
            found.setdefault(key, reason)
    return found, trees, asked


def test_plugin_fields_compile_or_are_exempt(trio: Trio) -> None:
    found, _, asked = _walked(trio)
    assert asked > 100  # the walk reaches the plugins' fields (about 300 today)
    unexpected = {k: v for k, v in found.items() if k not in EXEMPT}
    no_longer = sorted(k for k in EXEMPT if k not in found)
    assert not unexpected, f"plugin fields falling back, not in EXEMPT: {unexpected}"
    assert not no_longer, f"EXEMPT fields that compile now (remove them): {no_longer}"


def test_compiled_plugin_fields_answer_the_same_three_ways(trio: Trio) -> None:
    """Every plugin field that compiles, with all of its sub-selection that compiles, byte for
    byte the same three ways: a core type's for every country, a group type's for its group,
    a plugin Node type's for node(id:) of its first rows (anonymous: the plugins' data is
    public; tests/test_compiled.py covers the viewers' row rules)."""
    _, trees, _ = _walked(trio, nodes=True)
    schema = _schema(trio)
    codes = [c["code"] for c in trio.compare("{ countries { code } }").json()["data"]["countries"]]
    runs: list[tuple[str, str, dict[str, Any]]] = []
    for host, tree in trees:
        if not tree:
            continue
        # the whole lists, unless a deep selection at their defaults (100) costs more than a
        # query may (core.limits): then every list at most PAGED long, `first` compared too
        for selection in (render(tree), render(tree, schema.type_map[host.type_name])):
            if host.node:
                # one document per type: an aliased node(id:) per row, each a compiled root
                roots = [
                    f"n{pk}: {host.before.replace('$id', repr_id(host.type_name, pk))} "
                    f"{selection} {host.after}"
                    for pk in range(1, NODE_ROWS + 1)
                ]
                document, cases = "{ " + " ".join(roots) + " }", [{}]
            elif host.type_name in HOSTS:
                query = host.query(selection).replace('"CL"', "$code")
                document, cases = "query ($code: String!) " + query, [{"code": c} for c in codes]
            else:
                document, cases = host.query(selection), [{}]
            if not _too_costly(trio, document, cases[0]):
                break
        runs += [(host.type_name, document, variables) for variables in cases]
    differ: dict[str, tuple[dict[str, Any], str]] = {}
    compiled_roots = 0
    for name, document, variables in runs:
        plans = trio.plans(document, variables)
        assert all(plan.statement is not None for plan in plans), (document, plans)
        compiled_roots += len(plans)
        standard, fast, compiled, *again = trio.answers(document, variables)
        assert standard.status_code == 200 and "errors" not in standard.json(), standard.text
        if any(answer.text != standard.text for answer in (fast, compiled, *again)):
            differ.setdefault(name, (variables, _first_difference(standard.text, compiled.text)))
    assert compiled_roots > 200
    assert not differ, f"answers differ (variables, standard vs compiled): {differ}"


def _too_costly(trio: Trio, document: str, variables: dict[str, Any]) -> bool:
    """Whether graphql-core's answer refuses `document` for its cost (QUERY_TOO_COSTLY)."""
    errors = trio.compare(document, variables).json().get("errors", ())
    return any(e.get("extensions", {}).get("code") == "QUERY_TOO_COSTLY" for e in errors)


def repr_id(type_name: str, pk: int) -> str:
    """A global ID as a GraphQL string literal."""
    return f'"{to_global_id(type_name, pk)}"'


def _first_difference(a: str, b: str) -> str:
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"...{a[max(at - 60, 0) : at + 40]} != ...{b[max(at - 60, 0) : at + 40]}"


RESOLVER_ROOTS: dict[str, str] = {
    "auditLog": "staff only",
    "missingTranslations": "a union of tables",
    "search": "full-text, ranked (core.search)",
}
"""Root connections of the core that stay on the resolver path, with why; every other root
connection (the core's and every plugin's) compiles."""


def _root_connections(
    schema: GraphQLSchema,
) -> list[tuple[str, GraphQLObjectType | GraphQLInterfaceType]]:
    """(field name, node type) of every root connection field, the core's and every enabled
    plugin's, but RESOLVER_ROOTS."""
    assert schema.query_type is not None
    assert set(RESOLVER_ROOTS) <= set(schema.query_type.fields)  # no stale name
    found = []
    for name, field in sorted(schema.query_type.fields.items()):
        if name in RESOLVER_ROOTS or _is_test(_module(field)) or _required_arguments(field):
            continue
        connection = get_named_type(field.type)
        nodes = getattr(connection, "fields", {}).get("nodes")
        if nodes is not None and {"first", "after"} <= set(field.args):
            node_type = get_named_type(nodes.type)
            assert isinstance(node_type, GraphQLObjectType | GraphQLInterfaceType), name
            found.append((name, node_type))
    return found


def test_root_connections_compile_and_answer_the_same_three_ways(trio: Trio) -> None:
    """Every root connection but RESOLVER_ROOTS (the core's and every enabled plugin's, declared
    with `core.root_page`) compiles with its count, page info and every leaf of its nodes that
    compiles (a plugin type's leaf that falls back and is not EXEMPT fails the test, named), and
    answers byte for byte alike three ways (tests/executors.py), the first page and the next
    from its cursor, signed out and as staff, on the demo data (each has rows there, for staff
    at least)."""
    schema = _schema(trio)
    roots = _root_connections(schema)
    assert len(roots) >= 24  # the core's nine, the five plugins' and the example's (16)
    falling: dict[str, str] = {}
    for name, node_type in roots:
        # a core type's leaves that fall back (a list of enums, a Python resolver) are left
        # out of the page below, not listed: EXEMPT holds plugins' fields only
        core = _is_core(_type_module(node_type))
        leaves = []
        for leaf, field in node_type.fields.items():
            if not is_leaf_type(get_named_type(field.type)) or _required_arguments(field):
                continue
            (plan,) = trio.plans(f"{{ {name}(first: 3) {{ nodes {{ {leaf} }} }} }}")
            exempt = core or f"{node_type.name}.{leaf}" in EXEMPT
            if plan.statement is None and not exempt:
                falling[f"{node_type.name}.{leaf}"] = str(plan.reason)
            elif plan.statement is not None:
                leaves.append(leaf)
        page = "totalCount pageInfo { hasNextPage endCursor } nodes { __typename "
        first = f"{{ {name}(first: 3) {{ {page} {' '.join(leaves)} }} }} }}"
        (plan,) = trio.plans(first)
        assert plan.statement is not None, (name, plan.reason)
        second = "query ($after: String) " + first.replace("first: 3", "first: 3, after: $after")
        for role in (None, "staff"):  # what rows each sees (feedback: staff only)
            body = trio.compare(first, role=role).json()
            assert "errors" not in body, (name, role, body)
            cursor = body["data"][name]["pageInfo"]["endCursor"]
            body = trio.compare(second, {"after": cursor}, role=role).json()
            assert "errors" not in body, (name, role, body)
        assert body["data"][name]["totalCount"] > 0, (name, body)  # staff sees rows
    assert not falling, f"leaves of root connections that fall back: {falling}"
