"""A rule as SQL: the row filter every read path applies (lists, their totalCount, node by ID).

`condition(rule, viewer, scope)` is true exactly for the rows whose subject `rules.allows` would
accept for that viewer; the viewer's relations are subqueries, so no round trip is needed first.
The viewer's person id is one named bind parameter (`VIEWER_PERSON`): a statement compiled for one
person runs for another with that parameter re-bound (core.compiled.template).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, ColumnElement, Integer, bindparam, false, or_, select, true

from core.access.rules import Grant, Rule
from core.enums import RegistrationStatus

if TYPE_CHECKING:
    from core.access.declare import Scope
    from core.auth import Viewer

WITH_A_PLACE = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)
"""The registrations that count for `REGISTERED` (the waitlisted and pre-registered have no place
yet; a no-show had one)."""
VIEWER_PERSON = "ogp_viewer_person"
"""The name of the bind parameter holding the viewer's person id in a rule's SQL."""
PersonId = int | BindParameter[int]


def viewer_person(person_id: int) -> BindParameter[int]:
    """The viewer's person id as the `VIEWER_PERSON` bind parameter."""
    return bindparam(VIEWER_PERSON, person_id, type_=Integer)


def groups_of(person_id: PersonId, via: Any) -> Any:
    """Group ids whose `via` (Membership or Anchor) row is held by the person's organisation."""
    from core.models import Person

    return (
        select(via.group_id)
        .join(Person, Person.organization_id == via.organization_id)
        .where(Person.id == person_id)
    )


def organization_of(person_id: PersonId) -> Any:
    """The person's organisation id (a one-row subquery; none without an organisation)."""
    from core.models import Person

    return select(Person.organization_id).where(
        Person.id == person_id, Person.organization_id.is_not(None)
    )


def places_of(person_id: PersonId) -> Any:
    from core.models import Registration

    return select(Registration.meeting_id).where(
        Registration.person_id == person_id, Registration.status.in_(WITH_A_PLACE)
    )


def condition(rule: Rule, viewer: Viewer, scope: Scope) -> ColumnElement[bool]:
    """The SQL condition on `scope`'s table under which `viewer` passes `rule`."""
    from core.models import Anchor, Membership

    grants = rule.grants
    if Grant.PUBLIC in grants or viewer.is_staff:
        return true()
    # Read past a watching stand-in (core.compiled.watch): the id is bound as
    # VIEWER_PERSON, which a statement kept for every person re-binds per request.
    person_id: int | None = object.__getattribute__(viewer, "person_id")
    if person_id is None:
        return false()
    if Grant.SIGNED_IN in grants:
        return true()
    person = viewer_person(person_id)
    parts: list[ColumnElement[bool]] = []
    if Grant.SELF in grants and scope.person is not None:
        parts.append(scope.person == person)
    if Grant.ORGANIZATION in grants and scope.organization is not None:
        parts.append(scope.organization.in_(organization_of(person)))
    if Grant.MEMBER in grants and scope.group is not None:
        parts.append(scope.group.in_(groups_of(person, Membership)))
    if Grant.ANCHOR in grants and scope.group is not None:
        parts.append(scope.group.in_(groups_of(person, Anchor)))
    if Grant.REGISTERED in grants and scope.meeting is not None:
        parts.append(scope.meeting.in_(places_of(person)))
    return or_(*parts) if parts else false()
