"""Root queries of the extractive industry transparency area, and how `node(id:)` fetches its
`Node` types.

Each root query filters its records and answers one page of them in order with
`core.query_page`, which loads the relations selected below a level at a time.
"""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy import select

from core import Connection, in_country, query_page
from plugins.extractives.loaders import (
    contracts_by_id,
    earlier_validations_by_id,
    load_projects,
    owners_by_id,
    validations_by_id,
)
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    ExtractiveCommodity,
    ExtractiveProject,
)
from plugins.extractives.types import (
    BeneficialOwnershipDisclosureType,
    ContractDisclosureType,
    EitiEarlierValidationType,
    EitiValidationType,
    ExtractiveProjectType,
)


@strawberry.input(description="Narrow the list of projects; all given conditions apply.")
class ExtractiveProjectFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    commodity: list[ExtractiveCommodity] | None = strawberry.field(
        default=None, description="Any of these commodities."
    )


@strawberry.field(description="Extractive projects, by name.")
async def extractive_projects(
    info: strawberry.Info,
    filter: ExtractiveProjectFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[ExtractiveProjectType]:
    f = filter or ExtractiveProjectFilter()
    stmt = select(*ExtractiveProject.__table__.c)
    if f.country is not None:
        stmt = stmt.where(in_country(ExtractiveProject.country_id, f.country))
    if f.commodity:
        stmt = stmt.where(ExtractiveProject.commodity.in_(f.commodity))
    order = (ExtractiveProject.name, ExtractiveProject.id)
    return await query_page(
        info, stmt, order, ExtractiveProjectType, first=first, after=after, last=last, before=before
    )


@strawberry.input(
    name="ExtractiveContractDisclosureFilter",
    description="Narrow the list of contract disclosures; all given conditions apply.",
)
class ContractDisclosureFilter:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 or alpha-3.")
    since: date | None = strawberry.field(
        default=None, description="Disclosed on or after this date."
    )


@strawberry.field(description="Contracts and licenses made public (Requirement 2.4), oldest first.")
async def contract_disclosures(
    info: strawberry.Info,
    filter: ContractDisclosureFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[ContractDisclosureType]:
    f = filter or ContractDisclosureFilter()
    stmt = select(*ContractDisclosure.__table__.c)
    if f.country is not None:
        stmt = stmt.where(in_country(ContractDisclosure.country_id, f.country))
    if f.since is not None:
        stmt = stmt.where(ContractDisclosure.disclosed_on >= f.since)
    order = (ContractDisclosure.disclosed_on, ContractDisclosure.id)
    return await query_page(
        info,
        stmt,
        order,
        ContractDisclosureType,
        first=first,
        after=after,
        last=last,
        before=before,
    )


@strawberry.input(
    description="Narrow the list of beneficial ownership disclosures; all given conditions apply."
)
class BeneficialOwnershipDisclosureFilter:
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 or alpha-3 of the disclosing country."
    )
    pep_only: bool = strawberry.field(
        default=False, description="Only owners who are politically exposed persons."
    )


@strawberry.field(description="Beneficial owners disclosed (Requirement 2.5), oldest first.")
async def beneficial_ownership_disclosures(
    info: strawberry.Info,
    filter: BeneficialOwnershipDisclosureFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[BeneficialOwnershipDisclosureType]:
    f = filter or BeneficialOwnershipDisclosureFilter()
    owners = BeneficialOwnershipDisclosure
    stmt = select(*owners.__table__.c)
    if f.country is not None:
        stmt = stmt.where(in_country(owners.country_id, f.country))
    if f.pep_only:
        stmt = stmt.where(owners.politically_exposed.is_(True))
    order = (owners.disclosed_on, owners.id)
    return await query_page(
        info,
        stmt,
        order,
        BeneficialOwnershipDisclosureType,
        first=first,
        after=after,
        last=last,
        before=before,
    )


QUERY_FIELDS = [extractive_projects, contract_disclosures, beneficial_ownership_disclosures]

# The `ogp_wg_node_loaders` hook: each loader returns one object or None per pk, in order.
NODE_LOADERS = {
    EitiValidationType: validations_by_id,
    EitiEarlierValidationType: earlier_validations_by_id,
    ExtractiveProjectType: load_projects,  # the loader `ContractDisclosure.project` already uses
    ContractDisclosureType: contracts_by_id,
    BeneficialOwnershipDisclosureType: owners_by_id,
}
