"""Open parliaments: provision 12 of "Promoting a Culture of Openness" as an indicator.

- `open_parliaments_openness_indicators.indicator`: one more value, ACCURATE_INFORMATION (the
  section's provision on accurate parliamentary information, number 12 in the Declaration's
  draft commentary); only the CHECK of the column changes, every existing row stays as it is.

Downgrade: the checks of that indicator are deleted (0005 cannot hold them); every other row
stays.

Revision ID: open_parliaments_0006
Revises: open_parliaments_0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "open_parliaments_0006"
down_revision: str | Sequence[str] | None = "open_parliaments_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# This revision's own copies of the values (never imported: a later change must not rewrite it).
OLD_INDICATORS = (
    "VOTES_PUBLISHED",
    "BILLS_AND_AMENDMENTS_ONLINE",
    "PLENARY_RECORDS",
    "COMMITTEE_RECORDS",
    "OPEN_SESSIONS",
    "MACHINE_READABLE_DATA",
    "API",
    "PUBLIC_OWNERSHIP",
    "OPENNESS_LEGISLATION",
    "MEMBERS_ASSETS_DISCLOSED",
    "CONFLICTS_OF_INTEREST_DISCLOSED",
    "PARLIAMENT_BUDGET_PUBLISHED",
    "OPENNESS_OVERSIGHT",
    "CIVIC_EDUCATION",
    "CITIZEN_PARTICIPATION",
    "VIBRANT_CIVIL_SOCIETY",
    "PARLIAMENTARY_MONITORING",
    "SHARING_GOOD_PRACTICE",
    "LEGAL_RECOURSE",
    "COMPLETE_INFORMATION",
    "TIMELY_INFORMATION",
)
NEW_INDICATORS = ("ACCURATE_INFORMATION",)
CHECKS = "open_parliaments_openness_indicators"


def _in(values: Sequence[str]) -> str:
    return "indicator IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace_check(values: Sequence[str]) -> None:
    # No table references the checks, so SQLite's batch copy of this table is safe.
    with op.batch_alter_table(CHECKS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{CHECKS}_indicator"), type_="check")
        batch_op.create_check_constraint(op.f(f"ck_{CHECKS}_indicator"), _in(values))


def upgrade() -> None:
    _replace_check(OLD_INDICATORS + NEW_INDICATORS)


def downgrade() -> None:
    op.execute(f"DELETE FROM {CHECKS} WHERE NOT ({_in(OLD_INDICATORS)})")
    _replace_check(OLD_INDICATORS)
