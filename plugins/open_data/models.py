"""Tables of the open data area (named open_data_...)."""

from __future__ import annotations

import enum
from datetime import date

import strawberry
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column


@strawberry.enum(description="Which level of government in a country adopted the Charter.")
class OpenDataCharterLevel(enum.StrEnum):
    NATIONAL = "NATIONAL"
    LOCAL = "LOCAL"


class CharterAdoption(Base):
    """A country's adoption of the International Open Data Charter (one row per country).

    ``level`` is NATIONAL when the national government adopted it, LOCAL when only local
    governments of the country did; ``adopted_on`` is the date of that first adoption.
    """

    __tablename__ = "open_data_charter_adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    adopted_on: Mapped[date]
    level: Mapped[OpenDataCharterLevel] = mapped_column(enum_column(OpenDataCharterLevel, "level"))
