"""Root mutations of the translations domain: `translationSet`, `translationRemove`, thin
wrappers over core/translations/services.py, one transaction each (core.transactions)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from core.errors import UserError
from core.groups.loaders import groups_by_id
from core.hookspecs import BatchLoadFn
from core.loading import prefetched
from core.meetings.loaders import meetings_by_id
from core.priorities.loaders import priority_areas_by_id
from core.schema.base import Node
from core.transactions import in_transaction
from core.translations import services
from core.translations.types import Language, TranslatableField


@strawberry.input(description="One text of a translation; `text: null` removes that text.")
class TranslationTextInput:
    field: TranslatableField
    text: str | None


@strawberry.input(description="Give exactly one of `groupId`, `meetingId`, `priorityAreaId`.")
class TranslationSetInput:
    group_id: strawberry.ID | None = None
    meeting_id: strawberry.ID | None = None
    priority_area_id: strawberry.ID | None = None
    language: Language
    texts: list[TranslationTextInput] = strawberry.field(
        description="The texts to set (a group's NAME, SUMMARY, DESCRIPTION; a meeting's "
        "TITLE, AGENDA; a priority area's TITLE, RATIONALE); those left out keep theirs."
    )
    is_official: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Published by OGP. Left out: unchanged (false for a new translation).",
    )
    source: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where the translation comes from (a URL, a translator). Left out: unchanged.",
    )


@strawberry.input(description="Give exactly one of `groupId`, `meetingId`, `priorityAreaId`.")
class TranslationRemoveInput:
    group_id: strawberry.ID | None = None
    meeting_id: strawberry.ID | None = None
    priority_area_id: strawberry.ID | None = None
    language: Language


@strawberry.type
class TranslationPayload:
    record: Node | None = strawberry.field(
        description="The record translated: read its texts with `texts(language:)`."
    )
    user_errors: list[UserError]


def _ids(data: Any) -> dict[str, str | None]:
    return {
        "groupId": data.group_id,
        "meetingId": data.meeting_id,
        "priorityAreaId": data.priority_area_id,
    }


async def _payload(
    info: Info, found: services.Target | None, errors: list[UserError]
) -> TranslationPayload:
    record = None
    if found is not None:
        loaders: dict[str, BatchLoadFn] = {  # Python loaders and declared ones (core.rows)
            "WorkingGroup": groups_by_id,
            "Meeting": meetings_by_id,
            "PriorityArea": priority_areas_by_id,
        }
        load = loaders[found.kind.type_name]
        record = (await load(info.context, [found.pk]))[0]
    payload = TranslationPayload(record=record, user_errors=errors)
    return await prefetched(info, payload)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Set texts of a group, meeting or priority area in one language (anchors "
        "of the group, staff). Not in the record's original language (ORIGINAL_LANGUAGE)."
    )
    async def translation_set(self, info: Info, input: TranslationSetInput) -> TranslationPayload:
        ctx = info.context
        texts = [(text.field.value, text.text) for text in input.texts]
        official = None if input.is_official is strawberry.UNSET else input.is_official
        source_given = input.source is not strawberry.UNSET

        async def work(conn: Any) -> services.Target:
            found = await services.target(conn, _ids(input), ctx.app.visible_themes)
            await services.set_translation(
                conn,
                found,
                input.language.value,
                texts,
                is_official=official,
                source=input.source if source_given else None,
                source_given=source_given,
            )
            return found

        found, errors = await in_transaction(ctx, work)
        return await _payload(info, found, errors)

    @strawberry.mutation(
        description="Remove a record's translation into one language (anchors of the group, "
        "staff); NO_TRANSLATION if there is none."
    )
    async def translation_remove(
        self, info: Info, input: TranslationRemoveInput
    ) -> TranslationPayload:
        ctx = info.context

        async def work(conn: Any) -> services.Target:
            found = await services.target(conn, _ids(input), ctx.app.visible_themes)
            await services.remove_translation(conn, found, input.language.value)
            return found

        found, errors = await in_transaction(ctx, work)
        return await _payload(info, found, errors)
