"""The demo data's fiscal openness working group, one of the five OGP piloted in 2013.

Loaded by this plugin's demo (`demo_groups.load(conn, GROUP)`), before the area's own rows. Source
of the pilot, its five themes and its first meetings: core/demo.py's docstring. The anchors (the
Philippines + GIFT) follow OGP's published anchors for the pilot; every membership, join date,
meeting time and registration is illustrative. The organisations are the core demo data's, by name.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import demo_groups, enums

MEMBER, OBSERVER = enums.MembershipRole.MEMBER, enums.MembershipRole.OBSERVER
ILLUSTRATIVE = demo_groups.ILLUSTRATIVE
PH_DBM = "Government of the Philippines (Department of Budget and Management)"
ID_MOF = "Government of Indonesia (Ministry of Finance)"
ZA_NT = "Government of South Africa (National Treasury)"
GIFT = "Global Initiative for Fiscal Transparency (GIFT)"
IBP = "International Budget Partnership"
FUNDAR = "Fundar, Centro de Análisis e Investigación"
INESC = "Instituto de Estudos Socioeconômicos (INESC)"
WORLD_BANK = "World Bank"

GROUP = demo_groups.GroupSpec(
    slug="fiscal-openness",
    theme="fiscal_openness",
    name="Fiscal Openness Working Group",
    summary="Open budgets, public participation in fiscal policy and budget oversight.",
    description=demo_groups.pilot_description(
        "Helps governments publish comprehensive, timely budget information and open the "
        "budget cycle to public participation and oversight.",
        "Anchors in 2013 (OGP's working-group pages): the Global Initiative for Fiscal "
        "Transparency with the governments of Brazil and the Philippines.",
    ),
    government_anchor=PH_DBM,
    civil_society_anchor=GIFT,
    members=[
        (ZA_NT, MEMBER, demo_groups.PILOT_START),
        (ID_MOF, MEMBER, demo_groups.PILOT_START),
        (IBP, MEMBER, demo_groups.PILOT_START),
        (FUNDAR, MEMBER, date(2014, 2, 10)),
        (INESC, MEMBER, date(2014, 3, 3)),
        (WORLD_BANK, OBSERVER, demo_groups.PILOT_START),
    ],
    meetings=[
        demo_groups.intro_webinar(
            "Fiscal Openness Working Group", "fiscal-openness", demo_groups.utc(2013, 9, 17, 14)
        ),
        demo_groups.MeetingSpec(
            title="Virtual session: citizens' budgets",
            kind=enums.MeetingKind.VIRTUAL,
            timezone="Asia/Manila",
            starts_at=datetime(2014, 2, 20, 21, 0, tzinfo=ZoneInfo("Asia/Manila")),
            minutes=75,
            online_url="https://example.org/ogp-meet/fiscal-openness-citizens-budgets",
            agenda=f"Country experiences with publishing citizens' budgets. {ILLUSTRATIVE}",
            attendees=(2, 7),
            cancelled=1,
        ),
        *demo_groups.upcoming(
            "fiscal-openness", "Asia/Manila", "participatory budgeting", "Manila", "Asia/Manila"
        ),
    ],
)
