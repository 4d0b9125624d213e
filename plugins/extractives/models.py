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

from core import Base, enum_column

URL_LENGTH = 500


# --- EITI membership and Validation --------------------------------------------------------------


@strawberry.enum(description="Where a country stands in the EITI.")
class EitiCountryStatus(enum.StrEnum):
    IMPLEMENTING = "IMPLEMENTING"
    SUSPENDED = "SUSPENDED"
    WITHDRAWN = "WITHDRAWN"


@strawberry.enum(
    description="The edition of the EITI Standard a Validation assessed against: EITI_2019 (the "
    "scored Validation model used from 2021) or EITI_2023. Scores of different editions are not "
    "comparable."
)
class EitiStandardVersion(enum.StrEnum):
    EITI_2019 = "EITI_2019"
    EITI_2023 = "EITI_2023"


STANDARD_NAMES = {
    EitiStandardVersion.EITI_2019: "EITI Standard 2019",
    EitiStandardVersion.EITI_2023: "EITI Standard 2023",
}


@strawberry.enum(
    description="The EITI Board's overall assessment in a Validation, from the overall score: "
    "Very high, High, Moderate, Fairly low or Low score."
)
class EitiOverallAssessment(enum.StrEnum):
    VERY_HIGH = "VERY_HIGH"
    HIGH = "HIGH"
    MODERATE = "MODERATE"
    FAIRLY_LOW = "FAIRLY_LOW"
    LOW = "LOW"


ASSESSMENT_LABELS = {  # the wording of the EITI's published Validation results
    EitiOverallAssessment.VERY_HIGH: "Very high score",
    EitiOverallAssessment.HIGH: "High score",
    EitiOverallAssessment.MODERATE: "Moderate score",
    EitiOverallAssessment.FAIRLY_LOW: "Fairly low score",
    EitiOverallAssessment.LOW: "Low score",
}


class EitiMembership(Base):
    """A country's status in the EITI (one row per country)."""

    __tablename__ = "extractives_eiti_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    status: Mapped[EitiCountryStatus] = mapped_column(enum_column(EitiCountryStatus, "status"))
    joined_on: Mapped[date]


SCORES = ("stakeholder_engagement", "transparency", "outcomes_and_impact", "overall_score")


class EitiValidation(Base):
    """One Validation of an EITI country: the three component scores and the overall result.

    Only EITI countries are validated: the foreign key goes to the membership row, not to the
    country, so a Validation of a country that never joined cannot be stored.
    """

    __tablename__ = "extractives_validations"
    __table_args__ = (
        UniqueConstraint("country_id", "decided_on"),
        *(CheckConstraint(f"{c} >= 0 AND {c} <= 100", name=f"{c}_range") for c in SCORES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("extractives_eiti_status.country_id"))
    decided_on: Mapped[date]
    """The date of the EITI Board's decision."""
    standard: Mapped[EitiStandardVersion] = mapped_column(
        enum_column(EitiStandardVersion, "standard")
    )
    stakeholder_engagement: Mapped[float]
    transparency: Mapped[float]
    outcomes_and_impact: Mapped[float]
    overall_score: Mapped[float]
    overall_assessment: Mapped[EitiOverallAssessment] = mapped_column(
        enum_column(EitiOverallAssessment, "overall_assessment")
    )
    source_url: Mapped[str] = mapped_column(String(URL_LENGTH))


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


class ExtractiveProject(Base):
    """An oil, gas or mining project: one name per country."""

    __tablename__ = "extractives_projects"
    __table_args__ = (
        UniqueConstraint("country_id", "name"),
        Index("ix_extractives_projects_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    name: Mapped[str] = mapped_column(String(300))
    commodity: Mapped[ExtractiveCommodity] = mapped_column(
        enum_column(ExtractiveCommodity, "commodity")
    )
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    license_reference: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(300))


class ContractDisclosure(Base):
    """A contract or license published under EITI Requirement 2.4: one URL per country."""

    __tablename__ = "extractives_contract_disclosures"
    __table_args__ = (
        UniqueConstraint("country_id", "url"),
        CheckConstraint("signed_on IS NULL OR signed_on <= disclosed_on", name="signed_first"),
        Index("ix_extractives_contract_disclosures_disclosed_on_id", "disclosed_on", "id"),
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


class BeneficialOwnershipDisclosure(Base):
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
    source_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
