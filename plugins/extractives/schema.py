"""GraphQL types, fields on core types and root queries of the extractive industry transparency
area.

Every related object is read by a `@relation` loader: one statement for all the parents of a level
of the query, never one per object. Rows become GraphQL objects directly (no ORM objects).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar, TypeVar

import strawberry
from sqlalchemy import select, union

from core import (
    Connection,
    Context,
    count_of,
    load_countries,
    load_organizations,
    models,
    paginate,
    prefetched,
    relation,
    to_global_id,
    types,
)
from plugins.extractives import services
from plugins.extractives.models import (
    ASSESSMENT_LABELS,
    STANDARD_NAMES,
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiCountryStatus,
    EitiMembership,
    EitiOverallAssessment,
    EitiStandardVersion,
    EitiValidation,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
    ExtractiveProject,
)

EITI_STANDARD_URL = "https://eiti.org/eiti-standard"
SCALE_MAX = 100.0  # Validation scores are points out of 100
T = TypeVar("T")


# --- Loaders shared by the types below -----------------------------------------------------------


async def _rows(ctx: Context, stmt: Any) -> list[Any]:
    async with ctx.db.read() as conn:
        return list((await conn.execute(stmt)).all())


def _by_id(rows: Iterable[Any], keys: list[int], build: Callable[[Any], T]) -> list[T | None]:
    found = {row.id: build(row) for row in rows}
    return [found.get(key) for key in keys]


def _grouped(
    rows: Iterable[Any], keys: list[int], attr: str, build: Callable[[Any], T]
) -> list[list[T]]:
    found: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        found[getattr(row, attr)].append(build(row))
    return [found.get(key, []) for key in keys]


# --- EITI membership and Validation --------------------------------------------------------------


@strawberry.enum(description="The three components of an EITI Validation.")
class EitiValidationComponent(enum.StrEnum):
    STAKEHOLDER_ENGAGEMENT = "STAKEHOLDER_ENGAGEMENT"
    TRANSPARENCY = "TRANSPARENCY"
    OUTCOMES_AND_IMPACT = "OUTCOMES_AND_IMPACT"


# (component, its name in the EITI Standard, column), in the order of the EITI Requirements.
COMPONENTS = (
    (
        EitiValidationComponent.STAKEHOLDER_ENGAGEMENT,
        "Stakeholder engagement",
        "stakeholder_engagement",
    ),
    (EitiValidationComponent.TRANSPARENCY, "Transparency", "transparency"),
    (EitiValidationComponent.OUTCOMES_AND_IMPACT, "Outcomes and impact", "outcomes_and_impact"),
)


@strawberry.type(
    description="The score of one Validation component, in points out of 100 (scaleMax)."
)
class EitiComponentScore(types.Assessment):
    component: EitiValidationComponent
    label: str = strawberry.field(description="The component's name in the EITI Standard.")


@strawberry.type(
    name="EitiValidation",
    description="An EITI Validation: the EITI Board's assessment of a country's progress against "
    "the EITI Standard. As an Assessment, `score` is the overall score out of 100, `edition` the "
    "year of the Board's decision and `methodologyVersion` the edition of the Standard.",
)
class EitiValidationType(types.Node, types.Assessment):
    node_type: ClassVar[str] = services.VALIDATION
    country_pk: strawberry.Private[int]
    decided_on: date = strawberry.field(description="Date of the EITI Board's decision.")
    standard: EitiStandardVersion
    overall_assessment: EitiOverallAssessment
    components: list[EitiComponentScore] = strawberry.field(
        description="Stakeholder engagement, Transparency, Outcomes and impact (0-100 each)."
    )

    @classmethod
    def from_row(cls, row: Any) -> EitiValidationType:
        methodology = STANDARD_NAMES[row.standard]
        edition = str(row.decided_on.year)
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            decided_on=row.decided_on,
            standard=row.standard,
            overall_assessment=row.overall_assessment,
            score=row.overall_score,
            scale_max=SCALE_MAX,
            edition=edition,
            methodology_version=methodology,
            source_url=row.source_url,
            components=[
                EitiComponentScore(
                    component=component,
                    label=label,
                    score=getattr(row, column),
                    scale_max=SCALE_MAX,
                    edition=edition,
                    methodology_version=methodology,
                    source_url=row.source_url,
                )
                for component, label, column in COMPONENTS
            ],
        )

    @strawberry.field(description="Global ID: pass it to eitiValidationRecord to correct it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(services.VALIDATION, self.pk))

    @strawberry.field(description="The EITI's wording, e.g. 'Moderate score'.")
    def overall_assessment_label(self) -> str:
        return ASSESSMENT_LABELS[self.overall_assessment]

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


async def load_validations_by_country(
    ctx: Context, keys: list[int]
) -> list[list[EitiValidationType]]:
    stmt = (
        select(*EitiValidation.__table__.c)
        .where(ctx.db.any_of(EitiValidation.country_id, keys))
        .order_by(EitiValidation.decided_on.desc())
    )
    return _grouped(await _rows(ctx, stmt), keys, "country_id", EitiValidationType.from_row)


@strawberry.type(
    description="A country's status in the Extractive Industries Transparency Initiative."
)
class EitiStatus:
    country_pk: strawberry.Private[int]
    status: EitiCountryStatus
    joined_on: date = strawberry.field(description="When the country became an EITI country.")

    @classmethod
    def from_row(cls, row: Any) -> EitiStatus:
        return cls(country_pk=row.country_id, status=row.status, joined_on=row.joined_on)

    @relation(
        load_validations_by_country,
        key="country_pk",
        default=[],
        description="The country's Validations, latest first.",
    )
    def validations(self) -> list[EitiValidationType]: ...


async def load_eiti_by_country(ctx: Context, keys: list[int]) -> list[EitiStatus | None]:
    stmt = select(*EitiMembership.__table__.c).where(ctx.db.any_of(EitiMembership.country_id, keys))
    found = {row.country_id: EitiStatus.from_row(row) for row in await _rows(ctx, stmt)}
    return [found.get(key) for key in keys]


@relation(
    load_eiti_by_country, description="The country's EITI status, if it has ever joined the EITI."
)
def eiti(root: types.Country) -> EitiStatus | None: ...


# --- Contract and license disclosures (EITI Requirement 2.4) -------------------------------------


async def load_projects(ctx: Context, keys: list[int]) -> list[ExtractiveProjectType | None]:
    stmt = select(*ExtractiveProject.__table__.c).where(ctx.db.any_of(ExtractiveProject.id, keys))
    return _by_id(await _rows(ctx, stmt), keys, ExtractiveProjectType.from_row)


@strawberry.type(
    name="ExtractiveContractDisclosure",
    description="A contract or license made public, as EITI Requirement 2.4 asks.",
)
class ContractDisclosureType(types.Node):
    node_type: ClassVar[str] = services.CONTRACT
    country_pk: strawberry.Private[int]
    project_pk: strawberry.Private[int | None]
    title: str
    kind: ExtractiveAgreementKind
    signed_on: date | None
    disclosed_on: date = strawberry.field(description="When the full text was made public.")
    url: str = strawberry.field(description="Where the document is published.")

    @classmethod
    def from_row(cls, row: Any) -> ContractDisclosureType:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            project_pk=row.project_id,
            title=row.title,
            kind=row.kind,
            signed_on=row.signed_on,
            disclosed_on=row.disclosed_on,
            url=row.url,
        )

    @strawberry.field(description="Global ID: pass it to contractDisclosureRecord to correct it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(services.CONTRACT, self.pk))

    @strawberry.field(description="The EITI Requirement this disclosure answers: '2.4'.")
    def eiti_requirement(self) -> str:
        return "2.4"

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_projects, key="project_pk")
    def project(self) -> ExtractiveProjectType | None: ...


async def load_contracts_by_project(
    ctx: Context, keys: list[int]
) -> list[list[ContractDisclosureType]]:
    stmt = (
        select(*ContractDisclosure.__table__.c)
        .where(ctx.db.any_of(ContractDisclosure.project_id, keys))
        .order_by(ContractDisclosure.disclosed_on, ContractDisclosure.id)
    )
    return _grouped(await _rows(ctx, stmt), keys, "project_id", ContractDisclosureType.from_row)


# --- Extractive projects -------------------------------------------------------------------------


@strawberry.type(name="ExtractiveProject", description="An oil, gas or mining project.")
class ExtractiveProjectType(types.Node):
    node_type: ClassVar[str] = services.PROJECT
    country_pk: strawberry.Private[int]
    operator_pk: strawberry.Private[int | None]
    name: str
    commodity: ExtractiveCommodity
    license_reference: str | None = strawberry.field(
        description="The license, permit or contract the project operates under."
    )
    location: str | None = strawberry.field(description="Region, basin or block.")

    @classmethod
    def from_row(cls, row: Any) -> ExtractiveProjectType:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            operator_pk=row.operator_id,
            name=row.name,
            commodity=row.commodity,
            license_reference=row.license_reference,
            location=row.location,
        )

    @strawberry.field(description="Global ID: pass it to projectRecord to correct it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(services.PROJECT, self.pk))

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_organizations, key="operator_pk", description="The operating company.")
    def operator(self) -> types.Organization | None: ...

    @relation(
        load_contracts_by_project,
        default=[],
        description="Its contracts and licenses made public, in order of disclosure.",
    )
    def contract_disclosures(self) -> list[ContractDisclosureType]: ...


# --- Beneficial ownership (EITI Requirement 2.5) -------------------------------------------------


@strawberry.type(
    name="BeneficialOwnershipDisclosure",
    description="A beneficial owner of a company, as disclosed under EITI Requirement 2.5.",
)
class BeneficialOwnershipDisclosureType(types.Node):
    node_type: ClassVar[str] = services.OWNER
    country_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int]
    owner_name: str = strawberry.field(
        description="The natural person who ultimately owns or controls the company."
    )
    politically_exposed_person: bool = strawberry.field(
        description="The owner is a politically exposed person (PEP)."
    )
    ownership_percent: float | None = strawberry.field(
        description="Share of the company owned, in percent, when disclosed."
    )
    interest_since: date | None = strawberry.field(description="Owner since, when disclosed.")
    disclosed_on: date
    source_url: str | None = strawberry.field(description="The declaration or register entry.")

    @classmethod
    def from_row(cls, row: Any) -> BeneficialOwnershipDisclosureType:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            company_pk=row.company_id,
            owner_name=row.owner_name,
            politically_exposed_person=row.politically_exposed,
            ownership_percent=row.ownership_percent,
            interest_since=row.interest_since,
            disclosed_on=row.disclosed_on,
            source_url=row.source_url,
        )

    @strawberry.field(description="Global ID: pass it to beneficialOwnerRecord to correct it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(services.OWNER, self.pk))

    @strawberry.field(description="The EITI Requirement this disclosure answers: '2.5'.")
    def eiti_requirement(self) -> str:
        return "2.5"

    @relation(load_countries, key="country_pk", description="The country that disclosed it.")
    def country(self) -> types.Country: ...

    @relation(load_organizations, key="company_pk")
    def company(self) -> types.Organization: ...


async def load_owners_by_company(
    ctx: Context, keys: list[int], pep_only: bool = False
) -> list[list[BeneficialOwnershipDisclosureType]]:
    owners = BeneficialOwnershipDisclosure
    stmt = (
        select(*owners.__table__.c)
        .where(ctx.db.any_of(owners.company_id, keys))
        .order_by(owners.disclosed_on.desc(), owners.owner_name, owners.id)
    )
    if pep_only:
        stmt = stmt.where(owners.politically_exposed.is_(True))
    rows = await _rows(ctx, stmt)
    return _grouped(rows, keys, "company_id", BeneficialOwnershipDisclosureType.from_row)


@relation(
    load_owners_by_company,
    default=[],
    description="Beneficial owners of this company disclosed under EITI Requirement 2.5, latest "
    "disclosure first. pepOnly: only politically exposed persons.",
)
def beneficial_owners(
    root: types.Organization, pep_only: bool = False
) -> list[BeneficialOwnershipDisclosureType]: ...


# --- The group type ------------------------------------------------------------------------------


async def load_eiti_countries_by_group(ctx: Context, keys: list[int]) -> list[list[types.Country]]:
    """The EITI countries among the countries of each group's anchors and members."""
    links = union(
        select(models.Membership.group_id, models.Membership.organization_id),
        select(models.Anchor.group_id, models.Anchor.organization_id),
    ).subquery()
    country = models.Country
    stmt = (
        select(*country.__table__.c, links.c.group_id.label("_group"))
        .distinct()
        .join(models.Organization, models.Organization.country_id == country.id)
        .join(links, links.c.organization_id == models.Organization.id)
        .join(EitiMembership, EitiMembership.country_id == country.id)
        .where(ctx.db.any_of(links.c.group_id, keys))
        .order_by(country.name)
    )
    return _grouped(await _rows(ctx, stmt), keys, "_group", types.Country.from_row)


