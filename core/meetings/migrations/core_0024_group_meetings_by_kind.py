"""A group's meetings of one kind served by an index (issue 12, section 4: "an index serves
every filter and order the API offers"): `(group_id, kind, starts_at, id)`, the join key, the
filter, then the connection's order, so `WorkingGroup.meetings(filter: {kind: ...})` is an index
range per group instead of a walk of `(group_id, starts_at)` past the group's meetings of other
kinds (about 50 a group on the "large" data, 540 rows over a page of 10 groups). With `upcoming`
too, the range starts at its `starts_at` bound as before. Found by tests/test_query_plans.py
once it planned nested relations with each filter.

Revision ID: core_0024
Revises: core_0023
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0024"
down_revision: str | Sequence[str] | None = "core_0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_meetings_group_id_kind_starts_at_id",
        "meetings",
        ["group_id", "kind", "starts_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_meetings_group_id_kind_starts_at_id", table_name="meetings")
