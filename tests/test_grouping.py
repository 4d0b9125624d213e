"""Work of concurrent requests run together (core.grouping, issue 12): the audit log's rows are
written by group commit, and the bearer tokens are looked up in rounds; what arrives while one
round runs goes in the next. Both databases.

What must hold whatever the grouping: every call has exactly its audit row (who, what, outcome,
its request's ID), concurrent or not; a row refused for its own fault takes no other row with
it; a caller cancelled while it waits still has its row written; every request is answered as
its own token says (staff, member, unknown, revoked), whatever else its round looked up.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from core.access import audit
from core.db import Database, on_raw_statement, utcnow
from core.testing import ClientFactory, token_for

CREATE = """mutation($i: WorkingGroupCreateInput!) { workingGroupCreate(input: $i) {
  workingGroup { id } userErrors { code } } }"""
CALLS = 24


async def _audit_rows(url: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            return list(await conn.execute(text("SELECT * FROM audit_log ORDER BY id")))
    finally:
        await db.dispose()


def _statements(client: Any, fragment: str) -> list[str]:
    """The SQL of the statements the client's app runs on the driver that contain `fragment`,
    as they run (`core.db.on_raw_statement`)."""
    seen: list[str] = []
    on_raw_statement(
        client.app.state.ogp.db.engine.sync_engine,
        lambda sql, _: seen.append(sql) if fragment in sql else None,
    )
    return seen


async def test_concurrent_calls_each_get_their_row_in_fewer_writes(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db, rate_limits=False)
    inserts = _statements(client, "INSERT INTO audit_log")
    before = len(await _audit_rows(demo_db))

    async def call(i: int) -> dict[str, Any]:
        # three outcomes: refused (anonymous), done (a new slug), a user error (a slug taken)
        role = (None, "staff", "staff")[i % 3]
        slug = f"grouped-{i}" if i % 3 == 1 else "open-data"
        headers = {"x-request-id": f"grouped-{i}"}
        if role:
            headers["authorization"] = f"Bearer {role_tokens[role]}"
        body = {
            "query": CREATE,
            "variables": {"i": {"slug": slug, "name": slug, "theme": "open_data"}},
        }
        answer = await client.http.post("/graphql", json=body, headers=headers)
        return answer.json()

    answers = await asyncio.gather(*(call(i) for i in range(CALLS)))
    rows = (await _audit_rows(demo_db))[before:]
    by_request = {row.request_id: row for row in rows}
    assert len(rows) == len(by_request) == CALLS  # one row per call, none lost or doubled
    for i, answer in enumerate(answers):
        row = by_request[f"grouped-{i}"]
        assert row.mutation == "workingGroupCreate"
        if i % 3 == 0:
            assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert (row.outcome, row.codes, row.person_id) == (
                "UNAUTHENTICATED",
                "UNAUTHENTICATED",
                None,
            )
        elif i % 3 == 1:
            assert answer["data"]["workingGroupCreate"]["userErrors"] == []
            assert (row.outcome, row.codes, row.object_type) == ("OK", "", "WorkingGroup")
            assert row.object_id == answer["data"]["workingGroupCreate"]["workingGroup"]["id"]
        else:
            assert answer["data"]["workingGroupCreate"]["userErrors"] == [
                {"code": "DUPLICATE_SLUG"}
            ]
            assert (row.outcome, row.codes) == ("USER_ERROR", "DUPLICATE_SLUG")
    # grouped: the 24 rows came in fewer statements than calls (each statement counts once)
    assert 1 <= len(inserts) < CALLS, len(inserts)


def _values(person_id: int | None, request_id: str) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "person_id": person_id,
        "token_id": None,
        "mutation": "grouping",
        "object_type": None,
        "object_id": None,
        "outcome": "OK",
        "codes": "",
        "request_id": request_id,
    }


async def test_a_row_refused_for_its_own_fault_takes_no_other_with_it(empty_db: str) -> None:
    """Three rows handed in together, the middle one naming a person that does not exist (the
    foreign key refuses it): the other two are written, the middle one's caller gets the
    driver's error; a caller cancelled while it waits still has its row written."""
    db = Database(empty_db)
    try:
        sql_of = audit._insert().bind
        dialect = db.engine.dialect

        def write(person_id: int | None, request_id: str) -> Any:
            return db.grouped_writes(*sql_of(dialect, _values(person_id, request_id)))

        first = asyncio.ensure_future(write(None, "first"))  # starts a round
        await asyncio.sleep(0)
        grouped = [write(None, "good-1"), write(987654, "bad"), write(None, "good-2")]
        results = await asyncio.gather(*grouped, return_exceptions=True)
        await first
        assert results[0] is None and results[2] is None
        assert "foreign key" in str(results[1]).lower() or "FOREIGN KEY" in str(results[1])

        cancelled = asyncio.ensure_future(write(None, "cancelled"))
        await asyncio.sleep(0)  # handed in
        cancelled.cancel()
        await write(None, "after")  # the round after the cancelled caller's
        written = [row.request_id for row in await _audit_rows(empty_db)]
        assert sorted(written) == ["after", "cancelled", "first", "good-1", "good-2"]
    finally:
        await db.dispose()


STAFF_ONLY = "{ auditLog(first: 1) { totalCount } }"


async def test_concurrent_requests_each_answered_as_their_own_token_says(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db, rate_limits=False)
    lookups = _statements(client, "FROM api_tokens")
    revoked = await token_for(demo_db, "staff")
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            await conn.execute(
                text(
                    "UPDATE api_tokens SET revoked_at = expires_at WHERE id = (SELECT max(id) FROM api_tokens)"
                )
            )
    finally:
        await db.dispose()
    kinds = ["staff", "member", "unknown", "revoked", "anchor"]
    token = {**role_tokens, "unknown": "ogpwg_" + "x" * 40, "revoked": revoked}

    async def call(kind: str) -> tuple[int, dict[str, Any]]:
        headers = {"authorization": f"Bearer {token[kind]}"}
        answer = await client.http.post("/graphql", json={"query": STAFF_ONLY}, headers=headers)
        return answer.status_code, answer.json()

    asked = [kinds[i % len(kinds)] for i in range(CALLS)]
    answers = await asyncio.gather(*(call(kind) for kind in asked))
    for kind, (status, body) in zip(asked, answers, strict=True):
        if kind == "staff":
            assert status == 200 and body["data"]["auditLog"]["totalCount"] >= 0, body
        elif kind in ("member", "anchor"):
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        else:
            assert status == 401, body
            expected = "revoked" if kind == "revoked" else "not valid"
            assert expected in body["errors"][0]["message"], body
    assert 1 <= len(lookups) < CALLS, len(lookups)  # looked up in rounds
