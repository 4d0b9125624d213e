"""Working groups, their anchors (current and past terms), their member organisations, and the
Steering Committee decisions that move a group through its life (issue 9, section 4).

What a CHECK cannot see across rows is kept by triggers (core_0006, SQLite and PostgreSQL
alike): the anchor counters on `working_groups` always equal the rows in `anchors`, so the
CHECKs below hold the anchor rule (at least one government and one civil-society anchor while
PILOT or ACTIVE; never more current anchors of a role than the group allows); and a group's
status and anchor allowance change only with the decision (`decision_id`) that records it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import enum_column
from core.db import Base, UTCDateTime, utcnow
from core.enums import AnchorRole, GroupStatus, MembershipRole, OrganizationKind

RUNNING = "status NOT IN ('ACTIVE', 'PILOT')"


class WorkingGroup(Base):
    __tablename__ = "working_groups"
    __table_args__ = (
        # 1..3 since core_0006; a NEW allowance above 2 is refused under the same name by a
        # trigger (core_0013), so a database that already allowed 3 keeps it
        CheckConstraint(
            "max_government_anchors BETWEEN 1 AND 3 AND max_civil_society_anchors BETWEEN 1 AND 3",
            name="anchor_allowance",
        ),
        CheckConstraint(
            "government_anchor_count >= 0 AND civil_society_anchor_count >= 0",
            name="anchor_counts",
        ),
        CheckConstraint(
            "government_anchor_count <= max_government_anchors", name="government_anchor_limit"
        ),
        CheckConstraint(
            "civil_society_anchor_count <= max_civil_society_anchors",
            name="civil_society_anchor_limit",
        ),
        CheckConstraint(
            f"{RUNNING} OR (government_anchor_count >= 1 AND civil_society_anchor_count >= 1)",
            name="anchored_when_running",
        ),
        CheckConstraint("status = 'PROPOSED' OR decision_id IS NOT NULL", name="decided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GroupStatus] = mapped_column(enum_column(GroupStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rationale: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why the group was proposed (a proposal's case to the Steering Committee)."""
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    max_government_anchors: Mapped[int] = mapped_column(default=1, server_default="1")
    max_civil_society_anchors: Mapped[int] = mapped_column(default=1, server_default="1")
    government_anchor_count: Mapped[int] = mapped_column(default=0, server_default="0")
    civil_society_anchor_count: Mapped[int] = mapped_column(default=0, server_default="0")
    decision_id: Mapped[int | None] = mapped_column()
    """The decision that last changed the status or the anchor allowance (no FK: the decisions
    table points here; the triggers check it)."""


ALLOWED_TRANSITIONS: dict[GroupStatus, frozenset[GroupStatus]] = {
    GroupStatus.PROPOSED: frozenset({GroupStatus.PIPELINE, GroupStatus.RETIRED}),
    GroupStatus.PIPELINE: frozenset({GroupStatus.PILOT, GroupStatus.ACTIVE, GroupStatus.RETIRED}),
    GroupStatus.PILOT: frozenset({GroupStatus.ACTIVE, GroupStatus.PAUSED, GroupStatus.RETIRED}),
    GroupStatus.ACTIVE: frozenset({GroupStatus.PAUSED, GroupStatus.RETIRED}),
    GroupStatus.PAUSED: frozenset({GroupStatus.ACTIVE, GroupStatus.PILOT, GroupStatus.RETIRED}),
    GroupStatus.RETIRED: frozenset(),
}
"""Which status a Steering Committee decision may move a group to, from each status: a proposal
is taken into the pipeline or declined (RETIRED); a pipeline group starts as a pilot or at once
as an active group; a running group pauses or retires; a paused one resumes. RETIRED is final
(a revival is a new proposal). The same pairs are the CHECK `allowed_transition` of
`group_decisions`."""

