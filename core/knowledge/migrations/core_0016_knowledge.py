"""Resources and declared expertise (issue 10, section 1).

PLACEHOLDER written by the lead so that the chain core_0015..core_0018 exists from the start;
the domain's builder replaces this body (keep revision and down_revision).

Revision ID: core_0016
Revises: core_0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

revision: str = "core_0016"
down_revision: str | Sequence[str] | None = "core_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
