"""Tables of the notifications domain: preferences, the outbox, the sender's state.

- `notification_preferences`: one row per person who chose (no row: no digest, meeting notices
  on). `digest_watermark` is the id of the last activity event a digest of theirs included.
- `notification_outbox`: one message per (person, kind, event): a meeting notice is keyed by
  the activity event it tells of; a digest by the last event it includes. The UNIQUE constraint
  makes a rerun of the queueing pass unable to queue a message twice; `state` and `attempts`
  make the sending pass resumable (a message is marked SENT in its own transaction as soon as
  the SMTP server accepted it).
- `notification_jobs`: the sender's state, one row (`name` = "sender"): the watermark of the
  activity events it examined for notices, and a lease so that one pass runs at a time whatever
  the number of processes or hosts (cron and a server's background loop may overlap).
"""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow


@strawberry.enum(description="How often a person gets the e-mail digest of their groups' activity.")
class DigestFrequency(enum.StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    NONE = "NONE"


class OutboxKind(enum.StrEnum):
    MEETING_NOTICE = "MEETING_NOTICE"
    """A meeting the person registered for was cancelled or moved."""
    DIGEST = "DIGEST"


class OutboxState(enum.StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"
    """The SMTP server refused it permanently, or `MAX_ATTEMPTS` temporary refusals."""


class NotificationPreference(Base):
    __tablename__ = "notification_preferences"
    __table_args__ = (CheckConstraint("digest_watermark >= 0", name="watermark_not_negative"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[DigestFrequency] = mapped_column(enum_column(DigestFrequency, "digest"))
    meeting_notices: Mapped[bool] = mapped_column(default=True)
    """E-mail when a meeting the person registered for is cancelled or moved."""
    digest_watermark: Mapped[int] = mapped_column(default=0)
    """The id of the last activity event a digest included (at opt-in: the newest event then,
    so a first digest is not the group's whole history)."""
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When a digest was last due (sent, or nothing to tell); null: due at the next pass."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    __tablename__ = "notification_outbox"
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "event_id"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("(state = 'SENT') = (sent_at IS NOT NULL)", name="sent_when_sent"),
        Index("ix_notification_outbox_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[OutboxKind] = mapped_column(enum_column(OutboxKind, "kind"))
    event_id: Mapped[int] = mapped_column(
        ForeignKey("activity_events.id", ondelete="CASCADE"), index=True
    )
    """The event a notice tells of; for a digest, the last event it includes."""
    recipient: Mapped[str] = mapped_column(String(320))
    """The person's e-mail address when the message was queued."""
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[OutboxState] = mapped_column(enum_column(OutboxState, "state"))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationJob(Base):
    __tablename__ = "notification_jobs"
    __table_args__ = (CheckConstraint("watermark >= 0", name="watermark_not_negative"),)

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    watermark: Mapped[int] = mapped_column(default=0)
    """The id of the last activity event examined for meeting notices."""
    lease_holder: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """A pass holds the lease until then (it renews it); an expired lease is free again."""
