"""Calendar feeds (issue 9, section 2; core/meetings/calendar.py), over HTTP on both databases:
every feed is parsed back with `icalendar` and every property the feeds emit is checked: time
zones (VTIMEZONE), stable UIDs, SEQUENCE raised by every change, STATUS:CANCELLED, and the join
URL in no public feed, only in the personal feed of a person with a place.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, Timezone
from sqlalchemy import select

from core.db import Database
from core.demo import DEMO_ROLES
from core.models import CalendarFeedToken, Person
from core.schema.ids import pk_of, to_global_id
from core.testing import GraphQLClient, token_for

pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code field }"
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{ meeting {{ id sequence }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: MeetingUpdateInput!) {{
  meetingUpdate(input: $input) {{ meeting {{ id sequence }} {ERRORS} }} }}"""
CANCEL_MEETING = f"""mutation($id: ID!) {{
  meetingCancel(input: {{id: $id, reason: "Venue closed"}}) {{ meeting {{ id sequence }} {ERRORS} }} }}"""
REGISTER = f"""mutation($m: ID!, $p: ID!) {{
  registrationCreate(input: {{meetingId: $m, personId: $p}}) {{
    registration {{ id status }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{
  registrationCancel(input: {{id: $id}}) {{ registration {{ status }} {ERRORS} }} }}"""
FEED_TOKEN = f"mutation {{ calendarFeedTokenCreate {{ url token {ERRORS} }} }}"
JOIN = "https://meet.example.org/calendar-secret-room"


def _iso(value: datetime) -> str:
    return value.isoformat()


async def _group(client: GraphQLClient) -> str:
    return str(
        (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]["id"]
    )


async def _schedule(client: GraphQLClient, start: datetime, **values: Any) -> str:
    meeting = {
        "groupId": await _group(client),
        "title": "Feed check",
        "kind": "VIRTUAL",
        "startsAt": _iso(start),
        "endsAt": _iso(start + timedelta(minutes=90)),
        "timezone": "Europe/London",
        "onlineUrl": JOIN,
        "agenda": "Compare notes on open data portals.",
    } | values
    payload = (await client.execute(SCHEDULE, {"input": meeting}))["meetingSchedule"]
    assert payload["userErrors"] == [], payload
    return str(payload["meeting"]["id"])


async def _get(client: GraphQLClient, path: str) -> tuple[int, Calendar | None, str, Any]:
    response = await client.http.get(path)
    if response.status_code != 200:
        return response.status_code, None, response.text, response.headers
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    unfolded = response.text.replace("\r\n ", "")  # RFC 5545 3.1: long lines are folded
    return 200, Calendar.from_ical(response.content), unfolded, response.headers


