"""Writing comments and feedback: one transaction per mutation, all or nothing.

The rules (who may, core/comments/access.py) are checked by the mutation guard before these
run, except the one a rule cannot say: only a comment's author edits it, staff included (staff
pass every rule, so they get the user error NOT_AUTHOR).
Threads are one level deep: a reply answers a top-level comment and is on its target; the
database refuses anything else (triggers of core_0010), these functions answer it first with a
user error. Posting records a COMMENT_POSTED event in the group's activity feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.activity.services import record
from core.comments.models import (
    BODY_MAX,
    REASON_MAX,
    TARGET_COLUMNS,
    Comment,
    Feedback,
)
from core.db import utcnow
from core.errors import Rejected, user_error
from core.groups.models import WorkingGroup
from core.meetings.models import Meeting
from core.people.models import Person
from core.priorities.models import PriorityArea
from core.schema.ids import from_global_id
from core.transactions import ConstraintError
from core.validation import UserErrors

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    # what a write can still hit after the checks below, by constraint name
    "ck_comments_body_not_blank": ConstraintError("REQUIRED", "body must not be blank", "body"),
    "ck_comments_hidden_with_reason": ConstraintError(
        "REQUIRED", "a hidden comment needs a reason", "reason"
    ),
    "ck_feedback_body_not_blank": ConstraintError("REQUIRED", "body must not be blank", "body"),
}

TARGETS: dict[str, tuple[Any, str, str]] = {
    "Meeting": (Meeting, "meeting_id", "the meeting"),
    "PriorityArea": (PriorityArea, "priority_area_id", "the priority area"),
}
"""Targets besides the group: type name -> (model, comment column, words for the feed)."""
TARGET_TYPES = ("WorkingGroup", *TARGETS)
"""The types a comment can be on (their global IDs are `targetId`s)."""


@dataclass(frozen=True)
class Target:
    """What a comment is on: its group, the target column's value, and words for the feed."""

    group_id: int
    columns: dict[str, int | None]
    label: str


async def _target(conn: AsyncConnection, global_id: str, themes: tuple[str, ...]) -> Target:
    """The visible target with this global ID; NOT_FOUND, or NOT_COMMENTABLE for an object of
    a type comments are not on."""
    decoded = from_global_id(global_id)
    if decoded is not None and decoded[0] not in TARGET_TYPES:
        kinds = ", ".join(TARGET_TYPES)
        raise Rejected(
            user_error("NOT_COMMENTABLE", f"comments are on objects of: {kinds}", "targetId")
        )
    type_name, pk = decoded or ("WorkingGroup", 0)
    none = dict.fromkeys(TARGET_COLUMNS)
    if type_name == "WorkingGroup":
        group = await lookups.visible_group(conn, global_id, themes, "targetId")
        return Target(group.id, none, f"the group '{group.name}'")
    model, column, label = TARGETS[type_name]
    stmt = (
        select(model.id, model.group_id, model.title)
        .join(WorkingGroup, WorkingGroup.id == model.group_id)
        .where(model.id == pk, WorkingGroup.theme.in_(themes))
    )
    row = await lookups.one_or_reject(conn, stmt, type_name, global_id, "targetId")
    return Target(row.group_id, none | {column: row.id}, f"{label} '{row.title}'")


async def _target_of(conn: AsyncConnection, comment: Any) -> Target:
    """The target of an existing comment (a reply's, from its parent)."""
    columns = {column: getattr(comment, column) for column in TARGET_COLUMNS}
    for model, column, label in TARGETS.values():
        if columns[column] is not None:
            title = await conn.scalar(select(model.title).where(model.id == columns[column]))
            return Target(comment.group_id, columns, f"{label} '{title}'")
    name = await conn.scalar(select(WorkingGroup.name).where(WorkingGroup.id == comment.group_id))
    return Target(comment.group_id, columns, f"the group '{name}'")


async def _comment(
    conn: AsyncConnection, global_id: str, themes: tuple[str, ...], field: str
) -> Any:
    """The comment with this global ID in a visible group, locked until the transaction ends,
    or NOT_FOUND at `field`."""
    pk = lookups.decode(global_id, "Comment", field)
    stmt = (
        select(*Comment.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == Comment.group_id)
        .where(Comment.id == pk, WorkingGroup.theme.in_(themes))
    )
    stmt = stmt.with_for_update(of=Comment)
    return await lookups.one_or_reject(conn, stmt, "Comment", global_id, field)


def _same_target(comment: Any, target: Target) -> bool:
    return comment.group_id == target.group_id and all(
        getattr(comment, column) == value for column, value in target.columns.items()
    )


def _body(errors: UserErrors, body: str) -> str:
    return errors.text(body, "body", BODY_MAX) or ""


