"""Open parliaments: the source convention on legislatures and chambers.

- `open_parliaments_legislatures` and `open_parliaments_chambers`: `source_url` (the page the
  name and structure, or the chamber's name and website, were read on, e.g. IPU Parline),
  `retrieved_on`, `illustrative`, CHECK `sourced_or_illustrative`.

Existing rows are kept; none carries a source, so they are marked illustrative (correct them
with legislatureRecord / chamberRecord, giving the source, to cite them). Downgrade drops the
columns; every row stays.

Revision ID: open_parliaments_0004
Revises: open_parliaments_0003
Create Date: 2026-11-30
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "open_parliaments_0004"
down_revision: str | Sequence[str] | None = "open_parliaments_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# This revision's own copy of the CHECK (never imported: a later change must not rewrite it).
SOURCED = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
LEGISLATURES = "open_parliaments_legislatures"
CHAMBERS = "open_parliaments_chambers"
CHECKS = "open_parliaments_openness_indicators"
PMOS = "open_parliaments_pmos"
COLUMNS = ("illustrative", "retrieved_on", "source_url")


def _children_aside(*children: str) -> Callable[[], None]:
    """SQLite: batch mode copies a table and drops the old one, and the drop's implicit DELETE
    would fail, or cascade (a chamber's foreign key is ON DELETE CASCADE), while rows of other
    tables reference it. The referencing rows step aside into temporary tables, children
    before their parents (a chamber's checks before the chamber); the returned function brings
    them back unchanged, parents first, once the table is rebuilt. Elsewhere: nothing to do."""
    if op.get_context().dialect.name != "sqlite":
        return lambda: None
    for child in children:
        op.execute(f'CREATE TEMP TABLE "aside_{child}" AS SELECT * FROM "{child}"')
        op.execute(f'DELETE FROM "{child}"')

    def restore() -> None:
        for child in reversed(children):
            op.execute(f'INSERT INTO "{child}" SELECT * FROM "aside_{child}"')
            op.execute(f'DROP TABLE "aside_{child}"')

    return restore


def _add_columns(table: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # No existing row was recorded with a source: illustrative, so the CHECK holds.
    op.execute(
        sa.table(table, sa.column("illustrative", sa.Boolean())).update().values(illustrative=True)
    )
    with op.batch_alter_table(table) as batch_op:
        batch_op.create_check_constraint(op.f(f"ck_{table}_sourced_or_illustrative"), SOURCED)


def _drop_columns(table: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_sourced_or_illustrative"), type_="check")
        for column in COLUMNS:
            batch_op.drop_column(column)


def upgrade() -> None:
    restore = _children_aside(CHECKS, CHAMBERS, PMOS)
    _add_columns(LEGISLATURES)
    restore()
    restore = _children_aside(CHECKS)
    _add_columns(CHAMBERS)
    restore()


def downgrade() -> None:
    """Back to 0003: the sources and markers of legislatures and chambers go; every row stays."""
    restore = _children_aside(CHECKS)
    _drop_columns(CHAMBERS)
    restore()
    restore = _children_aside(CHECKS, CHAMBERS, PMOS)
    _drop_columns(LEGISLATURES)
    restore()
