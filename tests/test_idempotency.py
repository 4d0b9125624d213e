"""`Idempotency-Key` on mutations (issue 8, point 5), over HTTP on both databases.

A retry with the same key gets the first answer byte for byte and writes nothing (no row in any
table, no audit entry); the same key for another request is refused (422); a key still being
worked on is refused at once (409, Retry-After); keys are per caller, kept for the configured
time, then free again and purged; an answer that wrote nothing because the server failed is not
kept, so the retry runs; queries ignore the header.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select, text, update

from core.db import Database, on_raw_statement, utcnow
from core.demo import DEMO_ROLES
from core.idempotency import purge_expired
from core.models import Person
from core.models.trust import IdempotencyKey
from core.schema.ids import from_global_id, to_global_id
from core.testing import ClientFactory, GraphQLClient
from tests.snapshots import differences, table_rows

SCHEDULE = """mutation($input: MeetingScheduleInput!) { meetingSchedule(input: $input) {
  meeting { id title capacity } userErrors { code message field } } }"""
REGISTER = """mutation($m: ID!, $p: ID!) { registrationCreate(input: {meetingId: $m, personId: $p}) {
  registration { id status } userErrors { code field } } }"""
GROUP = """{ workingGroup(slug: "open-data") { id } }"""
# api_tokens: the token's last_used_at is bookkeeping of authentication, not of the mutation
SKIP = frozenset({"api_tokens"})


def _meeting(group: str, title: str = "Idempotent clinic") -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=20)
    return {
        "groupId": group,
        "title": title,
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Madrid",
        "onlineUrl": "https://meet.example.org/idem",
        "capacity": 5,
    }


async def _post(
    client: GraphQLClient,
    token: str,
    query: str,
    variables: dict[str, Any] | None = None,
    key: str | None = None,
    **headers: str,
) -> httpx.Response:
    sent = {"authorization": f"Bearer {token}", **headers}
    if key is not None:
        sent["idempotency-key"] = key
    return await client.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=sent
    )


async def _group(client: GraphQLClient, token: str) -> str:
    return str((await _post(client, token, GROUP)).json()["data"]["workingGroup"]["id"])


async def _person_id(url: str, email: str) -> str:
    db = Database(url)
    try:
        async with db.read() as conn:
            pk = await conn.scalar(select(Person.id).where(Person.email == email))
    finally:
        await db.dispose()
    return to_global_id("Person", int(pk))


async def _keys(url: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            return list((await conn.execute(select(IdempotencyKey))).all())
    finally:
        await db.dispose()


async def test_a_retry_gets_the_first_answer_and_writes_nothing(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    staff = role_tokens["staff"]
    variables = {"input": _meeting(await _group(client, staff))}
    first = await _post(client, staff, SCHEDULE, variables, key="schedule-1")
    assert first.status_code == 200 and "idempotent-replayed" not in first.headers
    payload = first.json()["data"]["meetingSchedule"]
    assert payload["userErrors"] == [] and payload["meeting"]["title"] == "Idempotent clinic"
    after_first = await table_rows(demo_db, skip=SKIP)

    for _ in range(2):
        again = await _post(client, staff, SCHEDULE, variables, key="schedule-1")
        assert again.status_code == 200
        assert again.content == first.content  # the same meeting id: it did not run again
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["content-type"] == first.headers["content-type"]
    assert differences(after_first, await table_rows(demo_db, skip=SKIP)) == []

    # The IETF draft's quoted form names the same key.
    quoted = await _post(client, staff, SCHEDULE, variables, key='"schedule-1"')
    assert quoted.content == first.content
    # Without the key (or with another) the same request is a new meeting.
    other = await _post(client, staff, SCHEDULE, variables, key="schedule-2")
    assert other.json()["data"]["meetingSchedule"]["meeting"]["id"] != payload["meeting"]["id"]


async def test_a_retried_registration_is_not_a_duplicate(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    staff, member = role_tokens["staff"], role_tokens["member"]
    created = await _post(client, staff, SCHEDULE, {"input": _meeting(await _group(client, staff))})
    meeting = created.json()["data"]["meetingSchedule"]["meeting"]["id"]
    me = await _person_id(demo_db, DEMO_ROLES["member"])
    variables = {"m": meeting, "p": me}

    first = await _post(client, member, REGISTER, variables, key="register-me")
    assert first.json()["data"]["registrationCreate"]["registration"]["status"] == "REGISTERED"
    retry = await _post(client, member, REGISTER, variables, key="register-me")
    assert retry.content == first.content  # not DUPLICATE_REGISTRATION: the first answer
    fresh = await _post(client, member, REGISTER, variables, key="register-me-again")
    errors = fresh.json()["data"]["registrationCreate"]["userErrors"]
    assert [e["code"] for e in errors] == ["DUPLICATE_REGISTRATION"]


class _FaultAfterRegistering:
    """Fails the request right after the statement that wrote its registration ran (a crash
    between the write and the answer): PostgreSQL's `register_at_once` call, committed by then
    (its own transaction), or SQLite's INSERT, rolled back with its transaction."""

    def __init__(self) -> None:
        self.armed = False
        self.struck = 0

    def __call__(self, statement: str, _seconds: float) -> None:
        wrote = "register_at_once(" in statement or statement.lstrip().startswith(
            "INSERT INTO registrations"
        )
        if self.armed and wrote:
            self.armed = False
            self.struck += 1
            raise RuntimeError("injected after the registration's write")


