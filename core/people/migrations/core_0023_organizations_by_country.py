"""A country's organisations by name served by one index under any plan (issue 12, section 4):
`(country_id, name, id)`, the join key then the order of `Country.organizations` (the country
page), replacing the foreign key's index on `country_id` alone (its leading column serves the
key as before). Found by tests/test_query_plans.py once it EXPLAINed generic plans too (a
prepared statement planned once for any value: always under `force_generic_plan`, and under
PostgreSQL's `auto` once it finds the generic plan no costlier): such a plan walked the
`(name, id)` index past every other country's organisations, 1,981 of 2,000 on the "large"
data, on each country page.

Revision ID: core_0023
Revises: core_0022
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0023"
down_revision: str | Sequence[str] | None = "core_0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_organizations_country_id_name_id", "organizations", ["country_id", "name", "id"]
    )
    op.drop_index("ix_organizations_country_id", table_name="organizations")


def downgrade() -> None:
    op.create_index("ix_organizations_country_id", "organizations", ["country_id"])
    op.drop_index("ix_organizations_country_id_name_id", table_name="organizations")
