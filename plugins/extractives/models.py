"""Tables of the extractive industry transparency area (named extractives_...)."""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column


@strawberry.enum(description="Where a country stands in the EITI.")
class EitiCountryStatus(enum.StrEnum):
    IMPLEMENTING = "IMPLEMENTING"
    SUSPENDED = "SUSPENDED"
    WITHDRAWN = "WITHDRAWN"


class EitiMembership(Base):
    """A country's status in the EITI (one row per country)."""

    __tablename__ = "extractives_eiti_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    status: Mapped[EitiCountryStatus] = mapped_column(enum_column(EitiCountryStatus, "status"))
    joined_on: Mapped[date]
