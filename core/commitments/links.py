"""Linking a commitment and a working group (the group follows it), and unlinking them: each in
the caller's transaction. Who may: the group's anchors and staff (core/commitments/access.py)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.auth import Viewer
from core.commitments.models import Commitment, CommitmentGroup
from core.db import utcnow
from core.errors import Rejected, user_error
from core.validation import id_of, row_by_id


async def link_group(
    conn: AsyncConnection,
    viewer: Viewer,
    commitment_id: str,
    group_id: str,
    themes: tuple[str, ...],
) -> int:
    """Link a commitment to a (visible) group; returns the commitment's pk. Errors: NOT_FOUND
    (commitmentId, groupId), GROUP_ALREADY_LINKED."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    pk = id_of(commitment_id, "Commitment", "commitmentId")
    await row_by_id(conn, Commitment, commitment_id, "Commitment", "commitmentId")
    linked = await conn.scalar(
        select(CommitmentGroup.group_id).where(
            CommitmentGroup.commitment_id == pk, CommitmentGroup.group_id == group.id
        )
    )
    if linked is not None:
        message = "the commitment is already linked to the group"
        raise Rejected(user_error("GROUP_ALREADY_LINKED", message, "groupId"))
    await conn.execute(
        insert(CommitmentGroup).values(
            commitment_id=pk,
            group_id=group.id,
            linked_at=utcnow(),
            linked_by_person_id=viewer.person_id,
        )
    )
    return pk


async def unlink_group(
    conn: AsyncConnection, commitment_id: str, group_id: str, themes: tuple[str, ...]
) -> int:
    """Remove a commitment's link to a group; returns the commitment's pk. Errors: NOT_FOUND,
    GROUP_NOT_LINKED."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    pk = id_of(commitment_id, "Commitment", "commitmentId")
    await row_by_id(conn, Commitment, commitment_id, "Commitment", "commitmentId")
    done = await conn.execute(
        delete(CommitmentGroup).where(
            CommitmentGroup.commitment_id == pk, CommitmentGroup.group_id == group.id
        )
    )
    if not done.rowcount:
        message = "the commitment is not linked to the group"
        raise Rejected(user_error("GROUP_NOT_LINKED", message, "groupId"))
    return pk
