"""Root queries of the meetings domain: `meetings` (of visible groups)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core.compiled.declare import COMPILED_ROOT, RootRead
from core.enums import MeetingKind
from core.errors import api_error
from core.groups.models import WorkingGroup
from core.groups.visible import visible_theme
from core.loading import prefetched
from core.meetings import types
from core.meetings.models import MAX_DURATION, Meeting, not_ended
from core.rows import request_now
from core.schema.pagination import Connection, count_of, paginate


@strawberry.input(description="Narrow the list of meetings; all given conditions apply.")
class MeetingFilter:
    group: str | None = strawberry.field(default=None, description="Slug of a working group.")
    kind: list[MeetingKind] | None = None
    starts_from: datetime | None = strawberry.field(
        default=None, name="from", description="Meetings starting at or after this instant."
    )
    starts_to: datetime | None = strawberry.field(
        default=None, name="to", description="Meetings starting before this instant."
    )
    upcoming: bool | None = strawberry.field(
        default=None, description="true: not yet ended; false: already ended."
    )
    summit: bool | None = None


def _meetings_statement(ctx: Any, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every meeting `meetings(filter:)` lists, on both read paths. "Now" is read when the
    statement runs (core.rows.request_now), so a compiled statement kept for reuse stays right.
    Raises BAD_USER_INPUT for `from`/`to` without a UTC offset."""
    f = arguments.get("filter") or MeetingFilter()
    stmt = (
        select(*Meeting.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(visible_theme(ctx))
    )
    if f.group is not None:
        stmt = stmt.where(WorkingGroup.slug == f.group)
    if f.kind:
        stmt = stmt.where(Meeting.kind.in_(f.kind))
    for instant in (f.starts_from, f.starts_to):
        if instant is not None and instant.tzinfo is None:
            raise api_error("BAD_USER_INPUT", "`from` and `to` need a UTC offset")
    if f.starts_from is not None:
        stmt = stmt.where(Meeting.starts_at >= f.starts_from)
    if f.starts_to is not None:
        stmt = stmt.where(Meeting.starts_at < f.starts_to)
    if f.upcoming is not None:
        now = request_now()
        if f.upcoming:  # started within MAX_DAYS too: the starts_at index starts near now (a
            # minute earlier: its clock is read a few microseconds after `now`'s, never cuts)
            stmt = stmt.where(not_ended(now, request_now(-MAX_DURATION - timedelta(minutes=1))))
        else:  # ended, so started before now (ends_after_start): the starts_at index's
            # range stops at now instead of walking back past every meeting to come
            stmt = stmt.where(Meeting.ends_at < now, Meeting.starts_at < now)
    if f.summit is not None:
        stmt = stmt.where(Meeting.is_summit == f.summit)
    return stmt


MEETINGS = RootRead(
    statement=_meetings_statement,
    make=lambda ctx, row: types.Meeting.from_row(row),
    order_by=(Meeting.starts_at, Meeting.id),
)
"""`meetings` on both read paths (core.compiled): earliest first."""


@strawberry.type
class Query:
    @strawberry.field(
        description="Meetings of visible groups, earliest first.",
        metadata={COMPILED_ROOT: MEETINGS},
    )
    async def meetings(
        self,
        info: Info,
        filter: MeetingFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[types.Meeting]:
        ctx = info.context
        stmt = MEETINGS.statement(ctx, {"filter": filter})
        async with ctx.db.read() as conn:
            page = await paginate(
                conn,
                stmt,
                MEETINGS.order_by,
                types.Meeting.from_row,
                first=first,
                after=after,
                last=last,
                before=before,
                count=count_of(ctx.db.read, stmt),
            )
        return await prefetched(info, page)
