"""Root query of the translations domain: `missingTranslations`, the staff's worklist.

A record misses a language when that language is not its original one and some text of it that
is not empty in the original has no translation into it. One statement: per translatable type,
its records LEFT JOINed to their translations in that language, united, paged by (type, id).
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Integer, and_, case, func, literal, or_, select, union_all
from strawberry.types import Info

from core.groups.models import WorkingGroup
from core.rows import query_page
from core.schema.pagination import Connection
from core.translations.models import KINDS, LANGUAGES, Kind
from core.translations.types import Language, MissingTranslation, TranslatableField


def _missing(kind: Kind, language: str, themes: tuple[str, ...]) -> Any:
    records, translations = kind.records, kind.translations
    flags = []
    for field in TranslatableField:
        column = field.value
        if column in kind.fields:
            lacks = and_(
                func.length(func.trim(records.c[column])) > 0, translations.c[column].is_(None)
            )
            flags.append(case((lacks, 1), else_=0).label(column))
        else:
            flags.append(literal(0, Integer).label(column))
    joined = records.outerjoin(
        translations,
        and_(translations.c[kind.key] == records.c.id, translations.c.language == language),
    )
    if records is not WorkingGroup.__table__:  # a meeting's or priority area's group
        joined = joined.join(WorkingGroup, WorkingGroup.id == records.c.group_id)
    return (
        select(
            literal(kind.rank, Integer).label("kind"),
            records.c.id.label("record_id"),
            literal(LANGUAGES.index(language), Integer).label("language"),
            *flags,
        )
        .select_from(joined)
        .where(records.c.original_language != language, WorkingGroup.theme.in_(themes))
    )


def _build(row: Any) -> MissingTranslation:
    kind = next(k for k in KINDS.values() if k.rank == row.kind)
    fields = [field for field in TranslatableField if getattr(row, field.value)]
    return MissingTranslation(
        ref=(kind.type_name, row.record_id),
        language=Language(LANGUAGES[row.language]),
        fields=fields,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Groups, meetings and priority areas with texts not yet translated into "
        "`language` (none: into each language, one item per record and language), in that "
        "order, each in ID order. Staff only (others: FORBIDDEN, or "
        "UNAUTHENTICATED)."
    )
    async def missing_translations(
        self,
        info: Info,
        language: Language | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[MissingTranslation] | None:
        themes = info.context.app.visible_themes
        languages = LANGUAGES if language is None else (language.value,)
        union = union_all(
            *(_missing(k, lang, themes) for k in KINDS.values() for lang in languages)
        )
        found = union.subquery("missing")
        lacking = or_(*(found.c[field.value] == 1 for field in TranslatableField))
        stmt = select(*found.c).where(lacking)
        return await query_page(
            info,
            stmt,
            (found.c.kind, found.c.record_id, found.c.language),
            build=_build,
            first=first,
            after=after,
            last=last,
            before=before,
        )