TRANSITION_PAIRS = sorted((a.value, b.value) for a, tos in ALLOWED_TRANSITIONS.items() for b in tos)
_PAIRS_SQL = " OR ".join(
    f"(from_status = '{a}' AND to_status = '{b}')" for a, b in TRANSITION_PAIRS
)


class GroupDecision(Base):
    """A Steering Committee decision about one group: a move from one status to another, and/or
    a new anchor allowance (how many current anchors of each role the group may have). Rows
    are never changed. `from_status` NULL: the status a group had when core_0006 carried it
    across (no decision was recorded before)."""

    __tablename__ = "group_decisions"
    __table_args__ = (
        CheckConstraint(
            f"(to_status IS NULL AND from_status IS NULL) OR from_status IS NULL OR {_PAIRS_SQL}",
            name="allowed_transition",
        ),
        CheckConstraint(
            "to_status IS NOT NULL OR max_government_anchors IS NOT NULL "
            "OR max_civil_society_anchors IS NOT NULL",
            name="decides_something",
        ),
        # a new decision allows at most 2 (a trigger of core_0013, under this name)
        CheckConstraint(
            "(max_government_anchors IS NULL OR max_government_anchors BETWEEN 1 AND 3) AND "
            "(max_civil_society_anchors IS NULL OR max_civil_society_anchors BETWEEN 1 AND 3)",
            name="allowance_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[GroupStatus | None] = mapped_column(enum_column(GroupStatus, "from_status"))
    to_status: Mapped[GroupStatus | None] = mapped_column(enum_column(GroupStatus, "to_status"))
    max_government_anchors: Mapped[int | None]
    max_civil_society_anchors: Mapped[int | None]
    decided_on: Mapped[date]
    """The day the Steering Committee decided (its meeting's date)."""
    meeting: Mapped[str] = mapped_column(String(300), default="")
    """Which Steering Committee meeting: free text or a reference to its minutes."""
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Anchor(Base):
    """A current anchor: an open term since `since`. How many per (group, role) the group's
    allowance says (CHECKs on working_groups, counters kept by triggers); when a term ends (the
    row deleted, or taken by another organisation) a trigger (core_0014) writes it to
    `anchor_terms`. The composite key to organizations lets a CHECK match kind to
    role."""

    __tablename__ = "anchors"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "organization_kind"],
            ["organizations.id", "organizations.kind"],
            name="fk_anchors_organization_kind",
        ),
        CheckConstraint("organization_kind = role", name="kind_matches_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(index=True)
    organization_kind: Mapped[OrganizationKind] = mapped_column(
        enum_column(OrganizationKind, "organization_kind")
    )
    role: Mapped[AnchorRole] = mapped_column(enum_column(AnchorRole, "role"))
    since: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(500), default="", server_default="")
    ends_on: Mapped[date | None]
    """The day the term ends, set by the write that ends it just before deleting the row
    (anchorRemove's `until`); the trigger of core_0014 writes the ended term to anchor_terms
    (ending then; null: the day of the delete)."""


class AnchorTerm(Base):
    """An ended anchor term: who coordinated the group for a role, from when to when."""

    __tablename__ = "anchor_terms"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "organization_kind"],
            ["organizations.id", "organizations.kind"],
            name="fk_anchor_terms_organization_kind",
        ),
        CheckConstraint("organization_kind = role", name="kind_matches_role"),
        CheckConstraint("started_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(index=True)
    organization_kind: Mapped[OrganizationKind] = mapped_column(
        enum_column(OrganizationKind, "organization_kind")
    )
    role: Mapped[AnchorRole] = mapped_column(enum_column(AnchorRole, "role"))
    started_on: Mapped[date | None]
    ended_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(500), default="")


class ProposedAnchor(Base):
    """An organisation a proposal names to anchor the group (not an anchor: no rights)."""

    __tablename__ = "proposed_anchors"
    __table_args__ = (UniqueConstraint("group_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(enum_column(MembershipRole, "role"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
