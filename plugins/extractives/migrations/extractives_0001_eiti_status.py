"""Extractive industry transparency: EITI status by country.

Revision ID: extractives_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "extractives_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("extractives",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "extractives_eiti_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "IMPLEMENTING",
                "SUSPENDED",
                "WITHDRAWN",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_extractives_eiti_status_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_eiti_status")),
        sa.UniqueConstraint("country_id", name=op.f("uq_extractives_eiti_status_country_id")),
    )


def downgrade() -> None:
    op.drop_table("extractives_eiti_status")
