"""`ogp-wg search rebuild`: index every source row anew (core/search/services.py `rebuild`)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any


def cmd_search_rebuild(args: argparse.Namespace) -> None:
    from core.cli import command_settings, progress
    from core.cli_db import require_migrated
    from core.db import Database
    from core.plugins import make_plugin_manager
    from core.search.services import rebuild

    settings = command_settings(args)
    plugins = make_plugin_manager(settings)

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
            return await rebuild(db)
        finally:
            await db.dispose()

    progress(f"search index rebuilt: {asyncio.run(run())} document(s)")


def add_commands(sub: Any) -> None:
    """Register `ogp-wg search rebuild`."""
    search = sub.add_parser("search", help="the full-text search index")
    search_sub = search.add_subparsers(dest="search_command", required=True, metavar="ACTION")
    search_sub.add_parser(
        "rebuild",
        help="index every group, priority area, resource and expertise anew",
        description="Empty the search index and index every source row again, in one "
        "transaction. The database's triggers keep the index up to date on every write; run "
        "this after rows were written with the triggers off (a bulk load with "
        "session_replication_role = replica, a restore that skipped triggers). Safe to rerun.",
    ).set_defaults(func=cmd_search_rebuild)
