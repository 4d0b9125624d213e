"""Access to information: law details, RTI Rating editions with their seven categories, and
request statistics per country and year.

The law rows of 0001 are kept (country, year adopted); their name is unknown, so it is set to a
placeholder to correct with rtiLawUpdate. Their single `rti_rating` total moves nowhere: 0001 only
held illustrative demo totals, which cannot be split into the seven categories the database now
requires, so the column is dropped (the demo data records documented ratings instead).

Revision ID: access_to_info_0002
Revises: access_to_info_0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "access_to_info_0002"
down_revision: str | Sequence[str] | None = "access_to_info_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "core_0002"

PLACEHOLDER_NAME = "Right-to-information law (name to be recorded)"

# Category columns of the RTI Rating and their official maximum points (150 in all).
CATEGORIES = {
    "right_of_access": 6,
    "scope": 30,
    "requesting_procedures": 30,
    "exceptions_and_refusals": 30,
    "appeals": 30,
    "sanctions_and_protections": 8,
    "promotional_measures": 16,
}
COUNTS = (
    "requests_received",
    "answered_in_time",
    "granted_in_full",
    "granted_in_part",
    "refused",
    "information_not_held",
    "internal_reviews",
    "appeals",
    "appeals_upheld",
    "appeals_overturned",
)
OUTCOMES = "COALESCE(granted_in_full, 0) + COALESCE(granted_in_part, 0) + COALESCE(refused, 0) + COALESCE(information_not_held, 0)"
APPEAL_OUTCOMES = "COALESCE(appeals_upheld, 0) + COALESCE(appeals_overturned, 0)"


def upgrade() -> None:
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("last_amended", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("oversight_body", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("url", sa.String(length=500), nullable=True))
        batch_op.drop_constraint(op.f("ck_access_to_info_rti_laws_rating_range"), type_="check")
        batch_op.drop_column("rti_rating")
    laws = sa.table("access_to_info_rti_laws", sa.column("name", sa.String()))
    op.execute(laws.update().where(laws.c.name.is_(None)).values(name=PLACEHOLDER_NAME))
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=300), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_laws_year_adopted_range"), "year_adopted >= 1766"
        )
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_laws_amended_after_adopted"),
            "last_amended IS NULL OR last_amended >= year_adopted",
        )

    op.create_table(
        "access_to_info_rti_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("methodology_version", sa.String(length=40), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in CATEGORIES),
        sa.Column("total", sa.Integer(), nullable=False),
        *(
            sa.CheckConstraint(
                f"{name} BETWEEN 0 AND {maximum}",
                name=op.f(f"ck_access_to_info_rti_ratings_{name}_max"),
            )
            for name, maximum in CATEGORIES.items()
        ),
        sa.CheckConstraint(
            f"total = {' + '.join(CATEGORIES)}",
            name=op.f("ck_access_to_info_rti_ratings_total_is_sum"),
        ),
        sa.CheckConstraint(
            "edition >= 2011", name=op.f("ck_access_to_info_rti_ratings_edition_range")
        ),
        sa.ForeignKeyConstraint(
            ["law_id"],
            ["access_to_info_rti_laws.id"],
            name=op.f("fk_access_to_info_rti_ratings_law_id_access_to_info_rti_laws"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_to_info_rti_ratings")),
        sa.UniqueConstraint(
            "law_id", "edition", name=op.f("uq_access_to_info_rti_ratings_law_id_edition")
        ),
    )

    op.create_table(
        "access_to_info_request_statistics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "coverage",
            sa.Enum(
                "ALL_PUBLIC_BODIES",
                "CENTRAL_GOVERNMENT",
                "PARTIAL",
                name="coverage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requests_received", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in COUNTS[1:]),
        sa.Column("median_response_days", sa.Double(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "year >= 1766", name=op.f("ck_access_to_info_request_statistics_year_range")
        ),
        *(
            sa.CheckConstraint(
                f"{name} >= 0",
                name=op.f(f"ck_access_to_info_request_statistics_{name}_not_negative"),
            )
            for name in COUNTS
        ),
        sa.CheckConstraint(
            "median_response_days >= 0",
            name=op.f("ck_access_to_info_request_statistics_median_not_negative"),
        ),
        sa.CheckConstraint(
            "answered_in_time <= requests_received",
            name=op.f("ck_access_to_info_request_statistics_in_time_within_received"),
        ),
        sa.CheckConstraint(
            f"{OUTCOMES} <= requests_received",
            name=op.f("ck_access_to_info_request_statistics_outcomes_within_received"),
        ),
        sa.CheckConstraint(
            f"{APPEAL_OUTCOMES} <= COALESCE(appeals, 0)",
            name=op.f("ck_access_to_info_request_statistics_outcomes_within_appeals"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_access_to_info_request_statistics_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_to_info_request_statistics")),
        sa.UniqueConstraint(
            "country_id", "year", name=op.f("uq_access_to_info_request_statistics_country_id_year")
        ),
    )


def downgrade() -> None:
    """Back to one total per law: the latest rating's; laws never rated cannot be kept."""
    op.drop_table("access_to_info_request_statistics")
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.add_column(sa.Column("rti_rating", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE access_to_info_rti_laws SET rti_rating = (SELECT r.total FROM "
        "access_to_info_rti_ratings r WHERE r.law_id = access_to_info_rti_laws.id "
        "ORDER BY r.edition DESC LIMIT 1)"
    )
    op.drop_table("access_to_info_rti_ratings")
    op.execute("DELETE FROM access_to_info_rti_laws WHERE rti_rating IS NULL")
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.drop_constraint(
            op.f("ck_access_to_info_rti_laws_amended_after_adopted"), type_="check"
        )
        batch_op.drop_constraint(
            op.f("ck_access_to_info_rti_laws_year_adopted_range"), type_="check"
        )
        batch_op.drop_column("url")
        batch_op.drop_column("oversight_body")
        batch_op.drop_column("last_amended")
        batch_op.drop_column("name")
        batch_op.alter_column("rti_rating", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_laws_rating_range"), "rti_rating BETWEEN 0 AND 150"
        )
