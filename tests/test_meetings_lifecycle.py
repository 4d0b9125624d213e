"""Meetings that run themselves (issue 9, section 2), over HTTP on both databases: registration
windows and Summit pre-registration, attendance, minutes and links after a meeting, the join URL
for every role, cancelling and moving with the history and activity events kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.auth.tokens import issue_token
from core.db import Database, utcnow
from core.demo import DEMO_ROLES
from core.meetings.demo import PILOT_SLUGS
from core.models import ActivityEvent, Person
from core.schema.ids import pk_of, to_global_id
from core.testing import GraphQLClient, token_for

pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code field }"
MEETING = """id title sequence isCancelled cancelledAt registrationOpensAt registrationClosesAt
  registrationOpen isOnline onlineUrl minutes remainingPlaces"""
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{ meeting {{ {MEETING} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: MeetingUpdateInput!) {{
  meetingUpdate(input: $input) {{ meeting {{ {MEETING} startsAt endsAt }} {ERRORS} }} }}"""
CANCEL_MEETING = f"""mutation($id: ID!, $reason: String!) {{
  meetingCancel(input: {{id: $id, reason: $reason}}) {{ meeting {{ {MEETING} }} {ERRORS} }} }}"""
REGISTER = f"""mutation($m: ID!, $p: ID!) {{
  registrationCreate(input: {{meetingId: $m, personId: $p}}) {{
    registration {{ id status }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{
  registrationCancel(input: {{id: $id}}) {{ registration {{ id status }} {ERRORS} }} }}"""
ATTENDANCE = f"""mutation($input: AttendanceRecordInput!) {{
  attendanceRecord(input: $input) {{ meeting {{ id }} {ERRORS} }} }}"""
MINUTES = f"""mutation($id: ID!, $minutes: String!) {{
  meetingMinutesSet(input: {{id: $id, minutes: $minutes}}) {{ meeting {{ id minutes }} {ERRORS} }} }}"""
LINK_ADD = f"""mutation($input: MeetingLinkAddInput!) {{
  meetingLinkAdd(input: $input) {{ link {{ id kind url title meeting {{ id }} }}
    meeting {{ id links {{ id }} }} {ERRORS} }} }}"""
LINK_REMOVE = f"""mutation($id: ID!) {{
  meetingLinkRemove(input: {{id: $id}}) {{ link {{ id }} meeting {{ id links {{ id }} }} {ERRORS} }} }}"""
REGISTRATIONS = """query($id: ID!) { node(id: $id) { ... on Meeting {
  registeredCount registrations(first: 100) { nodes { status person { id } } } } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Meeting { sequence
  changes(first: 10) { totalCount nodes { kind fields reason sequence actor { id }
    oldStartsAt oldEndsAt newStartsAt newEndsAt at } } } } }"""


def _iso(value: datetime) -> str:
    return value.isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _people(url: str, *emails: str) -> list[str]:
    db = Database(url)
    try:
        async with db.read() as conn:
            rows = dict((await conn.execute(select(Person.email, Person.id))).all())
    finally:
        await db.dispose()
    return [to_global_id("Person", rows[e]) for e in emails]


async def _others(url: str, n: int) -> list[str]:
    """n demo people who hold no demo role."""
    db = Database(url)
    try:
        async with db.read() as conn:
            stmt = select(Person.id).where(Person.email.not_in(DEMO_ROLES.values()))
            ids = list(await conn.scalars(stmt.order_by(Person.id).limit(n)))
    finally:
        await db.dispose()
    return [to_global_id("Person", pk) for pk in ids]


async def _events(url: str, meeting_id: str) -> list[tuple[str, int | None, str]]:
    pk = pk_of(meeting_id, "Meeting")
    db = Database(url)
    try:
        async with db.read() as conn:
            stmt = (
                select(ActivityEvent.verb, ActivityEvent.actor_id, ActivityEvent.summary)
                .where(ActivityEvent.subject_type == "Meeting", ActivityEvent.subject_id == pk)
                .order_by(ActivityEvent.id)
            )
            return [tuple(r) for r in (await conn.execute(stmt)).all()]  # type: ignore[misc]
    finally:
        await db.dispose()


async def _group(client: GraphQLClient, slug: str = "open-data") -> str:
    data = await client.execute(f'{{ workingGroup(slug: "{slug}") {{ id }} }}')
    return str(data["workingGroup"]["id"])


