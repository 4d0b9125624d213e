"""Extractive industry transparency: several suspension reasons per status, and Board decision
dates known only to the month or year.

- `extractives_eiti_status_reasons` (new): the reasons of a membership's current suspension
  (eiti.org lists e.g. three for Mexico), one row per reason.
- `extractives_eiti_status_change_reasons` (new): the reasons of one dated status change.
- `extractives_eiti_status.suspension_reason` and `extractives_eiti_status_history.
  suspension_reason` go, with their CHECKs (`reason_only_if_suspended`, `reason_iff_suspended`):
  each recorded reason is carried across as one row of the new tables first.
- Reasons gain eiti.org's categories INADEQUATE_ENGAGEMENT and LACK_OF_PROGRESS.
- `extractives_validations.decided_on_precision` (DAY, MONTH, YEAR; existing rows: DAY, the
  date as recorded).

Downgrade: each status keeps one reason (the first recorded; the finer categories become
VALIDATION_OUTCOME, which 0004 knows); a status that is SUSPENDED without a recorded reason
gets none back on the membership, and on a status change VALIDATION_OUTCOME (0004's CHECK needs
one). Dates known only to the month or year keep their stored first day.

Revision ID: extractives_0005
Revises: extractives_0004
Create Date: 2026-11-30
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "extractives_0005"
down_revision: str | Sequence[str] | None = "extractives_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_REASONS = ("MISSED_DEADLINE", "VALIDATION_OUTCOME", "TEMPORARY")
REASONS = (*OLD_REASONS, "INADEQUATE_ENGAGEMENT", "LACK_OF_PROGRESS")
PRECISIONS = ("DAY", "MONTH", "YEAR")
STATUS = "extractives_eiti_status"
HISTORY = "extractives_eiti_status_history"
VALIDATIONS = "extractives_validations"
ASSESSMENTS = "extractives_requirement_assessments"
STATUS_REASONS = "extractives_eiti_status_reasons"
CHANGE_REASONS = "extractives_eiti_status_change_reasons"
# 0003's CHECKs, as 0003 wrote them (restored on downgrade).
REASON_IFF_SUSPENDED = (
    "(status = 'SUSPENDED' AND suspension_reason IS NOT NULL) "
    "OR (status <> 'SUSPENDED' AND suspension_reason IS NULL)"
)
REASON_ONLY_IF_SUSPENDED = "suspension_reason IS NULL OR status = 'SUSPENDED'"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _aside(*children: str) -> Callable[[], None]:
    """SQLite: batch mode copies a table and drops the old one, which fails (or cascades) while
    rows of other tables reference it. The referencing rows step aside into temporary tables,
    children first; the returned function brings them back, parents first. Elsewhere: nothing."""
    if op.get_context().dialect.name != "sqlite":
        return lambda: None
    for child in children:
        op.execute(f'CREATE TEMP TABLE "aside_{child}" AS SELECT * FROM "{child}"')
        op.execute(f'DELETE FROM "{child}"')

    def restore() -> None:
        for child in reversed(children):
            op.execute(f'INSERT INTO "{child}" SELECT * FROM "aside_{child}"')
            op.execute(f'DROP TABLE "aside_{child}"')

    return restore


def _reason_table(name: str, key: str, parent: str, parent_column: str, fk: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(key, sa.Integer(), nullable=False),
        sa.Column("reason", _enum("reason", *REASONS), nullable=False),
        sa.ForeignKeyConstraint([key], [f"{parent}.{parent_column}"], name=fk, ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint(key, "reason", name=op.f(f"uq_{name}_{key}_reason")),
    )


def upgrade() -> None:
    bind = op.get_bind()
    membership_reasons = bind.execute(
        sa.text(
            f"SELECT country_id, suspension_reason FROM {STATUS} "
            "WHERE suspension_reason IS NOT NULL"
        )
    ).all()
    change_reasons = bind.execute(
        sa.text(f"SELECT id, suspension_reason FROM {HISTORY} WHERE suspension_reason IS NOT NULL")
    ).all()

    with op.batch_alter_table(HISTORY) as batch_op:  # no table references the history yet
        batch_op.drop_constraint(op.f(f"ck_{HISTORY}_reason_iff_suspended"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{HISTORY}_suspension_reason"), type_="check")
        batch_op.drop_column("suspension_reason")

    restore = _aside(ASSESSMENTS)
    with op.batch_alter_table(VALIDATIONS) as batch_op:
        batch_op.add_column(
            sa.Column(
                "decided_on_precision",
                sa.String(length=32),
                server_default="DAY",
                nullable=False,
            )
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{VALIDATIONS}_decided_on_precision"),
            "decided_on_precision IN (" + ", ".join(f"'{p}'" for p in PRECISIONS) + ")",
        )
    restore()

    restore = _aside(ASSESSMENTS, VALIDATIONS, HISTORY)
    with op.batch_alter_table(STATUS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{STATUS}_reason_only_if_suspended"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{STATUS}_suspension_reason"), type_="check")
        batch_op.drop_column("suspension_reason")
    restore()

    _reason_table(
        STATUS_REASONS,
        "country_id",
        STATUS,
        "country_id",
        "fk_extractives_eiti_status_reasons_membership",
    )
    _reason_table(
        CHANGE_REASONS,
        "status_change_id",
        HISTORY,
        "id",
        "fk_extractives_eiti_status_change_reasons_change",
    )
    if membership_reasons:
        op.bulk_insert(
            sa.table(STATUS_REASONS, sa.column("country_id"), sa.column("reason")),
            [{"country_id": c, "reason": r} for c, r in membership_reasons],
        )
    if change_reasons:
        op.bulk_insert(
            sa.table(CHANGE_REASONS, sa.column("status_change_id"), sa.column("reason")),
            [{"status_change_id": c, "reason": r} for c, r in change_reasons],
        )


def _first_reasons(table: str, key: str) -> dict[int, str]:
    """The first recorded reason per parent, in 0004's categories."""
    rows = op.get_bind().execute(sa.text(f"SELECT {key}, reason FROM {table} ORDER BY id")).all()
    first: dict[int, str] = {}
    for parent, reason in rows:
        first.setdefault(parent, reason if reason in OLD_REASONS else "VALIDATION_OUTCOME")
    return first


