"""Tables of the extractive industry transparency area (named extractives_...).

The invariants live in the database: CHECK constraints for score ranges and enumerations, UNIQUE
constraints for duplicates, foreign keys to the core tables (countries, organizations). The
enumerations are also the GraphQL enums, so an unknown value never reaches the tables.
"""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column, provenance

URL_LENGTH = 500


# --- EITI membership and Validation --------------------------------------------------------------


@strawberry.enum(
    description="Where a country stands in the EITI: IMPLEMENTING (an implementing country, "
    "formerly 'candidate' or 'compliant'), SUSPENDED (see the suspension reason), WITHDRAWN (the "
    "country left of its own accord), DELISTED (the EITI Board removed it)."
)
class EitiCountryStatus(enum.StrEnum):
    IMPLEMENTING = "IMPLEMENTING"
    SUSPENDED = "SUSPENDED"
    WITHDRAWN = "WITHDRAWN"
    DELISTED = "DELISTED"


@strawberry.enum(
    description="Why the EITI Board suspended a country, in eiti.org's categories: "
    "INADEQUATE_ENGAGEMENT ('Suspended for inadequate stakeholder engagement', e.g. "
    "the civil society requirement 1.3 partly met in a Validation), LACK_OF_PROGRESS ('Suspended "
    "for lack of progress', e.g. a low overall score in a Validation), MISSED_DEADLINE "
    "('Suspended for missing reporting deadline': a reporting or work plan deadline missed), "
    "TEMPORARY (a temporary suspension, e.g. for political instability or at the country's "
    "request). VALIDATION_OUTCOME: any outcome of a Validation, for reasons recorded before the "
    "finer categories (prefer INADEQUATE_ENGAGEMENT or LACK_OF_PROGRESS)."
)
class EitiSuspensionReason(enum.StrEnum):
    MISSED_DEADLINE = "MISSED_DEADLINE"
    VALIDATION_OUTCOME = "VALIDATION_OUTCOME"
    TEMPORARY = "TEMPORARY"
    INADEQUATE_ENGAGEMENT = "INADEQUATE_ENGAGEMENT"
    LACK_OF_PROGRESS = "LACK_OF_PROGRESS"


@strawberry.enum(
    description="How much of a date is known: DAY (the date as given), MONTH (only the month: "
    "the date is the first of that month), YEAR (only the year: the date is 1 January)."
)
class EitiDatePrecision(enum.StrEnum):
    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"


# A status's suspension reasons (several: eiti.org lists e.g. three for Mexico) are rows of the
# child tables below (since extractives_0005); the services give them exactly when SUSPENDED.


@strawberry.enum(
    description="The edition of the EITI Standard a Validation assessed against: EITI_2016 "
    "(assessed on the progress scale, 2016-2020), EITI_2019 (the scored Validation model used "
    "from 2021) or EITI_2023. Results of different editions and models are not comparable."
)
class EitiStandardVersion(enum.StrEnum):
    EITI_2016 = "EITI_2016"
    EITI_2019 = "EITI_2019"
    EITI_2023 = "EITI_2023"


STANDARD_NAMES = {
    EitiStandardVersion.EITI_2016: "EITI Standard 2016",
    EitiStandardVersion.EITI_2019: "EITI Standard 2019",
    EitiStandardVersion.EITI_2023: "EITI Standard 2023",
}


@strawberry.enum(
    description="The EITI Board's overall assessment in a Validation. The scored model (from "
    "2021): VERY_HIGH, HIGH, MODERATE, FAIRLY_LOW, LOW score. The earlier progress model (2016 "
    "Standard, 2016-2020): SATISFACTORY_PROGRESS, MEANINGFUL_PROGRESS, INADEQUATE_PROGRESS, "
    "NO_PROGRESS."
)
class EitiOverallAssessment(enum.StrEnum):
    VERY_HIGH = "VERY_HIGH"
    HIGH = "HIGH"
    MODERATE = "MODERATE"
    FAIRLY_LOW = "FAIRLY_LOW"
    LOW = "LOW"
    SATISFACTORY_PROGRESS = "SATISFACTORY_PROGRESS"
    MEANINGFUL_PROGRESS = "MEANINGFUL_PROGRESS"
    INADEQUATE_PROGRESS = "INADEQUATE_PROGRESS"
    NO_PROGRESS = "NO_PROGRESS"