async def _schedule(client: GraphQLClient, **values: Any) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=20)
    meeting = {
        "groupId": await _group(client),
        "title": "Lifecycle check",
        "kind": "VIRTUAL",
        "startsAt": _iso(start),
        "endsAt": _iso(start + timedelta(hours=1)),
        "timezone": "Europe/London",
        "onlineUrl": "https://meet.example.org/lifecycle",
    } | values
    payload = (await client.execute(SCHEDULE, {"input": meeting}))["meetingSchedule"]
    assert payload["userErrors"] == [], payload
    return dict(payload["meeting"])


async def _register(client: GraphQLClient, meeting: str, person: str) -> dict[str, Any]:
    return dict((await client.execute(REGISTER, {"m": meeting, "p": person}))["registrationCreate"])


# --- Registration windows and Summit pre-registration --------------------------------------------


async def test_registration_window_is_enforced(client: GraphQLClient, demo_db: str) -> None:
    now = datetime.now(UTC)
    later = await _schedule(client, registrationOpensAt=_iso(now + timedelta(days=2)))
    assert later["registrationOpen"] is False
    assert _parse(later["registrationOpensAt"]) == (now + timedelta(days=2)).replace(
        microsecond=_parse(later["registrationOpensAt"]).microsecond
    )
    assert later["registrationClosesAt"] is None
    closed = await _schedule(
        client,
        registrationOpensAt=_iso(now - timedelta(days=3)),
        registrationClosesAt=_iso(now - timedelta(days=1)),
    )
    assert closed["registrationOpen"] is False
    open_now = await _schedule(client, registrationClosesAt=_iso(now + timedelta(days=5)))
    assert open_now["registrationOpen"] is True
    [person] = await _others(demo_db, 1)

    early = await _register(client, later["id"], person)
    assert early == {
        "registration": None,
        "userErrors": [{"code": "REGISTRATION_NOT_OPEN", "field": ["input", "meetingId"]}],
    }
    late = await _register(client, closed["id"], person)
    assert late == {
        "registration": None,
        "userErrors": [{"code": "REGISTRATION_CLOSED", "field": ["input", "meetingId"]}],
    }
    ok = await _register(client, open_now["id"], person)
    assert ok["userErrors"] == [] and ok["registration"]["status"] == "REGISTERED"
    # nothing was written for the refused ones
    for meeting in (later, closed):
        data = await client.execute(REGISTRATIONS, {"id": meeting["id"]})
        assert data["node"] == {"registeredCount": 0, "registrations": {"nodes": []}}


async def test_registration_window_must_open_before_it_closes(client: GraphQLClient) -> None:
    now = datetime.now(UTC)
    start = now + timedelta(days=20)
    values = {
        "groupId": await _group(client),
        "title": "Bad window",
        "kind": "VIRTUAL",
        "startsAt": _iso(start),
        "endsAt": _iso(start + timedelta(hours=1)),
        "timezone": "UTC",
        "onlineUrl": "https://meet.example.org/bad-window",
        "registrationOpensAt": _iso(now + timedelta(days=3)),
        "registrationClosesAt": _iso(now + timedelta(days=2)),
    }
    payload = (await client.execute(SCHEDULE, {"input": values}))["meetingSchedule"]
    assert payload == {
        "meeting": None,
        "userErrors": [
            {"code": "REGISTRATION_WINDOW_INVALID", "field": ["input", "registrationClosesAt"]}
        ],
    }
    naive = values | {"registrationOpensAt": "2030-01-01T09:00:00", "registrationClosesAt": None}
    payload = (await client.execute(SCHEDULE, {"input": naive}))["meetingSchedule"]
    assert payload["userErrors"] == [
        {"code": "NAIVE_DATETIME", "field": ["input", "registrationOpensAt"]}
    ]


