"""A migration round trip for tests, re-exported by `core.testing` (import it from there):

    async with at_revision(empty_db, "my_theme_0002") as old:
        async with old.db.write() as conn:
            await conn.execute(...)          # rows in the shape of revision 0002
        await old.upgrade()                  # to head (or old.upgrade("my_theme_0003"))
        ...                                  # check what the upgrade made of them
    # here, whatever happened in the block, the database is at head again

The database is the session's (`empty_db`, `demo_db`) or any other URL; a database not yet at the
revision is first migrated up to it, one beyond it is downgraded to it (`core.migrate.upgrade` /
`downgrade`, the code of `ogp-wg db upgrade` / `db downgrade`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from core.db import Database
from core.migrate import downgrade, upgrade
from core.plugins import PluginSet, make_plugin_manager


@dataclass(frozen=True)
class RoundTrip:
    """The database of an `at_revision` block: `db` to write and read rows, `plugins` the
    installed plugins (every one, as `ogp-wg db upgrade` sees them), `revision` where it began."""

    db: Database
    plugins: PluginSet
    revision: str

    async def upgrade(self, target: str = "heads") -> None:
        """Apply the revisions up to `target` (a revision id; "heads": everything installed)."""
        await upgrade(self.db, self.plugins, target)

    async def downgrade(self, target: str | None = None) -> list[str]:
        """Unapply down to `target` (default: the block's revision); the ids unapplied, newest
        first. MigrationError for a revision that is not installed."""
        return await downgrade(self.db, self.plugins, target or self.revision)


@asynccontextmanager
async def at_revision(url: str, revision: str) -> AsyncIterator[RoundTrip]:
    """The database at `url` migrated to exactly `revision` (a revision id of the core or of an
    installed plugin: up to it, or down to it) for the block; on leaving the block, whether it
    failed or not, migrated to head again and its connections closed.

    The block's rows stay (a test that needs none starts from `empty_db`). Raises MigrationError
    for a revision that is not installed, before anything changes.
    """
    from core.testing import settings_for  # core.testing re-exports this module

    db = Database(url)
    plugins = make_plugin_manager(settings_for(url))
    try:
        await upgrade(db, plugins, revision)  # an unknown revision: MigrationError, no change
        await downgrade(db, plugins, revision)
        yield RoundTrip(db, plugins, revision)
    finally:
        try:
            await upgrade(db, plugins)  # the session's database is left at head
        finally:
            await db.dispose()
