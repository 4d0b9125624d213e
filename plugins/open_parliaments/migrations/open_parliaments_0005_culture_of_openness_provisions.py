"""Open parliaments: the provisions of "Promoting a Culture of Openness" as indicators.

- `open_parliaments_openness_indicators.indicator`: nine more values, the section's provisions
  3-11 as the Declaration's draft commentary numbers them (OPENNESS_OVERSIGHT, CIVIC_EDUCATION,
  CITIZEN_PARTICIPATION, VIBRANT_CIVIL_SOCIETY, PARLIAMENTARY_MONITORING, SHARING_GOOD_PRACTICE,
  LEGAL_RECOURSE, COMPLETE_INFORMATION, TIMELY_INFORMATION); only the CHECK of the column
  changes, every existing row stays as it is. (COMPLETE_INFORMATION, provision 10, was added to
  this revision before it shipped in any release.)

Downgrade: the checks of those nine indicators are deleted (0004 cannot hold them); every other
row stays.

Revision ID: open_parliaments_0005
Revises: open_parliaments_0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "open_parliaments_0005"
down_revision: str | Sequence[str] | None = "open_parliaments_0004"
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
)
NEW_INDICATORS = (
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
