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
from sqlalchemy import String, case, cast, extract

from core import (
    LIST_SIZE,
    MAX_PAGE_SIZE,
    computed,
    from_row,
    load_countries,
    load_organizations,
    provenance,
    relation,
    types,
)
from plugins.extractives import services
from plugins.extractives.loaders import (
    load_contracts_by_project,
    load_earlier_validations_by_country,
    load_eiti_by_country,
    load_eiti_countries_by_group,
    load_first_reason_by_membership,
    load_first_reason_by_status_change,
    load_owners_by_company,
    load_projects,
    load_reasons_by_membership,
    load_reasons_by_status_change,
    load_requirements_by_validation,
    load_status_history_by_country,
    load_validations_by_country,
)
from plugins.extractives.models import (
    ASSESSMENT_LABELS,
    STANDARD_NAMES,
    EitiCountryStatus,
    EitiDatePrecision,
    EitiOverallAssessment,
    EitiRequirementLevel,
    EitiStandardVersion,
    EitiSuspensionReason,
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


def _described(name: str) -> str | None:
    """The description the Assessment interface gives its field `name`."""
    field = types.Assessment.__strawberry_definition__.get_field(name)
    return None if field is None else field.description


def _edition() -> Any:
    """A Validation's `edition` (and its components'): the year of the Board's decision, as
    text; in SQL too (`computed`), so the compiled read path reads it from the row."""

    def edition(self: Any) -> str:
        return str(self.decided_on.year)

    return strawberry.field(
        resolver=edition,
        description=_described("edition"),
        metadata=computed(lambda v: cast(extract("year", v.decided_on), String)),
    )


def _methodology_version() -> Any:
    """A Validation's `methodologyVersion` (and its components'): the edition of the EITI
    Standard it was assessed against, e.g. 'EITI Standard 2023' (STANDARD_NAMES), in SQL too
    (`computed`)."""

    def methodology_version(self: Any) -> str:
        return STANDARD_NAMES[self.standard]

    return strawberry.field(
        resolver=methodology_version,
        description=_described("methodology_version"),
        metadata=computed(lambda v: case(STANDARD_NAMES, value=v.standard)),
    )


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
    decided_on: strawberry.Private[date]
    standard: strawberry.Private[EitiStandardVersion]
    edition = _edition()
    methodology_version = _methodology_version()


@strawberry.type(
    name="EitiRequirementAssessment",
    description="The assessment of one numbered EITI Requirement in a Validation.",
)
class EitiRequirementAssessmentType:
    requirement: str = strawberry.field(description="The Requirement's number, e.g. '1.3'.")
    level: EitiRequirementLevel


BOARD_DECISION_HELP = "The EITI Board decision reference, e.g. '2024-18 / BM-59'."
DECIDED_ON_HELP = (
    "Date of the EITI Board's decision, as far as decidedOnPrecision says it is known (MONTH: "
    "the first of the month; YEAR: 1 January)."
)
PRECISION_HELP = "How much of decidedOn is known: DAY, or only its MONTH or YEAR."
REASONS_HELP = (
    "Why the country is suspended, every reason in the order recorded (empty unless SUSPENDED; "
    "eiti.org lists e.g. three for Mexico)."
)
REASON_DEPRECATED = (
    "A status can have several reasons: use suspensionReasons. Removal: 2027-12-31 (release 0.5.0)."
)


@strawberry.type(
    name="EitiValidation",
    description="An EITI Validation under the scored model (from 2021): the EITI Board's "
    "assessment of a country's progress against the EITI Standard. As an Assessment, `score` is "
    "the overall score out of 100, `edition` the year of the Board's decision and "
    "`methodologyVersion` the edition of the Standard. `sourceUrl` is never null, even for an "
    "illustrative Validation.",
)
class EitiValidationType(types.Node, types.Assessment):
    node_type: ClassVar[str] = services.VALIDATION
    country_pk: strawberry.Private[int]
    decided_on: date = strawberry.field(description=DECIDED_ON_HELP)
    decided_on_precision: EitiDatePrecision = strawberry.field(description=PRECISION_HELP)
    board_decision: str | None = strawberry.field(description=BOARD_DECISION_HELP)
    standard: EitiStandardVersion
    overall_assessment: EitiOverallAssessment
    effectiveness_points: float | None = strawberry.field(
        description="Additional points awarded for effectiveness and sustainability, included "
        "in the Outcomes and impact score."
    )
    components: list[EitiComponentScore] = strawberry.field(
        description="Stakeholder engagement, Transparency, Outcomes and impact (0-100 each).",
        metadata={LIST_SIZE: 3},  # the three components of EitiValidationComponent
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)
    edition = _edition()
    methodology_version = _methodology_version()

    @classmethod
    def from_row(cls, row: Any) -> EitiValidationType:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            decided_on=row.decided_on,
            decided_on_precision=row.decided_on_precision,
            board_decision=row.board_decision,
            standard=row.standard,
            overall_assessment=row.overall_assessment,
            effectiveness_points=row.effectiveness_points,
            retrieved_on=row.retrieved_on,
            illustrative=row.illustrative,
            score=row.overall_score,
            scale_max=SCALE_MAX,
            source_url=row.source_url,
            components=[
                EitiComponentScore(
                    component=component,
                    label=label,
                    score=getattr(row, column),
                    scale_max=SCALE_MAX,
                    decided_on=row.decided_on,
                    standard=row.standard,
                    source_url=row.source_url,
                )
                for component, label, column in COMPONENTS
            ],
        )

    # the core's Node.id (its type name is node_type), so the compiled read path builds it in SQL
    id = strawberry.field(
        resolver=types.Node.id,
        description="Global ID: pass it to eitiValidationRecord to correct it.",
    )

    @strawberry.field(
        description="The EITI's wording, e.g. 'Moderate score'.",
        metadata=computed(lambda v: case(ASSESSMENT_LABELS, value=v.overall_assessment)),
    )
    def overall_assessment_label(self) -> str:
        return ASSESSMENT_LABELS[self.overall_assessment]

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_requirements_by_validation,
        default=[],
        description="The assessment of each numbered Requirement, by number (`first`: 1..100).",
    )
    def requirements(self, first: int = MAX_PAGE_SIZE) -> list[EitiRequirementAssessmentType]: ...


