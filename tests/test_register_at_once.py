"""PostgreSQL's `register_at_once` (core_0021) against the Python rules it shortens (issue 12).

`registrationCreate` first calls the function, outside a transaction; when it returns no row, the
rules of core.meetings.registrations.register decide in a transaction. Both are run here on the
same generated state, one after the other in one transaction (a savepoint between them), both
reading one time: a meeting of any capacity, places taken and waitlist, registration window
(either end none, past, exactly now or ahead), Summit or not, cancelled, ended (or ending exactly
now) or hidden, with pre-registrations waiting or not, and a person who exists or not, with or
without a registration of any status for it. Each way out of the common case is tried alone
(explicit examples) and generated in pairs.

What must hold for every such state:
- when the function answers, the rules answer alike: a registration of the same person and
  status, the same places left, the same queue (every row's person and status, in queue order:
  the new one last);
- when it does not, it wrote nothing, and the rules' answer is not what the function would have
  done: one new registration being the only change (that case must never be declined).

Not distinguished here: `<` against `<=` at a window's or the meeting's end. The function judges
the time the caller read plus its wait for the lock (core_0021), a few microseconds later even
without a wait, so an end exactly at the caller's time is past for it either way.

The HTTP answers of both paths against a reference model are tests/test_waitlist.py's (generated
sequences, both databases), the admission of pre-registrations tests/test_meetings_admission.py's
and concurrent registrations tests/test_concurrency.py's. SQLite has no such function (nothing
to save: the database is in the process), so this test runs on PostgreSQL only.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.db import Database
from core.driver import DriverTransaction, transaction
from core.errors import Rejected
from core.meetings import at_once as at_once_module
from core.meetings import registrations
from core.meetings.at_once import register_at_once
from core.schema.ids import to_global_id

WHENS = ("none", "past", "now", "future")
"""Where a window's end lies: none, an hour or two ago, exactly at the clock's time, days ahead."""
STATUSES = ("REGISTERED", "WAITLISTED", "CANCELLED", "PRE_REGISTERED")
"""Statuses a row may have before the meeting starts (ATTENDED and NO_SHOW need it started)."""


@dataclass(frozen=True)
class Case:
    capacity: int | None
    registered: int  # other people's REGISTERED rows (at most the capacity)
    waitlisted: int
    pre_registered: int  # Summit meetings only
    is_summit: bool
    opens: str  # "none", "past", "future"
    closes: str
    cancelled: bool
    ended: bool
    hidden: bool
    person_exists: bool
    theirs: str | None  # the person's own registration's status, if any
    ahead: bool = False  # the queue's latest entry is later than the clock (another host's)
    ends_now: bool = False  # the meeting ends exactly at the clock's time
    exits: frozenset[str] = frozenset()  # which of EXITS the case took


EXITS = ("cancelled", "ended", "ends_now", "hidden", "no_person", "theirs", "ahead")
"""What a case may add to the common one (the last: not an exit, a sharp edge of the queue)."""


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A meeting of any shape and a person, with at most two of EXITS: so that each way out of
    the common case is reached alone and with another, whatever the generation favours."""
    capacity = draw(st.one_of(st.none(), st.integers(0, 3)))
    is_summit = draw(st.booleans())
    opens = draw(st.sampled_from(WHENS))
    # a window opens before it closes (ck_meetings_registration_opens_before_closes)
    closes = draw(st.sampled_from(["none", "future"] if opens in ("now", "future") else WHENS))
    exits = draw(st.sets(st.sampled_from(EXITS), max_size=2))
    theirs = draw(st.sampled_from(STATUSES)) if "theirs" in exits else None
    if theirs == "PRE_REGISTERED" and not is_summit:
        theirs = "CANCELLED"  # pre-registration is for Summit meetings (the database says so)
    registered = draw(st.integers(0, 3 if capacity is None else capacity))
    if theirs == "REGISTERED" and capacity is not None and registered == capacity:
        registered -= 1  # their place is one of the capacity's
        if registered < 0:
            registered, theirs = 0, "WAITLISTED"
    return Case(
        capacity=capacity,
        registered=registered,
        waitlisted=draw(st.integers(0, 2)),
        pre_registered=draw(st.integers(0, 2)) if is_summit else 0,
        is_summit=is_summit,
        opens=opens,
        closes=closes,
        cancelled="cancelled" in exits,
        ended="ended" in exits,
        hidden="hidden" in exits,
        person_exists="no_person" not in exits,
        theirs=theirs,
        ahead="ahead" in exits,
        ends_now="ends_now" in exits,
        exits=frozenset(exits),
    )


