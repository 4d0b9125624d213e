"""The root `Subscription` fields: `meetingChanged` and `groupActivity` (issue 9, section 5).

Served over graphql-transport-ws on /graphql (core/activity/websocket.py). Each subscription
waits for its topic's signals (core/activity/bus.py) and then reads what changed from the
database as its connection's viewer, with the same loaders and access rules as a query: a
meeting or an event the viewer may not see is never sent.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import func, select
from strawberry.types import Info

from core.activity import bus as signals
from core.activity.access import visible_events
from core.activity.models import ActivityEvent as EventRow
from core.activity.websocket import NO_SUBSCRIPTIONS
from core.errors import api_error
from core.schema.ids import from_global_id
from core.schema.nodes import loader_name

if TYPE_CHECKING:
    from core.activity.types import ActivityEvent
    from core.meetings.types import Meeting

BATCH = 100
"""Events read per signal at most; more are read on the next round at once."""


def _pk(info: Info, global_id: str, type_name: str, argument: str) -> int:
    """The database id of `global_id`; BAD_REQUEST outside a WebSocket connection (a
    subscription POSTed over HTTP), NOT_FOUND for an ID that is not a `type_name`'s."""
    if getattr(info.context, "bus", None) is None:
        raise api_error("BAD_REQUEST", NO_SUBSCRIPTIONS)
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != type_name:
        raise api_error("NOT_FOUND", f"`{argument}`: no {type_name} with this ID")
    return decoded[1]


def _forget_loaded(ctx: Any) -> None:
    """Drop what the connection's loaders hold: each change is read anew (a subscription's
    context lives as long as its connection, a query's only as long as the request)."""
    ctx._loaders.clear()
    ctx._relation_loaders.clear()


async def _load(info: Info, type_name: str, pk: int) -> Any:
    """The object as `node(id:)` gives it to this viewer now (fresh loaders), or None."""
    ctx = info.context
    _forget_loaded(ctx)
    return await ctx.loader(loader_name(type_name)).load(pk)


@asynccontextmanager
async def _serving(info: Info, topic: str) -> AsyncIterator[Any]:
    """The topic's signals while the subscription is served."""
    async with info.context.bus.listen(topic) as queue:
        yield queue


@asynccontextmanager
async def _counted(info: Info) -> AsyncIterator[None]:
    """One more in `subscriptions_open` (core/observability) from here to the end: once the
    subscription is ready to send every change committed from now on."""
    gauge = getattr(info.context, "subscriptions_gauge", None)
    if gauge is not None:
        gauge.inc()
    try:
        yield
    finally:
        if gauge is not None:
            gauge.dec()


async def _meeting_changes(info: Info, pk: int) -> AsyncGenerator[Any, None]:
    async with _serving(info, signals.meeting_topic(pk)) as queue, _counted(info):
        while True:
            await queue.get()
            meeting = await _load(info, "Meeting", pk)
            if meeting is None:
                return  # deleted, or no longer visible: the subscription completes
            yield meeting


async def _group_events(info: Info, pk: int) -> AsyncGenerator[Any, None]:
    from core.activity.types import ActivityEvent as EventType

    ctx = info.context
    async with _serving(info, signals.group_topic(pk)) as queue:
        # listening before this read: an event committed after it is signalled, not missed
        async with ctx.db.read() as conn:
            last = await conn.scalar(select(func.max(EventRow.id)).where(EventRow.group_id == pk))
        last = last or 0
        async with _counted(info):
            async for rows in _new_events(info, pk, queue, last):
                for row in rows:
                    yield EventType.from_row(row)


async def _new_events(info: Info, pk: int, queue: Any, last: int) -> AsyncGenerator[Any, None]:
    """The group's events after `last` the viewer may see: a batch (rows, oldest first) per
    signal, at most BATCH events read per round."""
    ctx = info.context
    while True:
        await queue.get()
        _forget_loaded(ctx)
        async with ctx.db.read() as conn:
            top = await conn.scalar(select(func.max(EventRow.id)).where(EventRow.group_id == pk))
            newest = min(top or 0, last + BATCH)
            rows = (
                await conn.execute(
                    select(*EventRow.__table__.c)
                    .where(
                        EventRow.group_id == pk,
                        EventRow.id > last,
                        EventRow.id <= newest,
                        visible_events(ctx),
                    )
                    .order_by(EventRow.id)
                )
            ).all()
        if (top or 0) > newest and queue.empty():
            queue.put_nowait(signals.group_topic(pk))  # more to read: next round
        last = max(last, newest)
        yield rows


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The meeting after each change: a registration or a cancelled one "
        "(`remainingPlaces`, `registeredCount`), or an edit, move or cancellation by its "
        "anchors. Completes if the meeting is deleted or you may no longer see it. "
        "NOT_FOUND for a meeting you cannot see."
    )
    async def meeting_changed(
        self, info: Info, meeting_id: strawberry.ID
    ) -> AsyncGenerator[Annotated[Meeting, strawberry.lazy("core.meetings.types")], None]:
        pk = _pk(info, meeting_id, "Meeting", "meetingId")
        if await _load(info, "Meeting", pk) is None:
            raise api_error("NOT_FOUND", "`meetingId`: no Meeting with this ID")
        return _meeting_changes(info, pk)

    @strawberry.subscription(
        description="Each new event of the group's activity feed, oldest first, as "
        "`WorkingGroup.activity` would list it to you (events you may not see are not sent). "
        "NOT_FOUND for a group you cannot see."
    )
    async def group_activity(
        self, info: Info, group_id: strawberry.ID
    ) -> AsyncGenerator[Annotated[ActivityEvent, strawberry.lazy("core.activity.types")], None]:
        pk = _pk(info, group_id, "WorkingGroup", "groupId")
        if await _load(info, "WorkingGroup", pk) is None:
            raise api_error("NOT_FOUND", "`groupId`: no WorkingGroup with this ID")
        return _group_events(info, pk)
