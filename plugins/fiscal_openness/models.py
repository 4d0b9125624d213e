"""Tables of the fiscal openness area (named fiscal_openness_...)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base


class OpenBudgetScore(Base):
    """A country's Open Budget Index (transparency, 0-100) in one Open Budget Survey edition."""

    __tablename__ = "fiscal_openness_obs_scores"
    __table_args__ = (
        UniqueConstraint("country_id", "edition"),
        CheckConstraint("transparency_score BETWEEN 0 AND 100", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    edition: Mapped[int]
    transparency_score: Mapped[int]