async def test_a_retry_after_a_fault_past_the_write_is_not_a_duplicate(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    """Whether or not the failed request's write was committed when it failed, the retry with
    its key never answers DUPLICATE_REGISTRATION: a write committed on the driver's connection
    (core.driver, outside SQLAlchemy's events) is counted, so that answer is kept and replayed;
    one rolled back leaves the key free, and the retry registers."""
    staff, member = role_tokens["staff"], role_tokens["member"]
    created = await _post(client, staff, SCHEDULE, {"input": _meeting(await _group(client, staff))})
    meeting = created.json()["data"]["meetingSchedule"]["meeting"]["id"]
    variables = {"m": meeting, "p": await _person_id(demo_db, DEMO_ROLES["member"])}
    fault = _FaultAfterRegistering()
    on_raw_statement(client.app.state.ogp.db.engine.sync_engine, fault)

    fault.armed = True
    failed = await _post(client, member, REGISTER, variables, key="crash-then-retry")
    assert fault.struck == 1
    codes = [e["extensions"]["code"] for e in failed.json()["errors"]]
    assert codes == ["INTERNAL_SERVER_ERROR"], failed.json()
    retry = await _post(client, member, REGISTER, variables, key="crash-then-retry")
    if demo_db.startswith("sqlite"):  # rolled back: the key was released, the retry runs
        payload = retry.json()["data"]["registrationCreate"]
        assert payload["userErrors"] == [] and payload["registration"]["status"] == "REGISTERED"
    else:  # committed by the function's own transaction: the answer was kept
        assert retry.headers.get("idempotent-replayed") == "true"
        assert retry.content == failed.content
    again = await _post(client, member, REGISTER, variables, key="another-key")
    errors = again.json()["data"]["registrationCreate"]["userErrors"]
    assert [e["code"] for e in errors] == ["DUPLICATE_REGISTRATION"]  # registered exactly once


async def test_a_key_reused_for_another_request_is_refused(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    staff = role_tokens["staff"]
    group = await _group(client, staff)
    first = await _post(client, staff, SCHEDULE, {"input": _meeting(group)}, key="k-1")
    assert first.status_code == 200
    before = await table_rows(demo_db, skip=SKIP)

    for accept in ("application/json", "application/graphql-response+json"):
        refused = await _post(
            client, staff, SCHEDULE, {"input": _meeting(group, "Another")}, key="k-1", accept=accept
        )
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith(accept)
        [error] = refused.json()["errors"]
        assert error["extensions"] == {"code": "IDEMPOTENCY_KEY_REUSED"}
        assert "another request" in error["message"]
    assert differences(before, await table_rows(demo_db, skip=SKIP)) == []


async def test_keys_belong_to_their_caller(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    staff, anchor = role_tokens["staff"], role_tokens["anchor"]
    group = await _group(client, staff)
    one = await _post(client, staff, SCHEDULE, {"input": _meeting(group)}, key="shared-key")
    two = await _post(client, anchor, SCHEDULE, {"input": _meeting(group)}, key="shared-key")
    assert "idempotent-replayed" not in two.headers
    assert one.json()["data"]["meetingSchedule"]["meeting"]["id"] != (
        two.json()["data"]["meetingSchedule"]["meeting"] or {}
    ).get("id")
    assert sorted(row.principal.split(":")[0] for row in await _keys(demo_db)) == [
        "person",
        "person",
    ]


async def test_a_key_in_progress_is_refused_at_once(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    """A claim that has not answered yet (as while the first request runs): 409, nothing runs."""
    staff = role_tokens["staff"]
    variables = {"input": _meeting(await _group(client, staff))}
    first = await _post(client, staff, SCHEDULE, variables, key="busy")
    db = Database(demo_db)
    try:
        async with db.write() as conn:  # back to "claimed, no answer yet"
            await conn.execute(update(IdempotencyKey).values(status_code=0, response=b""))
    finally:
        await db.dispose()
    before = await table_rows(demo_db, skip=SKIP)
    busy = await _post(client, staff, SCHEDULE, variables, key="busy")
    assert busy.status_code == 409 and busy.headers["retry-after"] == "1"
    assert busy.json()["errors"][0]["extensions"] == {"code": "IDEMPOTENCY_KEY_IN_PROGRESS"}
    assert differences(before, await table_rows(demo_db, skip=SKIP)) == []
    assert first.status_code == 200


async def test_a_key_locked_by_another_request_is_refused_not_timed_out(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    """Another request's transaction holds this key's row (claiming it, or storing its answer)
    for longer than a claim waits: 409 in progress, not the statement timeout's 503, nothing run.
    (CI once saw the 503 under load: a lock wait on the same key is a key in use.)"""
    if demo_db.startswith("sqlite"):
        pytest.skip(
            "PostgreSQL only: SQLite takes the whole database's write lock (BEGIN IMMEDIATE)"
        )
    staff = role_tokens["staff"]
    variables = {"input": _meeting(await _group(client, staff), "Held elsewhere")}
    found = from_global_id(await _person_id(demo_db, DEMO_ROLES["staff"]))
    assert found is not None
    person = found[1]
    before = await table_rows(demo_db, skip=SKIP)
    db = Database(demo_db)
    try:
        async with db.write() as conn:  # the other request: claimed, not committed yet
            now = utcnow()
            await conn.execute(
                insert(IdempotencyKey).values(
                    principal=f"person:{person}", key="held", request_hash="x" * 64,
                    status_code=0, response=b"", created_at=now, expires_at=now + timedelta(hours=1),
                )
            )  # fmt: skip
            held = await _post(client, staff, SCHEDULE, variables, key="held")
            await conn.rollback()
    finally:
        await db.dispose()
    assert held.status_code == 409, held.text
    assert held.json()["errors"][0]["extensions"] == {"code": "IDEMPOTENCY_KEY_IN_PROGRESS"}
    assert differences(before, await table_rows(demo_db, skip=SKIP)) == []


async def test_concurrent_duplicates_run_once(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    import asyncio

    staff = role_tokens["staff"]
    variables = {"input": _meeting(await _group(client, staff), "Sent ten times at once")}
    answers = await asyncio.gather(
        *(_post(client, staff, SCHEDULE, variables, key="burst") for _ in range(10))
    )
    ran = [a for a in answers if a.status_code == 200 and "idempotent-replayed" not in a.headers]
    assert len(ran) == 1
    for answer in answers:
        if answer.status_code == 200:
            assert answer.content == ran[0].content
        else:  # still running when it came: refused, never run
            assert answer.status_code == 409, answer.text
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            found = await conn.scalar(
                text("SELECT count(*) FROM meetings WHERE title = 'Sent ten times at once'")
            )
    finally:
        await db.dispose()
    assert found == 1


async def test_keys_expire_and_are_purged(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db, idempotency_key_retention=3600)
    staff = role_tokens["staff"]
    variables = {"input": _meeting(await _group(client, staff))}
    first = await _post(client, staff, SCHEDULE, variables, key="short-lived")
    [row] = await _keys(demo_db)
    assert row.expires_at - row.created_at == timedelta(seconds=3600)
    assert row.status_code == 200 and row.request_hash and row.response.endswith(first.content)

    db = Database(demo_db)
    try:
        async with db.write() as conn:  # an hour later
            await conn.execute(
                update(IdempotencyKey).values(expires_at=utcnow() - timedelta(seconds=1))
            )
        later = await _post(client, staff, SCHEDULE, variables, key="short-lived")
        assert "idempotent-replayed" not in later.headers  # an expired key is a new key
        assert later.content != first.content
        async with db.write() as conn:
            await conn.execute(
                update(IdempotencyKey).values(expires_at=utcnow() - timedelta(seconds=1))
            )
        assert await purge_expired(db) == 1
        assert await _keys(demo_db) == []
    finally:
        await db.dispose()


async def test_queries_and_bad_keys(
    client: GraphQLClient, demo_db: str, role_tokens: dict[str, str]
) -> None:
    staff = role_tokens["staff"]
    read = await _post(client, staff, GROUP, key="read-only")
    assert read.status_code == 200 and "idempotent-replayed" not in read.headers
    assert await _keys(demo_db) == []
    for bad in ("", "x" * 201, "tab\tinside", "naïve"):
        response = await client.http.post(
            "/graphql",
            json={"query": SCHEDULE, "variables": {}},
            headers={
                "authorization": f"Bearer {staff}",
                "idempotency-key": bad.encode(),
            },
        )
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
    assert await _keys(demo_db) == []
