"""The demo data's open data working group, one of the five OGP piloted in 2013.

Loaded by this plugin's demo (`demo_groups.load(conn, GROUP)`), before the area's own rows. Source
of the pilot, its five themes and its first meetings: core/demo.py's docstring. The anchors (Canada
+ World Wide Web Foundation) follow OGP's published anchors for the pilot; every membership, join
date, meeting time and registration is illustrative. The organisations are the core demo data's, by
name.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import demo_groups, enums

MEMBER, OBSERVER = enums.MembershipRole.MEMBER, enums.MembershipRole.OBSERVER
ILLUSTRATIVE = demo_groups.ILLUSTRATIVE
CA_TBS = "Government of Canada (Treasury Board Secretariat)"
GB_CO = "Government of the United Kingdom (Cabinet Office)"
KE_ICTA = "Government of Kenya (ICT Authority)"
UY_AGESIC = "Government of Uruguay (AGESIC)"
WEBF = "World Wide Web Foundation"
OKF = "Open Knowledge Foundation"
SUNLIGHT = "Sunlight Foundation"
WORLD_BANK = "World Bank"
SOTON = "University of Southampton"

GROUP = demo_groups.GroupSpec(
    slug="open-data",
    theme="open_data",
    name="Open Data Working Group",
    summary="Publishing government data openly, and putting it to use.",
    description=demo_groups.pilot_description(
        "Supports governments in releasing high-value datasets in open formats and in "
        "building the communities that use them.",
        "Anchors: the Government of Canada (Treasury Board Secretariat) and the World Wide "
        "Web Foundation.",
    ),
    government_anchor=CA_TBS,
    civil_society_anchor=WEBF,
    members=[
        (GB_CO, MEMBER, demo_groups.PILOT_START),
        (KE_ICTA, MEMBER, demo_groups.PILOT_START),
        (UY_AGESIC, MEMBER, date(2013, 12, 2)),
        (OKF, MEMBER, demo_groups.PILOT_START),
        (SUNLIGHT, MEMBER, date(2014, 1, 15)),
        (SOTON, OBSERVER, date(2014, 1, 15)),
        (WORLD_BANK, OBSERVER, demo_groups.PILOT_START),
    ],
    meetings=[
        demo_groups.intro_webinar(
            "Open Data Working Group", "open-data", demo_groups.utc(2013, 9, 24, 15)
        ),
        demo_groups.MeetingSpec(
            title="Virtual session: open data readiness",
            kind=enums.MeetingKind.VIRTUAL,
            timezone="America/Toronto",
            starts_at=datetime(2014, 3, 12, 10, 0, tzinfo=ZoneInfo("America/Toronto")),
            minutes=60,
            online_url="https://example.org/ogp-meet/open-data-readiness",
            agenda=f"Assessing readiness before launching an open data portal. {ILLUSTRATIVE}",
            attendees=(3, 8),
            cancelled=1,
        ),
        *demo_groups.upcoming(
            "open-data", "America/Toronto", "open data portals", "Nairobi", "Africa/Nairobi"
        ),
    ],
)
