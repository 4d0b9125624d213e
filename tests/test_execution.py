"""The fast executor returns exactly what graphql-core's standard executor returns."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import ClientFactory, GraphQLClient
from tests import faults_plugin

DOCUMENTS: list[tuple[str, dict[str, Any] | None]] = [
    (
        """{ workingGroups(first: 50) { totalCount pageInfo { hasNextPage endCursor }
             edges { cursor node { __typename id slug name theme status memberCount createdAt
               anchors { id role since organization { name kind website country { code name } } }
               members(role: MEMBER) { role joinedAt organization { name } }
               ... on FiscalOpennessGroup { sufficientTransparencyThreshold }
               ... on OpenDataGroup { charterPrinciples }
               meetings(first: 3, filter: {upcoming: true}) { nodes { title startsAt remainingPlaces
                 registrations(first: 2) { totalCount nodes { status person { name } } } } } } } } }""",
        None,
    ),
    (
        """query($slug: String!, $first: Int!) { workingGroup(slug: $slug) {
             ...G  upcoming: meetings(filter: {upcoming: true}, first: $first) { nodes { ...M } }
             past: meetings(filter: {upcoming: false}, first: $first) { nodes { ...M } } } }
           fragment G on WorkingGroup { name anchors { role organization { name } } }
           fragment M on Meeting { id title kind startsAt endsAt timezone capacity remainingPlaces
                                   isSummit group { slug } }""",
        {"slug": "open-data", "first": 5},
    ),
    (
        """{ countries { __typename code alpha3 name region ogpMemberSince
             organizations(first: 10) { name people(first: 5) { name organization { name } } }
             workingGroups(first: 10) { slug }
             openBudgetSurvey { edition transparency { score scaleMax } sufficientTransparency } } }""",
        None,
    ),
    (
        """{ organizations(first: 30, filter: {kind: [GOVERNMENT, CIVIL_SOCIETY]}) {
             nodes { name kind country { code } workingGroups { slug anchors { role } } } } }""",
        None,
    ),
    (
        """{ meetings(filter: {summit: true}, first: 10) { edges { node { title
             group { ... on WorkingGroup { slug } __typename }
             registrations(first: 100, status: ATTENDED) { nodes { status createdAt
               person { name organization { country { name } } } } } } } } }""",
        None,
    ),
    (
        """{ a: workingGroup(slug: "open-data") { name } b: workingGroup(slug: "zzz") { name } }""",
        None,
    ),
    (
        """{ workingGroup(slug: "open-data") { anchors @include(if: false) { role } name @skip(if: true) slug } }""",
        None,
    ),
]


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_fast_executor_matches_standard(
    demo_db: str, make_client: ClientFactory, document: str, variables: dict[str, Any] | None
) -> None:
    standard = make_client(demo_db, fast_execution=False)
    fast = make_client(demo_db, compiled_reads=False)
    expected = await standard.post(document, variables)
    actual = await fast.post(document, variables)
    assert "errors" not in expected.json(), expected.json()
    assert actual.text == expected.text  # same data, same field order, byte for byte


# --- error paths: each failure at its own path, null propagating as the specification says -----

HEADERS = {"x-request-id": "test-request"}  # internal errors carry it: the same in both runs

ERROR_DOCUMENTS: list[str] = [
    # output coercion of the server's own data, field by field (nullable root field)
    "{ faults { bigInt nanRequired } countries { code } }",
    "{ faults { infiniteOptional badEnum ints optionalInts big nan } }",
    "{ faults { requiredInts } }",
    "{ faults { nullRequired kind } }",
    "{ faults { bigIntRequired } }",
    # a non-null field of a list item fails: the item (T!) nulls the nullable list
    "{ faults { items { key label } } }",
    # ... or only the item, when items are nullable
    "{ faults { optionalItems { key label size } } }",
    "{ faults { optionalItems { key optionalLabel } items { optionalLabel } } }",
    # a plain function that raises, on every country, in a list reached from a root list
    "{ countries { code faultLookup faultItems { key optionalLabel } } }",
    # a relation's argument refused at the relation itself, not at the root field
    "{ countries { code faultItems(first: 5) { key } } themes { key } }",
    "{ countries { a: faultItems(first: 1) { key } b: faultItems(first: 4) { key } } }",
    # null propagation through non-null connection fields to the nearest nullable parent
    '{ workingGroup(slug: "open-data") { slug meetings(first: 500) { nodes { id } } } themes { key } }',
    '{ workingGroup(slug: "open-data") { name meetings(first: 2, after: "bm90IGEgY3Vyc29y") { nodes { id } } } }',
    # abstract types and introspection
    """{ workingGroups(first: 20) { nodes { __typename slug ... on OpenDataGroup { charterPrinciples }
         ... on FiscalOpennessGroup { sufficientTransparencyThreshold } } } }""",
    '{ __schema { queryType { name } } __type(name: "WorkingGroup") { kind possibleTypes { name } } }',
    # shared objects reached through selections with different arguments
    """{ workingGroups(first: 3) { edges { node { slug meetings(first: 1) { nodes { id } } } }
         nodes { slug meetings(first: 3) { totalCount nodes { id title } } } } }""",
    # mutations: invalid input and user errors change nothing, so both runs see the same data
    """mutation { workingGroupCreate(input: {slug: "Not A Slug", name: "", theme: "nope"}) {
         group { slug } userErrors { code field message } } }""",
    'mutation { registrationCancel(input: {registrationId: "UmVnaXN0cmF0aW9uOjA="}) { userErrors { code field } } }',
]


def _with_faults(make_client: ClientFactory, url: str, **options: Any) -> GraphQLClient:
    return make_client(url, installed=faults_plugin.installed_with_faults(), **options)


@pytest.mark.parametrize("document", ERROR_DOCUMENTS)
async def test_fast_executor_matches_standard_on_errors(
    demo_db: str, make_client: ClientFactory, document: str
) -> None:
    standard = _with_faults(make_client, demo_db, fast_execution=False)
    fast = _with_faults(make_client, demo_db, compiled_reads=False)
    body = {"query": document}
    expected = await standard.http.post("/graphql", json=body, headers=HEADERS)
    actual = await fast.http.post("/graphql", json=body, headers=HEADERS)
    assert actual.status_code == expected.status_code
    assert actual.text == expected.text


async def _run(client: GraphQLClient, document: str) -> dict[str, Any]:
    response = await client.http.post("/graphql", json={"query": document}, headers=HEADERS)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("fast_execution", [True, False], ids=["fast", "standard"])
async def test_field_errors_stay_at_their_field(
    demo_db: str, make_client: ClientFactory, fast_execution: bool
) -> None:
    client = _with_faults(make_client, demo_db, fast_execution=fast_execution)

    body = await _run(client, "{ faults { bigInt nanRequired } countries { code } }")
    assert body["data"]["faults"] is None  # Float! failed: null goes up to the nullable root
    assert body["data"]["countries"]  # ... and no further
    paths = {tuple(e["path"]) for e in body["errors"]}
    assert paths == {("faults", "bigInt"), ("faults", "nanRequired")}
    for error in body["errors"]:
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"  # not the client's fault
        assert error["extensions"]["correlationId"] == "test-request"
        assert error["message"] == "Internal server error"

    body = await _run(client, "{ faults { infiniteOptional badEnum ints optionalInts kind } }")
    assert body["data"]["faults"] == {
        "infiniteOptional": None,
        "badEnum": None,
        "ints": None,
        "optionalInts": [None, 1],
        "kind": "unknown",
    }
    assert sorted(tuple(e["path"]) for e in body["errors"]) == [
        ("faults", "badEnum"),
        ("faults", "infiniteOptional"),
        ("faults", "ints", 0),
        ("faults", "optionalInts", 0),
    ]

    body = await _run(client, "{ faults { optionalItems { key label } items { key } } }")
    assert body["data"]["faults"] == {
        "optionalItems": [None, {"key": "a", "label": "Alpha"}],
        "items": [{"key": "a"}, {"key": "b"}],
    }
    assert [e["path"] for e in body["errors"]] == [["faults", "optionalItems", 0, "label"]]

    body = await _run(client, "{ countries { code faultLookup } }")
    countries = body["data"]["countries"]
    assert countries and all(c["faultLookup"] is None and c["code"] for c in countries)
    assert [e["path"] for e in body["errors"]] == [
        ["countries", i, "faultLookup"] for i in range(len(countries))
    ]


@pytest.mark.parametrize("fast_execution", [True, False], ids=["fast", "standard"])
async def test_nested_argument_error_is_located_at_the_nested_field(
    demo_db: str, make_client: ClientFactory, fast_execution: bool
) -> None:
    client = make_client(demo_db, fast_execution=fast_execution)
    # (an out-of-range `first` is refused before execution now: core.limits; a bad cursor is not)
    document = '{ workingGroup(slug: "open-data") { meetings(after: "x") { nodes { id } } } themes { key } }'
    body = await _run(client, document)
    assert body["data"]["workingGroup"] is None  # `meetings` is non-null: its parent goes null
    assert body["data"]["themes"]
    [error] = body["errors"]
    assert error["path"] == ["workingGroup", "meetings"]
    assert error["extensions"]["code"] == "INVALID_CURSOR"
    column = document.index("meetings") + 1
    assert error["locations"] == [{"line": 1, "column": column}]


@pytest.mark.parametrize("fast_execution", [True, False], ids=["fast", "standard"])
async def test_shared_objects_answer_each_selection_with_its_own_arguments(
    demo_db: str, make_client: ClientFactory, fast_execution: bool
) -> None:
    client = make_client(demo_db, fast_execution=fast_execution)
    data = await client.execute(
        """{ workingGroups(first: 5) {
             edges { node { slug meetings(first: 1) { nodes { id } } } }
             nodes { slug meetings(first: 3) { nodes { id } } } } }"""
    )
    edges, nodes = data["workingGroups"]["edges"], data["workingGroups"]["nodes"]
    assert any(len(n["meetings"]["nodes"]) > 1 for n in nodes)  # the data can tell them apart
    for edge, node in zip(edges, nodes, strict=True):
        assert edge["node"]["meetings"]["nodes"] == node["meetings"]["nodes"][:1]
        assert len(node["meetings"]["nodes"]) <= 3

    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]
    data = await client.execute(
        """query($id: ID!) { a: node(id: $id) { ... on WorkingGroup { meetings(first: 1) { nodes { id } } } }
             b: node(id: $id) { ... on WorkingGroup { meetings(first: 3) { nodes { id } } } } }""",
        {"id": group["id"]},
    )
    a, b = data["a"]["meetings"]["nodes"], data["b"]["meetings"]["nodes"]
    assert len(a) == 1 and len(b) == 3 and a == b[:1]
