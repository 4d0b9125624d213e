"""`ogp-wg db upgrade|current|history|downgrade`, and the checks other commands make first.

Alembic does the work (its `MigrationContext` for what is applied, its `ScriptDirectory` for the
revisions of the core's branch and of each installed plugin's branch, `core.migrate`'s `upgrade`
and `downgrade`); this module says it in a line per revision. Errors are `CommandError`: one
line naming the fix.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Alembic, SQLAlchemy and the models load when a command runs, not for --help
    from alembic.script import Script
    from sqlalchemy.engine import Connection

    from core.config import Settings
    from core.db import Database
    from core.plugins import PluginSet


class CommandError(Exception):
    """A command cannot go on; the message is one line that says what to do."""


@dataclass(frozen=True)
class Revision:
    """One revision of an installed branch: its id, branch (core or plugin key), title."""

    revision: str
    branch: str
    title: str
    applied: bool


def _title(script: Script) -> str:
    return (script.doc or "").strip().splitlines()[0] if script.doc else ""


def _branch_of(revision: Script, folders: dict[Path, str]) -> str:
    """The branch a revision belongs to: the plugin whose folder holds it, else the core."""
    from core.migrate import CORE

    return folders.get(Path(revision.path).resolve().parent, CORE)


def _revisions(connection: Connection, plugins: PluginSet) -> list[Revision]:
    """Every installed revision, oldest first per branch, with whether it is applied."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from core.migrate import CORE, alembic_config

    script = ScriptDirectory.from_config(alembic_config(plugins))
    folders = {
        Path(folder).resolve(): key
        for key, folder in plugins.call("ogp_wg_migrations", only_enabled=False)
    }
    heads = list(MigrationContext.configure(connection).get_current_heads())
    known = {rev.revision for rev in script.walk_revisions()}
    applied: set[str] = set()
    for head in heads:
        if head in known:  # an uninstalled plugin's row: not ours to walk (see core.migrate)
            applied |= {r.revision for r in script.iterate_revisions(head, "base")}
    found = [
        Revision(rev.revision, _branch_of(rev, folders), _title(rev), rev.revision in applied)
        for rev in reversed(list(script.walk_revisions()))
    ]
    return sorted(found, key=lambda r: (r.branch != CORE, r.branch))  # stable: oldest first


async def read_revisions(db: Database, plugins: PluginSet) -> list[Revision]:
    async with db.engine.connect() as conn:
        return await conn.run_sync(_revisions, plugins)


async def require_migrated(db: Database, plugins: PluginSet) -> None:
    """Raise CommandError unless every installed migration is applied (`demo`, `serve`)."""
    from core.migrate import migration_status

    status = await migration_status(db, plugins)
    if status.stale:
        raise CommandError(status.stale[0])
    if status.pending:
        raise CommandError(
            f"the database is not migrated ({len(status.pending)} migration revisions to "
            f"apply): run `ogp-wg db upgrade` first"
        )


def safe_url(url: str) -> str:
    """The database URL without its password, for what is printed."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _database(settings: Settings) -> Database:
    from core.db import Database

    return Database(settings.database_url)


def _say(line: str) -> None:
    print(line, flush=True)


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings, plugins: PluginSet) -> None:
    """Apply what is pending; print each revision applied, or that there was nothing to do."""
    from core.cli import progress
    from core.migrate import upgrade

    async def run() -> tuple[list[Revision], list[Any]]:
        db = _database(settings)
        try:
            before = await read_revisions(db, plugins)
            progress(
                f"migrating {safe_url(settings.database_url)} (core + "
                f"{len(plugins.installed)} installed plugins)"
            )
            removed = await upgrade(db, plugins)
            after = {r.revision for r in await read_revisions(db, plugins) if r.applied}
        finally:
            await db.dispose()
        done = [r for r in before if not r.applied and r.revision in after]
        return done, removed

    applied, removed = asyncio.run(run())
    for plugin in removed:  # what uninstalled plugins left: a warning, not a failure
        progress(f"warning: {plugin.message()}")
    for rev in applied:
        _say(f"applied {rev.revision} ({rev.branch}): {rev.title}")
    if applied:
        _say(f"database migrated: {len(applied)} revisions applied")
    else:
        _say("database already up to date: nothing to apply")


def cmd_db_current(args: argparse.Namespace, settings: Settings, plugins: PluginSet) -> None:
    """Per branch: the revision applied last, and whether it is the branch's newest."""
    from core.migrate import CORE

    async def run() -> list[Revision]:
        db = _database(settings)
        try:
            return await read_revisions(db, plugins)
        finally:
            await db.dispose()

    revisions = asyncio.run(run())
    branches = [
        CORE,
        *sorted(k for k in plugins.installed if any(r.branch == k for r in revisions)),
    ]
    for branch in branches:
        own = [r for r in revisions if r.branch == branch]
        done = [r for r in own if r.applied]
        if not done:
            _say(f"{branch}: not migrated ({len(own)} to apply)")
            continue
        todo = len(own) - len(done)
        state = "head" if not todo else f"{todo} to apply: run `ogp-wg db upgrade`"
        _say(f"{branch}: {done[-1].revision} ({state})")


