"""`node(id:)` fetches every type that implements `Node`, and start-up refuses one it cannot fetch.

The main test is generic: it reads the live schema (introspection), finds objects of each `Node`
type in the demo data by walking the schema from the root fields, and asks `node(id:)` for each
one, so a new type (core, built-in plugin, or any other installed plugin) is covered without
editing this file.
"""

from __future__ import annotations

import asyncio
import base64
import types as pytypes
from collections import deque
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import strawberry

import core
from core.plugins import PluginError
from core.testing import GraphQLClient, token_for

TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
INTROSPECT = f"""{{ __schema {{ queryType {{ name }} types {{
  kind name interfaces {{ name }} possibleTypes {{ name }}
  fields {{ name type {{ {TYPE_REF} }} args {{ name defaultValue type {{ {TYPE_REF} }} }} }}
}} }} }}"""
COMPOSITE = {"OBJECT", "INTERFACE", "UNION"}
MAX_DEPTH = 5  # fields from Query to the object (type conditions not counted)
MAX_TRIES = 60  # queries tried per type before giving up


def _named(ref: dict[str, Any]) -> dict[str, Any]:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return ref


def _callable_without_arguments(field: dict[str, Any]) -> bool:
    """Every argument is optional (nullable or defaulted): the field can be selected as is."""
    return all(a["type"]["kind"] != "NON_NULL" or a["defaultValue"] for a in field["args"])


class Schema:
    def __init__(self, introspection: dict[str, Any]) -> None:
        self.query = introspection["queryType"]["name"]
        self.types = {t["name"]: t for t in introspection["types"]}

    def node_types(self) -> list[str]:
        return sorted(
            name
            for name, t in self.types.items()
            if t["kind"] == "OBJECT" and {"name": "Node"} in (t["interfaces"] or [])
        )

    def selection(self, type_name: str) -> str:
        """Every field of the type that takes no required argument: leaves as they are, objects
        as `{ __typename }` (with `id` when they have one), so relations are compared too."""
        parts = ["__typename"]
        for field in self.types[type_name]["fields"]:
            if not _callable_without_arguments(field):
                continue
            named = _named(field["type"])
            if named["kind"] in COMPOSITE:
                has_id = any(f["name"] == "id" for f in self.types[named["name"]]["fields"] or [])
                parts.append(f"{field['name']} {{ __typename{' id' if has_id else ''} }}")
            else:
                parts.append(field["name"])
        return " ".join(parts)

    def paths(self, target: str) -> Iterator[list[str]]:
        """Selection paths from the root to objects of `target`, shortest first: each step is a
        field name or a type condition (`... on X`) into an implementation of an abstract type."""
        queue: deque[tuple[str, list[str], int]] = deque([(self.query, [], 0)])
        while queue:
            type_name, path, depth = queue.popleft()
            t = self.types[type_name]
            for possible in t["possibleTypes"] or []:  # interface or union: narrow it
                if possible["name"] == target:
                    yield [*path, f"... on {target}"]
                elif f"... on {possible['name']}" not in path:
                    queue.append((possible["name"], [*path, f"... on {possible['name']}"], depth))
            if depth == MAX_DEPTH:
                continue
            for field in t["fields"] or []:
                named = _named(field["type"])
                if named["kind"] not in COMPOSITE or not _callable_without_arguments(field):
                    continue
                step = [*path, field["name"]]
                if named["name"] == target:
                    yield step
                elif named["name"] != type_name and field["name"] not in path:
                    queue.append((named["name"], step, depth + 1))


def _query(path: list[str], selection: str) -> str:
    text = selection
    for step in reversed(path):
        text = f"{step} {{ {text} }}"
    return f"{{ {text} }}"


def _objects(value: Any, type_name: str) -> Iterator[dict[str, Any]]:
    """Every object of `type_name` in a response (they carry `__typename`)."""
    if isinstance(value, list):
        for item in value:
            yield from _objects(item, type_name)
    elif isinstance(value, dict):
        if value.get("__typename") == type_name and "id" in value:
            yield value
        else:
            for item in value.values():
                yield from _objects(item, type_name)


async def _some_object(
    client: GraphQLClient, schema: Schema, type_name: str
) -> dict[str, Any] | None:
    selection = schema.selection(type_name)
    for tries, path in enumerate(schema.paths(type_name)):
        if tries == MAX_TRIES:
            return None
        found = next(_objects(await client.execute(_query(path, selection)), type_name), None)
        if found is not None:
            return found
    return None


@pytest.fixture
def client(demo_db: str, make_client: Any) -> GraphQLClient:
    """The walk nests lists at their default page sizes (`first: 100`): past the node limit of
    a real client (core.limits), which is not what this test is about. Signed in as staff:
    registrations are private, anonymous callers reach none."""
    walker: GraphQLClient = make_client(demo_db, debug=True, max_nodes=100_000_000)
    return walker.with_token(asyncio.run(token_for(demo_db, "staff")))


