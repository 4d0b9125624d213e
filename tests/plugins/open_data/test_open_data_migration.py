"""open_data_0003 carries the rows of a database at 0002 across: ODIN's coverage and openness
kept, the new subscores null, rows without a retrieval date illustrative, the endorsers' table
new and empty. On SQLite (a file of its own) and on PostgreSQL (a schema of its own, created and
dropped here, so the session's tables are not touched)."""

from __future__ import annotations

from datetime import date
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


async def test_0003_carries_rows_across(backend: str, tmp_path: Path) -> None:
    url, schema = await _scratch(backend, tmp_path, "open_data_mig")
    # Only this plugin enabled: the test does not depend on the other plugins' state.
    plugins = make_plugin_manager(settings_for(url, plugins={"enabled": ["open_data"]}))
    db = _database(url, schema)
    try:
        await upgrade(db, plugins, "open_data_0002")
        async with db.write() as conn:
            await conn.execute(
                text(
                    "INSERT INTO countries (id, alpha2, alpha3, name, region) "
                    "VALUES (1, 'MX', 'MEX', 'Mexico', 'Americas')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO open_data_charter_adopters (country_id, government, level, "
                    "adopted_on, source_url) VALUES (1, 'Government of Mexico', 'NATIONAL', "
                    ":day, 'https://example.org/adoption')"
                ).bindparams(day=date(2015, 10, 29))
            )
            await conn.execute(
                text(
                    "INSERT INTO open_data_portals (id, country_id, name, url, platform, "
                    "dataset_count, has_api, checked_on, notes) VALUES (1, 1, 'datos', "
                    "'https://datos.gob.mx', 'CKAN', 10, :yes, NULL, '')"
                ).bindparams(yes=True)
            )
            await conn.execute(
                text(
                    "INSERT INTO open_data_high_value_datasets (country_id, portal_id, title, "
                    "category, url, machine_readable, non_proprietary_format, metadata_available,"
                    " download_or_api, open_licence, checked_on, notes) VALUES (1, 1, 'Censo', "
                    "'STATISTICS', 'https://example.org/censo', :yes, :yes, :yes, :yes, :no, "
                    ":day, '')"
                ).bindparams(yes=True, no=False, day=date(2024, 6, 3))
            )
            await conn.execute(
                text(
                    "INSERT INTO open_data_odin_scores (country_id, edition, overall, coverage, "
                    "openness, methodology_version, source_url, notes) VALUES (1, '2022/23', "
                    "74.5, 66, 83.5, 'ODIN 2022/23', 'https://odin.opendatawatch.com', 'old')"
                )
            )

        await upgrade(db, plugins, "open_data_0003")

        typed = {"retrieved_on": Date, "illustrative": Boolean}
        async with db.read() as conn:
            adopter = (
                await conn.execute(
                    text(
                        "SELECT government, source_url, retrieved_on, illustrative "
                        "FROM open_data_charter_adopters"
                    ).columns(**typed)
                )
            ).one()
            odin = (
                await conn.execute(
                    text(
                        "SELECT edition, overall, coverage, openness, social, economic, "
                        "environmental, source_url, retrieved_on, illustrative, notes "
                        "FROM open_data_odin_scores"
                    ).columns(**typed)
                )
            ).one()
            others = [
                tuple(
                    (
                        await conn.execute(
                            text(
                                f"SELECT url, source_url, retrieved_on, illustrative FROM {t}"
                            ).columns(**typed)
                        )
                    ).one()
                )
                for t in ("open_data_portals", "open_data_high_value_datasets")
            ]
            endorsers = (
                await conn.execute(text("SELECT count(*) FROM open_data_charter_endorsers"))
            ).scalar_one()
        assert tuple(adopter) == (
            "Government of Mexico", "https://example.org/adoption", None, True
        )  # fmt: skip
        assert tuple(odin) == (
            "2022/23", 74.5, 66.0, 83.5, None, None, None, "https://odin.opendatawatch.com",
            None, True, "old",
        )  # fmt: skip
        assert others == [
            ("https://datos.gob.mx", None, None, True),
            ("https://example.org/censo", None, None, True),
        ]
        assert endorsers == 0

        # The new rules hold in the migrated database.
        for statement in (
            "UPDATE open_data_charter_adopters SET illustrative = :no",
            "UPDATE open_data_odin_scores SET illustrative = :no",
            "UPDATE open_data_odin_scores SET social = 101 WHERE :no = :no",
            "INSERT INTO open_data_charter_endorsers (name, illustrative) VALUES ('NGO', :no)",
        ):
            with pytest.raises(IntegrityError, match=r"(?i)check"):
                async with db.write() as conn:
                    await conn.execute(text(statement).bindparams(no=False))
        async with db.write() as conn:
            await conn.execute(
                text(
                    "UPDATE open_data_odin_scores SET illustrative = :no, retrieved_on = :day, "
                    "coverage = NULL, social = 70"
                ).bindparams(no=False, day=date(2026, 11, 30))
            )
    finally:
        await db.dispose()
        if schema is not None:
            await _admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
