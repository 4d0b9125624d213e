"""Access rules of the people domain: organisations and people.

Names and organisations are public; a person's e-mail address is for the person themself and staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement

from core.access.declare import Declaration, FieldRule, Scope
from core.access.rules import SELF, STAFF
from core.access.sql import condition
from core.people.models import Person

if TYPE_CHECKING:
    from core.context import Context

PERSON_SCOPE = Scope("Person", Person.id, person=Person.id)
EMAIL = FieldRule("Person", "email", SELF | STAFF)

DECLARATIONS: list[Declaration] = [PERSON_SCOPE, EMAIL]


def visible_emails(ctx: Context) -> ColumnElement[bool]:
    """The people whose e-mail the request's viewer may read (`where=` of the e-mail load)."""
    return condition(EMAIL.rule, ctx.viewer, PERSON_SCOPE)
