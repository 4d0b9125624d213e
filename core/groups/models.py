"""Working groups, their two anchors and their member organisations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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


class WorkingGroup(Base):
    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GroupStatus] = mapped_column(enum_column(GroupStatus, "status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Anchor(Base):
    """One per (group, role); the composite key to organizations lets a CHECK match kind to role."""

    __tablename__ = "anchors"
    __table_args__ = (
        UniqueConstraint("group_id", "role"),
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


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(enum_column(MembershipRole, "role"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
