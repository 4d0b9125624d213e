"""gender and inclusion commitments

Revision ID: gender_inclusion_0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gender_inclusion_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("gender_inclusion",)
depends_on: str | Sequence[str] | None = "core_0002"

TARGET_GROUPS = (
    "WOMEN_AND_GIRLS",
    "LGBTQIA_PLUS",
    "PERSONS_WITH_DISABILITIES",
    "INDIGENOUS_PEOPLES",
    "YOUTH",
    "OLDER_PERSONS",
    "MIGRANTS_AND_REFUGEES",
    "ETHNIC_MINORITIES",
    "GENERAL_PUBLIC",
)
COMPLETION = ("NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE", "WITHDRAWN")


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "gender_inclusion_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("action_plan_cycle", sa.String(length=9), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("gender_focus", sa.Boolean(), nullable=False),
        sa.Column("target_group", _enum(TARGET_GROUPS, "target_group"), nullable=False),
        sa.Column("status", _enum(COMPLETION, "status"), nullable=False),
        sa.CheckConstraint(
            "length(title) > 0", name=op.f("ck_gender_inclusion_commitments_title_not_blank")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_gender_inclusion_commitments_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gender_inclusion_commitments")),
        sa.UniqueConstraint(
            "country_id",
            "action_plan_cycle",
            "title",
            name="uq_gender_inclusion_commitments_country_cycle_title",
        ),
    )
    op.create_index(
        op.f("ix_gender_inclusion_commitments_country_id"),
        "gender_inclusion_commitments",
        ["country_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_gender_inclusion_commitments_country_id"),
        table_name="gender_inclusion_commitments",
    )
    op.drop_table("gender_inclusion_commitments")
