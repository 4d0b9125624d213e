"""Comments (one table for every kind of target), their edit history, and feedback.

A comment belongs to one working group (`group_id`, the target's group: what access and the
activity feed go by) and is on exactly one target: the group itself (no other target column
set), one of its meetings (`meeting_id`) or one of its priority areas (`priority_area_id`).
Part 2's resources and requests add a nullable column each and widen `ck_comments_one_target`;
nothing else changes shape. Deleting a target deletes its comments (ON DELETE CASCADE).

What a CHECK cannot see is kept by triggers (core_0010, both databases): a reply answers a
top-level comment on the same target and group, a meeting's or priority area's comment has that
target's group, and a comment's group, target and parent never change once written.
"""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow
from core.priorities import models as _priorities  # noqa: F401  (priority_areas, referred to)

BODY_MAX = 5000
"""Characters of a comment or a piece of feedback."""
REASON_MAX = 500
"""Characters of the reason a comment was hidden."""

TARGET_COLUMNS = ("meeting_id", "priority_area_id")
"""The target columns besides the group (a new kind of target adds one here and in a migration)."""
ONE_TARGET = (
    " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in TARGET_COLUMNS)
    + " <= 1"
)
"""At most one target column besides the group: none set means the comment is on the group."""
HIDDEN_WITH_REASON = (
    "(hidden_at IS NULL AND hidden_by_id IS NULL AND hidden_reason IS NULL)"
    " OR (hidden_at IS NOT NULL AND hidden_by_id IS NOT NULL"
    " AND hidden_reason IS NOT NULL AND trim(hidden_reason) <> '')"
)


@strawberry.enum(description="What a piece of feedback on the working-group concept is about.")
class FeedbackCategory(enum.StrEnum):
    IDEA = "IDEA"
    PROBLEM = "PROBLEM"
    QUESTION = "QUESTION"
    PRAISE = "PRAISE"
    OTHER = "OTHER"


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
        CheckConstraint("trim(body) <> ''", name="body_not_blank"),
        CheckConstraint(HIDDEN_WITH_REASON, name="hidden_with_reason"),
        CheckConstraint("edited_at IS NULL OR edited_at >= created_at", name="edited_after_post"),
        # each list a page of: the group's own comments, a meeting's, a priority area's, replies
        Index("ix_comments_group_id_created_at_id", "group_id", "created_at", "id"),
        Index("ix_comments_meeting_id_created_at_id", "meeting_id", "created_at", "id"),
        Index("ix_comments_priority_area_id_created_at_id", "priority_area_id", "created_at", "id"),
        Index("ix_comments_parent_id_created_at_id", "parent_id", "created_at", "id"),
        Index("ix_comments_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    """The working group the comment belongs to: its target, or its target's group."""
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    priority_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_areas.id", ondelete="CASCADE")
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    """The top-level comment this one replies to (null: a top-level comment)."""
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the author last changed the body (null: never); earlier bodies: comment_revisions."""
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    illustrative: Mapped[bool] = mapped_column(default=False)
    """Demo content: not anybody's real words."""


class CommentRevision(Base):
    """A comment's body as it was before one edit."""

    __tablename__ = "comment_revisions"
    __table_args__ = (
        Index("ix_comment_revisions_comment_id_edited_at_id", "comment_id", "edited_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    """The body the edit replaced."""
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    """When the edit replaced it."""


class Feedback(Base):
    """Feedback on the working-group concept itself, read by staff (OGP Support Unit)."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("trim(body) <> ''", name="body_not_blank"),
        Index("ix_feedback_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[FeedbackCategory | None] = mapped_column(
        enum_column(FeedbackCategory, "category")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
