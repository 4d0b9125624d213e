"""Enumerations of the open parliaments area: stored as CHECK-constrained strings, shown in GraphQL.

GraphQL names carry the theme (`ParliamentaryChamberKind`, not `ChamberKind`) so they never clash
with another plugin's types.
"""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(
    name="ParliamentaryChamberKind",
    description="A chamber's place in its legislature, as IPU Parline describes the structure of "
    "parliament: a unicameral parliament's only chamber, or the lower or upper chamber of a "
    "bicameral one.",
)
class ChamberKind(enum.StrEnum):
    UNICAMERAL = "UNICAMERAL"
    LOWER = "LOWER"
    UPPER = "UPPER"


# Chamber kinds allowed for a legislature of 1 or 2 chambers (also a CHECK on the chambers table).
KINDS_FOR_STRUCTURE: dict[int, tuple[ChamberKind, ...]] = {
    1: (ChamberKind.UNICAMERAL,),
    2: (ChamberKind.LOWER, ChamberKind.UPPER),
}


@strawberry.enum(
    name="ParliamentaryOpennessIndicator",
    description="What is checked on a chamber, each from a provision of the Declaration on "
    "Parliamentary Openness: VOTES_PUBLISHED, how each member voted in plenary and committee; "
    "BILLS_AND_AMENDMENTS_ONLINE, bills published on introduction with their amendments; "
    "PLENARY_RECORDS, transcripts or recordings of plenary sittings; COMMITTEE_RECORDS, reports, "
    "transcripts and actions of committees; OPEN_SESSIONS, sittings open to the public and the "
    "media; MACHINE_READABLE_DATA, information in open, structured formats for download; API, a "
    "documented programmatic interface to the data.",
)
class OpennessIndicator(enum.StrEnum):
    # Declaration provision (titles of the 2012 provision commentary), section in brackets:
    VOTES_PUBLISHED = "VOTES_PUBLISHED"  # Recording Parliamentary Votes [Transparent]
    BILLS_AND_AMENDMENTS_ONLINE = "BILLS_AND_AMENDMENTS_ONLINE"  # Draft Legislation [Transparent]
    PLENARY_RECORDS = "PLENARY_RECORDS"  # Records of Plenary Proceedings [Transparent]
    COMMITTEE_RECORDS = "COMMITTEE_RECORDS"  # Records of Committee Proceedings [Transparent]
    OPEN_SESSIONS = "OPEN_SESSIONS"  # Physical access, broadcasts [Easing Access]
    MACHINE_READABLE_DATA = "MACHINE_READABLE_DATA"  # Open, Structured Formats [Electronic]
    API = "API"  # Enabling Download for Reuse, Open Formats [Electronic Communication]


@strawberry.enum(
    name="ParliamentaryOpennessStatus",
    description="The result of checking one indicator on one chamber.",
)
class OpennessStatus(enum.StrEnum):
    YES = "YES"
    PARTIAL = "PARTIAL"
    NO = "NO"


@strawberry.enum(
    name="ParliamentaryMonitoringScope",
    description="What a parliamentary monitoring organisation follows, in the two kinds of "
    "monitoring of the NDI / World Bank Institute global survey of PMOs (2011): individual "
    "members of parliament, parliament as an institution, or both.",
)
class MonitoringScope(enum.StrEnum):
    MEMBERS = "MEMBERS"
    INSTITUTION = "INSTITUTION"
    MEMBERS_AND_INSTITUTION = "MEMBERS_AND_INSTITUTION"
