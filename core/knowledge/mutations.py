"""Root mutations of the knowledge domain: thin wrappers over core/knowledge/services.py and
core/knowledge/expertise.py, one transaction each (core.transactions). Who may call each:
core/knowledge/access.py; IDs and country codes are turned into rows here (NOT_FOUND,
UNKNOWN_COUNTRY)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import Info

from core import lookups
from core.access.roles import access_of, refusal
from core.access.rules import ANCHOR, STAFF, Subject
from core.commitments.models import Commitment
from core.errors import Rejected, UserError, user_error
from core.groups.models import WorkingGroup
from core.knowledge import checks, services, types
from core.knowledge import expertise as declared
from core.knowledge.models import Resource, ResourceKind
from core.loading import prefetched
from core.people.models import Country, Person
from core.schema.ids import to_global_id
from core.transactions import in_transaction


@strawberry.input
class ResourceCreateInput:
    group_id: strawberry.ID = strawberry.field(
        description="The group it is shared in (its anchors see the draft)."
    )
    kind: ResourceKind
    title: str
    summary: str
    licence: str = strawberry.field(description="An SPDX identifier, e.g. CC-BY-4.0.")
    languages: list[str] = strawberry.field(description="ISO 639-1 codes (at least one).")
    url: str | None = strawberry.field(default=None, description="A link, a body, or both.")
    body: str | None = None
    tags: list[str] = strawberry.field(default_factory=list, description="Topic slugs.")
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO 3166-1 alpha-2 codes (at most 20)."
    )
    commitment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Commitments it concerns (at most 20)."
    )
    group_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Other groups it concerns (at most 20)."
    )
    source: str | None = strawberry.field(default=None, description="How to cite it.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The author organisation. Default: yours (only staff may name another).",
    )


@strawberry.input(description="What to change; a field left out (null) stays as it is.")
class ResourceUpdateInput:
    id: strawberry.ID
    kind: ResourceKind | None = None
    title: str | None = None
    summary: str | None = None
    licence: str | None = None
    url: str | None = strawberry.field(default=None, description='"" removes the link.')
    body: str | None = strawberry.field(default=None, description='"" removes the text.')
    source: str | None = None
    languages: list[str] | None = None
    tags: list[str] | None = None
    countries: list[str] | None = None
    commitment_ids: list[strawberry.ID] | None = None
    group_ids: list[strawberry.ID] | None = None


@strawberry.input
class ResourceIdInput:
    id: strawberry.ID


@strawberry.type
class ResourcePayload:
    resource: types.Resource | None
    user_errors: list[UserError]


@strawberry.type
class ResourceDeletePayload:
    deleted_resource_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.input
class ExpertiseDeclareInput:
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Yourself (staff: anyone). Name this or organizationId."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Your organisation (staff: any)."
    )
    description: str = strawberry.field(description="What you did, where, with whom.")
    topics: list[str] = strawberry.field(description="Topic slugs (at least one).")
    languages: list[str] = strawberry.field(
        default_factory=list, description="ISO 639-1 codes of the languages you work in."
    )
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO alpha-2 codes of countries you worked in."
    )


@strawberry.input(description="What to change; a field left out (null) stays as it is.")
class ExpertiseUpdateInput:
    id: strawberry.ID
    description: str | None = None
    topics: list[str] | None = None
    languages: list[str] | None = None
    countries: list[str] | None = None


@strawberry.input
class ExpertiseIdInput:
    id: strawberry.ID


@strawberry.type
class ExpertisePayload:
    expertise: types.Expertise | None
    user_errors: list[UserError]


@strawberry.type
class ExpertiseWithdrawPayload:
    withdrawn_expertise_id: strawberry.ID | None
    user_errors: list[UserError]


# --- Inputs to rows -------------------------------------------------------------------------------


async def country_ids(conn: AsyncConnection, codes: Sequence[str] | None) -> list[int] | None:
    """`countries` ids of ISO alpha-2 codes (None stays None); UNKNOWN_COUNTRY, TOO_MANY."""
    if codes is None:
        return None
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes))
    if len(wanted) > checks.MAX_ITEMS:
        raise Rejected(user_error("TOO_MANY", f"at most {checks.MAX_ITEMS}", "countries"))
    stmt = select(Country.alpha2, Country.id).where(Country.alpha2.in_(wanted))
    found = {code: pk for code, pk in (await conn.execute(stmt)).all()}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        message = f"no country with code {', '.join(unknown)}"
        raise Rejected(user_error("UNKNOWN_COUNTRY", message, "countries"))
    return [found[c] for c in wanted]


async def _pks(
    conn: AsyncConnection, ids: Sequence[str] | None, type_name: str, field: str, stmt: Any
) -> list[int] | None:
    """Database ids of global IDs whose rows `stmt` (selecting ids) finds; NOT_FOUND else."""
    if ids is None:
        return None
    pks = [lookups.decode(str(i), type_name, field) for i in dict.fromkeys(ids)]
    if len(pks) > checks.MAX_ITEMS:
        raise Rejected(user_error("TOO_MANY", f"at most {checks.MAX_ITEMS}", field))
    found = set((await conn.execute(stmt.where(stmt.selected_columns[0].in_(pks)))).scalars())
    missing = [i for i, pk in zip(ids, pks, strict=False) if pk not in found]
    if missing:
        raise Rejected(user_error("NOT_FOUND", f"no {type_name} with id {missing[0]!r}", field))
    return pks


async def commitment_pks(conn: AsyncConnection, ids: Sequence[str] | None) -> list[int] | None:
    return await _pks(conn, ids, "Commitment", "commitmentIds", select(Commitment.id))


async def group_pks(
    conn: AsyncConnection, ids: Sequence[str] | None, themes: tuple[str, ...]
) -> list[int] | None:
    visible = select(WorkingGroup.id).where(WorkingGroup.theme.in_(themes))
    return await _pks(conn, ids, "WorkingGroup", "groupIds", visible)


async def resource_pk(conn: AsyncConnection, global_id: str, themes: tuple[str, ...]) -> int:
    """The resource's pk; NOT_FOUND unless it exists in a visible group."""
    pk = lookups.decode(global_id, "Resource", "id")
    stmt = (
        select(Resource.id)
        .join(WorkingGroup, WorkingGroup.id == Resource.group_id)
        .where(Resource.id == pk, WorkingGroup.theme.in_(themes))
    )
    await lookups.one_or_reject(conn, stmt, "Resource", global_id, "id")
    return pk


