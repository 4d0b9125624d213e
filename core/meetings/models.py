"""Meetings of a group and the people registered for them.

`registered_count` is kept by the same transaction that changes a registration, with a conditional
UPDATE; the CHECK constraint makes overbooking impossible even for a buggy writer. A registration's
`queued_at` orders the waitlist (and the registered list): first come, first served.

Issue 9, section 2 (migration core_0007): a registration window (`registration_opens_at` /
`registration_closes_at`), a `sequence` raised by every change of the meeting (the calendar feeds'
SEQUENCE), cancellation (`cancelled_at`, kept with its history in `meeting_changes`), minutes, the
links attached after the meeting (`meeting_links`) and the personal calendar feeds' tokens
(`calendar_feed_tokens`, stored hashed).

Migration core_0020: a meeting lasts at most MAX_DAYS days (`max_duration`), so that the
meetings not yet ended all started within MAX_DAYS of now and `upcoming` reads a short range of
the `starts_at` indexes (`not_ended`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow
from core.enums import MeetingChangeKind, MeetingKind, MeetingLinkKind, RegistrationStatus

MAX_DAYS = 14
"""The longest a meeting lasts, in days (a rule of the domain, kept by the database:
`ck_meetings_max_duration`). What OGP holds: working group sessions and webinars last hours;
the Global Summits two to three days (London 2013: 31 October - 1 November; Mexico City 2015:
27-29 October; Paris 2016: 7-9 December; Tbilisi 2018: 17-19 July; Ottawa 2019: 29-31 May;
Tallinn 2023: 6-7 September: OGP's event pages); Open Gov Week, OGP's longest recurring
campaign, one working week in May. Fourteen days is twice that with room for time zones:
nothing OGP schedules as one meeting comes near it, and a two-week bound keeps `upcoming` a
short index range."""
MAX_DURATION = timedelta(days=MAX_DAYS)

DURATION_CHECKS = {
    # SQLite stores naive UTC text `YYYY-MM-DD HH:MM:SS.ffffff` (core.db.UTCDateTime): the start
    # moved by MAX_DAYS days, its fraction of a second put back, compared as text (exact, as
    # `ends_after_start` compares). The fraction is cut before strftime, which would round it
    # to milliseconds (x.9995 s -> x+1 s). Interval arithmetic on PostgreSQL (days of 24 hours:
    # the subtraction of two timestamptz does not depend on the session's time zone).
    "sqlite": "ends_at <= strftime('%Y-%m-%d %H:%M:%S', substr(starts_at, 1, 19), "
    f"'+{MAX_DAYS} days') || substr(starts_at, 20)",
    "postgresql": f"ends_at - starts_at <= interval '{MAX_DAYS} days'",
}
"""The SQL of `ck_meetings_max_duration` by dialect (core_0020 keeps a frozen copy)."""


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(
            "registered_count >= 0 AND (capacity IS NULL OR registered_count <= capacity)",
            name="within_capacity",
        ),
        CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL"
            " OR registration_opens_at < registration_closes_at",
            name="registration_opens_before_closes",
        ),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        # core_0020 (on SQLite a pair of triggers refusing with this name, as core_0006 does)
        *(
            CheckConstraint(sql, name="max_duration").ddl_if(dialect=dialect)
            for dialect, sql in DURATION_CHECKS.items()
        ),
        Index("ix_meetings_group_id_starts_at", "group_id", "starts_at"),
        Index("ix_meetings_group_id_ends_at", "group_id", "ends_at"),
        Index("ix_meetings_starts_at", "starts_at"),
        # core_0019: `meetings(filter: {summit: ...})` in (starts_at, id) order
        Index("ix_meetings_is_summit_starts_at_id", "is_summit", "starts_at", "id"),
        # core_0022: `meetings(filter: {kind: ...})`; its count reads the index alone
        Index(
            "ix_meetings_kind_starts_at_id",
            "kind",
            "starts_at",
            "id",
            postgresql_include=["group_id"],
        ),
        # core_0024: a group's `meetings(filter: {kind: ...})`, a range per group
        Index("ix_meetings_group_id_kind_starts_at_id", "group_id", "kind", "starts_at", "id"),
        # core_0014: a change of a calendar field raises `sequence` and writes the history row
        # (meeting_changes) by trigger; `sequence` never goes down
        {"info": {"trigger_checks": ("ck_meetings_sequence_kept",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, "kind"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    registered_count: Mapped[int] = mapped_column(default=0)
    agenda: Mapped[str] = mapped_column(Text, default="")
    is_summit: Mapped[bool] = mapped_column(default=False)
    # null: open since scheduling / until the meeting ends
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # RFC 5545 SEQUENCE: 0 when scheduled, +1 with every change (update, cancellation)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[str] = mapped_column(Text, default="", server_default="")


def not_ended(now: Any, since: Any = None) -> ColumnElement[bool]:
    """Meetings that end at or after `now` (an aware datetime): `ends_at >= now`, and, implied by
    `ck_meetings_max_duration`, `starts_at >= now - MAX_DURATION`, which bounds a `starts_at`
    index range (`upcoming`: else the range starts at the first meeting ever held). `now` and
    `since` may be bound parameters instead (core.rows.request_now(), request_now(-MAX_DURATION):
    a statement built once and run later reads the clock when it runs)."""
    since = now - MAX_DURATION if since is None else since
    return and_(Meeting.ends_at >= now, Meeting.starts_at >= since)


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        # the head of a meeting's waitlist (promotion), and pages of one status, in queue order
        Index(
            "ix_registrations_meeting_id_status_queued_at_id",
            "meeting_id",
            "status",
            "queued_at",
            "id",
        ),
        # covering on PostgreSQL: a meeting's first page of registrants is an index-only range;
        # also the meeting's latest queue entry (max queued_at), read on every (re)queueing
        Index(
            "ix_registrations_meeting_id_queued_at_id",
            "meeting_id",
            "queued_at",
            "id",
            postgresql_include=["person_id", "status", "created_at"],
        ),
        # triggers (core_0013): PRE_REGISTERED only at a Summit meeting; ATTENDED / NO_SHOW only
        # once the meeting has started, and only for a registration that had a place
        {
            "info": {
                "trigger_checks": (
                    "ck_registrations_pre_registered_at_summit",
                    "ck_registrations_attendance_after_start",
                    "ck_registrations_attendance_with_place",
                    # core_0014: a new REGISTERED / WAITLISTED row is queued inside the window
                    "ck_registrations_registration_open",
                    "ck_registrations_registration_not_closed",
                )
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the registration last joined the waitlist or the registered list: first come, first
    # served orders by (queued_at, id). Strictly increasing per meeting
    # (core.meetings.registrations), so the order is the order in which the meeting-locked
    # transactions ran.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingLink(Base):
    """A recording, slides or another page attached to a meeting (after it, usually)."""

    __tablename__ = "meeting_links"
    __table_args__ = (
        Index("ix_meeting_links_meeting_id_id", "meeting_id", "id"),
        # a trigger (core_0013): at most 20 links per meeting (core.meetings.lifecycle.MAX_LINKS)
        {"info": {"trigger_checks": ("ck_meeting_links_limit",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[MeetingLinkKind] = mapped_column(enum_column(MeetingLinkKind, "kind"))
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingChange(Base):
    """One entry of a meeting's history: scheduled, changed, moved or cancelled; who, when, why,
    and the times before and after."""

    __tablename__ = "meeting_changes"
    __table_args__ = (Index("ix_meeting_changes_meeting_id_id", "meeting_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[MeetingChangeKind] = mapped_column(enum_column(MeetingChangeKind, "kind"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    fields: Mapped[str] = mapped_column(String(500), default="")
    """The GraphQL names of the fields that changed, comma-separated (e.g. `startsAt,endsAt`)."""
    reason: Mapped[str] = mapped_column(Text, default="")
    old_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    old_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column()
    """The meeting's SEQUENCE after the change."""


class CalendarFeedToken(Base):
    """The secret of one person's calendar feed (GET /calendar/{token}.ics), stored as its
    SHA-256 (core.auth.tokens.hash_token); one per person, replaced when rotated."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
