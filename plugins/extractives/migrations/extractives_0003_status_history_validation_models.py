"""Extractive industry transparency: EITI status history, suspension reasons, the earlier
Validation model, per-Requirement assessments, and the source convention.

- `extractives_eiti_status`: DELISTED joins the statuses; `suspension_reason`; `source_url`,
  `retrieved_on`, `illustrative`. Existing rows are kept; as they carry no retrieval date they
  are marked illustrative (correct them with eitiMembershipRecord, giving the source), and their
  suspension reason stays unrecorded (null).
- `extractives_eiti_status_history` (new): dated status changes with the Board decision.
- `extractives_validations`: EITI_2016 and the progress-model assessments; scores become
  optional (the progress model had none) under CHECK `scores_fit_model`; `board_decision`,
  `effectiveness_points`, `retrieved_on`, `illustrative`. Existing rows keep their scores and
  source URL and are marked illustrative (no retrieval date was recorded).
- `extractives_requirement_assessments` (new): one row per numbered Requirement of a Validation.
- `extractives_projects`: `operator_since`, `source_url`, `retrieved_on`, `illustrative`
  (existing rows: illustrative, no source recorded).

Revision ID: extractives_0003
Revises: extractives_0002
Create Date: 2026-11-30
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "extractives_0003"
down_revision: str | Sequence[str] | None = "extractives_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("IMPLEMENTING", "SUSPENDED", "WITHDRAWN", "DELISTED")
REASONS = ("MISSED_DEADLINE", "VALIDATION_OUTCOME", "TEMPORARY")
STANDARDS = ("EITI_2016", "EITI_2019", "EITI_2023")
SCORED = ("VERY_HIGH", "HIGH", "MODERATE", "FAIRLY_LOW", "LOW")
PROGRESS = ("SATISFACTORY_PROGRESS", "MEANINGFUL_PROGRESS", "INADEQUATE_PROGRESS", "NO_PROGRESS")
LEVELS = (
    "EXCEEDED",
    "FULLY_MET",
    "MOSTLY_MET",
    "PARTLY_MET",
    "NOT_MET",
    "BEYOND",
    *PROGRESS,
    "NOT_APPLICABLE",
)
SCORES = ("stakeholder_engagement", "transparency", "outcomes_and_impact", "overall_score")
SOURCED = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
REASON_IFF_SUSPENDED = (
    "(status = 'SUSPENDED' AND suspension_reason IS NOT NULL) "
    "OR (status <> 'SUSPENDED' AND suspension_reason IS NULL)"
)
_SCORED = ", ".join(f"'{a}'" for a in SCORED)
SCORES_FIT_MODEL = (
    f"(overall_assessment IN ({_SCORED}) AND "
    + " AND ".join(f"{c} IS NOT NULL" for c in SCORES)
    + f") OR (overall_assessment NOT IN ({_SCORED}) AND "
    + " AND ".join(f"{c} IS NULL" for c in (*SCORES, "effectiveness_points"))
    + ")"
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _plain(length: int = 32) -> sa.String:
    return sa.String(length=length)


def _sourcing_columns(batch_op: object, *, with_url: bool = True) -> None:
    if with_url:
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))  # type: ignore[attr-defined]
    batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))  # type: ignore[attr-defined]
    batch_op.add_column(  # type: ignore[attr-defined]
        sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def _mark_illustrative(table: str) -> None:
    t = sa.table(table, sa.column("illustrative", sa.Boolean()))
    op.execute(t.update().values(illustrative=True))


def _children_aside(*children: str) -> Callable[[], None]:
    """SQLite: batch mode copies a table and drops the old one, and the drop's implicit DELETE
    fails while rows of other tables reference it (PRAGMA foreign_keys cannot change inside the
    migration's transaction). The referencing rows step aside into temporary tables; call the
    returned function to bring them back, unchanged, once the parent is rebuilt. Elsewhere:
    nothing to do."""
    if op.get_context().dialect.name != "sqlite":
        return lambda: None
    for child in children:
        op.execute(f'CREATE TEMP TABLE "aside_{child}" AS SELECT * FROM "{child}"')
        op.execute(f'DELETE FROM "{child}"')

    def restore() -> None:
        for child in children:
            op.execute(f'INSERT INTO "{child}" SELECT * FROM "aside_{child}"')
            op.execute(f'DROP TABLE "aside_{child}"')

    return restore


def upgrade() -> None:
    # --- memberships: DELISTED, a suspension reason, the source convention ---
    restore = _children_aside("extractives_validations")
    with op.batch_alter_table("extractives_eiti_status") as batch_op:
        batch_op.drop_constraint(op.f("ck_extractives_eiti_status_status"), type_="check")
        batch_op.add_column(sa.Column("suspension_reason", _plain(), nullable=True))
        _sourcing_columns(batch_op)
    _mark_illustrative("extractives_eiti_status")
    with op.batch_alter_table("extractives_eiti_status") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_extractives_eiti_status_status"),
            "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")",
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_eiti_status_suspension_reason"),
            "suspension_reason IN (" + ", ".join(f"'{r}'" for r in REASONS) + ")",
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_eiti_status_reason_only_if_suspended"),
            "suspension_reason IS NULL OR status = 'SUSPENDED'",
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_eiti_status_sourced_or_illustrative"), SOURCED
        )
    restore()

    op.create_table(
        "extractives_eiti_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum("status", *STATUSES), nullable=False),
        sa.Column("suspension_reason", _enum("suspension_reason", *REASONS), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("board_decision", sa.String(length=100), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("retrieved_on", sa.Date(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            REASON_IFF_SUSPENDED,
            name=op.f("ck_extractives_eiti_status_history_reason_iff_suspended"),
        ),
        sa.CheckConstraint(
            SOURCED, name=op.f("ck_extractives_eiti_status_history_sourced_or_illustrative")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["extractives_eiti_status.country_id"],
            name=op.f("fk_extractives_eiti_status_history_membership"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_eiti_status_history")),
        sa.UniqueConstraint(
            "country_id",
            "effective_on",
            name=op.f("uq_extractives_eiti_status_history_country_id_effective_on"),
        ),
    )

    # --- Validations: the progress model, Board decisions, the source convention ---
    with op.batch_alter_table("extractives_validations") as batch_op:
        batch_op.drop_constraint(op.f("ck_extractives_validations_standard"), type_="check")
        batch_op.drop_constraint(
            op.f("ck_extractives_validations_overall_assessment"), type_="check"
        )
        for score in SCORES:
            batch_op.alter_column(score, existing_type=sa.Double(), nullable=True)
        batch_op.add_column(sa.Column("board_decision", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("effectiveness_points", sa.Double(), nullable=True))
        _sourcing_columns(batch_op, with_url=False)
    _mark_illustrative("extractives_validations")
    with op.batch_alter_table("extractives_validations") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_standard"),
            "standard IN (" + ", ".join(f"'{s}'" for s in STANDARDS) + ")",
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_overall_assessment"),
            "overall_assessment IN (" + ", ".join(f"'{a}'" for a in SCORED + PROGRESS) + ")",
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_effectiveness_points_range"),
            "effectiveness_points IS NULL OR effectiveness_points >= 0",
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_scores_fit_model"), SCORES_FIT_MODEL
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_sourced_or_illustrative"), SOURCED
        )

    op.create_table(
        "extractives_requirement_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("validation_id", sa.Integer(), nullable=False),
        sa.Column("requirement", sa.String(length=10), nullable=False),
        sa.Column("level", _enum("level", *LEVELS), nullable=False),
        sa.ForeignKeyConstraint(
            ["validation_id"],
            ["extractives_validations.id"],
            name=op.f("fk_extractives_requirement_assessments_validation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractives_requirement_assessments")),
        sa.UniqueConstraint(
            "validation_id",
            "requirement",
            name=op.f("uq_extractives_requirement_assessments_validation_id_requirement"),
        ),
    )
    op.create_index(
        op.f("ix_extractives_requirement_assessments_validation_id"),
        "extractives_requirement_assessments",
        ["validation_id"],
    )

    # --- projects: the operator's date and the source convention ---
    restore = _children_aside("extractives_contract_disclosures")
    with op.batch_alter_table("extractives_projects") as batch_op:
        batch_op.add_column(sa.Column("operator_since", sa.Date(), nullable=True))
        _sourcing_columns(batch_op)
    _mark_illustrative("extractives_projects")
    with op.batch_alter_table("extractives_projects") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_extractives_projects_sourced_or_illustrative"), SOURCED
        )
    restore()


def downgrade() -> None:
    """Back to 0002: the history, the per-Requirement assessments and the progress-model
    Validations (which 0002 cannot hold: no scores) are dropped; DELISTED memberships become
    WITHDRAWN."""
    restore = _children_aside("extractives_contract_disclosures")
    with op.batch_alter_table("extractives_projects") as batch_op:
        batch_op.drop_constraint(
            op.f("ck_extractives_projects_sourced_or_illustrative"), type_="check"
        )
        for column in ("illustrative", "retrieved_on", "source_url", "operator_since"):
            batch_op.drop_column(column)
    restore()
    op.drop_table("extractives_requirement_assessments")
    op.execute(
        "DELETE FROM extractives_validations WHERE overall_assessment IN ("
        + ", ".join(f"'{a}'" for a in PROGRESS)
        + ")"
    )
    with op.batch_alter_table("extractives_validations") as batch_op:
        for name in (
            "sourced_or_illustrative",
            "scores_fit_model",
            "effectiveness_points_range",
            "overall_assessment",
            "standard",
        ):
            batch_op.drop_constraint(op.f(f"ck_extractives_validations_{name}"), type_="check")
        for column in ("illustrative", "retrieved_on", "effectiveness_points", "board_decision"):
            batch_op.drop_column(column)
        for score in SCORES:
            batch_op.alter_column(score, existing_type=sa.Double(), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_standard"), "standard IN ('EITI_2019', 'EITI_2023')"
        )
        batch_op.create_check_constraint(
            op.f("ck_extractives_validations_overall_assessment"),
            "overall_assessment IN (" + ", ".join(f"'{a}'" for a in SCORED) + ")",
        )
    op.drop_table("extractives_eiti_status_history")
    op.execute("UPDATE extractives_eiti_status SET status = 'WITHDRAWN' WHERE status = 'DELISTED'")
    restore = _children_aside("extractives_validations")
    with op.batch_alter_table("extractives_eiti_status") as batch_op:
        for name in (
            "sourced_or_illustrative",
            "reason_only_if_suspended",
            "suspension_reason",
            "status",
        ):
            batch_op.drop_constraint(op.f(f"ck_extractives_eiti_status_{name}"), type_="check")
        for column in ("illustrative", "retrieved_on", "source_url", "suspension_reason"):
            batch_op.drop_column(column)
        batch_op.create_check_constraint(
            op.f("ck_extractives_eiti_status_status"),
            "status IN ('IMPLEMENTING', 'SUSPENDED', 'WITHDRAWN')",
        )
    restore()
