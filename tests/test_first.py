"""Every list that can grow takes `first` (1..100; issue 8, point 3), walked from the live schema:
core and plugins, root or nested, so a new list is covered without editing this file.

(a) Every list-typed field of an object type takes `first` or declares its fixed size
(`core.LIST_SIZE` in the field's metadata), except what is bounded by construction: a
connection's `edges` and `nodes` (by the connection's `first`), lists of types only a mutation's
payload reaches (`userErrors`: by the input), and a field bounded by an `ids` argument
(`nodes(ids:)`). BOUNDED_ELSEWHERE names the rest, each with its bound.
(b) Every field taking `first`, reached from the root through the shortest path (demo data,
signed in as staff): `first` 0, -1, 101 and 100000 (as a variable and as a literal) are refused
with INVALID_ARGUMENT before any SQL runs, 1 and 100 are answered, and the `first: 1` answer is
the `first: 100` answer with each of those lists cut to its first item.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import (
    GraphQLObjectType,
    get_named_type,
    get_nullable_type,
    graphql_sync,
    is_abstract_type,
    is_list_type,
    is_object_type,
)

from core.limits import LIST_SIZE
from core.plugins import make_plugin_manager
from core.schema.build import build_schema
from core.testing import ClientFactory, GraphQLClient, settings_for, token_for
from tests.schema_walk import INTROSPECTION, Schema, first_fields, list_selection, wrap

STRAWBERRY = "strawberry-definition"
ALIAS = "listUnderTest"
BOUNDED_ELSEWHERE = {
    "Query.themes": "one per enabled plugin",
    "AuditEntry.codes": "one call's codes, stored in 500 characters",
    "Commitment.workingGroups": "one per working group it is linked to",
    "PilotReport.groups": "one per working group of an enabled theme (the report's columns)",
    "PilotGroupReport.commitmentsByCountry": "one per country",
    "PilotGroupReport.commitmentsByCycle": "one per action-plan cycle (cohort year)",
    "PilotCountryFigures.cycles": "one per action-plan cycle (cohort year) of the country",
}


def _declared_size(field: Any) -> int | None:
    metadata = getattr((field.extensions or {}).get(STRAWBERRY), "metadata", None) or {}
    size = metadata.get(LIST_SIZE)
    return size if isinstance(size, int) else None


def _reached_from_query(schema: Any) -> set[str]:
    """Names of the types a query can reach (a payload's types are reached by mutations)."""
    seen = {schema.query_type.name}
    pending = [schema.query_type]
    while pending:
        for field in pending.pop().fields.values():
            named = get_named_type(field.type)
            if not is_abstract_type(named) and not is_object_type(named):
                continue
            possible = list(schema.get_possible_types(named)) if is_abstract_type(named) else []
            for t in [named, *possible]:
                if t.name not in seen:
                    seen.add(t.name)
                    pending.append(t)
    return seen


def test_every_list_takes_first_or_declares_its_size() -> None:
    # every installed plugin, as the default configuration serves them
    schema = build_schema(make_plugin_manager(settings_for("sqlite+aiosqlite://"))).schema._schema
    reached = _reached_from_query(schema)
    unbounded, found = [], set()
    for type_name, type_ in sorted(schema.type_map.items()):
        if not isinstance(type_, GraphQLObjectType) or type_name.startswith("__"):
            continue
        connection = {"edges", "pageInfo"} <= set(type_.fields)
        for name, field in type_.fields.items():
            label = f"{type_name}.{name}"
            if not is_list_type(get_nullable_type(field.type)):
                continue
            if "first" in field.args or _declared_size(field) is not None:
                continue
            if (connection and name in {"edges", "nodes"}) or type_name not in reached:
                continue
            if "ids" in field.args or label in BOUNDED_ELSEWHERE:
                found.add(label)
                continue
            unbounded.append(label)
    assert unbounded == [], f"lists without `first` or a declared LIST_SIZE: {unbounded}"
    assert set(BOUNDED_ELSEWHERE) <= found, "a field of BOUNDED_ELSEWHERE changed: update it"


def _cut(value: Any, longest: list[int], key: str = "") -> Any:
    """`value` with every list under ALIAS (a connection's `nodes` under it) cut to one item."""
    if isinstance(value, dict):
        if key == ALIAS and isinstance(value.get("nodes"), list):
            longest.append(len(value["nodes"]))
            return {**value, "nodes": [_cut(v, longest) for v in value["nodes"][:1]]}
        return {k: _cut(v, longest, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_cut(v, longest) for v in value]
        if key == ALIAS:
            longest.append(len(items))
            return items[:1]
        return items
    return value


def _codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or ()]


async def _check(client: GraphQLClient, schema: Schema, field: Any) -> tuple[list[str], int]:
    """Problems with one field (empty: it holds), and the longest list it answered."""
    path = () if field.parent == schema.query else schema.path_to(field.parent)
    inner = list_selection(schema, field, ALIAS, "$n")
    selection = wrap(path, f"__typename ... on {field.parent} {{ {inner} }}")
    query = f"query($n: Int!) {{ {selection} }}"
    problems: list[str] = []
    for bad in (0, -1, 101, 100_000):
        literal = "{ " + selection.replace("$n", str(bad)) + " }"
        for text, variables in ((query, {"n": bad}), (literal, None)):
            response = await client.post(text, variables)
            body = response.json()
            refused = "data" not in body and response.headers.get("x-sql-statements") == "0"
            if not refused or _codes(body) != ["INVALID_ARGUMENT"]:
                problems.append(f"first: {bad} ({'variable' if variables else 'literal'}): {body}")
    answers = {}
    for n in (1, 100):
        body = (await client.post(query, {"n": n})).json()
        if "errors" in body:
            problems.append(f"first: {n}: {body['errors']}")
        answers[n] = body.get("data")
    longest: list[int] = []
    if answers[1] != _cut(answers[100], longest):
        problems.append("first: 1 is not the first item of first: 100")
    if not longest:
        problems.append(f"no {field.label} reached through {path}")
    return problems, max(longest, default=0)


async def test_first_is_1_to_100_on_every_list_and_cuts_in_order(
    demo_db: str, make_client: ClientFactory
) -> None:
    # the paths page their parents by 100: the node limit would refuse the deepest
    plain = make_client(demo_db, debug=True, max_nodes=100_000_000)
    client = plain.with_token(await token_for(demo_db, "staff"))
    data = graphql_sync(client.app.state.ogp.schema._schema, INTROSPECTION).data
    assert data is not None
    schema = Schema(data["__schema"])
    fields = first_fields(schema)
    # the lists issue 8 named, and the plugins' own
    labels = {f.label for f in fields}
    assert {"Query.countries", "Country.organizations", "Organization.people"} <= labels
    assert {"WorkingGroup.members", "FiscalOpennessGroup.commitments"} <= labels
    problems: dict[str, list[str]] = {}
    lengths: Counter[str] = Counter()
    for field in fields:
        found, lengths[field.label] = await _check(client, schema, field)
        if found:
            problems[field.label] = found
    assert problems == {}, problems
    # cutting shows something: most lists hold several items in the demo
    several = [label for label, n in lengths.items() if n >= 2]
    assert len(several) * 2 > len(fields), lengths
