"""The search index's one table, `search_documents`: one row per (object, language) searched.

A row is written ONLY by the database: triggers on the source tables (core/search/ddl.py,
installed by core_0018) insert, replace and delete it whatever writes the source row (the
services, the demo, an import, raw SQL). The application never writes it.

- `kind` + `source_id`: the object (`working_groups.id`, `priority_areas.id`, `resources.id`,
  `expertise.id`); no foreign key, as it names rows of several tables (the triggers delete it
  with its source).
- `language`: ISO 639-1 code of the text (the object's original language, or a translation's).
- `title`, `body`: the text searched (the body is the summary, description, rationale...), with
  the control characters U+0002/U+0003 removed: they are the snippet's match markers.
- `vector` (PostgreSQL only; NULL on SQLite): `setweight(to_tsvector(cfg, title), 'A') ||
  setweight(to_tsvector(cfg, body), 'B')` with the language's configuration, set by a trigger;
  GIN-indexed. SQLite keeps its index in the FTS5 table `search_fts` (external content: this
  table), which alembic's comparison leaves out (`is_search_index_table`).
"""

from __future__ import annotations

import enum

import strawberry
from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base


@strawberry.enum(description="What a search hit is.")
class SearchKind(enum.StrEnum):
    GROUP = "GROUP"
    PRIORITY_AREA = "PRIORITY_AREA"
    RESOURCE = "RESOURCE"
    EXPERTISE = "EXPERTISE"


KIND_ORDER = {kind: rank for rank, kind in enumerate(SearchKind)}
"""The tie-break between hits of equal score: groups, then priority areas, resources, expertise."""

FTS_TABLE = "search_fts"
"""SQLite's FTS5 index (and its shadow tables `search_fts_*`)."""


def is_search_index_table(name: str | None) -> bool:
    """Whether `name` is SQLite's FTS5 index or one of its shadow tables: made by core_0018 with
    `CREATE VIRTUAL TABLE`, not a model, so left out of alembic's model/database comparison."""
    return name is not None and (name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_"))


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "source_id", "language"),
        CheckConstraint("length(language) BETWEEN 2 AND 3", name="language_code"),
        Index("ix_search_documents_vector", "vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SearchKind] = mapped_column(enum_column(SearchKind, "kind"))
    source_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(3))
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    vector: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
