"""Authentication over HTTP (issue 8, point 1), on SQLite and PostgreSQL: no header is anonymous;
a token that is unknown, expired, revoked or sent wrongly is HTTP 401 with a GraphQL-shaped body
and RFC 6750's challenge, never an anonymous request; a good one is accepted and its use is
recorded at most once a minute."""

from __future__ import annotations

import asyncio
import hashlib
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from core.auth import middleware, tokens
from core.auth.tokens import LAST_USED_RESOLUTION
from core.compiled import kept
from core.db import Database, utcnow
from core.testing import ClientFactory, GraphQLClient, token_for

QUERY = "{ organizations(first: 3) { nodes { name } } }"
CHALLENGE = 'Bearer realm="ogp-wg", error="invalid_token", error_description="'


async def sql(url: str, statement: str, **params: Any) -> list[Any]:
    """Test set-up and inspection straight in the database (what no API may do)."""
    db = Database(url)
    try:
        async with db.write() as conn:
            result = await conn.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await db.dispose()


async def raw(
    client: GraphQLClient, headers: list[tuple[str, str]] | list[tuple[bytes, bytes]]
) -> httpx.Response:
    """POST QUERY with exactly these headers (repeats and raw bytes allowed)."""
    return await client.http.post("/graphql", json={"query": QUERY}, headers=headers)


def moment(url: str, value: datetime) -> datetime:
    """A UTC instant as a raw SQL parameter: SQLite stores naive UTC (core.db.UTCDateTime)."""
    return value.replace(tzinfo=None) if url.startswith("sqlite") else value


def assert_unauthenticated(response: httpx.Response, message: str | None = None) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"errors"} and len(body["errors"]) == 1, body
    error = body["errors"][0]
    assert set(error) == {"message", "extensions"}
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    if message is not None:
        assert error["message"] == message
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="ogp-wg", error="invalid_')
    assert challenge.endswith(f'error_description="{error["message"]}"')
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")


async def test_no_header_is_anonymous(client: GraphQLClient) -> None:
    response = await client.post(QUERY)
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert len(response.json()["data"]["organizations"]["nodes"]) == 3


