"""Tables of the open data area (named open_data_...).

The database holds the invariants: scores within 0-100, counts not negative, an adoption not dated
before the Charter existed, a dataset not updated after the day it was checked, one national
adopter per country, no duplicate portals, datasets, endorsers or ODIN editions, a dataset's portal
in the dataset's own country, and a source with its retrieval date on every row that is not
illustrative.
"""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column, provenance

CHARTER_LAUNCHED = date(2015, 10, 1)
"""The International Open Data Charter was adopted by its first governments at the OGP Global
Summit in Mexico City in October 2015: no adoption is dated earlier than that month."""

ODIN_SCALE_MAX = 100.0


@strawberry.enum(
    description="Which level of government adopted the International Open Data Charter."
)
class OpenDataCharterLevel(enum.StrEnum):
    NATIONAL = "NATIONAL"
    SUBNATIONAL = "SUBNATIONAL"


@strawberry.enum(description="The software a data portal runs on.")
class DataPortalPlatform(enum.StrEnum):
    CKAN = "CKAN"
    DKAN = "DKAN"
    SOCRATA = "SOCRATA"
    OPENDATASOFT = "OPENDATASOFT"
    ARCGIS_HUB = "ARCGIS_HUB"
    UDATA = "UDATA"
    JUNAR = "JUNAR"
    CUSTOM = "CUSTOM"
    OTHER = "OTHER"


@strawberry.enum(
    description="The six thematic categories of high-value datasets of the EU's Open Data "
    "Directive (Directive (EU) 2019/1024, Annex I; Implementing Regulation (EU) 2023/138): "
    "Geospatial; Earth observation and environment; Meteorological; Statistics; Companies and "
    "company ownership; Mobility. They bind public sector bodies of EU member states; elsewhere "
    "they are used here only as a classification (see `HighValueDataset.euRegulation`)."
)
class HighValueDatasetCategory(enum.StrEnum):
    GEOSPATIAL = "GEOSPATIAL"
    EARTH_OBSERVATION_ENVIRONMENT = "EARTH_OBSERVATION_ENVIRONMENT"
    METEOROLOGICAL = "METEOROLOGICAL"
    STATISTICS = "STATISTICS"
    COMPANIES_AND_COMPANY_OWNERSHIP = "COMPANIES_AND_COMPANY_OWNERSHIP"
    MOBILITY = "MOBILITY"


@strawberry.enum(
    description="Whether the EU's high-value dataset rules bind the dataset's publisher: "
    "EU_MEMBER_STATE (Implementing Regulation (EU) 2023/138 applies), EEA_EFTA_STATE (Iceland, "
    "Liechtenstein, Norway: only as the EEA Agreement incorporates it), or NOT_BOUND (the "
    "category is used only as a classification)."
)
class EuHighValueDatasetScope(enum.StrEnum):
    EU_MEMBER_STATE = "EU_MEMBER_STATE"
    EEA_EFTA_STATE = "EEA_EFTA_STATE"
    NOT_BOUND = "NOT_BOUND"


EU_MEMBER_STATES = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
     "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU")
)  # fmt: skip
"""The 27 member states of the European Union (since the United Kingdom left, 31 January 2020)."""
EEA_EFTA_STATES = frozenset({"IS", "LI", "NO"})
"""Iceland, Liechtenstein and Norway: bound as the EEA Agreement incorporates the rules.
A country's scope is decided in SQL from these (open_data.loaders `_eu_scopes`)."""


