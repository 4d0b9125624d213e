"""Trusted documents (issue 11, point 4): with `trusted_documents` set, only the documents of the
manifest a front-end build writes run, by id (Relay, graphql-codegen, Apollo) or by identical
text; anything else is 400 `PERSISTED_QUERY_NOT_ALLOWED`. Through HTTP, on both databases.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import ConfigError
from core.testing import ClientFactory, GraphQLClient, token_for

COUNTRIES = "query Countries($first: Int!) { countries(first: $first) { id name } }"
GROUPS = "query Groups { workingGroups(first: 3) { edges { node { id slug name } } } }"
CREATE = (
    "mutation GroupCreate($input: WorkingGroupCreateInput!) "
    "{ workingGroupCreate(input: $input) { workingGroup { id slug } userErrors { code } } }"
)
NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def md5(document: str) -> str:  # Relay's persisted query ids are MD5 digests of the text
    return hashlib.md5(document.encode()).hexdigest()


@pytest.fixture
def relay_manifest(tmp_path: Path) -> Path:
    path = tmp_path / "persisted_queries.json"
    path.write_text(json.dumps({md5(doc): doc for doc in (COUNTRIES, GROUPS, CREATE)}))
    return path


@pytest.fixture
def codegen_manifest(tmp_path: Path) -> Path:
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps({sha256(doc): doc for doc in (COUNTRIES, GROUPS)}))
    return path


def trusted(make_client: ClientFactory, db: str, manifest: Path, **overrides: Any) -> GraphQLClient:
    return make_client(db, trusted_documents=str(manifest), rate_limits=False, **overrides)


async def post(client: GraphQLClient, body: Any) -> tuple[int, Any]:
    response = await client.http.post("/graphql", json=body)
    return response.status_code, response.json()


def refused(status: int, body: Any) -> bool:
    return status == 400 and [e["extensions"]["code"] for e in body["errors"]] == [NOT_ALLOWED]


async def test_documents_of_the_list_run_by_id_or_by_text(
    demo_db: str, make_client: ClientFactory, relay_manifest: Path, codegen_manifest: Path
) -> None:
    expected = await make_client(demo_db).execute(COUNTRIES, {"first": 2})
    relay = trusted(make_client, demo_db, relay_manifest)
    codegen = trusted(make_client, demo_db, codegen_manifest)
    variables = {"first": 2}
    apq = {"persistedQuery": {"version": 1, "sha256Hash": sha256(COUNTRIES)}}
    for client, body in [
        (relay, {"doc_id": md5(COUNTRIES), "variables": variables}),  # Relay's docs
        (relay, {"id": md5(COUNTRIES), "variables": variables}),
        (relay, {"documentId": md5(COUNTRIES), "variables": variables}),
        (relay, {"query": COUNTRIES, "variables": variables}),  # identical text
        (relay, {"extensions": apq, "variables": variables}),  # a hash of a listed text
        (codegen, {"documentId": sha256(COUNTRIES), "variables": variables}),
        (codegen, {"documentId": f"sha256:{sha256(COUNTRIES)}", "variables": variables}),
        (codegen, {"extensions": apq, "variables": variables}),  # graphql-codegen + Apollo
        (codegen, {"query": COUNTRIES, "documentId": sha256(COUNTRIES), "variables": variables}),
    ]:
        status, answer = await post(client, body)
        assert (status, answer.get("data")) == (200, expected), (body, answer)


async def test_everything_else_is_refused(
    demo_db: str, make_client: ClientFactory, relay_manifest: Path
) -> None:
    client = trusted(make_client, demo_db, relay_manifest)
    other = "{ countries(first: 1) { id } }"
    for body in [
        {"query": other},
        {"query": COUNTRIES + " "},  # not the same text
        {"query": "{ __schema { types { name } } }"},  # introspection too
        {"doc_id": md5(other)},
        {"documentId": "no-such-id"},
        {"doc_id": md5(COUNTRIES), "query": GROUPS},  # an id with another text
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(other)}}},
        {
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(other)}},
            "query": other,
        },
        {"documentId": 12},
    ]:
        status, answer = await post(client, body)
        assert refused(status, answer), (body, status, answer)
        assert "trusted" in answer["errors"][0]["message"].lower()


async def test_get_requests_are_judged_alike(
    demo_db: str, make_client: ClientFactory, codegen_manifest: Path
) -> None:
    client = trusted(make_client, demo_db, codegen_manifest)
    by_id = await client.http.get(
        "/graphql", params={"documentId": sha256(GROUPS), "operationName": "Groups"}
    )
    assert by_id.status_code == 200 and by_id.json()["data"]["workingGroups"]["edges"], by_id.text
    by_text = await client.http.get("/graphql", params={"query": GROUPS})
    assert by_text.json() == by_id.json()
    other = await client.http.get("/graphql", params={"query": "{ workingGroups { totalCount } }"})
    assert refused(other.status_code, other.json())
    broken = await client.http.get(
        "/graphql", params={"query": "{ workingGroups { totalCount } }", "extensions": "{"}
    )
    assert refused(broken.status_code, broken.json())


async def test_mutations_and_batches(
    demo_db: str, make_client: ClientFactory, relay_manifest: Path
) -> None:
    staff = await token_for(demo_db, "staff")
    client = trusted(make_client, demo_db, relay_manifest, batching=True).with_token(staff)
    group = {"name": "Trusted", "slug": "trusted-docs", "theme": "open_data"}
    status, answer = await post(client, {"doc_id": md5(CREATE), "variables": {"input": group}})
    assert status == 200, answer
    assert answer["data"]["workingGroupCreate"]["workingGroup"]["slug"] == "trusted-docs"

    listed = {"doc_id": md5(GROUPS)}
    status, answer = await post(client, [listed, {"query": COUNTRIES}])
    assert status == 200 and len(answer) == 2, answer
    status, answer = await post(client, [listed, {"query": "{ countries(first: 1) { code } }"}])
    assert refused(status, answer)  # one stranger refuses the whole batch: nothing ran


async def test_apollo_manifests_are_read(
    demo_db: str, make_client: ClientFactory, tmp_path: Path
) -> None:
    manifest = tmp_path / "persisted-query-manifest.json"
    operations = [{"id": sha256(GROUPS), "name": "Groups", "type": "query", "body": GROUPS}]
    manifest.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    client = trusted(make_client, demo_db, manifest)
    apq = {"persistedQuery": {"version": 1, "sha256Hash": sha256(GROUPS)}}
    status, answer = await post(client, {"extensions": apq})
    assert status == 200 and answer["data"]["workingGroups"], answer
    assert refused(*await post(client, {"query": COUNTRIES}))


async def test_off_by_default(empty_db: str, make_client: ClientFactory) -> None:
    status, answer = await post(
        make_client(empty_db), {"query": "{ countries(first: 1) { code } }"}
    )
    assert status == 200 and "errors" not in answer


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read it"),
        ("{", "not JSON"),
        ("[]", "expected"),
        ("{}", "no document"),
        ('{"a": 3}', "'a' is no text"),
        ('{"a": "query {"}', "document 'a'"),
        ('{"format": "apollo-persisted-query-manifest", "operations": 3}', "operations"),
    ],
)
def test_a_manifest_that_cannot_be_used_stops_start_up(
    database_url: str,
    make_client: ClientFactory,
    tmp_path: Path,
    content: str | None,
    expected: str,
) -> None:
    path = tmp_path / "manifest.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError) as raised:
        make_client(database_url, trusted_documents=str(path))
    assert "trusted_documents" in str(raised.value) and expected in str(raised.value)


# --- generated: nothing outside the list runs -----------------------------------------------------


@pytest.fixture
def probe(demo_db: str, make_client: ClientFactory, relay_manifest: Path) -> Any:
    client = trusted(make_client, demo_db, relay_manifest)
    loop = asyncio.new_event_loop()
    yield lambda body: loop.run_until_complete(post(client, body))
    loop.close()


def _edited(document: str) -> st.SearchStrategy[str]:
    """`document` with one character inserted, removed or replaced somewhere."""
    return st.tuples(
        st.integers(0, len(document) - 1), st.sampled_from("ir-"), st.characters()
    ).map(
        lambda e: (
            document[: e[0]] + (e[2] if e[1] in "ir" else "") + document[e[0] + (e[1] != "i") :]
        )
    )


BODIES = st.one_of(
    st.sampled_from([COUNTRIES, GROUPS, CREATE]).flatmap(_edited).map(lambda q: {"query": q}),
    st.text(max_size=80).map(lambda q: {"query": q}),
    st.sampled_from(["doc_id", "id", "documentId"]).flatmap(
        lambda key: st.text(min_size=1, max_size=70).map(lambda value: {key: value})
    ),
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).map(
        lambda h: {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": h}}}
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=BODIES)
def test_generated_requests_outside_the_list_never_run(probe: Any, body: dict[str, Any]) -> None:
    listed = {COUNTRIES, GROUPS, CREATE}
    ids = {md5(doc) for doc in listed} | {sha256(doc) for doc in listed}
    if body.get("query") in listed or set(map(str, body.values())) & ids:
        return  # a listed document, sent as it is: it may run
    status, answer = probe(body)
    if body.get("query") == "" or (isinstance(body.get("query"), str) and not body["query"]):
        assert status == 400  # no document at all: the endpoint's own 400, nothing runs
    else:
        assert refused(status, answer), (body, status, answer)
    assert "data" not in answer
