"""`ogp-wg notify send`: one notification pass, for cron (core/notifications/job.py).

Prints what it did on stderr (`ogp-wg: queued ... sent ...`). Exits non-zero with one line, no
traceback, when e-mail is off (`smtp_host` unset) or the SMTP server cannot be used; then every
queued message stays PENDING for the next pass.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any


def cmd_notify_send(args: argparse.Namespace) -> None:
    from core.cli import command_settings, progress
    from core.cli_db import CommandError, require_migrated
    from core.db import Database
    from core.notifications.digests import row_rules
    from core.notifications.job import NotificationsOff, Report, run_pass
    from core.plugins import make_plugin_manager

    settings = command_settings(args)
    plugins = make_plugin_manager(settings)

    async def run() -> Report:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
            return await run_pass(db, settings, plugins.enabled, rows=row_rules(plugins))
        finally:
            await db.dispose()

    try:
        report = asyncio.run(run())
    except NotificationsOff as exc:
        raise CommandError(str(exc)) from None
    if report.error:
        raise CommandError(
            f"{report.error}: {report.pending} message(s) stay pending for the next pass "
            f"({report.describe()})"
        )
    progress(report.describe())


def add_commands(sub: Any) -> None:
    """Register `ogp-wg notify send`."""
    notify = sub.add_parser("notify", help="e-mail notifications (meeting notices, digests)")
    notify_sub = notify.add_subparsers(dest="notify_command", required=True, metavar="ACTION")
    notify_sub.add_parser(
        "send",
        help="one pass: queue the notices of new events and the digests due, send the outbox",
        description="Queue an e-mail to the registrants of every meeting cancelled or moved "
        "since the last pass and the digests that are due, then send every pending message "
        "through the SMTP server of the configuration (smtp_host...). Safe to rerun: nothing "
        "is queued or sent twice. Run it from cron, e.g. every 5 minutes.",
    ).set_defaults(func=cmd_notify_send)
