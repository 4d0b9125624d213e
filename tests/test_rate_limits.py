"""Rate limits per client address and per token (issue 8, point 3), on SQLite and PostgreSQL,
counted in memory and in Redis (the real one on 127.0.0.1:6379: no mocks).

Spent: HTTP 429 with Retry-After and a GraphQL-shaped RATE_LIMITED error, nothing executed. A
mutation costs more than a query. Several workers sharing Redis share the counts. Every route
is charged but the probes (the iCalendar feeds too); over WebSocket (a real uvicorn serving the
app), the connection and each `subscribe`: a handshake over the limit is an HTTP 429, a
`subscribe` over it an `error` message RATE_LIMITED.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from core.config import ConfigError
from core.testing import ClientFactory, GraphQLClient
from tests.test_subscriptions import GROUP_ACTIVITY, demo_ids, serving, socket

REDIS = "redis://127.0.0.1:6379"
STORAGES = ["memory", "redis"]
QUERY = "{ themes { key } }"
GROUP = "{ workingGroups(first: 1) { nodes { id description } } }"
UPDATE = """mutation($input: WorkingGroupUpdateInput!) {
  workingGroupUpdate(input: $input) { workingGroup { description } userErrors { code } } }"""


def limits(storage: str, **settings: Any) -> dict[str, Any]:
    """Settings for rate limits counted in `storage`, with keys no other test (or run) shares."""
    chosen = {"rate_limit_storage": REDIS} if storage == "redis" else {}
    return {"rate_limit_key_prefix": f"test-{uuid.uuid4().hex}", **chosen, **settings}


def from_address(client: GraphQLClient, address: str, token: str | None = None) -> GraphQLClient:
    """A client of the same app connecting from another address."""
    transport = httpx.ASGITransport(app=client.app, client=(address, 4321))
    headers = {"authorization": f"Bearer {token}"} if token else {}
    http = httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers)
    return GraphQLClient(http, client.app)


def assert_rate_limited(response: httpx.Response) -> int:
    """A 429 as the module's docstring says; returns its Retry-After (seconds)."""
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert "data" not in body  # nothing was executed
    assert body["errors"] == [
        {
            "message": f"Too many requests: try again in {retry_after} s.",
            "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
        }
    ]
    return retry_after


@pytest.mark.parametrize("storage", STORAGES)
async def test_an_address_over_its_points_gets_429(
    empty_db: str, make_client: ClientFactory, storage: str
) -> None:
    client = make_client(empty_db, **limits(storage, rate_limit_per_ip=5))
    for _ in range(5):
        assert (await client.execute(QUERY))["themes"]
    assert_rate_limited(await client.post(QUERY))
    assert_rate_limited(await client.http.get("/graphql", params={"query": QUERY}))
    # another address has its own points; health checks are not counted
    assert (await from_address(client, "10.0.0.2").execute(QUERY))["themes"]
    assert (await client.http.get("/healthz")).status_code == 200


@pytest.mark.parametrize("storage", STORAGES)
async def test_a_token_has_its_own_points(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str], storage: str
) -> None:
    """Per token, whatever address it comes from; guessed tokens spend the guesser's points."""
    client = make_client(demo_db, **limits(storage, rate_limit_per_token=3))
    staff, member = role_tokens["staff"], role_tokens["member"]
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert (await from_address(client, address, staff).execute(QUERY))["themes"]
    assert_rate_limited(await from_address(client, "10.0.0.4", staff).post(QUERY))
    assert (await from_address(client, "10.0.0.4", member).execute(QUERY))["themes"]
    assert (await from_address(client, "10.0.0.4").execute(QUERY))["themes"]  # anonymous
    guesser = from_address(client, "10.0.0.5", "ogpwg_guessed")
    for _ in range(3):
        assert (await guesser.post(QUERY)).status_code == 401
    assert_rate_limited(await guesser.post(QUERY))


