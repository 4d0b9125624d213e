"""Every path to a governed type holds its rules as `node(id:)` does (issue 8, point 2: private
data hidden "on nodes fetched by ID as well as through lists").

Generated from the live schema and the declarations: every field of an object or interface
type, root or nested, core or plugin, whose type is (a list or connection of) a type carrying a
`RowRule` or a `FieldRule` is queried as every role. On that path a row the role may not see is
absent and not counted in `totalCount`, the rows the role may see are all there (staff's answer
filtered by the rule), and each private field is null exactly when the world says so, with the
same value and error codes as the same object's field fetched through `node(id:)`. What each role
must get comes from tests/access_world.py, not from core.access.

Fields only a mutation's payload reaches (`registrationCreate { registration }`) are not paths
of reading: the mutation matrix (tests/test_access_matrix.py) covers who may call them.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import get_named_type, is_composite_type
from sqlalchemy import select
from strawberry.types import Info

from core import Connection, Theme, hookimpl, models, query_page, types
from core.access.policy import Policy
from core.db import Database
from core.plugins import discover, make_plugin_manager
from core.schema.build import build_schema
from core.schema.ids import from_global_id
from core.testing import GraphQLClient, settings_for
from tests.access_world import ROLES, World, build_world
from tests.schema_walk import Schema, introspect, named, step_call, step_key

_BUILT = build_schema(make_plugin_manager(settings_for("sqlite+aiosqlite://")))
POLICY: Policy = _BUILT.policy  # type: ignore[assignment]
PRIVATE: dict[str, list[str]] = {}
for _type, _field in sorted(k for k, rule in POLICY.fields.items() if not rule.refuse):
    PRIVATE.setdefault(_type, []).append(_field)
GOVERNED = set(POLICY.rows) | set(PRIVATE)
_SCHEMA = _BUILT.schema._schema
COMPOSITE = {
    (t, f): "(first: 1) { __typename }" if "first" in field.args else "{ __typename }"
    for t, fields in PRIVATE.items()
    for f in fields
    if is_composite_type(get_named_type((field := _SCHEMA.type_map[t].fields[f]).type))  # type: ignore[union-attr]
}
"""Private fields of an object type -> their selection: the smallest that is null or not."""


def _paths(schema: Schema) -> list[tuple[str, str]]:
    """(parent type, field) of every field reached from the query type whose objects may be of a
    governed type; `node`/`nodes` are the reference the others are held to."""
    reached, pending = {schema.query}, [schema.query]
    out: list[tuple[str, str]] = []
    while pending:
        parent = pending.pop()
        for field in schema.fields(parent):
            target = named(field["type"])
            if schema.types[target]["kind"] not in {"OBJECT", "INTERFACE", "UNION"}:
                continue
            node = schema.node_of(target) if schema.is_connection(target) else target
            concrete = schema.concrete(node)
            # a private field itself (`Comment.hiddenBy`) is held to its own rule below
            private = field["name"] in PRIVATE.get(parent, [])
            if concrete & GOVERNED and field["name"] not in {"node", "nodes"} and not private:
                out.append((parent, field["name"]))
            for t in {node} | concrete:
                if t not in reached:
                    reached.add(t)
                    pending.append(t)
    return sorted(set(out))


def _private(type_name: str, field: str) -> str:
    """The selection of a private field: an object-typed one (`Comment.hiddenBy`) by its
    `__typename`."""
    return f"{field}{COMPOSITE[(type_name, field)]}" if (type_name, field) in COMPOSITE else field


def _object_selection(schema: Schema, type_name: str) -> str:
    parts = ["__typename", "... on Node { id }"]
    for t in sorted(schema.concrete(type_name) & set(PRIVATE)):
        parts.append(f"... on {t} {{ {' '.join(_private(t, f) for f in PRIVATE[t])} }}")
    return " ".join(parts)


def _selection(schema: Schema, parent: str, name: str) -> tuple[str, bool]:
    field = next(f for f in schema.fields(parent) if f["name"] == name)
    target = named(field["type"])
    given = "first: 100" if "first" in {a["name"] for a in field["args"]} else ""
    arguments = schema.required_arguments(field["args"], given)
    arguments = f"({arguments})" if arguments else ""
    if schema.is_connection(target):
        inner = _object_selection(schema, schema.node_of(target))
        return f"{name}{arguments} {{ totalCount nodes {{ {inner} }} }}", True
    return f"{name}{arguments} {{ {_object_selection(schema, target)} }}", False


def _found(data: Any, path: tuple[tuple[str, bool], ...], name: str, is_conn: bool) -> dict:
    """{parent key: (objects at `name`, totalCount or None)} from a response."""
    parents: list[Any] = [data]
    for step, conn in path:
        nxt: list[Any] = []
        for obj in parents:
            value = (obj or {}).get(step_key(step))
            if conn and value is not None:
                value = value["nodes"]
            nxt += value if isinstance(value, list) else [value]
        parents = [o for o in nxt if o is not None]
    out: dict[str, tuple[list[dict[str, Any]], int | None]] = {}
    for index, obj in enumerate(parents):
        if name not in obj:
            continue  # another concrete type of an abstract parent
        value = obj[name]
        total = None
        if is_conn and value is not None:
            total, value = value["totalCount"], value["nodes"]
        items = value if isinstance(value, list) else [value]
        out[obj.get("id") or f"#{index}"] = ([o for o in items if o is not None], total)
    return out


async def _public_rows(url: str) -> dict[str, set[int]]:
    """The rows everyone sees whatever the rule, by type: each row rule's `public` condition
    (e.g. published resources) run on the world's database, so a new declaration is covered
    without editing this test."""
    public: dict[str, set[int]] = {}
    db = Database(url)
    try:
        async with db.read() as conn:
            for type_name, row_rule in POLICY.rows.items():
                if row_rule.public is not None:
                    stmt = select(row_rule.scope.pk).where(row_rule.public)
                    public[type_name] = {int(pk) for pk in (await conn.execute(stmt)).scalars()}
    finally:
        await db.dispose()
    return public


def _visible(world: World, role: str, type_name: str, gid: str, rule: Any) -> bool:
    pk = int(from_global_id(gid)[1])
    return world.expected(rule, role, world.subject_of(type_name, pk), write=False) is None


def _codes(body: dict[str, Any], field: str) -> list[str]:
    return sorted(
        e["extensions"]["code"]
        for e in body.get("errors") or []
        if (e.get("path") or [None])[-1] == field
    )


async def _through_node(
    client: GraphQLClient, token: str | None, type_name: str, gid: str, field: str
) -> tuple[Any, list[str]]:
    inner = _private(type_name, field)
    query = f"query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ {inner} }} }} }}"
    body = (await client.post(query, {"id": gid}, token=token)).json()
    node = (body.get("data") or {}).get("node") or {}
    return node.get(field), _codes(body, field)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "standard"])
async def test_every_path_to_a_governed_type_holds_its_rules(
    empty_db: str, make_client: Any, fast: bool
) -> None:
    world = await build_world(empty_db)
    public = await _public_rows(empty_db)
    client = make_client(empty_db, fast_execution=fast, compiled_reads=False)
    schema = await introspect(client)
    paths = _paths(schema)
    # the walk finds the lists the hand-written test knew of, and more
    assert {("Meeting", "registrations"), ("Organization", "people")} <= set(paths), paths
    shown = {t: 0 for t in GOVERNED}
    for parent, name in paths:
        path = () if parent == schema.query else schema.path_to(parent)
        inner, is_conn = _selection(schema, parent, name)
        ids = "... on Node { id }" if schema.implements_node(parent) else ""
        query = "{ " + _wrap(path, f"__typename {ids} ... on {parent} {{ {inner} }}") + " }"
        answers = {}
        for role in ROLES:
            body = (await client.post(query, token=world.tokens[role])).json()
            answers[role] = (body, _found(body.get("data"), path, name, is_conn))
        staff = answers["staff"][1]
        for role in ROLES:
            body, found = answers[role]
            label = (f"{parent}.{name}", role)
            for key, (objects, total) in found.items():
                all_ids = [o.get("id") for o in staff.get(key, ([], None))[0]]
                expected = [
                    gid
                    for gid, o in zip(all_ids, staff.get(key, ([], None))[0], strict=True)
                    if o["__typename"] not in POLICY.rows
                    or int(from_global_id(gid)[1]) in public.get(o["__typename"], set())
                    or _visible(
                        world, role, o["__typename"], gid, POLICY.rows[o["__typename"]].rule
                    )
                ]
                assert [o.get("id") for o in objects] == expected, (*label, key, body)
                if total is not None:
                    assert total == len(expected), (*label, key, body)
                for obj in objects:
                    type_name = obj["__typename"]
                    shown[type_name] = shown.get(type_name, 0) + 1
                    for field in PRIVATE.get(type_name, []):
                        rule = POLICY.fields[(type_name, field)].rule
                        may = _visible(world, role, type_name, obj["id"], rule)
                        assert (obj[field] is not None) is may, (*label, type_name, field, body)
                        value, codes = await _through_node(
                            client, world.tokens[role], type_name, obj["id"], field
                        )
                        assert obj[field] == value, (*label, type_name, field)
                        assert set(_codes(body, field)) == set(codes), (*label, field, body)
    # each governed type was shown on some path (an empty walk would prove nothing)
    assert all(shown.values()), shown


def _wrap(path: tuple[tuple[str, bool], ...], inner: str) -> str:
    # 10 parents per level: the world holds fewer, and a path two lists deep (a group's comments'
    # replies) stays within the cost limit
    for name, is_connection in reversed(path):
        inner = (
            f"{step_call(name, 'first: 10')} {{ nodes {{ {inner} }} }}"
            if is_connection
            else f"{name} {{ {inner} }}"
        )
    return inner


# --- A root list built by hand through core.query_page holds the rule too -----------------------


@strawberry.type
class RegistrationRow:
    """A registration read straight from its table (not the core's `Registration` type)."""

    pk: int


@strawberry.field(description="Test only: every registration, through core.query_page.")
async def registration_rows(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[RegistrationRow]:
    table = models.Registration.__table__
    stmt = select(table.c.id)
    return await query_page(
        info, stmt, (table.c.id,), build=lambda row: RegistrationRow(pk=row.id),
        first=first, after=after,
    )  # fmt: skip


@strawberry.type
class RowsGroup(types.WorkingGroup):
    """The test plugin's groups (none)."""


class RowsPlugin:
    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key="rows", title="Rows", summary="Test only.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        return RowsGroup

    @hookimpl
    def ogp_wg_query_fields(self) -> list[Any]:
        return [registration_rows]


async def test_a_root_query_page_over_a_governed_table_holds_its_row_rule(
    empty_db: str, make_client: Any
) -> None:
    """A plugin's own root list of a governed table (`query_page` over `registrations`, no type
    of the core's) hides and does not count what the row rule hides, for every role."""
    world = await build_world(empty_db)
    installed = {**{key: found.obj for key, found in discover().items()}, "rows": RowsPlugin()}
    client = make_client(empty_db, installed=installed)
    rule = POLICY.rows["Registration"].rule
    query = "{ registrationRows(first: 100) { totalCount nodes { pk } } }"
    seen = set()
    for role in ROLES:
        rows = (await client.execute(query, token=world.tokens[role]))["registrationRows"]
        subject = world.subject_of("Registration", world.registration)
        expected = (
            [world.registration] if world.expected(rule, role, subject, write=False) is None else []
        )
        assert [r["pk"] for r in rows["nodes"]] == expected, role
        assert rows["totalCount"] == len(expected), role
        seen.add(bool(expected))
    assert seen == {True, False}  # some roles see the row and some do not