def cmd_db_history(args: argparse.Namespace, settings: Settings, plugins: PluginSet) -> None:
    """Every installed revision per branch, oldest first, marked applied or pending."""

    async def run() -> list[Revision]:
        db = _database(settings)
        try:
            return await read_revisions(db, plugins)
        finally:
            await db.dispose()

    for rev in asyncio.run(run()):
        mark = "applied" if rev.applied else "pending"
        _say(f"{rev.branch:<18} {rev.revision:<48} {mark:<8} {rev.title}")


def cmd_db_downgrade(args: argparse.Namespace, settings: Settings, plugins: PluginSet) -> None:
    """Unapply what Alembic unapplies to reach `args.revision` (`base`: everything), after a yes.

    What that is (the revisions above it on its branch, and those of other branches that depend
    on them) is learnt by running the downgrade in a transaction that is rolled back, so the
    list shown is exactly Alembic's; then, once confirmed, it runs for real.
    """
    from core.cli import progress

    db = _database(settings)
    known = {r.revision for r in asyncio.run(_read_all(settings, plugins))}
    if args.revision != "base" and args.revision not in known:
        raise CommandError(
            f"no installed revision {args.revision!r}: give a revision `ogp-wg db history` "
            f"lists, or base"
        )
    undo = asyncio.run(_downgrade(db, plugins, args.revision, commit=False))
    if not undo:
        _say(f"nothing to downgrade: nothing applied is above {args.revision}")
        return
    where = safe_url(settings.database_url)
    _say(f"This unapplies, in {where}, dropping what they created:")
    for rev in undo:
        _say(f"  {rev.revision} ({rev.branch}): {rev.title}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("not a terminal: nothing downgraded; add --yes to downgrade anyway")
        answer = input("Type 'downgrade' to confirm: ")
        if answer.strip() != "downgrade":
            raise CommandError("not confirmed; nothing was downgraded")
    for rev in asyncio.run(_downgrade(db, plugins, args.revision, commit=True)):
        _say(f"unapplied {rev.revision} ({rev.branch})")
    progress(f"downgraded {where}; `ogp-wg db upgrade` applies them again")


async def _read_all(settings: Settings, plugins: PluginSet) -> list[Revision]:
    db = _database(settings)
    try:
        return await read_revisions(db, plugins)
    finally:
        await db.dispose()


async def _downgrade(db: Database, plugins: PluginSet, target: str, commit: bool) -> list[Revision]:
    """`core.migrate.downgrade` to `target`; the revisions it unapplied, newest first per branch.
    `commit=False` is its trial (rolled back: nothing changes)."""
    from core.migrate import downgrade

    try:
        before = await read_revisions(db, plugins)
        undone = set(await downgrade(db, plugins, target, trial=not commit))
    finally:
        await db.dispose()
    return [r for r in reversed(before) if r.revision in undone]


def add_commands(db_sub: Any) -> None:
    """Register current, history and downgrade on `ogp-wg db`'s sub-parsers."""
    db_sub.add_parser(
        "current", help="the migration revision applied last, per branch (core, each plugin)"
    ).set_defaults(db_func=cmd_db_current)
    db_sub.add_parser(
        "history", help="every installed migration revision, oldest first, applied or pending"
    ).set_defaults(db_func=cmd_db_history)
    down = db_sub.add_parser(
        "downgrade",
        help="unapply the migrations above REVISION on its branch (asks first)",
        description="Alembic's downgrade: the revisions of REVISION's branch applied after it "
        "are unapplied, newest first, in one transaction (their tables dropped). `base` "
        "unapplies everything. Asks for confirmation; without a terminal, only with --yes.",
    )
    down.add_argument("revision", metavar="REVISION", help="the revision to go back to, or base")
    down.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    down.set_defaults(db_func=cmd_db_downgrade)
