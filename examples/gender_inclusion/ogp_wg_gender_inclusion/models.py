"""Tables of the gender and inclusion area (named gender_inclusion_...), and their enumerations."""

from __future__ import annotations

import enum

import strawberry
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, enum_column


@strawberry.enum(
    name="GenderInclusionTargetGroup",
    description="The group a commitment is designed to include (OGP Gender and Inclusion).",
)
class TargetGroup(enum.StrEnum):
    WOMEN_AND_GIRLS = "WOMEN_AND_GIRLS"
    LGBTQIA_PLUS = "LGBTQIA_PLUS"
    PERSONS_WITH_DISABILITIES = "PERSONS_WITH_DISABILITIES"
    INDIGENOUS_PEOPLES = "INDIGENOUS_PEOPLES"
    YOUTH = "YOUTH"
    OLDER_PERSONS = "OLDER_PERSONS"
    MIGRANTS_AND_REFUGEES = "MIGRANTS_AND_REFUGEES"
    ETHNIC_MINORITIES = "ETHNIC_MINORITIES"
    GENERAL_PUBLIC = "GENERAL_PUBLIC"


@strawberry.enum(
    name="GenderInclusionCompletion",
    description="Level of completion, on the scale of OGP's Independent Reporting Mechanism.",
)
class Completion(enum.StrEnum):
    NOT_STARTED = "NOT_STARTED"
    LIMITED = "LIMITED"
    SUBSTANTIAL = "SUBSTANTIAL"
    COMPLETE = "COMPLETE"
    WITHDRAWN = "WITHDRAWN"


# explicit: the default name would exceed PostgreSQL's 63-character limit
UNIQUE_TITLE = "uq_gender_inclusion_commitments_country_cycle_title"
TITLE_MAX = 300  # characters, on both databases (the CHECK below)


class Commitment(Base):
    """One commitment of a country's OGP action plan, seen through a gender and inclusion lens."""

    __tablename__ = "gender_inclusion_commitments"
    __table_args__ = (
        UniqueConstraint("country_id", "action_plan_cycle", "title", name=UNIQUE_TITLE),
        CheckConstraint("length(title) > 0", name="title_not_blank"),
        # SQLite does not enforce String(300): without this it stores any length
        CheckConstraint(f"length(title) <= {TITLE_MAX}", name="title_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    action_plan_cycle: Mapped[str] = mapped_column(String(9))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    gender_focus: Mapped[bool]
    target_group: Mapped[TargetGroup] = mapped_column(enum_column(TargetGroup, "target_group"))
    status: Mapped[Completion] = mapped_column(enum_column(Completion, "status"))
