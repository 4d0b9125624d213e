"""Action plans, commitments (themes, linked groups, evidence records), milestones and IRM
assessments (issue 10, section 3): core/commitments/models.py gives each table's meaning and
sources.

Revision ID: core_0015
Revises: core_0014
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0015"
down_revision: str | Sequence[str] | None = "core_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)
FIRST_COHORT = 2011
TOPIC_CHECKS = {
    "sqlite": (
        "length(topic) BETWEEN 1 AND 64 AND topic NOT GLOB '*[^a-z0-9-]*' "
        "AND topic NOT LIKE '-%' AND topic NOT LIKE '%-' AND topic NOT LIKE '%--%'"
    ),
    "postgresql": "length(topic) <= 64 AND topic ~ '^[a-z0-9]+(-[a-z0-9]+)*$'",
}
"""core.topics.TOPIC_CHECKS as of this revision."""
SOURCED_OR_ILLUSTRATIVE = "illustrative OR source_url IS NOT NULL"
PLAN_FIXED = "ck_commitments_plan_fixed"
SQLITE_PLAN_FIXED = (
    f"CREATE TRIGGER {PLAN_FIXED} BEFORE UPDATE OF action_plan_id ON commitments "
    "WHEN NEW.action_plan_id <> OLD.action_plan_id "
    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {PLAN_FIXED}'); END"
)
POSTGRESQL_PLAN_FIXED = (
    f"CREATE FUNCTION {PLAN_FIXED}() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN "
    "RAISE EXCEPTION 'a commitment stays in the action plan it was made in' "
    f"USING ERRCODE = 'check_violation', CONSTRAINT = '{PLAN_FIXED}'; END$$",
    f"CREATE TRIGGER {PLAN_FIXED} BEFORE UPDATE OF action_plan_id ON commitments FOR EACH ROW "
    f"WHEN (NEW.action_plan_id <> OLD.action_plan_id) EXECUTE FUNCTION {PLAN_FIXED}()",
)
"""A commitment stays in the plan it was made in: its reference, milestones, assessment and
evidence are that plan's (the trigger names the rule as a CHECK would, for core.transactions)."""


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _person(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["people.id"], name=op.f(f"fk_{table}_{column}_people"), ondelete="SET NULL"
    )


