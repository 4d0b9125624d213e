"""Batch loaders of the activity domain: events by id (`node(id:)`) and the feeds of groups and
organisations, newest first, each ONE statement per query level (core.rows), filtered by
`core.activity.access.visible_events`.

What an organisation's feed holds (issue 9, section 5: "an activity feed per group and per
organisation"): the events it took part in (`activity_events.organization_id`: its proposals,
positions, its people's comments, its anchor roles) and every event of the groups it is a
member or a current anchor of (meetings scheduled, changed or cancelled, priority-area outcomes,
Steering Committee decisions...), each event once. Membership is read now, not at the event's
time: an organisation that joins a group sees the group's history; one that leaves it keeps only
its own events of that group. Each event is as visible as in the group's feed (row rules).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Subquery, select, union

from core.access.rows import conditions_on
from core.activity.access import visible_events
from core.activity.models import ActivityEvent
from core.context import Context
from core.groups.models import Anchor, Membership
from core.hookspecs import BatchLoadFn
from core.rows import PagesByKey, pages_by_key
from core.schema.batch import by_key, fetch_rows
from core.schema.pagination import Connection, paginate_children

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


def organization_feeds() -> Subquery:
    """(organization_id, event_id), one row per event of each organisation's feed (module
    docstring): UNION, so an event reaching an organisation two ways is listed once."""
    event = ActivityEvent
    own = select(event.organization_id.label("organization_id"), event.id.label("event_id"))
    members = select(Membership.organization_id, event.id).join(
        Membership, Membership.group_id == event.group_id
    )
    anchors = select(Anchor.organization_id, event.id).join(
        Anchor, Anchor.group_id == event.group_id
    )
    return union(own.where(event.organization_id.is_not(None)), members, anchors).subquery(
        "organization_feeds"
    )


async def activity_by_organization(
    ctx: Context,
    keys: list[int],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[Connection[Any]]:
    """One page of each organisation's feed (module docstring), newest first, from one
    statement for all organisations (`paginate_children`); `totalCount` as listed. Errors as
    for `core.paginate` (INVALID_ARGUMENT, INVALID_CURSOR)."""
    feeds = organization_feeds()
    stmt = (
        select(*ActivityEvent.__table__.c)
        .join(feeds, feeds.c.event_id == ActivityEvent.id)
        .where(visible_events(ctx), *conditions_on(ctx, ActivityEvent.__table__))
    )
    pages = await paginate_children(
        ctx.db,
        stmt,
        feeds.c.organization_id,
        keys,
        NEWEST_FIRST,
        types.ActivityEvent.from_row,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return [pages[key] for key in keys]


LOADERS: dict[str, BatchLoadFn] = {"activity_events_by_id": events_by_id}
"""Named loaders (for `Context.loader`)."""

# Imported last: types.py needs this module's loaders while its classes are defined (see
# core/meetings/loaders.py).
from core.activity import types  # noqa: E402
