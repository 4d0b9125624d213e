"""Work of concurrent requests run together (core.grouping, issue 12): the audit log's rows are
written by group commit, and the bearer tokens are looked up in rounds; what arrives while one
round runs goes in the next. Both databases.

What must hold whatever the grouping: every call has exactly its audit row (who, what, outcome,
its request's ID), concurrent or not; a row refused for its own fault takes no other row with
it; a caller cancelled while it waits or while its round runs still has its row written; every
request is answered as its own token says (staff, member, unknown, revoked), whatever else its
round looked up, and never with a lookup sent before it arrived.
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
    """Rounds held open at will (the database's `write_many` waits for a gate): three rows handed
    in while a round runs go together in the next, whose middle row names a person that does not
    exist (the foreign key refuses it); that round fails and its rows are written alone: the
    other two are written, the middle one's caller gets the driver's error. A caller cancelled
    while its round runs, and one cancelled while it waits for its round, still have their rows
    written."""
    db = Database(empty_db)
    rounds: list[int] = []  # rows per write_many call, in order
    gate = asyncio.Event()
    real = db.write_many

    async def gated(sql: str, rows: Any) -> None:
        rounds.append(len(rows))
        await gate.wait()
        await real(sql, rows)

    db.write_many = gated  # type: ignore[method-assign]
    try:
        sql_of = audit._insert().bind
        dialect = db.engine.dialect

        def write(person_id: int | None, request_id: str) -> asyncio.Future[None]:
            values = _values(person_id, request_id)
            return asyncio.ensure_future(db.grouped_writes(*sql_of(dialect, values)))

        first = write(None, "first")  # starts a round, held at the gate
        await asyncio.sleep(0.01)
        grouped = [write(None, "good-1"), write(987654, "bad"), write(None, "good-2")]
        await asyncio.sleep(0.01)  # handed in while the first round runs
        gate.set()
        results = await asyncio.gather(first, *grouped, return_exceptions=True)
        assert rounds == [1, 3, 1, 1, 1]  # the failed round of 3, then each row alone
        assert results[0] is None and results[1] is None and results[3] is None
        assert "foreign key" in str(results[2]).lower(), results[2]

        gate.clear()
        during = write(None, "cancelled in its round")
        await asyncio.sleep(0.01)  # its round is running
        waiting = write(None, "cancelled while waiting")
        await asyncio.sleep(0.01)
        during.cancel()
        waiting.cancel()
        gate.set()
        await write(None, "after")
        assert during.cancelled() and waiting.cancelled()
        written = [row.request_id for row in await _audit_rows(empty_db)]
        assert sorted(written) == sorted(
            [
                "first",
                "good-1",
                "good-2",
                "cancelled in its round",
                "cancelled while waiting",
                "after",
            ]
        )
    finally:
        await db.dispose()


STAFF_ONLY = "{ auditLog(first: 1) { totalCount } }"


async def _revoke_newest_token(url: str) -> None:
    db = Database(url)
    try:
        async with db.write() as conn:
            newest = "(SELECT max(id) FROM api_tokens)"
            await conn.execute(
                text(f"UPDATE api_tokens SET revoked_at = expires_at WHERE id = {newest}")
            )
    finally:
        await db.dispose()


async def test_concurrent_requests_each_answered_as_their_own_token_says(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db, rate_limits=False)
    lookups = _statements(client, "FROM api_tokens")
    revoked = await token_for(demo_db, "staff")
    await _revoke_newest_token(demo_db)
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


async def test_a_token_revoked_after_a_round_read_it_is_refused_to_a_later_request(
    demo_db: str, make_client: ClientFactory
) -> None:
    """A request never takes the answer of a lookup sent before it arrived: a round of lookups
    holds its rows (read while the token was good) at a gate; the token is revoked; a request
    sent then waits for the next round and is refused, while the one that arrived before the
    revocation is answered."""
    client = make_client(demo_db, rate_limits=False)
    db = client.app.state.ogp.db
    token = await token_for(demo_db, "staff")
    read, gate = asyncio.Event(), asyncio.Event()
    real = db.read_rows

    async def gated(sql: str, parameters: Any) -> Any:
        rows = await real(sql, parameters)
        if "FROM api_tokens" in sql:
            read.set()
            await gate.wait()
        return rows

    db.read_rows = gated

    async def call() -> int:
        headers = {"authorization": f"Bearer {token}"}
        answer = await client.http.post("/graphql", json={"query": STAFF_ONLY}, headers=headers)
        return answer.status_code

    before = asyncio.ensure_future(call())
    await read.wait()  # its round has read the token's row and waits at the gate
    await _revoke_newest_token(demo_db)
    after = asyncio.ensure_future(call())
    await asyncio.sleep(0.05)  # handed in while that round waits (refused either way)
    gate.set()
    assert await before == 200
    assert await after == 401
