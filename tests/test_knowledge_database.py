"""The knowledge domain's rules kept by the database itself (migration core_0016), on both
databases: SQL that skips the services is refused with the constraint name the core maps to the
service's user error code, `published_at` is set by the database on publication, a published
resource never goes back to DRAFT nor changes its date, and a resource's home group is always one
of its groups (added by the database, its row neither deleted nor moved).
The demo's resources and organisations are the rows tried."""

from __future__ import annotations

from itertools import product
from string import ascii_lowercase
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import Database, utcnow
from core.knowledge.models import (
    Expertise,
    ExpertiseLanguage,
    ExpertiseTopic,
    Resource,
    ResourceGroup,
    ResourceLanguage,
    ResourceStatus,
    ResourceTopic,
)
from core.knowledge.vocabulary import LANGUAGES
from core.models import Organization, Person, WorkingGroup
from tests.test_rules_in_database import Refusals, change, insert


def home_row(resource: int, stmt: Any) -> Any:
    """`stmt` (a DELETE or UPDATE of resource_groups) on the resource's home group's row."""

    async def write(conn: AsyncConnection) -> None:
        home = sa.select(Resource.group_id).where(Resource.id == resource).scalar_subquery()
        await conn.execute(
            stmt.where(ResourceGroup.resource_id == resource, ResourceGroup.group_id == home)
        )

    return write


def child(model: Any, **values: Any) -> Any:
    async def write(conn: AsyncConnection) -> None:
        await conn.execute(sa.insert(model).values(**values))

    return write