@strawberry.type(description="The extractive industry transparency working group.")
class ExtractivesGroup(types.WorkingGroup):
    @strawberry.field(description="The EITI Standard, which implementing countries follow.")
    def eiti_standard_url(self) -> str:
        return EITI_STANDARD_URL

    @relation(
        load_eiti_countries_by_group,
        default=[],
        description="The countries of its anchors and members that have joined the EITI, by "
        "name (select their `eiti`).",
    )
    def eiti_countries(self) -> list[types.Country]: ...


# --- Root queries --------------------------------------------------------------------------------


def _in_country(column: Any, code: str | None) -> Any:
    """`column` (a country id) is the country with this ISO alpha-2 or alpha-3 code."""
    code = (code or "").strip().upper()
    country = models.Country
    match = country.alpha2 == code if len(code) == 2 else country.alpha3 == code
    return column.in_(select(country.id).where(match))


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
    first: int = 20,
    after: str | None = None,
) -> Connection[ExtractiveProjectType]:
    f = filter or ExtractiveProjectFilter()
    stmt = select(*ExtractiveProject.__table__.c)
    if f.country is not None:
        stmt = stmt.where(_in_country(ExtractiveProject.country_id, f.country))
    if f.commodity:
        stmt = stmt.where(ExtractiveProject.commodity.in_(f.commodity))
    return await _page(
        info,
        stmt,
        (ExtractiveProject.name, ExtractiveProject.id),
        ExtractiveProjectType.from_row,
        first,
        after,
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
    first: int = 20,
    after: str | None = None,
) -> Connection[ContractDisclosureType]:
    f = filter or ContractDisclosureFilter()
    stmt = select(*ContractDisclosure.__table__.c)
    if f.country is not None:
        stmt = stmt.where(_in_country(ContractDisclosure.country_id, f.country))
    if f.since is not None:
        stmt = stmt.where(ContractDisclosure.disclosed_on >= f.since)
    order = (ContractDisclosure.disclosed_on, ContractDisclosure.id)
    return await _page(info, stmt, order, ContractDisclosureType.from_row, first, after)


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
    first: int = 20,
    after: str | None = None,
) -> Connection[BeneficialOwnershipDisclosureType]:
    f = filter or BeneficialOwnershipDisclosureFilter()
    owners = BeneficialOwnershipDisclosure
    stmt = select(*owners.__table__.c)
    if f.country is not None:
        stmt = stmt.where(_in_country(owners.country_id, f.country))
    if f.pep_only:
        stmt = stmt.where(owners.politically_exposed.is_(True))
    order = (owners.disclosed_on, owners.id)
    return await _page(info, stmt, order, BeneficialOwnershipDisclosureType.from_row, first, after)


async def _page(
    info: strawberry.Info,
    stmt: Any,
    order: tuple[Any, ...],
    build: Callable[[Any], T],
    first: int,
    after: str | None,
) -> Connection[T]:
    ctx = info.context
    async with ctx.db.read() as conn:
        page = await paginate(
            conn, stmt, order, build, first=first, after=after, count=count_of(ctx.db.read, stmt)
        )
    return await prefetched(info, page)


LOADERS: dict[str, Any] = {"extractives_eiti_by_country": load_eiti_by_country}
