"""E-mail notifications (issue 9, sections 2 and 5), on both databases, with a real SMTP server
(aiosmtpd on a free port) and the real `ogp-wg notify send` console script.

Preferences go through GraphQL (who may read and set them, NO_EMAIL); a meeting moved and
cancelled through GraphQL reaches exactly its registrants once the pass runs, and never twice;
a digest tells what happened in the person's groups since their watermark, and nothing else;
an SMTP server that cannot be reached leaves every message PENDING with one clear line.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from core.auth.staff import find_person
from core.auth.tokens import issue_token
from core.db import Database
from core.demo import DEMO_ROLES
from core.models import OutboxMessage, Person
from core.schema.ids import to_global_id
from core.testing import GraphQLClient
from tests.server_process import OGP_WG, free_port, running_server, server_env

ERRORS = "userErrors { code field }"
PREFS = "notificationPreferences { digest meetingNotices lastDigestAt }"
SET = f"""mutation($input: NotificationPreferencesSetInput!) {{
  notificationPreferencesSet(input: $input) {{ {PREFS} {ERRORS} }} }}"""
READ = f"""query($id: ID!) {{ node(id: $id) {{ ... on Person {{ name {PREFS} }} }} }}"""
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{ meeting {{ id title }} {ERRORS} }} }}"""
REGISTER = f"""mutation($m: ID!, $p: ID!) {{
  registrationCreate(input: {{meetingId: $m, personId: $p}}) {{ registration {{ status }} {ERRORS} }} }}"""
MOVE = f"""mutation($id: ID!, $s: DateTime!, $e: DateTime!) {{
  meetingUpdate(input: {{id: $id, startsAt: $s, endsAt: $e}}) {{ meeting {{ startsAt }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{
  meetingCancel(input: {{id: $id, reason: "The venue closed"}}) {{ meeting {{ id }} {ERRORS} }} }}"""


# --- an SMTP sink -------------------------------------------------------------------------------


@dataclass
class Sink:
    port: int
    messages: list[tuple[list[str], Message]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]