async def test_summit_pre_registration_is_admitted_in_queue_order(
    client: GraphQLClient, demo_db: str
) -> None:
    now = datetime.now(UTC)
    summit = await _schedule(
        client,
        title="Summit pre-registration check",
        kind="IN_PERSON",
        location="London",
        onlineUrl=None,
        isSummit=True,
        capacity=2,
        registrationOpensAt=_iso(now + timedelta(days=1)),
    )
    people = await _others(demo_db, 4)
    statuses = [(await _register(client, summit["id"], p))["registration"] for p in people[:3]]
    assert [s["status"] for s in statuses] == ["PRE_REGISTERED"] * 3
    again = await _register(client, summit["id"], people[0])
    assert again["userErrors"] == [
        {"code": "DUPLICATE_REGISTRATION", "field": ["input", "personId"]}
    ]
    data = await client.execute(REGISTRATIONS, {"id": summit["id"]})
    assert data["node"]["registeredCount"] == 0  # no place taken before registration opens
    # a pre-registration may be withdrawn, and taken again (at the end of the queue)
    withdrawn = (await client.execute(CANCEL, {"id": statuses[0]["id"]}))["registrationCancel"]
    assert withdrawn == {
        "registration": {"id": statuses[0]["id"], "status": "CANCELLED"},
        "userErrors": [],
    }
    back = await _register(client, summit["id"], people[0])
    assert back["registration"]["status"] == "PRE_REGISTERED"

    # registration opens: the queue is admitted in order, places first, then the waitlist
    opened = (
        await client.execute(
            UPDATE,
            {
                "input": {
                    "id": summit["id"],
                    "registrationOpensAt": _iso(now - timedelta(minutes=1)),
                }
            },
        )
    )["meetingUpdate"]
    assert opened["userErrors"] == [] and opened["meeting"]["registrationOpen"] is True
    data = await client.execute(REGISTRATIONS, {"id": summit["id"]})
    assert data["node"]["registeredCount"] == 2
    assert [(n["status"], n["person"]["id"]) for n in data["node"]["registrations"]["nodes"]] == [
        ("REGISTERED", people[1]),
        ("REGISTERED", people[2]),
        ("WAITLISTED", people[0]),
    ]
    # after it opens, a newcomer queues behind them
    newcomer = await _register(client, summit["id"], people[3])
    assert newcomer["registration"]["status"] == "WAITLISTED"


async def test_a_meeting_that_is_not_a_summit_takes_no_pre_registration(
    client: GraphQLClient, demo_db: str
) -> None:
    meeting = await _schedule(
        client, registrationOpensAt=_iso(datetime.now(UTC) + timedelta(days=1)), isSummit=False
    )
    [person] = await _others(demo_db, 1)
    answer = await _register(client, meeting["id"], person)
    assert answer["userErrors"] == [
        {"code": "REGISTRATION_NOT_OPEN", "field": ["input", "meetingId"]}
    ]


# --- After the meeting: attendance, minutes, links ----------------------------------------------


async def _running(client: GraphQLClient, demo_db: str, n: int) -> tuple[dict[str, Any], list[Any]]:
    """A meeting that started an hour ago, with n registered people (and one waitlisted)."""
    now = datetime.now(UTC)
    meeting = await _schedule(
        client,
        title="Running meeting",
        startsAt=_iso(now - timedelta(hours=1)),
        endsAt=_iso(now + timedelta(hours=1)),
        capacity=n,
    )
    people = await _others(demo_db, n + 1)
    regs = [(await _register(client, meeting["id"], p))["registration"] for p in people]
    assert [r["status"] for r in regs] == ["REGISTERED"] * n + ["WAITLISTED"]
    return meeting, regs


