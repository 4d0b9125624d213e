"""Open parliaments: chambers, openness indicators, Declaration endorsements, PMOs.

The legislatures table keeps its rows and columns; it gains UNIQUE (id, chambers), which the
chambers table references so the database matches each chamber's kind to the legislature's
structure (on SQLite through a batch copy of the table, which keeps the rows).

Revision ID: open_parliaments_0002
Revises: open_parliaments_0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "open_parliaments_0002"
down_revision: str | Sequence[str] | None = "open_parliaments_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "core_0002"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _http(column: str) -> str:
    return f"{column} LIKE 'http://%' OR {column} LIKE 'https://%'"


def upgrade() -> None:
    with op.batch_alter_table("open_parliaments_legislatures") as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_open_parliaments_legislatures_id_chambers"), ["id", "chambers"]
        )

    op.create_table(
        "open_parliaments_chambers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legislature_id", sa.Integer(), nullable=False),
        sa.Column("legislature_chambers", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("kind", "UNICAMERAL", "LOWER", "UPPER"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(legislature_chambers = 1 AND kind = 'UNICAMERAL')"
            " OR (legislature_chambers = 2 AND kind IN ('LOWER', 'UPPER'))",
            name=op.f("ck_open_parliaments_chambers_kind_fits_structure"),
        ),
        sa.CheckConstraint(
            _http("website"), name=op.f("ck_open_parliaments_chambers_website_http")
        ),
        sa.ForeignKeyConstraint(
            ["legislature_id", "legislature_chambers"],
            ["open_parliaments_legislatures.id", "open_parliaments_legislatures.chambers"],
            name="fk_open_parliaments_chambers_legislature",
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_parliaments_chambers")),
        sa.UniqueConstraint(
            "legislature_id", "kind", name=op.f("uq_open_parliaments_chambers_legislature_id_kind")
        ),
    )

    op.create_table(
        "open_parliaments_openness_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chamber_id", sa.Integer(), nullable=False),
        sa.Column(
            "indicator",
            _enum(
                "indicator",
                "VOTES_PUBLISHED",
                "BILLS_AND_AMENDMENTS_ONLINE",
                "PLENARY_RECORDS",
                "COMMITTEE_RECORDS",
                "OPEN_SESSIONS",
                "MACHINE_READABLE_DATA",
                "API",
            ),
            nullable=False,
        ),
        sa.Column("status", _enum("status", "YES", "PARTIAL", "NO"), nullable=False),
        sa.Column("evidence_url", sa.String(length=500), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            _http("evidence_url"),
            name=op.f("ck_open_parliaments_openness_indicators_evidence_url_http"),
        ),
        sa.ForeignKeyConstraint(
            ["chamber_id"],
            ["open_parliaments_chambers.id"],
            name="fk_open_parliaments_openness_indicators_chamber",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_parliaments_openness_indicators")),
        sa.UniqueConstraint(
            "chamber_id",
            "indicator",
            name=op.f("uq_open_parliaments_openness_indicators_chamber_id_indicator"),
        ),
    )

    op.create_table(
        "open_parliaments_endorsements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("endorsed_on", sa.Date(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "endorsed_on >= '2012-09-15'",
            name=op.f("ck_open_parliaments_endorsements_after_launch"),
        ),
        sa.CheckConstraint(
            _http("source_url"), name=op.f("ck_open_parliaments_endorsements_source_url_http")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_open_parliaments_endorsements_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_parliaments_endorsements")),
        sa.UniqueConstraint(
            "organization_id", name=op.f("uq_open_parliaments_endorsements_organization_id")
        ),
    )
    op.create_index(
        op.f("ix_open_parliaments_endorsements_endorsed_on"),
        "open_parliaments_endorsements",
        ["endorsed_on"],
    )

    op.create_table(
        "open_parliaments_pmos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("legislature_id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            _enum("scope", "MEMBERS", "INSTITUTION", "MEMBERS_AND_INSTITUTION"),
            nullable=False,
        ),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.CheckConstraint(_http("website"), name=op.f("ck_open_parliaments_pmos_website_http")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_open_parliaments_pmos_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["legislature_id"],
            ["open_parliaments_legislatures.id"],
            name="fk_open_parliaments_pmos_legislature",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_parliaments_pmos")),
        sa.UniqueConstraint(
            "organization_id",
            "legislature_id",
            name=op.f("uq_open_parliaments_pmos_organization_id_legislature_id"),
        ),
    )
    op.create_index(
        op.f("ix_open_parliaments_pmos_legislature_id"), "open_parliaments_pmos", ["legislature_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_open_parliaments_pmos_legislature_id"), "open_parliaments_pmos")
    op.drop_table("open_parliaments_pmos")
    op.drop_index(
        op.f("ix_open_parliaments_endorsements_endorsed_on"), "open_parliaments_endorsements"
    )
    op.drop_table("open_parliaments_endorsements")
    op.drop_table("open_parliaments_openness_indicators")
    op.drop_table("open_parliaments_chambers")
    with op.batch_alter_table("open_parliaments_legislatures") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_open_parliaments_legislatures_id_chambers"), type_="unique"
        )
