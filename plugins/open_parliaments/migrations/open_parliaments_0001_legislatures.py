"""Open parliaments: national legislatures by country.

Revision ID: open_parliaments_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "open_parliaments_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("open_parliaments",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "open_parliaments_legislatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("chambers", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "chambers IN (1, 2)", name=op.f("ck_open_parliaments_legislatures_chambers_one_or_two")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_open_parliaments_legislatures_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_parliaments_legislatures")),
        sa.UniqueConstraint("country_id", name=op.f("uq_open_parliaments_legislatures_country_id")),
    )


def downgrade() -> None:
    op.drop_table("open_parliaments_legislatures")
