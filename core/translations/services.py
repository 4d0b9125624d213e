"""Setting and removing translations: one transaction each, the record's row locked.

A translator (the group's anchors, or staff: core/translations/access.py) sets some texts of a
record in one language; texts left out keep their translation, a text given as null loses it,
and a translation left with no text is removed. The database refuses what these checks let
through under concurrency: a translation in the record's original language (CHECK
`not_original`, also when the original language changes later), a second translation of one
record into one language (UNIQUE), blank texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import utcnow
from core.errors import Rejected, UserError, user_error
from core.groups.models import WorkingGroup
from core.schema.ids import pk_of
from core.transactions import ConstraintError
from core.translations.models import KINDS, Kind

_ORIGINAL = ConstraintError(
    "ORIGINAL_LANGUAGE", "a record is not translated into its own original language", "language"
)
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "ck_group_translations_not_original": _ORIGINAL,
    "ck_meeting_translations_not_original": _ORIGINAL,
    "ck_priority_area_translations_not_original": _ORIGINAL,
    "uq_group_translations_group_id_language": ConstraintError(
        "CONSTRAINT_VIOLATION", "the translation was being set at the same time", "language"
    ),
    "uq_meeting_translations_meeting_id_language": ConstraintError(
        "CONSTRAINT_VIOLATION", "the translation was being set at the same time", "language"
    ),
    "uq_priority_area_translations_priority_area_id_language": ConstraintError(
        "CONSTRAINT_VIOLATION", "the translation was being set at the same time", "language"
    ),
}

TARGETS = {"groupId": "WorkingGroup", "meetingId": "Meeting", "priorityAreaId": "PriorityArea"}
"""Input field -> the type whose global ID it holds (also the access rule's targets)."""
MAX_SOURCE = 500


@dataclass(frozen=True)
class Target:
    kind: Kind
    pk: int
    original_language: str


def _one_target(ids: dict[str, str | None]) -> tuple[str, str]:
    given = [(field, value) for field, value in ids.items() if value is not None]
    if len(given) != 1:
        raise Rejected(
            user_error(
                "ONE_RECORD_REQUIRED",
                "give exactly one of " + ", ".join(ids) + f" (got {len(given)})",
                *([given[1][0]] if len(given) > 1 else list(ids)[:1]),
            )
        )
    return given[0]


async def target(
    conn: AsyncConnection, ids: dict[str, str | None], themes: tuple[str, ...]
) -> Target:
    """The record named by exactly one of `ids` (input field -> global ID), its row locked;
    NOT_FOUND for an unknown ID, a hidden record (a disabled theme's) or an ID of another type."""
    field, global_id = _one_target(ids)
    kind = KINDS[TARGETS[field]]
    pk = pk_of(global_id, kind.type_name)
    not_found = user_error("NOT_FOUND", f"no {kind.type_name} with id {global_id!r}", field)
    if pk is None:
        raise Rejected(not_found)
    records = kind.records
    stmt = select(records.c.id, records.c.original_language).where(records.c.id == pk)
    if records is not WorkingGroup.__table__:  # a meeting's or priority area's group
        stmt = stmt.join(WorkingGroup, WorkingGroup.id == records.c.group_id)
    stmt = stmt.where(WorkingGroup.theme.in_(themes)).with_for_update(of=records)
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(not_found)
    return Target(kind, pk, row.original_language)


def _checked_texts(kind: Kind, texts: list[tuple[str, str | None]]) -> dict[str, str | None]:
    errors: list[UserError] = []
    checked: dict[str, str | None] = {}
    if not texts:
        errors.append(user_error("REQUIRED", "give at least one text", "texts"))
    for index, (column, text) in enumerate(texts):
        at = ("texts", str(index))
        if column not in kind.fields:
            fields = ", ".join(f.upper() for f in kind.fields)
            message = f"{column.upper()} is not a text of a {kind.type_name} ({fields})"
            errors.append(user_error("NOT_TRANSLATABLE", message, *at, "field"))
            continue
        if column in checked:
            message = f"{column.upper()} is given twice"
            errors.append(user_error("DUPLICATE_FIELD", message, *at, "field"))
            continue
        limit = kind.max_lengths[kind.fields.index(column)]
        if text is not None and not text.strip():
            message = f"the {column} text must not be blank (null removes it)"
            errors.append(user_error("REQUIRED", message, *at, "text"))
        elif text is not None and limit is not None and len(text) > limit:
            message = f"the {column} text is longer than {limit} characters"
            errors.append(user_error("TOO_LONG", message, *at, "text"))
        checked[column] = text
    if errors:
        raise Rejected(*errors)
    return checked


def _check_language(found: Target, language: str) -> None:
    if language == found.original_language:
        message = f"the record's original language is {language}: translate into another"
        raise Rejected(user_error("ORIGINAL_LANGUAGE", message, "language"))


async def set_translation(
    conn: AsyncConnection,
    found: Target,
    language: str,
    texts: list[tuple[str, str | None]],
    *,
    is_official: bool | None,
    source: str | None,
    source_given: bool,
) -> None:
    """Set `texts` ((column, text or None) pairs) of `found` in `language`.

    `is_official` None keeps the stored flag (false for a new translation); `source_given`
    False keeps the stored source. Rejected: REQUIRED, TOO_LONG, NOT_TRANSLATABLE,
    DUPLICATE_FIELD, ORIGINAL_LANGUAGE."""
    kind = found.kind
    _check_language(found, language)
    changes = _checked_texts(kind, texts)
    if source is not None and len(source) > MAX_SOURCE:
        message = f"source is longer than {MAX_SOURCE} characters"
        raise Rejected(user_error("TOO_LONG", message, "source"))
    table = kind.translations
    key = table.c[kind.key]
    mine = (key == found.pk) & (table.c.language == language)
    existing = (await conn.execute(select(*table.c).where(mine))).first()
    values: dict[str, Any] = {**changes, "updated_at": utcnow()}
    if is_official is not None:
        values["is_official"] = is_official
    if source_given:
        values["source"] = source
    if existing is None:
        if all(text is None for text in changes.values()):
            return  # nothing to translate, nothing stored
        values.setdefault("is_official", False)
        row = {key.name: found.pk, "language": language, **values}
        await conn.execute(insert(table).values(original_language=found.original_language, **row))
        return
    after = {column: values.get(column, getattr(existing, column)) for column in kind.fields}
    if all(text is None for text in after.values()):
        await conn.execute(delete(table).where(mine))
        return
    await conn.execute(update(table).where(mine).values(**values))


async def remove_translation(conn: AsyncConnection, found: Target, language: str) -> None:
    """Remove the whole translation of `found` in `language`; NO_TRANSLATION if there is none."""
    table = found.kind.translations
    mine = (table.c[found.kind.key] == found.pk) & (table.c.language == language)
    removed = await conn.execute(delete(table).where(mine))
    if not removed.rowcount:
        message = f"the record has no translation in {language}"
        raise Rejected(user_error("NO_TRANSLATION", message, "language"))
