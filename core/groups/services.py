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
    "uq_anchors_group_id_role": ConstraintError(
        "ANCHOR_ROLE_TAKEN", "the group already has an anchor for this role", "role"
    ),
    "ck_anchors_kind_matches_role": _KIND_MISMATCH,
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
    conn: AsyncConnection, *, slug: str, theme: str, themes: tuple[str, ...], changes: GroupChanges
) -> Any:
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
    values = {"summary": "", "description": "", "status": GroupStatus.PROPOSED}
    values |= changes.values()
    stmt = (
        insert(WorkingGroup)
        .values(slug=slug, theme=theme, created_at=now, updated_at=now, **values)
        .returning(*WorkingGroup.__table__.c)
    )
    return (await conn.execute(stmt)).one()


async def update_group(
    conn: AsyncConnection, group_id: str, themes: tuple[str, ...], changes: GroupChanges
) -> Any:
    group = await lookups.visible_group(conn, group_id, themes, "id")
    changes.validate()
    stmt = (
        update(WorkingGroup)
        .where(WorkingGroup.id == group.id)
        .values(updated_at=utcnow(), **changes.values())
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
) -> Any:
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
    existing = (
        await conn.execute(
            select(Anchor.id, Anchor.organization_id).where(
                Anchor.group_id == group.id, Anchor.role == role
            )
        )
    ).first()
    if existing is not None:
        if not replace:
            raise Rejected(
                user_error(
                    "ANCHOR_ROLE_TAKEN",
                    f"the group already has a {role.value} anchor; pass replace: true to change it",
                    "role",
                )
            )
        await conn.execute(delete(Anchor).where(Anchor.id == existing.id))
    stmt = (
        insert(Anchor)
        .values(
            group_id=group.id,
            organization_id=org.id,
            organization_kind=org.kind,
            role=role,
            since=since,
        )
        .returning(*Anchor.__table__.c)
    )
    return (await conn.execute(stmt)).one()


async def remove_anchor(
    conn: AsyncConnection, *, group_id: str, role: AnchorRole, themes: tuple[str, ...]
) -> Any:
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    stmt = (
        delete(Anchor)
        .where(Anchor.group_id == group.id, Anchor.role == role)
        .returning(*Anchor.__table__.c)
    )
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(user_error("NOT_FOUND", f"the group has no {role.value} anchor", "role"))
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