async def test_anchors_record_attendance_after_the_meeting_started(
    client: GraphQLClient, demo_db: str
) -> None:
    meeting, regs = await _running(client, demo_db, 2)
    anchor = client.with_token(await token_for(demo_db, "anchor"))
    entries = [
        {"registrationId": regs[0]["id"], "status": "ATTENDED"},
        {"registrationId": regs[1]["id"], "status": "NO_SHOW"},
    ]
    payload = (
        await anchor.execute(
            ATTENDANCE, {"input": {"meetingId": meeting["id"], "attendance": entries}}
        )
    )["attendanceRecord"]
    assert payload == {"meeting": {"id": meeting["id"]}, "userErrors": []}
    data = await client.execute(REGISTRATIONS, {"id": meeting["id"]})
    assert [n["status"] for n in data["node"]["registrations"]["nodes"]] == [
        "ATTENDED",
        "NO_SHOW",
        "WAITLISTED",
    ]
    assert data["node"]["registeredCount"] == 2  # a no-show had a place
    # a correction; and the waitlisted one had no place: all or nothing
    mixed = [
        {"registrationId": regs[1]["id"], "status": "ATTENDED"},
        {"registrationId": regs[2]["id"], "status": "ATTENDED"},
    ]
    payload = (
        await anchor.execute(
            ATTENDANCE, {"input": {"meetingId": meeting["id"], "attendance": mixed}}
        )
    )["attendanceRecord"]
    assert payload == {
        "meeting": None,
        "userErrors": [
            {"code": "NOT_ATTENDABLE", "field": ["input", "attendance", "1", "registrationId"]}
        ],
    }
    data = await client.execute(REGISTRATIONS, {"id": meeting["id"]})
    assert [n["status"] for n in data["node"]["registrations"]["nodes"]][1] == "NO_SHOW"
    # another meeting's registration is not found here
    _other, other_regs = await _running(client, demo_db, 1)
    wrong = [{"registrationId": other_regs[0]["id"], "status": "ATTENDED"}]
    payload = (
        await anchor.execute(
            ATTENDANCE, {"input": {"meetingId": meeting["id"], "attendance": wrong}}
        )
    )["attendanceRecord"]
    assert payload["userErrors"] == [
        {"code": "NOT_FOUND", "field": ["input", "attendance", "0", "registrationId"]}
    ]
    # no attendance before a meeting starts
    future = await _schedule(client, capacity=3)
    [person] = await _others(demo_db, 1)
    reg = (await _register(client, future["id"], person))["registration"]
    early = [{"registrationId": reg["id"], "status": "ATTENDED"}]
    payload = (
        await client.execute(
            ATTENDANCE, {"input": {"meetingId": future["id"], "attendance": early}}
        )
    )["attendanceRecord"]
    assert payload == {
        "meeting": None,
        "userErrors": [{"code": "MEETING_NOT_STARTED", "field": ["input", "meetingId"]}],
    }
    # an attended registration can no longer be cancelled
    refused = (await client.execute(CANCEL, {"id": regs[0]["id"]}))["registrationCancel"]
    assert refused["userErrors"] == [{"code": "NOT_CANCELLABLE", "field": ["input", "id"]}]


@pytest.mark.parametrize("role", ["member", "other"])
async def test_only_anchors_and_staff_run_a_meeting(
    client: GraphQLClient, demo_db: str, role: str
) -> None:
    meeting, regs = await _running(client, demo_db, 1)
    caller = client.with_token(await token_for(demo_db, role))
    entries = [{"registrationId": regs[0]["id"], "status": "ATTENDED"}]
    calls = [
        (ATTENDANCE, {"input": {"meetingId": meeting["id"], "attendance": entries}}),
        (MINUTES, {"id": meeting["id"], "minutes": "x"}),
        (CANCEL_MEETING, {"id": meeting["id"], "reason": "x"}),
        (
            LINK_ADD,
            {
                "input": {
                    "meetingId": meeting["id"],
                    "kind": "SLIDES",
                    "url": "https://example.org/s",
                    "title": "s",
                }
            },
        ),
    ]
    for document, variables in calls:
        errors = await caller.errors(document, variables)
        assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
    anonymous = client.with_token(None)
    errors = await anonymous.errors(MINUTES, {"id": meeting["id"], "minutes": "x"})
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
    data = await client.execute(REGISTRATIONS, {"id": meeting["id"]})
    assert data["node"]["registrations"]["nodes"][0]["status"] == "REGISTERED"


