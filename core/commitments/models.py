"""Action plans, their commitments and milestones, the IRM's assessment of each commitment, and
the links of commitments to working groups and to the thematic records that evidence them
(issue 10, section 3).

Sources of the shapes:
- OGP action plans: a country's plan runs for a cycle of (usually) two years, is submitted to
  OGP, and lists commitments with a lead institution and milestones with dates
  (https://www.opengovpartnership.org/glossary/commitment/: "Commitments typically include a
  description of the problem, concrete actions ... and individual milestones").
- The Independent Reporting Mechanism (IRM) scales, as issue 10 lists them and as the IRM's
  glossary defines them: completion "No Evidence Available, Not Started, Limited, Substantial,
  and Complete" (https://www.opengovpartnership.org/glossary/completion/); potential impact
  (None .. Transformative) of the reports until 2020, potential for results (Unclear, Modest,
  Substantial) of the Action Plan Reviews since the IRM Refresh (2021); "did it open
  government" of the End-of-Term and Results Reports. "Starred" is never stored: see
  core/commitments/irm.py.

Invariants kept by the database (SQLite and PostgreSQL alike): a cycle ends after it starts;
the cohort is a year OGP could group plans by (2011, OGP's founding, onwards); a commitment's
reference is unique within its plan; one assessment per commitment, on one potential scale; a
linked group or evidence record once per commitment; a plan or an assessment that is not
illustrative cites its published source; a commitment never moves to another plan (a
trigger). What real plans do not always respect is not enforced: milestones due after the
cycle's end (plans are extended, and the IRM assesses them late), or before its start (work
already under way when the plan was adopted).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow
from core.topics import topic_constraints

FIRST_COHORT = 2011
"""OGP was launched on 20 September 2011; no plan belongs to an earlier cohort."""
SOURCED_OR_ILLUSTRATIVE = "illustrative OR source_url IS NOT NULL"
"""A plan or an assessment that is not illustrative cites where it is published."""


@strawberry.enum(
    description="A milestone's progress, on the four steps the IRM's progress reports used for "
    "commitments and their milestones (Not started, Limited, Substantial, Complete)."
)
class MilestoneStatus(enum.StrEnum):
    NOT_STARTED = "NOT_STARTED"
    LIMITED = "LIMITED"
    SUBSTANTIAL = "SUBSTANTIAL"
    COMPLETE = "COMPLETE"


@strawberry.enum(
    description="The IRM's potential for results (Action Plan Reviews, since the IRM Refresh "
    "of 2021)."
)
class PotentialForResults(enum.StrEnum):
    UNCLEAR = "UNCLEAR"
    MODEST = "MODEST"
    SUBSTANTIAL = "SUBSTANTIAL"


@strawberry.enum(
    description="The IRM's potential impact, had the commitment been fully implemented "
    "(Design, Progress and End-of-Term Reports until the IRM Refresh)."
)
class PotentialImpact(enum.StrEnum):
    NONE = "NONE"
    MINOR = "MINOR"
    MODERATE = "MODERATE"
    TRANSFORMATIVE = "TRANSFORMATIVE"


@strawberry.enum(
    description="The IRM's completion: No Evidence Available, Not Started, Limited, Substantial, "
    "Complete (https://www.opengovpartnership.org/glossary/completion/)."
)
class Completion(enum.StrEnum):
    NO_EVIDENCE = "NO_EVIDENCE"
    NOT_STARTED = "NOT_STARTED"
    LIMITED = "LIMITED"
    SUBSTANTIAL = "SUBSTANTIAL"
    COMPLETE = "COMPLETE"


@strawberry.enum(
    description="The IRM's 'Did it open government?' (End-of-Term Reports; early results in "
    "Results Reports)."
)
class DidItOpenGovernment(enum.StrEnum):
    WORSENED = "WORSENED"
    DID_NOT_CHANGE = "DID_NOT_CHANGE"
    MARGINAL = "MARGINAL"
    MAJOR = "MAJOR"
    OUTSTANDING = "OUTSTANDING"


class ActionPlan(Base):
    """A country's OGP national action plan for one cycle."""

    __tablename__ = "action_plans"
    __table_args__ = (
        CheckConstraint("cycle_end > cycle_start", name="cycle_order"),
        CheckConstraint(f"cohort >= {FIRST_COHORT}", name="cohort_range"),
        CheckConstraint("length(trim(title)) > 0", name="title_present"),
        CheckConstraint(SOURCED_OR_ILLUSTRATIVE, name="sourced_or_illustrative"),
        Index("uq_action_plans_country_id_cycle_start", "country_id", "cycle_start", unique=True),
        Index("ix_action_plans_cohort_id", "cohort", "id"),
        # core_0019: commitments across plans, newest cycle first (COMMITMENT_ORDER)
        Index("ix_action_plans_cycle_start_id", "cycle_start", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"))
    title: Mapped[str] = mapped_column(String(300))
    cycle_start: Mapped[date] = mapped_column(Date)
    cycle_end: Mapped[date] = mapped_column(Date)
    """The last day of the implementation period (inclusive)."""
    submitted_on: Mapped[date | None] = mapped_column(Date)
    cohort: Mapped[int] = mapped_column(Integer)
    """The year OGP groups the plan by, its "Action Plan Cycle" (e.g. 2018 for Chile's 2018-2020
    plan, OGP's CL0061 page). Not checked against `submitted_on`, which may fall in another year
    (OGP's pages give the cycle, not the submission date; not verified that they always agree)."""
    source_url: Mapped[str | None] = mapped_column(String(2000))
    illustrative: Mapped[bool] = mapped_column(default=False)
    """Not (entirely) factual: demo or sample content."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class Commitment(Base):
    """One commitment of an action plan; `reference` is OGP's code for it (e.g. "CL0045")."""

    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("length(trim(reference)) > 0", name="reference_present"),
        CheckConstraint("length(trim(title)) > 0", name="title_present"),
        CheckConstraint("position >= 1", name="position_positive"),
        Index(
            "uq_commitments_action_plan_id_reference", "action_plan_id", "reference", unique=True
        ),
        Index("ix_commitments_action_plan_id_position_id", "action_plan_id", "position", "id"),
        CheckConstraint(SOURCED_OR_ILLUSTRATIVE, name="sourced_or_illustrative"),
        # trigger (core_0015): a commitment stays in the plan it was made in (its reference,
        # milestones, assessment and evidence are that plan's)
        {"info": {"trigger_checks": ("ck_commitments_plan_fixed",)}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    """Order within the plan (1, 2, ...), as the plan lists its commitments."""
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    lead_institution: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    """OGP's page for the commitment (required unless illustrative)."""
    illustrative: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommitmentTopic(Base):
    """A theme of a commitment: a topic slug of core/topics.py."""

    __tablename__ = "commitment_topics"
    __table_args__ = (*topic_constraints(), Index("ix_commitment_topics_topic", "topic"))

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)


class CommitmentGroup(Base):
    """A working group that follows (supports) a commitment."""

    __tablename__ = "commitment_groups"
    __table_args__ = (
        Index("ix_commitment_groups_group_id_commitment_id", "group_id", "commitment_id"),
    )

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class Milestone(Base):
    """A milestone of a commitment, in the plan's order, with its due date and progress."""

    __tablename__ = "milestones"
    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0", name="title_present"),
        CheckConstraint("position >= 1", name="position_positive"),
        Index("ix_milestones_commitment_id_position_id", "commitment_id", "position", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date | None] = mapped_column(Date)
    """None when the plan gives no date for it."""
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_column(MilestoneStatus, "status"), default=MilestoneStatus.NOT_STARTED
    )
    status_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_updated_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Demo content: the plan's real milestone is not known here."""


class IrmAssessment(Base):
    """The IRM's assessment of one commitment, on the IRM's own scales (None: not assessed on
    that scale, e.g. potential for results before the IRM Refresh), with the report it comes
    from."""

    __tablename__ = "irm_assessments"
    __table_args__ = (
        CheckConstraint(
            "potential_for_results IS NULL OR potential_impact IS NULL", name="one_potential_scale"
        ),
        CheckConstraint("length(trim(source_title)) > 0", name="source_present"),
        CheckConstraint(SOURCED_OR_ILLUSTRATIVE, name="sourced_or_illustrative"),
    )

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True
    )
    verifiable: Mapped[bool | None]
    """Specific enough to be verified (the older reports' "medium" or "high" specificity)."""
    access_to_information: Mapped[bool] = mapped_column(default=False)
    civic_participation: Mapped[bool] = mapped_column(default=False)
    public_accountability: Mapped[bool] = mapped_column(default=False)
    technology_and_innovation: Mapped[bool] = mapped_column(default=False)
    """Technology and innovation for transparency and accountability."""
    potential_for_results: Mapped[PotentialForResults | None] = mapped_column(
        enum_column(PotentialForResults, "potential_for_results")
    )
    potential_impact: Mapped[PotentialImpact | None] = mapped_column(
        enum_column(PotentialImpact, "potential_impact")
    )
    completion: Mapped[Completion | None] = mapped_column(enum_column(Completion, "completion"))
    did_it_open_government: Mapped[DidItOpenGovernment | None] = mapped_column(
        enum_column(DidItOpenGovernment, "did_it_open_government")
    )
    source_title: Mapped[str] = mapped_column(String(300))
    """The IRM report, e.g. "Chile End-of-Term Report 2016-2018"."""
    source_url: Mapped[str | None] = mapped_column(String(2000))
    illustrative: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class CommitmentEvidence(Base):
    """A thematic record (a budget document, an RTI law...) linked as evidence of a commitment,
    by its GraphQL type name and global ID (the API on it: core/commitments/evidence*.py)."""

    __tablename__ = "commitment_evidence"
    __table_args__ = (
        Index(
            "uq_commitment_evidence_commitment_id_record_id",
            "commitment_id",
            "record_id",
            unique=True,
        ),
        Index("ix_commitment_evidence_record_id", "record_id"),
        CheckConstraint("length(trim(record_type)) > 0", name="record_type_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    record_type: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(String(200))
    added_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
