"""Open parliaments: the Declaration's culture-of-openness, assets, conflicts-of-interest and
budget provisions as indicators, endorsements before the launch, and the source convention.

- `open_parliaments_openness_indicators`: five more indicators (PUBLIC_OWNERSHIP,
  OPENNESS_LEGISLATION, MEMBERS_ASSETS_DISCLOSED, CONFLICTS_OF_INTEREST_DISCLOSED,
  PARLIAMENT_BUDGET_PUBLISHED); `source_url`, `retrieved_on`, `illustrative`. Existing checks
  take their evidence page as source and their check date as retrieval date; the demo's
  illustrative checks (note "(Illustrative demo data.)") are marked illustrative.
- `open_parliaments_endorsements`: the CHECK `after_launch` goes (the text circulated before
  15 September 2012, and endorsements of the draft are real); `retrieved_on`, `illustrative`.
  Existing rows carry no retrieval date: marked illustrative.
- `open_parliaments_pmos`: `source_url`, `retrieved_on`, `illustrative` (existing rows:
  illustrative, no source recorded).

Revision ID: open_parliaments_0003
Revises: open_parliaments_0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "open_parliaments_0003"
down_revision: str | Sequence[str] | None = "open_parliaments_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_INDICATORS = (
    "VOTES_PUBLISHED",
    "BILLS_AND_AMENDMENTS_ONLINE",
    "PLENARY_RECORDS",
    "COMMITTEE_RECORDS",
    "OPEN_SESSIONS",
    "MACHINE_READABLE_DATA",
    "API",
)
NEW_INDICATORS = (
    "PUBLIC_OWNERSHIP",
    "OPENNESS_LEGISLATION",
    "MEMBERS_ASSETS_DISCLOSED",
    "CONFLICTS_OF_INTEREST_DISCLOSED",
    "PARLIAMENT_BUDGET_PUBLISHED",
)
SOURCED = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
CHECKS = "open_parliaments_openness_indicators"
ENDORSEMENTS = "open_parliaments_endorsements"
PMOS = "open_parliaments_pmos"
DEMO_NOTE = "(Illustrative demo data.)"


def _in(values: Sequence[str]) -> str:
    return "indicator IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _illustrative() -> sa.Column[bool]:
    return sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table(CHECKS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{CHECKS}_indicator"), type_="check")
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(_illustrative())
    checks = sa.table(
        CHECKS,
        sa.column("evidence_url", sa.String()),
        sa.column("checked_on", sa.Date()),
        sa.column("note", sa.String()),
        sa.column("source_url", sa.String()),
        sa.column("retrieved_on", sa.Date()),
        sa.column("illustrative", sa.Boolean()),
    )
    op.execute(
        checks.update().values(source_url=checks.c.evidence_url, retrieved_on=checks.c.checked_on)
    )
    op.execute(checks.update().where(checks.c.note == DEMO_NOTE).values(illustrative=True))
    with op.batch_alter_table(CHECKS) as batch_op:
        batch_op.create_check_constraint(
            op.f(f"ck_{CHECKS}_indicator"), _in(OLD_INDICATORS + NEW_INDICATORS)
        )
        batch_op.create_check_constraint(op.f(f"ck_{CHECKS}_sourced_or_illustrative"), SOURCED)

    with op.batch_alter_table(ENDORSEMENTS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{ENDORSEMENTS}_after_launch"), type_="check")
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(_illustrative())
    op.execute(
        sa.table(ENDORSEMENTS, sa.column("illustrative", sa.Boolean()))
        .update()
        .values(illustrative=True)
    )
    with op.batch_alter_table(ENDORSEMENTS) as batch_op:
        batch_op.create_check_constraint(
            op.f(f"ck_{ENDORSEMENTS}_sourced_or_illustrative"), SOURCED
        )

    with op.batch_alter_table(PMOS) as batch_op:
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(_illustrative())
    op.execute(
        sa.table(PMOS, sa.column("illustrative", sa.Boolean())).update().values(illustrative=True)
    )
    with op.batch_alter_table(PMOS) as batch_op:
        batch_op.create_check_constraint(op.f(f"ck_{PMOS}_sourced_or_illustrative"), SOURCED)


def downgrade() -> None:
    """Back to 0002: checks of the new indicators and endorsements before the launch cannot be
    held there and are deleted; sources and markers go."""
    with op.batch_alter_table(PMOS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{PMOS}_sourced_or_illustrative"), type_="check")
        for column in ("illustrative", "retrieved_on", "source_url"):
            batch_op.drop_column(column)
    op.execute(f"DELETE FROM {ENDORSEMENTS} WHERE endorsed_on < '2012-09-15'")
    with op.batch_alter_table(ENDORSEMENTS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{ENDORSEMENTS}_sourced_or_illustrative"), type_="check")
        batch_op.drop_column("illustrative")
        batch_op.drop_column("retrieved_on")
        batch_op.create_check_constraint(
            op.f(f"ck_{ENDORSEMENTS}_after_launch"), "endorsed_on >= '2012-09-15'"
        )
    op.execute(f"DELETE FROM {CHECKS} WHERE NOT ({_in(OLD_INDICATORS)})")
    with op.batch_alter_table(CHECKS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{CHECKS}_sourced_or_illustrative"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{CHECKS}_indicator"), type_="check")
        for column in ("illustrative", "retrieved_on", "source_url"):
            batch_op.drop_column(column)
        batch_op.create_check_constraint(op.f(f"ck_{CHECKS}_indicator"), _in(OLD_INDICATORS))