async def test_node_fetches_every_node_type_of_the_schema(client: GraphQLClient) -> None:
    schema = Schema((await client.execute(INTROSPECT))["__schema"])
    node_types = schema.node_types()
    # the core's types are among them, and so is each plugin's (seven before this test existed)
    assert {"Country", "Meeting", "Registration", "OpenBudgetSurvey", "DataPortal"} <= set(
        node_types
    )

    fetched, missing = [], []
    for type_name in node_types:
        found = await _some_object(client, schema, type_name)
        if found is None:
            missing.append(type_name)
            continue
        selection = schema.selection(type_name)
        data = await client.execute(
            f"query($id: ID!) {{ node(id: $id) {{ __typename ... on {type_name} {{ {selection} }} }} }}",
            {"id": found["id"]},
        )
        assert data["node"] == found, type_name
        fetched.append(type_name)
    assert missing == [], f"no object of these Node types is reachable in the demo data: {missing}"
    assert fetched == node_types


async def test_node_of_a_disabled_plugin_or_unknown_type_is_null(demo_db: str, make_client) -> None:
    everything = make_client(demo_db)
    portal = (await everything.execute("{ dataPortals(first: 1) { nodes { id } } }"))[
        "dataPortals"
    ]["nodes"][0]["id"]
    query = "query($id: ID!) { node(id: $id) { id } }"
    assert (await everything.execute(query, {"id": portal}))["node"] == {"id": portal}

    without = make_client(demo_db, plugins={"disabled": ["open_data"]})
    assert (await without.execute(query, {"id": portal}))["node"] is None
    unknown = core.to_global_id("NoSuchType", 1)
    assert (await everything.execute(query, {"id": unknown}))["node"] is None
    gone = core.to_global_id("DataPortal", 2_000_000_000)
    assert (await everything.execute(query, {"id": gone}))["node"] is None


# --- the declaration, with plugins built in the test ---------------------------------------------


@strawberry.type
class Widget(core.types.Node):
    node_type: ClassVar[str] = "WidgetThemeWidget"
    name: str


@strawberry.type
class Unfetchable(core.types.Node):
    node_type: ClassVar[str] = "WidgetThemeUnfetchable"
    name: str


async def load_widgets(ctx: core.Context, keys: list[int]) -> list[Widget | None]:
    return [Widget(pk=key, name=f"widget {key}") if key < 10 else None for key in keys]


def _plugin(key: str, returns: type, **hooks: Any) -> pytypes.ModuleType:
    """A plugin with a group type and a root field `<key>Thing` returning `returns`."""
    module = pytypes.ModuleType(f"test_node_plugin_{key}")
    theme = core.Theme(key=key, title=key, summary="test", version="1.0")
    group = strawberry.type(
        type(f"{key.title().replace('_', '')}Group", (core.types.WorkingGroup,), {})
    )

    def thing() -> returns | None:  # type: ignore[valid-type]
        return None

    thing.__annotations__["return"] = returns | None
    field = strawberry.field(thing, name=f"{key.replace('_', '')}Thing")
    defaults = {
        "ogp_wg_theme": lambda: theme,
        "ogp_wg_group_type": lambda: group,
        "ogp_wg_query_fields": lambda: [field],
    }
    for name, fn in {**defaults, **hooks}.items():
        setattr(module, name, core.hookimpl(fn))
    return module


async def test_declared_node_type_is_fetched(empty_db: str, make_client) -> None:
    plugin = _plugin("widget_theme", Widget, ogp_wg_node_loaders=lambda: {Widget: load_widgets})
    client = make_client(empty_db, installed={"widget_theme": plugin})
    query = "query($id: ID!) { node(id: $id) { __typename id ... on Widget { name } } }"
    found = core.to_global_id("WidgetThemeWidget", 3)
    data = await client.execute(query, {"id": found})
    assert data["node"] == {"__typename": "Widget", "id": found, "name": "widget 3"}
    missing = core.to_global_id("WidgetThemeWidget", 12)
    assert (await client.execute(query, {"id": missing}))["node"] is None


def test_node_type_without_loader_stops_start_up(empty_db: str, make_client) -> None:
    plugin = _plugin(
        "widget_theme", Unfetchable, ogp_wg_node_loaders=lambda: {Widget: load_widgets}
    )
    with pytest.raises(PluginError) as excinfo:
        make_client(empty_db, installed={"widget_theme": plugin})
    message = str(excinfo.value)
    assert "plugin 'widget_theme'" in message and "'Unfetchable'" in message
    assert "ogp_wg_node_loaders" in message


def test_no_declaration_at_all_stops_start_up(empty_db: str, make_client) -> None:
    plugin = _plugin("widget_theme", Widget)
    with pytest.raises(PluginError) as excinfo:
        make_client(empty_db, installed={"widget_theme": plugin})
    assert "plugin 'widget_theme'" in str(excinfo.value) and "'Widget'" in str(excinfo.value)