async def test_minutes_and_links_after_the_meeting(client: GraphQLClient, demo_db: str) -> None:
    meeting, _ = await _running(client, demo_db, 1)
    anchor = client.with_token(await token_for(demo_db, "anchor"))
    set_ = (await anchor.execute(MINUTES, {"id": meeting["id"], "minutes": "We agreed."}))[
        "meetingMinutesSet"
    ]
    assert set_ == {"meeting": {"id": meeting["id"], "minutes": "We agreed."}, "userErrors": []}
    future = await _schedule(client)
    early = (await anchor.execute(MINUTES, {"id": future["id"], "minutes": "Too soon"}))[
        "meetingMinutesSet"
    ]
    assert early == {
        "meeting": None,
        "userErrors": [{"code": "MEETING_NOT_STARTED", "field": ["input", "id"]}],
    }

    link = {
        "meetingId": meeting["id"],
        "kind": "RECORDING",
        "url": "https://video.example.org/rec/1",
        "title": "Recording",
    }
    added = (await anchor.execute(LINK_ADD, {"input": link}))["meetingLinkAdd"]
    assert added["userErrors"] == []
    link_id = added["link"]["id"]
    assert added["link"] == {
        "id": link_id,
        "kind": "RECORDING",
        "url": "https://video.example.org/rec/1",
        "title": "Recording",
        "meeting": {"id": meeting["id"]},
    }
    assert added["meeting"] == {"id": meeting["id"], "links": [{"id": link_id}]}
    bad = link | {"url": "javascript:alert(1)", "title": " "}
    refused = (await anchor.execute(LINK_ADD, {"input": bad}))["meetingLinkAdd"]
    assert refused["link"] is None
    assert sorted((e["code"], e["field"][1]) for e in refused["userErrors"]) == [
        ("INVALID_URL", "url"),
        ("REQUIRED", "title"),
    ]
    # public: anyone who sees the meeting sees its minutes and links
    anonymous = client.with_token(None)
    data = await anonymous.execute(
        """query($id: ID!) { node(id: $id) { ... on Meeting { minutes
             links { id kind url title } } } }""",
        {"id": meeting["id"]},
    )
    assert data["node"] == {
        "minutes": "We agreed.",
        "links": [
            {
                "id": link_id,
                "kind": "RECORDING",
                "url": "https://video.example.org/rec/1",
                "title": "Recording",
            }
        ],
    }
    removed = (await anchor.execute(LINK_REMOVE, {"id": link_id}))["meetingLinkRemove"]
    assert removed == {
        "link": None,
        "meeting": {"id": meeting["id"], "links": []},
        "userErrors": [],
    }
    again = (await client.execute(LINK_REMOVE, {"id": link_id}))["meetingLinkRemove"]
    assert again == {
        "link": None,
        "meeting": None,
        "userErrors": [{"code": "NOT_FOUND", "field": ["input", "id"]}],
    }
    # for an anchor, a link that is gone is like another group's: not theirs to remove
    errors = await anchor.errors(LINK_REMOVE, {"id": link_id})
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]


# --- The join URL --------------------------------------------------------------------------------


async def test_join_url_only_for_registered_people_anchors_and_staff(
    client: GraphQLClient, demo_db: str
) -> None:
    meeting = await _schedule(client, capacity=1)
    registered, waitlisted = await _others(demo_db, 2)
    for person in (registered, waitlisted):
        assert (await _register(client, meeting["id"], person))["userErrors"] == []
    member = (await _people(demo_db, DEMO_ROLES["member"]))[0]
    query = """query($id: ID!) { node(id: $id) { ... on Meeting { isOnline onlineUrl kind } } }"""

    async def seen_by(token: str | None) -> Any:
        response = await client.with_token(token).post(query, {"id": meeting["id"]})
        return response.json()["data"]["node"]

    url = "https://meet.example.org/lifecycle"
    visible = {"isOnline": True, "onlineUrl": url, "kind": "VIRTUAL"}
    hidden = {"isOnline": True, "onlineUrl": None, "kind": "VIRTUAL"}
    tokens = {
        role: await token_for(demo_db, role) for role in ("staff", "anchor", "member", "other")
    }
    assert await seen_by(None) == hidden
    assert await seen_by(tokens["other"]) == hidden
    assert await seen_by(tokens["member"]) == hidden  # a member of the group, not registered
    assert await seen_by(tokens["anchor"]) == visible
    assert await seen_by(tokens["staff"]) == visible
    # a place: the join URL; waitlisted: none yet
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            own = {}
            for person in (registered, waitlisted):
                pk = pk_of(person, "Person")
                assert pk is not None
                own[person] = (
                    await issue_token(conn, pk, expires_at=utcnow() + timedelta(days=1))
                ).token
    finally:
        await db.dispose()
    assert await seen_by(own[registered]) == visible
    assert await seen_by(own[waitlisted]) == hidden
    # the member registers: now they see it
    member_client = client.with_token(tokens["member"])
    reg = await _register(member_client, meeting["id"], member)
    assert reg["registration"]["status"] == "WAITLISTED"
    assert await seen_by(tokens["member"]) == hidden
    await client.execute(UPDATE, {"input": {"id": meeting["id"], "capacity": 3}})
    assert await seen_by(tokens["member"]) == visible  # promoted, after the earlier waiter
    assert await seen_by(own[waitlisted]) == visible
    # an in-person meeting is not online
    in_person = await _schedule(client, kind="IN_PERSON", location="Paris", onlineUrl=None)
    response = await client.with_token(None).post(query, {"id": in_person["id"]})
    assert response.json()["data"]["node"] == {
        "isOnline": False,
        "onlineUrl": None,
        "kind": "IN_PERSON",
    }


