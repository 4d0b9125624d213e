"""Tokens a worker knows (core.auth.known), on SQLite and PostgreSQL: a signed-in query answered
by kept statements, or by the compiled path for a document answered so before, is one statement,
the token's check inside it; and whatever happened to a
token after a worker came to know it (revoked, expired, deleted, its person made staff or no
longer staff, or nothing), each kind of request is answered by that worker exactly as by a
worker that never saw the token: a changed token is never taken for its old viewer."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from core.auth.staff import grant_staff, revoke_staff
from core.auth.tokens import hash_token
from core.db import Database, statement_counter
from core.testing import ClientFactory, GraphQLClient, token_for

# Registrations are shown to staff and the meeting's group, not to others (the trust issue's
# row rules): what the token's viewer may see shows in the answer.
SEEN = """query Seen($slug: String!) {
  workingGroup(slug: $slug) {
    meetings(first: 3) { nodes { title registrations(first: 5) {
      totalCount nodes { status person { name } } } } }
  }
}"""
VARIABLES = {"slug": "open-data"}
# a mutation only staff may make, answered alike however often it is sent (the comment is
# not hidden: staff are told so, others that they may not)
MUTATION = """mutation { commentUnhide(input: {id: "Q29tbWVudDox"}) { comment { id } userErrors { code } } }"""


async def _in_db(url: str, work: Callable[[Any], Awaitable[Any]]) -> Any:
    db = Database(url)
    try:
        async with db.write() as conn:
            return await work(conn)
    finally:
        await db.dispose()


def _when(url: str, value: datetime) -> datetime:
    return value.replace(tzinfo=None) if url.startswith("sqlite") else value


async def _change(url: str, token: str, change: str) -> None:
    """Do `change` to `token` straight in the database (as another worker or the CLI would)."""
    where = {"hash": hash_token(token)}
    past = datetime.now(UTC) - timedelta(days=2)

    async def work(conn: Any) -> None:
        person = (
            await conn.execute(
                text("SELECT person_id FROM api_tokens WHERE token_hash = :hash"), where
            )
        ).scalar_one()
        if change == "revoked":
            await conn.execute(
                text("UPDATE api_tokens SET revoked_at = created_at WHERE token_hash = :hash"),
                where,
            )
        elif change == "expired":
            await conn.execute(
                text(
                    "UPDATE api_tokens SET created_at = :created, expires_at = :expires "
                    "WHERE token_hash = :hash"
                ),
                {**where, "created": _when(url, past), "expires": _when(url, past + timedelta(1))},
            )
        elif change == "deleted":
            await conn.execute(text("DELETE FROM api_tokens WHERE token_hash = :hash"), where)
        elif change == "staff revoked":
            assert await revoke_staff(conn, person)
        elif change == "staff granted":
            assert await grant_staff(conn, person, "test")

    await _in_db(url, work)


async def _restore(url: str, role: str, change: str) -> None:
    """Undo a change of the demo person's staff role (the next case starts from the demo's)."""
    from core.auth.staff import find_person
    from core.demo import DEMO_ROLES

    async def work(conn: Any) -> None:
        person, _ = await find_person(conn, DEMO_ROLES[role])
        if change == "staff revoked":
            await grant_staff(conn, person, "test")
        elif change == "staff granted":
            await revoke_staff(conn, person)

    await _in_db(url, work)


async def _ask(client: GraphQLClient, kind: str, token: str) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"}
    body = {"query": SEEN, "variables": VARIABLES}
    if kind == "kept query":
        return await client.http.post("/graphql", json=body, headers=headers)
    if kind == "GET query":
        params = {"query": SEEN, "variables": '{"slug": "open-data"}'}
        return await client.http.get("/graphql", params=params, headers=headers)
    if kind == "new values":  # the kept document with other variables' values
        other = {"query": SEEN, "variables": {"slug": "fiscal-openness"}}
        return await client.http.post("/graphql", json=other, headers=headers)
    if kind == "new query":  # a document this worker has not kept
        other = {"query": SEEN.replace("first: 5", "first: 4"), "variables": VARIABLES}
        return await client.http.post("/graphql", json=other, headers=headers)
    assert kind == "mutation"
    return await client.http.post("/graphql", json={"query": MUTATION}, headers=headers)


async def test_a_known_token_reads_in_one_statement(
    demo_db: str, make_client: ClientFactory
) -> None:
    """The second request of a signed-in query is answered by its kept statement, which also
    checks the token: one statement, the same answer as the first (which looked it up). The
    statements are counted around the whole app (`x-sql-statements` counts inside the
    authentication's middleware)."""
    client = make_client(demo_db, compiled_reads=True)
    token = await token_for(demo_db, "staff")

    async def counted(kind: str) -> tuple[httpx.Response, int]:
        counter = [0]
        reset = statement_counter.set(counter)
        try:
            return await _ask(client, kind, token), counter[0]
        finally:
            statement_counter.reset(reset)

    first, statements = await counted("kept query")
    assert first.status_code == 200 and "errors" not in first.json(), first.text
    assert statements >= 2  # the token's lookup (and its last use written), the read
    for _ in range(3):
        again, statements = await counted("kept query")
        assert (again.status_code, again.text) == (200, first.text)
        assert statements == 1
    # the same document with other values: executed, its first statement checks the token
    other, statements = await counted("new values")
    assert other.status_code == 200 and "errors" not in other.json(), other.text
    assert other.json()["data"] != first.json()["data"]
    assert statements == 1


CHANGES = ("nothing", "revoked", "expired", "deleted", "staff revoked", "staff granted")
KINDS = ("kept query", "new values", "GET query", "new query", "mutation")


async def test_a_changed_token_is_answered_as_by_a_worker_that_never_knew_it(
    demo_db: str, make_client: ClientFactory
) -> None:
    """Every change of a token after a worker knew it, with every kind of request: the
    worker's answer (status and body) is a fresh worker's. The cases are few: all are tried."""
    knowing = make_client(demo_db, compiled_reads=True)
    fresh = make_client(demo_db, compiled_reads=True)
    staff, other = await token_for(demo_db, "staff"), await token_for(demo_db, "other")
    for kind in ("kept query", "mutation"):  # what staff may see or do shows in the answer
        seen = [(await _ask(knowing, kind, t)).json() for t in (staff, other)]
        assert seen[0] != seen[1], kind
    for change, kind in itertools.product(CHANGES, KINDS):
        role = "other" if change == "staff granted" else "staff"
        token = await token_for(demo_db, role)
        for _ in range(2):  # known, and its query kept for it
            assert (await _ask(knowing, "kept query", token)).status_code == 200
            assert (await _ask(knowing, "GET query", token)).status_code == 200
        await _change(demo_db, token, change)
        try:
            got = await _ask(knowing, kind, token)
            expected = await _ask(fresh, kind, token)
        finally:
            await _restore(demo_db, role, change)
        case = f"{change}, {kind}"
        assert (got.status_code, got.json()) == (expected.status_code, expected.json()), case
        assert (got.status_code == 401) == (change in ("revoked", "expired", "deleted")), case


async def test_a_role_taken_and_given_back_is_answered_as_it_is_now(
    demo_db: str, make_client: ClientFactory
) -> None:
    """A known staff token whose person stops being staff, then is staff again: after each
    change, each request is answered as a worker that never saw the token answers it. The
    worker has kept statements for both kinds of viewer first (another person's requests), so
    an answer after a change is kept too, and must be kept for the viewer its token stands for
    now, not the one it was known as."""
    knowing = make_client(demo_db, compiled_reads=True)
    other = await token_for(demo_db, "other")
    token = await token_for(demo_db, "staff")
    for _ in range(3):  # built, re-bound and kept: for people who are not staff
        assert (await _ask(knowing, "kept query", other)).status_code == 200
    steps = ("ask", "ask", "ask", "staff revoked", "ask", "ask", "staff granted", "ask", "ask")
    for n, step in enumerate(steps):
        if step != "ask":
            await _change(demo_db, token, step)
            continue
        got = await _ask(knowing, "kept query", token)
        expected = await _ask(make_client(demo_db, compiled_reads=True), "kept query", token)
        assert (got.status_code, got.json()) == (expected.status_code, expected.json()), n
