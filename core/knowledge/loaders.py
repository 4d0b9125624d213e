"""Batch loaders of the knowledge domain: resources (of visible groups, drafts only for who may
see them: the row rule of core/knowledge/access.py applies to every statement reading
`resources`), their lists, and declared expertise.

Each runs a fixed number of statements for all the parents a level of the query has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, union

from core.commitments.models import Commitment
from core.context import Context
from core.groups.models import Anchor, Membership, WorkingGroup
from core.groups.visible import visible_theme
from core.hookspecs import BatchLoadFn
from core.knowledge.models import (
    Expertise,
    ExpertiseCountry,
    ExpertiseLanguage,
    ExpertiseTopic,
    Resource,
    ResourceCommitment,
    ResourceCountry,
    ResourceGroup,
    ResourceKind,
    ResourceLanguage,
    ResourceTopic,
)
from core.people.models import Country, Person
from core.rows import (
    PagesByKey,
    RowsByKey,
    RowsGroupedBy,
    pages_by_key,
    rows_by_key,
    values_grouped_by,
)
from core.schema.batch import fetch_rows, grouped

ORDER = (Resource.id.desc(),)
"""Resources newest first (ids grow with time; a published resource keeps its place)."""


def in_visible_groups(ctx: Context) -> ColumnElement[bool]:
    """Resources whose home group is visible (its theme's plugin enabled)."""
    visible = select(WorkingGroup.id).where(visible_theme(ctx))
    return Resource.group_id.in_(visible)


def resource_filters(
    *,
    kind: ResourceKind | None = None,
    language: str | None = None,
    tag: str | None = None,
    country: Any = None,
) -> list[ColumnElement[bool]]:
    """Conditions on `resources` for the filters given (None: no condition). `country`: a
    subquery of `countries.id`."""
    out: list[ColumnElement[bool]] = []
    if kind is not None:
        out.append(Resource.kind == kind)
    if language is not None:
        out.append(
            Resource.id.in_(
                select(ResourceLanguage.resource_id).where(
                    ResourceLanguage.language == language.strip().lower()
                )
            )
        )
    if tag is not None:
        out.append(
            Resource.id.in_(
                select(ResourceTopic.resource_id).where(ResourceTopic.topic == tag.strip().lower())
            )
        )
    if country is not None:
        out.append(
            Resource.id.in_(
                select(ResourceCountry.resource_id).where(ResourceCountry.country_id.in_(country))
            )
        )
    return out


resources_by_id: RowsByKey[Any] = rows_by_key(
    Resource.id, lambda: types.Resource, where=in_visible_groups
)


def _language(_ctx: Context, language: str) -> ColumnElement[bool]:
    (condition,) = resource_filters(language=language)
    return condition


def _tag(_ctx: Context, tag: str) -> ColumnElement[bool]:
    (condition,) = resource_filters(tag=tag)
    return condition


resources_by_group: PagesByKey[Any] = pages_by_key(
    Resource.id,
    lambda: types.Resource,
    order_by=ORDER,
    where=in_visible_groups,
    filters={"kind": Resource.kind, "language": _language, "tag": _tag},
    through=(ResourceGroup.__table__.c.group_id, ResourceGroup.__table__.c.resource_id),
)
"""Each group's resources (every resource listing it among its groups; its home group visible,
as for `node(id:)`), newest first."""
resources_by_commitment: PagesByKey[Any] = pages_by_key(
    Resource.id,
    lambda: types.Resource,
    order_by=ORDER,
    where=in_visible_groups,
    through=(
        ResourceCommitment.__table__.c.commitment_id,
        ResourceCommitment.__table__.c.resource_id,
    ),
)
"""The resources about each commitment (of visible groups, as the viewer may see them)."""


async def groups_by_resource(ctx: Context, keys: list[int]) -> list[list[Any]]:
    """The visible groups each resource concerns (its home group first, then by name)."""
    from core.groups.loaders import build_group

    home = (ResourceGroup.group_id == Resource.group_id).label("_home")
    stmt = (
        select(*WorkingGroup.__table__.c, ResourceGroup.resource_id.label("_key"), home)
        .join(ResourceGroup, ResourceGroup.group_id == WorkingGroup.id)
        .join(Resource, Resource.id == ResourceGroup.resource_id)
        .where(
            ctx.db.any_of(ResourceGroup.resource_id, keys),
            visible_theme(ctx),
        )
        .order_by(home.desc(), WorkingGroup.name, WorkingGroup.id)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", lambda row: build_group(ctx, row))


async def commitments_by_resource(ctx: Context, keys: list[int]) -> list[list[Any]]:
    """The commitments each resource concerns (public, as every commitment), in
    core.commitments' order: the newest cycle first, then each plan's order."""
    from core.commitments.loaders import COMMITMENT_ORDER, commitment_rows
    from core.commitments.types import Commitment as CommitmentType

    stmt = (
        commitment_rows()
        .add_columns(ResourceCommitment.resource_id.label("_key"))
        .join(ResourceCommitment, ResourceCommitment.commitment_id == Commitment.id)
        .where(ctx.db.any_of(ResourceCommitment.resource_id, keys))
        .order_by(*COMMITMENT_ORDER)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", CommitmentType.from_row)


async def countries_by_resource(ctx: Context, keys: list[int]) -> list[list[Any]]:
    return await _countries(ctx, keys, ResourceCountry.resource_id, ResourceCountry.country_id)


async def countries_by_expertise(ctx: Context, keys: list[int]) -> list[list[Any]]:
    return await _countries(ctx, keys, ExpertiseCountry.expertise_id, ExpertiseCountry.country_id)


async def _countries(ctx: Context, keys: list[int], key: Any, country: Any) -> list[list[Any]]:
    from core.people import types as people_types

    stmt = (
        select(*Country.__table__.c, key.label("_key"))
        .join(country.table, country == Country.id)
        .where(ctx.db.any_of(key, keys))
        .order_by(Country.name, Country.id)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", people_types.Country.from_row)


languages_by_resource: RowsGroupedBy[str] = values_grouped_by(
    ResourceLanguage.resource_id, ResourceLanguage.language
)
tags_by_resource: RowsGroupedBy[str] = values_grouped_by(
    ResourceTopic.resource_id, ResourceTopic.topic
)
languages_by_expertise: RowsGroupedBy[str] = values_grouped_by(
    ExpertiseLanguage.expertise_id, ExpertiseLanguage.language
)
topics_by_expertise: RowsGroupedBy[str] = values_grouped_by(
    ExpertiseTopic.expertise_id, ExpertiseTopic.topic
)

expertise_by_id: RowsByKey[Any] = rows_by_key(Expertise.id, lambda: types.Expertise)
expertise_by_person: RowsByKey[Any] = rows_by_key(Expertise.person_id, lambda: types.Expertise)
expertise_by_organization: RowsByKey[Any] = rows_by_key(
    Expertise.organization_id, lambda: types.Expertise
)


def expertise_filters(
    *,
    topic: str | None = None,
    language: str | None = None,
    country: Any = None,
    group: Any = None,
) -> list[ColumnElement[bool]]:
    """Conditions on `expertise`: a topic slug, an ISO 639-1 code, a subquery of `countries.id`
    (a country it worked in), a subquery of one group's id (the holder, or the person's
    organisation, is a member, observer or anchor of it)."""
    out: list[ColumnElement[bool]] = []
    if topic is not None:
        out.append(
            Expertise.id.in_(
                select(ExpertiseTopic.expertise_id).where(
                    ExpertiseTopic.topic == topic.strip().lower()
                )
            )
        )
    if language is not None:
        out.append(
            Expertise.id.in_(
                select(ExpertiseLanguage.expertise_id).where(
                    ExpertiseLanguage.language == language.strip().lower()
                )
            )
        )
    if country is not None:
        out.append(
            Expertise.id.in_(
                select(ExpertiseCountry.expertise_id).where(
                    ExpertiseCountry.country_id.in_(country)
                )
            )
        )
    if group is not None:
        organizations = union(
            select(Membership.organization_id).where(Membership.group_id == group),
            select(Anchor.organization_id).where(Anchor.group_id == group),
        )
        # The holder's organisation: its own, or its person's (exactly one holder: CHECK
        # one_holder), a primary-key probe per row. Not `person_id IN (the organisations'
        # people)` OR'ed with the organisation's condition: under the OR the planner hashes
        # that subquery, reading every person (tests/test_query_plans.py).
        person_org = select(Person.organization_id).where(Person.id == Expertise.person_id)
        holder_org = func.coalesce(Expertise.organization_id, person_org.scalar_subquery())
        out.append(holder_org.in_(organizations))
    return out


LOADERS: dict[str, BatchLoadFn] = {
    "resources_by_id": resources_by_id,
    "expertise_by_id": expertise_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: why, in core/groups/loaders.py.
from core.knowledge import types  # noqa: E402
