"""`ogp-wg notify send`: one notification pass, for cron (core/notifications/job.py); and
`ogp-wg notify admit`: admit the pre-registrations of meetings whose registration has opened
(core.meetings.lifecycle.admit_due; `send` does it too), for cron without e-mail.

`send` prints what it did on stderr (`ogp-wg: queued ... sent ...`). Exits non-zero with one
line, no traceback, when e-mail is off (`smtp_host` unset) or the SMTP server cannot be used;
then every queued message stays PENDING for the next pass. `admit` prints
`ogp-wg: admitted N pre-registration(s)`.
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


def cmd_notify_admit(args: argparse.Namespace) -> None:
    from core.cli import command_settings, progress
    from core.cli_db import require_migrated
    from core.db import Database
    from core.meetings.lifecycle import admit_due
    from core.plugins import make_plugin_manager

    settings = command_settings(args)
    plugins = make_plugin_manager(settings)

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
            return await admit_due(db, plugins.enabled)
        finally:
            await db.dispose()

    progress(f"admitted {asyncio.run(run())} pre-registration(s)")


def add_commands(sub: Any) -> None:
    """Register `ogp-wg notify send` and `ogp-wg notify admit`."""
    notify = sub.add_parser(
        "notify", help="e-mail notifications (meeting notices, digests); pre-registrations"
    )
    notify_sub = notify.add_subparsers(dest="notify_command", required=True, metavar="ACTION")
    notify_sub.add_parser(
        "send",
        help="one pass: admit due pre-registrations, queue notices and due digests, send mail",
        description="Admit the pre-registrations of meetings whose registration has opened "
        "(as `notify admit`), queue an e-mail to the registrants of every meeting cancelled "
        "or moved since the last pass and the digests that are due, then send every pending "
        "message through the SMTP server of the configuration (smtp_host...). Safe to rerun: "
        "nothing is queued or sent twice. Run it from cron, e.g. every 5 minutes.",
    ).set_defaults(func=cmd_notify_send)
    notify_sub.add_parser(
        "admit",
        help="admit the pre-registrations of meetings whose registration has opened",
        description="Give the people pre-registered for a Summit meeting whose registration "
        "has opened their places (REGISTERED while places last, then WAITLISTED, in the order "
        "they pre-registered). `notify send` and the server's loop (notify_interval) do it "
        "too; run this from cron when e-mail is off. Safe to rerun.",
    ).set_defaults(func=cmd_notify_admit)
