"""GraphQL types of the translations domain, and the fields it gives translatable types.

How a language is chosen, per text field (`WorkingGroup.name`, `Meeting.title`...):

1. the field's own `language` argument, if given;
2. else the request's `Accept-Language` header, negotiated (core/translations/negotiation.py);
3. else none: the original text.

A text is served in the chosen language when the record has a translation of that text, and in
its original language otherwise (the fallback). Which one was served is said three ways:
`texts(language:)` lists each text with its language; `originalLanguage` names the original;
and the HTTP response carries `Content-Language` when every translatable text it holds was
served in one language (with `Vary: Accept-Language`, core/http_cache.py). A request that
chooses no language is answered from the records alone, with no translation read and no
`Content-Language`.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

import strawberry
from sqlalchemy import case, func, null, select, true, type_coerce
from strawberry.types import Info

from core.columns import enum_column
from core.compiled.declare import SQL_OBJECTS, TRANSLATED, computed
from core.compiled.sqljson import raw, served_in
from core.limits import LIST_SIZE
from core.loading import DIRECT_READ, relation
from core.schema.base import Node
from core.translations.loaders import SERVED, Served
from core.translations.models import KINDS
from core.translations.negotiation import negotiate


@strawberry.enum(description="OGP's working languages (ISO 639-1).")
class Language(enum.StrEnum):
    EN = "en"
    ES = "es"
    FR = "fr"


LANGUAGE_COLUMN = enum_column(Language, "original_language")
"""The `original_language` column's values ('en') as Language members: the SQL type the
compiled read path prints as the enum's names ("EN")."""


@strawberry.enum(description="A translatable text of a group, meeting or priority area.")
class TranslatableField(enum.StrEnum):
    NAME = "name"
    SUMMARY = "summary"
    DESCRIPTION = "description"
    TITLE = "title"
    AGENDA = "agenda"
    RATIONALE = "rationale"


@strawberry.type(description="One translatable text of a record, as served in one language.")
class ServedText:
    field: TranslatableField
    text: str
    language: Language = strawberry.field(description="The language `text` is in.")
    is_translation: bool = strawberry.field(
        description="false: the record's original text (the requested language has no "
        "translation of it, or is the original language)."
    )
    is_official: bool = strawberry.field(
        description="A translation published by OGP (false: e.g. the demo's own, unofficial "
        "translations). An original text is the record's own: true."
    )
    source: str | None = strawberry.field(description="Where a translation comes from.")


def chosen(ctx: Any, language: Language | None) -> str | None:
    """The language asked for: the argument, else the negotiated `Accept-Language`, else None."""
    if language is not None:
        return language.value
    request = ctx.request
    return negotiate(request.headers.get("accept-language")) if request is not None else None


def note_served(ctx: Any, language: str) -> None:
    """Remember that a text went out in `language`; Content-Language while there is only one."""
    served: set[str] = ctx.languages_served
    served.add(language)
    response = ctx.response
    if response is None:
        return
    if len(served) == 1:
        response.headers["content-language"] = language
    elif "content-language" in response.headers:
        del response.headers["content-language"]


async def _served(info: Info, type_name: str, pk: int, language: str | None) -> Served | None:
    result: Served | None = await info.context.loader(SERVED).load((type_name, pk, language))
    return result


def translatable(type_name: str, column: str, description: str) -> Any:
    """The GraphQL field `column` of `type_name`: the record's text `column` (its Python
    attribute, kept as `strawberry.Private`) in the chosen language, else the original. The
    compiled read path reads the attribute's column when no language is chosen (`DIRECT_READ`),
    else the same choice in SQL (`TRANSLATED`), each text marked with the language it went out
    in for `Content-Language` (core.compiled.sqljson.spliced notes them)."""

    async def resolve(self: Any, info: Info, language: Language | None = None) -> str:
        original: str = getattr(self, column)
        ctx = info.context
        wanted = chosen(ctx, language)
        if wanted is None:
            return original
        served = await _served(info, type_name, self.pk, wanted)
        if served is None:
            return original
        text, served_in = served.text(column, original)
        note_served(ctx, served_in)
        return text

    def direct_read(ctx: Any, node: Any) -> str | None:
        # No `language` argument and no language negotiated: the original, as `resolve` answers
        return column if not node.arguments and chosen(ctx, None) is None else None

    kind = KINDS[type_name]
    translations = kind.translations

    def translated(
        ctx: Any, arguments: dict[str, Any], row: Any, string: Callable[[Any], Any]
    ) -> Any:
        # The compiled read path's `resolve` (core.compiled.declare.TRANSLATED): the
        # translation's text where it has one, else the original, each marked with its language
        wanted = chosen(ctx, arguments.get("language"))
        if wanted is None:  # `language: null` and none negotiated: the original, not noted
            return string(getattr(row, column))
        text = string(translations.c[column])
        marked = served_in(text, translations.c.language)
        translation = _of_translation(kind, column, row, wanted, marked)
        original = served_in(string(getattr(row, column)), row.original_language)
        return func.coalesce(translation, original)

    return strawberry.field(
        resolver=resolve,
        name=column,
        description=f"{description} In `language`, else in the `Accept-Language` header's; "
        "the original where untranslated (`texts` says which language was served).",
        metadata={DIRECT_READ: direct_read, TRANSLATED: translated},
    )


