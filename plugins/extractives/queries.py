"""Root queries of the extractive industry transparency area, and how `node(id:)` fetches its
`Node` types.

Each root query is declared with `core.root_page`: a statement of its filtered records and their
order, answered as one page (compiled to one SQL statement, or on the resolver path).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import Select, select

from core import Connection, Context, in_country, root_page
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


def _extractive_projects(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every project `extractiveProjects(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or ExtractiveProjectFilter()
    stmt = select(*ExtractiveProject.__table__.c)
    if f.country is not None:
        stmt = stmt.where(in_country(ExtractiveProject.country_id, f.country))
    if f.commodity:
        stmt = stmt.where(ExtractiveProject.commodity.in_(f.commodity))
    return stmt


EXTRACTIVE_PROJECTS = root_page(
    _extractive_projects,
    (ExtractiveProject.name, ExtractiveProject.id),
    ExtractiveProjectType,
)


@strawberry.field(
    description="Extractive projects, by name.", metadata=EXTRACTIVE_PROJECTS.metadata
)
async def extractive_projects(
    info: strawberry.Info,
    filter: ExtractiveProjectFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[ExtractiveProjectType]:
    return await EXTRACTIVE_PROJECTS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
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


def _contract_disclosures(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every contract disclosure `contractDisclosures(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or ContractDisclosureFilter()
    stmt = select(*ContractDisclosure.__table__.c)
    if f.country is not None:
        stmt = stmt.where(in_country(ContractDisclosure.country_id, f.country))
    if f.since is not None:
        stmt = stmt.where(ContractDisclosure.disclosed_on >= f.since)
    return stmt


CONTRACT_DISCLOSURES = root_page(
    _contract_disclosures,
    (ContractDisclosure.disclosed_on, ContractDisclosure.id),
    ContractDisclosureType,
)


@strawberry.field(
    description="Contracts and licenses made public (Requirement 2.4), oldest first.",
    metadata=CONTRACT_DISCLOSURES.metadata,
)
async def contract_disclosures(
    info: strawberry.Info,
    filter: ContractDisclosureFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[ContractDisclosureType]:
    return await CONTRACT_DISCLOSURES.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
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


def _beneficial_ownership_disclosures(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every owner `beneficialOwnershipDisclosures(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or BeneficialOwnershipDisclosureFilter()
    owners = BeneficialOwnershipDisclosure
    stmt = select(*owners.__table__.c)
    if f.country is not None:
        stmt = stmt.where(in_country(owners.country_id, f.country))
    if f.pep_only:
        stmt = stmt.where(owners.politically_exposed.is_(True))
    return stmt


BENEFICIAL_OWNERSHIP_DISCLOSURES = root_page(
    _beneficial_ownership_disclosures,
    (BeneficialOwnershipDisclosure.disclosed_on, BeneficialOwnershipDisclosure.id),
    BeneficialOwnershipDisclosureType,
)


@strawberry.field(
    description="Beneficial owners disclosed (Requirement 2.5), oldest first.",
    metadata=BENEFICIAL_OWNERSHIP_DISCLOSURES.metadata,
)
async def beneficial_ownership_disclosures(
    info: strawberry.Info,
    filter: BeneficialOwnershipDisclosureFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[BeneficialOwnershipDisclosureType]:
    return await BENEFICIAL_OWNERSHIP_DISCLOSURES.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
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
