"""Meetings that run themselves (issue 9, section 2): registration windows, Summit
pre-registration and attendance (two more registration statuses), SEQUENCE and cancellation of
meetings, minutes, attached links, the history of changes, personal calendar feed tokens.

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0007"
down_revision: str | Sequence[str] | None = "core_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)
OLD_STATUSES = ("REGISTERED", "WAITLISTED", "CANCELLED", "ATTENDED")
NEW_STATUSES = (*OLD_STATUSES, "NO_SHOW", "PRE_REGISTERED")


def _status_check(statuses: Sequence[str]) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


def _enum(*values: str) -> sa.Enum:
    return sa.Enum(*values, name="kind", native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:  # a copy on SQLite
        batch_op.add_column(sa.Column("registration_opens_at", UTC, nullable=True))
        batch_op.add_column(sa.Column("registration_closes_at", UTC, nullable=True))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("cancelled_at", UTC, nullable=True))
        batch_op.add_column(sa.Column("minutes", sa.Text(), server_default="", nullable=False))
        batch_op.create_check_constraint(
            "registration_opens_before_closes",
            "registration_opens_at IS NULL OR registration_closes_at IS NULL"
            " OR registration_opens_at < registration_closes_at",
        )
        batch_op.create_check_constraint("sequence_not_negative", "sequence >= 0")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_registrations_status"), type_="check")
        batch_op.create_check_constraint("status", _status_check(NEW_STATUSES))

    op.create_table(
        "meeting_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("RECORDING", "SLIDES", "OTHER"), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_links_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_links")),
    )
    op.create_index("ix_meeting_links_meeting_id_id", "meeting_links", ["meeting_id", "id"])

    op.create_table(
        "meeting_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("SCHEDULED", "CHANGED", "MOVED", "CANCELLED"), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("old_starts_at", UTC, nullable=True),
        sa.Column("old_ends_at", UTC, nullable=True),
        sa.Column("new_starts_at", UTC, nullable=True),
        sa.Column("new_ends_at", UTC, nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_changes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["people.id"],
            name=op.f("fk_meeting_changes_actor_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_changes")),
    )
    op.create_index("ix_meeting_changes_meeting_id_id", "meeting_changes", ["meeting_id", "id"])

    op.create_table(
        "calendar_feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_calendar_feed_tokens_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_tokens")),
        sa.UniqueConstraint("person_id", name=op.f("uq_calendar_feed_tokens_person_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_tokens_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("calendar_feed_tokens")
    op.drop_table("meeting_changes")
    op.drop_table("meeting_links")
    # the new statuses have no older equivalent: a no-show had a place, a pre-registration none
    op.execute("UPDATE registrations SET status = 'REGISTERED' WHERE status = 'NO_SHOW'")
    op.execute("UPDATE registrations SET status = 'CANCELLED' WHERE status = 'PRE_REGISTERED'")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_registrations_status"), type_="check")
        batch_op.create_check_constraint("status", _status_check(OLD_STATUSES))
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_sequence_not_negative"), type_="check")
        batch_op.drop_constraint(
            op.f("ck_meetings_registration_opens_before_closes"), type_="check"
        )
        batch_op.drop_column("minutes")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("sequence")
        batch_op.drop_column("registration_closes_at")
        batch_op.drop_column("registration_opens_at")
