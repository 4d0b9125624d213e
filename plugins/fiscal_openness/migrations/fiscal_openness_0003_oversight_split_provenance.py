"""Open Budget Survey: legislative and audit oversight, the comparable transparency series, key
documents available in print only, and where every row's values come from.

Surveys: new nullable scores `legislative_oversight_score`, `audit_oversight_score` and
`comparable_transparency_score`; the old `oversight_score` is kept as the composite score of the
editions that published one. Surveys, budget documents and commitments: `source_url` (now
nullable on surveys), `retrieved_on` and `illustrative`, with the CHECK `sourced_or_illustrative`.
On SQLite the commitments' principles are set aside while the commitments table is recreated
(dropping the old table would cascade to them: foreign keys stay on in the migration's
transaction). Existing rows carry no
retrieval date (the column is new), so they are marked illustrative unless they carry both a source
and a date. Budget documents: the status PRINT_ONLY (a date but no URL).

The downgrade drops the new columns (the split and comparable scores are lost), gives surveys
without a source IBP's survey page, and records a PRINT_ONLY document as INTERNAL_USE_ONLY without
its date (the old statuses cannot say "in print only").

Revision ID: fiscal_openness_0003
Revises: fiscal_openness_0002
Create Date: 2026-11-30
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "fiscal_openness_0003"
down_revision: str | Sequence[str] | None = "fiscal_openness_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OBS_URL = "https://internationalbudget.org/open-budget-survey"
SURVEYS, DOCUMENTS = "fiscal_openness_surveys", "fiscal_openness_budget_docs"
COMMITMENTS = "fiscal_openness_commitments"
PRINCIPLES = "fiscal_openness_commitment_principles"
NEW_SCORES = ("comparable_transparency", "legislative_oversight", "audit_oversight")
SOURCED_OR_ILLUSTRATIVE = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
OLD_STATUSES = ("PUBLICLY_AVAILABLE", "PUBLISHED_LATE", "INTERNAL_USE_ONLY", "NOT_PRODUCED")
NEW_STATUSES = ("PUBLICLY_AVAILABLE", "PUBLISHED_LATE", "PRINT_ONLY", "INTERNAL_USE_ONLY", "NOT_PRODUCED")  # fmt: skip
OLD_UNPUBLISHED = (
    "status IN ('PUBLICLY_AVAILABLE', 'PUBLISHED_LATE') OR (published_on IS NULL AND url IS NULL)"
)
NEW_UNPUBLISHED = (
    "status IN ('PUBLICLY_AVAILABLE', 'PUBLISHED_LATE') "
    "OR (url IS NULL AND (status = 'PRINT_ONLY' OR published_on IS NULL))"
)


def _in(values: Sequence[str]) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _provenance_columns(batch_op: BatchOperations, *, with_source: bool) -> None:
    if with_source:
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
    batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
    batch_op.add_column(
        sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def _mark_illustrative(table: str) -> None:
    op.execute(
        sa.text(
            f"UPDATE {table} SET illustrative = "
            "CASE WHEN source_url IS NOT NULL AND retrieved_on IS NOT NULL THEN :no ELSE :yes END"
        ).bindparams(yes=True, no=False)
    )


@contextmanager
def _principles_set_aside() -> Iterator[None]:
    """On SQLite, keep the commitments' principles aside while the commitments table is
    recreated: dropping the old one would delete them (ON DELETE CASCADE)."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    op.execute(f"CREATE TEMPORARY TABLE kept_principles AS SELECT * FROM {PRINCIPLES}")
    op.execute(f"DELETE FROM {PRINCIPLES}")
    yield
    op.execute(f"INSERT INTO {PRINCIPLES} SELECT * FROM kept_principles")
    op.execute("DROP TABLE kept_principles")