class CharterAdopter(provenance.Sourced, Base):
    """One government's adoption of the International Open Data Charter.

    A country may have several: its national government and any number of subnational ones
    (states, provinces, cities), each adopting on its own date; at most one is NATIONAL.
    """

    __tablename__ = "open_data_charter_adopters"
    __table_args__ = (
        UniqueConstraint("country_id", "government"),
        Index(
            "uq_open_data_charter_adopters_national",
            "country_id",
            unique=True,
            sqlite_where=text("level = 'NATIONAL'"),
            postgresql_where=text("level = 'NATIONAL'"),
        ),
        CheckConstraint(f"adopted_on >= '{CHARTER_LAUNCHED.isoformat()}'", name="after_launch"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    government: Mapped[str] = mapped_column(String(200))
    level: Mapped[OpenDataCharterLevel] = mapped_column(enum_column(OpenDataCharterLevel, "level"))
    adopted_on: Mapped[date]


class CharterEndorser(provenance.Sourced, Base):
    """A non-governmental organisation (NGO, company, professional or academic body...) that
    endorsed the International Open Data Charter: governments adopt it, organisations endorse it.
    """

    __tablename__ = "open_data_charter_endorsers"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint(
            f"endorsed_on IS NULL OR endorsed_on >= '{CHARTER_LAUNCHED.isoformat()}'",
            name="after_launch",
        ),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"))
    endorsed_on: Mapped[date | None]


class DataPortal(provenance.Sourced, Base):
    """A government open data portal (national or subnational)."""

    __tablename__ = "open_data_portals"
    __table_args__ = (
        UniqueConstraint("url"),
        UniqueConstraint("id", "country_id"),  # target of datasets' (portal, country) key
        CheckConstraint("dataset_count IS NULL OR dataset_count >= 0", name="count_not_negative"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    platform: Mapped[DataPortalPlatform] = mapped_column(
        enum_column(DataPortalPlatform, "platform")
    )
    dataset_count: Mapped[int | None]
    has_api: Mapped[bool]
    checked_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(String(500), default="")


class HighValueDataset(provenance.Sourced, Base):
    """A high-value dataset and the working group's own yes/no checks of five openness criteria
    on it. Not ODIN's assessment: ODIN scores its openness elements 1, 0.5 or 0 per data category
    on national statistical offices' websites, not per portal dataset."""

    __tablename__ = "open_data_high_value_datasets"
    __table_args__ = (
        UniqueConstraint("url"),
        ForeignKeyConstraint(
            ["portal_id", "country_id"],
            ["open_data_portals.id", "open_data_portals.country_id"],
            name="fk_open_data_high_value_datasets_portal_country",
        ),
        CheckConstraint(
            "last_updated_on IS NULL OR last_updated_on <= checked_on", name="updated_before_check"
        ),
        Index("ix_open_data_high_value_datasets_country_id_category", "country_id", "category"),
        # `highValueDatasets`' order (open_data_0004)
        Index("ix_open_data_high_value_datasets_title_id", "title", "id"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    portal_id: Mapped[int | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[HighValueDatasetCategory] = mapped_column(
        enum_column(HighValueDatasetCategory, "category")
    )
    url: Mapped[str] = mapped_column(String(500))
    machine_readable: Mapped[bool]
    non_proprietary_format: Mapped[bool]
    metadata_available: Mapped[bool]
    download_or_api: Mapped[bool]
    open_licence: Mapped[bool]
    licence: Mapped[str | None] = mapped_column(String(200))
    checked_on: Mapped[date]
    last_updated_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(String(500), default="")


ODIN_SUBSCORES = ("coverage", "openness", "social", "economic", "environmental")
"""ODIN's subscores besides the overall score: coverage and openness (of all categories), and
social, economic and environmental statistics (each group of categories), each 0-100."""


def _range(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0 AND {column} <= 100", name=f"{column}_range")


class OdinScore(provenance.Sourced, Base):
    """A country's Open Data Inventory (ODIN) scores in one edition, each 0-100: the overall score
    and the subscores Open Data Watch publishes (null when not recorded)."""

    __tablename__ = "open_data_odin_scores"
    __table_args__ = (
        UniqueConstraint("country_id", "edition"),
        *(_range(name) for name in ("overall", *ODIN_SUBSCORES)),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[str] = mapped_column(String(16))
    overall: Mapped[float]
    coverage: Mapped[float | None]
    openness: Mapped[float | None]
    social: Mapped[float | None]
    economic: Mapped[float | None]
    environmental: Mapped[float | None]
    methodology_version: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(String(500), default="")
