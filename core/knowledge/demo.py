"""Loads the demo's resources and declared expertise (issue 10, section 5): the data, its
sources and what is illustrative are in core/knowledge/demo_data.py.

Called by core/demo.py after the plugins' demos (the groups) and the commitments' demo (a
resource concerns Kenya's commitment KE0018 when it is there); idempotent (a resource is looked
up by group and title, a declaration by holder); a group that is absent (its plugin disabled)
gets nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.commitments.models import Commitment
from core.groups.models import WorkingGroup
from core.knowledge.demo_data import EXPERTISE, LATEST, RESOURCES
from core.knowledge.expertise import declare_expertise
from core.knowledge.models import Expertise, Resource
from core.knowledge.services import create_resource, publish_resource
from core.people.models import Country, Organization, Person


async def _lookup(conn: AsyncConnection, key: Any, column: Any, values: set[str]) -> dict[str, int]:
    if not values:
        return {}
    return dict((await conn.execute(select(key, column).where(key.in_(values)))).all())


async def load(conn: AsyncConnection) -> int:
    """Add the demo's resources and declarations that are missing; returns how many rows (both)
    were added."""
    slugs = {s for r in RESOURCES for s in (r.group, *r.groups)}
    groups = await _lookup(conn, WorkingGroup.slug, WorkingGroup.id, slugs)
    orgs = await _lookup(
        conn,
        Organization.name,
        Organization.id,
        {r.organization for r in RESOURCES} | {e.organization for e in EXPERTISE if e.organization},
    )
    people = await _lookup(
        conn,
        Person.email,
        Person.id,
        {r.creator for r in RESOURCES if r.creator} | {e.person for e in EXPERTISE if e.person},
    )
    codes = {c for r in RESOURCES for c in r.countries}
    codes |= {c for e in EXPERTISE for c in e.countries}
    countries = await _lookup(conn, Country.alpha2, Country.id, codes)
    references = await _lookup(
        conn, Commitment.reference, Commitment.id, {c for r in RESOURCES for c in r.commitments}
    )
    added = 0
    # oldest first, so ids (the lists' newest-first order) follow the publication dates
    for spec in sorted(RESOURCES, key=lambda r: r.published or LATEST):
        group = groups.get(spec.group)
        if group is None or spec.organization not in orgs:
            continue
        exists = await conn.scalar(
            select(Resource.id).where(Resource.group_id == group, Resource.title == spec.title)
        )
        if exists is not None:
            continue
        creator = people.get(spec.creator) if spec.creator else None
        pk = await create_resource(
            conn,
            group_id=group,
            organization_id=orgs[spec.organization],
            kind=spec.kind,
            title=spec.title,
            summary=spec.summary,
            licence=spec.licence,
            url=spec.url,
            body=spec.body,
            languages=spec.languages,
            topics=spec.tags,
            country_ids=[countries[c] for c in spec.countries if c in countries],
            commitment_ids=[references[c] for c in spec.commitments if c in references],
            group_ids=[groups[g] for g in spec.groups if g in groups],
            created_by_person_id=creator,
            source=spec.source,
            illustrative=spec.illustrative,
        )
        if spec.published is not None:
            await publish_resource(conn, pk, actor_id=creator, at=spec.published)
        added += 1
    for declared in EXPERTISE:
        person = people.get(declared.person) if declared.person else None
        org = orgs.get(declared.organization) if declared.organization else None
        if person is None and org is None:
            continue
        holder = Expertise.person_id == person if person else Expertise.organization_id == org
        if await conn.scalar(select(Expertise.id).where(holder)) is not None:
            continue
        await declare_expertise(
            conn,
            person_id=person,
            organization_id=org,
            description=declared.description,
            topics=declared.topics,
            languages=declared.languages,
            country_ids=[countries[c] for c in declared.countries if c in countries],
            illustrative=True,
        )
        added += 1
    return added