@strawberry.type(
    name="EitiEarlierValidation",
    description="An EITI Validation under the earlier progress model (2016 Standard, "
    "2016-2020): an overall assessment of progress, without points.",
)
class EitiEarlierValidationType(types.Node):
    node_type: ClassVar[str] = "EitiEarlierValidation"
    country_pk: strawberry.Private[int]
    decided_on: date = strawberry.field(description=DECIDED_ON_HELP)
    decided_on_precision: EitiDatePrecision = strawberry.field(description=PRECISION_HELP)
    board_decision: str | None = strawberry.field(description=BOARD_DECISION_HELP)
    standard: EitiStandardVersion
    overall_assessment: EitiOverallAssessment = strawberry.field(
        description="SATISFACTORY_PROGRESS, MEANINGFUL_PROGRESS, INADEQUATE_PROGRESS or "
        "NO_PROGRESS."
    )
    source_url: str = strawberry.field(description="The Board decision or country page.")
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    id = strawberry.field(
        resolver=types.Node.id,
        description="Global ID: pass it to eitiValidationRecord to correct it.",
    )

    @strawberry.field(
        description="The EITI's wording, e.g. 'Meaningful progress'.",
        metadata=computed(lambda v: case(ASSESSMENT_LABELS, value=v.overall_assessment)),
    )
    def overall_assessment_label(self) -> str:
        return ASSESSMENT_LABELS[self.overall_assessment]

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_requirements_by_validation,
        default=[],
        description="The assessment of each numbered Requirement, by number (`first`: 1..100).",
    )
    def requirements(self, first: int = MAX_PAGE_SIZE) -> list[EitiRequirementAssessmentType]: ...


@strawberry.type(
    name="EitiStatusChange",
    description="One dated change of a country's EITI status, as the EITI Board decided it.",
)
class EitiStatusChangeType:
    pk: strawberry.Private[int]
    status: EitiCountryStatus
    effective_on: date = strawberry.field(description="The day the status took effect.")
    board_decision: str | None = strawberry.field(description=BOARD_DECISION_HELP)
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(
        load_reasons_by_status_change,
        default=[],
        description=REASONS_HELP,
        metadata={LIST_SIZE: len(EitiSuspensionReason)},  # each reason at most once
    )
    def suspension_reasons(self) -> list[EitiSuspensionReason]: ...

    @relation(
        load_first_reason_by_status_change,
        description="The first of suspensionReasons (SUSPENDED only).",
        deprecation_reason=REASON_DEPRECATED,
    )
    def suspension_reason(self) -> EitiSuspensionReason | None: ...


