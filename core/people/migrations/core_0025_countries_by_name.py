"""Lists by country name served by an index (issue 12, section 4): `countries(name, id)`.
`countries` is ordered by it, and so are plugins' lists of country records (budget documents,
Open Budget Survey results, ODIN scores: `ORDER BY countries.name, ...`). With it PostgreSQL
reads the countries in order and each country's rows through the record's own `country_id`
index, sorting one country at a time (an Incremental Sort), instead of sorting every record on
each page: found by tests/test_query_plans.py on the "large" data (`budgetDocuments`, 1,280
documents sorted on every page).

Revision ID: core_0025
Revises: core_0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0025"
down_revision: str | Sequence[str] | None = "core_0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_countries_name_id", "countries", ["name", "id"])


def downgrade() -> None:
    op.drop_index("ix_countries_name_id", table_name="countries")
