"""Batch loaders of the meetings domain: meetings (of visible groups only) and registrations
(only those the viewer may see: core/meetings/access.py).

Each runs ONE statement for all the parents a level of the query has (core.loading); the
relation fields of core/meetings/types.py and core/groups/types.py name them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, select, true

from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import visible_theme
from core.hookspecs import BatchLoadFn
from core.meetings.models import (
    MAX_DURATION,
    Meeting,
    MeetingChange,
    MeetingLink,
    Registration,
    not_ended,
)
from core.rows import (
    PagesByKey,
    RowsByKey,
    RowsGroupedBy,
    pages_by_key,
    request_now,
    rows_by_key,
    rows_grouped_by,
)
from core.schema.batch import by_key, fetch_rows


def _in_visible_group(ctx: Context) -> ColumnElement[bool]:
    visible = select(WorkingGroup.id).where(visible_theme(ctx))
    return Meeting.group_id.in_(visible)


# a declaration (core.rows), so node(id:) and `meeting` relations compile (core.compiled)
meetings_by_id: RowsByKey[Any] = rows_by_key(
    Meeting.id, lambda: types.Meeting, where=_in_visible_group
)


async def registrations_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*Registration.__table__.c)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(ctx.db.any_of(Registration.id, keys), visible_theme(ctx))
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.Registration.from_row)


def _group_meetings_filter(ctx: Context, filter: Any) -> ColumnElement[bool]:
    """A group's `meetings(filter:)` (GroupMeetingsFilter) as a condition; "now" is read when
    the statement runs (core.rows.request_now), so a compiled statement kept for reuse
    (core.compiled.plan) stays right."""
    conditions = []
    if filter.kind is not None:
        conditions.append(Meeting.kind == filter.kind)
    if filter.upcoming is not None:
        now = request_now()
        # not ended: started within MAX_DAYS too (core_0020), so (group_id, starts_at) starts
        # near now; ended: started before now, so the range stops at now
        if filter.upcoming:
            # `since` only bounds the index range (implied by the duration rule): a minute
            # earlier, so that its clock read, a few microseconds after `now`'s, never cuts
            conditions.append(not_ended(now, request_now(-MAX_DURATION - timedelta(minutes=1))))
        else:
            conditions += [Meeting.ends_at < now, Meeting.starts_at < now]
    return and_(true(), *conditions)


# a declaration (core.rows), so a group's meetings compile (core.compiled)
meetings_by_group: PagesByKey[Any] = pages_by_key(
    Meeting.group_id,
    lambda: types.Meeting,
    order_by=(Meeting.starts_at, Meeting.id),
    filters={"filter": _group_meetings_filter},
)


# first come, first served: the order of joining the current queue (the waitlist's order is the
# order of promotion), not the id, which a comeback after cancelling keeps
registrations_by_meeting: PagesByKey[Any] = pages_by_key(
    Registration.meeting_id,
    lambda: types.Registration,
    order_by=(Registration.queued_at, Registration.id),
    # only the rows the viewer may see, counted alike: Registration's RowRule applies to every
    # declared load of its table by itself (core.access.rows.conditions_on)
    filters={"status": Registration.status},
)


async def meeting_links_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*MeetingLink.__table__.c)
        .join(Meeting, Meeting.id == MeetingLink.meeting_id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(ctx.db.any_of(MeetingLink.id, keys), visible_theme(ctx))
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.MeetingLink.from_row)


# a short list (at most core.meetings.lifecycle.MAX_LINKS per meeting), in the order attached
links_by_meeting: RowsGroupedBy[Any] = rows_grouped_by(
    MeetingLink.meeting_id, lambda: types.MeetingLink, order_by=(MeetingLink.id,)
)

# the history, oldest first
changes_by_meeting: PagesByKey[Any] = pages_by_key(
    MeetingChange.meeting_id, lambda: types.MeetingChange, order_by=(MeetingChange.id,)
)


LOADERS: dict[str, BatchLoadFn] = {
    "meetings_by_id": meetings_by_id,
    "registrations_by_id": registrations_by_id,
    "meeting_links_by_id": meeting_links_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: the types module needs this module's loaders while its classes are
# being defined, and the loaders above need `types` only when they run. Importing it here breaks
# the cycle whichever of the two modules is imported first (`from core import load_countries` in
# a fresh interpreter imports this one first).
from core.meetings import types  # noqa: E402
