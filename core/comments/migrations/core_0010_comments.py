"""Comments (threaded one level deep, edits kept, hidden with a reason) and feedback (issue 9,
section 3).

A CHECK cannot look at another row, so two triggers (SQLite and PostgreSQL alike) keep what the
model's docstring promises: a reply answers a top-level comment on the same target; a comment
on a meeting or a priority area is in that target's group; and a comment's group, target and parent never change.

Revision ID: core_0010
Revises: core_0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0010"
down_revision: str | Sequence[str] | None = "core_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)

REPLY_RULE = "a reply answers a top-level comment on the same target"
TARGET_RULE = "a comment on a meeting or a priority area is in its group"
FIXED_RULE = "the group, target and parent of a comment do not change"

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER comments_thread BEFORE INSERT ON comments
    WHEN NEW.parent_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM comments AS parent
        WHERE parent.id = NEW.parent_id AND parent.parent_id IS NULL
          AND parent.group_id = NEW.group_id AND parent.meeting_id IS NEW.meeting_id
          AND parent.priority_area_id IS NEW.priority_area_id)
    BEGIN SELECT RAISE(ABORT, '{REPLY_RULE}'); END
    """,
    f"""
    CREATE TRIGGER comments_target BEFORE INSERT ON comments
    WHEN (NEW.meeting_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND group_id = NEW.group_id))
      OR (NEW.priority_area_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM priority_areas
        WHERE id = NEW.priority_area_id AND group_id = NEW.group_id))
    BEGIN SELECT RAISE(ABORT, '{TARGET_RULE}'); END
    """,
    f"""
    CREATE TRIGGER comments_fixed
    BEFORE UPDATE OF group_id, meeting_id, priority_area_id, parent_id ON comments
    WHEN NEW.group_id IS NOT OLD.group_id OR NEW.meeting_id IS NOT OLD.meeting_id
      OR NEW.priority_area_id IS NOT OLD.priority_area_id OR NEW.parent_id IS NOT OLD.parent_id
    BEGIN SELECT RAISE(ABORT, '{FIXED_RULE}'); END
    """,
]

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION comments_thread_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF NEW.group_id IS DISTINCT FROM OLD.group_id
           OR NEW.meeting_id IS DISTINCT FROM OLD.meeting_id
           OR NEW.priority_area_id IS DISTINCT FROM OLD.priority_area_id
           OR NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
          RAISE EXCEPTION '{FIXED_RULE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END IF;
      IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM comments AS parent
          WHERE parent.id = NEW.parent_id AND parent.parent_id IS NULL
            AND parent.group_id = NEW.group_id
            AND parent.meeting_id IS NOT DISTINCT FROM NEW.meeting_id
            AND parent.priority_area_id IS NOT DISTINCT FROM NEW.priority_area_id) THEN
        RAISE EXCEPTION '{REPLY_RULE}' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.meeting_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND group_id = NEW.group_id) THEN
        RAISE EXCEPTION '{TARGET_RULE}' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.priority_area_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM priority_areas
          WHERE id = NEW.priority_area_id AND group_id = NEW.group_id) THEN
        RAISE EXCEPTION '{TARGET_RULE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER comments_thread BEFORE INSERT OR UPDATE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_thread_check()
    """,
]


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("priority_area_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("edited_at", UTC, nullable=True),
        sa.Column("hidden_at", UTC, nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=500), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN priority_area_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name=op.f("ck_comments_one_target"),
        ),
        sa.CheckConstraint("trim(body) <> ''", name=op.f("ck_comments_body_not_blank")),
        sa.CheckConstraint(
            "(hidden_at IS NULL AND hidden_by_id IS NULL AND hidden_reason IS NULL)"
            " OR (hidden_at IS NOT NULL AND hidden_by_id IS NOT NULL"
            " AND hidden_reason IS NOT NULL AND trim(hidden_reason) <> '')",
            name=op.f("ck_comments_hidden_with_reason"),
        ),
        sa.CheckConstraint(
            "edited_at IS NULL OR edited_at >= created_at",
            name=op.f("ck_comments_edited_after_post"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_comments_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_comments_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["priority_area_id"],
            ["priority_areas.id"],
            name=op.f("fk_comments_priority_area_id_priority_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["comments.id"],
            name=op.f("fk_comments_parent_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_comments_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["people.id"],
            name=op.f("fk_comments_hidden_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    for name, columns in (
        ("ix_comments_group_id_created_at_id", ["group_id", "created_at", "id"]),
        ("ix_comments_meeting_id_created_at_id", ["meeting_id", "created_at", "id"]),
        (
            "ix_comments_priority_area_id_created_at_id",
            ["priority_area_id", "created_at", "id"],
        ),
        ("ix_comments_parent_id_created_at_id", ["parent_id", "created_at", "id"]),
        ("ix_comments_author_id", ["author_id"]),
    ):
        op.create_index(name, "comments", columns)
    op.create_table(
        "comment_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("edited_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_revisions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_revisions")),
    )
    op.create_index(
        "ix_comment_revisions_comment_id_edited_at_id",
        "comment_revisions",
        ["comment_id", "edited_at", "id"],
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("trim(body) <> ''", name=op.f("ck_feedback_body_not_blank")),
        sa.CheckConstraint(
            "category IN ('IDEA', 'PROBLEM', 'QUESTION', 'PRAISE', 'OTHER')",
            name=op.f("ck_feedback_category"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_feedback_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_created_at_id", "feedback", ["created_at", "id"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS comments_thread ON comments")
        op.execute("DROP FUNCTION IF EXISTS comments_thread_check()")
    op.drop_table("feedback")
    op.drop_table("comment_revisions")
    op.drop_table("comments")
