"""A commitment's title is at most 300 characters on SQLite too

`String(300)` is enforced by PostgreSQL but not by SQLite, which stored a title of any length.
The CHECK makes both refuse the same rows. Written by hand: autogenerate (`ogp-wg db revision`)
does not see a new CHECK constraint. On SQLite the table is copied (batch mode), keeping its
other constraints; a longer title already stored makes the upgrade fail, to be shortened first.

Revision ID: gender_inclusion_0002
Revises: gender_inclusion_0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "gender_inclusion_0002"
down_revision: str | Sequence[str] | None = "gender_inclusion_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "gender_inclusion_commitments"
NAME = "ck_gender_inclusion_commitments_title_length"


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch_op:
        batch_op.create_check_constraint(op.f(NAME), "length(title) <= 300")


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_="check")
