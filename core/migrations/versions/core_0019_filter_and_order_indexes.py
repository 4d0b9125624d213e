"""Indexes that serve the filters and orders of the root connections (issue 12, section 4), found
by tests/test_query_plans.py on the "large" data:

- `organizations` by name: `(name, id)`, the connection's ORDER BY, so a page is an index range
  instead of a sort of every organisation; `(kind, name, id)` for the `kind` filter.
- `meetings(filter: {summit: ...})`: `(is_summit, starts_at, id)`, instead of walking every
  meeting in `starts_at` order to find the 3% that are summits. Not a partial index: the filter
  is a bound parameter (`is_summit = $1`), which a generic plan cannot match to a partial
  index's predicate.
- `commitments` across plans, newest cycle first: `action_plans(cycle_start, id)`, read
  backwards, hands out the plans in order and each plan's commitments come from
  `ix_commitments_action_plan_id_position_id` (an Incremental Sort of one plan at a time),
  instead of a sort of every commitment on each page.

Revision ID: core_0019
Revises: core_0018
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0019"
down_revision: str | Sequence[str] | None = "core_0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_organizations_name_id", "organizations", ["name", "id"])
    op.create_index("ix_organizations_kind_name_id", "organizations", ["kind", "name", "id"])
    op.create_index("ix_action_plans_cycle_start_id", "action_plans", ["cycle_start", "id"])
    op.create_index(
        "ix_meetings_is_summit_starts_at_id", "meetings", ["is_summit", "starts_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_meetings_is_summit_starts_at_id", table_name="meetings")
    op.drop_index("ix_organizations_kind_name_id", table_name="organizations")
    op.drop_index("ix_organizations_name_id", table_name="organizations")
    op.drop_index("ix_action_plans_cycle_start_id", table_name="action_plans")
