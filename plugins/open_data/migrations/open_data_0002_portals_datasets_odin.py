"""Open data: Charter adopters (several per country), data portals, high-value datasets, ODIN.

`open_data_charter_adoptions` (one row per country) is replaced by `open_data_charter_adopters`
(one row per adopting government). Existing rows are copied: a NATIONAL row becomes the adopter
"Government of <country name>"; a LOCAL row, whose government was never recorded, becomes the
SUBNATIONAL adopter "Subnational government of <country name>", to be renamed by hand. A date
before October 2015, when the Charter was first adopted, becomes 2015-10-01 (the new table's
CHECK constraint rejects earlier dates). The downgrade keeps one row per country (the national
adopter, else the earliest subnational one).

Revision ID: open_data_0002
Revises: open_data_0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "open_data_0002"
down_revision: str | Sequence[str] | None = "open_data_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "core_0002"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "open_data_charter_adopters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("government", sa.String(length=200), nullable=False),
        sa.Column("level", _enum("level", "NATIONAL", "SUBNATIONAL"), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "adopted_on >= '2015-10-01'", name=op.f("ck_open_data_charter_adopters_after_launch")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_open_data_charter_adopters_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_charter_adopters")),
        sa.UniqueConstraint(
            "country_id",
            "government",
            name=op.f("uq_open_data_charter_adopters_country_id_government"),
        ),
    )
    op.create_index(
        "uq_open_data_charter_adopters_national",
        "open_data_charter_adopters",
        ["country_id"],
        unique=True,
        sqlite_where=sa.text("level = 'NATIONAL'"),
        postgresql_where=sa.text("level = 'NATIONAL'"),
    )
    op.execute(
        """
        INSERT INTO open_data_charter_adopters (country_id, government, level, adopted_on)
        SELECT a.country_id,
               substr(CASE WHEN a.level = 'NATIONAL' THEN 'Government of ' || c.name
                           ELSE 'Subnational government of ' || c.name END, 1, 200),
               CASE WHEN a.level = 'NATIONAL' THEN 'NATIONAL' ELSE 'SUBNATIONAL' END,
               CASE WHEN a.adopted_on < '2015-10-01' THEN '2015-10-01' ELSE a.adopted_on END
        FROM open_data_charter_adoptions a JOIN countries c ON c.id = a.country_id
        ORDER BY a.id
        """
    )
    op.drop_table("open_data_charter_adoptions")

    op.create_table(
        "open_data_portals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column(
            "platform",
            _enum(
                "platform",
                "CKAN",
                "DKAN",
                "SOCRATA",
                "OPENDATASOFT",
                "ARCGIS_HUB",
                "UDATA",
                "JUNAR",
                "CUSTOM",
                "OTHER",
            ),
            nullable=False,
        ),
        sa.Column("dataset_count", sa.Integer(), nullable=True),
        sa.Column("has_api", sa.Boolean(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "dataset_count IS NULL OR dataset_count >= 0",
            name=op.f("ck_open_data_portals_count_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_open_data_portals_country_id_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_portals")),
        sa.UniqueConstraint("id", "country_id", name=op.f("uq_open_data_portals_id_country_id")),
        sa.UniqueConstraint("url", name=op.f("uq_open_data_portals_url")),
    )
    op.create_index(
        op.f("ix_open_data_portals_country_id"), "open_data_portals", ["country_id"], unique=False
    )

    op.create_table(
        "open_data_high_value_datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("portal_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "category",
            _enum(
                "category",
                "GEOSPATIAL",
                "EARTH_OBSERVATION_ENVIRONMENT",
                "METEOROLOGICAL",
                "STATISTICS",
                "COMPANIES_AND_COMPANY_OWNERSHIP",
                "MOBILITY",
            ),
            nullable=False,
        ),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("machine_readable", sa.Boolean(), nullable=False),
        sa.Column("non_proprietary_format", sa.Boolean(), nullable=False),
        sa.Column("metadata_available", sa.Boolean(), nullable=False),
        sa.Column("download_or_api", sa.Boolean(), nullable=False),
        sa.Column("open_licence", sa.Boolean(), nullable=False),
        sa.Column("licence", sa.String(length=200), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("last_updated_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "last_updated_on IS NULL OR last_updated_on <= checked_on",
            name=op.f("ck_open_data_high_value_datasets_updated_before_check"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_open_data_high_value_datasets_country_id_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["portal_id", "country_id"],
            ["open_data_portals.id", "open_data_portals.country_id"],
            name="fk_open_data_high_value_datasets_portal_country",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_high_value_datasets")),
        sa.UniqueConstraint("url", name=op.f("uq_open_data_high_value_datasets_url")),
    )
    op.create_index(
        "ix_open_data_high_value_datasets_country_id_category",
        "open_data_high_value_datasets",
        ["country_id", "category"],
        unique=False,
    )
    op.create_index(
        op.f("ix_open_data_high_value_datasets_portal_id"),
        "open_data_high_value_datasets",
        ["portal_id"],
        unique=False,
    )

    op.create_table(
        "open_data_odin_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("overall", sa.Double(), nullable=False),
        sa.Column("coverage", sa.Double(), nullable=False),
        sa.Column("openness", sa.Double(), nullable=False),
        sa.Column("methodology_version", sa.String(length=100), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "overall >= 0 AND overall <= 100", name=op.f("ck_open_data_odin_scores_overall_range")
        ),
        sa.CheckConstraint(
            "coverage >= 0 AND coverage <= 100",
            name=op.f("ck_open_data_odin_scores_coverage_range"),
        ),
        sa.CheckConstraint(
            "openness >= 0 AND openness <= 100",
            name=op.f("ck_open_data_odin_scores_openness_range"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_open_data_odin_scores_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_odin_scores")),
        sa.UniqueConstraint(
            "country_id", "edition", name=op.f("uq_open_data_odin_scores_country_id_edition")
        ),
    )


def downgrade() -> None:
    op.drop_table("open_data_odin_scores")
    op.drop_table("open_data_high_value_datasets")
    op.drop_table("open_data_portals")
    op.create_table(
        "open_data_charter_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column("level", _enum("level", "NATIONAL", "LOCAL"), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_open_data_charter_adoptions_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_charter_adoptions")),
        sa.UniqueConstraint("country_id", name=op.f("uq_open_data_charter_adoptions_country_id")),
    )
    op.execute(
        """
        INSERT INTO open_data_charter_adoptions (country_id, adopted_on, level)
        SELECT country_id, adopted_on, CASE WHEN level = 'NATIONAL' THEN 'NATIONAL' ELSE 'LOCAL' END
        FROM (
            SELECT country_id, adopted_on, level,
                   row_number() OVER (
                       PARTITION BY country_id
                       ORDER BY CASE WHEN level = 'NATIONAL' THEN 0 ELSE 1 END, adopted_on, id
                   ) AS pick
            FROM open_data_charter_adopters
        ) ranked
        WHERE pick = 1
        """
    )
    op.drop_index("uq_open_data_charter_adopters_national", table_name="open_data_charter_adopters")
    op.drop_table("open_data_charter_adopters")
