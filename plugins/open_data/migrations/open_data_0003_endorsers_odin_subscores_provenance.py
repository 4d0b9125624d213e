"""Open data: Charter endorsers, ODIN's social/economic/environmental subscores, and where every
row's values come from.

New table `open_data_charter_endorsers` (organisations endorse the Charter; governments adopt it).
ODIN scores: new nullable subscores `social`, `economic`, `environmental`; `coverage`, `openness`
and `source_url` become nullable (a row records what was published, a source it was read from).
Adopters, portals, datasets and ODIN scores get `retrieved_on` and `illustrative` (portals and
datasets also `source_url`), with the CHECK `sourced_or_illustrative`. Existing rows carry no
retrieval date (the column is new), so they are marked illustrative unless they carry both.

The downgrade drops the endorsers and the new columns; an ODIN row without coverage or openness
gets its overall score there, one without a source ODIN's site (the old columns were required).

Revision ID: open_data_0003
Revises: open_data_0002
Create Date: 2026-11-30
"""

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "open_data_0003"
down_revision: str | Sequence[str] | None = "open_data_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ODIN_URL = "https://odin.opendatawatch.com"
ADOPTERS, PORTALS = "open_data_charter_adopters", "open_data_portals"
DATASETS, ODIN, ENDORSERS = "open_data_high_value_datasets", "open_data_odin_scores", "open_data_charter_endorsers"  # fmt: skip
NEW_SUBSCORES = ("social", "economic", "environmental")
SOURCED_OR_ILLUSTRATIVE = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"


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


def _check(batch_op: BatchOperations, table: str) -> None:
    batch_op.create_check_constraint(
        op.f(f"ck_{table}_sourced_or_illustrative"), SOURCED_OR_ILLUSTRATIVE
    )


@contextmanager
def _datasets_set_aside() -> Iterator[None]:
    """On SQLite, adding a CHECK recreates the portals table, and dropping the old one would
    orphan the datasets that reference it (foreign keys are on, and cannot be switched off inside
    the migration's transaction): keep the datasets aside meanwhile."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    op.execute(f"CREATE TEMPORARY TABLE kept_datasets AS SELECT * FROM {DATASETS}")
    op.execute(f"DELETE FROM {DATASETS}")
    yield
    op.execute(f"INSERT INTO {DATASETS} SELECT * FROM kept_datasets")
    op.execute("DROP TABLE kept_datasets")


def _aside(table: str) -> AbstractContextManager[None]:
    return _datasets_set_aside() if table == PORTALS else nullcontext()


def upgrade() -> None:
    for table, with_source in ((ADOPTERS, False), (PORTALS, True), (DATASETS, True)):
        with _aside(table):
            with op.batch_alter_table(table) as batch_op:
                _provenance_columns(batch_op, with_source=with_source)
            _mark_illustrative(table)
            with op.batch_alter_table(table) as batch_op:
                _check(batch_op, table)

    with op.batch_alter_table(ODIN) as batch_op:
        for name in NEW_SUBSCORES:
            batch_op.add_column(sa.Column(name, sa.Double(), nullable=True))
            batch_op.create_check_constraint(
                op.f(f"ck_{ODIN}_{name}_range"), f"{name} >= 0 AND {name} <= 100"
            )
        for name in ("coverage", "openness"):
            batch_op.alter_column(name, existing_type=sa.Double(), nullable=True)
        batch_op.alter_column("source_url", existing_type=sa.String(length=500), nullable=True)
        _provenance_columns(batch_op, with_source=False)
    _mark_illustrative(ODIN)
    with op.batch_alter_table(ODIN) as batch_op:
        _check(batch_op, ODIN)

    op.create_table(
        ENDORSERS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("endorsed_on", sa.Date(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("retrieved_on", sa.Date(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "endorsed_on IS NULL OR endorsed_on >= '2015-10-01'",
            name=op.f(f"ck_{ENDORSERS}_after_launch"),
        ),
        sa.CheckConstraint(
            SOURCED_OR_ILLUSTRATIVE, name=op.f(f"ck_{ENDORSERS}_sourced_or_illustrative")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f(f"fk_{ENDORSERS}_country_id_countries")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f(f"fk_{ENDORSERS}_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ENDORSERS}")),
        sa.UniqueConstraint("name", name=op.f(f"uq_{ENDORSERS}_name")),
    )
    with op.batch_alter_table(ENDORSERS) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{ENDORSERS}_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table(ENDORSERS) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{ENDORSERS}_organization_id"))
    op.drop_table(ENDORSERS)

    with op.batch_alter_table(ODIN) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{ODIN}_sourced_or_illustrative"), type_="check")
        for name in NEW_SUBSCORES:
            batch_op.drop_constraint(op.f(f"ck_{ODIN}_{name}_range"), type_="check")
    op.execute(
        sa.text(
            f"UPDATE {ODIN} SET coverage = COALESCE(coverage, overall), "
            "openness = COALESCE(openness, overall), source_url = COALESCE(source_url, :url)"
        ).bindparams(url=ODIN_URL)
    )
    with op.batch_alter_table(ODIN) as batch_op:
        batch_op.drop_column("illustrative")
        batch_op.drop_column("retrieved_on")
        for name in NEW_SUBSCORES:
            batch_op.drop_column(name)
        for name in ("coverage", "openness"):
            batch_op.alter_column(name, existing_type=sa.Double(), nullable=False)
        batch_op.alter_column("source_url", existing_type=sa.String(length=500), nullable=False)

    for table, with_source in ((DATASETS, True), (PORTALS, True), (ADOPTERS, False)):
        with _aside(table), op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_sourced_or_illustrative"), type_="check")
            batch_op.drop_column("illustrative")
            batch_op.drop_column("retrieved_on")
            if with_source:
                batch_op.drop_column("source_url")