def _commitment(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["commitment_id"],
        ["commitments.id"],
        name=op.f(f"fk_{table}_commitment_id_commitments"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("cycle_start", sa.Date(), nullable=False),
        sa.Column("cycle_end", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by_person_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("cycle_end > cycle_start", name=op.f("ck_action_plans_cycle_order")),
        sa.CheckConstraint(f"cohort >= {FIRST_COHORT}", name=op.f("ck_action_plans_cohort_range")),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_action_plans_title_present")),
        sa.CheckConstraint(
            SOURCED_OR_ILLUSTRATIVE, name=op.f("ck_action_plans_sourced_or_illustrative")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_action_plans_country_id_countries")
        ),
        _person("created_by_person_id", "action_plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
    )
    op.create_index(
        "uq_action_plans_country_id_cycle_start",
        "action_plans",
        ["country_id", "cycle_start"],
        unique=True,
    )
    op.create_index("ix_action_plans_cohort_id", "action_plans", ["cohort", "id"])
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_plan_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lead_institution", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint(
            "length(trim(reference)) > 0", name=op.f("ck_commitments_reference_present")
        ),
        sa.CheckConstraint(
            SOURCED_OR_ILLUSTRATIVE, name=op.f("ck_commitments_sourced_or_illustrative")
        ),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_commitments_title_present")),
        sa.CheckConstraint("position >= 1", name=op.f("ck_commitments_position_positive")),
        sa.ForeignKeyConstraint(
            ["action_plan_id"],
            ["action_plans.id"],
            name=op.f("fk_commitments_action_plan_id_action_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    op.create_index(
        "uq_commitments_action_plan_id_reference",
        "commitments",
        ["action_plan_id", "reference"],
        unique=True,
    )
    op.create_index(
        "ix_commitments_action_plan_id_position_id",
        "commitments",
        ["action_plan_id", "position", "id"],
    )
    if dialect == "sqlite":
        op.execute(SQLITE_PLAN_FIXED)
    else:
        for statement in POSTGRESQL_PLAN_FIXED:
            op.execute(statement)
    op.create_table(
        "commitment_topics",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.CheckConstraint(TOPIC_CHECKS[dialect], name=op.f("ck_commitment_topics_topic")),
        _commitment("commitment_topics"),
        sa.PrimaryKeyConstraint("commitment_id", "topic", name=op.f("pk_commitment_topics")),
    )
    op.create_index("ix_commitment_topics_topic", "commitment_topics", ["topic"])
    op.create_table(
        "commitment_groups",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", UTC, nullable=False),
        sa.Column("linked_by_person_id", sa.Integer(), nullable=True),
        _commitment("commitment_groups"),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_commitment_groups_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        _person("linked_by_person_id", "commitment_groups"),
        sa.PrimaryKeyConstraint("commitment_id", "group_id", name=op.f("pk_commitment_groups")),
    )
    op.create_index(
        "ix_commitment_groups_group_id_commitment_id",
        "commitment_groups",
        ["group_id", "commitment_id"],
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            _enum("status", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE"),
            nullable=False,
        ),
        sa.Column("status_updated_at", UTC, nullable=True),
        sa.Column("status_updated_by_person_id", sa.Integer(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_milestones_title_present")),
        sa.CheckConstraint("position >= 1", name=op.f("ck_milestones_position_positive")),
        _commitment("milestones"),
        _person("status_updated_by_person_id", "milestones"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    op.create_index(
        "ix_milestones_commitment_id_position_id",
        "milestones",
        ["commitment_id", "position", "id"],
    )
    op.create_table(
        "irm_assessments",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("verifiable", sa.Boolean(), nullable=True),
        sa.Column("access_to_information", sa.Boolean(), nullable=False),
        sa.Column("civic_participation", sa.Boolean(), nullable=False),
        sa.Column("public_accountability", sa.Boolean(), nullable=False),
        sa.Column("technology_and_innovation", sa.Boolean(), nullable=False),
        sa.Column(
            "potential_for_results",
            _enum("potential_for_results", "UNCLEAR", "MODEST", "SUBSTANTIAL"),
            nullable=True,
        ),
        sa.Column(
            "potential_impact",
            _enum("potential_impact", "NONE", "MINOR", "MODERATE", "TRANSFORMATIVE"),
            nullable=True,
        ),
        sa.Column(
            "completion",
            _enum("completion", "NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE"),
            nullable=True,
        ),
        sa.Column(
            "did_it_open_government",
            _enum(
                "did_it_open_government",
                "WORSENED",
                "DID_NOT_CHANGE",
                "MARGINAL",
                "MAJOR",
                "OUTSTANDING",
            ),
            nullable=True,
        ),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.Column("recorded_by_person_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "potential_for_results IS NULL OR potential_impact IS NULL",
            name=op.f("ck_irm_assessments_one_potential_scale"),
        ),
        sa.CheckConstraint(
            "length(trim(source_title)) > 0", name=op.f("ck_irm_assessments_source_present")
        ),
        sa.CheckConstraint(
            SOURCED_OR_ILLUSTRATIVE, name=op.f("ck_irm_assessments_sourced_or_illustrative")
        ),
        _commitment("irm_assessments"),
        _person("recorded_by_person_id", "irm_assessments"),
        sa.PrimaryKeyConstraint("commitment_id", name=op.f("pk_irm_assessments")),
    )
    op.create_table(
        "commitment_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("added_by_person_id", sa.Integer(), nullable=True),
        sa.Column("added_at", UTC, nullable=False),
        sa.CheckConstraint(
            "length(trim(record_type)) > 0",
            name=op.f("ck_commitment_evidence_record_type_present"),
        ),
        _commitment("commitment_evidence"),
        _person("added_by_person_id", "commitment_evidence"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_evidence")),
    )
    op.create_index(
        "uq_commitment_evidence_commitment_id_record_id",
        "commitment_evidence",
        ["commitment_id", "record_id"],
        unique=True,
    )
    op.create_index("ix_commitment_evidence_record_id", "commitment_evidence", ["record_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {PLAN_FIXED}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {PLAN_FIXED} ON commitments")
        op.execute(f"DROP FUNCTION IF EXISTS {PLAN_FIXED}()")
    op.drop_table("commitment_evidence")
    op.drop_table("irm_assessments")
    op.drop_table("milestones")
    op.drop_table("commitment_groups")
    op.drop_table("commitment_topics")
    op.drop_table("commitments")
    op.drop_table("action_plans")
