"""The viewer's relations, loaded at most once per request, and rule checks in Python.

`Access(ctx)` lives on the request's Context (`ctx.access`). A check that staff, anonymity,
`PUBLIC`, `SIGNED_IN` or `SELF` decides needs no query; one that needs the viewer's memberships,
anchorships or places loads them all in ONE statement, shared by every check of the request.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Integer, String, literal, select, type_coerce, union_all

from core.access.declare import Scope, subject_from_row
from core.access.rules import Roles, Rule, Subject, allows, decided_without_relations
from core.access.sql import WITH_A_PLACE
from core.errors import api_error

if TYPE_CHECKING:
    from graphql import GraphQLError

    from core.auth import Viewer
    from core.context import Context

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"


def refusal(viewer: Viewer, what: str) -> GraphQLError:
    """The error for a viewer a rule refused: UNAUTHENTICATED if anonymous, else FORBIDDEN."""
    if not viewer.signed_in:
        return api_error(UNAUTHENTICATED, f"sign in (a bearer token) to {what}")
    return api_error(FORBIDDEN, f"you are not allowed to {what}")


class Access:
    """Rule checks for one request's viewer."""

    def __init__(self, ctx: Context) -> None:
        # A proxy: the Context keeps its Access, and a reference back would make every
        # request a cycle that only the cyclic garbage collector frees (issue 12). A bare
        # namespace (a script's, a test's) takes no weak reference and is no request's.
        try:
            self.ctx: Context = cast("Context", weakref.proxy(ctx))
        except TypeError:
            self.ctx = ctx
        self._roles: asyncio.Future[Roles] | None = None

    @property
    def viewer(self) -> Viewer:
        return self.ctx.viewer

    def viewer_roles(self) -> Roles:
        """The roles known without a query: who the viewer is and whether they are staff."""
        viewer = self.viewer
        return Roles(person=viewer.person_id, staff=viewer.is_staff)

    async def roles(self) -> Roles:
        """The viewer's relations (one statement, the first time a check needs them)."""
        if self._roles is None:
            self._roles = asyncio.ensure_future(self._load())
        return await self._roles

    async def _load(self) -> Roles:
        from core.models import Anchor, Membership, Person, Registration, WorkingGroup

        person = self.viewer.person_id
        if person is None:
            return self.viewer_roles()
        parts = []
        for kind, via in (("member", Membership), ("anchor", Anchor)):
            parts.append(
                select(literal(kind).label("kind"), via.group_id.label("pk"), WorkingGroup.theme)
                .join(Person, Person.organization_id == via.organization_id)
                .join(WorkingGroup, WorkingGroup.id == via.group_id)
                .where(Person.id == person)
            )
        parts.append(
            select(
                literal("organization").label("kind"),
                type_coerce(Person.organization_id, Integer).label("pk"),
                literal("", String).label("theme"),
            ).where(Person.id == person)
        )
        parts.append(
            select(
                literal("place").label("kind"),
                Registration.meeting_id.label("pk"),
                literal("", String).label("theme"),
            ).where(Registration.person_id == person, Registration.status.in_(WITH_A_PLACE))
        )
        async with self.ctx.db.read() as conn:
            rows = (await conn.execute(union_all(*parts))).all()
        member = {r.pk: r.theme for r in rows if r.kind == "member"}
        anchor = {r.pk: r.theme for r in rows if r.kind == "anchor"}
        places = frozenset(r.pk for r in rows if r.kind == "place")
        organization = next((r.pk for r in rows if r.kind == "organization"), None)
        return Roles(
            person=person,
            organization=organization,
            staff=self.viewer.is_staff,
            member_of=member,
            anchor_of=anchor,
            registered_for=places,
        )

    def decide_now(self, rule: Rule, subject: Subject) -> bool | None:
        """The answer if no relation is needed, else None (then `await allows(...)`)."""
        if self._roles is not None and self._roles.done() and not self._roles.exception():
            return allows(rule, self._roles.result(), subject)
        return decided_without_relations(rule, self.viewer_roles(), subject)

    async def allows(self, rule: Rule, subject: Subject) -> bool:
        decided = self.decide_now(rule, subject)
        if decided is not None:
            return decided
        return allows(rule, await self.roles(), subject)

    async def subject(self, scope: Scope, pk: int) -> Subject | None:
        """The subject of the object of `scope`'s type with key `pk`, or None if there is none."""
        stmt = select(*scope.columns()).where(scope.pk == pk)
        async with self.ctx.db.read() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else subject_from_row(row)


def access_of(ctx: Any) -> Access:
    """The request's `Access` (created on first use, kept on the Context)."""
    found: Access | None = ctx.__dict__.get("_ogp_access")
    if found is None:
        found = ctx.__dict__["_ogp_access"] = Access(ctx)
    return found
