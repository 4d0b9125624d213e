"""Which search documents a viewer may find, with the filter's conditions: one SQL condition on
`search_documents`, so that pages are full and `totalCount` counts what the viewer sees.

A hit is an object the viewer could read by its ID, and it is hidden exactly as the rest of the
API hides it:

- GROUP: groups of enabled themes (core/groups/visible.py), under the WorkingGroup row rules;
- PRIORITY_AREA: areas of those groups, under their row rules (public: core/priorities/access.py);
- RESOURCE: resources whose home group is visible (core.knowledge.loaders.in_visible_groups),
  under the Resource row rule: published ones for everyone, a draft for its authors, its group's
  anchors and staff only (core/knowledge/access.py);
- EXPERTISE: every declaration (public), under any row rule declared for it.

Filters: `groupId` (the group; its priority areas; resources shared in it, `resource_groups`;
expertise of its members and anchors), `country` (groups with an anchor or member from there;
areas, resources and expertise concerning it), `kinds`, `resourceKinds`; `language` is a
condition on the document (core/search/statements.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from core.access.rows import conditions_on
from core.errors import api_error
from core.groups.models import Anchor, Membership, WorkingGroup
from core.groups.visible import visible_theme
from core.knowledge.loaders import expertise_filters, in_visible_groups, resource_filters
from core.knowledge.models import Expertise, Resource, ResourceGroup
from core.people.models import Country, Organization
from core.people.queries import country_code
from core.priorities.models import PriorityArea, PriorityAreaCountry
from core.schema.ids import from_global_id
from core.search.models import SearchDocument, SearchKind
from core.search.types import SearchFilter

D = SearchDocument.__table__.c


def _group_id(given: str) -> int:
    decoded = from_global_id(given)
    if decoded is None or decoded[0] != "WorkingGroup":
        raise api_error("INVALID_ARGUMENT", "`filter.groupId` is not a working group's ID")
    return decoded[1]


def _country_ids(code: str) -> Any:
    if len(code.strip()) not in (2, 3):
        raise api_error("INVALID_ARGUMENT", "`filter.country`: an ISO alpha-2 or alpha-3 code")
    return select(Country.id).where(country_code(code))


def _groups(ctx: Any, group: int | None) -> Any:
    """Ids of the groups the viewer may see (only `group`, if given)."""
    stmt = select(WorkingGroup.id).where(visible_theme(ctx))
    if group is not None:
        stmt = stmt.where(WorkingGroup.id == group)
    for rule in conditions_on(ctx, WorkingGroup.__table__):
        stmt = stmt.where(rule)
    return stmt


def _of(kind: SearchKind, ids: Any) -> ColumnElement[bool]:
    return and_(D.kind == kind.value, D.source_id.in_(ids))


def _group_hits(ctx: Any, group: int | None, countries: Any) -> ColumnElement[bool]:
    groups = _groups(ctx, group)
    if countries is not None:
        orgs = select(Organization.id).where(Organization.country_id.in_(countries))
        groups = groups.where(
            or_(
                WorkingGroup.id.in_(
                    select(Membership.group_id).where(Membership.organization_id.in_(orgs))
                ),
                WorkingGroup.id.in_(
                    select(Anchor.group_id).where(Anchor.organization_id.in_(orgs))
                ),
            )
        )
    return _of(SearchKind.GROUP, groups)


def _area_hits(ctx: Any, group: int | None, countries: Any) -> ColumnElement[bool]:
    areas = select(PriorityArea.id).where(PriorityArea.group_id.in_(_groups(ctx, group)))
    for rule in conditions_on(ctx, PriorityArea.__table__):
        areas = areas.where(rule)
    if countries is not None:
        of_country = select(PriorityAreaCountry.priority_area_id).where(
            PriorityAreaCountry.country_id.in_(countries)
        )
        areas = areas.where(PriorityArea.id.in_(of_country))
    return _of(SearchKind.PRIORITY_AREA, areas)


def _resource_hits(
    ctx: Any, group: int | None, countries: Any, f: SearchFilter
) -> ColumnElement[bool]:
    resources = select(Resource.id).where(in_visible_groups(ctx))
    for rule in conditions_on(ctx, Resource.__table__):
        resources = resources.where(rule)
    for condition in resource_filters(country=countries):
        resources = resources.where(condition)
    if group is not None:
        shared_in = select(ResourceGroup.resource_id).where(
            ResourceGroup.group_id.in_(_groups(ctx, group))
        )
        resources = resources.where(Resource.id.in_(shared_in))
    if f.resource_kinds:
        resources = resources.where(Resource.kind.in_(f.resource_kinds))
    return _of(SearchKind.RESOURCE, resources)


def _expertise_hits(ctx: Any, group: int | None, countries: Any) -> ColumnElement[bool]:
    declared = select(Expertise.id)
    for rule in conditions_on(ctx, Expertise.__table__):
        declared = declared.where(rule)
    visible_group = None if group is None else _groups(ctx, group).scalar_subquery()
    for condition in expertise_filters(country=countries, group=visible_group):
        declared = declared.where(condition)
    return _of(SearchKind.EXPERTISE, declared)


def visible(ctx: Any, f: SearchFilter) -> ColumnElement[bool]:
    """The condition on `search_documents` for hits the viewer may see and the filter keeps.

    Raises the GraphQL error INVALID_ARGUMENT for a `groupId` that is no group's ID or a
    `country` that is not a 2- or 3-letter code (an unknown code matches nothing)."""
    kinds = set(f.kinds or SearchKind)
    if f.resource_kinds:
        kinds &= {SearchKind.RESOURCE}
    group = None if f.group_id is None else _group_id(f.group_id)
    countries = None if f.country is None else _country_ids(f.country)
    parts: list[ColumnElement[bool]] = []
    if SearchKind.GROUP in kinds:
        parts.append(_group_hits(ctx, group, countries))
    if SearchKind.PRIORITY_AREA in kinds:
        parts.append(_area_hits(ctx, group, countries))
    if SearchKind.RESOURCE in kinds:
        parts.append(_resource_hits(ctx, group, countries, f))
    if SearchKind.EXPERTISE in kinds:
        parts.append(_expertise_hits(ctx, group, countries))
    return or_(*parts) if parts else false()
