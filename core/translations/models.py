"""Three languages (issue 9, section 6): each translatable record's original language, and its
translations into the other two, one row per (record, language).

OGP works in English, Spanish and French (ogp.org publishes its pages in the three), so those
are the only languages: `LANGUAGES`, enforced by CHECK constraints.

The translated domains' own tables get one column from here, `original_language` (default
'en'), with a unique index on (id, original_language). This module adds it to their `Table`
objects (`_original_language`) rather than editing their models: the column belongs to the
translations domain, and is only ever read through it. A translation row repeats its record's
original language and references the pair with ON UPDATE CASCADE, so the database itself
refuses a translation into the original language (CHECK `not_original`), even when the record's
original language is changed later (the cascaded update fails the same CHECK).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow
from core.groups.models import WorkingGroup
from core.meetings.models import Meeting
from core.priorities.models import PriorityArea

LANGUAGES = ("en", "es", "fr")
"""OGP's working languages, as ISO 639-1 codes (also the values of the GraphQL enum)."""
DEFAULT_LANGUAGE = "en"
_IN_LANGUAGES = "IN ('en', 'es', 'fr')"


def _original_language(table: Table) -> None:
    """Give a translated record's table its `original_language` column, CHECK and index."""
    table.append_column(
        Column(
            "original_language",
            String(2),
            nullable=False,
            default=DEFAULT_LANGUAGE,
            server_default=DEFAULT_LANGUAGE,
        )
    )
    table.append_constraint(
        CheckConstraint(f"original_language {_IN_LANGUAGES}", name="original_language")
    )
    # What a translation's composite foreign key references (SQLite and PostgreSQL both accept
    # a unique index as the parent key).
    Index(
        f"ux_{table.name}_id_original_language",
        table.c.id,
        table.c.original_language,
        unique=True,
    )


def _translation_constraints(table: str, key: str, texts: tuple[str, ...]) -> tuple[object, ...]:
    """Constraints every translation table shares: known language, not the original, unique
    per (record, language), some text, no blank text."""
    some_text = " OR ".join(f"{column} IS NOT NULL" for column in texts)
    no_blank = " AND ".join(f"({column} IS NULL OR length(trim({column})) > 0)" for column in texts)
    return (
        CheckConstraint(f"language {_IN_LANGUAGES}", name="language"),
        CheckConstraint("language <> original_language", name="not_original"),
        CheckConstraint(some_text, name="has_text"),
        CheckConstraint(no_blank, name="no_blank_text"),
        UniqueConstraint(key, "language"),
        ForeignKeyConstraint(
            [key, "original_language"],
            [f"{table}.id", f"{table}.original_language"],
            name=f"fk_{key.removesuffix('_id')}_translations_original",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )


_original_language(WorkingGroup.__table__)
_original_language(Meeting.__table__)
_original_language(PriorityArea.__table__)


class _Translation:
    """Columns every translation table has besides its texts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    original_language: Mapped[str] = mapped_column(String(2))
    is_official: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupTranslation(_Translation, Base):
    """A group's name, summary and description in one language other than its original."""

    __tablename__ = "group_translations"
    __table_args__ = _translation_constraints(
        "working_groups", "group_id", ("name", "summary", "description")
    )

    group_id: Mapped[int] = mapped_column()
    name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)


class MeetingTranslation(_Translation, Base):
    """A meeting's title and agenda in one language other than its original."""

    __tablename__ = "meeting_translations"
    __table_args__ = _translation_constraints("meetings", "meeting_id", ("title", "agenda"))

    meeting_id: Mapped[int] = mapped_column()
    title: Mapped[str | None] = mapped_column(String(300))
    agenda: Mapped[str | None] = mapped_column(Text)


class PriorityAreaTranslation(_Translation, Base):
    """A priority area's title and rationale in one language other than its original."""

    __tablename__ = "priority_area_translations"
    __table_args__ = _translation_constraints(
        "priority_areas", "priority_area_id", ("title", "rationale")
    )

    priority_area_id: Mapped[int] = mapped_column()
    title: Mapped[str | None] = mapped_column(String(300))
    rationale: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Kind:
    """One translatable type: its records' table, its translations' table, and its texts.

    `fields`: the translatable columns, named as the record's table and the GraphQL field
    (`name`, `title`...) name them; `max_lengths` their limits (None: unlimited text)."""

    type_name: str
    records: Table
    translations: Table
    key: str
    fields: tuple[str, ...]
    max_lengths: tuple[int | None, ...]
    rank: int
    """Position of the kind in `missingTranslations` (groups first)."""


KINDS: dict[str, Kind] = {
    "WorkingGroup": Kind(
        "WorkingGroup",
        WorkingGroup.__table__,
        GroupTranslation.__table__,
        "group_id",
        ("name", "summary", "description"),
        (200, 500, None),
        0,
    ),
    "Meeting": Kind(
        "Meeting",
        Meeting.__table__,
        MeetingTranslation.__table__,
        "meeting_id",
        ("title", "agenda"),
        (300, None),
        1,
    ),
    "PriorityArea": Kind(
        "PriorityArea",
        PriorityArea.__table__,
        PriorityAreaTranslation.__table__,
        "priority_area_id",
        ("title", "rationale"),
        (300, None),
        2,
    ),
}
"""The translatable types by GraphQL type name (the type name in their global IDs)."""