def upgrade() -> None:
    with op.batch_alter_table(SURVEYS) as batch_op:
        for name in NEW_SCORES:
            batch_op.add_column(sa.Column(f"{name}_score", sa.Integer(), nullable=True))
            batch_op.create_check_constraint(
                op.f(f"ck_{SURVEYS}_{name}_range"), f"{name}_score BETWEEN 0 AND 100"
            )
        batch_op.alter_column("source_url", existing_type=sa.String(length=500), nullable=True)
        _provenance_columns(batch_op, with_source=False)
    _mark_illustrative(SURVEYS)
    with op.batch_alter_table(SURVEYS) as batch_op:
        batch_op.create_check_constraint(
            op.f(f"ck_{SURVEYS}_sourced_or_illustrative"), SOURCED_OR_ILLUSTRATIVE
        )

    with op.batch_alter_table(DOCUMENTS) as batch_op:
        _provenance_columns(batch_op, with_source=True)
        batch_op.drop_constraint(op.f(f"ck_{DOCUMENTS}_status"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{DOCUMENTS}_unpublished_no_date"), type_="check")
    _mark_illustrative(DOCUMENTS)
    with op.batch_alter_table(DOCUMENTS) as batch_op:
        batch_op.create_check_constraint(op.f(f"ck_{DOCUMENTS}_status"), _in(NEW_STATUSES))
        batch_op.create_check_constraint(
            op.f(f"ck_{DOCUMENTS}_unpublished_no_date"), NEW_UNPUBLISHED
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{DOCUMENTS}_sourced_or_illustrative"), SOURCED_OR_ILLUSTRATIVE
        )

    with _principles_set_aside():
        with op.batch_alter_table(COMMITMENTS) as batch_op:
            _provenance_columns(batch_op, with_source=True)
        _mark_illustrative(COMMITMENTS)
        with op.batch_alter_table(COMMITMENTS) as batch_op:
            batch_op.create_check_constraint(
                op.f(f"ck_{COMMITMENTS}_sourced_or_illustrative"), SOURCED_OR_ILLUSTRATIVE
            )


def downgrade() -> None:
    with _principles_set_aside(), op.batch_alter_table(COMMITMENTS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{COMMITMENTS}_sourced_or_illustrative"), type_="check")
        batch_op.drop_column("illustrative")
        batch_op.drop_column("retrieved_on")
        batch_op.drop_column("source_url")

    with op.batch_alter_table(DOCUMENTS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{DOCUMENTS}_sourced_or_illustrative"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{DOCUMENTS}_unpublished_no_date"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{DOCUMENTS}_status"), type_="check")
    op.execute(
        f"UPDATE {DOCUMENTS} SET status = 'INTERNAL_USE_ONLY', published_on = NULL "
        "WHERE status = 'PRINT_ONLY'"
    )
    with op.batch_alter_table(DOCUMENTS) as batch_op:
        batch_op.drop_column("illustrative")
        batch_op.drop_column("retrieved_on")
        batch_op.drop_column("source_url")
        batch_op.create_check_constraint(op.f(f"ck_{DOCUMENTS}_status"), _in(OLD_STATUSES))
        batch_op.create_check_constraint(
            op.f(f"ck_{DOCUMENTS}_unpublished_no_date"), OLD_UNPUBLISHED
        )

    with op.batch_alter_table(SURVEYS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{SURVEYS}_sourced_or_illustrative"), type_="check")
        for name in NEW_SCORES:
            batch_op.drop_constraint(op.f(f"ck_{SURVEYS}_{name}_range"), type_="check")
    op.execute(
        sa.text(f"UPDATE {SURVEYS} SET source_url = :url WHERE source_url IS NULL").bindparams(
            url=OBS_URL
        )
    )
    with op.batch_alter_table(SURVEYS) as batch_op:
        batch_op.drop_column("illustrative")
        batch_op.drop_column("retrieved_on")
        for name in NEW_SCORES:
            batch_op.drop_column(f"{name}_score")
        batch_op.alter_column("source_url", existing_type=sa.String(length=500), nullable=False)
