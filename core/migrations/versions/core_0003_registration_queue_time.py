"""First come, first served: registrations.queued_at orders the waitlist and the registered list.

Promotion used to take the waitlisted row with the lowest id, which a person keeps when they leave
and register again, so they jumped ahead of everyone who waited longer. `queued_at` is set each
time a registration joins the waitlist or the registered list; the order is (queued_at, id).

Existing rows are carried across with the best time they hold: `created_at`, which the old code
reset when a cancelled registration came back (so it is when the row last joined a queue, except
for promotions, which it did not record). The two indexes ordered by id are replaced by the same
ones ordered by (queued_at, id).

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0003"
down_revision: str | Sequence[str] | None = "core_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_registrations_meeting_id_status_id", table_name="registrations")
    op.drop_index("ix_registrations_meeting_id_id", table_name="registrations")
    # Nullable first, filled from created_at, then NOT NULL: no default that would invent a time.
    op.add_column(
        "registrations",
        sa.Column("queued_at", core.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.execute("UPDATE registrations SET queued_at = created_at")
    with op.batch_alter_table("registrations", schema=None) as batch_op:  # a copy on SQLite
        batch_op.alter_column(
            "queued_at", existing_type=core.db.UTCDateTime(timezone=True), nullable=False
        )
    op.create_index(
        "ix_registrations_meeting_id_status_queued_at_id",
        "registrations",
        ["meeting_id", "status", "queued_at", "id"],
    )
    op.create_index(
        "ix_registrations_meeting_id_queued_at_id",
        "registrations",
        ["meeting_id", "queued_at", "id"],
        postgresql_include=["person_id", "status", "created_at"],  # index-only page reads
    )


def downgrade() -> None:
    op.drop_index("ix_registrations_meeting_id_queued_at_id", table_name="registrations")
    op.drop_index("ix_registrations_meeting_id_status_queued_at_id", table_name="registrations")
    op.create_index(
        "ix_registrations_meeting_id_id",
        "registrations",
        ["meeting_id", "id"],
        postgresql_include=["person_id", "status", "created_at"],
    )
    op.create_index(
        "ix_registrations_meeting_id_status_id", "registrations", ["meeting_id", "status", "id"]
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("queued_at")
