"""Batch loaders of the meetings domain: meetings (of visible groups only) and registrations
(only those the viewer may see: core/meetings/access.py).

Each runs ONE statement for all the parents a level of the query has (core.loading); the
relation fields of core/meetings/types.py and core/groups/types.py name them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import in_visible_groups
from core.hookspecs import BatchLoadFn
from core.meetings.models import Meeting, MeetingChange, MeetingLink, Registration, not_ended
from core.rows import PagesByKey, RowsGroupedBy, pages_by_key, rows_grouped_by
from core.schema.batch import by_key, fetch_rows
from core.schema.pagination import paginate_children


async def meetings_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = in_visible_groups(ctx, Meeting, Meeting.group_id).where(ctx.db.any_of(Meeting.id, keys))
    return by_key(await fetch_rows(ctx, stmt), keys, types.Meeting.from_row)


async def registrations_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = (
        select(*Registration.__table__.c)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(ctx.db.any_of(Registration.id, keys), WorkingGroup.theme.in_(ctx.app.visible_themes))
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.Registration.from_row)


async def meetings_by_group(
    ctx: Context,
    keys: list[int],
    filter: Any = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Any]:
    stmt = select(*Meeting.__table__.c)
    if filter is not None and filter.kind is not None:
        stmt = stmt.where(Meeting.kind == filter.kind)
    if filter is not None and filter.upcoming is not None:
        now = datetime.now(UTC)
        # not ended: started within MAX_DAYS too (core_0020), so (group_id, starts_at) starts
        # near now; ended: started before now, so the range stops at now
        ended = (Meeting.ends_at < now, Meeting.starts_at < now)
        stmt = stmt.where(not_ended(now)) if filter.upcoming else stmt.where(*ended)
    order = (Meeting.starts_at, Meeting.id)
    pages = await paginate_children(
        ctx.db,
        stmt,
        Meeting.group_id,
        keys,
        order,
        types.Meeting.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


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
        .where(ctx.db.any_of(MeetingLink.id, keys), WorkingGroup.theme.in_(ctx.app.visible_themes))
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
