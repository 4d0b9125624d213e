"""Indexes that keep per-parent pages flat in table size.

A meeting's first registrations in id order, and a group's upcoming meetings (filtered on
ends_at), are read from an index range instead of all of the parent's rows.

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0002"
down_revision: str | Sequence[str] | None = "core_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_registrations_meeting_id_id",
        "registrations",
        ["meeting_id", "id"],
        postgresql_include=["person_id", "status", "created_at"],  # index-only page reads
    )
    op.create_index("ix_meetings_group_id_ends_at", "meetings", ["group_id", "ends_at"])


def downgrade() -> None:
    op.drop_index("ix_meetings_group_id_ends_at", table_name="meetings")
    op.drop_index("ix_registrations_meeting_id_id", table_name="registrations")