@pytest.mark.parametrize("storage", STORAGES)
async def test_a_mutation_costs_more_and_a_refused_one_does_not_run(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str], storage: str
) -> None:
    settings = limits(
        storage, rate_limit_per_ip=25, rate_limit_mutation_cost=10, rate_limit_query_cost=1
    )
    client = make_client(demo_db, **settings).with_token(role_tokens["staff"])
    group = (await client.execute(GROUP))["workingGroups"]["nodes"][0]  # 1 point: 24 left
    for text in ("first", "second"):  # 10 points each: 4 left
        data = await client.execute(UPDATE, {"input": {"id": group["id"], "description": text}})
        assert data["workingGroupUpdate"] == {
            "workingGroup": {"description": text},
            "userErrors": [],
        }
    third = {"input": {"id": group["id"], "description": "third"}}
    assert_rate_limited(await client.post(UPDATE, third))  # 10 > 4: refused, not run
    for _ in range(3):  # a query still fits: 1 point each (the refused mutation took 1)
        assert (await client.execute(GROUP))["workingGroups"]["nodes"][0] == {
            "id": group["id"],
            "description": "second",
        }
    assert_rate_limited(await client.post(QUERY))


async def test_workers_sharing_redis_share_the_counts(
    empty_db: str, make_client: ClientFactory
) -> None:
    settings = limits("redis", rate_limit_per_ip=4)
    one, two = make_client(empty_db, **settings), make_client(empty_db, **settings)
    for client in (one, two, one, two):
        assert (await client.execute(QUERY))["themes"]
    assert_rate_limited(await one.post(QUERY))
    assert_rate_limited(await two.post(QUERY))


async def test_workers_counting_in_memory_count_apart(
    empty_db: str, make_client: ClientFactory
) -> None:
    settings = limits("memory", rate_limit_per_ip=2)
    one, two = make_client(empty_db, **settings), make_client(empty_db, **settings)
    for client in (one, one, two, two):
        assert (await client.execute(QUERY))["themes"]
    assert_rate_limited(await one.post(QUERY))


