"""Extractive industry transparency: EITI Validations, projects, contract and beneficial ownership
disclosures.

Adds four tables next to `extractives_eiti_status` (kept as it is, with its rows): a Validation
references the membership row, so only EITI countries can be validated.

Revision ID: extractives_0002
Revises: extractives_0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "extractives_0002"
down_revision: str | Sequence[str] | None = "extractives_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "core_0002"

COMMODITIES = (
    "OIL",
    "GAS",
    "COAL",
    "COPPER",
    "GOLD",
    "SILVER",
    "IRON_ORE",
    "BAUXITE",
    "NICKEL",
    "ZINC",
    "LEAD",
    "TIN",
    "COBALT",
    "LITHIUM",
    "MANGANESE",
    "URANIUM",
    "DIAMONDS",
    "PHOSPHATE",
    "OTHER",
)
SCORES = ("stakeholder_engagement", "transparency", "outcomes_and_impact", "overall_score")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "extractives_validations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("standard", _enum("standard", "EITI_2019", "EITI_2023"), nullable=False),
        *(sa.Column(score, sa.Double(), nullable=False) for score in SCORES),
        sa.Column(
            "overall_assessment",
            _enum("overall_assessment", "VERY_HIGH", "HIGH", "MODERATE", "FAIRLY_LOW", "LOW"),
            nullable=False,
        ),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        *(
            sa.CheckConstraint(
                f"{score} >= 0 AND {score} <= 100",
                name=op.f(f"ck_extractives_validations_{score}_range"),
            )
            for score in SCORES
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["extractives_eiti_status.country_id"],
            name=op.f("fk_extractives_validations_country_id_extractives_eiti_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_validations")),
        sa.UniqueConstraint(
            "country_id",
            "decided_on",
            name=op.f("uq_extractives_validations_country_id_decided_on"),
        ),
    )

    op.create_table(
        "extractives_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("commodity", _enum("commodity", *COMMODITIES), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("license_reference", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_extractives_projects_country_id_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["organizations.id"],
            name=op.f("fk_extractives_projects_operator_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_projects")),
        sa.UniqueConstraint(
            "country_id", "name", name=op.f("uq_extractives_projects_country_id_name")
        ),
    )
    op.create_index("ix_extractives_projects_name_id", "extractives_projects", ["name", "id"])
    op.create_index(
        op.f("ix_extractives_projects_operator_id"), "extractives_projects", ["operator_id"]
    )

    op.create_table(
        "extractives_contract_disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", _enum("kind", "CONTRACT", "LICENSE"), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "signed_on IS NULL OR signed_on <= disclosed_on",
            name=op.f("ck_extractives_contract_disclosures_signed_first"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_extractives_contract_disclosures_country_id_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["extractives_projects.id"],
            name=op.f("fk_extractives_contract_disclosures_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_contract_disclosures")),
        sa.UniqueConstraint(
            "country_id", "url", name=op.f("uq_extractives_contract_disclosures_country_id_url")
        ),
    )
    op.create_index(
        "ix_extractives_contract_disclosures_disclosed_on_id",
        "extractives_contract_disclosures",
        ["disclosed_on", "id"],
    )
    op.create_index(
        op.f("ix_extractives_contract_disclosures_project_id"),
        "extractives_contract_disclosures",
        ["project_id"],
    )

    op.create_table(
        "extractives_beneficial_owners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("owner_name", sa.String(length=300), nullable=False),
        sa.Column("politically_exposed", sa.Boolean(), nullable=False),
        sa.Column("ownership_percent", sa.Double(), nullable=True),
        sa.Column("interest_since", sa.Date(), nullable=True),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "ownership_percent IS NULL OR (ownership_percent > 0 AND ownership_percent <= 100)",
            name=op.f("ck_extractives_beneficial_owners_ownership_range"),
        ),
        sa.CheckConstraint(
            "interest_since IS NULL OR interest_since <= disclosed_on",
            name=op.f("ck_extractives_beneficial_owners_interest_first"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_extractives_beneficial_owners_country_id_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organizations.id"],
            name=op.f("fk_extractives_beneficial_owners_company_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_beneficial_owners")),
        sa.UniqueConstraint(
            "country_id",
            "company_id",
            "owner_name",
            "disclosed_on",
            name=op.f("uq_extractives_beneficial_owners_disclosure"),
        ),
    )
    op.create_index(
        op.f("ix_extractives_beneficial_owners_company_id"),
        "extractives_beneficial_owners",
        ["company_id"],
    )
    op.create_index(
        "ix_extractives_beneficial_owners_disclosed_on_id",
        "extractives_beneficial_owners",
        ["disclosed_on", "id"],
    )


def downgrade() -> None:
    op.drop_table("extractives_beneficial_owners")
    op.drop_table("extractives_contract_disclosures")
    op.drop_table("extractives_projects")
    op.drop_table("extractives_validations")
