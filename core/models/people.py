"""Organisations (government, civil society, ...) and the people who work for them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.enums import OrganizationKind
from core.models.columns import enum_column


class Organization(Base):
    __tablename__ = "organizations"
    # (id, kind) is a key so an anchor can reference it and the database can check the kind.
    __table_args__ = (UniqueConstraint("id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind, "kind"))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"), index=True)
    website: Mapped[str | None] = mapped_column(String(500))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    """Never exposed through the API."""
