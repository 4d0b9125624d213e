"""The demo data's extractive industries working group, one of the five OGP piloted in 2013.

Loaded by this plugin's demo (`demo_groups.load(conn, GROUP)`), before the area's own rows. Source
of the pilot, its five themes and its first meetings: core/demo.py's docstring. The anchor pairing
(Ghana + Revenue Watch Institute) is illustrative; every membership, join date, meeting time and
registration is illustrative. The organisations are the core demo data's, by name.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import demo_groups, enums

MEMBER, OBSERVER = enums.MembershipRole.MEMBER, enums.MembershipRole.OBSERVER
ILLUSTRATIVE = demo_groups.ILLUSTRATIVE
GH_MOF = "Government of Ghana (Ministry of Finance)"
ID_MOF = "Government of Indonesia (Ministry of Finance)"
NO_MFA = "Government of Norway (Ministry of Foreign Affairs)"
RWI = "Revenue Watch Institute (now Natural Resource Governance Institute)"
PWYP = "Publish What You Pay"
FUNDAR = "Fundar, Centro de Análisis e Investigación"
WORLD_BANK = "World Bank"

GROUP = demo_groups.GroupSpec(
    slug="extractive-industries",
    theme="extractives",
    name="Extractive Industries Working Group",
    summary="Transparency and accountability in oil, gas and mining.",
    description=demo_groups.pilot_description(
        "Works on disclosure of contracts, licences and revenues from oil, gas and mining, "
        "and on public oversight of how those revenues are spent.",
        "Anchors in 2013 (OGP's working-group announcement): the Government of Ghana and the "
        "Revenue Watch Institute.",
    ),
    government_anchor=GH_MOF,
    civil_society_anchor=RWI,
    members=[
        (NO_MFA, MEMBER, demo_groups.PILOT_START),
        (PWYP, MEMBER, demo_groups.PILOT_START),
        (FUNDAR, MEMBER, date(2014, 1, 20)),
        (ID_MOF, OBSERVER, date(2014, 1, 20)),
        (WORLD_BANK, OBSERVER, demo_groups.PILOT_START),
    ],
    meetings=[
        demo_groups.intro_webinar(
            "Extractive Industries Working Group",
            "extractive-industries",
            demo_groups.utc(2013, 10, 8, 13),
        ),
        demo_groups.MeetingSpec(
            title="Virtual session: contract transparency",
            kind=enums.MeetingKind.VIRTUAL,
            timezone="Africa/Accra",
            starts_at=datetime(2014, 3, 26, 14, 0, tzinfo=ZoneInfo("Africa/Accra")),
            minutes=60,
            online_url="https://example.org/ogp-meet/extractives-contracts",
            agenda=f"Publishing extractive contracts: lessons so far. {ILLUSTRATIVE}",
            attendees=(1, 5),
            cancelled=1,
        ),
        *demo_groups.upcoming(
            "extractive-industries",
            "Africa/Accra",
            "beneficial ownership",
            "Accra",
            "Africa/Accra",
        ),
    ],
)
