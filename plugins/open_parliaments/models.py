"""Tables of the open parliaments area (named open_parliaments_...).

The invariants live in the database, so no code path (or race) can break them:
- one legislature per country, of one or two chambers;
- its chambers fit that structure: a unicameral legislature has one UNICAMERAL chamber, a
  bicameral one a LOWER and an UPPER chamber, never more. A chamber row carries its
  legislature's chamber count through a composite foreign key (updated in cascade), and a CHECK
  matches its kind to it; UNIQUE (legislature, kind) does the rest;
- one current result per (chamber, indicator); one endorsement per organisation; one record per
  (organisation, monitored legislature);
- URLs are http(s); a record is illustrative or carries its source and retrieval date. An
  endorsement may predate the Declaration's launch: the text circulated before 15 September 2012.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column, provenance
from plugins.open_parliaments.enums import (
    ChamberKind,
    MonitoringScope,
    OpennessIndicator,
    OpennessStatus,
)

DECLARATION_LAUNCHED = date(2012, 9, 15)
"""Launched in Rome at the World e-Parliament Conference, on the International Day of Democracy."""


def http_url(column: str) -> str:
    """CHECK expression: the column is null or an http(s) URL."""
    return f"{column} LIKE 'http://%' OR {column} LIKE 'https://%'"


class Legislature(provenance.Sourced, Base):
    """A country's national legislature (one row per country), unicameral or bicameral, with
    the page its name and structure were read on (e.g. IPU Parline)."""

    __tablename__ = "open_parliaments_legislatures"
    __table_args__ = (
        CheckConstraint("chambers IN (1, 2)", name="chambers_one_or_two"),
        # Referenced by open_parliaments_chambers, so each chamber knows the structure.
        UniqueConstraint("id", "chambers"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    chambers: Mapped[int]
    """Number of chambers (IPU Parline "structure of parliament"): 1 or 2."""


class Chamber(provenance.Sourced, Base):
    """One chamber (house) of a legislature, with the page its name and website were read on."""

    __tablename__ = "open_parliaments_chambers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["legislature_id", "legislature_chambers"],
            [Legislature.id, Legislature.chambers],
            name="fk_open_parliaments_chambers_legislature",
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        UniqueConstraint("legislature_id", "kind"),
        CheckConstraint(
            "(legislature_chambers = 1 AND kind = 'UNICAMERAL')"
            " OR (legislature_chambers = 2 AND kind IN ('LOWER', 'UPPER'))",
            name="kind_fits_structure",
        ),
        CheckConstraint(http_url("website"), name="website_http"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legislature_id: Mapped[int]
    legislature_chambers: Mapped[int]
    """Copy of the legislature's `chambers`, kept by the foreign key (ON UPDATE CASCADE)."""
    kind: Mapped[ChamberKind] = mapped_column(enum_column(ChamberKind, "kind"))
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(500))


class OpennessCheck(provenance.Sourced, Base):
    """The latest check of one openness indicator on one chamber (a later check replaces it).
    Its source is, unless given otherwise, the evidence page read on the day of the check."""

    __tablename__ = "open_parliaments_openness_indicators"
    __table_args__ = (
        UniqueConstraint("chamber_id", "indicator"),
        CheckConstraint(http_url("evidence_url"), name="evidence_url_http"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chamber_id: Mapped[int] = mapped_column(
        ForeignKey(
            "open_parliaments_chambers.id",
            name="fk_open_parliaments_openness_indicators_chamber",
            ondelete="CASCADE",
        )
    )
    indicator: Mapped[OpennessIndicator] = mapped_column(
        enum_column(OpennessIndicator, "indicator")
    )
    status: Mapped[OpennessStatus] = mapped_column(enum_column(OpennessStatus, "status"))
    evidence_url: Mapped[str] = mapped_column(String(500))
    checked_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(500))


class Endorsement(provenance.Sourced, Base):
    """An organisation's endorsement of the Declaration on Parliamentary Openness (possibly
    before its launch: the text circulated before 15 September 2012)."""

    __tablename__ = "open_parliaments_endorsements"
    __table_args__ = (
        CheckConstraint(http_url("source_url"), name="source_url_http"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), unique=True)
    endorsed_on: Mapped[date] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(String(500))


class MonitoringOrganization(provenance.Sourced, Base):
    """A parliamentary monitoring organisation (PMO): an organisation following a legislature."""

    __tablename__ = "open_parliaments_pmos"
    __table_args__ = (
        UniqueConstraint("organization_id", "legislature_id"),
        CheckConstraint(http_url("website"), name="website_http"),
        provenance.sourced_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    legislature_id: Mapped[int] = mapped_column(
        ForeignKey("open_parliaments_legislatures.id", name="fk_open_parliaments_pmos_legislature"),
        index=True,
    )
    scope: Mapped[MonitoringScope] = mapped_column(enum_column(MonitoringScope, "scope"))
    website: Mapped[str | None] = mapped_column(String(500))
    """The monitoring website (e.g. a parliament-watch site), if not the organisation's own."""
