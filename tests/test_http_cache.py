"""Automatic persisted queries and ETag / 304, through HTTP against the app."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx

from core.http_cache import MAX_BODY, is_query_document
from core.testing import GraphQLClient

GROUPS = "{ workingGroups(first: 50) { nodes { id slug name } } }"
GROUP_UPDATE = """
mutation($input: WorkingGroupUpdateInput!) {
  workingGroupUpdate(input: $input) { workingGroup { name } userErrors { code } }
}"""


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def apq(digest: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(client: GraphQLClient, body: Any, **headers: str) -> httpx.Response:
    return await client.http.post("/graphql", json=body, headers=headers)


async def get(client: GraphQLClient, params: dict[str, str], **headers: str) -> httpx.Response:
    return await client.http.get("/graphql", params=params, headers=headers)


def answer(response: httpx.Response) -> Any:
    """The body without `extensions.cost` (every executed query reports it: core.limits)."""
    body = response.json()
    assert set(body.get("extensions", {})) <= {"cost"}, body
    body.pop("extensions", None)
    return body


def error_code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_apq_unknown_hash_is_not_found(client: GraphQLClient) -> None:
    response = await post(client, {"extensions": apq(sha(GROUPS))})
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    by_get = await get(client, {"extensions": json.dumps(apq(sha(GROUPS)))})
    assert by_get.status_code == 200 and error_code(by_get) == "PERSISTED_QUERY_NOT_FOUND"


async def test_apq_register_then_hash_only(client: GraphQLClient) -> None:
    expected = await client.execute(GROUPS)
    digest = sha(GROUPS)
    registered = await post(client, {"query": GROUPS, "extensions": apq(digest)})
    assert registered.status_code == 200 and answer(registered) == {"data": expected}

    by_post = await post(client, {"extensions": apq(digest)})
    assert by_post.status_code == 200 and answer(by_post) == {"data": expected}

    by_get = await get(client, {"extensions": json.dumps(apq(digest))})
    assert by_get.status_code == 200 and answer(by_get) == {"data": expected}

    # Variables and operationName travel with the hash; an upper-case hash is the same hash.
    named = "query One($slug: String!) { workingGroup(slug: $slug) { slug } }"
    variables = {"slug": "open-data"}
    await post(client, {"query": named, "variables": variables, "extensions": apq(sha(named))})
    one = await post(
        client,
        {"operationName": "One", "variables": variables, "extensions": apq(sha(named).upper())},
    )
    assert answer(one) == {"data": {"workingGroup": {"slug": "open-data"}}}
    one_get = await get(
        client, {"variables": json.dumps(variables), "extensions": json.dumps(apq(sha(named)))}
    )
    assert answer(one_get) == {"data": {"workingGroup": {"slug": "open-data"}}}


async def test_apq_registered_over_get(client: GraphQLClient) -> None:
    document = "{ themes { key } }"
    registered = await get(
        client, {"query": document, "extensions": json.dumps(apq(sha(document)))}
    )
    assert registered.status_code == 200 and "errors" not in registered.json()
    hash_only = await post(client, {"extensions": apq(sha(document))})
    assert hash_only.json() == registered.json()


async def test_apq_hash_mismatch_and_bad_versions(client: GraphQLClient) -> None:
    mismatch = await post(client, {"query": GROUPS, "extensions": apq(sha(GROUPS + " "))})
    assert mismatch.status_code == 400 and error_code(mismatch) == "PERSISTED_QUERY_HASH_MISMATCH"
    # Nothing was stored under the wrong hash.
    again = await post(client, {"extensions": apq(sha(GROUPS + " "))})
    assert error_code(again) == "PERSISTED_QUERY_NOT_FOUND"

    by_get = await get(
        client,
        {"query": GROUPS, "extensions": json.dumps(apq("0" * 64))},
        accept="application/json",
    )
    assert by_get.status_code == 400 and error_code(by_get) == "PERSISTED_QUERY_HASH_MISMATCH"

    unsupported = await post(client, {"query": GROUPS, "extensions": apq(sha(GROUPS), version=2)})
    assert error_code(unsupported) == "PERSISTED_QUERY_NOT_SUPPORTED"

    malformed = await post(client, {"extensions": apq("not-a-hash")})
    assert malformed.status_code == 400 and error_code(malformed) == "BAD_REQUEST"


async def test_request_body_limit(client: GraphQLClient) -> None:
    padding = "#" + "x" * MAX_BODY + "\n"
    response = await client.post(padding + "{ themes { key } }")
    assert response.status_code == 413 and error_code(response) == "PAYLOAD_TOO_LARGE"
    # a body this size passes; its bulk is a variable (a query is held to 15,000 characters)
    fits = await client.post("{ themes { key } }", {"padding": "x" * (MAX_BODY // 2)})
    assert fits.status_code == 200 and "errors" not in fits.json()


async def test_etag_and_not_modified(client: GraphQLClient) -> None:
    first = await client.post(GROUPS)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) == 34
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["vary"] == "Accept, Accept-Encoding, Accept-Language"
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()[:32]}"'

    second = await client.post(GROUPS)
    assert second.headers["etag"] == etag  # same data, same tag

    body = {"query": GROUPS, "variables": None}
    not_modified = await post(client, body, **{"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert not_modified.headers["cache-control"] == "no-cache"
    for listed in (f'"nope", W/{etag}', "*"):
        assert (await post(client, body, **{"if-none-match": listed})).status_code == 304
    stale = await post(client, body, **{"if-none-match": '"0123"'})
    assert stale.status_code == 200 and stale.json() == first.json()

    by_get = await get(client, {"query": GROUPS})
    assert by_get.headers["etag"] == etag
    by_get_304 = await get(client, {"query": GROUPS}, **{"if-none-match": etag})
    assert by_get_304.status_code == 304

    # A persisted query revalidates like the full document.
    await post(client, {"query": GROUPS, "extensions": apq(sha(GROUPS))})
    hashed = await post(client, {"extensions": apq(sha(GROUPS))}, **{"if-none-match": etag})
    assert hashed.status_code == 304


async def test_changed_data_changes_the_etag(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    before = await client.post(GROUPS)
    group = before.json()["data"]["workingGroups"]["nodes"][0]
    rename = {"input": {"id": group["id"], "name": group["name"] + " (renamed)"}}
    mutation = await client.post(GROUP_UPDATE, rename, token=role_tokens["staff"])
    assert mutation.json()["data"]["workingGroupUpdate"]["userErrors"] == []

    after = await post(client, {"query": GROUPS}, **{"if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    names = [g["name"] for g in after.json()["data"]["workingGroups"]["nodes"]]
    assert group["name"] + " (renamed)" in names


async def test_no_etag_for_mutations_credentials_or_errors(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    data = await client.execute('{ workingGroup(slug: "open-data") { id name } }')
    rename = {"input": {"id": data["workingGroup"]["id"], "name": "Open data"}}
    mutation = await client.post(GROUP_UPDATE, rename, token=role_tokens["staff"])
    assert mutation.status_code == 200 and "etag" not in mutation.headers
    assert "cache-control" not in mutation.headers

    # A query that could pick a mutation by operationName is not cacheable either.
    mixed = "query Q { themes { key } }\nmutation M { __typename }"
    picked = await post(client, {"query": mixed, "operationName": "Q"})
    assert picked.status_code == 200 and "etag" not in picked.headers

    signed_in = {"authorization": f"Bearer {role_tokens['member']}"}
    for headers in (signed_in, {"cookie": "session=1"}):
        response = await post(client, {"query": GROUPS}, **headers)
        assert response.status_code == 200 and "etag" not in response.headers
        by_get = await get(client, {"query": GROUPS}, **headers)
        assert by_get.status_code == 200 and "etag" not in by_get.headers

    failing = await client.post("{ workingGroups(first: 101) { totalCount } }")
    assert failing.json()["errors"] and "etag" not in failing.headers
    invalid = await client.post("{ nope }")
    assert "etag" not in invalid.headers
    mutation_by_get = await get(client, {"query": GROUP_UPDATE})
    assert mutation_by_get.status_code >= 400 and "etag" not in mutation_by_get.headers
    ide = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert "etag" not in ide.headers


def test_is_query_document() -> None:
    assert is_query_document("{ a }")
    assert is_query_document("  # mutation\n query Q { a }")
    assert is_query_document('query { a(text: "mutation { x }") }')
    assert is_query_document('query { a(text: """ # "" mutation """) }')
    assert is_query_document("fragment F on T { a } query { ...F }")
    assert is_query_document("\ufeff,{ mutationCount }")
    assert not is_query_document("mutation { a }")
    assert not is_query_document("subscription { a }")
    assert not is_query_document("# {\nmutation { a }")
    assert not is_query_document('query A { a(x: "#") } mutation B { b }')
    assert not is_query_document("queryX { a }")
    assert not is_query_document("")