@pytest.mark.parametrize(
    ("declared", "needle"),
    [
        (lambda: {str: load_widgets}, "is not a Strawberry type implementing core.types.Node"),
        (lambda: {Widget: "load_widgets"}, "the loader of WidgetThemeWidget is not callable"),
        (lambda: [Widget], "must return a mapping"),
    ],
)
def test_bad_declarations_stop_start_up(
    empty_db: str, make_client, declared: Any, needle: str
) -> None:
    plugin = _plugin("widget_theme", Widget, ogp_wg_node_loaders=declared)
    with pytest.raises(PluginError) as excinfo:
        make_client(empty_db, installed={"widget_theme": plugin})
    assert "plugin 'widget_theme'" in str(excinfo.value) and needle in str(excinfo.value)


def test_two_plugins_declaring_one_id_type_stop_start_up(empty_db: str, make_client) -> None:
    a = _plugin("a_theme", Widget, ogp_wg_node_loaders=lambda: {Widget: load_widgets})
    b = _plugin("b_theme", Widget, ogp_wg_node_loaders=lambda: {Widget: load_widgets})
    with pytest.raises(PluginError) as excinfo:
        make_client(empty_db, installed={"a_theme": a, "b_theme": b})
    message = str(excinfo.value)
    assert "'a_theme'" in message and "'b_theme'" in message and "WidgetThemeWidget" in message


# --- every global ID is a Node, and node(id:) keeps the access rules (issue 11, point 4) ----------


def _is_id(ref: dict[str, Any]) -> bool:
    return ref["kind"] == "NON_NULL" and ref["ofType"]["name"] == "ID"


async def test_every_type_with_a_global_id_implements_node(client: GraphQLClient) -> None:
    """Relay and Apollo normalise by `id`: an object or interface type with an `id: ID!` field
    implements `Node`, so `node(id:)` can refetch it (the walk above proves it does)."""
    schema = Schema((await client.execute(INTROSPECT))["__schema"])
    with_id = sorted(
        name
        for name, t in schema.types.items()
        if t["kind"] in ("OBJECT", "INTERFACE")
        and not name.startswith("__")
        and any(f["name"] == "id" and _is_id(f["type"]) for f in t["fields"] or [])
    )
    not_nodes = [
        name
        for name in with_id
        if name != "Node" and {"name": "Node"} not in (schema.types[name]["interfaces"] or [])
    ]
    assert not_nodes == []
    assert len(with_id) > 20  # the core's, each plugin's and each theme's group type


async def test_node_answers_each_viewer_as_its_other_fields_do(
    demo_db: str, make_client: Any, client: GraphQLClient
) -> None:
    """For an object of every Node type (found by staff), an anonymous caller's `node(id:)` is
    exactly what the same path shows them of it, and an object they may not see (a private
    one) is null without an error, as for an ID that names nothing: its existence never leaks."""
    schema = Schema((await client.execute(INTROSPECT))["__schema"])
    anonymous: GraphQLClient = make_client(demo_db, debug=True, max_nodes=100_000_000)
    hidden, shown = [], []
    for type_name in schema.node_types():
        selection = schema.selection(type_name)
        path = None
        for tries, candidate in enumerate(schema.paths(type_name)):
            if tries == MAX_TRIES:
                break
            found = next(
                _objects(await client.execute(_query(candidate, selection)), type_name), None
            )
            if found is not None:
                path = candidate
                break
        assert path is not None and found is not None, type_name
        query = (
            f"query($id: ID!) {{ node(id: $id) {{ __typename ... on {type_name} "
            f"{{ {selection} }} }} }}"
        )
        body = (await anonymous.post(query, {"id": found["id"]})).json()
        seen = (await anonymous.post(_query(path, selection))).json()
        theirs = [o for o in _objects(seen.get("data"), type_name) if o["id"] == found["id"]]
        if theirs:
            assert body.get("data", {}).get("node") == theirs[0], type_name
            shown.append(type_name)
        elif body["data"]["node"] is None:
            id_type = base64.urlsafe_b64decode(found["id"] + "==").decode().split(":")[0]
            missing = core.to_global_id(id_type, 2**31 - 1)
            nothing = (await anonymous.post(query, {"id": missing})).json()
            assert body["data"] == nothing["data"] == {"node": None}, type_name
            assert "errors" not in body and "errors" not in nothing, type_name
            hidden.append(type_name)
        else:  # not on this path for them (a private parent), yet theirs to see by its ID
            assert body["data"]["node"]["id"] == found["id"], type_name
    assert "Registration" in hidden  # private: only staff, the person and the anchors see it
    assert {"Country", "Meeting", "DataPortal"} <= set(shown)
