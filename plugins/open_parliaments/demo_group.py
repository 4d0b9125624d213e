"""The demo data's open parliaments working group, one of the five OGP piloted in 2013.

Loaded by this plugin's demo (`demo_groups.load(conn, GROUP)`), before the area's own rows. Source
of the pilot, its five themes and its first meetings: core/demo.py's docstring. The anchors
(Congress of Chile + NDI) follow OGP's published anchors for the pilot; every membership, join
date, meeting time and registration is illustrative. The organisations are the core demo data's, by
name.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import demo_groups, enums

MEMBER, OBSERVER = enums.MembershipRole.MEMBER, enums.MembershipRole.OBSERVER
ILLUSTRATIVE = demo_groups.ILLUSTRATIVE
CL_CONGRESS = "Congress of Chile (Chamber of Deputies)"
GE_PARL = "Parliament of Georgia"
NDI = "National Democratic Institute (NDI)"
OKF = "Open Knowledge Foundation"
CIUDADANO = "Fundación Ciudadano Inteligente"
MZALENDO = "Mzalendo Trust"
SUNLIGHT = "Sunlight Foundation"

GROUP = demo_groups.GroupSpec(
    slug="open-parliaments",
    theme="open_parliaments",
    name="Open Parliaments Working Group",
    summary="Legislative openness: transparent, participatory and accountable parliaments.",
    description=demo_groups.pilot_description(
        "Brings parliaments and parliamentary monitoring organisations together on "
        "legislative transparency and citizen engagement.",
        "Anchors: the Congress of Chile (Chamber of Deputies) and the National Democratic "
        "Institute.",
    ),
    government_anchor=CL_CONGRESS,
    civil_society_anchor=NDI,
    members=[
        (GE_PARL, MEMBER, demo_groups.PILOT_START),
        (CIUDADANO, MEMBER, demo_groups.PILOT_START),
        (MZALENDO, MEMBER, date(2013, 11, 20)),
        (SUNLIGHT, MEMBER, demo_groups.PILOT_START),
        (OKF, OBSERVER, date(2014, 2, 1)),
    ],
    meetings=[
        demo_groups.intro_webinar(
            "Open Parliaments Working Group", "open-parliaments", demo_groups.utc(2013, 10, 1, 14)
        ),
        demo_groups.MeetingSpec(
            title="Virtual session: legislative openness commitments",
            kind=enums.MeetingKind.VIRTUAL,
            timezone="America/Santiago",
            starts_at=datetime(2014, 4, 8, 11, 0, tzinfo=ZoneInfo("America/Santiago")),
            minutes=60,
            online_url="https://example.org/ogp-meet/open-parliaments-commitments",
            agenda=f"Parliaments' own commitments in national action plans. {ILLUSTRATIVE}",
            attendees=(0, 4),
        ),
        *demo_groups.upcoming(
            "open-parliaments",
            "America/Santiago",
            "open legislative data",
            "Tbilisi",
            "Asia/Tbilisi",
        ),
    ],
)
