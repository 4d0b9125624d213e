"""Migration core_0020's two rules kept by the database itself, on both databases (SQL that skips
the services, as tests/test_rules_in_database.py does for core_0013): a meeting lasts at most 14
days (`ck_meetings_max_duration`: MEETING_TOO_LONG), an assistance request's or offer's language
is an ISO 639-1 code (`ck_assistance_{request,offer}_languages_language`: UNKNOWN_LANGUAGE).
Each refusal names the constraint the core maps to the code the service answers; the database
and the service draw the line at the same place (generated instants and durations around 14
days; every two-letter code); and an upgrade keeps the rows written before that break them."""

from __future__ import annotations

import asyncio
import importlib
import logging
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from core.assistance.models import (
    AssistanceOffer,
    AssistanceOfferLanguage,
    AssistanceRequest,
    AssistanceRequestLanguage,
)
from core.db import Database
from core.knowledge.vocabulary import LANGUAGES
from core.meetings import models as meetings
from core.meetings.models import MAX_DURATION, Meeting
from core.testing import at_revision
from tests.test_rules_in_database import Refusals, change, insert

MIGRATION = importlib.import_module(
    "core.migrations.versions.core_0020_meeting_length_and_assistance_languages"
)
DURATION = "ck_meetings_max_duration"
LANGUAGE = {
    AssistanceRequestLanguage: "ck_assistance_request_languages_language",
    AssistanceOfferLanguage: "ck_assistance_offer_languages_language",
}
OWNER = {AssistanceRequestLanguage: "request_id", AssistanceOfferLanguage: "offer_id"}


def test_the_revision_keeps_frozen_copies_of_todays_rules() -> None:
    """A change of the live rule needs a new revision: until then the copies are the rule."""
    assert MIGRATION.LANGUAGES == LANGUAGES
    assert MIGRATION.MAX_DAYS == meetings.MAX_DAYS
    assert MIGRATION.DURATION_CHECKS == meetings.DURATION_CHECKS


