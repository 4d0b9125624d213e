"""Declared expertise: what a person or an organisation knows (topics, languages, countries worked
in, a short description), so a group's members can find someone who has done it before.

One declaration per holder (a partial unique index per holder column, core_0016): its topics,
languages and countries are lists, so a single row says everything and a search lists the holder
once; the holder edits it (`update_expertise`) or withdraws it (`withdraw_expertise`, deleted: a
withdrawn declaration is no longer a claim anyone should rely on).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import utcnow
from core.errors import Rejected, user_error
from core.knowledge import checks
from core.knowledge.models import Expertise, ExpertiseCountry, ExpertiseLanguage, ExpertiseTopic
from core.topics import checked_topics

DESCRIPTION_MAX = 2_000


async def declare_expertise(
    conn: AsyncConnection,
    *,
    person_id: int | None = None,
    organization_id: int | None = None,
    description: str,
    topics: Sequence[str],
    languages: Sequence[str] = (),
    country_ids: Sequence[int] = (),
    illustrative: bool = False,
) -> int:
    """The holder's declaration (exactly one of `person_id`, `organization_id`), in the caller's
    transaction; returns its id. `topics`: at least one topic slug; `languages`: ISO 639-1 codes
    it works in; `country_ids`: `countries` ids it worked in. Rejected with ONE_HOLDER_REQUIRED,
    EXPERTISE_DECLARED (the holder has one: update it), REQUIRED, TOO_LONG, INVALID_TOPIC,
    UNKNOWN_LANGUAGE, TOO_MANY."""
    if (person_id is None) == (organization_id is None):
        raise Rejected(
            user_error(
                "ONE_HOLDER_REQUIRED", "name exactly one of personId and organizationId", "personId"
            )
        )
    text = checks.text(description, "description", DESCRIPTION_MAX)
    lists = _lists(topics, languages, country_ids)
    holder = Expertise.person_id if person_id is not None else Expertise.organization_id
    field = "personId" if person_id is not None else "organizationId"
    if await conn.scalar(select(Expertise.id).where(holder == (person_id or organization_id))):
        raise Rejected(
            user_error("EXPERTISE_DECLARED", "expertise is declared already: update it", field)
        )
    now = utcnow()
    pk = await conn.scalar(
        insert(Expertise)
        .values(
            person_id=person_id,
            organization_id=organization_id,
            description=text,
            illustrative=illustrative,
            created_at=now,
            updated_at=now,
        )
        .returning(Expertise.id)
    )
    assert pk is not None
    await _replace(conn, int(pk), lists)
    return int(pk)


def _lists(
    topics: Sequence[str] | None,
    languages: Sequence[str] | None,
    country_ids: Sequence[int] | None,
) -> dict[str, list[Any] | None]:
    slugs = None if topics is None else checked_topics(topics, "topics")
    if slugs is not None and not slugs:
        raise Rejected(user_error("REQUIRED", "name at least one topic", "topics"))
    return {
        "topics": slugs,
        "languages": None if languages is None else checks.languages(languages, required=False),
        "countries": None if country_ids is None else checks.at_most(country_ids, "countries"),
    }


async def _replace(conn: AsyncConnection, pk: int, lists: dict[str, list[Any] | None]) -> None:
    children: list[tuple[Any, str, list[Any] | None]] = [
        (ExpertiseTopic, "topic", lists["topics"]),
        (ExpertiseLanguage, "language", lists["languages"]),
        (ExpertiseCountry, "country_id", lists["countries"]),
    ]
    for model, column, values in children:
        if values is None:
            continue
        await conn.execute(delete(model).where(model.expertise_id == pk))
        if values:
            await conn.execute(insert(model), [{"expertise_id": pk, column: v} for v in values])


async def locked_expertise(conn: AsyncConnection, pk: int) -> Any:
    stmt = select(*Expertise.__table__.c).where(Expertise.id == pk).with_for_update()
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(user_error("NOT_FOUND", "no such declaration of expertise", "id"))
    return row


async def update_expertise(
    conn: AsyncConnection,
    pk: int,
    *,
    description: str | None = None,
    topics: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    country_ids: Sequence[int] | None = None,
) -> None:
    """Change what is given (None: unchanged; `topics` keeps at least one)."""
    await locked_expertise(conn, pk)
    values: dict[str, Any] = {"updated_at": utcnow()}
    if description is not None:
        values["description"] = checks.text(description, "description", DESCRIPTION_MAX)
    lists = _lists(topics, languages, country_ids)
    await conn.execute(update(Expertise).where(Expertise.id == pk).values(**values))
    await _replace(conn, pk, lists)


async def withdraw_expertise(conn: AsyncConnection, pk: int) -> Any:
    """Delete the declaration (and its lists); returns its row as it was."""
    row = await locked_expertise(conn, pk)
    await conn.execute(delete(Expertise).where(Expertise.id == pk))
    return row


async def reread(conn: AsyncConnection, pk: int) -> Any:
    return (await conn.execute(select(*Expertise.__table__.c).where(Expertise.id == pk))).one()