# --- Cancelling and moving keep the history ------------------------------------------------------


async def test_moving_changing_and_cancelling_keep_the_history(
    client: GraphQLClient, demo_db: str
) -> None:
    anchor = client.with_token(await token_for(demo_db, "anchor"))
    [anchor_person] = await _people(demo_db, DEMO_ROLES["anchor"])
    meeting = await _schedule(anchor, title="History check")
    assert meeting["sequence"] == 0
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=40)
    moved = (
        await anchor.execute(
            UPDATE,
            {
                "input": {
                    "id": meeting["id"],
                    "startsAt": _iso(start),
                    "endsAt": _iso(start + timedelta(hours=2)),
                    "reason": "Clash with the plenary",
                }
            },
        )
    )["meetingUpdate"]
    assert moved["userErrors"] == [] and moved["meeting"]["sequence"] == 1
    renamed = (
        await anchor.execute(UPDATE, {"input": {"id": meeting["id"], "title": "History check 2"}})
    )["meetingUpdate"]
    assert renamed["meeting"]["sequence"] == 2
    same = (
        await anchor.execute(UPDATE, {"input": {"id": meeting["id"], "title": "History check 2"}})
    )["meetingUpdate"]
    assert same["meeting"]["sequence"] == 2  # nothing changed: no new revision
    cancelled = (
        await anchor.execute(CANCEL_MEETING, {"id": meeting["id"], "reason": "Anchors unavailable"})
    )["meetingCancel"]
    assert cancelled["userErrors"] == []
    assert cancelled["meeting"]["isCancelled"] is True
    assert cancelled["meeting"]["sequence"] == 3
    assert cancelled["meeting"]["registrationOpen"] is False
    assert _parse(cancelled["meeting"]["cancelledAt"]) <= datetime.now(UTC)

    data = await client.execute(HISTORY, {"id": meeting["id"]})
    changes = data["node"]["changes"]
    assert changes["totalCount"] == 4
    nodes = changes["nodes"]
    assert [(n["kind"], n["fields"], n["reason"], n["sequence"]) for n in nodes] == [
        ("SCHEDULED", [], "", 0),
        ("MOVED", ["endsAt", "startsAt"], "Clash with the plenary", 1),
        ("CHANGED", ["title"], "", 2),
        ("CANCELLED", ["cancelledAt"], "Anchors unavailable", 3),
    ]
    assert all(n["actor"] == {"id": anchor_person} for n in nodes)
    assert nodes[0]["oldStartsAt"] is None and nodes[0]["oldEndsAt"] is None
    assert _parse(nodes[1]["oldStartsAt"]) == _parse(meeting_start := nodes[0]["newStartsAt"])
    assert _parse(nodes[1]["oldEndsAt"]) == _parse(nodes[0]["newEndsAt"])
    assert _parse(nodes[1]["newStartsAt"]) == start
    assert _parse(nodes[1]["newEndsAt"]) == start + timedelta(hours=2)
    assert _parse(meeting_start) != start
    assert all(_parse(n["at"]) <= datetime.now(UTC) for n in nodes)

    events = await _events(demo_db, meeting["id"])
    verbs = [verb for verb, _, _ in events]
    assert verbs == ["MEETING_SCHEDULED", "MEETING_MOVED", "MEETING_CHANGED", "MEETING_CANCELLED"]
    assert events[-1][2] == "Meeting 'History check 2' was cancelled"

    # a cancelled meeting takes no registration, no change, no second cancellation
    [person] = await _others(demo_db, 1)
    refused = await _register(client, meeting["id"], person)
    assert refused["userErrors"] == [{"code": "MEETING_CANCELLED", "field": ["input", "meetingId"]}]
    again = (await anchor.execute(CANCEL_MEETING, {"id": meeting["id"], "reason": ""}))[
        "meetingCancel"
    ]
    assert again == {
        "meeting": None,
        "userErrors": [{"code": "MEETING_CANCELLED", "field": ["input", "id"]}],
    }
    change = (await anchor.execute(UPDATE, {"input": {"id": meeting["id"], "title": "X"}}))[
        "meetingUpdate"
    ]
    assert change["userErrors"] == [{"code": "MEETING_CANCELLED", "field": ["input", "id"]}]
    assert len(await _events(demo_db, meeting["id"])) == 4


