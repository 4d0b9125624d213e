"""The server's background loop (when `notify_interval` is set): every `notify_interval`
seconds, admit the pre-registrations of meetings whose registration has opened
(core.meetings.lifecycle.admit_due) and, when e-mail is on (`smtp_host`), run a notification
pass (core/notifications/job.py, which admits first itself).

Every worker runs one loop: the admissions are serialised by each meeting's row lock, the
passes by their lease. A failing round is logged and the next one tries again (a loop that
stopped would go unnoticed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Mapping
from contextlib import suppress

from core.access.declare import RowRule
from core.config import Settings
from core.db import Database
from core.meetings.lifecycle import admit_due
from core.notifications.job import run_pass

log = logging.getLogger("ogp_wg.notifications")


class Notifier:
    """The loop: a round every `notify_interval` seconds until `stop()`."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        themes: Collection[str],
        rows: Mapping[str, RowRule] | None = None,
    ) -> None:
        assert settings.notify_interval is not None
        self.db, self.settings, self.interval = db, settings, settings.notify_interval
        self.themes, self.rows = tuple(themes), rows
        self.stopping = asyncio.Event()
        self.task = asyncio.create_task(self._run(), name="ogp-wg notifications")

    async def _round(self) -> None:
        if not self.settings.smtp_host:
            admitted = await admit_due(self.db, self.themes)
            if admitted:
                log.info("pre-registrations: admitted %d", admitted)
            return
        report = await run_pass(self.db, self.settings, self.themes, rows=self.rows)
        if report.error:
            log.warning("notifications: %s; %s", report.error, report.describe())
        elif report.sent or report.failed or report.admitted:
            log.info("notifications: %s", report.describe())

    async def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                await self._round()
            except Exception:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # cancelled mid-pass: what failed is the cancellation's doing
                log.exception("notifications: the pass failed")
            with suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.interval)

    async def stop(self, grace: float = 10.0) -> None:
        """Let the round under way finish (at most `grace` seconds, then cancel it): a message
        is never left between sent and marked SENT by a shutdown."""
        self.stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self.task), grace)
        except TimeoutError:
            self.task.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self.task


def start_loop(
    db: Database,
    settings: Settings,
    themes: Collection[str],
    rows: Mapping[str, RowRule] | None = None,
) -> Notifier | None:
    """The server's loop when `notify_interval` is set (None otherwise; the caller awaits its
    `stop()` at shutdown). Without `smtp_host` it only admits pre-registrations. `rows`: the
    schema's row rules, for the digests (see `run_pass`)."""
    if settings.notify_interval is None:
        return None
    if not settings.smtp_host:
        log.warning(
            "notify_interval is set but smtp_host is not: e-mail is off; the loop only admits "
            "pre-registrations"
        )
    return Notifier(db, settings, themes, rows)
