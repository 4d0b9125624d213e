"""A client's mistake is never a server error (issue 7, point 3), on SQLite and PostgreSQL.

The property test reads the live schema over HTTP and sends generated values into every argument
and input field of every root query and mutation, core and plugins; the focused tests pin the
answer for each kind: malformed bodies, GET mutations, IDs beyond the key columns, text the
database cannot hold, datetimes at the edges, and validations that must match the whole value.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    print_ast,
)
from graphql.utilities import ast_from_value
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from core import to_global_id
from core.testing import ClientFactory, GraphQLClient, token_for
from tests.bad_input_strategies import Seen, variables_for

# mutations need a signed-in caller with a rule: the `client` fixture is staff's
pytestmark = pytest.mark.signed_in("staff")

EXAMPLES = 10  # per root field: ~60 fields, well under a minute per backend
INTERNAL = "INTERNAL_SERVER_ERROR"


# --- the property test ---------------------------------------------------------------------------


def selection(type_: Any, depth: int) -> str:
    """Every argument-free field down to `depth` levels, leaves at the bottom: `{ a b { c } }`."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    parts = ["__typename"]
    for name, field in getattr(named, "fields", {}).items():
        if any(is_required_argument(arg) for arg in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth > 1:
            parts.append(f"{name} {selection(field.type, depth - 1)}")
    return "{ " + " ".join(parts) + " }"


def operation(kind: str, name: str, field: GraphQLField, depth: int = 2) -> str:
    """`kind($a: T = default, ...) { name(a: $a, ...) { ...selection } }`."""
    declared = ", ".join(
        f"${arg}: {spec.type}" + ("" if spec.default is None else f" = {default(spec)}")
        for arg, spec in field.args.items()
    )
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    return (
        f"{kind}{f'({declared})' if declared else ''} "
        f"{{ {name}{f'({passed})' if passed else ''} {selection(field.type, depth)} }}"
    )


def default(argument: GraphQLArgument) -> str:
    assert argument.default is not None
    if argument.default.literal is not None:
        return print_ast(argument.default.literal)
    value = ast_from_value(argument.default.value, argument.type)
    return "null" if value is None else print_ast(value)


class Probe:
    """Posts raw JSON bodies to one app from a sync test (hypothesis drives the examples)."""

    def __init__(self, client: GraphQLClient) -> None:
        self.client = client
        self.loop = asyncio.new_event_loop()

    def post(self, body: dict[str, Any]) -> httpx.Response:
        # ensure_ascii: a lone surrogate travels as a JSON escape, as a client could send it
        content = json.dumps(body, ensure_ascii=True)
        headers = {"content-type": "application/json"}
        request = self.client.http.post("/graphql", content=content, headers=headers)
        return self.loop.run_until_complete(request)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.app.state.ogp.db.dispose())
        self.loop.close()


def assert_client_answer(response: httpx.Response, what: str) -> dict[str, Any]:
    assert response.status_code < 500, (what, response.status_code, response.text[:500])
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", ())]
    assert INTERNAL not in codes, (what, body["errors"])
    if response.status_code >= 400:
        assert codes and all(codes), (what, body)  # request errors have the GraphQL shape
    return body


def user_error_codes(body: dict[str, Any]) -> list[str]:
    """The `userErrors[].code` values of a response's payloads (root fields)."""
    payloads = (body.get("data") or {}).values()
    return [
        error["code"]
        for payload in payloads
        if isinstance(payload, dict)
        for error in payload.get("userErrors") or ()
    ]


