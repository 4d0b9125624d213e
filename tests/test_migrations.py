"""Migrations from an empty database (the session fixture runs them) produce exactly the models:
the core's tables, and each installed plugin's, checked with `assert_migrations_match_models`
(the helper a partner's tests call too). And the helper notices a migration that lags its model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

import core
from core.db import Base, Database
from core.migrate import upgrade
from core.plugins import discover, make_plugin_manager
from core.revision import generate_revision, include_only, migration_problems
from core.search.models import is_search_index_table
from core.testing import settings_for

INSTALLED = sorted(discover())  # the built-in plugins, and whatever else is installed here


def _not_the_search_index(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """Everything but SQLite's FTS5 index (core_0018's virtual table and its shadow tables)."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return not is_search_index_table(table)


async def _differences(database_url: str, include: Any = None) -> list[Any]:
    db = Database(database_url)

    def diff(connection: Any) -> list[Any]:
        opts = {"compare_type": True, "include_object": include or _not_the_search_index}
        return compare_metadata(MigrationContext.configure(connection, opts=opts), Base.metadata)

    try:
        async with db.engine.connect() as conn:
            return await conn.run_sync(diff)
    finally:
        await db.dispose()


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    assert await _differences(database_url) == []


async def test_core_migrations_match_the_core_models(database_url: str) -> None:
    assert await _differences(database_url, include_only(None, INSTALLED)) == []


def test_the_five_built_in_plugins_are_checked() -> None:
    builtin = {"access_to_info", "extractives", "fiscal_openness", "open_data", "open_parliaments"}
    assert builtin <= set(INSTALLED)


@pytest.mark.parametrize("key", INSTALLED)
async def test_plugin_migrations_match_its_models(assert_migrations_match_models, key: str) -> None:
    await assert_migrations_match_models(key)


# --- the check fails when a model moves ahead of its migrations, and the generator catches up ---

FIRST = '''"""probe things"""
import sqlalchemy as sa
from alembic import op

revision = "probe_theme_0001"
down_revision = None
branch_labels = ("probe_theme",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "probe_theme_things",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["country_id"], ["countries.id"],
                                name=op.f("fk_probe_theme_things_country_id_countries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_probe_theme_things")),
    )


def downgrade() -> None:
    op.drop_table("probe_theme_things")
'''


def _probe_plugin(migrations: Path) -> Any:
    class Thing(Base):
        __tablename__ = "probe_theme_things"
        id: Mapped[int] = mapped_column(primary_key=True)
        country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
        label: Mapped[str | None] = mapped_column(String(40))  # not in FIRST: the lag

    theme = core.Theme(key="probe_theme", title="Probe", summary="test", version="1.0")

    class Plugin:
        ogp_wg_theme = staticmethod(core.hookimpl(lambda: theme))
        ogp_wg_models = staticmethod(core.hookimpl(lambda: [Thing]))
        ogp_wg_migrations = staticmethod(core.hookimpl(lambda: migrations))

    return Plugin


async def test_lagging_migration_is_reported_then_generated(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "probe_theme_0001_things.py").write_text(FIRST)
    url = f"sqlite+aiosqlite:///{tmp_path / 'probe.sqlite3'}"
    try:
        plugins = make_plugin_manager(
            settings_for(url), installed={"probe_theme": _probe_plugin(migrations)}
        )
        db = Database(url)
        try:
            await upgrade(db, plugins)
            problems = await migration_problems(db, plugins, "probe_theme")
            assert len(problems) == 1 and "add_column" in problems[0], problems
            assert "probe_theme_things" in problems[0] and "label" in problems[0]

            created = await generate_revision(plugins, "probe_theme", "Add a label")
            assert created is not None
            assert created.path == migrations / "probe_theme_0002_add_a_label.py"
            assert (created.revision, created.down_revision) == (
                "probe_theme_0002",
                "probe_theme_0001",
            )
            assert created.changes == ("add column probe_theme_things.label",)
            text = created.path.read_text()
            assert 'down_revision: str | Sequence[str] | None = "probe_theme_0001"' in text
            assert "countries" not in text.split("def upgrade")[1]  # the plugin's tables only

            await upgrade(db, plugins)
            assert await migration_problems(db, plugins, "probe_theme") == []
            assert await generate_revision(plugins, "probe_theme", "nothing") is None
        finally:
            await db.dispose()
    finally:
        Base.metadata.remove(Base.metadata.tables["probe_theme_things"])
