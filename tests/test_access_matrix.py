"""Generated from the declarations: every mutation x every role, every private field x every role,
every row rule x every role. A new mutation, private field or row rule is covered without
editing this file (a rule on a type the world has no object of fails, naming the type).

Inputs are generated from the live schema (required arguments and the rule's target fields);
what each role must get comes from tests/access_world.py (the world's own relations), not from
core.access.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_composite_type,
)

from core.access.policy import Policy
from core.access.rules import Subject
from core.plugins import make_plugin_manager
from core.schema.build import build_schema
from core.testing import GraphQLClient, settings_for
from tests.access_world import ROLES, World, build_world

POLICY: Policy = build_schema(make_plugin_manager(settings_for("sqlite+aiosqlite://"))).policy  # type: ignore[assignment]
EXECUTORS = [
    {"fast_execution": True, "compiled_reads": False},
    {"fast_execution": False},
    {"compiled_reads": True},
]
"""The resolver path (core.execution), graphql-core's executor, the compiled path (core.compiled):
the same rules hold on each."""
REFUSED = ("UNAUTHENTICATED", "FORBIDDEN")
SCALARS = {
    "ID": "X",
    "String": "x",
    "Int": 1,
    "Float": 1.5,
    "Boolean": False,
    "Date": "2031-01-01",
    "DateTime": "2031-01-01T00:00:00+00:00",
}
OBJECTS = {
    "WorkingGroup": "group",
    "Meeting": "meeting",
    "Registration": "registration",
    "Comment": "comment",
    "Feedback": "feedback",
    "PriorityArea": "priority_area",
    "MeetingLink": "meeting_link",
    "Resource": "resource",
    "Expertise": "expertise",
    "Organization": "organization",
}


def _person_variants(name: str) -> list[str]:
    rule = POLICY.mutations[name]
    return ["own", "others"] if "Person" in rule.targets.values() else ["own"]


CASES = [(name, v) for name in sorted(POLICY.mutations) for v in _person_variants(name)]


def _target_person(world: World, role: str, variant: str) -> int:
    if variant == "own" and role in world.people:
        return world.people[role]
    return world.people["member" if role == "other" else "other"]


def _target_pk(world: World, type_name: str, role: str, variant: str) -> int:
    if type_name == "Person":
        return _target_person(world, role, variant)
    if type_name not in OBJECTS:
        raise AssertionError(f"the test world has no {type_name}: add one to tests/access_world.py")
    return int(getattr(world, OBJECTS[type_name]))


def _value(type_: Any, name: str, ids: dict[str, str], world: World) -> Any:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            field_name: _value(field.type, field_name, ids, world)
            for field_name, field in type_.fields.items()
            if field_name in ids
            or (isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined)
        }
    assert isinstance(type_, GraphQLScalarType)
    if type_.name == "ID":
        if name in ids:
            return ids[name]
        if name.endswith("Id") and name[:-2] == "organization":
            return world.gid("Organization", world.organizations["elsewhere"])
        return world.gid(name[:-2].capitalize() if name.endswith("Id") else "Nothing", 1)
    return SCALARS.get(type_.name, "x")


def _document(
    client: GraphQLClient, name: str, ids: dict[str, str], world: World
) -> tuple[str, dict[str, Any]]:
    schema = client.app.state.ogp.schema._schema
    field = schema.mutation_type.fields[name]
    args = {
        arg_name: _value(arg.type, arg_name, ids, world)
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
    }
    params = ", ".join(f"${a}: {field.args[a].type}" for a in args)
    passed = ", ".join(f"{a}: ${a}" for a in args)
    selection = "{ __typename }" if is_composite_type(get_named_type(field.type)) else ""
    signature = f"({params})" if params else ""
    call = f"({passed})" if passed else ""
    return f"mutation{signature} {{ {name}{call} {selection} }}", args


def _subject(world: World, name: str, role: str, variant: str) -> Subject:
    rule, owner = POLICY.mutations[name], POLICY.owners[name]
    merged: dict[str, Any] = {}
    for type_name in rule.targets.values():
        found = world.subject_of(type_name, _target_pk(world, type_name, role, variant))
        for key, value in vars(found).items():
            if value is not None:
                merged.setdefault(key, value)
    if not rule.targets and owner != "core":
        merged["theme"] = owner
    return Subject(**merged)


def _code(body: dict[str, Any], name: str) -> str | None:
    for error in body.get("errors") or []:
        if error.get("path") == [name]:
            return str(error["extensions"]["code"])
    return None


@pytest.mark.parametrize(("name", "variant"), CASES)
async def test_every_mutation_for_every_role(
    empty_db: str, make_client: Any, name: str, variant: str
) -> None:
    world = await build_world(empty_db)
    client = make_client(empty_db)
    rule = POLICY.mutations[name]
    calls: list[tuple[str, str | None]] = []
    for role in ROLES:  # staff last: their calls may change what the others are
        ids = {
            field: world.gid(type_name, _target_pk(world, type_name, role, variant))
            for field, type_name in rule.targets.items()
        }
        # targets live inside `input`; a mutation without one gets them as arguments
        document, variables = _document(client, name, ids, world)
        body = (await client.post(document, variables, token=world.tokens[role])).json()
        subject = _subject(world, name, role, variant)
        expected = world.expected(rule.rule, role, subject, write=True)
        got = _code(body, name)
        if expected is None:
            assert got not in REFUSED, (name, role, variant, body)
        else:
            assert got == expected, (name, role, variant, body)
            assert body["data"] == {name: None}, (name, role, body)
        calls.append((role, expected))

    audit = await client.execute(
        "query($m: String) { auditLog(filter: {mutation: $m}, first: 100) {"
        " totalCount nodes { outcome person { id } } } }",
        {"m": name},
        token=world.tokens["staff"],
    )
    entries = list(reversed(audit["auditLog"]["nodes"]))  # oldest first
    assert audit["auditLog"]["totalCount"] == len(calls) == len(entries)
    for (role, expected), entry in zip(calls, entries, strict=True):
        if expected is not None:
            assert entry["outcome"] == expected, (name, role, entry)
        else:
            assert entry["outcome"] in ("OK", "USER_ERROR", "ERROR"), (name, role, entry)
        signed_in = role != "anonymous"
        assert (entry["person"] is not None) is signed_in


FIELD_CASES = sorted(k for k, rule in POLICY.fields.items() if not rule.refuse)
WORLD_OBJECTS = {"Person": ("people", "member"), **{k: (v, None) for k, v in OBJECTS.items()}}
WORLD_OBJECTS["Resource"] = ("resource_draft", None)  # the row rule hides drafts only


def _object_pk(world: World, type_name: str) -> int:
    if type_name not in WORLD_OBJECTS:
        raise AssertionError(f"the test world has no {type_name}: add one to tests/access_world.py")
    attr, key = WORLD_OBJECTS[type_name]
    value = getattr(world, attr)
    return int(value[key] if key else value)


@pytest.mark.parametrize("executor", EXECUTORS, ids=["fast", "standard", "compiled"])
@pytest.mark.parametrize(("type_name", "field"), FIELD_CASES)
async def test_every_private_field_for_every_role(
    empty_db: str, make_client: Any, type_name: str, field: str, executor: dict[str, bool]
) -> None:
    world = await build_world(empty_db)
    client = make_client(empty_db, **executor)
    rule = POLICY.fields[(type_name, field)].rule
    pk = _object_pk(world, type_name)
    subject = world.subject_of(type_name, pk)
    schema = client.app.state.ogp.schema._schema
    composite = is_composite_type(get_named_type(schema.type_map[type_name].fields[field].type))
    selection = f"{field} {{ __typename }}" if composite else field  # e.g. Comment.hiddenBy
    query = f"query($id: ID!) {{ node(id: $id) {{ id ... on {type_name} {{ {selection} }} }} }}"
    for role in ROLES:
        data = await client.execute(
            query, {"id": world.gid(type_name, pk)}, token=world.tokens[role]
        )
        assert data["node"]["id"] == world.gid(type_name, pk)
        visible = world.expected(rule, role, subject, write=False) is None
        assert (data["node"][field] is not None) is visible, (type_name, field, role, data)


ROOT_CASES = sorted(k for k, rule in POLICY.fields.items() if rule.refuse)


@pytest.mark.parametrize(("type_name", "field"), ROOT_CASES)
async def test_every_refusing_field_for_every_role(
    empty_db: str, make_client: Any, type_name: str, field: str
) -> None:
    assert type_name == "Query", "a refusing rule is for root fields"
    world = await build_world(empty_db)
    client = make_client(empty_db)
    rule = POLICY.fields[(type_name, field)].rule
    for role in ROLES:
        body = (
            await client.post(f"{{ {field} {{ __typename }} }}", token=world.tokens[role])
        ).json()
        expected = world.expected(rule, role, Subject(), write=False)
        assert _code(body, field) == expected, (field, role, body)
        assert (body["data"][field] is None) is (expected is not None)


ROW_CASES = sorted(POLICY.rows)


@pytest.mark.parametrize("executor", EXECUTORS, ids=["fast", "standard", "compiled"])
@pytest.mark.parametrize("type_name", ROW_CASES)
async def test_every_row_rule_for_every_role(
    empty_db: str, make_client: Any, type_name: str, executor: dict[str, bool]
) -> None:
    """A row the role may not see answers exactly as an ID that names no row."""
    world = await build_world(empty_db)
    client = make_client(empty_db, **executor)
    rule = POLICY.rows[type_name].rule
    pk = _object_pk(world, type_name)
    subject = world.subject_of(type_name, pk)
    query = (
        "query($id: ID!) { node(id: $id) { id __typename }"
        " nodes(ids: [$id, $id]) { id __typename } }"
    )
    missing = (await client.post(query, {"id": world.gid(type_name, 2**31 - 1)})).json()
    for role in ROLES:
        token = world.tokens[role]
        body = (await client.post(query, {"id": world.gid(type_name, pk)}, token=token)).json()
        if world.expected(rule, role, subject, write=False) is None:
            seen = {"id": world.gid(type_name, pk), "__typename": type_name}
            assert body["data"] == {"node": seen, "nodes": [seen, seen]}, (type_name, role)
        else:
            assert body == missing, (type_name, role, body)
