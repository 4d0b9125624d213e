"""`meetings(filter: {kind: [...]})` served by an index (issue 12, section 4: "an index serves
every filter and order the API offers"): `(kind, starts_at, id)`, the filter then the
connection's order, so a page of webinars is an index range instead of a walk through every
meeting in `starts_at` order dropping the other kinds; on PostgreSQL it also carries `group_id`
(INCLUDE), so `totalCount` (which joins the meeting's group: a disabled plugin's groups are
hidden) is an index-only scan instead of a read of every meeting's row. Measured on the "large"
data (bench/RESULTS.md, fourteenth run): the webinar list's count 0.75 -> 0.32 ms.

Revision ID: core_0022
Revises: core_0021
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0022"
down_revision: str | Sequence[str] | None = "core_0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_meetings_kind_starts_at_id",
        "meetings",
        ["kind", "starts_at", "id"],
        postgresql_include=["group_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_meetings_kind_starts_at_id", table_name="meetings")
