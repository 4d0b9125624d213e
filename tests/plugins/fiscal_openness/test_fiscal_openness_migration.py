"""fiscal_openness_0003 carries the surveys and documents of a database at 0002 across: the old
oversight score stays the composite, the split scores are null, rows without a retrieval date
become illustrative. On SQLite (a file of its own) and on PostgreSQL (a schema of its
own, created and dropped here, so the session's tables are not touched)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from core.db import Database
from core.migrate import upgrade
from core.plugins import make_plugin_manager
from core.testing import PG_URL, settings_for

BACKENDS = ["sqlite", *(["postgres"] if PG_URL else [])]


async def _scratch(backend: str, tmp_path: Path, name: str) -> tuple[str, str | None]:
    """(database URL, PostgreSQL schema or None) of an empty database of the test's own: a SQLite
    file, or a schema of its own in the session's PostgreSQL database (a schema, not a database:
    creating and dropping a database forces a checkpoint, which slows everyone's tests)."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}", None
    assert PG_URL
    schema = f"scratch_{name}"
    await _admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', f'CREATE SCHEMA "{schema}"')
    return PG_URL, schema


async def _admin(*statements: str) -> None:
    # A plain engine, without the app's statement timeout.
    assert PG_URL
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        for statement in statements:
            await conn.execute(text(statement))
    await admin.dispose()


def _database(url: str, schema: str | None) -> Database:
    """The app's `Database` on `url`, its connections confined to `schema` (if any)."""
    db = Database(url)
    if schema is not None:

        @event.listens_for(db.engine.sync_engine, "connect", insert=True)
        def search_path(dbapi_connection: Any, _record: Any) -> None:
            autocommit = dbapi_connection.autocommit
            dbapi_connection.autocommit = True
            cursor = dbapi_connection.cursor()
            cursor.execute(f'SET SESSION search_path = "{schema}"')
            cursor.close()
            dbapi_connection.autocommit = autocommit

    return db


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_0003_carries_surveys_and_documents_across(backend: str, tmp_path: Path) -> None:
    url, schema = await _scratch(backend, tmp_path, "fiscal_mig")
    # Only this plugin enabled: the test does not depend on the other plugins' state.
    plugins = make_plugin_manager(settings_for(url, plugins={"enabled": ["fiscal_openness"]}))
    db = _database(url, schema)
    try:
        await upgrade(db, plugins, "fiscal_openness_0002")
        async with db.write() as conn:
            await conn.execute(
                text(
                    "INSERT INTO countries (id, alpha2, alpha3, name, region) "
                    "VALUES (1, 'PH', 'PHL', 'Philippines', 'Asia and the Pacific')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO fiscal_openness_surveys (country_id, edition, transparency_score,"
                    " participation_score, oversight_score, methodology_version, source_url, note)"
                    " VALUES (1, 2019, 76, 31, 74, 'OBS 2019', 'https://example.org/obs', 'old')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO fiscal_openness_budget_docs (country_id, fiscal_year, kind, "
                    "status, published_on, url, note) VALUES "
                    "(1, 2019, 'ENACTED_BUDGET', 'PUBLICLY_AVAILABLE', :day, "
                    "'https://example.org/eb', ''), "
                    "(1, 2019, 'YEAR_END_REPORT', 'NOT_PRODUCED', NULL, NULL, '')"
                ).bindparams(day=date(2019, 1, 20))
            )
            await conn.execute(
                text(
                    "INSERT INTO working_groups (id, slug, name, theme, summary, description, "
                    "status, created_at, updated_at) VALUES (1, 'fiscal', 'Fiscal', "
                    "'fiscal_openness', '', '', 'ACTIVE', :now, :now)"
                ).bindparams(now=datetime(2026, 1, 1, tzinfo=UTC))
            )
            await conn.execute(
                text(
                    "INSERT INTO fiscal_openness_commitments (id, group_id, kind, title, "
                    "country_id, url) VALUES (1, 1, 'ACTION_PLAN_COMMITMENT', 'Budget hearings',"
                    " 1, 'https://example.org/ph/plan')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO fiscal_openness_commitment_principles (commitment_id, principle)"
                    " VALUES (1, 'PUBLIC_PARTICIPATION'), (1, 'LEGISLATIVE_OVERSIGHT')"
                )
            )

        await upgrade(db, plugins, "fiscal_openness_0003")

        async with db.read() as conn:
            survey = (
                await conn.execute(
                    text(
                        "SELECT edition, transparency_score, participation_score, oversight_score,"
                        " legislative_oversight_score, audit_oversight_score,"
                        " comparable_transparency_score, source_url, retrieved_on, illustrative,"
                        " note FROM fiscal_openness_surveys"
                    ).columns(retrieved_on=Date, illustrative=Boolean)
                )
            ).one()
            documents = (
                await conn.execute(
                    text(
                        "SELECT kind, status, published_on, url, source_url, retrieved_on, "
                        "illustrative FROM fiscal_openness_budget_docs ORDER BY kind"
                    ).columns(published_on=Date, retrieved_on=Date, illustrative=Boolean)
                )
            ).all()
        async with db.read() as conn:
            commitment = (
                await conn.execute(
                    text(
                        "SELECT title, url, source_url, retrieved_on, illustrative "
                        "FROM fiscal_openness_commitments"
                    ).columns(retrieved_on=Date, illustrative=Boolean)
                )
            ).one()
            principles = (
                (
                    await conn.execute(
                        text(
                            "SELECT principle FROM fiscal_openness_commitment_principles "
                            "ORDER BY principle"
                        )
                    )
                )
                .scalars()
                .all()
            )
        assert tuple(commitment) == (
            "Budget hearings", "https://example.org/ph/plan", None, None, True
        )  # fmt: skip
        assert principles == ["LEGISLATIVE_OVERSIGHT", "PUBLIC_PARTICIPATION"]  # not cascaded away
        assert tuple(survey) == (
            2019, 76, 31, 74, None, None, None, "https://example.org/obs", None, True, "old"
        )  # fmt: skip
        assert [tuple(d) for d in documents] == [
            ("ENACTED_BUDGET", "PUBLICLY_AVAILABLE", date(2019, 1, 20), "https://example.org/eb",
             None, None, True),
            ("YEAR_END_REPORT", "NOT_PRODUCED", None, None, None, None, True),
        ]  # fmt: skip

        # The new rules hold in the migrated database: a row that is not illustrative needs its
        # source and date; a document in print only has a date but no URL.
        for statement in (
            "UPDATE fiscal_openness_surveys SET illustrative = :no",
            "UPDATE fiscal_openness_budget_docs SET status = 'PRINT_ONLY' "
            "WHERE kind = 'ENACTED_BUDGET' AND :no = :no",
            "UPDATE fiscal_openness_surveys SET legislative_oversight_score = 101 WHERE :no = :no",
        ):
            with pytest.raises(IntegrityError, match=r"(?i)check"):
                async with db.write() as conn:
                    await conn.execute(text(statement).bindparams(no=False))
        async with db.write() as conn:
            await conn.execute(
                text(
                    "UPDATE fiscal_openness_budget_docs SET status = 'PRINT_ONLY', url = NULL "
                    "WHERE kind = 'ENACTED_BUDGET'"
                )
            )
            await conn.execute(
                text(
                    "UPDATE fiscal_openness_surveys SET illustrative = :f, retrieved_on = :day, "
                    "legislative_oversight_score = 67, audit_oversight_score = 89"
                ).bindparams(f=False, day=date(2026, 11, 30))
            )
    finally:
        await db.dispose()
        if schema is not None:
            await _admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
