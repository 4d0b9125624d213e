"""Extractive industry transparency: the source convention on contract disclosures and
beneficial owners.

- `extractives_contract_disclosures`: `source_url` (the page recording the disclosure; `url`
  stays the document), `retrieved_on`, `illustrative`, CHECK `sourced_or_illustrative`.
- `extractives_beneficial_owners`: `retrieved_on`, `illustrative` (its `source_url` was there
  already), CHECK `sourced_or_illustrative`.

Existing rows are kept; none carries a retrieval date, so they are marked illustrative (a
beneficial owner keeps its source URL): correct them with their source to cite them.
Downgrade drops the columns (a contract disclosure's source URL with them).

Revision ID: extractives_0004
Revises: extractives_0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "extractives_0004"
down_revision: str | Sequence[str] | None = "extractives_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# This revision's own copy of the CHECK (never imported: a later change must not rewrite it).
SOURCED = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
CONTRACTS = "extractives_contract_disclosures"
OWNERS = "extractives_beneficial_owners"


def _add_columns(table: str, *, with_url: bool) -> None:
    with op.batch_alter_table(table) as batch_op:
        if with_url:
            batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # No existing row was recorded with a retrieval date: illustrative, so the CHECK holds.
    op.execute(
        sa.table(table, sa.column("illustrative", sa.Boolean())).update().values(illustrative=True)
    )
    with op.batch_alter_table(table) as batch_op:
        batch_op.create_check_constraint(op.f(f"ck_{table}_sourced_or_illustrative"), SOURCED)


def upgrade() -> None:
    _add_columns(CONTRACTS, with_url=True)
    _add_columns(OWNERS, with_url=False)


def downgrade() -> None:
    """Back to 0003: the markers and retrieval dates go (and a contract disclosure's source
    URL, which 0003 cannot hold); every row stays."""
    for table, columns in (
        (OWNERS, ("illustrative", "retrieved_on")),
        (CONTRACTS, ("illustrative", "retrieved_on", "source_url")),
    ):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_sourced_or_illustrative"), type_="check")
            for column in columns:
                batch_op.drop_column(column)