async def test_redis_down_serves_requests_uncounted(
    empty_db: str, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(
        empty_db, rate_limit_storage="redis://127.0.0.1:9", rate_limit_per_ip=1
    )  # nothing listens on port 9
    with caplog.at_level(logging.WARNING, logger="ogp_wg"):
        for _ in range(3):
            assert (await client.execute(QUERY))["themes"]
    assert any("rate limit storage unavailable" in r.getMessage() for r in caplog.records)


def test_an_unusable_storage_url_stops_start_up(empty_db: str, make_client: ClientFactory) -> None:
    with pytest.raises(ConfigError, match=r"rate_limit_storage 'ftp://example\.org'"):
        make_client(empty_db, rate_limit_storage="ftp://example.org")


async def test_rate_limits_can_be_off(empty_db: str, make_client: ClientFactory) -> None:
    client = make_client(empty_db, rate_limits=False, rate_limit_per_ip=1)
    for _ in range(5):
        assert (await client.execute(QUERY))["themes"]


def test_the_defaults() -> None:
    from core.config import load_settings

    settings = load_settings(environ={}, config={})
    assert (settings.rate_limits, settings.rate_limit_storage) == (True, None)
    assert (settings.rate_limit_per_ip, settings.rate_limit_per_token) == (6_000, 3_000)
    assert (settings.rate_limit_query_cost, settings.rate_limit_mutation_cost) == (1, 10)


async def test_each_operation_of_a_batch_is_counted(
    empty_db: str, make_client: ClientFactory
) -> None:
    """A batch costs what its operations cost: the request's point covers the first."""
    client = make_client(empty_db, **limits("memory", rate_limit_per_ip=3), batching=True)
    batch = [{"query": QUERY}] * 5
    response = await client.http.post("/graphql", json=batch)
    results = response.json()
    assert [
        ("data" in r, r.get("errors", [{}])[0].get("extensions", {}).get("code")) for r in results
    ] == [
        (True, None),
        (True, None),
        (True, None),
        (False, "RATE_LIMITED"),
        (False, "RATE_LIMITED"),
    ]
    assert_rate_limited(await client.post(QUERY))


# --- every route but the probes; WebSocket connections and their `subscribe` messages --------


@pytest.mark.parametrize("storage", STORAGES)
async def test_calendar_feeds_and_other_routes_are_charged_but_not_the_probes(
    demo_db: str, make_client: ClientFactory, storage: str
) -> None:
    client = make_client(demo_db, **limits(storage, rate_limit_per_ip=4))
    feeds = ["/groups/open-data/meetings.ics", "/meetings/TWVldGluZzox.ics", "/calendar/x.ics"]
    for path in feeds:
        assert (await client.http.get(path)).status_code != 429, path
    assert (await client.execute(QUERY))["themes"]  # the 4th point
    for path in [*feeds, "/graphql/possible-types"]:
        assert_rate_limited(await client.http.get(path))
    assert_rate_limited(await client.post(QUERY))
    for probe in ("/healthz", "/readyz", "/metrics"):  # never charged, never refused
        for _ in range(3):
            assert (await client.http.get(probe)).status_code != 429, probe


@pytest.mark.parametrize("storage", STORAGES)
async def test_websocket_connections_and_subscribe_messages_are_charged(
    demo_db: str,
    make_client: ClientFactory,
    role_tokens: dict[str, str],
    storage: str,
    tmp_path: Path,
) -> None:
    """A connection costs a query's points, each `subscribe` as much again: one that does not
    fit gets an `error` message RATE_LIMITED (the connection goes on); a connection that does
    not fit is refused at the handshake with HTTP 429 and Retry-After. The token given at
    `connection_init` is charged as it is over HTTP."""
    app = make_client(demo_db, **limits(storage, rate_limit_per_ip=4, rate_limit_per_token=3)).app
    group, _ = await demo_ids(demo_db)
    async with serving(app, tmp_path) as server, socket(server) as ws:  # 1 point
        assert (await ws.init())["type"] == "connection_ack"
        # 3 more points fit, the 4th does not
        ops = [await ws.subscribe(GROUP_ACTIVITY, {"id": group}) for _ in range(4)]
        refusal = await ws.receive()
        assert refusal["type"] == "error" and refusal["id"] == ops[-1], refusal
        [error] = refusal["payload"]
        retry_after = error["extensions"]["retryAfter"]
        assert 1 <= retry_after <= 60
        assert error == {
            "message": f"Too many requests: try again in {retry_after} s.",
            "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
        }
        await ws.send({"type": "ping"})  # the connection and its subscriptions go on
        assert await ws.receive() == {"type": "pong"}
        url = server.base_url.replace("http://", "ws://") + "/graphql"
        with pytest.raises(InvalidStatus) as refused:
            await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        response = refused.value.response
        assert response.status_code == 429
        assert 1 <= int(response.headers["retry-after"]) <= 60
        body = orjson.loads(response.body)
        assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"

    # the token of `connection_init`: its own points, shared with HTTP's header
    settings = limits(storage, rate_limit_per_token=3)
    staff = role_tokens["staff"]
    async with serving(make_client(demo_db, **settings).app, tmp_path) as server:
        async with socket(server) as ws:
            assert (await ws.init(staff))["type"] == "connection_ack"
            ops = [await ws.subscribe(GROUP_ACTIVITY, {"id": group}) for _ in range(4)]
            refusal = await ws.receive()
            assert refusal["id"] == ops[-1] and refusal["type"] == "error", refusal
            assert refusal["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            headers = {"authorization": f"Bearer {staff}"}
            assert_rate_limited(await http.post("/graphql", json={"query": QUERY}, headers=headers))
            assert (await http.post("/graphql", json={"query": QUERY})).status_code == 200
