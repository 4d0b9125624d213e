"""Access rules of the notifications domain.

A person's notification preferences are theirs: only they (and staff) read them, and only they
set them (`notificationPreferencesSet` always acts on the signed-in person: it takes no ID).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement

from core.access.declare import Declaration, FieldRule, MutationRule
from core.access.rules import SELF, SIGNED_IN, STAFF
from core.access.sql import condition
from core.people.access import PERSON_SCOPE

if TYPE_CHECKING:
    from core.context import Context

PREFERENCES = FieldRule("Person", "notificationPreferences", SELF | STAFF)

DECLARATIONS: list[Declaration] = [
    PREFERENCES,
    MutationRule("notificationPreferencesSet", SIGNED_IN),
]


def visible_preferences(ctx: Context) -> ColumnElement[bool]:
    """The people whose preferences the request's viewer may read, as SQL on `people`."""
    return condition(PREFERENCES.rule, ctx.viewer, PERSON_SCOPE)
