"""Open data: International Open Data Charter adoptions by country.

Revision ID: open_data_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "open_data_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("open_data",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "open_data_charter_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "NATIONAL",
                "LOCAL",
                name="level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_open_data_charter_adoptions_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_charter_adoptions")),
        sa.UniqueConstraint("country_id", name=op.f("uq_open_data_charter_adoptions_country_id")),
    )


def downgrade() -> None:
    op.drop_table("open_data_charter_adoptions")