async def author_organization(conn: AsyncConnection, ctx: Any, organization_id: str | None) -> int:
    """The viewer's organisation, or (staff only) the one named; FORBIDDEN for another's."""
    viewer = ctx.viewer
    own = None
    if viewer.person_id is not None:
        own = await conn.scalar(select(Person.organization_id).where(Person.id == viewer.person_id))
    if organization_id is not None:
        org = int((await lookups.organization(conn, organization_id, "organizationId")).id)
        if org != own and not viewer.is_staff:
            raise refusal(viewer, "share a resource for another organisation")
        return org
    if own is None:
        message = "you belong to no organisation: name one (staff)"
        raise Rejected(user_error("REQUIRED", message, "organizationId"))
    return int(own)


def _resource(row: Any) -> types.Resource | None:
    return row and types.Resource.from_row(row)


# --- Mutations ------------------------------------------------------------------------------------


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Share a resource in a group, as a DRAFT of your organisation."
    )
    async def resource_create(self, info: Info, input: ResourceCreateInput) -> ResourcePayload:
        ctx = info.context
        themes = ctx.app.visible_themes

        async def work(conn: AsyncConnection) -> Any:
            group = await lookups.visible_group(conn, input.group_id, themes, "groupId")
            pk = await services.create_resource(
                conn,
                group_id=int(group.id),
                organization_id=await author_organization(conn, ctx, input.organization_id),
                kind=input.kind,
                title=input.title,
                summary=input.summary,
                licence=input.licence,
                url=input.url,
                body=input.body,
                languages=input.languages,
                topics=input.tags,
                country_ids=await country_ids(conn, input.countries) or [],
                commitment_ids=await commitment_pks(conn, input.commitment_ids) or [],
                group_ids=await group_pks(conn, input.group_ids, themes) or [],
                created_by_person_id=ctx.viewer.person_id,
                source=input.source,
            )
            return await services.reread(conn, pk)

        row, errors = await in_transaction(ctx, work)
        return await prefetched(info, ResourcePayload(resource=_resource(row), user_errors=errors))

    @strawberry.mutation(description="Change a resource (a draft or a published one).")
    async def resource_update(self, info: Info, input: ResourceUpdateInput) -> ResourcePayload:
        ctx = info.context
        themes = ctx.app.visible_themes

        async def work(conn: AsyncConnection) -> Any:
            pk = await resource_pk(conn, input.id, themes)
            await services.update_resource(
                conn,
                pk,
                kind=input.kind,
                title=input.title,
                summary=input.summary,
                url=input.url,
                body=input.body,
                licence=input.licence,
                source=input.source,
                languages=input.languages,
                topics=input.tags,
                country_ids=await country_ids(conn, input.countries),
                commitment_ids=await commitment_pks(conn, input.commitment_ids),
                group_ids=await group_pks(conn, input.group_ids, themes),
            )
            return await services.reread(conn, pk)

        row, errors = await in_transaction(ctx, work)
        return await prefetched(info, ResourcePayload(resource=_resource(row), user_errors=errors))

    @strawberry.mutation(
        description="Publish a draft: public from now on, in its group's activity feed; a "
        "published resource stays published."
    )
    async def resource_publish(self, info: Info, input: ResourceIdInput) -> ResourcePayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            pk = await resource_pk(conn, input.id, ctx.app.visible_themes)
            await services.publish_resource(conn, pk, actor_id=ctx.viewer.person_id)
            return await services.reread(conn, pk)

        row, errors = await in_transaction(ctx, work)
        return await prefetched(info, ResourcePayload(resource=_resource(row), user_errors=errors))

    @strawberry.mutation(
        description="Delete a resource: a draft by its authors; a published one by its "
        "group's anchors or staff (RESOURCE_PUBLISHED for others)."
    )
    async def resource_delete(self, info: Info, input: ResourceIdInput) -> ResourceDeletePayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            pk = await resource_pk(conn, input.id, ctx.app.visible_themes)
            group = await conn.scalar(select(Resource.group_id).where(Resource.id == pk))
            moderator = await access_of(ctx).allows(ANCHOR | STAFF, Subject(group=group))
            await services.delete_resource(conn, pk, moderator=moderator)
            return pk

        pk, errors = await in_transaction(ctx, work)
        deleted = None if pk is None else strawberry.ID(to_global_id("Resource", pk))
        return ResourceDeletePayload(deleted_resource_id=deleted, user_errors=errors)

    @strawberry.mutation(
        description="Declare what you (personId) or your organisation (organizationId) knows: "
        "one declaration each, updated with expertiseUpdate."
    )
    async def expertise_declare(self, info: Info, input: ExpertiseDeclareInput) -> ExpertisePayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            person = None
            if input.person_id is not None:
                person = int((await lookups.person(conn, input.person_id, "personId")).id)
            org = None
            if input.organization_id is not None:
                found = await lookups.organization(conn, input.organization_id, "organizationId")
                org = int(found.id)
            pk = await declared.declare_expertise(
                conn,
                person_id=person,
                organization_id=org,
                description=input.description,
                topics=input.topics,
                languages=input.languages,
                country_ids=await country_ids(conn, input.countries) or [],
            )
            return await declared.reread(conn, pk)

        row, errors = await in_transaction(ctx, work)
        found = row and types.Expertise.from_row(row)
        return await prefetched(info, ExpertisePayload(expertise=found, user_errors=errors))

    @strawberry.mutation(description="Change a declaration of expertise.")
    async def expertise_update(self, info: Info, input: ExpertiseUpdateInput) -> ExpertisePayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            pk = lookups.decode(input.id, "Expertise", "id")
            await declared.update_expertise(
                conn,
                pk,
                description=input.description,
                topics=input.topics,
                languages=input.languages,
                country_ids=await country_ids(conn, input.countries),
            )
            return await declared.reread(conn, pk)

        row, errors = await in_transaction(ctx, work)
        found = row and types.Expertise.from_row(row)
        return await prefetched(info, ExpertisePayload(expertise=found, user_errors=errors))

    @strawberry.mutation(description="Withdraw a declaration of expertise (it is deleted).")
    async def expertise_withdraw(
        self, info: Info, input: ExpertiseIdInput
    ) -> ExpertiseWithdrawPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            pk = lookups.decode(input.id, "Expertise", "id")
            await declared.withdraw_expertise(conn, pk)
            return pk

        pk, errors = await in_transaction(ctx, work)
        gone = None if pk is None else strawberry.ID(to_global_id("Expertise", pk))
        return ExpertiseWithdrawPayload(withdrawn_expertise_id=gone, user_errors=errors)
