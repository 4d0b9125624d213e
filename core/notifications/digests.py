"""Digests: which are due, what each tells (the events of the person's groups since their
watermark), queued in the outbox in the transaction that moves the watermark (core/notifications/
job.py runs it once per pass, under the pass's lease).

A digest tells a person only what they could see over the API: each event passes the activity
feed's condition for them as the viewer (`core.activity.access.events_visible_to`: their
groups' themes enabled, the row rules of the event's subject and group, staff seeing all). And
it leaves out the comments hidden by the time it is built, whoever reads it: the API shows a
hidden comment only as a stub with the moderators' reason, and a digest does not point to what
was moderated (the feed still lists the event; its `subject.isHidden` is true).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.access.declare import RowRule
from core.access.policy import HOOK, core_declarations
from core.activity.access import events_visible_to
from core.activity.models import ActivityEvent
from core.auth import Viewer
from core.comments.models import Comment
from core.config import Settings
from core.db import Database
from core.groups.models import Anchor, Membership, WorkingGroup
from core.models import StaffRole
from core.notifications import mail
from core.notifications.models import DigestFrequency, NotificationPreference, OutboxKind
from core.notifications.services import enqueue
from core.people.models import Person
from core.plugins import PluginSet

DIGEST_EVENTS = 50
"""Events a digest lists; it counts the rest."""
PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
SLACK = timedelta(hours=1)
"""A digest is due a little before its period is over, so a cron job at a fixed hour sends it
every day (or week) even when the previous pass ran a few minutes late."""


def row_rules(plugins: PluginSet | None = None) -> dict[str, RowRule]:
    """The row rules the API applies, by type name: the core's and, given `plugins`, the
    enabled plugins' (hook `ogp_wg_access_rules`); what a built schema's `Policy.rows` holds,
    for a process that builds no schema (`ogp-wg notify send`)."""
    declared = list(core_declarations())
    for _, items in plugins.call(HOOK) if plugins is not None else ():
        declared += list(items)
    return {item.type_name: item for item in declared if isinstance(item, RowRule)}


def _groups_of(person: Any) -> Any:
    """The ids of the groups whose member or anchor the person's organisation is."""
    org = person.organization_id
    return (
        select(Membership.group_id)
        .where(Membership.organization_id == org)
        .union(select(Anchor.group_id).where(Anchor.organization_id == org))
    )


async def queue_digests(
    db: Database,
    settings: Settings,
    themes: Collection[str],
    horizon: int,
    now: datetime,
    rows: Mapping[str, RowRule] | None = None,
) -> int:
    """Queue every due digest (one transaction each); returns how many were queued. `rows`:
    the row rules by type (None: `row_rules()`, the core's)."""
    rules = row_rules() if rows is None else rows
    prefs = NotificationPreference
    queued = 0
    async with db.read() as conn:
        due = (
            await conn.execute(
                select(prefs.person_id, prefs.digest, prefs.digest_watermark)
                .where(
                    prefs.digest != DigestFrequency.NONE,
                    or_(
                        prefs.last_digest_at.is_(None),
                        and_(
                            prefs.digest == DigestFrequency.DAILY,
                            prefs.last_digest_at <= now - PERIODS[DigestFrequency.DAILY] + SLACK,
                        ),
                        prefs.last_digest_at <= now - PERIODS[DigestFrequency.WEEKLY] + SLACK,
                    ),
                )
                .order_by(prefs.person_id)
            )
        ).all()
    for choice in due:
        async with db.write() as conn:
            queued += await _queue_digest(conn, settings, (themes, rules), choice, horizon, now)
    return queued


async def _queue_digest(
    conn: AsyncConnection,
    settings: Settings,
    access: tuple[Collection[str], Mapping[str, RowRule]],
    choice: Any,
    horizon: int,
    now: datetime,
) -> int:
    prefs = NotificationPreference
    # the person's watermark moves only if nobody changed it since it was read (a new choice)
    moved = await conn.execute(
        update(prefs)
        .where(
            prefs.person_id == choice.person_id, prefs.digest_watermark == choice.digest_watermark
        )
        .values(digest_watermark=max(horizon, choice.digest_watermark), last_digest_at=now)
    )
    if moved.rowcount != 1:
        return 0
    person = (
        await conn.execute(
            select(
                Person.id,
                Person.name,
                Person.email,
                Person.organization_id,
                StaffRole.person_id.label("staff"),
            )
            .outerjoin(StaffRole, StaffRole.person_id == Person.id)
            .where(Person.id == choice.person_id)
        )
    ).one()
    if not person.email or person.organization_id is None:
        return 0
    news = (
        select(*ActivityEvent.__table__.c, WorkingGroup.name.label("group_name"))
        .join(WorkingGroup, WorkingGroup.id == ActivityEvent.group_id)
        .where(
            ActivityEvent.id > choice.digest_watermark,
            ActivityEvent.id <= horizon,
            ActivityEvent.group_id.in_(_groups_of(person)),
            _visible(person, *access),
        )
    )
    events = (
        await conn.execute(news.order_by(WorkingGroup.name, ActivityEvent.id).limit(DIGEST_EVENTS))
    ).all()
    if not events:
        return 0
    total = int(await conn.scalar(select(func.count()).select_from(news.subquery())) or 0)
    subject, body = mail.digest(choice.digest, person, events, total - len(events), settings)
    last = max(event.id for event in events)
    await enqueue(conn, person, OutboxKind.DIGEST, last, subject, body)
    return 1


def _visible(
    person: Any, themes: Collection[str], rows: Mapping[str, RowRule]
) -> ColumnElement[bool]:
    """The events `person` may read about in a digest (module docstring)."""
    viewer = Viewer(person_id=person.id, is_staff=person.staff is not None, method="digest")
    hidden = select(Comment.id).where(Comment.hidden_at.is_not(None))
    return and_(
        events_visible_to(viewer, themes, rows),
        or_(ActivityEvent.subject_type != "Comment", ActivityEvent.subject_id.not_in(hidden)),
    )
