"""Pre-registrations admitted when a Summit meeting's registration opens, without a write on the
meeting (issue 9, section 2), on both databases: by `ogp-wg notify admit` (as cron runs it) and
by the server's own loop (`notify_interval`, e-mail off), in queue order, once.

Time passes the way a clock would make it: the meeting is scheduled with its registration
opening tomorrow, the pre-registrations are taken, then the opening time is moved into the past
in the database itself (not through `meetingUpdate`, whose write would admit them at once).
Until the job runs, a read shows the queue PRE_REGISTERED: the documented bound (one interval).
"""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from core.db import Database
from core.demo import DEMO_ROLES
from core.models import Meeting, Person
from core.schema.ids import pk_of, to_global_id
from core.testing import GraphQLClient
from tests.server_process import OGP_WG, running_server, server_env

pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code field }"
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{ meeting {{ id }} {ERRORS} }} }}"""
REGISTER = f"""mutation($m: ID!, $p: ID!) {{
  registrationCreate(input: {{meetingId: $m, personId: $p}}) {{
    registration {{ status }} {ERRORS} }} }}"""
STATE = """query($id: ID!) { node(id: $id) { ... on Meeting { registrationOpen registeredCount
  registrations(first: 100) { nodes { status person { id } } } } } }"""


async def _people(url: str, n: int) -> list[str]:
    """n demo people who hold no demo role."""
    db = Database(url)
    try:
        async with db.read() as conn:
            stmt = select(Person.id).where(Person.email.not_in(DEMO_ROLES.values()))
            ids = list(await conn.scalars(stmt.order_by(Person.id).limit(n)))
    finally:
        await db.dispose()
    return [to_global_id("Person", pk) for pk in ids]


async def _summit(client: GraphQLClient, people: list[str], title: str) -> str:
    """A Summit meeting of 2 places whose registration opens tomorrow, `people` pre-registered
    in this order."""
    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]
    start = datetime.now(UTC) + timedelta(days=30)
    data = await client.execute(
        SCHEDULE,
        {
            "input": {
                "groupId": group["id"],
                "title": title,
                "kind": "IN_PERSON",
                "location": "London",
                "isSummit": True,
                "capacity": 2,
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=2)).isoformat(),
                "timezone": "Europe/London",
                "registrationOpensAt": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            }
        },
    )
    assert data["meetingSchedule"]["userErrors"] == []
    meeting: str = data["meetingSchedule"]["meeting"]["id"]
    for person in people:
        answer = (await client.execute(REGISTER, {"m": meeting, "p": person}))["registrationCreate"]
        assert answer == {"registration": {"status": "PRE_REGISTERED"}, "userErrors": []}
    return meeting


async def _opened(url: str, meeting: str) -> None:
    """The clock passes the opening time: registration opened a minute ago."""
    db = Database(url)
    try:
        async with db.write() as conn:
            await conn.execute(
                update(Meeting)
                .where(Meeting.id == pk_of(meeting, "Meeting"))
                .values(registration_opens_at=datetime.now(UTC) - timedelta(minutes=1))
            )
    finally:
        await db.dispose()


async def _state(client: GraphQLClient, meeting: str) -> tuple[bool, int, list[tuple[str, str]]]:
    node = (await client.execute(STATE, {"id": meeting}))["node"]
    queue = [(n["status"], n["person"]["id"]) for n in node["registrations"]["nodes"]]
    return node["registrationOpen"], node["registeredCount"], queue


def _admit(url: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """`ogp-wg notify admit` as cron runs it."""
    return subprocess.run(
        [OGP_WG, "notify", "admit"],
        cwd=workdir,
        env=server_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_job_admits_pre_registrations_once_registration_opens(
    client: GraphQLClient, demo_db: str, tmp_path: Path
) -> None:
    people = await _people(demo_db, 4)
    due = await _summit(client, people[:3], "Admission check")
    later = await _summit(client, people[3:], "Not open yet")
    await _opened(demo_db, due)
    # before the job runs: registration is open, the queue still pre-registered (the bound)
    assert await _state(client, due) == (True, 0, [("PRE_REGISTERED", p) for p in people[:3]])

    done = _admit(demo_db, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "ogp-wg: admitted 3 pre-registration(s)"
    assert await _state(client, due) == (
        True,
        2,
        [("REGISTERED", people[0]), ("REGISTERED", people[1]), ("WAITLISTED", people[2])],
    )
    assert await _state(client, later) == (False, 0, [("PRE_REGISTERED", people[3])])

    again = _admit(demo_db, tmp_path)  # nothing left to admit: nothing changes
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip() == "ogp-wg: admitted 0 pre-registration(s)"
    assert (await _state(client, due))[1] == 2


async def test_a_cancelled_meeting_admits_nobody(
    client: GraphQLClient, demo_db: str, tmp_path: Path
) -> None:
    people = await _people(demo_db, 1)
    meeting = await _summit(client, people, "Cancelled before opening")
    cancelled = await client.execute(
        f"""mutation($id: ID!) {{ meetingCancel(input: {{id: $id, reason: "Venue"}}) {{
          meeting {{ id }} {ERRORS} }} }}""",
        {"id": meeting},
    )
    assert cancelled["meetingCancel"]["userErrors"] == []
    await _opened(demo_db, meeting)
    done = _admit(demo_db, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "ogp-wg: admitted 0 pre-registration(s)"
    assert (await _state(client, meeting))[2] == [("PRE_REGISTERED", people[0])]


@pytest.mark.slow  # a real server with two workers
async def test_the_server_s_loop_admits_without_e_mail(
    client: GraphQLClient, demo_db: str, tmp_path: Path
) -> None:
    """`notify_interval` set, `smtp_host` not: both workers' loops admit, each person once."""
    people = await _people(demo_db, 3)
    meeting = await _summit(client, people, "Admitted by the server")
    expected: Any = (
        True,
        2,
        [("REGISTERED", people[0]), ("REGISTERED", people[1]), ("WAITLISTED", people[2])],
    )
    with running_server(demo_db, tmp_path, workers=2, notify_interval="0.2") as server:
        await _opened(demo_db, meeting)
        for _ in range(300):  # the loops of both workers run every 0.2 s
            if await _state(client, meeting) == expected:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # more rounds by both workers: nothing changes
        assert await _state(client, meeting) == expected
        assert server.terminate() == 0, server.output()
