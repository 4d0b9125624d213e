"""Access to information: what a rating's date means, what a law and a rating refer to, who won
an appeal, and the source convention.

- `access_to_info_rti_laws`: `in_force_since`, `source_url`, `retrieved_on`, `illustrative`.
- `access_to_info_rti_ratings`: `series` (COUNTRY_PAGE, dated by the country page's "last
  updated" month in `last_updated`; HISTORICAL, the yearly historical data), `rated_law`,
  `retrieved_on`, `illustrative`; one rating per (law, series, edition). Existing rows were
  recorded as yearly editions, so they become HISTORICAL rows of the same year.
- `access_to_info_request_statistics`: `appeals_upheld` -> `appeals_favouring_body` and
  `appeals_overturned` -> `appeals_favouring_requester` (same figures: "upheld" was ambiguous,
  as in the UK's usage an upheld complaint favours the requester); `retrieved_on`,
  `illustrative`.

Existing rows keep every figure; as none carries a retrieval date, they are marked illustrative
(correct them with their source and retrieval date).

Revision ID: access_to_info_0003
Revises: access_to_info_0002
Create Date: 2026-11-30
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "access_to_info_0003"
down_revision: str | Sequence[str] | None = "access_to_info_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCED = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
RENAMES = {
    "appeals_upheld": "appeals_favouring_body",
    "appeals_overturned": "appeals_favouring_requester",
}
STATS = "access_to_info_request_statistics"


def _illustrative() -> sa.Column[bool]:
    return sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False)


def _mark_illustrative(table: str) -> None:
    op.execute(
        sa.table(table, sa.column("illustrative", sa.Boolean())).update().values(illustrative=True)
    )


def _appeal_outcomes(upheld: str, overturned: str) -> str:
    return f"COALESCE({upheld}, 0) + COALESCE({overturned}, 0) <= COALESCE(appeals, 0)"


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
    restore = _children_aside("access_to_info_rti_ratings")
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.add_column(sa.Column("in_force_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(_illustrative())
    _mark_illustrative("access_to_info_rti_laws")
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_laws_sourced_or_illustrative"), SOURCED
        )
    restore()

    with op.batch_alter_table("access_to_info_rti_ratings") as batch_op:
        batch_op.drop_constraint(
            op.f("uq_access_to_info_rti_ratings_law_id_edition"), type_="unique"
        )
        batch_op.add_column(
            sa.Column("series", sa.String(length=32), server_default="HISTORICAL", nullable=False)
        )
        batch_op.add_column(sa.Column("last_updated", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("rated_law", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(_illustrative())
    _mark_illustrative("access_to_info_rti_ratings")
    with op.batch_alter_table("access_to_info_rti_ratings") as batch_op:
        batch_op.alter_column(
            "series", existing_type=sa.String(length=32), server_default=None, nullable=False
        )
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_ratings_series"),
            "series IN ('COUNTRY_PAGE', 'HISTORICAL')",
        )
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_ratings_dated_by_series"),
            "(series = 'COUNTRY_PAGE' AND last_updated IS NOT NULL) "
            "OR (series = 'HISTORICAL' AND last_updated IS NULL)",
        )
        batch_op.create_check_constraint(
            op.f("ck_access_to_info_rti_ratings_sourced_or_illustrative"), SOURCED
        )
        batch_op.create_unique_constraint(
            op.f("uq_access_to_info_rti_ratings_law_id_series_edition"),
            ["law_id", "series", "edition"],
        )

    with op.batch_alter_table(STATS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{STATS}_outcomes_within_appeals"), type_="check")
        for old in RENAMES:
            batch_op.drop_constraint(op.f(f"ck_{STATS}_{old}_not_negative"), type_="check")
    with op.batch_alter_table(STATS) as batch_op:
        for old, new in RENAMES.items():
            batch_op.alter_column(old, new_column_name=new, existing_type=sa.Integer())
        batch_op.add_column(sa.Column("retrieved_on", sa.Date(), nullable=True))
        batch_op.add_column(_illustrative())
    _mark_illustrative(STATS)
    with op.batch_alter_table(STATS) as batch_op:
        for new in RENAMES.values():
            batch_op.create_check_constraint(op.f(f"ck_{STATS}_{new}_not_negative"), f"{new} >= 0")
        batch_op.create_check_constraint(
            op.f(f"ck_{STATS}_outcomes_within_appeals"), _appeal_outcomes(*RENAMES.values())
        )
        batch_op.create_check_constraint(op.f(f"ck_{STATS}_sourced_or_illustrative"), SOURCED)


def downgrade() -> None:
    """Back to 0002: the dates, sources and markers go; of a law's ratings in the same year,
    the country-page one is kept."""
    with op.batch_alter_table(STATS) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{STATS}_sourced_or_illustrative"), type_="check")
        batch_op.drop_constraint(op.f(f"ck_{STATS}_outcomes_within_appeals"), type_="check")
        for new in RENAMES.values():
            batch_op.drop_constraint(op.f(f"ck_{STATS}_{new}_not_negative"), type_="check")
    with op.batch_alter_table(STATS) as batch_op:
        batch_op.drop_column("illustrative")
        batch_op.drop_column("retrieved_on")
        for old, new in RENAMES.items():
            batch_op.alter_column(new, new_column_name=old, existing_type=sa.Integer())
    with op.batch_alter_table(STATS) as batch_op:
        for old in RENAMES:
            batch_op.create_check_constraint(op.f(f"ck_{STATS}_{old}_not_negative"), f"{old} >= 0")
        batch_op.create_check_constraint(
            op.f(f"ck_{STATS}_outcomes_within_appeals"), _appeal_outcomes(*RENAMES)
        )

    op.execute(
        "DELETE FROM access_to_info_rti_ratings WHERE series = 'HISTORICAL' AND EXISTS ("
        "SELECT 1 FROM access_to_info_rti_ratings r WHERE r.law_id = "
        "access_to_info_rti_ratings.law_id AND r.edition = access_to_info_rti_ratings.edition "
        "AND r.series = 'COUNTRY_PAGE')"
    )
    with op.batch_alter_table("access_to_info_rti_ratings") as batch_op:
        batch_op.drop_constraint(
            op.f("uq_access_to_info_rti_ratings_law_id_series_edition"), type_="unique"
        )
        for name in ("sourced_or_illustrative", "dated_by_series", "series"):
            batch_op.drop_constraint(op.f(f"ck_access_to_info_rti_ratings_{name}"), type_="check")
        for column in ("illustrative", "retrieved_on", "rated_law", "last_updated", "series"):
            batch_op.drop_column(column)
        batch_op.create_unique_constraint(
            op.f("uq_access_to_info_rti_ratings_law_id_edition"), ["law_id", "edition"]
        )

    restore = _children_aside("access_to_info_rti_ratings")
    with op.batch_alter_table("access_to_info_rti_laws") as batch_op:
        batch_op.drop_constraint(
            op.f("ck_access_to_info_rti_laws_sourced_or_illustrative"), type_="check"
        )
        for column in ("illustrative", "retrieved_on", "source_url", "in_force_since"):
            batch_op.drop_column(column)
    restore()