def _alone(way_out: str) -> Case:
    """The common case (one place left, no window) with `way_out` (one of EXITS) alone."""
    return Case(
        capacity=1,
        registered=0,
        waitlisted=1,
        pre_registered=0,
        is_summit=False,
        opens="none",
        closes="none",
        cancelled=way_out == "cancelled",
        ended=way_out == "ended",
        hidden=way_out == "hidden",
        person_exists=way_out != "no_person",
        theirs="CANCELLED" if way_out == "theirs" else None,
        ahead=way_out == "ahead",
        ends_now=way_out == "ends_now",
        exits=frozenset({way_out}),
    )


GROUP = "SELECT id, theme FROM working_groups ORDER BY id LIMIT 1"
PEOPLE = "SELECT id FROM people ORDER BY id LIMIT 8"


class _Undo(Exception):
    """Raised to roll a case's transaction back."""


async def _setup(
    tx: DriverTransaction, case: Case, group: int, people: list[int], now: datetime
) -> int:
    """The case's meeting and registrations; returns the meeting's id."""
    run = tx.driver
    statuses = (
        ["REGISTERED"] * case.registered
        + ["WAITLISTED"] * case.waitlisted
        + ["PRE_REGISTERED"] * case.pre_registered
    )
    entries = list(zip(people[1:], statuses, strict=False))
    assert len(entries) == len(statuses)
    if case.theirs is not None and case.person_exists:
        entries.insert(len(entries) // 2, (people[0], case.theirs))
    starts = now + timedelta(days=30)
    meeting = await run.fetchval(
        "INSERT INTO meetings (group_id, title, kind, starts_at, ends_at, timezone, capacity,"
        " registered_count, agenda, is_summit) VALUES ($1, 'At once', 'VIRTUAL', $2, $3,"
        " 'UTC', $4, $5, '', $6) RETURNING id",
        group,
        starts,
        starts + timedelta(hours=2),
        case.capacity,
        sum(status == "REGISTERED" for _, status in entries),
        case.is_summit,
    )
    for n, (person, status) in enumerate(entries):
        queued = (now + timedelta(hours=1) if case.ahead else now - timedelta(hours=3)) + timedelta(
            minutes=n
        )
        await run.execute(
            "INSERT INTO registrations (meeting_id, person_id, status, created_at, queued_at)"
            " VALUES ($1, $2, $3, $4, $4)",
            meeting,
            person,
            status,
            queued,
        )
    # the window, cancellation and end come after the rows (the window triggers judge new rows)
    opens = {"past": now - timedelta(hours=2), "now": now, "future": now + timedelta(days=1)}
    closes = {"past": now - timedelta(hours=1), "now": now, "future": now + timedelta(days=2)}
    ends = starts + timedelta(hours=2)
    if case.ended or case.ends_now:
        ends = now - timedelta(minutes=5) if case.ended else now
    await run.execute(
        "UPDATE meetings SET registration_opens_at = $2, registration_closes_at = $3,"
        " cancelled_at = $4, starts_at = $5, ends_at = $6 WHERE id = $1",
        meeting,
        opens.get(case.opens),
        closes.get(case.closes),
        now - timedelta(minutes=1) if case.cancelled else None,
        ends - timedelta(hours=2),
        ends,
    )
    return meeting


async def _state(tx: DriverTransaction, meeting: int) -> tuple[Any, ...]:
    """(places taken, [(person, status) in queue order]); fails if two entries tie (a queue
    time is strictly later than the one before: core.meetings.registrations._after)."""
    taken = await tx.driver.fetchval("SELECT registered_count FROM meetings WHERE id = $1", meeting)
    queue = await tx.driver.fetch(
        "SELECT person_id, status, queued_at FROM registrations WHERE meeting_id = $1"
        " ORDER BY queued_at, id",
        meeting,
    )
    times = [row["queued_at"] for row in queue]
    assert all(a < b for a, b in pairwise(times)), f"queue times tie: {times}"
    return taken, [(row["person_id"], row["status"]) for row in queue]


async def _both(
    db: Database, case: Case, group: int, theme: str, people: list[int], clock: list[datetime]
) -> str | None:
    """Runs both on `case`, with both reading the same time (`clock`), and checks the module
    docstring's rules; returns the status the function answered (None: declined)."""
    now = clock[0] = datetime.now(UTC)
    themes = ("some_other_theme",) if case.hidden else (theme, "some_other_theme")
    person = people[0] if case.person_exists else 10**9
    try:
        async with transaction(db) as tx:
            meeting = await _setup(tx, case, group, people, now)
            asked = {
                "meeting_id": to_global_id("Meeting", meeting),
                "person_id": to_global_id("Person", person),
                "themes": themes,
            }
            before = await _state(tx, meeting)
            await tx.driver.execute("SAVEPOINT at_once")
            at_once = await register_at_once(tx, **asked)
            after_at_once = await _state(tx, meeting)
            await tx.driver.execute("ROLLBACK TO SAVEPOINT at_once")
            try:
                rules = await registrations.register(tx, **asked)
            except Rejected as rejected:
                rules = [error.code for error in rejected.errors]
            after_rules = await _state(tx, meeting)
            raise _Undo(at_once, rules, before, after_at_once, after_rules)
    except _Undo as undone:
        at_once, rules, before, after_at_once, after_rules = undone.args
    only_new = (
        not isinstance(rules, list)
        and after_rules[1][:-1] == before[1]
        and after_rules[1][-1] == (person, rules.status)
    )
    if at_once is None:
        assert after_at_once == before, "declined, yet it wrote"
        assert not only_new, f"declined the common case: {rules}"
        return None
    assert not isinstance(rules, list), f"the function registered, the rules refused: {rules}"
    assert (at_once.person_id, at_once.status) == (person, rules.status)
    assert at_once.meeting_id == meeting == rules.meeting_id
    assert after_at_once == after_rules
    assert after_at_once[1][-1] == (person, at_once.status)  # the queue's last entry
    return str(at_once.status)


def test_register_at_once_answers_as_the_rules(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if demo_db.startswith("sqlite"):
        pytest.skip("PostgreSQL's function: SQLite has none (see the module docstring)")
    # both read one time, so a window's end or the meeting's end exactly at it is judged alike
    # (the function adds its wait for the lock: none here, the row is this transaction's)
    clock = [datetime.now(UTC)]
    monkeypatch.setattr(registrations, "utcnow", lambda: clock[0])
    monkeypatch.setattr(at_once_module, "utcnow", lambda: clock[0])
    loop = asyncio.new_event_loop()
    db = Database(demo_db)

    async def known() -> tuple[int, str, list[int]]:
        async with db.read() as conn:
            group = (await conn.execute(sa.text(GROUP))).one()
            people = (await conn.execute(sa.text(PEOPLE))).scalars().all()
        return group.id, group.theme, list(people)

    group, theme, people = loop.run_until_complete(known())
    answered: list[str | None] = []
    taken: list[frozenset[str]] = []

    @settings(
        max_examples=200,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=cases())
    # the sharpest cases, whatever the generation reaches: pre-registrations to admit first, a
    # queue ahead of the clock, a Summit meeting's pre-registration
    @example(Case(1, 0, 0, 2, True, "past", "none", False, False, False, True, None))
    @example(Case(2, 1, 0, 0, False, "none", "none", False, False, False, True, None, ahead=True))
    @example(Case(None, 0, 0, 1, True, "future", "future", False, False, False, True, None))
    def check(case: Case) -> None:
        answered.append(loop.run_until_complete(_both(db, case, group, theme, people, clock)))
        taken.append(case.exits)

    for way_out in EXITS:  # each way out of the common case alone, whatever generation reaches
        check = example(_alone(way_out))(check)
    try:
        check()
        # the generated states reach each of the function's answers, and its declining
        assert {None, "REGISTERED", "WAITLISTED", "PRE_REGISTERED"} <= set(answered), answered
        # generated cases take ways out of the common case in pairs too (each one alone: the
        # examples below)
        assert any(len(exits) == 2 for exits in taken), taken
        assert any(len(exits) == 2 for exits in taken)
    finally:
        loop.run_until_complete(db.dispose())
        loop.close()