ASSESSMENT_LABELS = {  # the wording of the EITI's published Validation results
    EitiOverallAssessment.VERY_HIGH: "Very high score",
    EitiOverallAssessment.HIGH: "High score",
    EitiOverallAssessment.MODERATE: "Moderate score",
    EitiOverallAssessment.FAIRLY_LOW: "Fairly low score",
    EitiOverallAssessment.LOW: "Low score",
    EitiOverallAssessment.SATISFACTORY_PROGRESS: "Satisfactory progress",
    EitiOverallAssessment.MEANINGFUL_PROGRESS: "Meaningful progress",
    EitiOverallAssessment.INADEQUATE_PROGRESS: "Inadequate progress",
    EitiOverallAssessment.NO_PROGRESS: "No progress",
}
SCORED_ASSESSMENTS = (
    EitiOverallAssessment.VERY_HIGH,
    EitiOverallAssessment.HIGH,
    EitiOverallAssessment.MODERATE,
    EitiOverallAssessment.FAIRLY_LOW,
    EitiOverallAssessment.LOW,
)
PROGRESS_ASSESSMENTS = tuple(a for a in EitiOverallAssessment if a not in SCORED_ASSESSMENTS)


@strawberry.enum(
    description="The assessment of one numbered EITI Requirement in a Validation. Scored model "
    "(from 2021): EXCEEDED, FULLY_MET, MOSTLY_MET, PARTLY_MET, NOT_MET. Progress model (2016 "
    "Standard): BEYOND (beyond the requirement), SATISFACTORY_PROGRESS, MEANINGFUL_PROGRESS, "
    "INADEQUATE_PROGRESS, NO_PROGRESS. Either model: NOT_APPLICABLE."
)
class EitiRequirementLevel(enum.StrEnum):
    EXCEEDED = "EXCEEDED"
    FULLY_MET = "FULLY_MET"
    MOSTLY_MET = "MOSTLY_MET"
    PARTLY_MET = "PARTLY_MET"
    NOT_MET = "NOT_MET"
    BEYOND = "BEYOND"
    SATISFACTORY_PROGRESS = "SATISFACTORY_PROGRESS"
    MEANINGFUL_PROGRESS = "MEANINGFUL_PROGRESS"
    INADEQUATE_PROGRESS = "INADEQUATE_PROGRESS"
    NO_PROGRESS = "NO_PROGRESS"
    NOT_APPLICABLE = "NOT_APPLICABLE"


SCORED_LEVELS = (
    EitiRequirementLevel.EXCEEDED,
    EitiRequirementLevel.FULLY_MET,
    EitiRequirementLevel.MOSTLY_MET,
    EitiRequirementLevel.PARTLY_MET,
    EitiRequirementLevel.NOT_MET,
    EitiRequirementLevel.NOT_APPLICABLE,
)
PROGRESS_LEVELS = (
    EitiRequirementLevel.BEYOND,
    EitiRequirementLevel.SATISFACTORY_PROGRESS,
    EitiRequirementLevel.MEANINGFUL_PROGRESS,
    EitiRequirementLevel.INADEQUATE_PROGRESS,
    EitiRequirementLevel.NO_PROGRESS,
    EitiRequirementLevel.NOT_APPLICABLE,
)


