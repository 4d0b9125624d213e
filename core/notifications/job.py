"""One notification pass (`ogp-wg notify send`, or the server's loop when `notify_interval` is
set, core/notifications/loop.py): admit the pre-registrations of meetings whose registration has
opened (core.meetings.lifecycle.admit_due), queue the notices of new MEETING_CANCELLED /
MEETING_MOVED events and the digests that are due, then send what the outbox holds.

Correctness, step by step:
- One pass at a time: a lease in `notification_jobs` (a conditional UPDATE, on both databases),
  renewed while the pass runs; a crashed pass's lease expires after `LEASE`.
- Which events are new: ids above the watermark, up to a *horizon* read while no transaction
  can still be adding a lower id (PostgreSQL: `LOCK TABLE activity_events IN SHARE MODE` waits
  for every inserting transaction to end, for the one `max(id)` statement; SQLite runs one
  writer at a time). Without it, an event committed after a higher id was read would be skipped.
- Queueing is idempotent: the outbox rows of a batch of events and the new watermark commit
  together, and `notification_outbox` is UNIQUE per (person, kind, event); a digest moves the
  person's own watermark in the transaction that queues it.
- Sending: each message is marked SENT in its own transaction as soon as the SMTP server
  accepted it, so a rerun never sends a SENT message again (a crash in between the two, the
  only window, re-sends one message with the same Message-ID). A server that cannot be reached
  leaves every message PENDING and ends the pass with `Report.error`; a refused message counts
  an attempt, and is FAILED at a permanent (5xx) refusal or after MAX_ATTEMPTS.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.access.declare import RowRule
from core.activity.models import ActivityEvent
from core.config import Settings
from core.db import Database, utcnow
from core.enums import MeetingChangeKind, RegistrationStatus
from core.groups.models import WorkingGroup
from core.meetings.lifecycle import admit_due
from core.meetings.models import Meeting, MeetingChange, Registration
from core.notifications import mail
from core.notifications.digests import queue_digests
from core.notifications.models import (
    NotificationJob,
    NotificationPreference,
    OutboxKind,
    OutboxMessage,
    OutboxState,
)
from core.notifications.services import enqueue
from core.people.models import Person

JOB = "sender"
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
EVENT_BATCH = 100
NOTIFIED = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PRE_REGISTERED,
)
"""Registrations whose person hears of a meeting's cancellation or move."""
CHANGE_KINDS = {
    "MEETING_CANCELLED": MeetingChangeKind.CANCELLED,
    "MEETING_MOVED": MeetingChangeKind.MOVED,
}


class NotificationsOff(Exception):
    """`smtp_host` is not set: nothing is queued or sent."""


@dataclass
class Report:
    admitted: int = 0
    """Pre-registrations admitted (core.meetings.lifecycle.admit_due), before the lease."""
    notices: int = 0
    digests: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    busy: bool = False
    """Another pass held the lease: this one did nothing."""
    error: str | None = None
    """Why sending stopped (the SMTP server cannot be used); the messages stay PENDING."""

    def describe(self) -> str:
        admitted = f"admitted {self.admitted} pre-registration(s); " if self.admitted else ""
        if self.busy:
            return f"{admitted}another notification pass is running; nothing done"
        return (
            f"{admitted}queued {self.notices} meeting notice(s) and {self.digests} digest(s); "
            f"sent {self.sent}, failed {self.failed}, pending {self.pending}"
        )


async def run_pass(
    db: Database,
    settings: Settings,
    themes: Collection[str],
    *,
    now: datetime | None = None,
    rows: Mapping[str, RowRule] | None = None,
) -> Report:
    """One pass (see the module docstring). `themes`: the enabled plugins' keys; `rows`: the
    row rules by type (the schema's `Policy.rows`; None: `digests.row_rules()`, the core's). A
    digest tells a person only what the API shows them (core/notifications/digests.py): a
    disabled theme's groups, a subject a row rule hides from them, a hidden comment are left
    out. Raises NotificationsOff when `smtp_host` is unset; database errors propagate."""
    if not settings.smtp_host:
        raise NotificationsOff(
            "e-mail is off: set smtp_host (OGP_WG_SMTP_HOST or ogp-wg.toml) to send "
            "notifications; nothing was queued or sent"
        )
    now = now or utcnow()
    report = Report()
    report.admitted = await admit_due(db, themes, now)
    holder = uuid.uuid4().hex
    if not await _take_lease(db, holder, now):
        report.busy = True
        return report
    try:
        horizon = await _horizon(db)
        report.notices = await _queue_notices(db, settings, holder, horizon, now)
        report.digests = await queue_digests(db, settings, themes, horizon, now, rows)
        await _send(db, settings, holder, report)
    finally:
        async with db.write() as conn:
            await conn.execute(
                update(NotificationJob)
                .where(NotificationJob.name == JOB, NotificationJob.lease_holder == holder)
                .values(lease_holder=None, lease_until=None)
            )
    async with db.read() as conn:
        report.pending = int(
            await conn.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state == OutboxState.PENDING)
            )
            or 0
        )
    return report


async def _take_lease(db: Database, holder: str, now: datetime) -> bool:
    try:
        async with db.write() as conn:
            exists = await conn.scalar(
                select(NotificationJob.name).where(NotificationJob.name == JOB)
            )
            if exists is None:
                await conn.execute(insert(NotificationJob).values(name=JOB, watermark=0))
    except IntegrityError:
        pass  # another process made the row at the same moment: the lease decides below
    async with db.write() as conn:
        taken = await conn.execute(
            update(NotificationJob)
            .where(
                NotificationJob.name == JOB,
                or_(NotificationJob.lease_until.is_(None), NotificationJob.lease_until < now),
            )
            .values(lease_holder=holder, lease_until=now + LEASE)
        )
        return taken.rowcount == 1