async def post(
    conn: AsyncConnection,
    *,
    author_id: int,
    target_id: str | None,
    parent_id: str | None,
    body: str,
    themes: tuple[str, ...],
) -> Any:
    """Post a comment on `target_id` (the global ID of a WorkingGroup, Meeting or
    PriorityArea), or a reply to the top-level comment `parent_id` (on its target;
    `target_id`, if given too, must be the same). Returns the new `comments` row.

    User errors: REQUIRED / TOO_LONG (body, at most BODY_MAX characters; targetId when neither
    is given), NOT_FOUND (targetId, parentId), NOT_COMMENTABLE (targetId of another type),
    REPLY_TO_REPLY (parentId is a reply), TARGET_MISMATCH (targetId is not the parent's),
    COMMENT_HIDDEN (parentId is hidden: replies to it are closed).
    """
    errors = UserErrors()
    text = _body(errors, body)
    if target_id is None and parent_id is None:
        errors.add("REQUIRED", "give targetId (a new thread) or parentId (a reply)", "targetId")
    errors.raise_if_any()
    target = None if target_id is None else await _target(conn, target_id, themes)
    parent = None
    if parent_id is not None:
        # locked: a reply and the parent's hiding do not cross (the hidden one takes none)
        parent = await _comment(conn, parent_id, themes, "parentId")
        if parent.parent_id is not None:
            raise Rejected(
                user_error(
                    "REPLY_TO_REPLY",
                    "threads are one level deep: reply to the top-level comment",
                    "parentId",
                )
            )
        if parent.hidden_at is not None:
            raise Rejected(user_error("COMMENT_HIDDEN", "the comment is hidden", "parentId"))
        if target is not None and not _same_target(parent, target):
            raise Rejected(
                user_error("TARGET_MISMATCH", "a reply is on its parent's target", "targetId")
            )
        target = await _target_of(conn, parent)
    assert target is not None
    now = utcnow()
    stmt = (
        insert(Comment)
        .values(
            group_id=target.group_id,
            **target.columns,
            parent_id=None if parent is None else parent.id,
            author_id=author_id,
            body=text,
            created_at=now,
        )
        .returning(*Comment.__table__.c)
    )
    row = (await conn.execute(stmt)).one()
    author = (
        await conn.execute(
            select(Person.name, Person.organization_id).where(Person.id == author_id)
        )
    ).one()
    verb = "commented on" if parent is None else "replied to a comment on"
    await record(
        conn,
        verb="COMMENT_POSTED",
        subject_type="Comment",
        subject_id=row.id,
        summary=f"{author.name} {verb} {target.label}",
        group_id=target.group_id,
        organization_id=author.organization_id,  # the author's organisation's feed too
        actor_id=author_id,
    )
    return row


async def edit(
    conn: AsyncConnection, *, editor_id: int, comment_id: str, body: str, themes: tuple[str, ...]
) -> Any:
    """Replace a comment's body, keeping the old one as a revision; only its author may (the
    rule refuses anyone else but staff, who get NOT_AUTHOR here). The same body again changes
    nothing. User errors: NOT_FOUND (id), NOT_AUTHOR, REQUIRED / TOO_LONG (body),
    COMMENT_HIDDEN (a hidden comment keeps the words it was hidden for)."""
    errors = UserErrors()
    text = _body(errors, body)
    comment = await _comment(conn, comment_id, themes, "id")
    if comment.author_id != editor_id:
        # the guard refused everyone else; staff pass every rule, and still are not the author
        raise Rejected(user_error("NOT_AUTHOR", "only its author may edit a comment", "id"))
    errors.raise_if_any()
    if comment.hidden_at is not None:
        raise Rejected(user_error("COMMENT_HIDDEN", "a hidden comment cannot be edited", "id"))
    if text != comment.body:  # the database keeps the old body in comment_revisions (core_0014)
        now = max(utcnow(), comment.created_at)
        await conn.execute(
            update(Comment).where(Comment.id == comment.id).values(body=text, edited_at=now)
        )
    stmt = select(*Comment.__table__.c).where(Comment.id == comment.id)
    return (await conn.execute(stmt)).one()


async def hide(
    conn: AsyncConnection,
    *,
    moderator_id: int,
    comment_id: str,
    reason: str,
    themes: tuple[str, ...],
) -> Any:
    """Hide a comment (not delete it) with a reason shown to everyone. User errors: NOT_FOUND
    (id), REQUIRED / TOO_LONG (reason, at most REASON_MAX characters), ALREADY_HIDDEN."""
    errors = UserErrors()
    why = errors.text(reason, "reason", REASON_MAX)
    comment = await _comment(conn, comment_id, themes, "id")
    errors.raise_if_any()
    if comment.hidden_at is not None:
        raise Rejected(user_error("ALREADY_HIDDEN", "the comment is already hidden", "id"))
    await conn.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(hidden_at=utcnow(), hidden_by_id=moderator_id, hidden_reason=why)
    )
    stmt = select(*Comment.__table__.c).where(Comment.id == comment.id)
    return (await conn.execute(stmt)).one()


async def unhide(conn: AsyncConnection, *, comment_id: str, themes: tuple[str, ...]) -> Any:
    """Show a hidden comment again (staff). User errors: NOT_FOUND (id), NOT_HIDDEN."""
    comment = await _comment(conn, comment_id, themes, "id")
    if comment.hidden_at is None:
        raise Rejected(user_error("NOT_HIDDEN", "the comment is not hidden", "id"))
    await conn.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(hidden_at=None, hidden_by_id=None, hidden_reason=None)
    )
    stmt = select(*Comment.__table__.c).where(Comment.id == comment.id)
    return (await conn.execute(stmt)).one()


async def submit_feedback(
    conn: AsyncConnection, *, author_id: int, body: str, category: Any
) -> Any:
    """Record feedback on the working-group concept. User errors: REQUIRED / TOO_LONG (body)."""
    errors = UserErrors()
    text = _body(errors, body)
    errors.raise_if_any()
    stmt = (
        insert(Feedback)
        .values(author_id=author_id, body=text, category=category, created_at=utcnow())
        .returning(*Feedback.__table__.c)
    )
    return (await conn.execute(stmt)).one()
