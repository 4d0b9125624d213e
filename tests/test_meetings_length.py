"""A meeting lasts at most 14 days (core.meetings.models.MAX_DAYS, migration core_0020), through
the API on both databases: meetingSchedule and meetingUpdate answer MEETING_TOO_LONG at
`endsAt` for a longer one and write nothing; exactly 14 days is a meeting. And what the rule
buys: `upcoming` (the root connection and a group's) bounds `starts_at` to the last 14 days and
still lists a meeting that started 13 days ago and has not ended, and none that has ended.
The database's side of the rule: tests/test_rules_in_database_core_0020.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from core.db import Database
from core.meetings.models import MAX_DAYS, MAX_DURATION, Meeting
from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code field }"
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{ meetingSchedule(input: $input) {{
  meeting {{ id startsAt endsAt }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: MeetingUpdateInput!) {{ meetingUpdate(input: $input) {{
  meeting {{ id startsAt endsAt }} {ERRORS} }} }}"""
TOO_LONG = [{"code": "MEETING_TOO_LONG", "field": ["input", "endsAt"]}]
UPCOMING = """query($slug: String!) {
  meetings(filter: {group: $slug, upcoming: true}, first: 100) { nodes { id title } }
  workingGroup(slug: $slug) { meetings(filter: {upcoming: true}, first: 100) { nodes { id title } } }
}"""
ENDED = """query($slug: String!) {
  meetings(filter: {group: $slug, upcoming: false}, first: 100) { nodes { id title } }
  workingGroup(slug: $slug) { meetings(filter: {upcoming: false}, first: 100) { nodes { id title } } }
}"""


async def _group(client: GraphQLClient) -> str:
    data = await client.execute('{ workingGroup(slug: "open-data") { id } }')
    return str(data["workingGroup"]["id"])


def _input(group: str, start: datetime, end: datetime, title: str = "Regional exchange") -> Any:
    return {
        "groupId": group,
        "title": title,
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": end.isoformat(),
        "timezone": "Pacific/Auckland",
        "onlineUrl": "https://meet.example.org/exchange",
    }


async def _insert_meetings(url: str, *meetings: tuple[str, datetime, datetime]) -> None:
    """Meetings of open-data (title, start, end) written in SQL: the API schedules none in the
    past."""
    db = Database(url)
    try:
        async with db.write() as conn:
            group_id = await conn.scalar(
                sa.text("SELECT id FROM working_groups WHERE slug = 'open-data'")
            )
            for title, starts, ends in meetings:
                await conn.execute(
                    sa.insert(Meeting).values(
                        group_id=group_id,
                        title=title,
                        kind="VIRTUAL",
                        starts_at=starts,
                        ends_at=ends,
                        timezone="UTC",
                        online_url="https://meet.example.org/long",
                        registered_count=0,
                        agenda="",
                        is_summit=False,
                        sequence=0,
                        minutes="",
                    )
                )
    finally:
        await db.dispose()


async def _titles(client: GraphQLClient, query: str) -> tuple[list[str], list[str]]:
    data = await client.execute(query, {"slug": "open-data"})
    root = [m["title"] for m in data["meetings"]["nodes"]]
    group = [m["title"] for m in data["workingGroup"]["meetings"]["nodes"]]
    return root, group


async def test_a_meeting_lasts_at_most_14_days(client: GraphQLClient) -> None:
    group = await _group(client)
    # a second past midnight, across a daylight-saving change of the meeting's zone (Auckland,
    # early April): 14 days are 14 x 24 hours, whatever the zone
    start = datetime(2031, 3, 30, 0, 0, 1, 250_000, tzinfo=UTC)
    longest = start + MAX_DURATION
    for end in (longest + timedelta(microseconds=1), start + timedelta(days=400)):
        refused = await client.execute(SCHEDULE, {"input": _input(group, start, end)})
        assert refused["meetingSchedule"] == {"meeting": None, "userErrors": TOO_LONG}
    made = (await client.execute(SCHEDULE, {"input": _input(group, start, longest)}))[
        "meetingSchedule"
    ]
    assert made["userErrors"] == []
    meeting = made["meeting"]
    assert datetime.fromisoformat(meeting["endsAt"]) == longest

    # an update judges the meeting it makes: a later end, or an earlier start, is too long
    for change in (
        {"endsAt": (longest + timedelta(seconds=1)).isoformat()},
        {"startsAt": (start - timedelta(minutes=1)).isoformat()},
    ):
        refused = await client.execute(UPDATE, {"input": {"id": meeting["id"], **change}})
        assert refused["meetingUpdate"] == {"meeting": None, "userErrors": TOO_LONG}, change
    moved = start + timedelta(days=1)
    both = {"startsAt": moved.isoformat(), "endsAt": (moved + MAX_DURATION).isoformat()}
    done = await client.execute(UPDATE, {"input": {"id": meeting["id"], **both}})
    assert done["meetingUpdate"]["userErrors"] == []
    assert datetime.fromisoformat(done["meetingUpdate"]["meeting"]["startsAt"]) == moved

    # the ends-before-starts check still answers alone (not also MEETING_TOO_LONG)
    backwards = _input(group, start, start - timedelta(days=MAX_DAYS + 1))
    refused = await client.execute(SCHEDULE, {"input": backwards})
    assert refused["meetingSchedule"]["userErrors"] == [
        {"code": "ENDS_BEFORE_STARTS", "field": ["input", "endsAt"]}
    ]


async def test_upcoming_lists_a_meeting_that_started_13_days_ago(
    client: GraphQLClient, demo_db: str
) -> None:
    """Written in SQL (the API schedules no meeting in the past): one that started 13 days ago
    and ends tomorrow is upcoming; one that lasted the full 14 days and ended a minute ago is
    not (it is ended); both are within the bound the queries add."""
    now = datetime.now(UTC)
    await _insert_meetings(
        demo_db,
        ("Started 13 days ago", now - timedelta(days=13), now + timedelta(days=1)),
        ("Ended a minute ago", now - MAX_DURATION - timedelta(minutes=1),
         now - timedelta(minutes=1)),
    )  # fmt: skip
    for titles in await _titles(client, UPCOMING):
        assert "Started 13 days ago" in titles
        assert "Ended a minute ago" not in titles
    for titles in await _titles(client, ENDED):
        assert "Ended a minute ago" in titles
        assert "Started 13 days ago" not in titles


async def test_a_kept_upcoming_statement_reads_the_clock_on_each_run(
    demo_db: str, make_client: Any
) -> None:
    """The compiled read path keeps a request's SQL and parameters and, sent again, re-reads
    only the clock (core.compiled.template.Bound.now): a meeting that ends between two identical
    requests is upcoming in the first answer and not in the next, on both read paths."""
    clients = [make_client(demo_db, compiled_reads=on) for on in (True, False)]
    for client in clients:  # the apps started before the clock is read
        await _titles(client, UPCOMING)
    ends = datetime.now(UTC) + timedelta(seconds=4)
    await _insert_meetings(demo_db, ("Ends in four seconds", ends - timedelta(hours=1), ends))
    for _ in range(2):  # kept as SQL text, then answered from what was kept
        for client in clients:
            for titles in await _titles(client, UPCOMING):
                assert "Ends in four seconds" in titles
    await asyncio.sleep(max(0.0, (ends - datetime.now(UTC)).total_seconds() + 0.2))
    for client in clients:
        for titles in await _titles(client, UPCOMING):
            assert "Ends in four seconds" not in titles
