"""Three languages (issue 9, section 6): the original language of groups, meetings and priority
areas, and their translations into OGP's other working languages.

The column is added with a plain ALTER TABLE on both databases (SQLite accepts a named CHECK on
an added column), so no table is copied.

Revision ID: core_0011
Revises: core_0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0011"
down_revision: str | Sequence[str] | None = "core_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)
IN_LANGUAGES = "IN ('en', 'es', 'fr')"
RECORDS = (
    ("working_groups", "group_translations", "group_id", "group"),
    ("meetings", "meeting_translations", "meeting_id", "meeting"),
    ("priority_areas", "priority_area_translations", "priority_area_id", "priority_area"),
)
TEXTS = {
    "group_translations": (
        ("name", sa.String(length=200)),
        ("summary", sa.String(length=500)),
        ("description", sa.Text()),
    ),
    "meeting_translations": (("title", sa.String(length=300)), ("agenda", sa.Text())),
    "priority_area_translations": (("title", sa.String(length=300)), ("rationale", sa.Text())),
}


def upgrade() -> None:
    for records, translations, key, stem in RECORDS:
        op.execute(
            f"ALTER TABLE {records} ADD COLUMN original_language VARCHAR(2) DEFAULT 'en' NOT NULL "
            f"CONSTRAINT ck_{records}_original_language CHECK (original_language {IN_LANGUAGES})"
        )
        op.create_index(
            f"ux_{records}_id_original_language",
            records,
            ["id", "original_language"],
            unique=True,
        )
        texts = TEXTS[translations]
        names = [name for name, _ in texts]
        op.create_table(
            translations,
            sa.Column(key, sa.Integer(), nullable=False),
            *(sa.Column(name, type_, nullable=True) for name, type_ in texts),
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("language", sa.String(length=2), nullable=False),
            sa.Column("original_language", sa.String(length=2), nullable=False),
            sa.Column("is_official", sa.Boolean(), nullable=False),
            sa.Column("source", sa.String(length=500), nullable=True),
            sa.Column("updated_at", UTC, nullable=False),
            sa.CheckConstraint(
                f"language {IN_LANGUAGES}", name=op.f(f"ck_{translations}_language")
            ),
            sa.CheckConstraint(
                "language <> original_language", name=op.f(f"ck_{translations}_not_original")
            ),
            sa.CheckConstraint(
                " OR ".join(f"{n} IS NOT NULL" for n in names),
                name=op.f(f"ck_{translations}_has_text"),
            ),
            sa.CheckConstraint(
                " AND ".join(f"({n} IS NULL OR length(trim({n})) > 0)" for n in names),
                name=op.f(f"ck_{translations}_no_blank_text"),
            ),
            sa.ForeignKeyConstraint(
                [key, "original_language"],
                [f"{records}.id", f"{records}.original_language"],
                name=op.f(f"fk_{stem}_translations_original"),
                ondelete="CASCADE",
                onupdate="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{translations}")),
            sa.UniqueConstraint(key, "language", name=op.f(f"uq_{translations}_{key}_language")),
        )


def downgrade() -> None:
    for records, translations, _key, _stem in reversed(RECORDS):
        op.drop_table(translations)
        op.drop_index(f"ux_{records}_id_original_language", table_name=records)
        bind = op.get_bind()
        try:
            with bind.begin_nested():
                op.execute(f"ALTER TABLE {records} DROP COLUMN original_language")
        except sa.exc.OperationalError:
            if bind.dialect.name != "sqlite":
                raise
            # A table copied since (core_0007 copies `meetings`) holds the CHECK as a table
            # constraint, which SQLite's DROP COLUMN refuses: copy it without both. Only then:
            # copying `working_groups` would break the triggers core_0006 puts on `anchors`.
            with op.batch_alter_table(records, recreate="always") as batch_op:
                batch_op.drop_constraint(op.f(f"ck_{records}_original_language"), type_="check")
                batch_op.drop_column("original_language")
