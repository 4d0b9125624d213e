"""`highValueDatasets` by title served by an index (issue 12, section 4): `(title, id)`, the
connection's ORDER BY, so a page is an index range instead of a sort of every dataset. Found by
tests/test_query_plans.py on the "large" data (540 datasets sorted on every page).

Revision ID: open_data_0004
Revises: open_data_0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "open_data_0004"
down_revision: str | Sequence[str] | None = "open_data_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_open_data_high_value_datasets_title_id",
        "open_data_high_value_datasets",
        ["title", "id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_open_data_high_value_datasets_title_id", table_name="open_data_high_value_datasets"
    )
