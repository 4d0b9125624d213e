"""Enumerations shared by the tables (as CHECK-constrained strings) and the GraphQL schema."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="What kind of body an organisation is.")
class OrganizationKind(enum.StrEnum):
    GOVERNMENT = "GOVERNMENT"
    CIVIL_SOCIETY = "CIVIL_SOCIETY"
    MULTILATERAL = "MULTILATERAL"
    PRIVATE_SECTOR = "PRIVATE_SECTOR"
    ACADEMIA = "ACADEMIA"


@strawberry.enum(description="Lifecycle of a working group.")
class GroupStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    PIPELINE = "PIPELINE"
    PILOT = "PILOT"
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    RETIRED = "RETIRED"


@strawberry.enum(description="Which side of the partnership an anchor leads for.")
class AnchorRole(enum.StrEnum):
    GOVERNMENT = "GOVERNMENT"
    CIVIL_SOCIETY = "CIVIL_SOCIETY"


@strawberry.enum(description="How an organisation takes part in a group.")
class MembershipRole(enum.StrEnum):
    MEMBER = "MEMBER"
    OBSERVER = "OBSERVER"


@strawberry.enum(description="How a meeting is held.")
class MeetingKind(enum.StrEnum):
    IN_PERSON = "IN_PERSON"
    VIRTUAL = "VIRTUAL"
    WEBINAR = "WEBINAR"


@strawberry.enum(description="State of one person's registration for a meeting.")
class RegistrationStatus(enum.StrEnum):
    REGISTERED = "REGISTERED"
    WAITLISTED = "WAITLISTED"
    CANCELLED = "CANCELLED"
    ATTENDED = "ATTENDED"
    NO_SHOW = "NO_SHOW"
    """Had a place and did not come (recorded by the group's anchors after the meeting started)."""
    PRE_REGISTERED = "PRE_REGISTERED"
    """Asked for a place at a Summit meeting before its registration opened: admitted
    (REGISTERED, or WAITLISTED when full) in queue order once it opens."""


@strawberry.enum(description="What a link attached to a meeting points to.")
class MeetingLinkKind(enum.StrEnum):
    RECORDING = "RECORDING"
    SLIDES = "SLIDES"
    OTHER = "OTHER"


@strawberry.enum(description="What one entry of a meeting's history records.")
class MeetingChangeKind(enum.StrEnum):
    SCHEDULED = "SCHEDULED"
    CHANGED = "CHANGED"
    """Details changed, not the times."""
    MOVED = "MOVED"
    """Its start or end time changed."""
    CANCELLED = "CANCELLED"
