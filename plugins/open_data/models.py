"""Tables of the open data area (named open_data_...).

The database holds the invariants: scores within 0-100, counts not negative, an adoption not dated
before the Charter existed, a dataset not updated after the day it was checked, one national
adopter per country, no duplicate portals, datasets or ODIN editions, and a dataset's portal in
the dataset's own country.
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

from core import Base, enum_column

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
    description="The six thematic categories of high-value datasets (EU Open Data Directive "
    "2019/1024, Annex I; Implementing Regulation (EU) 2023/138): Geospatial; Earth observation "
    "and environment; Meteorological; Statistics; Companies and company ownership; Mobility."
)
class HighValueDatasetCategory(enum.StrEnum):
    GEOSPATIAL = "GEOSPATIAL"
    EARTH_OBSERVATION_ENVIRONMENT = "EARTH_OBSERVATION_ENVIRONMENT"
    METEOROLOGICAL = "METEOROLOGICAL"
    STATISTICS = "STATISTICS"
    COMPANIES_AND_COMPANY_OWNERSHIP = "COMPANIES_AND_COMPANY_OWNERSHIP"
    MOBILITY = "MOBILITY"


class CharterAdopter(Base):
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    government: Mapped[str] = mapped_column(String(200))
    level: Mapped[OpenDataCharterLevel] = mapped_column(enum_column(OpenDataCharterLevel, "level"))
    adopted_on: Mapped[date]
    source_url: Mapped[str | None] = mapped_column(String(500))


class DataPortal(Base):
    """A government open data portal (national or subnational)."""

    __tablename__ = "open_data_portals"
    __table_args__ = (
        UniqueConstraint("url"),
        UniqueConstraint("id", "country_id"),  # target of datasets' (portal, country) key
        CheckConstraint("dataset_count IS NULL OR dataset_count >= 0", name="count_not_negative"),
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


class HighValueDataset(Base):
    """A high-value dataset and the five openness elements it meets (as ODIN assesses them)."""

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


class OdinScore(Base):
    """A country's Open Data Inventory (ODIN) scores in one edition, each 0-100."""

    __tablename__ = "open_data_odin_scores"
    __table_args__ = (
        UniqueConstraint("country_id", "edition"),
        CheckConstraint("overall >= 0 AND overall <= 100", name="overall_range"),
        CheckConstraint("coverage >= 0 AND coverage <= 100", name="coverage_range"),
        CheckConstraint("openness >= 0 AND openness <= 100", name="openness_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[str] = mapped_column(String(16))
    overall: Mapped[float]
    coverage: Mapped[float]
    openness: Mapped[float]
    methodology_version: Mapped[str] = mapped_column(String(100))
    source_url: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(String(500), default="")