def check_field(
    probe: Probe,
    document: str,
    variables: SearchStrategy[dict[str, Any]],
    codes: set[str] | None = None,
    answered: set[str] | None = None,
) -> None:
    """Send EXAMPLES generated sets of variables with one document; each is a client's answer.
    `codes`: the values of `UserErrorCode`; every user error code answered is one of them (and
    is added to `answered`)."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(variables=variables)
    def check(variables: dict[str, Any]) -> None:
        response = probe.post({"query": document, "variables": variables})
        body = assert_client_answer(response, document)
        if codes is not None:
            found = user_error_codes(body)
            assert set(found) <= codes, (document, found)
            if answered is not None:
                answered.update(found)

    check()


def test_generated_values_never_make_a_server_error(
    demo_db: str, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # signed in as staff: every mutation runs (anonymous, each would be refused before its input
    # is read); the rate limits are not what this checks (hundreds of mutations in a minute)
    staff = asyncio.run(token_for(demo_db, "staff"))
    probe = Probe(make_client(demo_db, rate_limits=False).with_token(staff))
    try:
        introspection = probe.post({"query": get_introspection_query()}).json()["data"]
        schema: GraphQLSchema = build_client_schema(introspection)
        seen = Seen()
        for name, field in schema.query_type.fields.items():  # what the demo data holds
            if not any(is_required_argument(arg) for arg in field.args.values()):
                first = {"first": 5} if "first" in field.args else {}
                seen.collect(
                    probe.post(
                        {"query": operation("query", name, field, 3), "variables": first}
                    ).json()
                )
        roots = [("query", schema.query_type), ("mutation", schema.mutation_type)]
        fields = [(kind, n, f) for kind, root in roots for n, f in root.fields.items()]
        # UserError.code is the enum UserErrorCode: every code answered is declared
        code_enum = schema.get_type("UserErrorCode")
        assert isinstance(code_enum, GraphQLEnumType)
        codes, answered = set(code_enum.values), set[str]()
        with caplog.at_level(logging.ERROR, logger="ogp_wg"):
            for kind, name, field in fields:
                document = operation(kind, name, field)
                check_field(probe, document, variables_for(field, seen), codes, answered)
        assert len(answered) >= 5, answered  # the walk reaches the mutations' user errors
        logged = [r.getMessage() for r in caplog.records if r.name.startswith("ogp_wg")]
        assert not logged, logged  # an internal error is logged; a client's mistake is not
    finally:
        probe.close()


# --- the request body and the method -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"null", b'"abc"', b"123", b"true", b"", b"  \n", b"\xff\xfe{}", b'{"query": "\xff"}'],
)
async def test_a_body_that_is_not_a_json_object_is_a_400(
    empty_db: str, make_client: ClientFactory, body: bytes
) -> None:
    client = make_client(empty_db)
    headers = {"content-type": "application/json"}
    response = await client.http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST" and error["message"]


async def test_a_lone_surrogate_is_a_400(empty_db: str, make_client: ClientFactory) -> None:
    client = make_client(empty_db)
    body = b'{"query": "query($s: String!) { workingGroup(slug: $s) { id } }", '
    body += b'"variables": {"s": "\\ud800"}}'
    headers = {"content-type": "application/json"}
    response = await client.http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_mutation_sent_with_get_is_a_405(empty_db: str, make_client: ClientFactory) -> None:
    client = make_client(empty_db)
    mutation = (
        'mutation { anchorRemove(input: {groupId: "x", role: GOVERNMENT}) { anchor { role } } }'
    )
    response = await client.http.get("/graphql", params={"query": mutation})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    query = await client.http.get("/graphql", params={"query": "{ themes { key } }"})
    assert query.status_code == 200 and query.json()["data"]["themes"]


# --- IDs beyond the key columns ------------------------------------------------------------------


def raw_id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BIG_IDS = [
    to_global_id("Meeting", 2**31),
    to_global_id("WorkingGroup", 10**19),
    to_global_id("Registration", 99999999999999999999),
    to_global_id("Organization", 2**63),
    raw_id("Meeting:0001"),  # not the form the service issues
    raw_id("Meeting:+1"),
    raw_id("Meeting:\u0661"),  # ARABIC-INDIC DIGIT ONE: int() reads it as 1
]


async def test_node_with_an_id_beyond_the_key_column_is_null(client: GraphQLClient) -> None:
    for global_id in BIG_IDS:
        data = await client.execute("query($id: ID!) { node(id: $id) { id } }", {"id": global_id})
        assert data == {"node": None}, global_id


@pytest.mark.parametrize(
    ("mutation", "input_type", "extra"),
    [
        ("workingGroupUpdate", "WorkingGroupUpdateInput", {"name": "x"}),
        ("meetingUpdate", "MeetingUpdateInput", {}),
        ("registrationCancel", "RegistrationCancelInput", {}),
        ("rtiLawUpdate", "RtiLawUpdateInput", {}),
    ],
)
async def test_a_mutation_with_an_id_beyond_the_key_column_is_not_found(
    client: GraphQLClient, mutation: str, input_type: str, extra: dict[str, Any]
) -> None:
    document = f"""mutation($input: {input_type}!) {{
      {mutation}(input: $input) {{ userErrors {{ code field }} }} }}"""
    for type_name in ("WorkingGroup", "Meeting", "Registration", "RightToInformationLaw"):
        for pk in (2**31, 10**19):
            variables = {"input": {"id": to_global_id(type_name, pk), **extra}}
            data = await client.execute(document, variables)
            assert data[mutation]["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]


# --- text the database cannot hold --------------------------------------------------------------


async def test_a_lookup_with_a_value_no_row_can_hold_finds_nothing(client: GraphQLClient) -> None:
    one = await client.execute("{ workingGroups(first: 1) { nodes { name slug } } }")
    group = one["workingGroups"]["nodes"][0]
    lookups = {
        "query($s: String!) { workingGroup(slug: $s) { id } }": {"workingGroup": None},
        "query($s: String!) { country(code: $s) { name } }": {"country": None},
        "query($s: String) { countries(region: $s) { name } }": {"countries": []},
    }
    for text in (group["slug"] + "\x00", "\x00", "FR\x00", "F\x00", "Europe\x00", "x" * 5000):
        for document, nothing in lookups.items():
            assert await client.execute(document, {"s": text}) == nothing, (document, text)
    # SQLite's LIKE stops at U+0000: "%a\0zzz%" matched every name containing an "a".
    filters = [
        ("workingGroups", "WorkingGroupFilter", {"text": "a\x00zzz"}),
        ("workingGroups", "WorkingGroupFilter", {"country": "FR\x00"}),
        ("workingGroups", "WorkingGroupFilter", {"theme": "open_data\x00"}),
        ("organizations", "OrganizationFilter", {"text": "a\x00zzz"}),
        ("organizations", "OrganizationFilter", {"country": "GB\x00"}),
        ("meetings", "MeetingFilter", {"group": group["slug"] + "\x00"}),
        ("rtiLaws", "RtiLawFilter", {"country": "MX\x00"}),
    ]
    for field, input_type, value in filters:
        document = (
            f"query($f: {input_type}) {{ {field}(filter: $f) {{ totalCount nodes {{ id }} }} }}"
        )
        data = await client.execute(document, {"f": value})
        assert data[field] == {"totalCount": 0, "nodes": []}, (field, value)


GROUP_UPDATE = """mutation($input: WorkingGroupUpdateInput!) {
  workingGroupUpdate(input: $input) { workingGroup { name } userErrors { code field } } }"""
MEETING_SCHEDULE = """mutation($input: MeetingScheduleInput!) {
  meetingSchedule(input: $input) { meeting { id } userErrors { code field } } }"""


async def _group(client: GraphQLClient) -> dict[str, Any]:
    data = await client.execute("{ workingGroups(first: 1) { nodes { id name } } }")
    return data["workingGroups"]["nodes"][0]


async def test_a_new_name_with_nul_is_a_user_error_on_the_field(client: GraphQLClient) -> None:
    group = await _group(client)
    for name in ("Open\x00Data", "\x00"):
        data = await client.execute(GROUP_UPDATE, {"input": {"id": group["id"], "name": name}})
        assert data["workingGroupUpdate"] == {
            "workingGroup": None,
            "userErrors": [{"code": "INVALID_CHARACTER", "field": ["input", "name"]}],
        }
    after = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on WorkingGroup { name } } }", {"id": group["id"]}
    )
    assert after["node"]["name"] == group["name"]  # nothing written


def _meeting(group_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "groupId": group_id,
        "title": "Peer exchange",
        "kind": "VIRTUAL",
        "startsAt": "2030-03-01T10:00:00+01:00",
        "endsAt": "2030-03-01T11:00:00+01:00",
        "timezone": "Europe/Paris",
        "onlineUrl": "https://example.org/call",
    } | changes


async def test_text_longer_than_its_column_is_a_user_error(client: GraphQLClient) -> None:
    group = await _group(client)
    for field, value in (
        ("location", "x" * 301),
        ("onlineUrl", "https://example.org/" + "a" * 481),
    ):
        data = await client.execute(
            MEETING_SCHEDULE, {"input": _meeting(group["id"], **{field: value})}
        )
        assert data["meetingSchedule"] == {
            "meeting": None,
            "userErrors": [{"code": "TOO_LONG", "field": ["input", field]}],
        }
    data = await client.execute(
        MEETING_SCHEDULE, {"input": _meeting(group["id"], location="x" * 300)}
    )
    assert data["meetingSchedule"]["userErrors"] == []  # the column's length itself fits


async def test_every_value_a_column_cannot_hold_is_reported_at_once(client: GraphQLClient) -> None:
    meeting = (await client.execute("{ meetings(first: 1) { nodes { id title } } }"))["meetings"]
    document = """mutation($input: MeetingUpdateInput!) {
      meetingUpdate(input: $input) { meeting { id } userErrors { code field } } }"""
    changes = {"id": meeting["nodes"][0]["id"], "location": "x" * 301, "agenda": "a\x00b"}
    data = await client.execute(document, {"input": changes})
    assert data["meetingUpdate"] == {
        "meeting": None,
        "userErrors": [
            {"code": "TOO_LONG", "field": ["input", "location"]},
            {"code": "INVALID_CHARACTER", "field": ["input", "agenda"]},
        ],
    }
    after = await client.execute("{ meetings(first: 1) { nodes { id title } } }")
    assert after == {"meetings": meeting}  # rolled back


# --- datetimes at the edges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "instant",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00Z"],
)
async def test_a_datetime_beyond_the_range_is_bad_user_input(
    client: GraphQLClient, instant: str
) -> None:
    document = "query($d: DateTime!) { meetings(filter: {from: $d}) { totalCount } }"
    [error] = await client.errors(document, {"d": instant})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    group = await _group(client)
    [error] = await client.errors(
        MEETING_SCHEDULE, {"input": _meeting(group["id"], startsAt=instant)}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    literal = f'{{ meetings(filter: {{to: "{instant}"}}) {{ totalCount }} }}'
    [error] = await client.errors(literal)
    assert error["extensions"]["code"] != INTERNAL


async def test_a_datetime_inside_the_range_is_accepted(client: GraphQLClient) -> None:
    document = "query($d: DateTime!) { meetings(filter: {from: $d}) { totalCount } }"
    early = await client.execute(document, {"d": "0001-01-02T23:59:00+23:59"})
    late = await client.execute(document, {"d": "9999-12-30T00:00:00-23:59"})
    assert early["meetings"]["totalCount"] > 0 and late["meetings"]["totalCount"] == 0


# --- validations match the whole value ---------------------------------------------------------


async def test_a_slug_with_a_trailing_newline_is_invalid(client: GraphQLClient) -> None:
    document = """mutation($input: WorkingGroupCreateInput!) {
      workingGroupCreate(input: $input) { workingGroup { slug } userErrors { code field } } }"""
    for slug in ("civic-tech\n", "civic-tech\n\n", "\ncivic-tech"):
        variables = {"input": {"slug": slug, "name": "Civic tech", "theme": "open_data"}}
        data = await client.execute(document, variables)
        assert data["workingGroupCreate"] == {
            "workingGroup": None,
            "userErrors": [{"code": "INVALID_SLUG", "field": ["input", "slug"]}],
        }


async def test_an_odin_edition_is_ascii_digits(client: GraphQLClient) -> None:
    document = """mutation($input: OdinScoreRecordInput!) {
      odinScoreRecord(input: $input) { userErrors { code field } } }"""
    base = {"country": "MX", "score": 50.0, "coverage": 50.0, "openness": 50.0}
    for edition in ("\u0662\u0660\u0662\u0662", "2022/\u0662\u0663", "2022/23x"):
        data = await client.execute(document, {"input": {**base, "edition": edition}})
        errors = data["odinScoreRecord"]["userErrors"]
        assert {"code": "INVALID_EDITION", "field": ["input", "edition"]} in errors, edition
