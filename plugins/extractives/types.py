"""GraphQL types of the extractive industry transparency area: its records, its group type and
its fields on `Country` and `Organization`.

Every related object is read by a `@relation` loader (loaders.py): one statement for all the
parents of a level of the query, never one per object; `from_row` maps a row to its type.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any, ClassVar

import strawberry

from core import from_row, load_countries, load_organizations, relation, to_global_id, types
from plugins.extractives import services
from plugins.extractives.loaders import (
    load_contracts_by_project,
    load_eiti_by_country,
    load_eiti_countries_by_group,
    load_owners_by_company,
    load_projects,
    load_validations_by_country,
)
from plugins.extractives.models import (
    ASSESSMENT_LABELS,
    STANDARD_NAMES,
    EitiCountryStatus,
    EitiOverallAssessment,
    EitiStandardVersion,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
)

EITI_STANDARD_URL = "https://eiti.org/eiti-standard"
SCALE_MAX = 100.0  # Validation scores are points out of 100


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


@strawberry.type(
    description="A country's status in the Extractive Industries Transparency Initiative."
)
class EitiStatus:
    country_pk: strawberry.Private[int]
    status: EitiCountryStatus
    joined_on: date = strawberry.field(description="When the country became an EITI country.")

    @relation(
        load_validations_by_country,
        key="country_pk",
        default=[],
        description="The country's Validations, latest first.",
    )
    def validations(self) -> list[EitiValidationType]: ...


@relation(
    load_eiti_by_country, description="The country's EITI status, if it has ever joined the EITI."
)
def eiti(root: types.Country) -> EitiStatus | None: ...


# --- Contract and license disclosures (EITI Requirement 2.4) -------------------------------------


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
        """`politicallyExposedPerson` reads the column `politically_exposed`."""
        return from_row(cls, row, politically_exposed_person=row.politically_exposed)

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
