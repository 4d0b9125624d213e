"""Migrations from an empty database (the session fixture runs them) produce exactly the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core.db import Base, Database


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    db = Database(database_url)

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    try:
        async with db.engine.connect() as conn:
            differences = await conn.run_sync(diff)
    finally:
        await db.dispose()
    assert differences == []
