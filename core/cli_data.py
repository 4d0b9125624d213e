"""`ogp-wg demo` and the `ogp-wg db` commands that move data rather than migrations:
`drop-plugin`, `revision`, `backup`, `restore` (`upgrade|current|history|downgrade`: core.cli_db).

Each command reads its settings through `core.cli.command_settings` (so a failure's one line names
the database) and reports progress on stderr: plain `ogp-wg: ...` lines, or a rich spinner with
timed lines when stderr is a terminal (`status`). Errors are raised; `core.cli.main` words them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from core.cli import EXIT_ERROR, command_settings, progress
from core.cli_db import safe_url


def cmd_db_drop_plugin(args: argparse.Namespace) -> None:
    """Show what an uninstalled plugin left, ask for its key as confirmation, delete it."""
    from core.db import Database
    from core.plugin_removal import DropRefused, drop_plugin, plan_drop
    from core.plugins import make_plugin_manager

    settings = command_settings(args)
    plugins = make_plugin_manager(settings)
    db = Database(settings.database_url)

    async def plan() -> Any:
        try:
            return await plan_drop(db, plugins, args.key, by_prefix=args.by_prefix)
        finally:
            await db.dispose()

    confirmed = asyncio.run(plan())
    print(confirmed.describe(), flush=True)
    if not args.yes:
        try:
            answer = input(f"Type the plugin key '{args.key}' to confirm: ")
        except EOFError:  # no terminal and nothing piped in: not a yes
            print()
            answer = ""
        if answer.strip() != args.key:
            raise DropRefused("not confirmed; nothing was dropped")

    async def run() -> None:
        try:
            await drop_plugin(db, plugins, confirmed)
        finally:
            await db.dispose()

    asyncio.run(run())
    progress(f"dropped what plugin '{args.key}' left in {safe_url(settings.database_url)}")


def cmd_db_revision(args: argparse.Namespace) -> None:
    from core.plugins import make_plugin_manager
    from core.revision import RevisionError, generate_revision

    plugins = make_plugin_manager(command_settings(args))
    progress(f"plugin '{args.plugin}': comparing its models with a scratch database at head")
    try:
        created = asyncio.run(generate_revision(plugins, args.plugin, args.message))
    except RevisionError as exc:
        print(f"ogp-wg: error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    if created is None:
        print(f"no changes: plugin '{args.plugin}': its migrations match its models")
        return
    parent = f"revises {created.down_revision}" if created.down_revision else "first of its branch"
    print(f"created {created.path} (revision {created.revision}, {parent})")
    for change in created.changes:
        print(f"  {change}")
    print("next: review it, then `ogp-wg db upgrade`")


def cmd_db_backup(args: argparse.Namespace) -> None:
    from core.backup import backup

    settings = command_settings(args)
    progress(f"backing up {safe_url(settings.database_url)} to {args.path}")
    done = backup(settings.database_url, args.path)
    progress(f"wrote {done.path} ({done.size} bytes, {done.backend})")


def cmd_db_restore(args: argparse.Namespace) -> None:
    from core.backup import BackupError, restore

    settings = command_settings(args)
    where = safe_url(settings.database_url)
    if not args.yes:
        print(f"This replaces EVERY table of {where} with the content of {args.path}.")
        try:
            answer = input("Type 'restore' to confirm: ")
        except EOFError:  # no terminal and nothing piped in: not a yes
            print()
            answer = ""
        if answer.strip() != "restore":
            raise BackupError("not confirmed; nothing was restored")
    with status(f"restoring {where} from {args.path}"):
        done = restore(settings.database_url, args.path)
    progress(f"restored {where} from {done.path}; run `ogp-wg db upgrade` if the code is newer")


def cmd_demo(args: argparse.Namespace) -> None:
    from core.cli_db import require_migrated
    from core.db import Database
    from core.demo import load_demo
    from core.plugins import make_plugin_manager

    settings = command_settings(args)
    plugins = make_plugin_manager(settings)

    async def run() -> dict[str, str]:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
            with status("loading demo data") as step:
                return await load_demo(db, plugins, progress=step, if_empty=args.if_empty)
        finally:
            await db.dispose()

    from core.auth.cli import print_demo_tokens

    print_demo_tokens(asyncio.run(run()))


@contextmanager
def status(title: str) -> Iterator[Callable[[str], None]]:
    """A rich spinner on stderr while a long step runs; each step's message logged as a line
    (on a terminal with the time taken so far; piped, plain lines)."""
    from rich.console import Console

    console = Console(stderr=True)
    started = time.monotonic()
    with console.status(f"{title}..."):

        def step(message: str) -> None:
            if console.is_terminal:
                console.log(f"{message} [dim]({time.monotonic() - started:.1f} s)[/]")
            else:
                progress(message)

        yield step


def add_db_commands(db_sub: Any) -> None:
    """Register drop-plugin, revision, backup and restore on `ogp-wg db`'s sub-parsers."""
    drop = db_sub.add_parser(
        "drop-plugin",
        help="delete the tables and version row of an UNINSTALLED plugin (asks first)",
        description="Delete what an uninstalled plugin left: the tables recorded for it by "
        "`db upgrade`, its alembic_version row and its registry rows, in one transaction. "
        "Refused for the core and for installed plugins; nothing else is touched.",
    )
    drop.add_argument("key", metavar="KEY", help="the removed plugin's key")
    drop.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    drop.add_argument(
        "--by-prefix",
        action="store_true",
        help="if no table is recorded for KEY, drop the unclaimed tables named KEY_*",
    )
    drop.set_defaults(func=cmd_db_drop_plugin)
    revision = db_sub.add_parser(
        "revision",
        help="write a plugin's next migration revision from its models (Alembic autogenerate)",
        description="Migrate a scratch SQLite database to every head, compare it with the "
        "models, and write what differs in the plugin's own tables as the next revision of its "
        "branch, in its migrations folder. Nothing is written when they match.",
    )
    revision.add_argument("--plugin", required=True, metavar="KEY", help="the plugin's key")
    revision.add_argument(
        "-m", "--message", required=True, help="what the revision does (its docstring, file name)"
    )
    revision.set_defaults(func=cmd_db_revision)

    backup = db_sub.add_parser(
        "backup",
        help="write a consistent copy of the whole database to PATH, while serving",
        description="SQLite: the online backup API. PostgreSQL: pg_dump --format=custom.",
    )
    backup.add_argument("path", metavar="PATH", help="the backup file to write (replaced)")
    backup.set_defaults(func=cmd_db_backup)
    restore = db_sub.add_parser(
        "restore",
        help="replace the whole database with a backup made by `db backup` (asks first)",
        description="All or nothing: SQLite through the online backup API; PostgreSQL by "
        "dropping and recreating the public schema and replaying the dump in one transaction.",
    )
    restore.add_argument("path", metavar="PATH", help="the backup file to read")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_db_restore)


def add_demo_command(sub: Any) -> None:
    """Register `ogp-wg demo`."""
    demo = sub.add_parser("demo", help="load demo data (idempotent)")
    demo.add_argument(
        "--if-empty", action="store_true", help="only into a database without working groups"
    )
    demo.set_defaults(func=cmd_demo)
