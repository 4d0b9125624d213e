"""Bad input, generated (issue 8, point 7), on SQLite and PostgreSQL: hypothesis-graphql writes
queries AND mutations from the live schema (core and every installed plugin), valid ones
(`Mode.POSITIVE`: random arguments, nesting, aliases) and ones with one schema violation
(`Mode.NEGATIVE`), and each is sent by an anonymous caller, a member, an anchor and staff (the
demo roles, `core.testing.role_tokens`). Whatever the caller and the document:

- no 5xx status, and the body is JSON;
- no error with code INTERNAL_SERVER_ERROR (what a bug looks like to a client);
- nothing internal in any message: no traceback, no SQL, no driver name, no file path.

IDs are drawn mostly from real global IDs (every Node type x keys 1..60), so that mutations reach
the access rules and the writes, not only "not found". Rate limits are off (they would only turn
examples into 429s). Bounded for CI: a fixed seed and EXAMPLES documents per role and mode;
`make fuzz` runs many more with a random seed (`OGP_WG_FUZZ_EXAMPLES`).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema

from core import to_global_id
from core.testing import ClientFactory, GraphQLClient
from tests.faults_plugin import installed_with_faults

FUZZ_EXAMPLES = os.environ.get("OGP_WG_FUZZ_EXAMPLES")
EXAMPLES = int(FUZZ_EXAMPLES or 12)
"""Documents per role, mode and backend: 12 in CI (16 runs: about a minute per backend)."""
ROLES = ("anonymous", "member", "anchor", "staff")
INTERNAL = "INTERNAL_SERVER_ERROR"
LEAKS = {
    "a traceback": re.compile(r"Traceback \(most recent call last\)|File \"[^\"]*\", line \d+"),
    "SQL": re.compile(
        r"\b(SELECT\b.{0,300}\bFROM|INSERT INTO|UPDATE\b.{0,100}\bSET|DELETE FROM)\b"
        r"|\[SQL: |\[parameters: |sqlalche\.me|\b(sqlite3|asyncpg|psycopg2?|aiosqlite)\b"
        r"|IntegrityError|OperationalError|ProgrammingError|DataError|violates \w+ constraint",
        re.DOTALL,
    ),
    "a file path": re.compile(r"(/[\w.-]+)+\.py\b|site-packages|/usr/lib/|/work/|\\\\[\w]+\.py"),
}


def _dates(kind: str) -> st.SearchStrategy[graphql.StringValueNode]:
    """Dates and times around the demo data, and nonsense, as GraphQL literals."""
    moments = st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    )
    valid = moments.map(lambda m: m.date().isoformat() if kind == "Date" else m.isoformat())
    values = st.one_of(valid, st.text(max_size=12))
    return values.map(lambda v: graphql.StringValueNode(value=v))


def _ids(schema: graphql.GraphQLSchema) -> st.SearchStrategy[graphql.StringValueNode]:
    """Mostly real global IDs (every type implementing Node, keys 1..60), some made up."""
    node = schema.get_type("Node")
    types = sorted(t.name for t in schema.get_possible_types(node)) if node else []  # type: ignore[arg-type]
    real = st.builds(to_global_id, st.sampled_from(types), st.integers(1, 60)) if types else None
    made_up = st.one_of(st.text(max_size=16), st.integers(-5, 2**40).map(str))
    values = st.one_of(real, real, real, made_up) if real is not None else made_up
    return values.map(lambda v: graphql.StringValueNode(value=v))


class Caller:
    """One app over the demo database, called from synchronous hypothesis examples."""

    def __init__(self, url: str, token: str | None, installed: dict[str, object] | None = None):
        self.loop = asyncio.new_event_loop()
        self.factory = ClientFactory()
        client: GraphQLClient = self.factory(url, installed=installed, rate_limits=False)
        self.client = client.with_token(token)
        introspection = self.post(graphql.get_introspection_query(), None).json()
        self.schema = graphql.build_client_schema(introspection["data"])

    def post(self, document: str, accept: str | None) -> httpx.Response:
        headers = {"accept": accept} if accept else {}
        request = self.client.http.post("/graphql", json={"query": document}, headers=headers)
        return self.loop.run_until_complete(request)

    def close(self) -> None:
        self.loop.run_until_complete(self.factory.close())
        self.loop.close()


@pytest.fixture(params=ROLES)
def caller(
    request: pytest.FixtureRequest, demo_db: str, role_tokens: dict[str, str]
) -> Iterator[Caller]:
    caller = Caller(demo_db, role_tokens.get(request.param))
    yield caller
    caller.close()


def _messages(value: Any) -> Iterator[str]:
    """Every `message` string anywhere in `value` (userErrors inside `data` included)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "message" and isinstance(item, str):
                yield item
            else:
                yield from _messages(item)
    elif isinstance(value, list):
        for item in value:
            yield from _messages(item)


def assert_safe_answer(response: httpx.Response, document: str) -> None:
    """The rule of this module, for one response."""
    assert response.status_code < 500, (document, response.status_code, response.text[:1000])
    body = response.json()
    errors = body.get("errors") or []
    codes = [(e.get("extensions") or {}).get("code") for e in errors]
    assert INTERNAL not in codes, (document, errors)
    # What a client sees apart from the data it asked for: errors, extensions, user errors.
    outside_data = {k: v for k, v in body.items() if k != "data"}
    texts = [repr(outside_data), *_messages(body.get("data"))]
    for what, pattern in LEAKS.items():
        for text in texts:
            found = pattern.search(text)
            assert found is None, (f"{what} in a response", found.group(0), document, text[:1000])


def check_property(caller: Caller, mode: Mode, roots: list[str] | None = None) -> None:
    """EXAMPLES generated documents (one root field each, from `roots` or every root field),
    each answered safely (`assert_safe_answer`)."""
    schema = caller.schema
    fields = {**(schema.query_type.fields if schema.query_type else {})}
    fields |= schema.mutation_type.fields if schema.mutation_type else {}
    # A negative document breaks an argument: fields without any have nothing to break.
    names = sorted(name for name, f in fields.items() if f.args or mode is Mode.POSITIVE)
    scalars = {"Date": _dates("Date"), "DateTime": _dates("DateTime"), "ID": _ids(schema)}
    sdl = graphql.print_schema(schema)
    documents = st.sampled_from(roots or names).flatmap(
        lambda root: from_schema(sdl, fields=[root], custom_scalars=scalars, mode=mode)
    )
    accepts = st.sampled_from([None, "application/graphql-response+json"])

    @settings(
        max_examples=EXAMPLES,
        derandomize=FUZZ_EXAMPLES is None,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(document=documents, accept=accepts)
    def check(document: str, accept: str | None) -> None:
        assert_safe_answer(caller.post(document, accept), document)

    check()


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_operations_never_make_a_server_error(caller: Caller, mode: Mode) -> None:
    check_property(caller, mode)


def test_the_property_finds_a_server_error(demo_db: str, role_tokens: dict[str, str]) -> None:
    """The check is not vacuous: with the test-only `faults` plugin, whose fields raise, the
    generated documents that reach them fail it with INTERNAL_SERVER_ERROR."""
    caller = Caller(demo_db, role_tokens["staff"], installed=installed_with_faults())
    try:
        with pytest.raises(AssertionError, match=INTERNAL):
            check_property(caller, Mode.POSITIVE, roots=["faults"])
    finally:
        caller.close()
