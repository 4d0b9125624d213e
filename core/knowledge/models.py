"""Resources a group shares (lessons learned, case studies, guides...) and the expertise people and
organisations declare (issue 10, section 1).

Tables: `resources` (+ `resource_groups`, `resource_countries`, `resource_commitments`,
`resource_languages`, `resource_topics`) and `expertise` (+ `expertise_topics`,
`expertise_languages`, `expertise_countries`). Invariants kept by the database (migration
core_0016, SQLite and PostgreSQL):

- a resource has a link (`url`, http(s)) or a text (`body`), at least one (`link_or_body`);
- its licence is an SPDX identifier of `core.knowledge.vocabulary.LICENCES` (`licence`), its
  languages ISO 639-1 codes (`language`), its tags topic slugs (`topic`, core/topics.py);
- `published_at` is set by the database when a resource becomes PUBLISHED (a trigger; a draft has
  none: `draft_unpublished`), a published resource never goes back to DRAFT
  (`ck_resources_stays_published`, a trigger) and keeps its date
  (`ck_resources_keeps_published_at`, a trigger);
- its home group (`group_id`, whose anchors see its drafts and whose feed shows it published) is
  always one of its groups: a trigger adds the `resource_groups` row, another refuses to delete
  or move it while the resource and the group exist (`ck_resource_groups_home_group`);
- one declaration of expertise per person and one per organisation (partial unique indexes), held
  by exactly one of them (`one_holder`).
"""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow
from core.knowledge.vocabulary import LANGUAGE_CHECK, LICENCE_CHECK
from core.topics import topic_constraints


@strawberry.enum(description="What kind of knowledge a resource is.")
class ResourceKind(enum.StrEnum):
    LESSON_LEARNED = "LESSON_LEARNED"
    CASE_STUDY = "CASE_STUDY"
    GUIDE = "GUIDE"
    TOOL = "TOOL"
    DATASET = "DATASET"
    RECORDING = "RECORDING"
    WEBINAR = "WEBINAR"


@strawberry.enum(
    description="DRAFT: seen by its authors and its group's anchors only; PUBLISHED: public."
)
class ResourceStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


class Resource(Base):
    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint(
            "(url IS NOT NULL AND length(url) > 0) OR (body IS NOT NULL AND length(body) > 0)",
            name="link_or_body",
        ),
        CheckConstraint(
            "url IS NULL OR url LIKE 'https://%' OR url LIKE 'http://%'", name="url_is_http"
        ),
        CheckConstraint(LICENCE_CHECK, name="licence"),
        CheckConstraint("status = 'PUBLISHED' OR published_at IS NULL", name="draft_unpublished"),
        CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
        Index("ix_resources_group_id_id", "group_id", "id"),
        Index("ix_resources_status_published_at_id", "status", "published_at", "id"),
        # triggers (core_0016): published_at set on publication; PUBLISHED never back to DRAFT
        # nor to another date; the home group added to resource_groups
        {
            "info": {
                "trigger_checks": (
                    "ck_resources_stays_published",
                    "ck_resources_keeps_published_at",
                )
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    """The group it was shared in: its anchors see the draft, its feed shows the publication."""
    kind: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind, "kind"))
    status: Mapped[ResourceStatus] = mapped_column(
        enum_column(ResourceStatus, "status"), default=ResourceStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    body: Mapped[str | None] = mapped_column(Text)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    """The author organisation."""
    created_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    licence: Mapped[str] = mapped_column(String(64))
    """An SPDX identifier (core.knowledge.vocabulary.LICENCES), e.g. `CC-BY-4.0`."""
    source: Mapped[str | None] = mapped_column(String(500))
    """How to cite it: publisher, year, title (the demo's sources)."""
    illustrative: Mapped[bool] = mapped_column(default=False)
    """Demo content that is not a real publication (or not verified as one)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set by the database when the status becomes PUBLISHED (unless given, e.g. a publication's
    own date by the demo); never changed afterwards."""


class ResourceGroup(Base):
    __tablename__ = "resource_groups"
    __table_args__ = (
        Index("ix_resource_groups_group_id", "group_id", "resource_id"),
        # trigger (core_0016): the home group's row is neither deleted nor moved
        {"info": {"trigger_checks": ("ck_resource_groups_home_group",)}},
    )

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )


class ResourceCountry(Base):
    __tablename__ = "resource_countries"
    __table_args__ = (Index("ix_resource_countries_country_id", "country_id", "resource_id"),)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)


class ResourceCommitment(Base):
    __tablename__ = "resource_commitments"
    __table_args__ = (
        Index("ix_resource_commitments_commitment_id", "commitment_id", "resource_id"),
    )

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True
    )


class ResourceLanguage(Base):
    __tablename__ = "resource_languages"
    __table_args__ = (
        CheckConstraint(LANGUAGE_CHECK, name="language"),
        Index("ix_resource_languages_language", "language", "resource_id"),
    )

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    """ISO 639-1."""


class ResourceTopic(Base):
    __tablename__ = "resource_topics"
    __table_args__ = (
        *topic_constraints(),
        Index("ix_resource_topics_topic", "topic", "resource_id"),
    )

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)


class Expertise(Base):
    """What a person or an organisation knows: one declaration per holder (its topics, languages
    and countries are lists, so one row says it all and a search finds the holder once)."""

    __tablename__ = "expertise"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organization_id IS NULL)", name="one_holder"),
        Index(
            "uq_expertise_person_id",
            "person_id",
            unique=True,
            sqlite_where=text("person_id IS NOT NULL"),
            postgresql_where=text("person_id IS NOT NULL"),
        ),
        Index(
            "uq_expertise_organization_id",
            "organization_id",
            unique=True,
            sqlite_where=text("organization_id IS NOT NULL"),
            postgresql_where=text("organization_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    description: Mapped[str] = mapped_column(String(2000))
    """A short description in the holder's words: what they did, where, with whom."""
    illustrative: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExpertiseTopic(Base):
    __tablename__ = "expertise_topics"
    __table_args__ = (
        *topic_constraints(),
        Index("ix_expertise_topics_topic", "topic", "expertise_id"),
    )

    expertise_id: Mapped[int] = mapped_column(
        ForeignKey("expertise.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)


class ExpertiseLanguage(Base):
    __tablename__ = "expertise_languages"
    __table_args__ = (
        CheckConstraint(LANGUAGE_CHECK, name="language"),
        Index("ix_expertise_languages_language", "language", "expertise_id"),
    )

    expertise_id: Mapped[int] = mapped_column(
        ForeignKey("expertise.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)


class ExpertiseCountry(Base):
    __tablename__ = "expertise_countries"
    __table_args__ = (Index("ix_expertise_countries_country_id", "country_id", "expertise_id"),)

    expertise_id: Mapped[int] = mapped_column(
        ForeignKey("expertise.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)
    """A country the holder worked in."""
