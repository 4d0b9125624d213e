"""Alembic, driven from Python: the core branch plus every installed plugin's branch.

A plugin's package can be uninstalled while the database keeps its tables and its row in
`alembic_version`. Alembic alone then refuses every command ("Can't locate revision"). Here such a
row is recognised as a *removed plugin*: `upgrade` sets it aside for the run and puts it back, and
`migration_status` reports it as a warning, not as unreadiness. Which plugin a revision belongs to,
and which tables that plugin owns, come from the `plugin_registry` table that every `upgrade`
writes from the installed plugins' own code (their migration folders and models); for databases
migrated before the registry existed, a revision id names its plugin by the `<key>_NNNN` rule.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import delete, insert, inspect, select, text
from sqlalchemy.engine import Connection

from core.db import Database
from core.models.plugin_registry import REVISION, TABLE, PluginRegistryEntry
from core.plugins import PluginSet

MIGRATIONS = Path(__file__).parent / "migrations"
DOMAIN_MIGRATIONS = sorted(Path(__file__).parent.glob("*/migrations"))
"""Each core domain's own revisions (`core/<domain>/migrations/`, kept as a plugin keeps them;
issue 9): ids `core_NNNN` like the kernel's, so they are the core's (never taken for a removed
plugin's), and ONE chain with the kernel's: a domain's revision revises the core's newest. Not
a branch per domain: a plugin's first revision depends on the core's head, and Alembic loses
track of the heads it replaces when a revision depends on several (KeyError on a new database).
"""
CORE = "core"
VERSION_TABLE = "alembic_version"
REGISTRY = PluginRegistryEntry.__table__
# `<plugin key>_NNNN[_...]`, the documented revision id: the shortest key that is followed by digits
REVISION_ID = re.compile(r"^(?P<key>[a-z][a-z0-9_]*?)_\d+(?:_|$)")


class MigrationError(Exception):
    """The database cannot be migrated by the installed code; the message says what to do."""


@dataclass(frozen=True)
class RemovedPlugin:
    """What a no-longer-installed plugin left: its revision ids in alembic_version, its tables.

    `key` is None when neither the registry nor the revision id names a plugin.
    """

    key: str | None
    revisions: tuple[str, ...]
    tables: tuple[str, ...] = ()

    def message(self) -> str:
        """One sentence for `/readyz` and `db upgrade`: which plugin, what is left, what to do."""
        revisions = ", ".join(self.revisions)
        if self.key is None:
            return (
                f"revision {revisions} in {VERSION_TABLE} belongs to no installed plugin and "
                f"its id names none (expected '<plugin key>_NNNN'): reinstall the package that "
                f"added it, then uninstall it and run `ogp-wg db drop-plugin <key>`"
            )
        left = f"its migration revision {revisions}"
        if self.tables:
            left += f" and its tables {', '.join(self.tables)}"
        return (
            f"plugin '{self.key}' is not installed, but the database still has {left} "
            f"(left untouched). Reinstall its package to use it again, or run "
            f"`ogp-wg db drop-plugin {self.key}` to delete its tables and version row"
        )

    def as_json(self) -> dict[str, Any]:
        return {"plugin": self.key, "revisions": list(self.revisions), "tables": list(self.tables)}


@dataclass(frozen=True)
class MigrationStatus:
    """`pending`: revisions of the installed code not yet applied. `stale`: messages for
    revisions the core or an installed plugin has in the database but not in its installed code
    (the database was migrated by a newer version). `removed`: what uninstalled plugins left.
    """

    pending: frozenset[str] = frozenset()
    stale: tuple[str, ...] = ()
    removed: tuple[RemovedPlugin, ...] = field(default=())

    @property
    def ready(self) -> bool:
        """Everything installed is current; removed plugins are only warnings."""
        return not self.pending and not self.stale


def alembic_config(plugins: PluginSet) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    locations = [MIGRATIONS / "versions", *DOMAIN_MIGRATIONS, *plugins.migration_dirs()]
    config.set_main_option("version_locations", " ".join(str(p) for p in locations))
    config.set_main_option("path_separator", "space")
    return config


_scripts: dict[tuple[Any, ...], ScriptDirectory] = {}


def _script(config: Config) -> ScriptDirectory:
    """The revision scripts, parsed once per set of folders (keyed by their modification times,
    so a revision added or removed is seen); `/readyz` is polled and must stay cheap.
    """
    locations = (config.get_main_option("version_locations") or "").split(" ")
    key = tuple((p, os.stat(p).st_mtime_ns if os.path.isdir(p) else None) for p in locations)
    if key not in _scripts:
        if len(_scripts) > 16:
            _scripts.clear()
        _scripts[key] = ScriptDirectory.from_config(config)
    return _scripts[key]


def plugin_of_revision(revision: str, registry: dict[tuple[str, str], str]) -> str | None:
    """The plugin key a revision id belongs to: recorded in the registry, else by its id."""
    recorded = registry.get((REVISION, revision))
    if recorded is not None:
        return recorded
    match = REVISION_ID.match(revision)
    return match["key"] if match else None


def read_registry(connection: Connection) -> dict[tuple[str, str], str]:
    """(kind, name) -> plugin key; empty before core_0004 has created the table."""
    if not inspect(connection).has_table(REGISTRY.name):
        return {}
    rows = connection.execute(select(REGISTRY.c.kind, REGISTRY.c.name, REGISTRY.c.plugin))
    return {(kind, name): plugin for kind, name, plugin in rows}


def _applied(connection: Connection) -> list[str]:
    return list(MigrationContext.configure(connection).get_current_heads())


def _classify(
    connection: Connection, script: ScriptDirectory, plugins: PluginSet
) -> tuple[list[str], list[str], list[RemovedPlugin]]:
    """Split alembic_version into (known rows, stale messages, removed plugins)."""
    known = {rev.revision for rev in script.walk_revisions()}
    applied = _applied(connection)
    if all(revision in known for revision in applied):
        return applied, [], []  # the usual case: `/readyz` reads nothing more
    registry = read_registry(connection)
    stale: list[str] = []
    orphans: dict[str | None, list[str]] = {}
    for revision in applied:
        if revision in known:
            continue
        key = plugin_of_revision(revision, registry)
        if key == CORE or key in plugins.installed:
            owner = "the core" if key == CORE else f"plugin '{key}'"
            stale.append(
                f"revision {revision} of {owner} is in the database but not in the installed "
                f"code: the database was migrated by a newer version; install that version"
            )
        else:
            orphans.setdefault(key, []).append(revision)
    existing = set(inspect(connection).get_table_names())
    removed: list[RemovedPlugin] = []
    for key, revisions in sorted(orphans.items(), key=lambda item: str(item[0])):
        if key is None:
            removed += [RemovedPlugin(None, (revision,)) for revision in sorted(revisions)]
            continue
        tables = sorted(
            name for (kind, name), owner in registry.items()
            if kind == TABLE and owner == key and name in existing
        )  # fmt: skip
        removed.append(RemovedPlugin(key, tuple(sorted(revisions)), tuple(tables)))
    return [r for r in applied if r in known], stale, removed


def removed_plugins(connection: Connection, plugins: PluginSet) -> list[RemovedPlugin]:
    """What uninstalled plugins left in this database (sync; for `db drop-plugin`)."""
    return _classify(connection, _script(alembic_config(plugins)), plugins)[2]


def _write_registry(connection: Connection, script: ScriptDirectory, plugins: PluginSet) -> None:
    """Record, for every installed plugin, its revision ids and its tables that exist.

    A table recorded earlier stays recorded while it exists (a model may be gone from the code
    while its table is not). Rows of plugins that are not installed are left as they are.
    """
    if not inspect(connection).has_table(REGISTRY.name):
        return  # migrated to a target before core_0004
    folders = {
        Path(folder).resolve(): key
        for key, folder in plugins.call("ogp_wg_migrations", only_enabled=False)
    }
    wanted: dict[tuple[str, str], str] = {}
    for rev in script.walk_revisions():
        key = folders.get(Path(rev.path).resolve().parent)
        if key is not None:
            wanted[(REVISION, rev.revision)] = key
    existing = set(inspect(connection).get_table_names())
    previous = read_registry(connection)
    for key, models in plugins.call("ogp_wg_models", only_enabled=False):
        for model in models:
            name = model.__table__.name
            if name in existing:
                wanted[(TABLE, name)] = key
    for (kind, name), key in previous.items():
        if kind == TABLE and key in plugins.installed and name in existing:
            wanted.setdefault((kind, name), key)
    # Only what changed is written: an upgrade with nothing new writes nothing here either.
    outdated = [
        entry for entry, key in previous.items()
        if (key in plugins.installed or entry in wanted) and wanted.get(entry) != key
    ]  # fmt: skip
    for kind, name in outdated:
        connection.execute(delete(REGISTRY).where(REGISTRY.c.kind == kind, REGISTRY.c.name == name))
    rows = [
        {"kind": kind, "name": name, "plugin": key}
        for (kind, name), key in wanted.items()
        if previous.get((kind, name)) != key
    ]
    if rows:
        connection.execute(insert(REGISTRY), rows)


def _check_target(script: ScriptDirectory, target: str) -> None:
    """MigrationError unless `target` is "heads", "base" or an installed revision id."""
    if target not in {"heads", "base"} and not any(
        rev.revision == target for rev in script.walk_revisions()
    ):
        raise MigrationError(
            f"no installed revision {target!r}: give a revision `ogp-wg db history` lists, "
            f"heads or base"
        )


async def upgrade(db: Database, plugins: PluginSet, target: str = "heads") -> list[RemovedPlugin]:
    """Apply every pending revision of the core and of every installed plugin, in one
    transaction, then record what each installed plugin owns (`plugin_registry`).

    `target`: "heads" (everything installed) or a revision id (it and what it depends on).
    Returns what uninstalled plugins left behind (their version rows are kept, untouched).
    Raises MigrationError when the database is ahead of the installed core or plugin code, or
    when `target` is no installed revision.
    """
    config = alembic_config(plugins)
    script = ScriptDirectory.from_config(config)  # fresh: revisions may just have been written
    _check_target(script, target)
    removed: list[RemovedPlugin] = []

    def run(connection: Connection) -> None:
        _foreign_keys_off(connection)
        _, stale, found = _classify(connection, script, plugins)
        if stale:
            raise MigrationError("; ".join(stale))
        removed.extend(found)
        orphans = [revision for plugin in found for revision in plugin.revisions]
        # Alembic resolves every row of alembic_version; it cannot know an uninstalled plugin's.
        # The rows step aside for this run, inside its transaction, and come back unchanged.
        version = text(f"DELETE FROM {VERSION_TABLE} WHERE version_num = :revision")
        for revision in orphans:
            connection.execute(version, {"revision": revision})
        config.attributes["connection"] = connection
        command.upgrade(config, target)
        restore = text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:revision)")
        for revision in orphans:
            connection.execute(restore, {"revision": revision})
        _write_registry(connection, script, plugins)
        _check_foreign_keys(connection)

    await _in_one_transaction(db, run)
    return removed


class _Rollback(Exception):
    """Leaves a trial downgrade's transaction by rolling it back."""


def _foreign_keys_off(connection: Connection) -> None:
    """On SQLite, foreign keys off for this migration run (before anything else in it).

    Alembic alters a SQLite table by copying it and dropping the old one ("batch" mode), and
    with foreign keys on, that DROP deletes every row that refers to the table with ON DELETE
    CASCADE: altering `meetings` would empty `registrations`. SQLite's own procedure for schema
    changes (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
    Changes") turns them off, and checks them before committing (`_check_foreign_keys`). The
    pragma is a no-op inside a transaction, so the (still empty) transaction is restarted
    around it; `_in_one_transaction` discards the connection afterwards, so no other user of the
    pool ever gets one with foreign keys off.
    """
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _check_foreign_keys(connection: Connection) -> None:
    """Raise MigrationError (the run rolls back) when a migration left a dangling reference."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        found = ", ".join(sorted({f"{row[0]} -> {row[2]}" for row in broken}))
        raise MigrationError(f"the migration would leave rows referring to missing rows: {found}")


async def _in_one_transaction(db: Database, run: Callable[[Connection], None]) -> None:
    """`run` in one transaction on one connection; on SQLite that connection is discarded
    afterwards (it may have foreign keys off: see `_foreign_keys_off`)."""
    async with db.engine.connect() as conn:
        try:
            async with conn.begin():
                await conn.run_sync(run)
        finally:
            if db.is_sqlite:
                await conn.invalidate()


def _applied_revisions(connection: Connection, script: ScriptDirectory) -> set[str]:
    """Every installed revision the database is at or beyond, on its branch."""
    known = {rev.revision for rev in script.walk_revisions()}
    done: set[str] = set()
    for head in _applied(connection):
        if head in known:  # an uninstalled plugin's row: not ours to walk
            done |= {r.revision for r in script.iterate_revisions(head, "base")}
    return done


async def downgrade(
    db: Database, plugins: PluginSet, target: str, *, trial: bool = False
) -> list[str]:
    """Unapply, in one transaction, what Alembic unapplies to reach `target` (a revision id of
    the core or of an installed plugin, or "base": everything): the revisions of `target`'s
    branch applied after it, and those of other branches that depend on them.

    Returns the revision ids unapplied, newest first (empty: nothing applied is above `target`).
    `trial=True` rolls the transaction back, so nothing changes: what it returns is exactly what
    a real run would unapply. Raises MigrationError when `target` is no installed revision;
    Alembic's own errors (e.g. a removed plugin's row in alembic_version) pass through.
    """
    config = alembic_config(plugins)
    script = ScriptDirectory.from_config(config)  # fresh: revisions may just have been written
    _check_target(script, target)
    undone: list[str] = []

    def run(connection: Connection) -> None:
        _foreign_keys_off(connection)
        before = _applied_revisions(connection, script)
        config.attributes["connection"] = connection
        command.downgrade(config, target)
        gone = before - _applied_revisions(connection, script)
        undone.extend(rev.revision for rev in script.walk_revisions() if rev.revision in gone)
        _check_foreign_keys(connection)
        if trial:
            raise _Rollback

    with suppress(_Rollback):  # a trial: rolled back on purpose
        await _in_one_transaction(db, run)
    return undone


async def migration_status(db: Database, plugins: PluginSet) -> MigrationStatus:
    """Whether the installed code's migrations are applied, and what removed plugins left."""
    script = _script(alembic_config(plugins))

    def check(connection: Connection) -> MigrationStatus:
        applied, stale, removed = _classify(connection, script, plugins)
        # Applied means the database is at the revision or beyond it, on its branch.
        done: set[str] = set()
        for revision in applied:
            done |= {r.revision for r in script.iterate_revisions(revision, "base")}
        todo = {rev.revision for rev in script.walk_revisions()} - done
        return MigrationStatus(frozenset(todo), tuple(stale), tuple(removed))

    async with db.engine.connect() as conn:
        return await conn.run_sync(check)


async def pending(db: Database, plugins: PluginSet) -> set[str]:
    """Revisions of the installed code not yet applied to the database (empty = current)."""
    return set((await migration_status(db, plugins)).pending)
