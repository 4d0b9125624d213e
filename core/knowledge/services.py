"""Writes of the knowledge domain, each in the caller's transaction: resources (created as drafts,
edited, published, deleted) here; declared expertise in `core/knowledge/expertise.py`.

Other domains call `create_resource` and `publish_resource` directly (e.g. assistance: a completed
match's outcome report becoming a resource). Their input checks (core/knowledge/checks.py) are
repeated by the database (core/knowledge/models.py, migration core_0016): `CONSTRAINT_ERRORS` maps
its refusals to the same user errors, so a writer that skips these functions gets the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.services import record
from core.db import utcnow
from core.errors import Rejected, user_error
from core.knowledge import checks
from core.knowledge.models import (
    Resource,
    ResourceCommitment,
    ResourceCountry,
    ResourceGroup,
    ResourceKind,
    ResourceLanguage,
    ResourceStatus,
    ResourceTopic,
)
from core.topics import checked_topics
from core.transactions import ConstraintError

Invalid = Rejected
"""What `create_resource` raises for bad input: `core.errors.Rejected`, its `.errors` the user
errors (code, message, field). Inside `core.transactions.in_transaction` it rolls back and comes
out as the payload's userErrors."""

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "ck_resources_link_or_body": ConstraintError(
        "LINK_OR_BODY_REQUIRED", "a resource needs a url or a body", "url"
    ),
    "ck_resources_url_is_http": ConstraintError(
        "INVALID_URL", "url is not an absolute http(s) URL", "url"
    ),
    "ck_resources_licence": ConstraintError(
        "INVALID_LICENCE", "licence is not an accepted SPDX identifier", "licence"
    ),
    "ck_resources_title_not_blank": ConstraintError("REQUIRED", "title must not be blank", "title"),
    "ck_resources_draft_unpublished": ConstraintError(
        "CONSTRAINT_VIOLATION", "a draft has no publication date", "id"
    ),
    "ck_resources_stays_published": ConstraintError(
        "ALREADY_PUBLISHED", "a published resource stays published", "id"
    ),
    "ck_resources_keeps_published_at": ConstraintError(
        "CONSTRAINT_VIOLATION", "a published resource keeps its publication date", "id"
    ),
    "ck_resource_groups_home_group": ConstraintError(
        "CONSTRAINT_VIOLATION", "a resource's home group stays one of its groups", "groupIds"
    ),
    "ck_resource_languages_language": ConstraintError(
        "UNKNOWN_LANGUAGE", "a language is not an ISO 639-1 code", "languages"
    ),
    "ck_resource_topics_topic": ConstraintError(
        "INVALID_TOPIC", "a tag is not a topic slug", "tags"
    ),
    "ck_expertise_languages_language": ConstraintError(
        "UNKNOWN_LANGUAGE", "a language is not an ISO 639-1 code", "languages"
    ),
    "ck_expertise_topics_topic": ConstraintError(
        "INVALID_TOPIC", "a topic is not a topic slug", "topics"
    ),
    "ck_expertise_one_holder": ConstraintError(
        "ONE_HOLDER_REQUIRED", "name exactly one of personId and organizationId", "personId"
    ),
    "uq_expertise_person_id": ConstraintError(
        "EXPERTISE_DECLARED", "the person has declared expertise already", "personId"
    ),
    "uq_expertise_organization_id": ConstraintError(
        "EXPERTISE_DECLARED", "the organisation has declared expertise already", "organizationId"
    ),
}


# --- Writes ---------------------------------------------------------------------------------------


async def create_resource(
    conn: AsyncConnection,
    *,
    group_id: int,
    organization_id: int,
    kind: ResourceKind,
    title: str,
    summary: str,
    licence: str,
    url: str | None = None,
    body: str | None = None,
    languages: Sequence[str] = (),
    topics: Sequence[str] = (),
    country_ids: Sequence[int] = (),
    commitment_ids: Sequence[int] = (),
    group_ids: Sequence[int] = (),
    created_by_person_id: int | None = None,
    source: str | None = None,
    illustrative: bool = False,
) -> int:
    """A new DRAFT resource shared in group `group_id` (its home group: its anchors see the draft)
    by organisation `organization_id`, in the caller's transaction; returns its id.

    `languages`: ISO 639-1 codes (at least one); `topics`: topic slugs (its tags); `group_ids`:
    other groups it concerns (the home group is always one); `country_ids`, `commitment_ids`:
    database ids of `countries` and `commitments` rows (an unknown id: the foreign key refuses,
    CONSTRAINT_VIOLATION); `source`: how to cite it. Raises `Invalid` (`Rejected`) with REQUIRED,
    TOO_LONG, INVALID_URL, LINK_OR_BODY_REQUIRED, INVALID_LICENCE, UNKNOWN_LANGUAGE,
    INVALID_TOPIC or TOO_MANY. Publish it with `publish_resource`.
    """
    values = checks.resource_columns(
        title=title,
        summary=summary,
        url=url,
        body=body,
        licence_=licence,
        source=source,
    )
    langs = checks.languages(languages)
    tags = checked_topics(topics, "tags")
    now = utcnow()
    pk = await conn.scalar(
        insert(Resource)
        .values(
            group_id=group_id,
            kind=kind,
            status=ResourceStatus.DRAFT,
            organization_id=organization_id,
            created_by_person_id=created_by_person_id,
            illustrative=illustrative,
            created_at=now,
            updated_at=now,
            **values,
        )
        .returning(Resource.id)
    )
    assert pk is not None
    await _replace_children(
        conn,
        int(pk),
        groups=[g for g in checks.at_most(group_ids, "groupIds") if g != group_id],
        countries=checks.at_most(country_ids, "countries"),
        commitments=checks.at_most(commitment_ids, "commitmentIds"),
        languages=langs,
        topics=tags,
    )
    return int(pk)


