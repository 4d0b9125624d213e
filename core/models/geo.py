"""OGP participating countries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class Country(Base):
    __tablename__ = "countries"
    __table_args__ = (
        CheckConstraint("length(alpha2) = 2", name="alpha2_length"),
        CheckConstraint("length(alpha3) = 3", name="alpha3_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alpha2: Mapped[str] = mapped_column(String(2), unique=True)
    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    ogp_member_since: Mapped[date | None]
    action_plan_cycle: Mapped[str | None] = mapped_column(String(20))
