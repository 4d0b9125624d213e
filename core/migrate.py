"""Alembic, driven from Python: the core branch plus every installed plugin's branch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from core.db import Database
from core.plugins import PluginSet

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(plugins: PluginSet) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    locations = [MIGRATIONS / "versions", *plugins.migration_dirs()]
    config.set_main_option("version_locations", " ".join(str(p) for p in locations))
    config.set_main_option("path_separator", "space")
    return config


async def upgrade(db: Database, plugins: PluginSet, target: str = "heads") -> None:
    """Apply every pending revision of the core and of every installed plugin."""
    config = alembic_config(plugins)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, target)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def pending(db: Database, plugins: PluginSet) -> set[str]:
    """Heads of the scripts not yet applied to the database (empty = migrations current)."""
    script = ScriptDirectory.from_config(alembic_config(plugins))
    heads = set(script.get_heads())

    def current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with db.engine.connect() as conn:
        applied: set[Any] = await conn.run_sync(current)
    if heads <= applied:
        return set()
    # a head counts as applied if the database is at it or beyond it
    applied_ancestry: set[str] = set()
    for rev in applied:
        applied_ancestry |= {r.revision for r in script.iterate_revisions(rev, "base")}
    return heads - applied_ancestry
