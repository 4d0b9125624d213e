"""The helpers the core shares with plugins (core.rows, core.validation), through a plugin that
uses them (tests/helpers_plugin.py), over HTTP: declared loads answer what the core's own
fields answer, a level in one statement; input checks give one code and one message each.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import from_row
from core.plugins import discover
from core.testing import ClientFactory, GraphQLClient, token_for
from tests import helpers_plugin

ORGS = "organizations { name website }"
HELPER_ORGS = "name website note country { code } label"


def _client(make_client: ClientFactory, url: str) -> GraphQLClient:
    installed: dict[str, object] = {key: p.obj for key, p in discover().items()}
    installed[helpers_plugin.KEY] = helpers_plugin.plugin
    return make_client(url, installed=installed, debug=True)


async def _core_countries(client: GraphQLClient) -> list[dict[str, Any]]:
    data = await client.execute(f"{{ countries {{ code name {ORGS} }} }}")
    return sorted(data["countries"], key=lambda c: c["name"])


def _expected_org(org: dict[str, Any], code: str, kind_of: dict[str, str]) -> dict[str, Any]:
    label = f"{org['name']} ({kind_of[org['name']]})" if org["website"] else None
    return org | {"note": "default kept", "country": {"code": code}, "label": label}


async def _kinds(client: GraphQLClient) -> dict[str, str]:
    data = await client.execute("{ countries { organizations { name kind } } }")
    return {o["name"]: o["kind"] for c in data["countries"] for o in c["organizations"]}


async def test_declared_loads_answer_as_the_core_fields(demo_db: str, make_client) -> None:
    client = _client(make_client, demo_db)
    expected, kind_of = await _core_countries(client), await _kinds(client)
    query = f"""{{ helperCountries(first: 100) {{ totalCount nodes {{
        code name organizations {{ {HELPER_ORGS} }}
        governments: organizations(kind: GOVERNMENT) {{ name }} }} }} }}"""
    page = (await client.execute(query))["helperCountries"]
    assert page["totalCount"] == len(expected) == len(page["nodes"])
    for got, want in zip(page["nodes"], expected, strict=True):
        assert (got["code"], got["name"]) == (want["code"], want["name"])
        orgs = sorted(want["organizations"], key=lambda o: o["name"])
        assert got["organizations"] == [_expected_org(o, want["code"], kind_of) for o in orgs]
        governments = [o["name"] for o in orgs if kind_of[o["name"]] == "GOVERNMENT"]
        assert [o["name"] for o in got["governments"]] == governments


async def test_pages_by_key_walks_every_child(demo_db: str, make_client) -> None:
    client = _client(make_client, demo_db)
    expected = {c["code"]: sorted(o["name"] for o in c["organizations"]) for c in
                await _core_countries(client)}  # fmt: skip
    query = """query($after: String) { helperCountries(first: 100) { nodes { code
        organizationPage(first: 1, after: $after) { totalCount nodes { name }
          pageInfo { hasNextPage endCursor } } } } }"""
    walked: dict[str, list[str]] = {code: [] for code in expected}
    totals: dict[str, int] = {}
    after: dict[str, str | None] = dict.fromkeys(expected)
    while after:
        # every country at the same cursor is one request; a country leaves when it is done
        cursor = next(iter(after.values()))
        same = [code for code, value in after.items() if value == cursor]
        data = await client.execute(query, {"after": cursor})
        for node in data["helperCountries"]["nodes"]:
            if node["code"] not in same:
                continue
            page = node["organizationPage"]
            walked[node["code"]] += [o["name"] for o in page["nodes"]]
            totals[node["code"]] = page["totalCount"]
            if page["pageInfo"]["hasNextPage"]:
                after[node["code"]] = page["pageInfo"]["endCursor"]
            else:
                del after[node["code"]]
    assert walked == expected
    assert totals == {code: len(names) for code, names in expected.items()}


async def test_a_level_is_one_statement_whatever_its_length(demo_db: str, make_client) -> None:
    client = _client(make_client, demo_db)
    query = f"""query($first: Int!) {{ helperCountries(first: $first) {{ nodes {{
        organizations {{ {HELPER_ORGS} }} organizationPage(first: 2) {{ nodes {{ name }} }}
    }} }} }}"""
    counts = []
    for first in (2, 20):
        response = await client.post(query, {"first": first})
        assert "errors" not in response.json()
        counts.append(int(response.headers["x-sql-statements"]))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("MX", ["MX"]), ("mex", ["MX"]), (" gb ", ["GB"]), ("ZZ", []), ("M\x00", []), ("", [])],
)
async def test_country_code_filter(demo_db: str, make_client, code: str, expected: list) -> None:
    client = _client(make_client, demo_db)
    data = await client.execute(
        "query($code: String) { helperCountries(code: $code) { nodes { code } } }", {"code": code}
    )
    assert [c["code"] for c in data["helperCountries"]["nodes"]] == expected


CHECK = """mutation($input: HelperCheckInput!) { helperCheck(input: $input) {
    country { code } userErrors { code message field } } }"""


async def _check(client: GraphQLClient, **input: Any) -> dict[str, Any]:
    return (await client.execute(CHECK, {"input": input}))["helperCheck"]


async def test_user_errors_are_collected_with_one_message_each(demo_db: str, make_client) -> None:
    client = _client(make_client, demo_db).with_token(await token_for(demo_db, "staff"))
    ok = await _check(client, country="mex", title=" A title ", url=" https://example.org/x ")
    assert ok == {"country": {"code": "MX"}, "userErrors": []}

    wrong = await _check(client, country="XX", title="  ", url="example.org")
    assert wrong["country"] is None
    assert wrong["userErrors"] == [
        {"code": "REQUIRED", "message": "title must not be blank", "field": ["input", "title"]},
        {
            "code": "INVALID_URL",
            "message": "url must be an absolute http(s) URL",
            "field": ["input", "url"],
        },
        {
            "code": "UNKNOWN_COUNTRY",
            "message": "no country with ISO code 'XX'",
            "field": ["input", "country"],
        },
    ]
    long = await _check(client, country="MX", title="x" * 11, url="https://e.org/" + "a" * 30)
    assert [(e["code"], e["message"]) for e in long["userErrors"]] == [
        ("TOO_LONG", "title is longer than 10 characters"),
        ("TOO_LONG", "url is longer than 40 characters"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "javascript:alert(1)",
        "https://",
        "http:///path",
        "https://exa mple.org",
        "https://example.org/a\tb",
        "https://example.org/\x00",
        "https://[::1",
        "mailto:someone@example.org",
    ],
)
async def test_invalid_urls(demo_db: str, make_client, url: str) -> None:
    client = _client(make_client, demo_db).with_token(await token_for(demo_db, "staff"))
    errors = (await _check(client, country="MX", url=url))["userErrors"]
    assert [e["code"] for e in errors] == ["INVALID_URL"]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(url=st.text(max_size=45))
def test_url_check_never_fails_and_keeps_what_it_accepts(url: str) -> None:
    """Any text gets an answer (no exception); what passes is an http(s) URL with a host."""
    from urllib.parse import urlsplit

    from core import url_problem

    problem = url_problem(url, "url", 40)
    if problem is None:
        parts = urlsplit(url.strip())
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert not any(c.isspace() for c in url.strip())


def test_from_row_names_the_fields_it_cannot_fill() -> None:
    row = {"id": 1, "name": "x"}
    with pytest.raises(TypeError, match=r"HelperOrganization.*country_pk, website"):
        from_row(helpers_plugin.HelperOrganization, row)
    made = from_row(helpers_plugin.HelperOrganization, row, country_pk=None, website=None)
    assert (made.pk, made.name, made.note, made.country_pk) == (1, "x", "default kept", None)
