"""Open Budget Survey results, key budget documents, commitments and GIFT principles.

Supersedes the Open Budget Index table of fiscal_openness_0001: its rows are copied into
`fiscal_openness_surveys` (transparency score only; methodology 'OBS <edition>', IBP's survey page
as source, and a note saying where they came from), then the old table is dropped. The downgrade
copies the transparency scores back.

Revision ID: fiscal_openness_0002
Revises: fiscal_openness_0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fiscal_openness_0002"
down_revision: str | Sequence[str] | None = "fiscal_openness_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "core_0002"

OBS_URL = "https://internationalbudget.org/open-budget-survey"
MIGRATED = "Open Budget Index migrated from revision fiscal_openness_0001."


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _score_range(measure: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{measure}_score BETWEEN 0 AND 100",
        name=op.f(f"ck_fiscal_openness_surveys_{measure}_range"),
    )


def upgrade() -> None:
    op.create_table(
        "fiscal_openness_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("transparency_score", sa.Integer(), nullable=False),
        sa.Column("participation_score", sa.Integer(), nullable=True),
        sa.Column("oversight_score", sa.Integer(), nullable=True),
        sa.Column("methodology_version", sa.String(length=100), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "edition >= 2006", name=op.f("ck_fiscal_openness_surveys_edition_range")
        ),
        _score_range("transparency"),
        _score_range("participation"),
        _score_range("oversight"),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_fiscal_openness_surveys_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_openness_surveys")),
        sa.UniqueConstraint(
            "country_id", "edition", name=op.f("uq_fiscal_openness_surveys_country_id_edition")
        ),
    )
    op.create_table(
        "fiscal_openness_budget_docs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "kind",
                "PRE_BUDGET_STATEMENT",
                "EXECUTIVES_BUDGET_PROPOSAL",
                "ENACTED_BUDGET",
                "CITIZENS_BUDGET",
                "IN_YEAR_REPORTS",
                "MID_YEAR_REVIEW",
                "YEAR_END_REPORT",
                "AUDIT_REPORT",
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            _enum(
                "status",
                "PUBLICLY_AVAILABLE",
                "PUBLISHED_LATE",
                "INTERNAL_USE_ONLY",
                "NOT_PRODUCED",
            ),
            nullable=False,
        ),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "fiscal_year >= 1990", name=op.f("ck_fiscal_openness_budget_docs_fiscal_year_range")
        ),
        sa.CheckConstraint(
            "status IN ('PUBLICLY_AVAILABLE', 'PUBLISHED_LATE') "
            "OR (published_on IS NULL AND url IS NULL)",
            name=op.f("ck_fiscal_openness_budget_docs_unpublished_no_date"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_fiscal_openness_budget_docs_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_openness_budget_docs")),
        sa.UniqueConstraint(
            "country_id",
            "fiscal_year",
            "kind",
            name=op.f("uq_fiscal_openness_budget_docs_country_id_fiscal_year_kind"),
        ),
    )
    op.create_table(
        "fiscal_openness_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("kind", "PRIORITY_AREA", "ACTION_PLAN_COMMITMENT"), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=50), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "kind = 'PRIORITY_AREA' OR country_id IS NOT NULL",
            name=op.f("ck_fiscal_openness_commitments_commitment_has_country"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_fiscal_openness_commitments_country_id_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_fiscal_openness_commitments_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_openness_commitments")),
    )
    with op.batch_alter_table("fiscal_openness_commitments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiscal_openness_commitments_group_id"), ["group_id"], unique=False
        )
    op.create_table(
        "fiscal_openness_commitment_principles",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column(
            "principle",
            _enum(
                "principle",
                "RIGHT_TO_FISCAL_INFORMATION",
                "AGGREGATE_FISCAL_POLICY",
                "HIGH_QUALITY_FISCAL_INFORMATION",
                "OBJECTIVES_OUTPUTS_OUTCOMES",
                "RULE_OF_LAW",
                "PRIVATE_SECTOR_RELATIONSHIPS",
                "CLARITY_OF_ROLES",
                "LEGISLATIVE_OVERSIGHT",
                "SUPREME_AUDIT_INSTITUTION",
                "PUBLIC_PARTICIPATION",
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["fiscal_openness_commitments.id"],
            name="fk_fiscal_openness_commitment_principles_commitment",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "principle", name=op.f("pk_fiscal_openness_commitment_principles")
        ),
    )

    # Keep the rows of the table this revision supersedes, then drop it.
    op.execute(
        sa.text(
            "INSERT INTO fiscal_openness_surveys (country_id, edition, transparency_score, "
            "methodology_version, source_url, note) "
            "SELECT country_id, edition, transparency_score, "
            "'OBS ' || CAST(edition AS VARCHAR(4)), :url, :note FROM fiscal_openness_obs_scores"
        ).bindparams(url=OBS_URL, note=MIGRATED)
    )
    with op.batch_alter_table("fiscal_openness_obs_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiscal_openness_obs_scores_country_id"))
    op.drop_table("fiscal_openness_obs_scores")


def downgrade() -> None:
    op.create_table(
        "fiscal_openness_obs_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("transparency_score", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "transparency_score BETWEEN 0 AND 100",
            name=op.f("ck_fiscal_openness_obs_scores_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_fiscal_openness_obs_scores_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_openness_obs_scores")),
        sa.UniqueConstraint(
            "country_id", "edition", name=op.f("uq_fiscal_openness_obs_scores_country_id_edition")
        ),
    )
    with op.batch_alter_table("fiscal_openness_obs_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiscal_openness_obs_scores_country_id"), ["country_id"], unique=False
        )
    op.execute(
        "INSERT INTO fiscal_openness_obs_scores (country_id, edition, transparency_score) "
        "SELECT country_id, edition, transparency_score FROM fiscal_openness_surveys"
    )
    op.drop_table("fiscal_openness_commitment_principles")
    with op.batch_alter_table("fiscal_openness_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiscal_openness_commitments_group_id"))
    op.drop_table("fiscal_openness_commitments")
    op.drop_table("fiscal_openness_budget_docs")
    op.drop_table("fiscal_openness_surveys")