async def _replace_children(
    conn: AsyncConnection,
    pk: int,
    *,
    groups: list[int] | None = None,
    countries: list[int] | None = None,
    commitments: list[int] | None = None,
    languages: list[str] | None = None,
    topics: list[str] | None = None,
) -> None:
    """Set the lists given (None: left as they are)."""
    lists: list[tuple[Any, str, list[Any] | None]] = [
        (ResourceCountry, "country_id", countries),
        (ResourceCommitment, "commitment_id", commitments),
        (ResourceLanguage, "language", languages),
        (ResourceTopic, "topic", topics),
    ]
    for model, column, values in lists:
        if values is None:
            continue
        await conn.execute(delete(model).where(model.resource_id == pk))
        if values:
            await conn.execute(insert(model), [{"resource_id": pk, column: v} for v in values])
    if groups is not None:
        home = select(Resource.group_id).where(Resource.id == pk).scalar_subquery()
        await conn.execute(
            delete(ResourceGroup).where(
                ResourceGroup.resource_id == pk, ResourceGroup.group_id != home
            )
        )
        if groups:
            await conn.execute(
                insert(ResourceGroup), [{"resource_id": pk, "group_id": g} for g in groups]
            )


async def locked_resource(conn: AsyncConnection, pk: int) -> Any:
    """The resource's row, locked until the transaction ends; NOT_FOUND if there is none."""
    stmt = select(*Resource.__table__.c).where(Resource.id == pk).with_for_update()
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(user_error("NOT_FOUND", "no such resource", "id"))
    return row


async def update_resource(
    conn: AsyncConnection,
    pk: int,
    *,
    title: str | None = None,
    summary: str | None = None,
    url: str | None = None,
    body: str | None = None,
    licence: str | None = None,
    source: str | None = None,
    kind: ResourceKind | None = None,
    languages: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    country_ids: Sequence[int] | None = None,
    commitment_ids: Sequence[int] | None = None,
    group_ids: Sequence[int] | None = None,
) -> None:
    """Change what is given (None: unchanged; an empty string clears `url`, `body`, `source`, and
    the database refuses a resource left with neither link nor body: LINK_OR_BODY_REQUIRED).
    Drafts and published resources alike (a published one keeps its status and date)."""
    row = await locked_resource(conn, pk)
    values = checks.resource_columns(
        title=title,
        summary=summary,
        url=url,
        body=body,
        licence_=licence,
        source=source,
        partial=True,
    )
    if kind is not None:
        values["kind"] = kind
    merged_url = values.get("url", row.url) if "url" in values else row.url
    merged_body = values.get("body", row.body) if "body" in values else row.body
    if merged_url is None and merged_body is None:
        raise Rejected(
            user_error("LINK_OR_BODY_REQUIRED", "a resource needs a url or a body", "url")
        )
    await conn.execute(
        update(Resource).where(Resource.id == pk).values(updated_at=utcnow(), **values)
    )
    await _replace_children(
        conn,
        pk,
        groups=None
        if group_ids is None
        else [g for g in checks.at_most(group_ids, "groupIds") if g != row.group_id],
        countries=None if country_ids is None else checks.at_most(country_ids, "countries"),
        commitments=None
        if commitment_ids is None
        else checks.at_most(commitment_ids, "commitmentIds"),
        languages=None if languages is None else checks.languages(languages),
        topics=None if topics is None else checked_topics(topics, "tags"),
    )


async def publish_resource(
    conn: AsyncConnection, pk: int, *, actor_id: int | None, at: datetime | None = None
) -> None:
    """Publish a draft: PUBLISHED, `published_at` set by the database (or `at`, a publication's
    own date, e.g. the demo's), and a RESOURCE_PUBLISHED event in its home group's feed.
    ALREADY_PUBLISHED for a published resource."""
    row = await locked_resource(conn, pk)
    if row.status == ResourceStatus.PUBLISHED:
        raise Rejected(user_error("ALREADY_PUBLISHED", "the resource is already published", "id"))
    values: dict[str, Any] = {"status": ResourceStatus.PUBLISHED, "updated_at": utcnow()}
    if at is not None:
        values["published_at"] = at
    await conn.execute(update(Resource).where(Resource.id == pk).values(**values))
    await record(
        conn,
        verb="RESOURCE_PUBLISHED",
        subject_type="Resource",
        subject_id=pk,
        summary=f"Resource '{row.title}' was published",
        group_id=row.group_id,
        actor_id=actor_id,
        at=at,
    )


async def delete_resource(conn: AsyncConnection, pk: int, *, moderator: bool) -> Any:
    """Delete a resource and its lists; returns its row as it was. A published one only by a
    `moderator` (an anchor of its group, or staff): RESOURCE_PUBLISHED otherwise."""
    row = await locked_resource(conn, pk)
    if row.status == ResourceStatus.PUBLISHED and not moderator:
        raise Rejected(
            user_error(
                "RESOURCE_PUBLISHED",
                "a published resource is removed by its group's anchors or staff",
                "id",
            )
        )
    await conn.execute(delete(Resource).where(Resource.id == pk))
    return row


async def reread(conn: AsyncConnection, pk: int) -> Any:
    return (await conn.execute(select(*Resource.__table__.c).where(Resource.id == pk))).one()
