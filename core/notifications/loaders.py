"""Batch loaders of the notifications domain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from core.notifications.access import visible_preferences
from core.notifications.models import NotificationPreference
from core.notifications.types import NotificationPreferences
from core.people.models import Person

if TYPE_CHECKING:
    from core.context import Context


async def preferences_by_person(ctx: Context, keys: list[Any]) -> list[Any]:
    """One NotificationPreferences per person id, in order, from ONE statement: the defaults
    for a person who never chose; None for a person the viewer may not read them of (the
    field rule as SQL too, so nobody else's choice is even read)."""
    prefs = NotificationPreference
    stmt = (
        select(Person.id, prefs.digest, prefs.meeting_notices, prefs.last_digest_at)
        .outerjoin(prefs, prefs.person_id == Person.id)
        .where(Person.id.in_(set(keys)), visible_preferences(ctx))
    )
    async with ctx.db.read() as conn:
        found = {row.id: NotificationPreferences.from_row(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]