async def _renew(conn: AsyncConnection, holder: str) -> None:
    await conn.execute(
        update(NotificationJob)
        .where(NotificationJob.name == JOB, NotificationJob.lease_holder == holder)
        .values(lease_until=utcnow() + LEASE)
    )


async def _horizon(db: Database) -> int:
    """The newest event id below which every event is committed (see the module docstring)."""
    async with db.write() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("LOCK TABLE activity_events IN SHARE MODE"))
        return int(await conn.scalar(select(func.coalesce(func.max(ActivityEvent.id), 0))) or 0)


async def _queue_notices(
    db: Database, settings: Settings, holder: str, horizon: int, now: datetime
) -> int:
    queued = 0
    while True:
        async with db.write() as conn:
            mark = await conn.scalar(
                select(NotificationJob.watermark).where(NotificationJob.name == JOB)
            )
            mark = int(mark or 0)
            if mark >= horizon:
                return queued
            upto = min(horizon, mark + EVENT_BATCH)
            events = (
                await conn.execute(
                    select(*ActivityEvent.__table__.c)
                    .where(
                        ActivityEvent.id > mark,
                        ActivityEvent.id <= upto,
                        ActivityEvent.verb.in_(mail.VERB_WORDS),
                        ActivityEvent.subject_type == "Meeting",
                    )
                    .order_by(ActivityEvent.id)
                )
            ).all()
            for event in events:
                queued += await _queue_notice(conn, settings, event, now)
            moved = await conn.execute(
                update(NotificationJob)
                .where(
                    NotificationJob.name == JOB,
                    NotificationJob.watermark == mark,
                    NotificationJob.lease_holder == holder,
                )
                .values(watermark=upto, lease_until=utcnow() + LEASE)
            )
            if moved.rowcount != 1:  # lost the lease (a pass that outlived LEASE): stop here
                raise RuntimeError("the notification pass lost its lease; rerun it")


async def _queue_notice(
    conn: AsyncConnection, settings: Settings, event: Any, now: datetime
) -> int:
    """Queue the notices of one event to the meeting's registrants; 0 when the meeting is gone
    or over (nobody needs to hear that a past meeting moved)."""
    meeting = (
        await conn.execute(
            select(*Meeting.__table__.c, WorkingGroup.name.label("group_name"))
            .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
            .where(Meeting.id == event.subject_id)
        )
    ).first()
    if meeting is None or meeting.ends_at <= now:
        return 0
    # the history entry written with the event (core/meetings/history.py): the times it moved
    # to, and the reason the anchors gave
    change = (
        await conn.execute(
            select(MeetingChange.new_starts_at, MeetingChange.new_ends_at, MeetingChange.reason)
            .where(
                MeetingChange.meeting_id == meeting.id,
                MeetingChange.kind == CHANGE_KINDS[event.verb],
                MeetingChange.at <= event.at,
            )
            .order_by(MeetingChange.id.desc())
            .limit(1)
        )
    ).first()
    people = (
        await conn.execute(
            select(Person.id, Person.name, Person.email)
            .join(Registration, Registration.person_id == Person.id)
            .outerjoin(NotificationPreference, NotificationPreference.person_id == Person.id)
            .where(
                Registration.meeting_id == meeting.id,
                Registration.status.in_(NOTIFIED),
                Person.email.is_not(None),
                or_(
                    NotificationPreference.meeting_notices.is_(None),
                    NotificationPreference.meeting_notices.is_(True),
                ),
                ~select(OutboxMessage.id)
                .where(
                    OutboxMessage.person_id == Person.id,
                    OutboxMessage.kind == OutboxKind.MEETING_NOTICE,
                    OutboxMessage.event_id == event.id,
                )
                .exists(),
            )
            .order_by(Person.id)
        )
    ).all()
    for person in people:
        subject, body = mail.meeting_notice(settings, event, meeting, change, person)
        await enqueue(conn, person, OutboxKind.MEETING_NOTICE, event.id, subject, body)
    return len(people)


async def _send(db: Database, settings: Settings, holder: str, report: Report) -> None:
    mailer: mail.Mailer | None = None
    after = 0
    try:
        while True:
            async with db.read() as conn:
                batch = (
                    await conn.execute(
                        select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.subject,
                               OutboxMessage.body, OutboxMessage.attempts)
                        .where(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.id > after)
                        .order_by(OutboxMessage.id)
                        .limit(EVENT_BATCH)
                    )
                ).all()  # fmt: skip
            if not batch:
                return
            if mailer is None:
                mailer = await asyncio.to_thread(mail.Mailer, settings)
            for row in batch:
                after = row.id
                outgoing = mail.Outgoing(row.id, row.recipient, row.subject, row.body)
                try:
                    await asyncio.to_thread(mailer.send, outgoing)
                except mail.SmtpRefused as exc:
                    failed = exc.permanent or row.attempts + 1 >= MAX_ATTEMPTS
                    state = OutboxState.FAILED if failed else OutboxState.PENDING
                    error = str(exc)[:500]
                    await _mark(
                        db, row.id, holder, attempts=row.attempts + 1, last_error=error, state=state
                    )
                    report.failed += failed
                    continue
                await _mark(db, row.id, holder, attempts=row.attempts + 1, last_error="",
                            state=OutboxState.SENT, sent_at=utcnow())  # fmt: skip
                report.sent += 1
    except mail.SmtpUnavailable as exc:
        report.error = str(exc)
    finally:
        if mailer is not None:
            await asyncio.to_thread(mailer.close)


async def _mark(db: Database, message_id: int, holder: str, **values: Any) -> None:
    async with db.write() as conn:
        await conn.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING)
            .values(**values)
        )
        await _renew(conn, holder)
