"""Recording activity events: called by every domain's mutations inside their write transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity import bus
from core.activity.models import ActivityEvent
from core.driver import WriteConnection

VERBS = frozenset(
    {
        "MEETING_SCHEDULED",
        "MEETING_CHANGED",
        "MEETING_MOVED",
        "MEETING_CANCELLED",
        "PRIORITY_AREA_PROPOSED",
        "PRIORITY_AREA_OPENED",
        "PRIORITY_AREA_AGREED",
        "PRIORITY_AREA_NOT_AGREED",
        "POSITION_TAKEN",
        "COMMENT_POSTED",
        "GROUP_PROPOSED",
        "GROUP_DECISION",
        "ANCHOR_CHANGED",
        "ASSISTANCE_REQUEST_POSTED",
        "ASSISTANCE_OFFER_POSTED",
        "ASSISTANCE_MATCH_COMPLETED",
        "RESOURCE_PUBLISHED",
    }
)
"""The kinds of event a feed shows (issue 9, section 5). A new kind is added here first, so a
front end's list of kinds (the `ActivityVerb` enum) stays complete."""


async def record(
    conn: AsyncConnection,
    *,
    verb: str,
    subject_type: str,
    subject_id: int,
    summary: str,
    group_id: int | None = None,
    organization_id: int | None = None,
    actor_id: int | None = None,
    at: datetime | None = None,
) -> int:
    """Add one event to the feeds of `group_id` and/or `organization_id` (at least one) in the
    caller's transaction: it is committed, or rolled back, with the change it reports.

    `verb` is one of VERBS; `subject_type` the GraphQL type name of what the event is about
    (`Meeting`, `PriorityArea`...) and `subject_id` its database id; `summary` one line in
    English for people ("Meeting 'X' was cancelled"); `actor_id` the person who acted (None: the
    system); `at` when it happened (aware; None: now; the demo data passes the time of what
    it describes, e.g. a meeting scheduled in 2013). Returns the event's id. Raises ValueError
    for an unknown verb or no audience (a programming error, not a client's).
    """
    if verb not in VERBS:
        raise ValueError(f"unknown activity verb {verb!r}; add it to core.activity.services.VERBS")
    if group_id is None and organization_id is None:
        raise ValueError("an activity event needs a group or an organisation")
    values: dict[str, Any] = {
        "verb": verb,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "summary": summary[:500],
        "group_id": group_id,
        "organization_id": organization_id,
        "actor_id": actor_id,
    }
    if at is not None:
        values["at"] = at
    event_id = await conn.scalar(insert(ActivityEvent).values(**values).returning(ActivityEvent.id))
    assert event_id is not None
    # subscriptions (core.activity.subscriptions) learn of it when, and only if, this commits
    if group_id is not None:
        await bus.publish(conn, bus.group_topic(group_id))
    if subject_type == "Meeting":
        await bus.publish(conn, bus.meeting_topic(subject_id))
    return int(event_id)


async def publish_meeting(conn: WriteConnection, meeting_id: int) -> None:
    """Tell `meetingChanged` subscribers that meeting `meeting_id` changed (its places, times,
    status...), once the caller's transaction commits. `record()` does it by itself for events
    about a meeting; call this for changes that make no activity event (a registration, a
    cancelled registration, a waitlist promotion)."""
    await bus.publish(conn, bus.meeting_topic(meeting_id))