class EitiMembership(provenance.Sourced, Base):
    """A country's membership of the EITI (one row per country): when it joined, and its current
    status (the latest row of its status history, kept in step by the service)."""

    __tablename__ = "extractives_eiti_status"
    __table_args__ = (provenance.sourced_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    status: Mapped[EitiCountryStatus] = mapped_column(enum_column(EitiCountryStatus, "status"))
    joined_on: Mapped[date]
    """The date the EITI Board admitted the country as an implementing (then 'candidate')
    country, as eiti.org's country page gives it ("Joined")."""


class EitiStatusChange(provenance.Sourced, Base):
    """One dated change of a country's EITI status, with the Board decision behind it."""

    __tablename__ = "extractives_eiti_status_history"
    __table_args__ = (
        UniqueConstraint("country_id", "effective_on"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(
        ForeignKey(
            "extractives_eiti_status.country_id",
            name="fk_extractives_eiti_status_history_membership",
        )
    )
    status: Mapped[EitiCountryStatus] = mapped_column(enum_column(EitiCountryStatus, "status"))
    effective_on: Mapped[date]
    board_decision: Mapped[str | None] = mapped_column(String(100))
    """The EITI Board decision reference, e.g. '2022-31 / BM-53'."""


class EitiStatusReason(Base):
    """One reason for a membership's current suspension (each at most once per country). Its
    source is the membership's (e.g. eiti.org's country page, which lists them)."""

    __tablename__ = "extractives_eiti_status_reasons"
    __table_args__ = (UniqueConstraint("country_id", "reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(
        ForeignKey(
            "extractives_eiti_status.country_id",
            name="fk_extractives_eiti_status_reasons_membership",
            ondelete="CASCADE",
        )
    )
    reason: Mapped[EitiSuspensionReason] = mapped_column(
        enum_column(EitiSuspensionReason, "reason")
    )


class EitiStatusChangeReason(Base):
    """One reason for the suspension of a dated status change (each at most once per change)."""

    __tablename__ = "extractives_eiti_status_change_reasons"
    __table_args__ = (UniqueConstraint("status_change_id", "reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status_change_id: Mapped[int] = mapped_column(
        ForeignKey(
            "extractives_eiti_status_history.id",
            name="fk_extractives_eiti_status_change_reasons_change",
            ondelete="CASCADE",
        )
    )
    reason: Mapped[EitiSuspensionReason] = mapped_column(
        enum_column(EitiSuspensionReason, "reason")
    )


SCORES = ("stakeholder_engagement", "transparency", "outcomes_and_impact", "overall_score")
_SCORED = ", ".join(f"'{a.value}'" for a in SCORED_ASSESSMENTS)
_ALL_SCORES = " AND ".join(f"{c} IS NOT NULL" for c in SCORES)
_NO_SCORES = " AND ".join(f"{c} IS NULL" for c in (*SCORES, "effectiveness_points"))


class EitiValidation(provenance.Sourced, Base):
    """One Validation of an EITI country: the overall assessment, and under the scored model
    (from 2021) the three component scores and the overall score (the progress model of the
    2016 Standard had no points).

    Only EITI countries are validated: the foreign key goes to the membership row, not to the
    country, so a Validation of a country that never joined cannot be stored.
    """

    __tablename__ = "extractives_validations"
    __table_args__ = (
        UniqueConstraint("country_id", "decided_on"),
        *(CheckConstraint(f"{c} >= 0 AND {c} <= 100", name=f"{c}_range") for c in SCORES),
        CheckConstraint(
            "effectiveness_points IS NULL OR effectiveness_points >= 0",
            name="effectiveness_points_range",
        ),
        # Scores exactly under the scored model; the progress model had none.
        CheckConstraint(
            f"(overall_assessment IN ({_SCORED}) AND {_ALL_SCORES}) "
            f"OR (overall_assessment NOT IN ({_SCORED}) AND {_NO_SCORES})",
            name="scores_fit_model",
        ),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("extractives_eiti_status.country_id"))
    decided_on: Mapped[date]
    """The date of the EITI Board's decision, as far as `decided_on_precision` says it is known
    (MONTH: the first of the month; YEAR: 1 January)."""
    decided_on_precision: Mapped[EitiDatePrecision] = mapped_column(
        enum_column(EitiDatePrecision, "decided_on_precision"),
        default=EitiDatePrecision.DAY,
        server_default=EitiDatePrecision.DAY.value,
    )
    board_decision: Mapped[str | None] = mapped_column(String(100))
    """The EITI Board decision reference, e.g. '2024-18 / BM-59'."""
    standard: Mapped[EitiStandardVersion] = mapped_column(
        enum_column(EitiStandardVersion, "standard")
    )
    stakeholder_engagement: Mapped[float | None]
    transparency: Mapped[float | None]
    outcomes_and_impact: Mapped[float | None]
    overall_score: Mapped[float | None]
    effectiveness_points: Mapped[float | None]
    """Additional points for effectiveness and sustainability, included in Outcomes and impact."""
    overall_assessment: Mapped[EitiOverallAssessment] = mapped_column(
        enum_column(EitiOverallAssessment, "overall_assessment")
    )
    source_url: Mapped[str] = mapped_column(String(URL_LENGTH))  # type: ignore[assignment]
    """Required, illustrative or not (since extractives_0003): the page of the Board decision
    or the country, which an illustrative Validation names too."""


class EitiRequirementAssessment(Base):
    """The assessment of one numbered EITI Requirement (e.g. '1.3') in a Validation."""

    __tablename__ = "extractives_requirement_assessments"
    __table_args__ = (UniqueConstraint("validation_id", "requirement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    validation_id: Mapped[int] = mapped_column(
        ForeignKey(
            "extractives_validations.id",
            name="fk_extractives_requirement_assessments_validation",
            ondelete="CASCADE",
        ),
        index=True,
    )
    requirement: Mapped[str] = mapped_column(String(10))
    """The Requirement's number in the Standard, e.g. '2.5'."""
    level: Mapped[EitiRequirementLevel] = mapped_column(enum_column(EitiRequirementLevel, "level"))


# --- Projects, contracts and beneficial owners ---------------------------------------------------


@strawberry.enum(
    description="The main commodity an extractive project produces or explores for (OTHER: any "
    "other mineral or hydrocarbon)."
)
class ExtractiveCommodity(enum.StrEnum):
    OIL = "OIL"
    GAS = "GAS"
    COAL = "COAL"
    COPPER = "COPPER"
    GOLD = "GOLD"
    SILVER = "SILVER"
    IRON_ORE = "IRON_ORE"
    BAUXITE = "BAUXITE"
    NICKEL = "NICKEL"
    ZINC = "ZINC"
    LEAD = "LEAD"
    TIN = "TIN"
    COBALT = "COBALT"
    LITHIUM = "LITHIUM"
    MANGANESE = "MANGANESE"
    URANIUM = "URANIUM"
    DIAMONDS = "DIAMONDS"
    PHOSPHATE = "PHOSPHATE"
    OTHER = "OTHER"


@strawberry.enum(
    description="What a document disclosed under EITI Requirement 2.4 is: a CONTRACT (e.g. a "
    "production sharing or mining agreement) or a LICENSE (license, permit or concession)."
)
class ExtractiveAgreementKind(enum.StrEnum):
    CONTRACT = "CONTRACT"
    LICENSE = "LICENSE"


class ExtractiveProject(provenance.Sourced, Base):
    """An oil, gas or mining project: one name per country. Its operator can change hands, so
    the operator carries the date it took over (`operator_since`) and the record its source."""

    __tablename__ = "extractives_projects"
    __table_args__ = (
        UniqueConstraint("country_id", "name"),
        Index("ix_extractives_projects_name_id", "name", "id"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    name: Mapped[str] = mapped_column(String(300))
    commodity: Mapped[ExtractiveCommodity] = mapped_column(
        enum_column(ExtractiveCommodity, "commodity")
    )
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    operator_since: Mapped[date | None]
    """The day the current operator took over, when known."""
    license_reference: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(300))


class ContractDisclosure(provenance.Sourced, Base):
    """A contract or license published under EITI Requirement 2.4: one URL per country. `url`
    is the document itself; `source_url` the page that records its disclosure (e.g. the
    country's contract register), read on `retrieved_on`."""

    __tablename__ = "extractives_contract_disclosures"
    __table_args__ = (
        UniqueConstraint("country_id", "url"),
        CheckConstraint("signed_on IS NULL OR signed_on <= disclosed_on", name="signed_first"),
        Index("ix_extractives_contract_disclosures_disclosed_on_id", "disclosed_on", "id"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("extractives_projects.id", name="fk_extractives_contract_disclosures_project"),
        index=True,
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ExtractiveAgreementKind] = mapped_column(
        enum_column(ExtractiveAgreementKind, "kind")
    )
    signed_on: Mapped[date | None]
    disclosed_on: Mapped[date]
    url: Mapped[str] = mapped_column(String(URL_LENGTH))


class BeneficialOwnershipDisclosure(provenance.Sourced, Base):
    """A beneficial owner of a company, as disclosed under EITI Requirement 2.5."""

    __tablename__ = "extractives_beneficial_owners"
    __table_args__ = (
        UniqueConstraint(
            "country_id",
            "company_id",
            "owner_name",
            "disclosed_on",
            name="uq_extractives_beneficial_owners_disclosure",
        ),
        CheckConstraint(
            "ownership_percent IS NULL OR (ownership_percent > 0 AND ownership_percent <= 100)",
            name="ownership_range",
        ),
        CheckConstraint(
            "interest_since IS NULL OR interest_since <= disclosed_on", name="interest_first"
        ),
        Index("ix_extractives_beneficial_owners_disclosed_on_id", "disclosed_on", "id"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    """The country whose EITI disclosure (or public register) names the owner."""
    company_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(300))
    politically_exposed: Mapped[bool]
    ownership_percent: Mapped[float | None]
    interest_since: Mapped[date | None]
    disclosed_on: Mapped[date]
    # source_url (the declaration or register entry), retrieved_on, illustrative: provenance.