def _of_translation(kind: Any, column: str, row: Any, wanted: str, value: Any) -> Any:
    """`value` (SQL over `kind.translations`) of the record's translation into `wanted` that
    translates `column`, as a scalar subquery: NULL where there is none (the original is
    served)."""
    translations = kind.translations
    return (
        select(value)
        .where(
            translations.c[kind.key] == row.pk,
            translations.c.language == wanted,
            translations.c[column].is_not(None),
        )
        .scalar_subquery()
    )


def original_language_field(type_name: str) -> Any:
    """`originalLanguage`: the language the record was written in."""

    async def resolve(self: Any, info: Info) -> Language:
        served = await _served(info, type_name, self.pk, None)
        return Language(served.original if served is not None else "en")

    return strawberry.field(
        resolver=resolve,
        description="The language the record's texts were written in.",
        # the record's own column, for the compiled read path (core.compiled)
        metadata=computed(lambda row: type_coerce(row.original_language, LANGUAGE_COLUMN)),
    )


def texts_field(type_name: str) -> Any:
    """`texts(language:)`: every translatable text of the record, with the language served."""
    kind = KINDS[type_name]

    async def resolve(self: Any, info: Info, language: Language | None = None) -> list[ServedText]:
        ctx = info.context
        wanted = chosen(ctx, language)
        served = await _served(info, type_name, self.pk, wanted)
        if served is None:
            return []
        out = []
        for column in kind.fields:
            text, served_in = served.text(column, getattr(self, column))
            translated = served_in != served.original
            out.append(
                ServedText(
                    field=TranslatableField(column),
                    text=text,
                    language=Language(served_in),
                    is_translation=translated,
                    is_official=served.is_official if translated else True,
                    source=served.source if translated else None,
                )
            )
            if wanted is not None:
                note_served(ctx, served_in)
        return out

    translations = kind.translations

    def objects(
        ctx: Any, arguments: dict[str, Any], row: Any, string: Callable[[Any], Any]
    ) -> list[tuple[ServedText, Any]]:
        # The compiled read path's `resolve` (core.compiled.declare.SQL_OBJECTS): each text as
        # `resolve` serves it, marked with its language when one was chosen (note_served)
        wanted = chosen(ctx, arguments.get("language"))
        original = type_coerce(row.original_language, LANGUAGE_COLUMN)
        out: list[tuple[ServedText, Any]] = []
        for column in kind.fields:
            own = getattr(row, column)
            # ServedText's fields hold SQL here (values: Any), which the compiler prints
            values: dict[str, Any] = {"field": TranslatableField(column), "text": own}
            if wanted is None:
                values |= {"language": original, "is_translation": False, "is_official": True}
                out.append((ServedText(**values, source=None), None))
                continue

            of_translation = partial(_of_translation, kind, column, row, wanted)
            translated = of_translation(true()).is_not(None)
            language = case((translated, wanted), else_=row.original_language)
            values |= {
                "text": func.coalesce(of_translation(translations.c[column]), own),
                "language": type_coerce(language, LANGUAGE_COLUMN),
                "is_translation": translated,
                "is_official": case(
                    (translated, of_translation(translations.c.is_official)), else_=true()
                ),
                "source": case((translated, of_translation(translations.c.source)), else_=null()),
            }
            out.append((ServedText(**values), served_in(raw(""), language)))
        return out

    return strawberry.field(
        resolver=resolve,
        description="Each translatable text in the language chosen (as for the text fields "
        "themselves), saying which language was served: a front end marks fallbacks.",
        metadata={LIST_SIZE: len(kind.fields), SQL_OBJECTS: objects},
    )


async def _records(ctx: Any, keys: list[tuple[str, int]]) -> list[Any]:
    """Groups, meetings and priority areas by (type name, pk), one statement per type."""
    from core.groups.loaders import groups_by_id
    from core.meetings.loaders import meetings_by_id
    from core.priorities.loaders import priority_areas_by_id

    loaders: dict[str, Callable[..., Awaitable[Sequence[Any]]]] = {
        "WorkingGroup": groups_by_id,
        "Meeting": meetings_by_id,
        "PriorityArea": priority_areas_by_id,
    }
    found: dict[tuple[str, int], Any] = {}
    for type_name, load in loaders.items():
        pks = [pk for name, pk in keys if name == type_name]
        if pks:
            found.update(zip(((type_name, pk) for pk in pks), await load(ctx, pks), strict=True))
    return [found.get(key) for key in keys]


@strawberry.type(description="A record with texts not yet translated into one language.")
class MissingTranslation:
    ref: strawberry.Private[tuple[str, int]]
    language: Language
    fields: list[TranslatableField] = strawberry.field(
        description="The texts that are not empty in the original and have no translation.",
        metadata={LIST_SIZE: len(TranslatableField)},
    )

    @relation(_records, key="ref")
    def record(self) -> Node | None: ...