async def test_resources_and_expertise_refuse_bad_rows(demo_db: str) -> None:
    rules = Refusals(demo_db)
    try:
        async with rules.db.read() as conn:
            group = await conn.scalar(
                sa.select(WorkingGroup.id).where(WorkingGroup.slug == "open-data")
            )
            other_group = await conn.scalar(
                sa.select(WorkingGroup.id).where(WorkingGroup.slug == "fiscal-openness")
            )
            org = await conn.scalar(sa.select(Organization.id).order_by(Organization.id))
            published = await conn.scalar(
                sa.select(Resource.id)
                .where(Resource.status == ResourceStatus.PUBLISHED)
                .order_by(Resource.id)
            )
            draft = await conn.scalar(
                sa.select(Resource.id).where(Resource.status == ResourceStatus.DRAFT)
            )
            declared = await conn.scalar(
                sa.select(Expertise.organization_id).where(Expertise.organization_id.is_not(None))
            )
            person = await conn.scalar(sa.select(Person.id).order_by(Person.id))
        assert None not in (group, other_group, org, published, draft, declared, person)
        now = utcnow()
        row = {
            "group_id": group,
            "kind": "GUIDE",
            "status": "DRAFT",
            "title": "Raw",
            "summary": "Raw",
            "url": "https://example.org/raw",
            "organization_id": org,
            "licence": "CC-BY-4.0",
            "illustrative": False,
            "created_at": now,
            "updated_at": now,
        }
        await rules.refused(
            insert(Resource, **row | {"url": None, "body": None}),
            "ck_resources_link_or_body",
            "LINK_OR_BODY_REQUIRED",
        )
        await rules.refused(
            insert(Resource, **row | {"url": "javascript:alert(1)"}),
            "ck_resources_url_is_http",
            "INVALID_URL",
        )
        await rules.refused(
            insert(Resource, **row | {"licence": "Proprietary"}),
            "ck_resources_licence",
            "INVALID_LICENCE",
        )
        await rules.refused(
            insert(Resource, **row | {"published_at": now}),
            "ck_resources_draft_unpublished",
            "CONSTRAINT_VIOLATION",
        )
        await rules.refused(
            change(Resource, published, status="DRAFT", published_at=None),
            "ck_resources_stays_published",
            "ALREADY_PUBLISHED",
        )
        await rules.refused(
            change(Resource, published, published_at=None),
            "ck_resources_stays_published",
            "ALREADY_PUBLISHED",
        )
        await rules.refused(
            change(Resource, published, published_at=now.replace(2000)),
            "ck_resources_keeps_published_at",
            "CONSTRAINT_VIOLATION",
        )
        await rules.refused(
            change(Resource, published, status="PUBLISHED", published_at=now),
            "ck_resources_keeps_published_at",
            "CONSTRAINT_VIOLATION",
        )
        await rules.refused(
            home_row(draft, sa.delete(ResourceGroup)),
            "ck_resource_groups_home_group",
            "CONSTRAINT_VIOLATION",
        )
        await rules.refused(
            home_row(draft, sa.update(ResourceGroup).values(group_id=other_group)),
            "ck_resource_groups_home_group",
            "CONSTRAINT_VIOLATION",
        )
        await rules.refused(
            child(ResourceLanguage, resource_id=draft, language="xx"),
            "ck_resource_languages_language",
            "UNKNOWN_LANGUAGE",
        )
        await rules.refused(
            child(ResourceTopic, resource_id=draft, topic="Open Data"),
            "ck_resource_topics_topic",
            "INVALID_TOPIC",
        )
        expertise = {"description": "Raw", "illustrative": False, "created_at": now}
        expertise |= {"updated_at": now}
        await rules.refused(
            insert(Expertise, **expertise), "ck_expertise_one_holder", "ONE_HOLDER_REQUIRED"
        )
        await rules.refused(
            insert(Expertise, **expertise | {"organization_id": org, "person_id": person}),
            "ck_expertise_one_holder",
            "ONE_HOLDER_REQUIRED",
        )
        await rules.refused(
            insert(Expertise, **expertise | {"organization_id": declared}),
            "uq_expertise_organization_id",
            "EXPERTISE_DECLARED",
        )
        mine = await rules.done(insert(Expertise, **expertise | {"person_id": person}))
        await rules.refused(
            insert(Expertise, **expertise | {"person_id": person}),
            "uq_expertise_person_id",
            "EXPERTISE_DECLARED",
        )
        await rules.refused(
            child(ExpertiseLanguage, expertise_id=mine, language="EN"),
            "ck_expertise_languages_language",
            "UNKNOWN_LANGUAGE",
        )
        await rules.refused(
            child(ExpertiseTopic, expertise_id=mine, topic="-x"),
            "ck_expertise_topics_topic",
            "INVALID_TOPIC",
        )

        # what the database does by itself: the home group joins resource_groups, the
        # publication gets its date, and a date given (a publication's own) is kept
        pk = await rules.done(insert(Resource, **row))

        async def state(conn: AsyncConnection) -> Any:
            groups = await conn.scalars(
                sa.select(ResourceGroup.group_id).where(ResourceGroup.resource_id == pk)
            )
            at = await conn.scalar(sa.select(Resource.published_at).where(Resource.id == pk))
            return list(groups), at

        groups, at = await rules.done(state)
        assert (groups, at) == ([group], None)
        await rules.done(change(Resource, pk, status="PUBLISHED"))
        groups, at = await rules.done(state)
        assert at is not None and abs((at - utcnow()).total_seconds()) < 60
        given = await rules.done(
            insert(Resource, **row | {"status": "PUBLISHED", "published_at": now.replace(2015)})
        )
        assert await rules.done(
            lambda conn: conn.scalar(sa.select(Resource.published_at).where(Resource.id == given))
        ) == now.replace(2015)

        # the date stays through other edits; the home group's row goes only when the resource
        # has another home, or with the resource or the group
        await rules.done(change(Resource, pk, title="Renamed", published_at=at))
        assert (await rules.done(state))[1] == at
        await rules.done(child(ResourceGroup, resource_id=pk, group_id=other_group))
        await rules.done(
            lambda conn: conn.execute(
                sa.delete(ResourceGroup).where(
                    ResourceGroup.resource_id == pk, ResourceGroup.group_id == other_group
                )
            )
        )
        assert (await rules.done(state))[0] == [group]
        await rules.done(change(Resource, pk, group_id=other_group))
        await rules.done(
            lambda conn: conn.execute(
                sa.delete(ResourceGroup).where(
                    ResourceGroup.resource_id == pk, ResourceGroup.group_id == group
                )
            )
        )
        assert (await rules.done(state))[0] == [other_group]
        await rules.done(lambda conn: conn.execute(sa.delete(Resource).where(Resource.id == pk)))
        assert (await rules.done(state))[0] == []

        async def delete_group(conn: AsyncConnection) -> Any:
            await conn.execute(sa.delete(WorkingGroup).where(WorkingGroup.id == other_group))
            return await conn.scalar(
                sa.select(sa.func.count())
                .select_from(ResourceGroup)
                .where(ResourceGroup.group_id == other_group)
            )

        assert await rules.done(delete_group) == 0
    finally:
        await rules.db.dispose()


async def test_the_database_takes_exactly_the_iso_639_1_codes(demo_db: str) -> None:
    """Every two-letter lowercase code, each in a savepoint: the CHECK accepts exactly
    core.knowledge.vocabulary.LANGUAGES (the list the services check against)."""
    db = Database(demo_db)
    accepted: set[str] = set()
    try:
        async with db.write() as conn:
            draft = await conn.scalar(
                sa.select(Resource.id).where(Resource.status == ResourceStatus.DRAFT)
            )
            await conn.execute(
                sa.delete(ResourceLanguage).where(ResourceLanguage.resource_id == draft)
            )
            for code in ("".join(pair) for pair in product(ascii_lowercase, repeat=2)):
                try:
                    async with conn.begin_nested():
                        await conn.execute(
                            sa.insert(ResourceLanguage).values(resource_id=draft, language=code)
                        )
                    accepted.add(code)
                except IntegrityError:
                    pass
            await conn.rollback()
    finally:
        await db.dispose()
    assert accepted == set(LANGUAGES)
