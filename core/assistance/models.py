"""Technical assistance and peer exchange (issue 10, section 2): requests, offers, the matches the
service suggests between them, each match's reasons and its history of moves.

- `assistance_requests`: a government or civil-society organisation of a group asks for help
  (title, what it needs, by when, kind, the country it is for) in some languages on some topics;
  `OPEN` until its people close it.
- `assistance_offers`: an organisation offers expertise: topics, languages, the groups it serves
  and the countries it has worked in.
- `assistance_matches`: one row per (request, offer) the service suggested (unique), with its
  score and reasons (`assistance_match_reasons`, one row per scoring component: code, points,
  parameters) and a status moved by the people allowed to (core/assistance/moves.py); every move
  is written to `assistance_match_moves` by the database itself (core_0017's triggers), so a
  writer that skips the services keeps the history too, and cannot make a move the graph forbids.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow
from core.knowledge.vocabulary import LANGUAGE_CHECK
from core.topics import topic_constraints


@strawberry.enum(description="What a request asks for.")
class AssistanceKind(enum.StrEnum):
    TECHNICAL_ASSISTANCE = "TECHNICAL_ASSISTANCE"
    PEER_EXCHANGE = "PEER_EXCHANGE"


@strawberry.enum(description="Whether a request or an offer is still looking for a match.")
class AssistanceStatus(enum.StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@strawberry.enum(
    name="AssistanceMatchStatus",
    description="Where a match stands: SUGGESTED by the service, PROPOSED by the requester, "
    "ACCEPTED by the offerer, IN_PROGRESS, COMPLETED (with an outcome report), or DECLINED.",
)
class MatchStatus(enum.StrEnum):
    SUGGESTED = "SUGGESTED"
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    DECLINED = "DECLINED"


def language_constraints() -> list[CheckConstraint]:
    """The CHECK named `language`: an ISO 639-1 code (core.knowledge.vocabulary, the list the
    API checks; core_0020, which replaced core_0017's two lowercase letters)."""
    return [CheckConstraint(LANGUAGE_CHECK, name="language")]


class AssistanceRequest(Base):
    __tablename__ = "assistance_requests"
    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0", name="title_present"),
        CheckConstraint("length(trim(needs)) > 0", name="needs_present"),
        CheckConstraint("(status = 'CLOSED') = (closed_at IS NOT NULL)", name="closed_when_closed"),
        Index("ix_assistance_requests_group_id_created_at_id", "group_id", "created_at", "id"),
        Index("ix_assistance_requests_created_at_id", "created_at", "id"),
        # trigger (core_0017): the organisation is a GOVERNMENT or CIVIL_SOCIETY one
        {"info": {"trigger_checks": ("ck_assistance_requests_requester_kind",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    """The requesting organisation (a government or civil society's); its people move matches."""
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    """The country the help is for."""
    title: Mapped[str] = mapped_column(String(300))
    needs: Mapped[str] = mapped_column(Text)
    """What it needs, in the requester's words."""
    needed_by: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[AssistanceKind] = mapped_column(enum_column(AssistanceKind, "kind"))
    status: Mapped[AssistanceStatus] = mapped_column(enum_column(AssistanceStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    illustrative: Mapped[bool] = mapped_column(default=False)
    """Demo content, not a real request."""


class AssistanceRequestTopic(Base):
    __tablename__ = "assistance_request_topics"
    __table_args__ = (*topic_constraints(), Index("ix_assistance_request_topics_topic", "topic"))

    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)


class AssistanceRequestLanguage(Base):
    __tablename__ = "assistance_request_languages"
    __table_args__ = tuple(language_constraints())

    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)


class AssistanceOffer(Base):
    __tablename__ = "assistance_offers"
    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0", name="title_present"),
        CheckConstraint("length(trim(description)) > 0", name="description_present"),
        CheckConstraint("(status = 'CLOSED') = (closed_at IS NOT NULL)", name="closed_when_closed"),
        Index("ix_assistance_offers_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    """The offering organisation; its people accept proposals."""
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[AssistanceStatus] = mapped_column(enum_column(AssistanceStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    illustrative: Mapped[bool] = mapped_column(default=False)


class AssistanceOfferTopic(Base):
    __tablename__ = "assistance_offer_topics"
    __table_args__ = (*topic_constraints(), Index("ix_assistance_offer_topics_topic", "topic"))

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_offers.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)


class AssistanceOfferLanguage(Base):
    __tablename__ = "assistance_offer_languages"
    __table_args__ = tuple(language_constraints())

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_offers.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)


class AssistanceOfferGroup(Base):
    """A group whose members the offer is for."""

    __tablename__ = "assistance_offer_groups"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_offers.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AssistanceOfferCountry(Base):
    """A country the offering organisation has worked in."""

    __tablename__ = "assistance_offer_countries"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_offers.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)


class AssistanceMatch(Base):
    __tablename__ = "assistance_matches"
    __table_args__ = (
        CheckConstraint("score >= 0", name="score_not_negative"),
        CheckConstraint(
            "status <> 'COMPLETED' OR (completed_at IS NOT NULL AND outcome_report IS NOT NULL "
            "AND length(trim(outcome_report)) > 0)",
            name="completed_with_outcome",
        ),
        Index("uq_assistance_matches_request_offer", "request_id", "offer_id", unique=True),
        Index("ix_assistance_matches_offer_id", "offer_id"),
        # triggers (core_0017): born SUGGESTED; then only the moves of core/assistance/moves.py
        # (`allowed_transition`), by a person of the side allowed to make it or staff
        # (`mover_allowed`); every birth and move written to assistance_match_moves; request and
        # offer of different organisations; no move forward once the request or offer is CLOSED
        {
            "info": {
                "trigger_checks": (
                    "ck_assistance_matches_allowed_transition",
                    "ck_assistance_matches_mover_allowed",
                    "ck_assistance_matches_different_organizations",
                    "ck_assistance_matches_request_open",
                    "ck_assistance_matches_offer_open",
                )
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE")
    )
    offer_id: Mapped[int] = mapped_column(ForeignKey("assistance_offers.id", ondelete="CASCADE"))
    status: Mapped[MatchStatus] = mapped_column(enum_column(MatchStatus, "status"))
    score: Mapped[int] = mapped_column(Integer)
    """The sum of its reasons' points (core/assistance/scoring.py), when last suggested."""
    suggested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    """When its status last changed (copied into its move's history row)."""
    moved_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    """Who made the last move (None: the service, for a suggestion)."""
    move_note: Mapped[str | None] = mapped_column(Text)
    """The last move's note (why declined...), copied into its history row."""
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_report: Mapped[str | None] = mapped_column(Text)
    """A short report of what came of it, required to complete."""
    outcome_resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL")
    )
    """The LESSON_LEARNED resource made of the outcome (core.knowledge), if published; None
    again when that resource is deleted, so the outcome can be published anew."""
    illustrative: Mapped[bool] = mapped_column(default=False)


class AssistanceMatchReason(Base):
    """One scoring component of a match: its code, points and parameters (those the code uses;
    the words are rendered from them by core/assistance/reasons.py)."""

    __tablename__ = "assistance_match_reasons"
    __table_args__ = (CheckConstraint("points > 0", name="points_positive"),)

    match_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_matches.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id", ondelete="SET NULL")
    )
    theme: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(2))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id"))
    commitment_id: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)


class AssistanceMatchMove(Base):
    """One move of a match (its birth included: from_status None), written by core_0017's
    triggers from the match row's `moved_at`, `moved_by_person_id` and `move_note`."""

    __tablename__ = "assistance_match_moves"
    __table_args__ = (Index("ix_assistance_match_moves_match_id_id", "match_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("assistance_matches.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
