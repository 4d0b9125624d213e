"""The audit log's rows are written by group commit (core.grouping, issue 12): the calls that end
while one round is being written go together in the next. Both databases.

What must hold whatever the grouping: every call has exactly its row (who, what, outcome, its
request's ID), concurrent or not; a row refused for its own fault takes no other row with it;
a caller cancelled while it waits still has its row written.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from core.access import audit
from core.db import Database, on_raw_statement, utcnow
from core.testing import ClientFactory

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


async def test_concurrent_calls_each_get_their_row_in_fewer_writes(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db, rate_limits=False)
    engine = client.app.state.ogp.db.engine.sync_engine
    inserts: list[str] = []
    on_raw_statement(
        engine, lambda sql, _: inserts.append(sql) if "INSERT INTO audit_log" in sql else None
    )
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