async def test_every_role_token_is_accepted(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    assert set(role_tokens) == {"staff", "anchor", "member", "other"}
    for token in role_tokens.values():
        assert token.startswith("ogpwg_") and len(token) == 6 + 43
        data = await client.execute(QUERY, token=token)
        assert len(data["organizations"]["nodes"]) == 3
    signed_in = client.with_token(role_tokens["member"])
    assert len((await signed_in.execute(QUERY))["organizations"]["nodes"]) == 3


async def test_stored_as_sha256_only(demo_db: str) -> None:
    token = await token_for(demo_db, "member")
    rows = await sql(
        demo_db,
        "SELECT token_hash, prefix, scopes, expires_at FROM api_tokens WHERE name = 'test: member'",
    )
    assert len(rows) == 1
    token_hash, prefix, scopes, expires_at = rows[0]
    assert token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert prefix == token[:12] and token.startswith(prefix)
    assert scopes == "read write" and expires_at is not None
    every_text = await sql(demo_db, "SELECT * FROM api_tokens")
    assert not any(token in str(value) for row in every_text for value in row)


@pytest.mark.parametrize(
    ("header", "message", "error"),
    [
        ("Bearer ogpwg_" + "A" * 43, "The bearer token is not valid.", "invalid_token"),
        ("Bearer not-a-token", "The bearer token is not valid.", "invalid_token"),
        ("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "The bearer token is not valid.",
         "invalid_token"),
        ("Basic dXNlcjpwYXNz", None, "invalid_request"),
        ("Bearer", None, "invalid_request"),
        ("Bearer    ", None, "invalid_request"),
        ("Token ogpwg_abc", None, "invalid_request"),
        ("", None, "invalid_request"),
    ],
)  # fmt: skip
async def test_bad_credentials_are_401(
    client: GraphQLClient, header: str, message: str | None, error: str
) -> None:
    response = await raw(client, [("authorization", header)])
    assert_unauthenticated(response, message)
    assert f'error="{error}"' in response.headers["www-authenticate"]


async def test_two_authorization_headers_are_401(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    good = f"Bearer {role_tokens['staff']}"
    response = await raw(client, [("authorization", good), ("authorization", good)])
    assert_unauthenticated(response, "Send one Authorization header.")


async def test_non_ascii_header_is_401(client: GraphQLClient) -> None:
    response = await raw(client, [(b"authorization", b"Bearer ogpwg_\xff\xfe")])
    assert_unauthenticated(response, "The bearer token is not valid.")


async def test_graphql_response_media_type_keeps_401(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    response = await client.http.post(
        "/graphql",
        json={"query": QUERY},
        headers={
            "authorization": "Bearer ogpwg_nope",
            "accept": "application/graphql-response+json",
        },
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_get_requests_are_authenticated_too(client: GraphQLClient) -> None:
    response = await client.http.get(
        "/graphql", params={"query": QUERY}, headers={"authorization": "Bearer ogpwg_nope"}
    )
    assert_unauthenticated(response, "The bearer token is not valid.")


async def test_expired_token_is_401(client: GraphQLClient, demo_db: str) -> None:
    token = await token_for(demo_db, "anchor")
    assert (await client.post(QUERY, token=token)).status_code == 200
    past = datetime.now(UTC) - timedelta(days=2)
    await sql(
        demo_db,
        "UPDATE api_tokens SET created_at = :created, expires_at = :expires "
        "WHERE name = 'test: anchor'",
        created=moment(demo_db, past),
        expires=moment(demo_db, past + timedelta(days=1)),
    )
    assert_unauthenticated(await client.post(QUERY, token=token), "The bearer token has expired.")


async def test_revoked_token_is_401_at_once(client: GraphQLClient, demo_db: str) -> None:
    token = await token_for(demo_db, "staff")
    assert (await client.post(QUERY, token=token)).status_code == 200
    await sql(demo_db, "UPDATE api_tokens SET revoked_at = expires_at WHERE name = 'test: staff'")
    assert_unauthenticated(
        await client.post(QUERY, token=token), "The bearer token has been revoked."
    )


async def test_last_used_written_at_most_once_a_minute(
    client: GraphQLClient, demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await token_for(demo_db, "member")
    query = "SELECT last_used_at FROM api_tokens WHERE name = 'test: member'"
    assert (await sql(demo_db, query))[0][0] is None
    assert (await client.post(QUERY, token=token)).status_code == 200
    first = (await sql(demo_db, query))[0][0]
    assert first is not None
    for _ in range(3):
        assert (await client.post(QUERY, token=token)).status_code == 200
    assert (await sql(demo_db, query))[0][0] == first  # no write per request
    # Two minutes later by the server's clock (the worker remembers when it last wrote the
    # use, core.auth.known, so moving the database's copy alone proves nothing): the next
    # request records itself again, whichever path answers it.
    later = utcnow() + 2 * LAST_USED_RESOLUTION
    for module in (middleware, tokens, kept):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    assert (await client.post(QUERY, token=token)).status_code == 200
    stored = (await sql(demo_db, query))[0][0]
    if isinstance(stored, str):  # SQLite's raw text (naive UTC)
        stored = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    assert stored == later


async def test_concurrent_requests_with_one_token(client: GraphQLClient, demo_db: str) -> None:
    token = await token_for(demo_db, "other")
    responses = await asyncio.gather(*(client.post(QUERY, token=token) for _ in range(20)))
    assert [r.status_code for r in responses] == [200] * 20


HEADER_TEXT = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + "-._~+/= \t"), max_size=80
)


@pytest.mark.parametrize("prefix", ["Bearer ", "Bearer ogpwg_", "bearer ", ""])
def test_any_made_up_credentials_are_401(
    demo_db: str, make_client: ClientFactory, prefix: str
) -> None:
    """For every header value that is not an issued token: 401 UNAUTHENTICATED, never data."""
    client = make_client(demo_db)
    loop = asyncio.new_event_loop()

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(HEADER_TEXT)
    def check(rest: str) -> None:
        assert_unauthenticated(
            loop.run_until_complete(raw(client, [("authorization", prefix + rest)]))
        )

    try:
        check()
    finally:
        loop.run_until_complete(client.app.state.ogp.db.dispose())
        loop.close()
