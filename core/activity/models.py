"""One row per event of a group's or an organisation's activity feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class ActivityEvent(Base):
    __tablename__ = "activity_events"
    __table_args__ = (
        CheckConstraint("group_id IS NOT NULL OR organization_id IS NOT NULL", name="has_audience"),
        Index("ix_activity_events_group_id_id", "group_id", "id"),
        Index("ix_activity_events_organization_id_id", "organization_id", "id"),
        # a trigger (core_0013): the verb is one of core.activity.services.VERBS
        {"info": {"trigger_checks": ("ck_activity_events_known_verb",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    """Increasing: the feed is newest first by id (ids are given in commit-lock order)."""
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verb: Mapped[str] = mapped_column(String(60))
    """What happened, e.g. `MEETING_SCHEDULED` (`core.activity.services.VERBS` lists them)."""
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE")
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    """The person who did it; null for the system or the CLI (or the person was deleted)."""
    subject_type: Mapped[str] = mapped_column(String(60))
    """The GraphQL type of the object the event is about, e.g. `Meeting`."""
    subject_id: Mapped[int] = mapped_column()
    """Its database id (the global ID is `subject_type` + this)."""
    summary: Mapped[str] = mapped_column(String(500))
    """One line in English, e.g. "Meeting 'Open data at the Summit' was moved"."""