def _meeting(group: int, starts: datetime, ends: datetime) -> Any:
    return insert(
        Meeting,
        group_id=group,
        title="Long",
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


async def _first(db: Database, column: Any) -> int:
    async with db.read() as conn:
        found = await conn.scalar(sa.select(column).order_by(column).limit(1))
    assert found is not None, column
    return int(found)


async def test_a_longer_meeting_and_an_unknown_language_are_refused(demo_db: str) -> None:
    rules = Refusals(demo_db)
    try:
        group = await _first(rules.db, Meeting.group_id)
        starts = datetime(2031, 10, 26, 0, 30, 0, 999_999, tzinfo=UTC)  # a DST change in Europe
        await rules.refused(
            _meeting(group, starts, starts + MAX_DURATION + timedelta(microseconds=1)),
            DURATION,
            "MEETING_TOO_LONG",
        )
        pk = await rules.done(_meeting(group, starts, starts + MAX_DURATION))
        await rules.refused(
            change(Meeting, pk, ends_at=starts + MAX_DURATION + timedelta(seconds=1)),
            DURATION,
            "MEETING_TOO_LONG",
        )
        await rules.refused(
            change(Meeting, pk, starts_at=starts - timedelta(days=1)), DURATION, "MEETING_TOO_LONG"
        )
        await rules.done(change(Meeting, pk, starts_at=starts + timedelta(days=1)))

        owners = {
            AssistanceRequestLanguage: await _first(rules.db, AssistanceRequest.id),
            AssistanceOfferLanguage: await _first(rules.db, AssistanceOffer.id),
        }
        for table, owner in owners.items():
            for code in ("xx", "qq", "EN", "e1", ""):
                row = {OWNER[table]: owner, "language": code}
                await rules.refused(insert_row(table, row), LANGUAGE[table], "UNKNOWN_LANGUAGE")
            await rules.done(insert_row(table, {OWNER[table]: owner, "language": "mi"}))
            moved = update_row(table, OWNER[table], owner, "mi", "xx")
            await rules.refused(moved, LANGUAGE[table], "UNKNOWN_LANGUAGE")
    finally:
        await rules.db.dispose()


def insert_row(table: Any, values: dict[str, Any]) -> Any:
    async def write(conn: Any) -> None:
        await conn.execute(sa.insert(table).values(**values))

    return write


def update_row(table: Any, key: str, owner: int, old: str, new: str) -> Any:
    async def write(conn: Any) -> None:
        where = (getattr(table, key) == owner, table.language == old)
        await conn.execute(sa.update(table).where(*where).values(language=new))

    return write


async def _accepted(db: Database, statement: Any) -> bool:
    """Whether the database takes the write (then rolled back), refused only by `names`."""
    try:
        async with db.engine.connect() as conn:
            trans = await conn.begin()
            try:
                await conn.execute(statement)
            finally:
                await trans.rollback()
    except IntegrityError as refused:
        text = str(refused.orig)
        assert DURATION in text or "_languages_language" in text, text
        return False
    return True


@st.composite
def spans(draw: st.DrawFn) -> tuple[datetime, timedelta]:
    """An instant (to the microsecond, 1990-2100) and a duration near 14 days: exactly, a
    microsecond either side, or up to two days either side."""
    seconds = draw(st.integers(631_152_000, 4_102_444_800))
    starts = datetime.fromtimestamp(seconds, UTC) + timedelta(
        microseconds=draw(st.integers(0, 999_999))
    )
    near = draw(
        st.one_of(
            st.sampled_from([0, 1, -1]),
            st.integers(-2 * 86_400_000_000, 2 * 86_400_000_000),
        )
    )
    return starts, MAX_DURATION + timedelta(microseconds=near)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_the_database_and_the_service_draw_the_same_line(
    demo_db: str, loop: asyncio.AbstractEventLoop
) -> None:
    """For every start and duration: refused exactly when the duration exceeds MAX_DURATION,
    the comparison core.meetings.services makes (MEETING_TOO_LONG)."""
    db = Database(demo_db)
    run = loop.run_until_complete
    try:
        pk = run(_first(db, Meeting.id))

        @settings(
            max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(spans())
        def check(span: tuple[datetime, timedelta]) -> None:
            starts, duration = span
            write = sa.update(Meeting).where(Meeting.id == pk)
            write = write.values(starts_at=starts, ends_at=starts + duration)
            assert run(_accepted(db, write)) is (duration <= MAX_DURATION), span

        check()
        # every two-letter code: ISO 639-1 exactly
        owner = run(_first(db, AssistanceRequest.id))
        for a in string.ascii_lowercase:
            for b in string.ascii_lowercase:
                row = {"request_id": owner, "language": a + b}
                write = sa.insert(AssistanceRequestLanguage).values(**row)
                taken = run(_already(db, owner, a + b))
                if not taken:
                    assert run(_accepted(db, write)) is (a + b in LANGUAGES), a + b
    finally:
        run(db.dispose())


async def _already(db: Database, owner: int, code: str) -> bool:
    t = AssistanceRequestLanguage
    async with db.read() as conn:
        found = await conn.scalar(
            sa.select(sa.func.count()).where(t.request_id == owner, t.language == code)
        )
    return bool(found)


async def test_an_upgrade_keeps_rows_the_new_rules_would_refuse(
    demo_db: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Written at core_0019: a meeting of 20 days (ended) and an offer's language `xx` (two
    letters, no ISO code). The upgrade succeeds, keeps both and names them in a warning; from
    then on such rows are refused, the kept meeting's next write included, until it is
    shortened. Afterwards the rows are fixed and the round trip run again, so the session's
    database ends with the constraints validated (PostgreSQL)."""
    starts = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    async with at_revision(demo_db, "core_0019") as old:
        group = await _first(old.db, Meeting.group_id)
        offer = await _first(old.db, AssistanceOffer.id)
        async with old.db.write() as conn:
            long = await _meeting(group, starts, starts + timedelta(days=20))(conn)
            await insert_row(AssistanceOfferLanguage, {"offer_id": offer, "language": "xx"})(conn)
        with caplog.at_level(logging.WARNING, logger="ogp_wg.migrations"):
            await old.upgrade()
        warned = " ".join(r.getMessage() for r in caplog.records)
        assert f"meetings break {DURATION}" in warned and f"id={long}" in warned, warned
        assert "offer_id=" in warned and "language=xx" in warned, warned

        rules = Refusals(demo_db)
        try:
            async with rules.db.read() as conn:
                kept = await conn.scalar(sa.select(Meeting.ends_at).where(Meeting.id == long))
                xx = await conn.scalar(
                    sa.select(sa.func.count()).where(AssistanceOfferLanguage.language == "xx")
                )
            assert kept == starts + timedelta(days=20) and xx == 1
            if rules.db.engine.dialect.name == "postgresql":
                async with rules.db.read() as conn:
                    valid = dict(
                        (await conn.execute(sa.text(
                            "SELECT conname, convalidated FROM pg_constraint WHERE conname IN "
                            "('ck_meetings_max_duration', 'ck_assistance_offer_languages_language', "
                            "'ck_assistance_request_languages_language')"
                        ))).all()
                    )  # fmt: skip
                # left NOT VALID where a kept row breaks the rule, validated where none does
                assert valid == {
                    DURATION: False,
                    LANGUAGE[AssistanceOfferLanguage]: False,
                    LANGUAGE[AssistanceRequestLanguage]: True,
                }
            await rules.refused(
                change(Meeting, long, title="Renamed"), DURATION, "MEETING_TOO_LONG"
            )
            await rules.refused(
                _meeting(group, starts, starts + timedelta(days=15)), DURATION, "MEETING_TOO_LONG"
            )
            await rules.refused(
                insert_row(AssistanceOfferLanguage, {"offer_id": offer, "language": "qq"}),
                LANGUAGE[AssistanceOfferLanguage],
                "UNKNOWN_LANGUAGE",
            )
            await rules.done(change(Meeting, long, ends_at=starts + timedelta(days=2)))
            await rules.done(update_row(AssistanceOfferLanguage, "offer_id", offer, "xx", "mi"))
        finally:
            await rules.db.dispose()
    # fixed: a round trip validates the constraints again (and the downgrade runs without
    # rows to keep)
    async with at_revision(demo_db, "core_0019"):
        pass
