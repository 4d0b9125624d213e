"""E-mail notifications (issue 9, sections 2 and 5): preferences, the outbox, the sender's state.

Revision ID: core_0012
Revises: core_0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0012"
down_revision: str | Sequence[str] | None = "core_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "notification_preferences",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("digest", _enum("digest", "DAILY", "WEEKLY", "NONE"), nullable=False),
        sa.Column("meeting_notices", sa.Boolean(), nullable=False),
        sa.Column("digest_watermark", sa.Integer(), nullable=False),
        sa.Column("last_digest_at", UTC, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint(
            "digest_watermark >= 0",
            name=op.f("ck_notification_preferences_watermark_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_notification_preferences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("kind", "MEETING_NOTICE", "DIGEST"), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", _enum("state", "PENDING", "SENT", "FAILED"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.CheckConstraint(
            "attempts >= 0", name=op.f("ck_notification_outbox_attempts_not_negative")
        ),
        sa.CheckConstraint(
            "(state = 'SENT') = (sent_at IS NOT NULL)",
            name=op.f("ck_notification_outbox_sent_when_sent"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["activity_events.id"],
            name=op.f("fk_notification_outbox_event_id_activity_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_notification_outbox_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_outbox")),
        sa.UniqueConstraint(
            "person_id",
            "kind",
            "event_id",
            name=op.f("uq_notification_outbox_person_id_kind_event_id"),
        ),
    )
    op.create_index("ix_notification_outbox_state_id", "notification_outbox", ["state", "id"])
    op.create_index(op.f("ix_notification_outbox_event_id"), "notification_outbox", ["event_id"])
    op.create_table(
        "notification_jobs",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("watermark", sa.Integer(), nullable=False),
        sa.Column("lease_holder", sa.String(length=64), nullable=True),
        sa.Column("lease_until", UTC, nullable=True),
        sa.CheckConstraint(
            "watermark >= 0", name=op.f("ck_notification_jobs_watermark_not_negative")
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_notification_jobs")),
    )


def downgrade() -> None:
    op.drop_table("notification_jobs")
    op.drop_table("notification_outbox")
    op.drop_table("notification_preferences")
