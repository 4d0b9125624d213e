"""Access to information: right-to-information laws and RTI Ratings by country.

Revision ID: access_to_info_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "access_to_info_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("access_to_info",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "access_to_info_rti_laws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("year_adopted", sa.Integer(), nullable=False),
        sa.Column("rti_rating", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "rti_rating BETWEEN 0 AND 150", name=op.f("ck_access_to_info_rti_laws_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_access_to_info_rti_laws_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_to_info_rti_laws")),
        sa.UniqueConstraint("country_id", name=op.f("uq_access_to_info_rti_laws_country_id")),
    )


def downgrade() -> None:
    op.drop_table("access_to_info_rti_laws")
