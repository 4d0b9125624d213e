"""Creating and changing working groups, their anchors and their members."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.db import utcnow
from core.enums import AnchorRole, GroupStatus, MembershipRole
from core.errors import Rejected, user_error
from core.groups import lifecycle
from core.groups.models import Anchor, Membership, WorkingGroup
from core.transactions import ConstraintError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # with fullmatch: the whole value

_KIND_MISMATCH = ConstraintError(
    "ANCHOR_KIND_MISMATCH",
    "the organisation's kind does not match the anchor role",
    "organizationId",
)
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    # what a concurrent write can still hit after the checks below, by constraint name
    "uq_working_groups_slug": ConstraintError(
        "DUPLICATE_SLUG", "another group already has this slug", "slug"
    ),
    "ck_working_groups_government_anchor_limit": ConstraintError(
        "ANCHOR_ROLE_TAKEN",
        "the group already has as many government anchors as it is allowed",
        "role",
    ),
    "ck_working_groups_civil_society_anchor_limit": ConstraintError(
        "ANCHOR_ROLE_TAKEN",
        "the group already has as many civil-society anchors as it is allowed",
        "role",
    ),
    "ck_working_groups_anchored_when_running": ConstraintError(
        "ANCHORS_REQUIRED",
        "a PILOT or ACTIVE group needs at least one government and one civil-society anchor",
        None,
    ),
    "ck_working_groups_decided": ConstraintError(
        "DECISION_REQUIRED",
        "a group's status and anchor allowance change only with a Steering Committee decision",
        None,
    ),
    "ck_working_groups_anchor_counts": ConstraintError(
        "CONSTRAINT_VIOLATION", "the anchor counters follow the anchors table", None
    ),
    "ck_working_groups_anchor_allowance": ConstraintError(
        "OUT_OF_RANGE", "a group may have 1 or 2 current anchors of each role", None
    ),
    "ck_group_decisions_allowed_transition": ConstraintError(
        "TRANSITION_NOT_ALLOWED", "the Steering Committee cannot move a group so", "toStatus"
    ),
    "ck_group_decisions_allowance_range": ConstraintError(
        "OUT_OF_RANGE", "a group may have 1 or 2 current anchors of each role", None
    ),
    "ck_anchors_kind_matches_role": _KIND_MISMATCH,
    "ck_anchor_terms_kind_matches_role": _KIND_MISMATCH,
    "ck_anchor_terms_ends_after_start": ConstraintError(
        "OUT_OF_RANGE", "an anchor term cannot end before it starts", "until"
    ),
    "uq_proposed_anchors_group_id_organization_id": ConstraintError(
        "DUPLICATE_ORGANIZATION", "the organisation is named twice", "proposedAnchorIds"
    ),
    "fk_anchors_organization_kind": _KIND_MISMATCH,  # the organisation's kind changed meanwhile
    "uq_memberships_group_id_organization_id": ConstraintError(
        "ALREADY_MEMBER", "the organisation is already a member of this group", "organizationId"
    ),
}


def _check_text(value: str | None, field: str, max_len: int, *, required: bool = True) -> None:
    if value is None:
        return
    if required and not value.strip():
        raise Rejected(user_error("REQUIRED", f"{field} must not be blank", field))
    if len(value) > max_len:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {max_len} characters", field)
        )


@dataclass
class GroupChanges:
    name: str | None = None
    summary: str | None = None
    description: str | None = None
    status: GroupStatus | None = None

    def validate(self) -> None:
        _check_text(self.name, "name", 200)
        _check_text(self.summary, "summary", 500, required=False)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


async def create_group(
    conn: AsyncConnection,
    *,
    slug: str,
    theme: str,
    themes: tuple[str, ...],
    changes: GroupChanges,
    person_id: int | None = None,
) -> Any:
    """A new group, PROPOSED (a `status` other than that is a decision recorded at once)."""
    if not SLUG.fullmatch(slug) or len(slug) > 100:
        raise Rejected(
            user_error("INVALID_SLUG", "slug: lowercase letters, digits and single hyphens", "slug")
        )
    if theme not in themes:
        raise Rejected(
            user_error(
                "UNKNOWN_THEME",
                f"theme {theme!r} is not an enabled theme ({', '.join(themes) or 'none'})",
                "theme",
            )
        )
    if changes.name is None:
        raise Rejected(user_error("REQUIRED", "name is required", "name"))
    changes.validate()
    taken = (await conn.execute(select(WorkingGroup.id).where(WorkingGroup.slug == slug))).first()
    if taken is not None:
        raise Rejected(user_error("DUPLICATE_SLUG", "another group already has this slug", "slug"))
    now = utcnow()
    values = {"summary": "", "description": ""} | changes.values()
    status = values.pop("status", GroupStatus.PROPOSED)
    stmt = (
        insert(WorkingGroup)
        .values(
            slug=slug,
            theme=theme,
            created_at=now,
            updated_at=now,
            status=GroupStatus.PROPOSED,  # every group is born a proposal (core_0006)
            **values,
        )
        .returning(*WorkingGroup.__table__.c)
    )
    row = (await conn.execute(stmt)).one()
    if status != GroupStatus.PROPOSED:
        row = await _status_by_update(conn, row, status, person_id, "workingGroupCreate")
    return row


async def _status_by_update(
    conn: AsyncConnection, group: Any, status: GroupStatus, person_id: int | None, how: str
) -> Any:
    """The deprecated `status` input of workingGroupCreate/Update: a decision recorded today by
    the caller, under the same rules as `groupDecisionRecord`."""
    if status == group.status:
        return group
    decision = lifecycle.Decision(
        decided_on=utcnow().date(),
        to_status=status,
        reason=f"Recorded through {how}(status:), without the Steering Committee's details.",
    )
    await lifecycle.apply_decision(conn, group, decision, person_id)
    stmt = select(*WorkingGroup.__table__.c).where(WorkingGroup.id == group.id)
    return (await conn.execute(stmt)).one()


async def update_group(
    conn: AsyncConnection,
    group_id: str,
    themes: tuple[str, ...],
    changes: GroupChanges,
    person_id: int | None = None,
) -> Any:
    group = await lookups.visible_group(conn, group_id, themes, "id")
    changes.validate()
    values = changes.values()
    status = values.pop("status", None)
    if status is not None:
        group = await _status_by_update(conn, group, status, person_id, "workingGroupUpdate")
    stmt = (
        update(WorkingGroup)
        .where(WorkingGroup.id == group.id)
        .values(updated_at=utcnow(), **values)
        .returning(*WorkingGroup.__table__.c)
    )
    return (await conn.execute(stmt)).one()


async def set_anchor(
    conn: AsyncConnection,
    *,
    group_id: str,
    organization_id: str,
    role: AnchorRole,
    since: date | None,
    replace: bool,
    themes: tuple[str, ...],
    source: str = "",
    person_id: int | None = None,
) -> Any:
    """Start an anchor term for the organisation (from `since`, default today). When the group
    already has as many current anchors of the role as its allowance, `replace` ends the term
    of the current one (the only one: with two, end one with anchorRemove first) the day the
    new one starts, and the new anchor takes its place."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    org = await lookups.organization(conn, organization_id, "organizationId")
    if org.kind != role.value:
        raise Rejected(
            user_error(
                "ANCHOR_KIND_MISMATCH",
                f"a {role.value} anchor must be a {role.value} organisation, not {org.kind}",
                "organizationId",
            )
        )
    _check_text(source, "source", 500, required=False)
    since = since or utcnow().date()
    current = await lifecycle.current_anchors(conn, group.id, role)
    if any(a.organization_id == org.id for a in current):
        raise Rejected(
            user_error(
                "ANCHOR_ROLE_TAKEN", "the organisation already anchors the group", "organizationId"
            )
        )
    allowed = (
        group.max_government_anchors
        if role == AnchorRole.GOVERNMENT
        else group.max_civil_society_anchors
    )
    values = {
        "organization_id": org.id,
        "organization_kind": org.kind,
        "since": since,
        "source": source,
        "ends_on": None,  # the replaced term's end (set by end_term) is not the new one's
    }
    if len(current) >= allowed:
        if not replace:
            raise Rejected(
                user_error(
                    "ANCHOR_ROLE_TAKEN",
                    f"the group already has {len(current)} {role.value} anchor(s), as many as "
                    "it is allowed; pass replace: true to change it",
                    "role",
                )
            )
        if len(current) > 1:
            raise Rejected(
                user_error(
                    "ANCHOR_ROLE_TAKEN",
                    f"the group has {len(current)} {role.value} anchors: end one's term with "
                    "anchorRemove(organizationId:) first",
                    "role",
                )
            )
        old = current[0]
        await lifecycle.end_term(conn, old, since)
        # The same row takes the new term: deleting it first would leave a PILOT or ACTIVE
        # group without an anchor of the role for a moment, which the database refuses.
        stmt: Any = update(Anchor).where(Anchor.id == old.id).values(**values)
        summary = f"New {role.value} anchor of '{group.name}' (replacing another)"
    else:
        stmt = insert(Anchor).values(group_id=group.id, role=role, **values)
        summary = f"New {role.value} anchor of '{group.name}'"
    row = (await conn.execute(stmt.returning(*Anchor.__table__.c))).one()
    await lifecycle.anchor_changed(conn, group.id, summary, person_id)
    return row


