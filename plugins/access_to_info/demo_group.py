"""The demo data's access to information working group, one of the five OGP piloted in 2013.

Loaded by this plugin's demo (`demo_groups.load(conn, GROUP)`), before the area's own rows. Source
of the pilot, its five themes and its first meetings: core/demo.py's docstring. The anchors
(Mexico's IFAI + the Alianza Regional por la Libre Expresión e Información) are the 2013 pilot's
(core/groups/demo_lifecycle.py, with the source); every membership, join date, meeting time and
registration is illustrative. The organisations are the core demo data's, by name.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import demo_groups, enums

MEMBER, OBSERVER = enums.MembershipRole.MEMBER, enums.MembershipRole.OBSERVER
ILLUSTRATIVE = demo_groups.ILLUSTRATIVE
MX_IFAI = "Government of Mexico (Federal Institute for Access to Information, IFAI)"
BR_CGU = "Government of Brazil (Office of the Comptroller General, CGU)"
GB_CO = "Government of the United Kingdom (Cabinet Office)"
ALIANZA = "Alianza Regional por la Libre Expresión e Información"
ACCESS_INFO = "Access Info Europe"
FUNDAR = "Fundar, Centro de Análisis e Investigación"
ODAC = "Open Democracy Advice Centre (ODAC)"

GROUP = demo_groups.GroupSpec(
    slug="access-to-information",
    theme="access_to_info",
    name="Access to Information Working Group",
    summary="Right-to-information laws, their implementation and proactive disclosure.",
    description=demo_groups.pilot_description(
        "Helps governments adopt and implement strong access-to-information laws and "
        "publish information proactively.",
        "Anchors in 2013 (OGP's working-group announcement): Mexico's Federal Institute for "
        "Access to Information (IFAI) and the Alianza Regional por la Libre Expresión e "
        "Información.",
    ),
    government_anchor=MX_IFAI,
    civil_society_anchor=ALIANZA,
    members=[
        (ACCESS_INFO, MEMBER, demo_groups.PILOT_START),
        (ODAC, MEMBER, demo_groups.PILOT_START),
        (BR_CGU, MEMBER, date(2013, 11, 12)),
        (FUNDAR, MEMBER, demo_groups.PILOT_START),
        (GB_CO, OBSERVER, date(2014, 2, 5)),
    ],
    meetings=[
        demo_groups.intro_webinar(
            "Access to Information Working Group",
            "access-to-information",
            demo_groups.utc(2013, 10, 15, 16),
        ),
        demo_groups.MeetingSpec(
            title="Virtual session: oversight bodies for the right to information",
            kind=enums.MeetingKind.VIRTUAL,
            timezone="America/Mexico_City",
            starts_at=datetime(2014, 5, 14, 10, 0, tzinfo=ZoneInfo("America/Mexico_City")),
            minutes=90,
            online_url="https://example.org/ogp-meet/access-to-information-oversight",
            agenda=f"Information commissions and their powers. {ILLUSTRATIVE}",
            attendees=(2, 6),
        ),
        *demo_groups.upcoming(
            "access-to-information",
            "America/Mexico_City",
            "proactive disclosure",
            "Mexico City",
            "America/Mexico_City",
        ),
    ],
)