def _events(cal: Calendar) -> dict[str, Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _uid(meeting_id: str) -> str:
    return f"meeting-{pk_of(meeting_id, 'Meeting')}@ogp-working-groups"


def _check_calendar(cal: Calendar, name: str) -> None:
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Open Government Partnership//OGP Working Groups//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == name


def _check_event(
    event: Event,
    *,
    meeting_id: str,
    start: datetime,
    minutes: int,
    tz: str,
    title: str,
    description: str,
    sequence: int,
    status: str,
    kind: str,
    location: str | None = None,
    url: str | None = None,
) -> None:
    """Every property the feeds emit, one by one."""
    assert str(event["UID"]) == _uid(meeting_id)
    stamp = event.decoded("DTSTAMP")
    assert stamp.tzinfo is not None and abs(stamp - datetime.now(UTC)) < timedelta(minutes=5)
    dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
    assert dtstart == start and dtend == start + timedelta(minutes=minutes)
    if tz == "UTC":
        assert event["DTSTART"].to_ical().endswith(b"Z")
    else:
        assert event["DTSTART"].params["TZID"] == tz
        assert event["DTEND"].params["TZID"] == tz
        # the local wall time in the meeting's zone, as a person there reads it
        local = start.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        assert event["DTSTART"].to_ical() == local.strftime("%Y%m%dT%H%M%S").encode()
    assert str(event["SUMMARY"]) == title
    assert str(event.get("DESCRIPTION", "")) == description
    assert int(event["SEQUENCE"]) == sequence
    assert str(event["STATUS"]) == status
    assert [str(c) for c in event["CATEGORIES"].cats] == [kind]
    assert (str(event["LOCATION"]) if "LOCATION" in event else None) == location
    assert (str(event["URL"]) if "URL" in event else None) == url
    emitted = {
        "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "SEQUENCE", "STATUS",
        "CATEGORIES", "LOCATION", "URL",
    }  # fmt: skip
    assert set(event.keys()) <= emitted


def _timezones(cal: Calendar) -> dict[str, Timezone]:
    return {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}


async def test_group_feed_has_time_zones_stable_uids_and_no_join_url(
    client: GraphQLClient,
) -> None:
    start = (datetime.now(UTC) + timedelta(days=30)).replace(second=0, microsecond=0)
    london = await _schedule(client, start, title="Feed check London")
    mexico = await _schedule(
        client,
        start + timedelta(days=1),
        title="Feed check Mexico",
        timezone="America/Mexico_City",
        kind="IN_PERSON",
        location="Mexico City",
        onlineUrl=None,
        agenda="",
    )
    utc = await _schedule(client, start + timedelta(days=2), title="Feed check UTC", timezone="UTC")

    status, cal, text, headers = await _get(client, "/groups/open-data/meetings.ics")
    assert status == 200 and cal is not None
    _check_calendar(cal, "Open Data Working Group: meetings")
    assert headers["cache-control"] == "public, max-age=300"
    assert JOIN not in text  # the join URL is in no public feed
    events = _events(cal)
    common = {"sequence": 0, "status": "CONFIRMED", "minutes": 90}
    _check_event(
        events[_uid(london)],
        meeting_id=london,
        start=start,
        tz="Europe/London",
        title="Feed check London",
        description="Compare notes on open data portals.",
        kind="VIRTUAL",
        **common,
    )
    _check_event(
        events[_uid(mexico)],
        meeting_id=mexico,
        start=start + timedelta(days=1),
        tz="America/Mexico_City",
        title="Feed check Mexico",
        description="",
        kind="IN_PERSON",
        location="Mexico City",
        **common,
    )
    _check_event(
        events[_uid(utc)],
        meeting_id=utc,
        start=start + timedelta(days=2),
        tz="UTC",
        title="Feed check UTC",
        description="Compare notes on open data portals.",
        kind="VIRTUAL",
        **common,
    )
    # one VTIMEZONE per zone used (not UTC), with its rules around the meetings' dates
    zones = _timezones(cal)
    assert {"Europe/London", "America/Mexico_City"} <= set(zones)
    assert "UTC" not in zones
    london_zone = zones["Europe/London"]
    offsets = {
        sub["TZOFFSETTO"].td for sub in london_zone.walk() if sub.name in ("STANDARD", "DAYLIGHT")
    }
    assert offsets == {timedelta(0), timedelta(hours=1)}  # GMT and BST
    # a VTIMEZONE comes before the events that use it
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    # the demo's other meetings of the group are in the feed too, each once
    assert len(events) == len(cal.walk("VEVENT"))
    assert all(str(e.get("UID")).endswith("@ogp-working-groups") for e in events.values())


async def test_sequence_rises_and_a_cancelled_meeting_says_so(client: GraphQLClient) -> None:
    start = (datetime.now(UTC) + timedelta(days=40)).replace(second=0, microsecond=0)
    meeting = await _schedule(client, start, title="Sequence check")
    _, cal, _, _ = await _get(client, f"/meetings/{meeting}.ics")
    assert cal is not None
    _check_calendar(cal, "Sequence check")
    [event] = cal.walk("VEVENT")
    assert int(event["SEQUENCE"]) == 0

    moved_to = start + timedelta(hours=3)
    moved = (
        await client.execute(
            UPDATE,
            {
                "input": {
                    "id": meeting,
                    "startsAt": _iso(moved_to),
                    "endsAt": _iso(moved_to + timedelta(minutes=90)),
                }
            },
        )
    )["meetingUpdate"]
    assert moved == {"meeting": {"id": meeting, "sequence": 1}, "userErrors": []}
    renamed = (await client.execute(UPDATE, {"input": {"id": meeting, "title": "Renamed"}}))[
        "meetingUpdate"
    ]
    assert renamed["meeting"]["sequence"] == 2
    _, cal, _, _ = await _get(client, f"/meetings/{meeting}.ics")
    assert cal is not None
    [event] = cal.walk("VEVENT")
    _check_event(
        event,
        meeting_id=meeting,
        start=moved_to,
        minutes=90,
        tz="Europe/London",
        title="Renamed",
        description="Compare notes on open data portals.",
        sequence=2,
        status="CONFIRMED",
        kind="VIRTUAL",
    )
    cancelled = (await client.execute(CANCEL_MEETING, {"id": meeting}))["meetingCancel"]
    assert cancelled == {"meeting": {"id": meeting, "sequence": 3}, "userErrors": []}
    for path in (f"/meetings/{meeting}.ics", "/groups/open-data/meetings.ics"):
        _, cal, text, _ = await _get(client, path)
        assert cal is not None and JOIN not in text
        event = _events(cal)[_uid(meeting)]  # the same UID throughout
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 3


async def test_unknown_feeds_are_not_found(client: GraphQLClient) -> None:
    group = await _group(client)
    for path in (
        "/groups/no-such-group/meetings.ics",
        f"/meetings/{to_global_id('Meeting', 999999)}.ics",
        f"/meetings/{group}.ics",  # a group's ID is not a meeting's
        "/meetings/1.ics",  # database ids are not accepted: the API shows global IDs only
        "/calendar/not-a-token.ics",
    ):
        status, cal, _, _ = await _get(client, path)
        assert (status, cal) == (404, None), path


async def _person(url: str, email: str) -> str:
    db = Database(url)
    try:
        async with db.read() as conn:
            pk = await conn.scalar(select(Person.id).where(Person.email == email))
    finally:
        await db.dispose()
    assert pk is not None
    return to_global_id("Person", pk)


async def test_personal_feed_behind_a_secret_url(client: GraphQLClient, demo_db: str) -> None:
    start = (datetime.now(UTC) + timedelta(days=50)).replace(second=0, microsecond=0)
    placed = await _schedule(client, start, title="Personal: with a place")
    full = await _schedule(
        client, start + timedelta(days=1), title="Personal: waitlisted", capacity=0
    )
    left = await _schedule(client, start + timedelta(days=2), title="Personal: cancelled place")
    dropped = await _schedule(
        client, start + timedelta(days=3), title="Personal: meeting cancelled"
    )
    not_mine = await _schedule(client, start + timedelta(days=4), title="Personal: not registered")
    member = await _person(demo_db, DEMO_ROLES["member"])
    member_client = client.with_token(await token_for(demo_db, "member"))
    regs = {}
    for meeting in (placed, full, left, dropped):
        answer = (await member_client.execute(REGISTER, {"m": meeting, "p": member}))[
            "registrationCreate"
        ]
        assert answer["userErrors"] == []
        regs[meeting] = answer["registration"]
    assert regs[full]["status"] == "WAITLISTED"
    assert (await member_client.execute(CANCEL, {"id": regs[left]["id"]}))["registrationCancel"][
        "userErrors"
    ] == []
    assert (await client.execute(CANCEL_MEETING, {"id": dropped}))["meetingCancel"][
        "userErrors"
    ] == []

    created = (await member_client.execute(FEED_TOKEN))["calendarFeedTokenCreate"]
    assert created["userErrors"] == []
    token = created["token"]
    assert len(token) >= 40
    assert created["url"] == f"http://test/calendar/{token}.ics"
    status, cal, text, headers = await _get(member_client, f"/calendar/{token}.ics")
    assert status == 200 and cal is not None
    assert headers["cache-control"] == "private, no-store"
    assert headers["referrer-policy"] == "no-referrer"
    _check_calendar(cal, "My OGP working group meetings")
    events = _events(cal)
    mine = {
        uid for uid in events if uid in {_uid(m) for m in (placed, full, left, dropped, not_mine)}
    }
    assert mine == {_uid(placed), _uid(full), _uid(dropped)}
    description = "Compare notes on open data portals."
    _check_event(
        events[_uid(placed)],
        meeting_id=placed,
        start=start,
        minutes=90,
        tz="Europe/London",
        title="Personal: with a place",
        description=f"{description}\n\nJoin online: {JOIN}",
        sequence=0,
        status="CONFIRMED",
        kind="VIRTUAL",
        url=JOIN,
    )
    _check_event(  # waitlisted: no place, no join URL
        events[_uid(full)],
        meeting_id=full,
        start=start + timedelta(days=1),
        minutes=90,
        tz="Europe/London",
        title="Personal: waitlisted",
        description=description,
        sequence=0,
        status="CONFIRMED",
        kind="VIRTUAL",
    )
    _check_event(  # cancelled meeting: shown as cancelled, no join URL
        events[_uid(dropped)],
        meeting_id=dropped,
        start=start + timedelta(days=3),
        minutes=90,
        tz="Europe/London",
        title="Personal: meeting cancelled",
        description=description,
        sequence=1,
        status="CANCELLED",
        kind="VIRTUAL",
    )
    assert text.count(JOIN) == 2  # URL and the DESCRIPTION line of the one meeting with a place
    assert "Europe/London" in _timezones(cal)

    # stored hashed, never as the secret itself
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            rows = (await conn.execute(select(CalendarFeedToken.token_hash))).scalars().all()
    finally:
        await db.dispose()
    assert hashlib.sha256(token.encode()).hexdigest() in rows
    assert token not in rows

    # rotating: a new URL works, the old one is gone
    rotated = (await member_client.execute(FEED_TOKEN))["calendarFeedTokenCreate"]
    assert rotated["token"] != token
    assert (await _get(member_client, f"/calendar/{token}.ics"))[0] == 404
    assert (await _get(client.with_token(None), f"/calendar/{rotated['token']}.ics"))[0] == 200


async def test_only_a_signed_in_person_gets_a_feed_token(
    client: GraphQLClient, demo_db: str
) -> None:
    errors = await client.with_token(None).errors(FEED_TOKEN)
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
    for role in ("staff", "anchor", "member", "other"):
        answer = (await client.with_token(await token_for(demo_db, role)).execute(FEED_TOKEN))[
            "calendarFeedTokenCreate"
        ]
        assert answer["userErrors"] == [] and answer["url"].endswith(f"/{answer['token']}.ics")
    # a person with a place sees the join URL in their own feed only (their own token)
    start = (datetime.now(UTC) + timedelta(days=60)).replace(second=0, microsecond=0)
    meeting = await _schedule(client, start, title="Own feed only")
    other = await _person(demo_db, DEMO_ROLES["other"])
    assert (await client.execute(REGISTER, {"m": meeting, "p": other}))["registrationCreate"][
        "userErrors"
    ] == []
    member_feed = (await client.with_token(await token_for(demo_db, "member")).execute(FEED_TOKEN))[
        "calendarFeedTokenCreate"
    ]["token"]
    _, cal, text, _ = await _get(client, f"/calendar/{member_feed}.ics")
    assert cal is not None and _uid(meeting) not in _events(cal) and JOIN not in text
    api = await token_for(demo_db, "other")
    own = (await client.with_token(api).execute(FEED_TOKEN))["calendarFeedTokenCreate"]["token"]
    _, cal, _, _ = await _get(client, f"/calendar/{own}.ics")
    assert cal is not None and str(_events(cal)[_uid(meeting)]["URL"]) == JOIN
