"""Batch loader of the translations domain: a record's original language and, for one language,
its translation (if any), for every record a level of the query has.

Keys are `(type name, pk, language or None)`; one statement per (type, language) among them, a
LEFT JOIN of the records to their translations in that language (no language: the records'
original language alone).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select

from core.context import Context
from core.hookspecs import BatchLoadFn
from core.schema.batch import fetch_rows
from core.translations.models import KINDS

SERVED = "served_translations"
"""Name of the loader (`ctx.loader(SERVED)`)."""


@dataclass(frozen=True)
class Served:
    """What one record can serve in one language: its original language, and the translation's
    texts (None: that text is not translated) when a translation exists."""

    original: str
    language: str | None = None
    texts: dict[str, str | None] = field(default_factory=dict)
    is_official: bool = False
    source: str | None = None

    def text(self, column: str, original_text: str) -> tuple[str, str]:
        """(text, its language): the translation's, or the original as the fallback."""
        translated = self.texts.get(column)
        if translated is None or self.language is None:
            return original_text, self.original
        return translated, self.language


async def served_translations(
    ctx: Context, keys: list[tuple[str, int, str | None]]
) -> list[Served | None]:
    """One `Served` per key, None for a record that no longer exists."""
    wanted: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for type_name, pk, language in keys:
        wanted[(type_name, language)].append(pk)
    found: dict[tuple[str, int, str | None], Served] = {}
    for (type_name, language), pks in wanted.items():
        kind = KINDS[type_name]
        records, translations = kind.records, kind.translations
        if language is None:
            stmt = select(records.c.id, records.c.original_language)
        else:
            stmt = select(
                records.c.id,
                records.c.original_language,
                translations.c.language,
                translations.c.is_official,
                translations.c.source,
                *(translations.c[column] for column in kind.fields),
            ).select_from(
                records.outerjoin(
                    translations,
                    and_(
                        translations.c[kind.key] == records.c.id,
                        translations.c.language == language,
                    ),
                )
            )
        for row in await fetch_rows(ctx, stmt.where(ctx.db.any_of(records.c.id, pks))):
            found[(type_name, row.id, language)] = _served(row, kind.fields, language)
    return [found.get(key) for key in keys]


def _served(row: Any, columns: tuple[str, ...], language: str | None) -> Served:
    if language is None or row.language is None:
        return Served(original=row.original_language)
    return Served(
        original=row.original_language,
        language=row.language,
        texts={column: getattr(row, column) for column in columns},
        is_official=bool(row.is_official),
        source=row.source,
    )


LOADERS: dict[str, BatchLoadFn] = {SERVED: served_translations}
