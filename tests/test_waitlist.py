"""The waitlist is first come, first served (issue 7, point 4).

A person's place in a queue is the time they last joined it (`queuedAt`), never the row's id, which a
person keeps when they cancel and register again. Covered over HTTP on both databases: leaving and
rejoining, a cancelled place going to the longest waiter, a raised capacity, concurrent
cancellations, generated sequences of operations checked against a reference model, and the
migration that carries existing registrations across.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.auth import ALL_SCOPES
from core.auth.staff import grant_staff
from core.auth.tokens import issue_token
from core.db import Database, UTCDateTime
from core.schema.ids import to_global_id
from core.testing import ClientFactory, GraphQLClient, at_revision, token_for

# Mutations need a signed-in caller allowed to call them; staff may call every one (the rules
# themselves are tested in test_access*.py).
pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code field }"
REGISTER = f"""mutation($m: ID!, $p: ID!) {{
  registrationCreate(input: {{meetingId: $m, personId: $p}}) {{
    registration {{ id status queuedAt person {{ id }} }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{
  registrationCancel(input: {{id: $id}}) {{ registration {{ id status }} {ERRORS} }} }}"""
CAPACITY = f"""mutation($id: ID!, $c: Int!) {{
  meetingUpdate(input: {{id: $id, capacity: $c}}) {{ meeting {{ remainingPlaces }} {ERRORS} }} }}"""
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{ meeting {{ id }} {ERRORS} }} }}"""
LISTS = """query($id: ID!) { node(id: $id) { ... on Meeting {
  remainingPlaces
  all: registrations(first: 100) { nodes { status queuedAt person { id } } }
  waitlisted: registrations(first: 100, status: WAITLISTED) { nodes { person { id } } }
  registered: registrations(first: 100, status: REGISTERED) { nodes { person { id } } }
} } }"""


async def _people_and_group(client: GraphQLClient, n: int) -> tuple[list[str], str]:
    """n person IDs from the demo data and the ID of a group to hold meetings."""
    data = await client.execute(
        """{ workingGroup(slug: "open-data") { id }
             organizations(first: 50) { nodes { people { id } } } }"""
    )
    people = [p["id"] for org in data["organizations"]["nodes"] for p in org["people"]]
    assert len(people) >= n
    return people[:n], data["workingGroup"]["id"]


async def _meeting(client: GraphQLClient, group: str, capacity: int) -> str:
    start = datetime.now(UTC) + timedelta(days=30)
    values = {
        "groupId": group,
        "title": "Waitlist check",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=2)).isoformat(),
        "timezone": "Europe/Paris",
        "onlineUrl": "https://meet.example.org/waitlist",
        "capacity": capacity,
    }
    payload = (await client.execute(SCHEDULE, {"input": values}))["meetingSchedule"]
    assert payload["userErrors"] == []
    return str(payload["meeting"]["id"])


async def _register(client: GraphQLClient, meeting: str, person: str) -> dict[str, Any]:
    data = await client.execute(REGISTER, {"m": meeting, "p": person})
    return dict(data["registrationCreate"])


async def _cancel(client: GraphQLClient, registration: str) -> dict[str, Any]:
    return dict((await client.execute(CANCEL, {"id": registration}))["registrationCancel"])


async def _lists(client: GraphQLClient, meeting: str) -> dict[str, Any]:
    """remainingPlaces, every registration as (person, status) in list order, and the person IDs
    of the WAITLISTED and REGISTERED lists in order."""
    node = (await client.execute(LISTS, {"id": meeting}))["node"]
    queued = [datetime.fromisoformat(r["queuedAt"]) for r in node["all"]["nodes"]]
    assert queued == sorted(queued)  # the list's order is the order of queuedAt
    return {
        "remaining": node["remainingPlaces"],
        "all": [(r["person"]["id"], r["status"]) for r in node["all"]["nodes"]],
        "waitlisted": [r["person"]["id"] for r in node["waitlisted"]["nodes"]],
        "registered": [r["person"]["id"] for r in node["registered"]["nodes"]],
    }


async def test_leaving_and_rejoining_goes_to_the_back_of_the_waitlist(
    client: GraphQLClient,
) -> None:
    (a, b, c, d), group = await _people_and_group(client, 4)
    meeting = await _meeting(client, group, capacity=1)
    reg = {p: await _register(client, meeting, p) for p in (a, b, c)}
    assert [reg[p]["registration"]["status"] for p in (a, b, c)] == [
        "REGISTERED",
        "WAITLISTED",
        "WAITLISTED",
    ]
    b_id = reg[b]["registration"]["id"]
    assert (await _cancel(client, b_id))["registration"]["status"] == "CANCELLED"
    back = await _register(client, meeting, b)
    # the same row comes back (same ID), but at the end of the queue: after c, and after d
    assert back["registration"]["id"] == b_id
    assert back["registration"]["status"] == "WAITLISTED"
    assert back["registration"]["queuedAt"] > reg[c]["registration"]["queuedAt"]
    await _register(client, meeting, d)
    assert (await _lists(client, meeting))["waitlisted"] == [c, b, d]

    await _cancel(client, reg[a]["registration"]["id"])
    lists = await _lists(client, meeting)
    assert lists["registered"] == [c]  # c waited longest; b's lower id does not count
    assert lists["waitlisted"] == [b, d]
    assert lists["remaining"] == 0
    assert lists["all"] == [
        (a, "CANCELLED"),
        (b, "WAITLISTED"),
        (d, "WAITLISTED"),
        (c, "REGISTERED"),
    ]


async def test_a_cancelled_place_goes_to_the_longest_waiter(client: GraphQLClient) -> None:
    (a, b, c, d, e), group = await _people_and_group(client, 5)
    meeting = await _meeting(client, group, capacity=2)
    reg = {p: (await _register(client, meeting, p))["registration"] for p in (a, b, c, d, e)}
    # a registered person who cancels and comes back waits behind everyone (and c, d, e did too)
    await _cancel(client, reg[b]["id"])  # c is promoted
    assert (await _register(client, meeting, b))["registration"]["status"] == "WAITLISTED"
    await _cancel(client, reg[d]["id"])  # d leaves the waitlist and rejoins: d's id is below e's
    assert (await _register(client, meeting, d))["registration"]["status"] == "WAITLISTED"
    lists = await _lists(client, meeting)
    assert lists["registered"] == [a, c]
    assert lists["waitlisted"] == [e, b, d]

    await _cancel(client, reg[a]["id"])
    lists = await _lists(client, meeting)
    assert lists["registered"] == [c, e]
    assert lists["waitlisted"] == [b, d]

    # raising the capacity admits the waitlist in the same order, one place at a time
    raised = (await client.execute(CAPACITY, {"id": meeting, "c": 3}))["meetingUpdate"]
    assert raised["userErrors"] == [] and raised["meeting"]["remainingPlaces"] == 0
    lists = await _lists(client, meeting)
    assert lists["registered"] == [c, e, b]
    assert lists["waitlisted"] == [d]


async def test_a_meeting_of_a_hidden_group_is_not_found(
    client: GraphQLClient, demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """registrationCreate and registrationCancel lock a meeting only when its group's theme is
    one the app shows: with the group's plugin disabled, or no plugin at all, the meeting is
    NOT_FOUND to both (at `meetingId`, at `id`), and nothing changes."""
    (a, b), group = await _people_and_group(client, 2)  # the open-data group
    meeting = await _meeting(client, group, capacity=2)
    registered = (await _register(client, meeting, a))["registration"]
    before = await _lists(client, meeting)
    token = role_tokens["staff"]
    for config in ({"plugins": {"disabled": ["open_data"]}}, {"plugins": {"enabled": []}}):
        hidden = make_client(demo_db, config).with_token(token)
        created = await _register(hidden, meeting, b)
        assert created["registration"] is None, config
        assert created["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "meetingId"]}]
        cancelled = await _cancel(hidden, registered["id"])
        assert cancelled["registration"] is None, config
        assert cancelled["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]
    assert await _lists(client, meeting) == before


async def test_concurrent_cancellations_promote_in_queue_order(client: GraphQLClient) -> None:
    capacity = 4
    people, group = await _people_and_group(client, 10)
    holders, w = people[:capacity], people[capacity:]
    meeting = await _meeting(client, group, capacity=capacity)
    reg = {p: (await _register(client, meeting, p))["registration"] for p in people[:9]}
    # The queue's order is not the id order: w0 and w1 leave, come back after w2, w3, w4.
    for p in (w[0], w[1]):
        await _cancel(client, reg[p]["id"])
    for p in (w[0], w[1], w[5]):
        await _register(client, meeting, p)
    queue = [w[2], w[3], w[4], w[0], w[1], w[5]]
    assert (await _lists(client, meeting))["waitlisted"] == queue

    # Every holder cancels at once, the first one twice: one of those two must be refused.
    cancels = [reg[p]["id"] for p in holders] + [reg[holders[0]]["id"]]
    payloads = await asyncio.gather(*(_cancel(client, rid) for rid in cancels))
    codes = sorted(e["code"] for payload in payloads for e in payload["userErrors"])
    assert codes == ["NOT_CANCELLABLE"]
    assert sum(payload["registration"] is not None for payload in payloads) == capacity

    lists = await _lists(client, meeting)
    assert lists["remaining"] == 0  # registered_count == capacity: no place lost or doubled
    assert lists["registered"] == queue[:capacity]  # promoted in queue order, each once
    assert lists["waitlisted"] == queue[capacity:]
    assert sorted(person for person, _ in lists["all"]) == sorted(people)  # a row per person


# --- Generated sequences against a reference model ------------------------------------------------


@dataclass
class QueueModel:
    """First come, first served, as a specification: each joining of a queue takes the next
    number; the waitlist is promoted in number order; a cancelled row keeps its number."""

    capacity: int
    rows: dict[int, list[Any]] = field(default_factory=dict)  # person -> [status, number]
    counter: int = 0

    def _number(self) -> int:
        self.counter += 1
        return self.counter

    def registered(self) -> int:
        return sum(status == "REGISTERED" for status, _ in self.rows.values())

    def _promote(self) -> None:
        waiting = sorted((n, p) for p, (s, n) in self.rows.items() if s == "WAITLISTED")
        for _, person in waiting[: max(0, self.capacity - self.registered())]:
            self.rows[person] = ["REGISTERED", self._number()]

    def register(self, person: int) -> str:
        """The status the registration gets, or the user error code."""
        if person in self.rows and self.rows[person][0] != "CANCELLED":
            return "DUPLICATE_REGISTRATION"
        status = "REGISTERED" if self.registered() < self.capacity else "WAITLISTED"
        self.rows[person] = [status, self._number()]
        return status

    def cancel(self, person: int) -> str:
        if self.rows[person][0] == "CANCELLED":
            return "NOT_CANCELLABLE"
        self.rows[person][0] = "CANCELLED"
        self._promote()
        return "CANCELLED"

    def set_capacity(self, capacity: int) -> str | None:
        if capacity < self.registered():
            return "CAPACITY_BELOW_REGISTERED"
        self.capacity = capacity
        self._promote()
        return None

    def listing(self) -> list[tuple[int, str]]:
        return [(p, s) for p, (s, _) in sorted(self.rows.items(), key=lambda item: item[1][1])]


PEOPLE = 5
operations = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, PEOPLE - 1)),
        st.tuples(st.just("cancel"), st.integers(0, PEOPLE - 1)),
        st.tuples(st.just("capacity"), st.integers(0, 4)),
    ),
    min_size=1,
    max_size=20,
)


async def _run_against_model(
    client: GraphQLClient, people: list[str], group: str, capacity: int, ops: list[Any]
) -> None:
    meeting = await _meeting(client, group, capacity)
    model = QueueModel(capacity)
    registration_ids: dict[int, str] = {}
    for op, arg in ops:
        if op == "register":
            payload = await _register(client, meeting, people[arg])
            expected = model.register(arg)
            if payload["registration"] is None:
                got = payload["userErrors"][0]["code"]
            else:
                got = payload["registration"]["status"]
                registration_ids[arg] = payload["registration"]["id"]
        elif op == "cancel":
            if arg not in registration_ids:
                continue  # nothing to cancel yet
            payload = await _cancel(client, registration_ids[arg])
            expected = model.cancel(arg)
            registration = payload["registration"]
            got = registration["status"] if registration else payload["userErrors"][0]["code"]
        else:
            payload = (await client.execute(CAPACITY, {"id": meeting, "c": arg}))["meetingUpdate"]
            expected = model.set_capacity(arg)
            got = payload["userErrors"][0]["code"] if payload["userErrors"] else None
        assert got == expected, (op, arg)
    lists = await _lists(client, meeting)
    assert lists["all"] == [(people[p], s) for p, s in model.listing()]
    assert lists["remaining"] == model.capacity - model.registered()
    waiting = [people[p] for p, s in model.listing() if s == "WAITLISTED"]
    assert lists["waitlisted"] == waiting
    assert lists["registered"] == [people[p] for p, s in model.listing() if s == "REGISTERED"]


def test_generated_sequences_follow_first_come_first_served(
    demo_db: str, make_client: ClientFactory
) -> None:
    """Registrations, cancellations and capacity changes in any order end exactly as the model
    says: statuses, user errors, the list's order, each status's order, places left."""
    loop = asyncio.new_event_loop()
    staff = loop.run_until_complete(token_for(demo_db, "staff"))
    # its engine is used from `loop` only
    client = make_client(demo_db, debug=True).with_token(staff)
    people, group = loop.run_until_complete(_people_and_group(client, PEOPLE))

    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(capacity=st.integers(0, 3), ops=operations)
    def check(capacity: int, ops: list[Any]) -> None:
        loop.run_until_complete(_run_against_model(client, people, group, capacity, ops))

    try:
        check()
    finally:
        loop.run_until_complete(make_client.close())
        loop.close()


# --- Migration -------------------------------------------------------------------------------------

# The tables as core_0002 left them (no queued_at), typed so that timestamps bind as the app's do.
_T = UTCDateTime()
_groups = sa.table(
    "working_groups",
    *(sa.column(c) for c in ("id", "slug", "name", "theme", "summary", "description", "status")),
    sa.column("created_at", _T),
    sa.column("updated_at", _T),
)
_meetings = sa.table(
    "meetings",
    *(sa.column(c) for c in ("id", "group_id", "title", "kind", "timezone", "online_url")),
    *(sa.column(c) for c in ("capacity", "registered_count", "agenda", "is_summit")),
    sa.column("starts_at", _T),
    sa.column("ends_at", _T),
)
_people = sa.table("people", sa.column("id"), sa.column("name"))
_registrations = sa.table(
    "registrations",
    *(sa.column(c) for c in ("id", "meeting_id", "person_id", "status")),
    sa.column("created_at", _T),
)


async def test_migration_queues_existing_registrations_by_their_time(
    empty_db: str, make_client: ClientFactory
) -> None:
    """core_0003 fills queued_at from created_at: a waitlist written before the upgrade, whose id
    order is not its time order (a comeback), is listed and promoted by time after it."""
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    async with at_revision(empty_db, "core_0002") as old, old.db.write() as conn:
        await conn.execute(
            _groups.insert().values(
                id=1, slug="g", name="G", theme="open_data", summary="", description="",
                status="ACTIVE", created_at=t0, updated_at=t0,
            )
        )  # fmt: skip
        await conn.execute(
            _meetings.insert().values(
                id=1, group_id=1, title="M", kind="VIRTUAL", timezone="UTC",
                online_url="https://meet.example.org/m", capacity=1, registered_count=1,
                agenda="", is_summit=False, starts_at=t0 + timedelta(days=30),
                ends_at=t0 + timedelta(days=31),
            )
        )  # fmt: skip
        await conn.execute(_people.insert(), [{"id": i, "name": f"P{i}"} for i in (1, 2, 3)])
        # person 2 (row 2) came back after person 3 joined: the old code reset created_at
        rows = [(1, "REGISTERED", 0), (2, "WAITLISTED", 9), (3, "WAITLISTED", 5)]
        await conn.execute(
            _registrations.insert(),
            [
                {"id": i, "meeting_id": 1, "person_id": i, "status": status,
                 "created_at": t0 + timedelta(minutes=minutes)}
                for i, status, minutes in rows
            ],
        )  # fmt: skip
    # leaving the block upgraded the database to head

    db = Database(empty_db)
    try:  # who registered for what is seen by staff (and the person, and anchors) only
        async with db.write() as conn:
            await conn.execute(_people.insert(), [{"id": 4, "name": "Staff"}])
            await grant_staff(conn, 4, granted_by="test")
            staff = await issue_token(conn, 4, scopes=ALL_SCOPES, expires_at=None, name="test")
    finally:
        await db.dispose()
    client = make_client(empty_db).with_token(staff.token)
    meeting = to_global_id("Meeting", 1)
    data = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Meeting {
             registrations { nodes { createdAt queuedAt } } } } }""",
        {"id": meeting},
    )
    nodes = data["node"]["registrations"]["nodes"]
    assert [n["queuedAt"] for n in nodes] == [n["createdAt"] for n in nodes]
    person = [to_global_id("Person", i) for i in (1, 2, 3)]
    assert (await _lists(client, meeting))["waitlisted"] == [person[2], person[1]]
    await _cancel(client, to_global_id("Registration", 1))
    lists = await _lists(client, meeting)
    assert lists["registered"] == [person[2]]
    assert lists["waitlisted"] == [person[1]]