def downgrade() -> None:
    """Back to 0004: one reason per status (see the module docstring); the precision goes."""
    membership = _first_reasons(STATUS_REASONS, "country_id")
    changes = _first_reasons(CHANGE_REASONS, "status_change_id")
    op.drop_table(CHANGE_REASONS)
    op.drop_table(STATUS_REASONS)

    restore = _aside(ASSESSMENTS, VALIDATIONS, HISTORY)
    with op.batch_alter_table(STATUS) as batch_op:
        batch_op.add_column(sa.Column("suspension_reason", sa.String(length=32), nullable=True))
    restore()
    for country_id, reason in membership.items():
        op.execute(
            sa.text(
                f"UPDATE {STATUS} SET suspension_reason = :reason "
                "WHERE country_id = :key AND status = 'SUSPENDED'"
            ).bindparams(reason=reason, key=country_id)
        )
    restore = _aside(ASSESSMENTS, VALIDATIONS, HISTORY)
    with op.batch_alter_table(STATUS) as batch_op:
        batch_op.create_check_constraint(
            op.f(f"ck_{STATUS}_suspension_reason"),
            "suspension_reason IN (" + ", ".join(f"'{r}'" for r in OLD_REASONS) + ")",
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{STATUS}_reason_only_if_suspended"), REASON_ONLY_IF_SUSPENDED
        )
    restore()

    with op.batch_alter_table(HISTORY) as batch_op:
        batch_op.add_column(sa.Column("suspension_reason", sa.String(length=32), nullable=True))
    for change_id, reason in changes.items():
        op.execute(
            sa.text(
                f"UPDATE {HISTORY} SET suspension_reason = :reason "
                "WHERE id = :key AND status = 'SUSPENDED'"
            ).bindparams(reason=reason, key=change_id)
        )
    op.execute(
        f"UPDATE {HISTORY} SET suspension_reason = 'VALIDATION_OUTCOME' "
        "WHERE status = 'SUSPENDED' AND suspension_reason IS NULL"
    )
    with op.batch_alter_table(HISTORY) as batch_op:
        batch_op.create_check_constraint(
            op.f(f"ck_{HISTORY}_suspension_reason"),
            "suspension_reason IN (" + ", ".join(f"'{r}'" for r in OLD_REASONS) + ")",
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{HISTORY}_reason_iff_suspended"), REASON_IFF_SUSPENDED
        )

    restore = _aside(ASSESSMENTS)
    with op.batch_alter_table(VALIDATIONS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{VALIDATIONS}_decided_on_precision"), type_="check")
        batch_op.drop_column("decided_on_precision")
    restore()