@pytest.fixture
def sink() -> Iterator[Sink]:
    handler = Sink(port=free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def notify(url: str, tmp_path: Any, **settings: str) -> subprocess.CompletedProcess[str]:
    """`ogp-wg notify send` as cron runs it."""
    return subprocess.run(
        [OGP_WG, "notify", "send"],
        cwd=tmp_path,
        env=server_env(url, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def smtp(sink: Sink) -> dict[str, str]:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": str(sink.port),
        "smtp_starttls": "false",
        "smtp_from": "OGP working groups <noreply@ogp.example.org>",
        "notify_public_url": "https://wg.example.org",
    }


# --- helpers ------------------------------------------------------------------------------------


async def _person(url: str, role: str) -> tuple[str, str]:
    """(global ID, e-mail) of a demo role's person."""
    db = Database(url)
    try:
        async with db.read() as conn:
            pk, _ = await find_person(conn, DEMO_ROLES[role])
    finally:
        await db.dispose()
    return to_global_id("Person", pk), DEMO_ROLES[role]


def _body(message: Message) -> str:
    """The text as written (SMTP carries CRLF line ends)."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode().replace("\r\n", "\n")


async def _outbox(url: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            table = OutboxMessage.__table__
            return list((await conn.execute(sa.select(table).order_by(table.c.id))).all())
    finally:
        await db.dispose()


async def _set(client: GraphQLClient, token: str | None, **input: Any) -> dict[str, Any]:
    data = await client.execute(SET, {"input": input}, token=token)
    payload: dict[str, Any] = data["notificationPreferencesSet"]
    return payload


async def _schedule(
    client: GraphQLClient, token: str, title: str, slug: str = "open-data", days: int = 20
) -> str:
    group = await client.execute(
        "query($s: String!) { workingGroup(slug: $s) { id } }", {"s": slug}
    )
    start = (datetime.now(UTC) + timedelta(days=days)).replace(hour=14, minute=0, second=0)
    data = await client.execute(
        SCHEDULE,
        {
            "input": {
                "groupId": group["workingGroup"]["id"],
                "title": title,
                "kind": "VIRTUAL",
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=1)).isoformat(),
                "timezone": "America/Toronto",
                "onlineUrl": "https://meet.example.org/notices",
            }
        },
        token=token,
    )
    payload = data["meetingSchedule"]
    assert payload["userErrors"] == [] and payload["meeting"]["title"] == title
    meeting_id: str = payload["meeting"]["id"]
    return meeting_id


# --- preferences --------------------------------------------------------------------------------


async def test_preferences_are_the_person_s_own(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    member, _ = await _person(demo_db, "member")
    # never chosen: the defaults, for the person themself
    read = await client.execute(READ, {"id": member}, token=role_tokens["member"])
    defaults = {"digest": "NONE", "meetingNotices": True, "lastDigestAt": None}
    assert read["node"]["notificationPreferences"] == defaults

    payload = await _set(client, role_tokens["member"], digest="WEEKLY", meetingNotices=False)
    chosen = {"digest": "WEEKLY", "meetingNotices": False, "lastDigestAt": None}
    assert payload == {"notificationPreferences": chosen, "userErrors": []}
    # meetingNotices left out: unchanged
    payload = await _set(client, role_tokens["member"], digest="DAILY")
    assert payload["notificationPreferences"] == {**chosen, "digest": "DAILY"}
    assert payload["userErrors"] == []

    # read: the person and staff; others (signed in or not) read null
    mine = await client.execute(READ, {"id": member}, token=role_tokens["member"])
    assert mine["node"]["notificationPreferences"] == {**chosen, "digest": "DAILY"}
    staff = await client.execute(READ, {"id": member}, token=role_tokens["staff"])
    assert staff["node"]["notificationPreferences"] == {**chosen, "digest": "DAILY"}
    for token in (role_tokens["other"], role_tokens["anchor"], None):
        seen = await client.execute(READ, {"id": member}, token=token)
        assert seen["node"]["name"] == "Wanjiru Kamau"
        assert seen["node"]["notificationPreferences"] is None

    # setting: only for the signed-in person, and only with the write scope
    errors = await client.errors(SET, {"input": {"digest": "NONE"}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            pk, _ = await find_person(conn, DEMO_ROLES["member"])
            read_only = await issue_token(conn, pk, scopes=frozenset({"read"}), name="ro")
            # a person without an e-mail address: no digest (NO_EMAIL), other choices stand
            nobody = await conn.scalar(
                sa.insert(Person).values(name="No Mail").returning(Person.id)
            )
            no_mail = await issue_token(conn, int(nobody or 0), name="no mail")
    finally:
        await db.dispose()
    errors = await client.errors(SET, {"input": {"digest": "NONE"}}, token=read_only.token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    refused = await _set(client, no_mail.token, digest="WEEKLY")
    assert refused == {
        "notificationPreferences": None,
        "userErrors": [{"code": "NO_EMAIL", "field": ["input", "digest"]}],
    }
    kept = await _set(client, no_mail.token, digest="NONE", meetingNotices=False)
    assert kept == {
        "notificationPreferences": {
            "digest": "NONE",
            "meetingNotices": False,
            "lastDigestAt": None,
        },
        "userErrors": [],
    }
    # the member's choice was untouched by all that
    mine = await client.execute(READ, {"id": member}, token=role_tokens["member"])
    assert mine["node"]["notificationPreferences"] == {**chosen, "digest": "DAILY"}


# --- meeting notices ----------------------------------------------------------------------------


async def test_registrants_hear_of_a_move_and_a_cancellation_once(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str, sink: Sink, tmp_path: Any
) -> None:
    anchor = role_tokens["anchor"]
    meeting = await _schedule(client, anchor, "Open contracting clinic")
    untouched = await _schedule(client, anchor, "Another clinic")
    people = {role: await _person(demo_db, role) for role in ("member", "other", "staff")}
    for role in ("member", "other"):
        data = await client.execute(REGISTER, {"m": meeting, "p": people[role][0]}, token=anchor)
        assert data["registrationCreate"] == {
            "registration": {"status": "REGISTERED"},
            "userErrors": [],
        }
    # staff registers for the other meeting only: it hears of nothing
    data = await client.execute(REGISTER, {"m": untouched, "p": people["staff"][0]}, token=anchor)
    assert data["registrationCreate"]["userErrors"] == []

    start = (datetime.now(UTC) + timedelta(days=30)).replace(
        hour=15, minute=30, second=0, microsecond=0
    )
    moved = await client.execute(
        MOVE,
        {"id": meeting, "s": start.isoformat(), "e": (start + timedelta(hours=2)).isoformat()},
        token=anchor,
    )
    assert moved["meetingUpdate"]["userErrors"] == []
    assert await _outbox(demo_db) == []  # nothing is queued, let alone sent, by the request

    done = notify(demo_db, tmp_path, **smtp(sink))
    assert done.returncode == 0, done.stderr
    assert "queued 2 meeting notice(s) and 0 digest(s); sent 2, failed 0, pending 0" in done.stderr
    local = start.astimezone(ZoneInfo("America/Toronto"))
    group = await client.execute('{ workingGroup(slug: "open-data") { name } }')
    group_name = group["workingGroup"]["name"]
    for role in ("member", "other"):
        [message] = sink.to(people[role][1])
        assert message["Subject"] == "Meeting moved: Open contracting clinic"
        assert message["From"] == "OGP working groups <noreply@ogp.example.org>"
        assert message["To"] == people[role][1]
        assert message["Message-ID"].startswith("<ogp-wg-outbox-")
        body = _body(message)
        assert "Meeting 'Open contracting clinic' was moved." in body
        assert f"Group: {group_name}\n" in body
        assert f"New time: {local.strftime('%A %d %B %Y, %H:%M')}-" in body
        assert f"{(local + timedelta(hours=2)).strftime('%H:%M')} (America/Toronto; " in body
        assert f"{start.strftime('%H:%M')}-" in body and " UTC)" in body
        assert f"Calendar: https://wg.example.org/meetings/{meeting}.ics" in body
    assert sink.to(people["staff"][1]) == []
    assert len(sink.messages) == 2

    again = notify(demo_db, tmp_path, **smtp(sink))  # a rerun: nothing new, nothing twice
    assert again.returncode == 0, again.stderr
    quiet = "queued 0 meeting notice(s) and 0 digest(s); sent 0, failed 0, pending 0"
    assert quiet in again.stderr, again.stderr
    assert len(sink.messages) == 2

    # "other" turns meeting notices off; the cancellation reaches the member only
    off = await _set(client, role_tokens["other"], digest="NONE", meetingNotices=False)
    assert off["userErrors"] == []
    cancelled = await client.execute(CANCEL, {"id": meeting}, token=anchor)
    assert cancelled["meetingCancel"] == {"meeting": {"id": meeting}, "userErrors": []}
    done = notify(demo_db, tmp_path, **smtp(sink))
    assert done.returncode == 0, done.stderr
    assert "queued 1 meeting notice(s)" in done.stderr
    [_, notice] = sink.to(people["member"][1])
    assert notice["Subject"] == "Meeting cancelled: Open contracting clinic"
    body = _body(notice)
    assert "Meeting 'Open contracting clinic' was cancelled." in body
    assert "Reason: The venue closed" in body
    assert "It was to take place: " in body
    assert len(sink.to(people["other"][1])) == 1 and len(sink.messages) == 3
    rows = await _outbox(demo_db)
    assert [(r.kind, r.state, r.attempts) for r in rows] == [("MEETING_NOTICE", "SENT", 1)] * 3


# --- digests ------------------------------------------------------------------------------------


async def test_digest_tells_the_groups_news_since_the_watermark(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str, sink: Sink, tmp_path: Any
) -> None:
    anchor, staff = role_tokens["anchor"], role_tokens["staff"]
    _, member_mail = await _person(demo_db, "member")
    _, other_mail = await _person(demo_db, "other")
    await _schedule(client, anchor, "Before the opt-in")
    chosen = await _set(client, role_tokens["member"], digest="DAILY")
    assert chosen["notificationPreferences"]["digest"] == "DAILY"
    # "other" wants one too, but belongs to no group: it gets nothing
    assert (await _set(client, role_tokens["other"], digest="WEEKLY"))["userErrors"] == []
    await _schedule(client, anchor, "Data standards call")
    await _schedule(client, staff, "A fiscal meeting", slug="fiscal-openness")

    done = notify(demo_db, tmp_path, **smtp(sink))
    assert done.returncode == 0, done.stderr
    assert "queued 0 meeting notice(s) and 1 digest(s); sent 1" in done.stderr
    [digest] = sink.to(member_mail)
    assert digest["Subject"] == "Your daily digest: 1 events in your working groups"
    body = _body(digest)
    assert "Meeting 'Data standards call' was scheduled" in body
    assert "Before the opt-in" not in body and "A fiscal meeting" not in body
    assert sink.to(other_mail) == []
    read = await client.execute(
        READ, {"id": (await _person(demo_db, "member"))[0]}, token=role_tokens["member"]
    )
    assert read["node"]["notificationPreferences"]["lastDigestAt"] is not None

    await _schedule(client, anchor, "Next week's call")
    again = notify(demo_db, tmp_path, **smtp(sink))  # not due again for a day: nothing
    assert again.returncode == 0, again.stderr
    assert "queued 0 meeting notice(s) and 0 digest(s); sent 0" in again.stderr
    assert len(sink.messages) == 1


async def test_digest_leaves_out_groups_of_a_disabled_theme(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str, sink: Sink, tmp_path: Any
) -> None:
    """A disabled theme's groups are hidden from the API, so from the digest too."""
    _, member_mail = await _person(demo_db, "member")
    assert (await _set(client, role_tokens["member"], digest="DAILY"))["userErrors"] == []
    await _schedule(client, role_tokens["anchor"], "While open data is switched off")

    off = notify(demo_db, tmp_path, **smtp(sink), plugins_disabled="open_data")
    assert off.returncode == 0, off.stderr
    assert "queued 0 meeting notice(s) and 0 digest(s); sent 0" in off.stderr
    assert sink.to(member_mail) == []


# --- failures -----------------------------------------------------------------------------------


async def test_smtp_down_keeps_messages_pending(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str, sink: Sink, tmp_path: Any
) -> None:
    anchor = role_tokens["anchor"]
    meeting = await _schedule(client, anchor, "Clinic on a bad day")
    (member, member_mail), (other, other_mail) = [
        await _person(demo_db, role) for role in ("member", "other")
    ]
    for person in (member, other):
        await client.execute(REGISTER, {"m": meeting, "p": person}, token=anchor)
    assert (await client.execute(CANCEL, {"id": meeting}, token=anchor))["meetingCancel"][
        "userErrors"
    ] == []

    off = notify(demo_db, tmp_path)  # no smtp_host: e-mail is off, nothing queued
    assert off.returncode == 1
    assert off.stderr.strip() == (
        "ogp-wg: error: e-mail is off: set smtp_host (OGP_WG_SMTP_HOST or ogp-wg.toml) to "
        "send notifications; nothing was queued or sent"
    )
    assert await _outbox(demo_db) == []

    down = {**smtp(sink), "smtp_port": str(free_port())}  # nobody listens there
    failed = notify(demo_db, tmp_path, **down)
    assert failed.returncode == 1
    [line] = failed.stderr.strip().splitlines()
    assert line.startswith(
        f"ogp-wg: error: cannot use the SMTP server 127.0.0.1:{down['smtp_port']}"
    )
    assert line.endswith(
        "2 message(s) stay pending for the next pass (queued 2 meeting notice(s) and 0 "
        "digest(s); sent 0, failed 0, pending 2)"
    )
    assert "Traceback" not in failed.stderr
    rows = await _outbox(demo_db)
    assert [(r.state, r.attempts, r.sent_at) for r in rows] == [("PENDING", 0, None)] * 2

    sink.refuse.add(other_mail)  # the server refuses one mailbox for good: FAILED, not retried
    done = notify(demo_db, tmp_path, **smtp(sink))
    assert done.returncode == 0, done.stderr
    assert "queued 0 meeting notice(s) and 0 digest(s); sent 1, failed 1, pending 0" in done.stderr
    assert len(sink.to(member_mail)) == 1 and sink.to(other_mail) == []
    states = {r.recipient: (r.state, r.attempts, r.last_error) for r in await _outbox(demo_db)}
    assert states == {
        member_mail: ("SENT", 1, ""),
        other_mail: ("FAILED", 1, f"{other_mail}: 550 5.1.1 no such mailbox"),
    }


@pytest.mark.slow  # a real server with two workers
async def test_the_server_s_own_loop_sends_once_across_workers(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str, sink: Sink, tmp_path: Any
) -> None:
    anchor = role_tokens["anchor"]
    meeting = await _schedule(client, anchor, "Clinic the server tells of")
    member, member_mail = await _person(demo_db, "member")
    await client.execute(REGISTER, {"m": meeting, "p": member}, token=anchor)
    settings = {**smtp(sink), "notify_interval": "0.2"}
    with running_server(demo_db, tmp_path, workers=2, **settings) as server:
        cancelled = await client.execute(CANCEL, {"id": meeting}, token=anchor)
        assert cancelled["meetingCancel"]["userErrors"] == []
        for _ in range(300):  # the loops of both workers run every 0.2 s
            if sink.to(member_mail):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # more passes by both workers: still one message
        assert server.terminate() == 0, server.output()
    [notice] = sink.to(member_mail)
    assert notice["Subject"] == "Meeting cancelled: Clinic the server tells of"
    assert len(sink.messages) == 1
    rows = await _outbox(demo_db)
    assert [(r.recipient, r.state, r.attempts) for r in rows] == [(member_mail, "SENT", 1)]
