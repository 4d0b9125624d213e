"""PostgreSQL's `register_at_once` (core_0021) racing a transaction that holds the meeting's
lock: called outside a transaction while another registers the same person, or takes the last
place, the function waits for the lock and then judges what that transaction left (committed or
rolled back), never the state from before its wait. This is the reason core_0021 is a PL/pgSQL
function and not one plain statement (under READ COMMITTED a statement's snapshot predates the
lock it waits for; a function's statements each take theirs after it). Every race of the two
kinds and both endings is tried; the rules themselves are tests/test_register_at_once.py's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from core.db import Database, utcnow
from core.driver import autocommit, transaction
from core.meetings import registrations
from core.meetings.at_once import register_at_once
from core.schema.ids import to_global_id
from tests.test_register_at_once import GROUP, PEOPLE, Case, _setup

ONE_PLACE = Case(1, 0, 0, 0, False, "none", "none", False, False, False, True, None)
"""An open meeting with one place and nobody registered."""
RACES = {
    # (what the transaction holding the lock registers, whether it commits): the function's
    # answer, then the meeting's queue (whose, status) and places taken
    ("the same person", True): (None, [("person", "REGISTERED")], 1),
    ("the same person", False): ("REGISTERED", [("person", "REGISTERED")], 1),
    ("another, the last place", True): (
        "WAITLISTED",
        [("other", "REGISTERED"), ("person", "WAITLISTED")],
        1,
    ),
    ("another, the last place", False): ("REGISTERED", [("person", "REGISTERED")], 1),
}
WAITING = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE wait_event_type = 'Lock' AND query LIKE '%register_at_once%'"
)


class _Undo(Exception):
    """Rolls the transaction holding the lock back."""


async def _until_it_waits(db: Database) -> None:
    """Until the function's call waits for a lock (it has taken its first snapshot, if a plain
    statement would, and met the lock): at most 10 s."""
    for _ in range(1000):
        async with db.read() as conn:
            if (await conn.execute(sa.text(WAITING))).scalar_one() == 1:
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the function's call never waited for the meeting's lock")


@pytest.mark.parametrize(("who", "commits"), list(RACES))
async def test_the_function_judges_what_the_lock_holder_left(
    demo_db: str, who: str, commits: bool
) -> None:
    if demo_db.startswith("sqlite"):
        pytest.skip("PostgreSQL's function: SQLite has none")
    answer, queue, taken = RACES[(who, commits)]
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            group, theme = (await conn.execute(sa.text(GROUP))).one()
            people = list((await conn.execute(sa.text(PEOPLE))).scalars().all())
        async with transaction(db) as tx:  # committed: both sides see the meeting
            meeting = await _setup(tx, ONE_PLACE, group, people, utcnow())
        names = {people[0]: "person", people[1]: "other"}
        other = people[0] if who == "the same person" else people[1]
        asked: dict[str, Any] = {"meeting_id": to_global_id("Meeting", meeting), "themes": (theme,)}

        async def at_once() -> Any:
            async with autocommit(db) as conn:
                return await register_at_once(
                    conn, person_id=to_global_id("Person", people[0]), **asked
                )

        waiting: asyncio.Task[Any] | None = None
        try:
            async with transaction(db) as tx:  # takes the meeting's lock, registers, holds it
                await registrations.register(tx, person_id=to_global_id("Person", other), **asked)
                waiting = asyncio.create_task(at_once())
                await _until_it_waits(db)
                if not commits:
                    raise _Undo
        except _Undo:
            pass
        assert waiting is not None
        answered = await waiting
        assert (None if answered is None else str(answered.status)) == answer
        async with db.read() as conn:
            rows = await conn.execute(
                sa.text(
                    "SELECT person_id, status FROM registrations WHERE meeting_id = :m"
                    " ORDER BY queued_at, id"
                ),
                {"m": meeting},
            )
            found = [(names[person], status) for person, status in rows.all()]
            places = await conn.scalar(
                sa.text("SELECT registered_count FROM meetings WHERE id = :m"), {"m": meeting}
            )
        assert (found, places) == (queue, taken)
    finally:
        await db.dispose()
