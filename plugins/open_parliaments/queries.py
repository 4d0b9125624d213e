"""Root queries of the open parliaments area, and how `node(id:)` fetches its `Node` types.

Each root query filters its records and answers one page of them in order with
`core.query_page`, which loads the relations selected below a level at a time.
"""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core import Connection, in_country, models, query_page
from plugins.open_parliaments.loaders import (
    endorsements_by_id,
    indicators_by_id,
    load_chambers,
    load_legislatures,
    monitors_by_id,
)
from plugins.open_parliaments.models import Endorsement as EndorsementRow
from plugins.open_parliaments.models import Legislature as LegislatureRow
from plugins.open_parliaments.models import MonitoringOrganization as MonitoringRow
from plugins.open_parliaments.types import (
    Chamber,
    ChamberOpennessIndicator,
    DeclarationEndorsement,
    Legislature,
    ParliamentaryMonitoringOrganization,
)


@strawberry.input(description="Narrow the list of legislatures.")
class LegislatureFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")


@strawberry.input(description="Narrow the list of endorsements; all given conditions apply.")
class DeclarationEndorsementFilter:
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3: endorsing organisations based there."
    )
    since: date | None = strawberry.field(
        default=None, description="Endorsed on or after this date."
    )


@strawberry.input(description="Narrow the list of parliamentary monitoring organisations.")
class ParliamentaryMonitoringOrganizationFilter:
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3: PMOs monitoring that legislature."
    )


@strawberry.field(description="National legislatures, by name.")
async def legislatures(
    info: Info,
    filter: LegislatureFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Legislature]:
    stmt = select(*LegislatureRow.__table__.c)
    if filter and filter.country:
        stmt = stmt.where(in_country(LegislatureRow.country_id, filter.country))
    order = (LegislatureRow.name, LegislatureRow.id)
    return await query_page(
        info, stmt, order, Legislature, first=first, after=after, last=last, before=before
    )


@strawberry.field(
    description="Endorsements of the Declaration on Parliamentary Openness, earliest first."
)
async def declaration_endorsements(
    info: Info,
    filter: DeclarationEndorsementFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[DeclarationEndorsement]:
    f = filter or DeclarationEndorsementFilter()
    stmt = select(*EndorsementRow.__table__.c)
    if f.country:
        orgs = select(models.Organization.id).where(
            in_country(models.Organization.country_id, f.country)
        )
        stmt = stmt.where(EndorsementRow.organization_id.in_(orgs))
    if f.since:
        stmt = stmt.where(EndorsementRow.endorsed_on >= f.since)
    order = (EndorsementRow.endorsed_on, EndorsementRow.id)
    return await query_page(
        info,
        stmt,
        order,
        DeclarationEndorsement,
        first=first,
        after=after,
        last=last,
        before=before,
    )


@strawberry.field(description="Parliamentary monitoring organisations, by organisation name.")
async def parliamentary_monitoring_organizations(
    info: Info,
    filter: ParliamentaryMonitoringOrganizationFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[ParliamentaryMonitoringOrganization]:
    stmt = select(*MonitoringRow.__table__.c).join(
        models.Organization, models.Organization.id == MonitoringRow.organization_id
    )
    if filter and filter.country:
        legislatures_there = select(LegislatureRow.id).where(
            in_country(LegislatureRow.country_id, filter.country)
        )
        stmt = stmt.where(MonitoringRow.legislature_id.in_(legislatures_there))
    order = (models.Organization.name, MonitoringRow.id)
    return await query_page(
        info,
        stmt,
        order,
        ParliamentaryMonitoringOrganization,
        first=first,
        after=after,
        last=last,
        before=before,
    )


QUERY_FIELDS = [legislatures, declaration_endorsements, parliamentary_monitoring_organizations]

# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    Legislature: load_legislatures,  # the loaders its relations already use
    Chamber: load_chambers,
    ChamberOpennessIndicator: indicators_by_id,
    DeclarationEndorsement: endorsements_by_id,
    ParliamentaryMonitoringOrganization: monitors_by_id,
}