async def remove_anchor(
    conn: AsyncConnection,
    *,
    group_id: str,
    role: AnchorRole,
    themes: tuple[str, ...],
    organization_id: str | None = None,
    until: date | None = None,
    person_id: int | None = None,
) -> Any:
    """End the term of the group's current anchor of `role` (of `organization_id` when the group
    has two) on `until` (default today); the term stays in `anchorHistory`."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    current = await lifecycle.current_anchors(conn, group.id, role)
    if organization_id is not None:
        org = await lookups.organization(conn, organization_id, "organizationId")
        current = [a for a in current if a.organization_id == org.id]
    if not current:
        raise Rejected(
            user_error("NOT_FOUND", f"the group has no such {role.value} anchor", "role")
        )
    if len(current) > 1:
        raise Rejected(
            user_error(
                "REQUIRED",
                f"the group has {len(current)} {role.value} anchors: say which (organizationId)",
                "organizationId",
            )
        )
    row = await lifecycle.remove_current(conn, current[0], until)
    await lifecycle.anchor_changed(
        conn, group.id, f"A {role.value} anchor of '{group.name}' ended its term", person_id
    )
    return row


async def add_member(
    conn: AsyncConnection,
    *,
    group_id: str,
    organization_id: str,
    role: MembershipRole,
    themes: tuple[str, ...],
) -> Any:
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    org = await lookups.organization(conn, organization_id, "organizationId")
    existing = (
        await conn.execute(
            select(Membership.id).where(
                Membership.group_id == group.id, Membership.organization_id == org.id
            )
        )
    ).first()
    if existing is not None:
        raise Rejected(
            user_error(
                "ALREADY_MEMBER", "the organisation is already in this group", "organizationId"
            )
        )
    stmt = (
        insert(Membership)
        .values(group_id=group.id, organization_id=org.id, role=role, joined_at=utcnow())
        .returning(*Membership.__table__.c)
    )
    return (await conn.execute(stmt)).one()


async def remove_member(
    conn: AsyncConnection, *, group_id: str, organization_id: str, themes: tuple[str, ...]
) -> Any:
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    org = await lookups.organization(conn, organization_id, "organizationId")
    stmt = (
        delete(Membership)
        .where(Membership.group_id == group.id, Membership.organization_id == org.id)
        .returning(*Membership.__table__.c)
    )
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(
            user_error("NOT_A_MEMBER", "the organisation is not in this group", "organizationId")
        )
    return row
