"""Batch loaders of the activity domain: events by id (`node(id:)`) and the feeds of groups and
organisations, newest first, each ONE statement per query level (core.rows), filtered by
`core.activity.access.visible_events`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.activity.access import visible_events
from core.activity.models import ActivityEvent
from core.context import Context
from core.hookspecs import BatchLoadFn
from core.rows import PagesByKey, pages_by_key
from core.schema.batch import by_key, fetch_rows

NEWEST_FIRST = (ActivityEvent.id.desc(),)
"""Feeds are newest first by id: ids are handed out in commit order of the events' writes."""


async def events_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = select(*ActivityEvent.__table__.c).where(
        ctx.db.any_of(ActivityEvent.id, keys), visible_events(ctx)
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.ActivityEvent.from_row)


activity_by_group: PagesByKey[Any] = pages_by_key(
    ActivityEvent.group_id, lambda: types.ActivityEvent, order_by=NEWEST_FIRST, where=visible_events
)
activity_by_organization: PagesByKey[Any] = pages_by_key(
    ActivityEvent.organization_id,
    lambda: types.ActivityEvent,
    order_by=NEWEST_FIRST,
    where=visible_events,
)

LOADERS: dict[str, BatchLoadFn] = {"activity_events_by_id": events_by_id}
"""Named loaders (for `Context.loader`)."""

# Imported last: types.py needs this module's loaders while its classes are defined (see
# core/meetings/loaders.py).
from core.activity import types  # noqa: E402
