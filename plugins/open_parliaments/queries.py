"""Root queries of the open parliaments area, and how `node(id:)` fetches its `Node` types.

Each root query is declared with `core.root_page`: a statement of its filtered records and their
order, answered as one page (compiled to one SQL statement, or on the resolver path).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core import Connection, Context, in_country, models, root_page
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


def _legislatures(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every legislature `legislatures(filter:)` lists (both read paths)."""
    f = arguments.get("filter")
    stmt = select(*LegislatureRow.__table__.c)
    if f and f.country:
        stmt = stmt.where(in_country(LegislatureRow.country_id, f.country))
    return stmt


LEGISLATURES = root_page(_legislatures, (LegislatureRow.name, LegislatureRow.id), Legislature)


@strawberry.field(description="National legislatures, by name.", metadata=LEGISLATURES.metadata)
async def legislatures(
    info: Info,
    filter: LegislatureFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Legislature]:
    return await LEGISLATURES.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


def _declaration_endorsements(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every endorsement `declarationEndorsements(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or DeclarationEndorsementFilter()
    stmt = select(*EndorsementRow.__table__.c)
    if f.country:
        orgs = select(models.Organization.id).where(
            in_country(models.Organization.country_id, f.country)
        )
        stmt = stmt.where(EndorsementRow.organization_id.in_(orgs))
    if f.since:
        stmt = stmt.where(EndorsementRow.endorsed_on >= f.since)
    return stmt


DECLARATION_ENDORSEMENTS = root_page(
    _declaration_endorsements,
    (EndorsementRow.endorsed_on, EndorsementRow.id),
    DeclarationEndorsement,
)


@strawberry.field(
    description="Endorsements of the Declaration on Parliamentary Openness, earliest first.",
    metadata=DECLARATION_ENDORSEMENTS.metadata,
)
async def declaration_endorsements(
    info: Info,
    filter: DeclarationEndorsementFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[DeclarationEndorsement]:
    return await DECLARATION_ENDORSEMENTS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )


def _parliamentary_monitoring_organizations(
    ctx: Context, arguments: Mapping[str, Any]
) -> Select[Any]:
    """Every PMO `parliamentaryMonitoringOrganizations(filter:)` lists (both read paths)."""
    f = arguments.get("filter")
    stmt = select(*MonitoringRow.__table__.c).join(
        models.Organization, models.Organization.id == MonitoringRow.organization_id
    )
    if f and f.country:
        legislatures_there = select(LegislatureRow.id).where(
            in_country(LegislatureRow.country_id, f.country)
        )
        stmt = stmt.where(MonitoringRow.legislature_id.in_(legislatures_there))
    return stmt


PARLIAMENTARY_MONITORING_ORGANIZATIONS = root_page(
    _parliamentary_monitoring_organizations,
    (models.Organization.name, MonitoringRow.id),
    ParliamentaryMonitoringOrganization,
)


@strawberry.field(
    description="Parliamentary monitoring organisations, by organisation name.",
    metadata=PARLIAMENTARY_MONITORING_ORGANIZATIONS.metadata,
)
async def parliamentary_monitoring_organizations(
    info: Info,
    filter: ParliamentaryMonitoringOrganizationFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[ParliamentaryMonitoringOrganization]:
    return await PARLIAMENTARY_MONITORING_ORGANIZATIONS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
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
