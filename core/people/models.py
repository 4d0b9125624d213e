"""The people domain's tables: OGP participating countries, organisations (government, civil
society, ...) and the people who work for them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base
from core.enums import OrganizationKind


class Country(Base):
    __tablename__ = "countries"
    # (name, id): the order of `countries` and of every list by country name (a plugin's budget
    # documents, survey results...), read country by country through the join key (core_0025)
    __table_args__ = (
        CheckConstraint("length(alpha2) = 2", name="alpha2_length"),
        CheckConstraint("length(alpha3) = 3", name="alpha3_length"),
        Index("ix_countries_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alpha2: Mapped[str] = mapped_column(String(2), unique=True)
    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    ogp_member_since: Mapped[date | None]
    action_plan_cycle: Mapped[str | None] = mapped_column(String(20))


class Organization(Base):
    __tablename__ = "organizations"
    # (id, kind) is a key so an anchor can reference it and the database can check the kind.
    # (name, id): the `organizations` connection's order; (kind, name, id): its kind filter;
    # (country_id, name, id): a country's organisations, also the foreign key's index.
    __table_args__ = (
        UniqueConstraint("id", "kind"),
        Index("ix_organizations_name_id", "name", "id"),
        Index("ix_organizations_kind_name_id", "kind", "name", "id"),
        Index("ix_organizations_country_id_name_id", "country_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind, "kind"))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"))
    website: Mapped[str | None] = mapped_column(String(500))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    """Never exposed through the API."""
