"""Upgrading a database that holds rows of revision 0001 keeps its laws (SQLite: a file of its
own, so the shared test database is not reset under other tests)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from core.db import Database
from core.migrate import upgrade
from core.plugins import make_plugin_manager
from core.testing import settings_for


async def test_upgrade_from_0001_keeps_the_laws(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    db = Database(url)
    plugins = make_plugin_manager(settings_for(url))
    try:
        await upgrade(db, plugins, "access_to_info_0001")
        async with db.write() as conn:
            await conn.execute(
                text(
                    "INSERT INTO countries (id, alpha2, alpha3, name, region) "
                    "VALUES (1, 'KE', 'KEN', 'Kenya', 'Africa and Middle East')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO access_to_info_rti_laws (country_id, year_adopted, rti_rating) "
                    "VALUES (1, 2016, 104)"
                )
            )

        await upgrade(db, plugins)

        async with db.read() as conn:
            row = (
                await conn.execute(
                    text("SELECT country_id, name, year_adopted FROM access_to_info_rti_laws")
                )
            ).one()
            columns = await conn.run_sync(
                lambda sync: {
                    c["name"] for c in inspect(sync).get_columns("access_to_info_rti_laws")
                }
            )
        assert (row.country_id, row.year_adopted) == (1, 2016)
        assert row.name == "Right-to-information law (name to be recorded)"
        assert "rti_rating" not in columns
    finally:
        await db.dispose()
