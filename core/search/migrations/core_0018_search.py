"""Full-text search over resources, groups, priority areas and expertise (issue 10, section 1).

The table `search_documents` (core/search/models.py), the triggers that keep it equal to its
sources and, per dialect, the index itself: SQLite's FTS5 table `search_fts` (external content,
tokenizer `porter unicode61 remove_diacritics 2`, fed the text with the letters FTS5 does not
fold spelled out as `unaccent` spells them); on PostgreSQL the extension `unaccent`, the
Snowball dictionaries without stop words `ogp_english_stem`, `ogp_spanish_stem`,
`ogp_french_stem`, the configurations `ogp_english`, `ogp_spanish`, `ogp_french`, `ogp_simple`
(every word token type through `unaccent`), the function
`search_config(language)` and the GIN-indexed `vector` column (core/search/ddl.py says what each
does). Existing rows are indexed by the backfill at the end. The statements are those of
frozen/core_0018_ddl.py, a copy of core/search/ddl.py as of this revision.

PostgreSQL: `CREATE EXTENSION unaccent` needs the CREATE privilege on the database (unaccent is
a trusted extension since PostgreSQL 13, so its owner suffices; no superuser): docs/deploy.md.

Revision ID: core_0018
Revises: core_0017
Create Date: 2026-12-01
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision: str = "core_0018"
down_revision: str | Sequence[str] | None = "core_0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ddl = importlib.import_module("core.search.migrations.frozen.core_0018_ddl")
"""The index's SQL as of this revision (core/search/ddl.py may change; this revision may not)."""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "GROUP",
                "PRIORITY_AREA",
                "RESOURCE",
                "EXPERTISE",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=3), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("vector", sa.Text().with_variant(TSVECTOR(), "postgresql"), nullable=True),
        sa.CheckConstraint("length(language) BETWEEN 2 AND 3", name="language_code"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "source_id", "language"),
    )
    op.create_index(
        "ix_search_documents_vector", "search_documents", ["vector"], postgresql_using="gin"
    )
    statements = ddl.sqlite_upgrade() if dialect == "sqlite" else ddl.postgresql_upgrade()
    for statement in (*statements, *ddl.backfill(dialect)):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = ddl.sqlite_downgrade() if dialect == "sqlite" else ddl.postgresql_downgrade()
    for statement in statements:
        op.execute(statement)
    op.drop_index("ix_search_documents_vector", table_name="search_documents")
    op.drop_table("search_documents")
