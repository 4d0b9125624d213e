"""Priority areas a group agrees by consensus, the positions its organisations take on them, and
each group's consensus rule (issue 9, section 1).

Invariants live in the database: one CURRENT position per (priority area, organisation) (a
partial unique index, on SQLite and PostgreSQL alike), an objection always carries a reason, an
area under discussion has a closing date, and a closed area carries the count and the rule
behind its outcome (snapshotted: a later change of the group's rule does not rewrite history).
A new position never updates the old one away: it marks it superseded and adds a row.
"""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow


@strawberry.enum(description="Where a priority area stands in its group's consensus process.")
class PriorityAreaStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    UNDER_DISCUSSION = "UNDER_DISCUSSION"
    AGREED = "AGREED"
    NOT_AGREED = "NOT_AGREED"
    ARCHIVED = "ARCHIVED"


@strawberry.enum(description="An organisation's position on a priority area.")
class PositionStance(enum.StrEnum):
    ENDORSE = "ENDORSE"
    OBJECT = "OBJECT"
    OBJECTION_WITHDRAWN = "OBJECTION_WITHDRAWN"


DEFAULT_OBJECTIONS_BLOCK = True
DEFAULT_MIN_ENDORSEMENT_SHARE = 0.5
"""The default rule: no standing objection AND endorsements from at least half of the member
organisations that took part (core/priorities/services.py `reached`)."""


class PriorityArea(Base):
    __tablename__ = "priority_areas"
    __table_args__ = (
        CheckConstraint(
            "status <> 'UNDER_DISCUSSION' OR closes_at IS NOT NULL", name="open_has_closing_date"
        ),
        CheckConstraint(
            "status NOT IN ('AGREED', 'NOT_AGREED') OR (agreed IS NOT NULL AND closed_at IS NOT "
            "NULL AND endorsements IS NOT NULL AND objections IS NOT NULL AND participants IS "
            "NOT NULL AND member_organizations IS NOT NULL AND rule_objections_block IS NOT NULL "
            "AND rule_min_endorsement_share IS NOT NULL)",
            name="outcome_recorded",
        ),
        CheckConstraint("status <> 'AGREED' OR agreed", name="agreed_matches_status"),
        CheckConstraint("status <> 'NOT_AGREED' OR NOT agreed", name="not_agreed_matches_status"),
        Index("ix_priority_areas_group_id_created_at_id", "group_id", "created_at", "id"),
        # triggers (core_0013): born PROPOSED, then only the moves core/priorities/services.py
        # makes (PROPOSED -> UNDER_DISCUSSION -> AGREED | NOT_AGREED; any but ARCHIVED -> ARCHIVED)
        # core_0014: proposed by a member organisation or an anchor of its group; the meeting of
        # its outcome is one of its group's
        {
            "info": {
                "trigger_checks": (
                    "ck_priority_areas_allowed_transition",
                    "ck_priority_areas_proposed_by_member",
                    "ck_priority_areas_meeting_of_group",
                )
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    rationale: Mapped[str] = mapped_column(Text)
    status: Mapped[PriorityAreaStatus] = mapped_column(enum_column(PriorityAreaStatus, "status"))
    proposed_by_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), index=True
    )
    proposed_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Positions are taken until then (exclusive)."""
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    """The group's meeting at which the outcome was recorded, if any."""
    # the outcome and the count behind it, as they were when the area was closed
    agreed: Mapped[bool | None]
    endorsements: Mapped[int | None] = mapped_column(Integer)
    objections: Mapped[int | None] = mapped_column(Integer)
    participants: Mapped[int | None] = mapped_column(Integer)
    member_organizations: Mapped[int | None] = mapped_column(Integer)
    rule_objections_block: Mapped[bool | None]
    rule_min_endorsement_share: Mapped[float | None] = mapped_column(Float)
    illustrative: Mapped[bool] = mapped_column(default=False)
    """Demo content, not a real decision of the group."""


class PriorityAreaCountry(Base):
    __tablename__ = "priority_area_countries"

    priority_area_id: Mapped[int] = mapped_column(
        ForeignKey("priority_areas.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)


class PriorityAreaRecord(Base):
    """A link to a thematic record of the group's plugin, by its global ID (as given)."""

    __tablename__ = "priority_area_records"

    priority_area_id: Mapped[int] = mapped_column(
        ForeignKey("priority_areas.id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class PriorityAreaPosition(Base):
    __tablename__ = "priority_area_positions"
    __table_args__ = (
        CheckConstraint(
            "stance <> 'OBJECT' OR (reason IS NOT NULL AND length(trim(reason)) > 0)",
            name="objection_has_reason",
        ),
        CheckConstraint("is_current = (superseded_at IS NULL)", name="current_until_superseded"),
        # ONE current position per organisation and area; the superseded ones are the history
        Index(
            "uq_priority_area_positions_current",
            "priority_area_id",
            "organization_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        Index(
            "ix_priority_area_positions_priority_area_id_taken_at_id",
            "priority_area_id",
            "taken_at",
            "id",
        ),
        Index(
            "ix_priority_area_positions_organization_id_taken_at_id",
            "organization_id",
            "taken_at",
            "id",
        ),
        # triggers (core_0013): taken only on an area UNDER_DISCUSSION, before its closing date
        # (`taken_at`), by a member organisation or an anchor of its group; never rewritten
        {
            "info": {
                "trigger_checks": (
                    "ck_priority_area_positions_area_open",
                    "ck_priority_area_positions_before_closing",
                    "ck_priority_area_positions_by_member",
                    "ck_priority_area_positions_kept_as_taken",
                )
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_area_id: Mapped[int] = mapped_column(
        ForeignKey("priority_areas.id", ondelete="CASCADE")
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    """Who took it, for their organisation."""
    stance: Mapped[PositionStance] = mapped_column(enum_column(PositionStance, "stance"))
    reason: Mapped[str | None] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_current: Mapped[bool] = mapped_column(default=True)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConsensusRule(Base):
    """A group's consensus rule; a group without a row follows the default rule."""

    __tablename__ = "consensus_rules"
    __table_args__ = (
        CheckConstraint(
            "min_endorsement_share >= 0 AND min_endorsement_share <= 1", name="share_in_range"
        ),
    )

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    objections_block: Mapped[bool]
    min_endorsement_share: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
