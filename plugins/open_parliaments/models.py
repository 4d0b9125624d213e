"""Tables of the open parliaments area (named open_parliaments_...)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core import Base


class Legislature(Base):
    """A country's national legislature (one row per country)."""

    __tablename__ = "open_parliaments_legislatures"
    __table_args__ = (CheckConstraint("chambers IN (1, 2)", name="chambers_one_or_two"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    chambers: Mapped[int]
