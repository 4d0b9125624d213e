"""Tables of the fiscal openness area (named fiscal_openness_...). The database holds the
invariants: score ranges, enumerations, one survey per (country, edition), one record per
(country, fiscal year, document), no date or URL for a document that was never released (no URL
for one released in print only), and a source with its retrieval date on every row that is not
illustrative.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column, provenance
from plugins.fiscal_openness.methodology import (
    BudgetDocumentKind,
    BudgetDocumentStatus,
    FiscalCommitmentKind,
    GiftPrinciple,
)

SCORES = (
    "transparency",
    "comparable_transparency",
    "participation",
    "legislative_oversight",
    "audit_oversight",
    "oversight",
)
"""The score columns (`<name>_score`), each 0-100."""


UNPUBLISHED_NO_DATE = (
    "status IN ('PUBLICLY_AVAILABLE', 'PUBLISHED_LATE') "
    "OR (url IS NULL AND (status = 'PRINT_ONLY' OR published_on IS NULL))"
)
"""Only a document published online has a URL; one released in print only has a date but no
URL; one never released (internal use only, not produced) has neither."""


def _score_range(column: str) -> CheckConstraint:
    # NULL passes a CHECK: every score but transparency may be missing (early rounds, or not
    # published for this country).
    return CheckConstraint(f"{column}_score BETWEEN 0 AND 100", name=f"{column}_range")


class Survey(provenance.Sourced, Base):
    """One country's results in one Open Budget Survey edition, each score 0-100: transparency
    (the Open Budget Index), its value in IBP's comparable series, participation, legislative and
    audit oversight, and the composite oversight score of the editions that published one."""

    __tablename__ = "fiscal_openness_surveys"
    __table_args__ = (
        UniqueConstraint("country_id", "edition"),
        CheckConstraint("edition >= 2006", name="edition_range"),
        *(_score_range(name) for name in SCORES),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int]
    transparency_score: Mapped[int]
    comparable_transparency_score: Mapped[int | None]
    participation_score: Mapped[int | None]
    legislative_oversight_score: Mapped[int | None]
    audit_oversight_score: Mapped[int | None]
    oversight_score: Mapped[int | None]
    methodology_version: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(500), default="")


class BudgetDocument(provenance.Sourced, Base):
    """Availability of one of the eight key budget documents for a country's fiscal year."""

    __tablename__ = "fiscal_openness_budget_docs"
    __table_args__ = (
        UniqueConstraint("country_id", "fiscal_year", "kind"),
        CheckConstraint("fiscal_year >= 1990", name="fiscal_year_range"),
        CheckConstraint(UNPUBLISHED_NO_DATE, name="unpublished_no_date"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    fiscal_year: Mapped[int]
    kind: Mapped[BudgetDocumentKind] = mapped_column(enum_column(BudgetDocumentKind, "kind"))
    status: Mapped[BudgetDocumentStatus] = mapped_column(
        enum_column(BudgetDocumentStatus, "status")
    )
    published_on: Mapped[date | None]
    url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(String(500), default="")


class Commitment(provenance.Sourced, Base):
    """A priority area of a fiscal openness group, or an action plan commitment it follows."""

    __tablename__ = "fiscal_openness_commitments"
    __table_args__ = (
        CheckConstraint(
            "kind = 'PRIORITY_AREA' OR country_id IS NOT NULL", name="commitment_has_country"
        ),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FiscalCommitmentKind] = mapped_column(enum_column(FiscalCommitmentKind, "kind"))
    title: Mapped[str] = mapped_column(String(300))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"))
    reference: Mapped[str | None] = mapped_column(String(50))
    url: Mapped[str | None] = mapped_column(String(500))


class CommitmentPrinciple(Base):
    """One GIFT High-Level Principle a commitment addresses (each at most once)."""

    __tablename__ = "fiscal_openness_commitment_principles"
    __table_args__ = (
        ForeignKeyConstraint(
            ["commitment_id"],
            ["fiscal_openness_commitments.id"],
            name="fk_fiscal_openness_commitment_principles_commitment",
            ondelete="CASCADE",
        ),
    )

    commitment_id: Mapped[int] = mapped_column(primary_key=True)
    principle: Mapped[GiftPrinciple] = mapped_column(
        enum_column(GiftPrinciple, "principle"), primary_key=True
    )