@strawberry.type(
    description="A country's membership of the Extractive Industries Transparency Initiative."
)
class EitiStatus:
    country_pk: strawberry.Private[int]
    status: EitiCountryStatus = strawberry.field(
        description="The current status: the latest change of `history`."
    )
    joined_on: date = strawberry.field(
        description="The day the EITI Board admitted the country as an implementing country "
        "(then called a 'candidate' country): eiti.org's 'Joined' date, for every country, "
        "whatever its later status."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(
        load_reasons_by_membership,
        key="country_pk",
        default=[],
        description=REASONS_HELP + " The source is the membership's.",
        metadata={LIST_SIZE: len(EitiSuspensionReason)},  # each reason at most once
    )
    def suspension_reasons(self) -> list[EitiSuspensionReason]: ...

    @relation(
        load_first_reason_by_membership,
        key="country_pk",
        description="The first of suspensionReasons (SUSPENDED only; null if not recorded).",
        deprecation_reason=REASON_DEPRECATED,
    )
    def suspension_reason(self) -> EitiSuspensionReason | None: ...

    @relation(
        load_validations_by_country,
        key="country_pk",
        default=[],
        description="The country's Validations under the scored model (from 2021), latest first "
        "(`first`: 1..100).",
    )
    def validations(self, first: int = MAX_PAGE_SIZE) -> list[EitiValidationType]: ...

    @relation(
        load_earlier_validations_by_country,
        key="country_pk",
        default=[],
        description="The country's Validations under the earlier progress model (2016 "
        "Standard), latest first (`first`: 1..100).",
    )
    def earlier_validations(
        self, first: int = MAX_PAGE_SIZE
    ) -> list[EitiEarlierValidationType]: ...

    @relation(
        load_status_history_by_country,
        key="country_pk",
        default=[],
        description="The dated changes of the country's status, latest first (`first`: 1..100).",
    )
    def history(self, first: int = MAX_PAGE_SIZE) -> list[EitiStatusChangeType]: ...


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
    source_url: str | None = strawberry.field(
        description="The page that records the disclosure (e.g. the country's contract "
        "register). " + provenance.SOURCE_URL_HELP
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    id = strawberry.field(
        resolver=types.Node.id,
        description="Global ID: pass it to contractDisclosureRecord to correct it.",
    )

    eiti_requirement: str = strawberry.field(
        default="2.4", description="The EITI Requirement this disclosure answers: '2.4'."
    )

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
    operator_since: date | None = strawberry.field(
        description="The day the current operator took over (operators change hands)."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    id = strawberry.field(
        resolver=types.Node.id, description="Global ID: pass it to projectRecord to correct it."
    )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_organizations, key="operator_pk", description="The operating company.")
    def operator(self) -> types.Organization | None: ...

    @relation(
        load_contracts_by_project,
        default=[],
        description="Its contracts and licenses made public, in order of disclosure (`first`: "
        "1..100).",
    )
    def contract_disclosures(self, first: int = MAX_PAGE_SIZE) -> list[ContractDisclosureType]: ...


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
    source_url: str | None = strawberry.field(
        description="The declaration or register entry. " + provenance.SOURCE_URL_HELP
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> BeneficialOwnershipDisclosureType:
        """`politicallyExposedPerson` reads the column `politically_exposed`."""
        return from_row(cls, row, politically_exposed_person=row.politically_exposed)

    id = strawberry.field(
        resolver=types.Node.id,
        description="Global ID: pass it to beneficialOwnerRecord to correct it.",
    )

    eiti_requirement: str = strawberry.field(
        default="2.5", description="The EITI Requirement this disclosure answers: '2.5'."
    )

    @relation(load_countries, key="country_pk", description="The country that disclosed it.")
    def country(self) -> types.Country: ...

    @relation(load_organizations, key="company_pk")
    def company(self) -> types.Organization: ...


@relation(
    load_owners_by_company,
    default=[],
    description="Beneficial owners of this company disclosed under EITI Requirement 2.5, latest "
    "disclosure first. pepOnly: only politically exposed persons. `first`: 1..100.",
)
def beneficial_owners(
    root: types.Organization, pep_only: bool = False, first: int = MAX_PAGE_SIZE
) -> list[BeneficialOwnershipDisclosureType]: ...


# --- The group type ------------------------------------------------------------------------------


@strawberry.type(description="The extractive industry transparency working group.")
class ExtractivesGroup(types.WorkingGroup):
    # a constant as a field with a default (not a resolver): the compiled read path answers it
    eiti_standard_url: str = strawberry.field(
        default=EITI_STANDARD_URL,
        description="The EITI Standard, which implementing countries follow.",
    )

    @relation(
        load_eiti_countries_by_group,
        default=[],
        description="The countries of its anchors and members that have joined the EITI, by "
        "name (select their `eiti`; `first`: 1..100).",
    )
    def eiti_countries(self, first: int = MAX_PAGE_SIZE) -> list[types.Country]: ...
