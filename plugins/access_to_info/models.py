"""Tables of the access to information area (named access_to_info_...)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core import Base

RTI_RATING_MAXIMUM = 150  # the RTI Rating scores a law on 61 indicators, 150 points in all


class RtiLaw(Base):
    """A country's national right-to-information law and its RTI Rating (one row per country)."""

    __tablename__ = "access_to_info_rti_laws"
    __table_args__ = (
        CheckConstraint(f"rti_rating BETWEEN 0 AND {RTI_RATING_MAXIMUM}", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    year_adopted: Mapped[int]
    rti_rating: Mapped[int]
