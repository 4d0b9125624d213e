"""GraphQL subscriptions over graphql-transport-ws (issue 9, section 5), against real servers.

A client speaking the protocol (the `websockets` package: the same frames the npm `graphql-ws`
client sends) connects to `ogp-wg serve` on /graphql, authenticates at `connection_init`, and
subscribes; mutations are sent over HTTP, as a front end does:

- one server, both databases (SQLite: in-process delivery; PostgreSQL: the worker's LISTEN):
  `meetingChanged` after a registration and an edit, `groupActivity` after a workflow's event,
  and an event the viewer may not see never sent;
- two servers sharing one PostgreSQL database: subscribed on one, the mutation on the other;
- the protocol's refusals: a refused token (4403), `subscribe` before `connection_init` (4401),
  a query over the socket, an unknown meeting, more than the subscriptions a connection may
  hold; and the `ogp_wg_subscriptions_open` gauge;
- the limits of issue 8 over the socket: every abuse case of tests/test_limits_server.py (its
  CASES, HTTP's list) sent as a `subscribe` is answered with an `error` message carrying the
  code HTTP answers (the cases judged at execution, cost and `first`, in a subscription's
  shape too), and the connection goes on;
- production mode over the socket: no suggestions, a code on every error, an internal error in
  a `next` masked with the connection's request ID as `extensions.correlationId` (in-process
  uvicorn serving an app with tests/faults_plugin.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from sqlalchemy import select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from core.activity.services import record
from core.activity.websocket import MAX_SUBSCRIPTIONS_PER_CONNECTION
from core.db import Database
from core.models import Registration
from core.schema.ids import from_global_id, to_global_id
from core.testing import ClientFactory, token_for
from tests import faults_plugin
from tests.server_process import LiveServer, free_port, running_server
from tests.test_limits_server import CASES

pytestmark = pytest.mark.slow  # each test starts one or two `ogp-wg serve` processes
WAIT = 15.0
"""Seconds an expected message may take (a loaded CI machine)."""
QUIET = 1.5
"""Seconds during which no message must come, when none is expected."""
MEETING_CHANGED = """subscription($id: ID!) { meetingChanged(meetingId: $id) {
  id title registeredCount remainingPlaces } }"""
GROUP_ACTIVITY = """subscription($id: ID!) { groupActivity(groupId: $id) {
  id verb summary actor { id } subject { __typename id } } }"""
SCHEDULE = """mutation($input: MeetingScheduleInput!) {
  meetingSchedule(input: $input) { meeting { id registeredCount remainingPlaces } userErrors { code } } }"""
UPDATE = """mutation($input: MeetingUpdateInput!) {
  meetingUpdate(input: $input) { meeting { id } userErrors { code } } }"""
REGISTER = """mutation($m: ID!, $p: ID!) {
  registrationCreate(input: {meetingId: $m, personId: $p}) { registration { id } userErrors { code } } }"""


class Socket:
    """One graphql-transport-ws connection."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = 0

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, timeout: float = WAIT) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        return message

    async def init(self, token: str | None = None) -> dict[str, Any]:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await self.send({"type": "connection_init", "payload": payload})
        return await self.receive()

    async def subscribe(self, query: str, variables: dict[str, Any]) -> str:
        self.ids += 1
        op = str(self.ids)
        await self.send(
            {"id": op, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
        return op

    async def next(self, op: str) -> dict[str, Any]:
        """The data of the next `next` message (of operation `op`)."""
        message = await self.receive()
        assert message["type"] == "next" and message["id"] == op, message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def collect(self, counts: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
        """The data of the next `next` messages: `counts[op]` of each operation, in whatever
        order the operations' messages interleave."""
        got: dict[str, list[dict[str, Any]]] = {op: [] for op in counts}
        while any(len(got[op]) < n for op, n in counts.items()):
            message = await self.receive()
            assert message["type"] == "next" and message["id"] in counts, message
            assert "errors" not in message["payload"], message
            got[message["id"]].append(message["payload"]["data"])
        return got

    async def silent(self) -> None:
        with pytest.raises(TimeoutError):
            message = await self.receive(QUIET)
            print("unexpected:", message)

    async def closed_with(self) -> int:
        with pytest.raises(ConnectionClosed) as closed:
            await self.receive()
        assert closed.value.rcvd is not None
        return closed.value.rcvd.code


@asynccontextmanager
async def socket(server: LiveServer, **headers: str) -> AsyncIterator[Socket]:
    url = server.base_url.replace("http://", "ws://") + "/graphql"
    async with connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers=headers,
        max_size=None,
    ) as ws:
        assert ws.subprotocol == "graphql-transport-ws"
        yield Socket(ws)


@asynccontextmanager
async def serving(app: Any, tmp_path: Path) -> AsyncIterator[LiveServer]:
    """`app` (e.g. `make_client(...).app`) served by uvicorn in this test's event loop, as
    `ogp-wg serve` serves it (lifespan included), on a free port."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), task.result()
            await asyncio.sleep(0.02)
        yield LiveServer(None, f"http://127.0.0.1:{port}", tmp_path / "unused.log")  # type: ignore[arg-type]
    finally:
        server.should_exit = True
        await task


def gql(server: LiveServer, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        server.graphql,
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def schedule(server: LiveServer, token: str, group: str, capacity: int = 3) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=50)
    values = {
        "groupId": group,
        "title": "Subscribed meeting",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Madrid",
        "capacity": capacity,
        "onlineUrl": "https://example.org/join",
    }
    payload = gql(server, token, SCHEDULE, {"input": values})["meetingSchedule"]
    assert payload["userErrors"] == []
    meeting: dict[str, Any] = payload["meeting"]
    return meeting


async def demo_ids(url: str) -> tuple[str, list[str]]:
    """The open-data group's global ID and the IDs of three demo people."""
    from core.models import Person, WorkingGroup

    db = Database(url)
    try:
        async with db.read() as conn:
            group = await conn.scalar(
                select(WorkingGroup.id).where(WorkingGroup.slug == "open-data")
            )
            people = (await conn.scalars(select(Person.id).order_by(Person.id).limit(3))).all()
    finally:
        await db.dispose()
    return to_global_id("WorkingGroup", group), [to_global_id("Person", p) for p in people]


async def hidden_and_public_events(url: str, group_gid: str) -> tuple[int, int]:
    """Record an event about a registration (hidden from anonymous) then a public one."""
    group = from_global_id(group_gid)[1]  # type: ignore[index]
    db = Database(url)
    try:
        async with db.read() as conn:
            reg = await conn.scalar(select(Registration.id).order_by(Registration.id))
        assert reg is not None
        async with db.write() as conn:
            hidden = await record(
                conn,
                verb="MEETING_CHANGED",
                subject_type="Registration",
                subject_id=reg,
                summary="private",
                group_id=group,
            )
        async with db.write() as conn:
            public = await record(
                conn,
                verb="GROUP_DECISION",
                subject_type="WorkingGroup",
                subject_id=group,
                summary="public",
                group_id=group,
            )
    finally:
        await db.dispose()
    return hidden, public


async def test_subscriptions_on_one_server(demo_db: str, tmp_path: Path) -> None:
    staff = await token_for(demo_db, "staff")
    group, people = await demo_ids(demo_db)
    with running_server(demo_db, tmp_path) as server:
        meeting = schedule(server, staff, group, capacity=3)
        async with socket(server) as ws, socket(server) as anonymous:
            assert await ws.init(staff) == {"type": "connection_ack"}
            assert await anonymous.init() == {"type": "connection_ack"}
            places = await ws.subscribe(MEETING_CHANGED, {"id": meeting["id"]})
            feed = await ws.subscribe(GROUP_ACTIVITY, {"id": group})
            public_feed = await anonymous.subscribe(GROUP_ACTIVITY, {"id": group})
            assert await gauge(server, 3)  # the subscriptions are listening

            # a registration: the meeting's places, no activity event
            registered = gql(server, staff, REGISTER, {"m": meeting["id"], "p": people[0]})
            assert registered["registrationCreate"]["userErrors"] == []
            changed = (await ws.next(places))["meetingChanged"]
            assert changed == {
                "id": meeting["id"],
                "title": "Subscribed meeting",
                "registeredCount": 1,
                "remainingPlaces": 2,
            }

            # an edit: the meeting again, and the group's MEETING_CHANGED event to both
            gql(server, staff, UPDATE, {"input": {"id": meeting["id"], "title": "Renamed"}})
            events = {}
            for _ in range(2):
                message = await ws.receive()
                assert message["type"] == "next", message
                events[message["id"]] = message["payload"]["data"]
            assert events[places]["meetingChanged"]["title"] == "Renamed"
            event = events[feed]["groupActivity"]
            assert event["verb"] == "MEETING_CHANGED" and "Renamed" in event["summary"]
            assert event["subject"] == {"__typename": "Meeting", "id": meeting["id"]}
            assert event["actor"] is not None
            assert (await anonymous.next(public_feed))["groupActivity"] == event

            # an event the anonymous viewer may not see is not sent to them. Recorded by this
            # test's process (on SQLite it signals no server), then a workflow's event through
            # the server: each subscription reads every new event it may see, in order.
            hidden, public = await hidden_and_public_events(demo_db, group)
            gql(server, staff, UPDATE, {"input": {"id": meeting["id"], "title": "Again"}})
            got = await ws.collect({places: 1, feed: 3})
            assert got[places][0]["meetingChanged"]["title"] == "Again"
            ids = [to_global_id("ActivityEvent", pk) for pk in (hidden, public)]
            anonymous_got = [(await anonymous.next(public_feed))["groupActivity"] for _ in range(2)]
            assert anonymous_got[0]["id"] == ids[1] and anonymous_got[0]["summary"] == "public"
            assert anonymous_got[1]["verb"] == "MEETING_CHANGED"
            staff_got = [data["groupActivity"]["id"] for data in got[feed]]
            assert staff_got == [*ids, anonymous_got[1]["id"]]
            await anonymous.silent()

            # completing one subscription stops it; the others go on
            await ws.send({"id": places, "type": "complete"})
            gql(server, staff, UPDATE, {"input": {"id": meeting["id"], "title": "Once more"}})
            assert (await ws.next(feed))["groupActivity"]["verb"] == "MEETING_CHANGED"
            await ws.silent()


async def test_two_servers_share_postgresql(demo_db: str, tmp_path: Path) -> None:
    """Subscribed on one server, the mutation on another: delivered through LISTEN/NOTIFY."""
    if not demo_db.startswith("postgresql"):
        pytest.skip("two servers share a PostgreSQL database (SQLite is one process)")
    staff = await token_for(demo_db, "staff")
    group, people = await demo_ids(demo_db)
    with running_server(demo_db, tmp_path) as one, running_server(demo_db, tmp_path) as other:
        meeting = schedule(other, staff, group, capacity=2)
        async with socket(one) as ws:
            assert (await ws.init(staff))["type"] == "connection_ack"
            places = await ws.subscribe(MEETING_CHANGED, {"id": meeting["id"]})
            feed = await ws.subscribe(GROUP_ACTIVITY, {"id": group})
            assert await gauge(one, 2)  # the subscriptions are listening
            gql(other, staff, REGISTER, {"m": meeting["id"], "p": people[1]})
            changed = (await ws.next(places))["meetingChanged"]
            assert (changed["registeredCount"], changed["remainingPlaces"]) == (1, 1)
            second = schedule(other, staff, group)
            event = (await ws.next(feed))["groupActivity"]
            assert event["verb"] == "MEETING_SCHEDULED"
            assert event["subject"] == {"__typename": "Meeting", "id": second["id"]}
            # a transaction that rolls back signals nothing: a refused registration
            refused = httpx.post(
                other.graphql,
                json={"query": REGISTER, "variables": {"m": meeting["id"], "p": people[1]}},
                headers={"authorization": f"Bearer {staff}"},
            ).json()
            assert refused["data"]["registrationCreate"]["userErrors"] == [
                {"code": "DUPLICATE_REGISTRATION"}
            ]
            await ws.silent()


async def test_protocol_refusals_and_gauge(demo_db: str, tmp_path: Path) -> None:
    group, _ = await demo_ids(demo_db)
    with running_server(demo_db, tmp_path) as server:
        async with socket(server) as ws:  # a token that is not valid: 4403 Forbidden
            await ws.send(
                {"type": "connection_init", "payload": {"authorization": "Bearer ogpwg_nope"}}
            )
            assert await ws.closed_with() == 4403
        async with socket(server) as ws:  # subscribe before connection_init: 4401
            await ws.subscribe(GROUP_ACTIVITY, {"id": group})
            assert await ws.closed_with() == 4401
        async with socket(server) as ws:
            assert (await ws.init())["type"] == "connection_ack"
            op = await ws.subscribe("{ themes { key } }", {})
            refusal = await ws.receive()
            assert refusal["type"] == "error" and refusal["id"] == op
            assert refusal["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
            op = await ws.subscribe(MEETING_CHANGED, {"id": to_global_id("Meeting", 999999)})
            missing = await ws.receive()
            assert missing["id"] == op, missing
            errors = (
                missing["payload"] if missing["type"] == "error" else missing["payload"]["errors"]
            )
            assert [e["extensions"]["code"] for e in errors] == ["NOT_FOUND"]
            if missing["type"] == "next":
                assert (await ws.receive()) == {"id": op, "type": "complete"}

            ops = [
                await ws.subscribe(GROUP_ACTIVITY, {"id": group})
                for _ in range(MAX_SUBSCRIPTIONS_PER_CONNECTION)
            ]
            over = await ws.subscribe(GROUP_ACTIVITY, {"id": group})
            refusal = await ws.receive()
            assert refusal["type"] == "error" and refusal["id"] == over
            assert "limit" in refusal["payload"][0]["message"].lower()
            assert await gauge(server, len(ops)), "subscriptions_open never counted them"
        assert await gauge(server, 0), "subscriptions_open did not come back to 0"


async def gauge(server: LiveServer, value: int) -> bool:
    """Whether /metrics shows `ogp_wg_subscriptions_open` at `value` within WAIT seconds
    (subscriptions start and end asynchronously to the messages the client sees)."""
    expected = f"ogp_wg_subscriptions_open {float(value)}"
    for _ in range(int(WAIT / 0.25)):
        lines = httpx.get(f"{server.base_url}/metrics").text.splitlines()
        if expected in lines:
            return True
        await asyncio.sleep(0.25)
    return False


# --- issue 8 over the socket: limits, production mode ----------------------------------------

AT_EXECUTION = {"QUERY_TOO_COSTLY"}
"""Codes judged when the operation is about to run (core.limits.extension, on_execute): a
query sent over the socket is refused before that (BAD_REQUEST: queries go through HTTP)."""
EXECUTION_CODES = {
    # The cases judged with the variables' values, in a subscription's shape.
    "QUERY_TOO_COSTLY": "subscription($id: ID!) { meetingChanged(meetingId: $id) { group { "
    + " ".join(
        f"m{i}: meetings(first: 100) {{ nodes {{ group {{ meetings(first: 100) {{"
        " nodes { title } } } } }"
        for i in range(6)
    )
    + " } } }",
    "INVALID_ARGUMENT": "subscription($id: ID!, $first: Int = 100000) { meetingChanged("
    "meetingId: $id) { group { meetings(first: $first) { nodes { title } } } } }",
}
OVER_WS = [
    (what, orjson.loads(body)["query"], code)
    for what, body, status, code in CASES
    if status == 200  # the others are refusals of an HTTP body (413, bad JSON: 400)
]


def codes_of(message: dict[str, Any]) -> list[str]:
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


async def test_every_limit_holds_over_the_socket(
    demo_db: str, make_client: ClientFactory, tmp_path: Path
) -> None:
    """Each of HTTP's abuse cases, sent as a `subscribe`: an `error` message with HTTP's code,
    at once, and the connection serves a good subscription after them all."""
    assert {code for _, _, code in OVER_WS} >= set(EXECUTION_CODES) >= AT_EXECUTION
    group, _ = await demo_ids(demo_db)
    meeting = to_global_id("Meeting", 1)
    async with serving(make_client(demo_db).app, tmp_path) as server, socket(server) as ws:
        assert (await ws.init())["type"] == "connection_ack"
        for what, query, code in OVER_WS:
            op = await ws.subscribe(query, {})
            answer = await ws.receive(timeout=5)
            assert answer["id"] == op, (what, answer)
            # HTTP's code; or, for a query whose refusal waits for execution, BAD_REQUEST (the
            # subscriptions of EXECUTION_CODES are refused with the code itself)
            allowed = [[code], ["BAD_REQUEST"]] if code in AT_EXECUTION else [[code]]
            assert codes_of(answer) in allowed, (what, answer)
            assert answer["payload"][0]["message"] != "Internal server error", what
        for code, query in EXECUTION_CODES.items():
            op = await ws.subscribe(query, {"id": meeting})
            answer = await ws.receive(timeout=5)
            assert answer["id"] == op and codes_of(answer) == [code], answer
            if code == "QUERY_TOO_COSTLY":
                cost = answer["payload"][0]["extensions"]["cost"]
                assert cost["requestedNodes"] > cost["limit"] == 50_000, answer
        # nothing was left running, and the connection still serves a subscription
        feed = await ws.subscribe(GROUP_ACTIVITY, {"id": group})
        staff = await token_for(demo_db, "staff")
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            assert await listening(server, 1)
            scheduled = await schedule_async(http, staff, group)
        event = (await ws.next(feed))["groupActivity"]
        assert event["verb"] == "MEETING_SCHEDULED" and event["subject"]["id"] == scheduled["id"]


async def schedule_async(http: httpx.AsyncClient, token: str, group: str) -> dict[str, Any]:
    """`schedule`, from a test whose server runs in its own event loop."""
    start = datetime.now(UTC) + timedelta(days=50)
    values = {
        "groupId": group,
        "title": "Subscribed meeting",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Madrid",
        "capacity": 3,
        "onlineUrl": "https://example.org/join",
    }
    response = await http.post(
        "/graphql",
        json={"query": SCHEDULE, "variables": {"input": values}},
        headers={"authorization": f"Bearer {token}"},
    )
    payload = response.json()["data"]["meetingSchedule"]
    assert payload["userErrors"] == [], payload
    meeting: dict[str, Any] = payload["meeting"]
    return meeting


FAULTY = """subscription($id: ID!) { meetingChanged(meetingId: $id) { id
  group { anchors { organization { country { code faultLookup } } } } } }"""


async def test_production_mode_over_the_socket(
    demo_db: str, make_client: ClientFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """As over HTTP (tests/test_limits.py::test_production_mode): no suggestions, a code on
    every error, expected errors unmasked, an internal one masked with its correlation ID."""
    installed = faults_plugin.installed_with_faults()
    app = make_client(demo_db, installed=installed, production=True).app
    staff = await token_for(demo_db, "staff")
    group, _ = await demo_ids(demo_db)
    async with (
        serving(app, tmp_path) as server,
        socket(server, **{"x-request-id": "ws-incident-7"}) as ws,
        httpx.AsyncClient(base_url=server.base_url, timeout=30) as http,
    ):
        assert (await ws.init(staff))["type"] == "connection_ack"
        for typo in (
            "subscription($id: ID!) { groupActivitz(groupId: $id) { id } }",
            "subscription($id: ID!) { groupActivity(groupId: $id) { verbb } }",
        ):
            op = await ws.subscribe(typo, {"id": group})
            answer = await ws.receive()
            assert answer["id"] == op and codes_of(answer) == ["GRAPHQL_VALIDATION_FAILED"]
            assert "Did you mean" not in json.dumps(answer), answer
        aliases = "subscription { " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
        await ws.subscribe(aliases, {})
        [refusal] = (await ws.receive())["payload"]
        assert refusal["extensions"]["code"] == "TOO_MANY_ALIASES"
        assert refusal["message"] != "Internal server error"

        meeting = await schedule_async(http, staff, group)
        op = await ws.subscribe(FAULTY, {"id": meeting["id"]})
        assert await listening(server, 1)
        with caplog.at_level(logging.ERROR, logger="ogp_wg"):
            update = {"input": {"id": meeting["id"], "title": "Faulty"}}
            response = await http.post(
                "/graphql",
                json={"query": UPDATE, "variables": update},
                headers={"authorization": f"Bearer {staff}"},
            )
            assert response.json()["data"]["meetingUpdate"]["userErrors"] == []
            message = await ws.receive()
        assert message["type"] == "next" and message["id"] == op, message
        payload = message["payload"]
        assert payload["data"]["meetingChanged"]["id"] == meeting["id"]
        errors = payload["errors"]
        assert errors and all(e["message"] == "Internal server error" for e in errors), errors
        assert {json.dumps(e["extensions"], sort_keys=True) for e in errors} == {
            json.dumps({"code": "INTERNAL_SERVER_ERROR", "correlationId": "ws-incident-7"})
        }
        assert errors[0]["path"][-1] == "faultLookup"
        logged = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert logged and {getattr(r, "correlation_id", None) for r in logged} == {"ws-incident-7"}


async def listening(server: LiveServer, value: int) -> bool:
    """`gauge`, for a server running in this test's event loop (`serving`)."""
    expected = f"ogp_wg_subscriptions_open {float(value)}"
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for _ in range(int(WAIT / 0.1)):
            if expected in (await http.get("/metrics")).text.splitlines():
                return True
            await asyncio.sleep(0.1)
    return False