async def test_a_refused_change_records_nothing(client: GraphQLClient, demo_db: str) -> None:
    meeting = await _schedule(client)
    bad = {"id": meeting["id"], "title": "", "startsAt": _iso(datetime.now(UTC))}
    payload = (await client.execute(UPDATE, {"input": bad}))["meetingUpdate"]
    assert payload["meeting"] is None and payload["userErrors"]
    data = await client.execute(HISTORY, {"id": meeting["id"]})
    assert data["node"]["sequence"] == 0
    assert data["node"]["changes"]["totalCount"] == 1
    assert [v for v, _, _ in await _events(demo_db, meeting["id"])] == ["MEETING_SCHEDULED"]


# --- The demo: each pilot group's Summit session -------------------------------------------------

SUMMIT = """{ meetings(filter: {summit: true, from: "2013-10-31T00:00:00Z",
  to: "2013-11-01T00:00:00Z"}, first: 50) { nodes { title kind startsAt endsAt timezone location
  isSummit isOnline isCancelled sequence capacity registeredCount agenda minutes
  registrationOpensAt registrationClosesAt group { name }
  registrations(first: 10) { nodes { status createdAt queuedAt } }
  links { kind url title } changes(first: 5) { nodes { kind sequence actor { id } } } } } }"""


async def test_demo_has_each_pilot_groups_summit_meeting(client: GraphQLClient) -> None:
    nodes = (await client.execute(SUMMIT))["meetings"]["nodes"]
    ours = {m["title"]: m for m in nodes if m["title"].startswith("OGP Summit 2013, London: ")}
    groups = (await client.execute("{ workingGroups(first: 50) { nodes { name slug } } }"))[
        "workingGroups"
    ]["nodes"]
    pilot = [g for g in groups if g["slug"] in PILOT_SLUGS]  # the 2013 pilot's five
    assert sorted(ours) == sorted(f"OGP Summit 2013, London: {g['name']} session" for g in pilot)
    assert len(ours) == 5
    illustrative = "(Illustrative demo data.)"
    for title, m in ours.items():
        assert m["kind"] == "IN_PERSON" and m["isSummit"] is True
        assert (m["isOnline"], m["isCancelled"], m["sequence"]) == (False, False, 0)
        assert m["timezone"] == "Europe/London" and m["location"] == "OGP Annual Summit, London"
        # London was on GMT (UTC+0) on 31 October 2013: 10:00-12:00 local
        assert _parse(m["startsAt"]) == datetime(2013, 10, 31, 10, tzinfo=UTC)
        assert _parse(m["endsAt"]) == datetime(2013, 10, 31, 12, tzinfo=UTC)
        assert _parse(m["registrationOpensAt"]) < _parse(m["registrationClosesAt"])
        assert _parse(m["registrationClosesAt"]) < _parse(m["startsAt"])
        assert m["capacity"] == 40 and m["registeredCount"] == 4
        assert m["agenda"].endswith(illustrative) and m["minutes"].endswith(illustrative)
        assert m["group"]["name"] in title
        statuses = [r["status"] for r in m["registrations"]["nodes"]]
        assert statuses == ["ATTENDED", "ATTENDED", "ATTENDED", "NO_SHOW"]
        for r in m["registrations"]["nodes"]:  # pre-registered before registration opened
            assert _parse(r["createdAt"]) < _parse(m["registrationOpensAt"])
            assert _parse(r["queuedAt"]) >= _parse(m["registrationOpensAt"])
        [link] = m["links"]
        assert link["kind"] == "SLIDES" and link["title"].endswith(illustrative)
        assert link["url"].startswith("https://example.org/ogp-summit-2013/")
        assert m["changes"]["nodes"] == [{"kind": "SCHEDULED", "sequence": 0, "actor": None}]
