"""Access rules of the people domain: organisations and people.

Names and organisations are public; a person's e-mail address is for the person themself and staff.
An organisation's scope names itself (`ORGANIZATION`: its own people act for it, e.g. declaring
its expertise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement

from core.access.declare import Declaration, FieldRule, Scope
from core.access.rules import SELF, STAFF
from core.access.sql import condition
from core.people.models import Organization, Person

if TYPE_CHECKING:
    from core.context import Context

PERSON_SCOPE = Scope("Person", Person.id, person=Person.id)
ORGANIZATION_SCOPE = Scope("Organization", Organization.id, organization=Organization.id)
EMAIL = FieldRule("Person", "email", SELF | STAFF)

DECLARATIONS: list[Declaration] = [PERSON_SCOPE, ORGANIZATION_SCOPE, EMAIL]


def visible_emails(ctx: Context) -> ColumnElement[bool]:
    """The people whose e-mail the request's viewer may read (`where=` of the e-mail load)."""
    return condition(EMAIL.rule, ctx.viewer, PERSON_SCOPE)
