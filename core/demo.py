"""Demo data: the five thematic working groups OGP piloted in 2013, with countries, organisations,
people, meetings and registrations, then each enabled plugin's own demo data.

Everything runs in ONE write transaction (all or nothing) and is idempotent: rows are looked up by
their natural keys (country alpha-2, organisation name, person e-mail, group slug, meeting (group,
title, start) -- or (group, title) for meetings dated relative to today) and only what is missing is
added, so `ogp-wg demo` can run any number of times.

Sources: the OGP blog post "Sharing good open government ideas: a new experiment" (2013) for the
five pilot themes, the anchor model (one government + one civil-society anchor) and the first
in-person meetings at the OGP Annual Summit in London (31 October - 1 November 2013). What is not
documented there is marked illustrative below and, where a visible text field exists, in the data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from core.db import Database, utcnow
from core.enums import (
    AnchorRole,
    GroupStatus,
    MeetingKind,
    MembershipRole,
    OrganizationKind,
    RegistrationStatus,
)
from core.plugins import PluginError, PluginSet, maybe_await

ILLUSTRATIVE = "(Illustrative demo data.)"

FOUNDED = date(2011, 9, 20)  # OGP launch: the eight founding governments

# --- Countries -----------------------------------------------------------------------------------
# (alpha2, alpha3, name, OGP region, member since, action plan cycle)
# Regions as OGP groups its participants. Founders joined 2011-09-20 (documented). For the others
# the YEAR is the year they joined OGP; the day (1 January) is illustrative. Every
# action_plan_cycle value is illustrative.
AFRICA_ME = "Africa and Middle East"
AMERICAS = "Americas"
ASIA_PACIFIC = "Asia and the Pacific"
EUROPE = "Europe"

COUNTRIES: list[tuple[str, str, str, str, date, str]] = [
    ("BR", "BRA", "Brazil", AMERICAS, FOUNDED, "2023-2027"),
    ("ID", "IDN", "Indonesia", ASIA_PACIFIC, FOUNDED, "2023-2025"),
    ("MX", "MEX", "Mexico", AMERICAS, FOUNDED, "2022-2024"),
    ("NO", "NOR", "Norway", EUROPE, FOUNDED, "2024-2026"),
    ("PH", "PHL", "Philippines", ASIA_PACIFIC, FOUNDED, "2023-2028"),
    ("ZA", "ZAF", "South Africa", AFRICA_ME, FOUNDED, "2024-2026"),
    ("GB", "GBR", "United Kingdom", EUROPE, FOUNDED, "2024-2026"),
    ("US", "USA", "United States", AMERICAS, FOUNDED, "2022-2024"),
    ("CA", "CAN", "Canada", AMERICAS, date(2011, 1, 1), "2022-2024"),
    ("CL", "CHL", "Chile", AMERICAS, date(2011, 1, 1), "2023-2027"),
    ("CO", "COL", "Colombia", AMERICAS, date(2011, 1, 1), "2023-2025"),
    ("UY", "URY", "Uruguay", AMERICAS, date(2011, 1, 1), "2021-2024"),
    ("CR", "CRI", "Costa Rica", AMERICAS, date(2012, 1, 1), "2023-2027"),
    ("AR", "ARG", "Argentina", AMERICAS, date(2012, 1, 1), "2022-2024"),
    ("KE", "KEN", "Kenya", AFRICA_ME, date(2011, 1, 1), "2023-2027"),
    ("GH", "GHA", "Ghana", AFRICA_ME, date(2011, 1, 1), "2021-2023"),
    ("NG", "NGA", "Nigeria", AFRICA_ME, date(2016, 1, 1), "2023-2025"),
    ("TN", "TUN", "Tunisia", AFRICA_ME, date(2014, 1, 1), "2021-2023"),
    ("HR", "HRV", "Croatia", EUROPE, date(2011, 1, 1), "2022-2024"),
    ("EE", "EST", "Estonia", EUROPE, date(2011, 1, 1), "2022-2024"),
    ("ES", "ESP", "Spain", EUROPE, date(2011, 1, 1), "2020-2024"),
    ("GE", "GEO", "Georgia", EUROPE, date(2011, 1, 1), "2024-2025"),
    ("MN", "MNG", "Mongolia", ASIA_PACIFIC, date(2013, 1, 1), "2023-2025"),
    ("NZ", "NZL", "New Zealand", ASIA_PACIFIC, date(2013, 1, 1), "2023-2024"),
]

# --- Organisations -------------------------------------------------------------------------------
# (name, kind, country alpha2 or None for international bodies, website). The organisations are
# real; international NGOs are placed in the country of their head office.
GOV = OrganizationKind.GOVERNMENT
CSO = OrganizationKind.CIVIL_SOCIETY

PH_DBM = "Government of the Philippines (Department of Budget and Management)"
CA_TBS = "Government of Canada (Treasury Board Secretariat)"
CL_CONGRESS = "Congress of Chile (Chamber of Deputies)"
GH_MOF = "Government of Ghana (Ministry of Finance)"
MX_IFAI = "Government of Mexico (Federal Institute for Access to Information, IFAI)"
BR_CGU = "Government of Brazil (Office of the Comptroller General, CGU)"
ID_MOF = "Government of Indonesia (Ministry of Finance)"
GB_CO = "Government of the United Kingdom (Cabinet Office)"
ZA_NT = "Government of South Africa (National Treasury)"
NO_MFA = "Government of Norway (Ministry of Foreign Affairs)"
KE_ICTA = "Government of Kenya (ICT Authority)"
UY_AGESIC = "Government of Uruguay (AGESIC)"
GE_PARL = "Parliament of Georgia"
GIFT = "Global Initiative for Fiscal Transparency (GIFT)"
WEBF = "World Wide Web Foundation"
NDI = "National Democratic Institute (NDI)"
RWI = "Revenue Watch Institute (now Natural Resource Governance Institute)"
ART19 = "Article 19"
IBP = "International Budget Partnership"
OKF = "Open Knowledge Foundation"
PWYP = "Publish What You Pay"
ACCESS_INFO = "Access Info Europe"
FUNDAR = "Fundar, Centro de Análisis e Investigación"
CIUDADANO = "Fundación Ciudadano Inteligente"
MZALENDO = "Mzalendo Trust"
ODAC = "Open Democracy Advice Centre (ODAC)"
INESC = "Instituto de Estudos Socioeconômicos (INESC)"
SUNLIGHT = "Sunlight Foundation"
WORLD_BANK = "World Bank"
SOTON = "University of Southampton"

ORGANIZATIONS: list[tuple[str, OrganizationKind, str | None, str]] = [
    (PH_DBM, GOV, "PH", "https://www.dbm.gov.ph"),
    (CA_TBS, GOV, "CA", "https://www.canada.ca/en/treasury-board-secretariat.html"),
    (CL_CONGRESS, GOV, "CL", "https://www.camara.cl"),
    (GH_MOF, GOV, "GH", "https://mofep.gov.gh"),
    (MX_IFAI, GOV, "MX", "https://home.inai.org.mx"),
    (BR_CGU, GOV, "BR", "https://www.gov.br/cgu"),
    (ID_MOF, GOV, "ID", "https://www.kemenkeu.go.id"),
    (GB_CO, GOV, "GB", "https://www.gov.uk/government/organisations/cabinet-office"),
    (ZA_NT, GOV, "ZA", "https://www.treasury.gov.za"),
    (NO_MFA, GOV, "NO", "https://www.regjeringen.no/en/dep/ud/"),
    (KE_ICTA, GOV, "KE", "https://icta.go.ke"),
    (
        UY_AGESIC,
        GOV,
        "UY",
        "https://www.gub.uy/agencia-gobierno-electronico-sociedad-informacion-conocimiento",
    ),
    (GE_PARL, GOV, "GE", "https://parliament.ge"),
    (GIFT, CSO, "US", "https://fiscaltransparency.net"),
    (WEBF, CSO, "US", "https://webfoundation.org"),
    (NDI, CSO, "US", "https://www.ndi.org"),
    (RWI, CSO, "US", "https://resourcegovernance.org"),
    (ART19, CSO, "GB", "https://www.article19.org"),
    (IBP, CSO, "US", "https://internationalbudget.org"),
    (OKF, CSO, "GB", "https://okfn.org"),
    (PWYP, CSO, "GB", "https://pwyp.org"),
    (ACCESS_INFO, CSO, "ES", "https://www.access-info.org"),
    (FUNDAR, CSO, "MX", "https://fundar.org.mx"),
    (CIUDADANO, CSO, "CL", "https://ciudadaniai.org"),
    (MZALENDO, CSO, "KE", "https://mzalendo.com"),
    (ODAC, CSO, "ZA", "https://www.opendemocracy.org.za"),
    (INESC, CSO, "BR", "https://inesc.org.br"),
    (SUNLIGHT, CSO, "US", "https://sunlightfoundation.com"),
    (WORLD_BANK, OrganizationKind.MULTILATERAL, None, "https://www.worldbank.org"),
    (SOTON, OrganizationKind.ACADEMIA, "GB", "https://www.southampton.ac.uk"),
]

# --- People --------------------------------------------------------------------------------------
# (name, e-mail, organisation). All illustrative: invented names, example.org addresses.
PEOPLE: list[tuple[str, str, str]] = [
    ("Maria Santos", "maria.santos@example.org", PH_DBM),
    ("Jose Reyes", "jose.reyes@example.org", PH_DBM),
    ("Laura Mendez", "laura.mendez@example.org", GIFT),
    ("Daniel Okafor", "daniel.okafor@example.org", GIFT),
    ("Claire Tremblay", "claire.tremblay@example.org", CA_TBS),
    ("Ian MacLeod", "ian.macleod@example.org", CA_TBS),
    ("Amara Diallo", "amara.diallo@example.org", WEBF),
    ("Thomas Berg", "thomas.berg@example.org", WEBF),
    ("Camila Rojas", "camila.rojas@example.org", CL_CONGRESS),
    ("Felipe Soto", "felipe.soto@example.org", CL_CONGRESS),
    ("Rachel Kim", "rachel.kim@example.org", NDI),
    ("Samuel Adeyemi", "samuel.adeyemi@example.org", NDI),
    ("Kwame Mensah", "kwame.mensah@example.org", GH_MOF),
    ("Abena Owusu", "abena.owusu@example.org", GH_MOF),
    ("Nadia Haddad", "nadia.haddad@example.org", RWI),
    ("Peter Lindqvist", "peter.lindqvist@example.org", RWI),
    ("Lucia Hernandez", "lucia.hernandez@example.org", MX_IFAI),
    ("Andres Garcia", "andres.garcia@example.org", MX_IFAI),
    ("Helen Carter", "helen.carter@example.org", ART19),
    ("Omar Farouk", "omar.farouk@example.org", ART19),
    ("Beatriz Costa", "beatriz.costa@example.org", BR_CGU),
    ("Dewi Lestari", "dewi.lestari@example.org", ID_MOF),
    ("James Whitfield", "james.whitfield@example.org", GB_CO),
    ("Thandiwe Nkosi", "thandiwe.nkosi@example.org", ZA_NT),
    ("Ingrid Solberg", "ingrid.solberg@example.org", NO_MFA),
    ("Wanjiru Kamau", "wanjiru.kamau@example.org", KE_ICTA),
    ("Martin Pereira", "martin.pereira@example.org", UY_AGESIC),
    ("Nino Beridze", "nino.beridze@example.org", GE_PARL),
    ("Priya Raman", "priya.raman@example.org", IBP),
    ("Oliver Hughes", "oliver.hughes@example.org", OKF),
    ("Grace Achieng", "grace.achieng@example.org", PWYP),
    ("Elena Navarro", "elena.navarro@example.org", ACCESS_INFO),
    ("Diego Morales", "diego.morales@example.org", FUNDAR),
    ("Valentina Fuentes", "valentina.fuentes@example.org", CIUDADANO),
    ("Brian Otieno", "brian.otieno@example.org", MZALENDO),
    ("Sipho Dlamini", "sipho.dlamini@example.org", ODAC),
    ("Rafael Almeida", "rafael.almeida@example.org", INESC),
    ("Emily Foster", "emily.foster@example.org", SUNLIGHT),
    ("Arjun Mehta", "arjun.mehta@example.org", WORLD_BANK),
    ("Sophie Turner", "sophie.turner@example.org", SOTON),
]

# --- Working groups ------------------------------------------------------------------------------

SUMMIT_LOCATION = "OGP Annual Summit, London"
LONDON = "Europe/London"
PILOT_START = date(2013, 10, 31)  # the London Summit, where the pilot groups first met


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    kind: MeetingKind
    timezone: str
    # Either a fixed start (aware datetime) or a day offset from `today` plus a local time.
    starts_at: datetime | None = None
    days_from_today: int | None = None
    local_time: time = time(15, 0)
    minutes: int = 90
    location: str | None = None
    online_url: str | None = None
    capacity: int | None = None
    agenda: str = ""
    is_summit: bool = False
    # Registrations: participants[first:last] of the group; the last `cancelled` of them cancel.
    attendees: tuple[int, int] = (0, 0)
    cancelled: int = 0


@dataclass(frozen=True)
class GroupSpec:
    slug: str
    theme: str
    name: str
    summary: str
    description: str
    government_anchor: str
    civil_society_anchor: str
    members: list[tuple[str, MembershipRole, date]]
    meetings: list[MeetingSpec] = field(default_factory=list)


def _pilot_description(focus: str, anchors: str) -> str:
    return (
        f"{focus} One of the five thematic working groups OGP piloted in 2013 to help countries "
        "make and implement more ambitious open government commitments in their national action "
        "plans, led by one government anchor and one civil-society anchor; it first met in person "
        f"at the OGP Annual Summit in London (31 October - 1 November 2013). {anchors} "
        f"Members, meetings and registrations shown here are partly illustrative. {ILLUSTRATIVE}"
    )


def _summit(name: str, day: int, hour: int, minute: int, agenda: str) -> MeetingSpec:
    """The group's first in-person meeting at the London Summit (the time slot is illustrative;
    London was on GMT, UTC+0, by then)."""
    return MeetingSpec(
        title=f"{name}: first in-person meeting at the OGP Annual Summit",
        kind=MeetingKind.IN_PERSON,
        timezone=LONDON,
        starts_at=datetime(
            2013, 10 if day == 31 else 11, day, hour, minute, tzinfo=ZoneInfo(LONDON)
        ),
        minutes=90,
        location=SUMMIT_LOCATION,
        capacity=60,
        agenda=f"Seek consensus on priority areas of engagement. {agenda} {ILLUSTRATIVE}",
        is_summit=True,
        attendees=(0, 6),
    )


def _intro_webinar(name: str, slug: str, when: datetime) -> MeetingSpec:
    """A webinar introducing the group ahead of the Summit (the blog post announced such
    webinars; dates, times and links are illustrative)."""
    return MeetingSpec(
        title=f"Introducing the {name} (webinar)",
        kind=MeetingKind.WEBINAR,
        timezone="UTC",
        starts_at=when,
        minutes=60,
        online_url=f"https://example.org/ogp-webinars/{slug}-introduction",
        capacity=100,
        agenda=f"What the working group will do and how to take part. {ILLUSTRATIVE}",
        attendees=(1, 5),
    )


def _upcoming(
    slug: str, tz: str, topic: str, workshop_city: str, workshop_tz: str
) -> list[MeetingSpec]:
    """Three meetings dated relative to today, so 'upcoming' is never empty (all illustrative).
    They are found again by (group, title), so a later run does not add new copies."""
    return [
        MeetingSpec(
            title=f"Peer exchange: {topic}",
            kind=MeetingKind.VIRTUAL,
            timezone=tz,
            days_from_today=10,
            local_time=time(9, 0),
            minutes=60,
            online_url=f"https://example.org/ogp-meet/{slug}-peer-exchange",
            agenda=f"Members share progress on their action plan commitments. {ILLUSTRATIVE}",
            attendees=(0, 3),
        ),
        MeetingSpec(
            title=f"Small-group clinic: {topic}",
            kind=MeetingKind.WEBINAR,
            timezone=tz,
            days_from_today=35,
            local_time=time(14, 0),
            minutes=60,
            online_url=f"https://example.org/ogp-meet/{slug}-clinic",
            capacity=5,
            agenda=f"Targeted technical assistance for up to five participants. {ILLUSTRATIVE}",
            attendees=(2, 6),
        ),
        MeetingSpec(
            title=f"Regional workshop in {workshop_city}",
            kind=MeetingKind.IN_PERSON,
            timezone=workshop_tz,
            days_from_today=70,
            local_time=time(9, 30),
            minutes=360,
            location=f"{workshop_city} (venue to be confirmed; illustrative)",
            capacity=30,
            agenda=f"A one-day peer-learning workshop. {ILLUSTRATIVE}",
            attendees=(3, 5),
        ),
    ]


def _utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


MEMBER = MembershipRole.MEMBER
OBSERVER = MembershipRole.OBSERVER

# The five pilot groups and their themes (documented). Anchor pairings: fiscal openness (the
# Philippines + GIFT), open data (Canada + World Wide Web Foundation) and open parliaments (Congress
# of Chile + NDI) follow OGP's published anchors for the pilot. The extractive-industries pairing
# (Ghana + Revenue Watch Institute) and the access-to-information pairing (Mexico's IFAI + Article
# 19) are illustrative. Every membership and join date is illustrative.
GROUPS: list[GroupSpec] = [
    GroupSpec(
        slug="fiscal-openness",
        theme="fiscal_openness",
        name="Fiscal Openness Working Group",
        summary="Open budgets, public participation in fiscal policy and budget oversight.",
        description=_pilot_description(
            "Helps governments publish comprehensive, timely budget information and open the "
            "budget cycle to public participation and oversight.",
            "Anchors: the Government of the Philippines (Department of Budget and Management) "
            "and the Global Initiative for Fiscal Transparency.",
        ),
        government_anchor=PH_DBM,
        civil_society_anchor=GIFT,
        members=[
            (ZA_NT, MEMBER, PILOT_START),
            (ID_MOF, MEMBER, PILOT_START),
            (IBP, MEMBER, PILOT_START),
            (FUNDAR, MEMBER, date(2014, 2, 10)),
            (INESC, MEMBER, date(2014, 3, 3)),
            (WORLD_BANK, OBSERVER, PILOT_START),
        ],
        meetings=[
            _summit(
                "Fiscal Openness Working Group",
                31,
                14,
                0,
                "Budget transparency, participation and legislative oversight.",
            ),
            _intro_webinar(
                "Fiscal Openness Working Group", "fiscal-openness", _utc(2013, 9, 17, 14)
            ),
            MeetingSpec(
                title="Virtual session: citizens' budgets",
                kind=MeetingKind.VIRTUAL,
                timezone="Asia/Manila",
                starts_at=datetime(2014, 2, 20, 21, 0, tzinfo=ZoneInfo("Asia/Manila")),
                minutes=75,
                online_url="https://example.org/ogp-meet/fiscal-openness-citizens-budgets",
                agenda=f"Country experiences with publishing citizens' budgets. {ILLUSTRATIVE}",
                attendees=(2, 7),
                cancelled=1,
            ),
            *_upcoming(
                "fiscal-openness", "Asia/Manila", "participatory budgeting", "Manila", "Asia/Manila"
            ),
        ],
    ),
    GroupSpec(
        slug="open-data",
        theme="open_data",
        name="Open Data Working Group",
        summary="Publishing government data openly, and putting it to use.",
        description=_pilot_description(
            "Supports governments in releasing high-value datasets in open formats and in "
            "building the communities that use them.",
            "Anchors: the Government of Canada (Treasury Board Secretariat) and the World Wide "
            "Web Foundation.",
        ),
        government_anchor=CA_TBS,
        civil_society_anchor=WEBF,
        members=[
            (GB_CO, MEMBER, PILOT_START),
            (KE_ICTA, MEMBER, PILOT_START),
            (UY_AGESIC, MEMBER, date(2013, 12, 2)),
            (OKF, MEMBER, PILOT_START),
            (SUNLIGHT, MEMBER, date(2014, 1, 15)),
            (SOTON, OBSERVER, date(2014, 1, 15)),
            (WORLD_BANK, OBSERVER, PILOT_START),
        ],
        meetings=[
            _summit(
                "Open Data Working Group",
                31,
                16,
                0,
                "Open data standards, high-value datasets and data use.",
            ),
            _intro_webinar("Open Data Working Group", "open-data", _utc(2013, 9, 24, 15)),
            MeetingSpec(
                title="Virtual session: open data readiness",
                kind=MeetingKind.VIRTUAL,
                timezone="America/Toronto",
                starts_at=datetime(2014, 3, 12, 10, 0, tzinfo=ZoneInfo("America/Toronto")),
                minutes=60,
                online_url="https://example.org/ogp-meet/open-data-readiness",
                agenda=f"Assessing readiness before launching an open data portal. {ILLUSTRATIVE}",
                attendees=(3, 8),
                cancelled=1,
            ),
            *_upcoming(
                "open-data", "America/Toronto", "open data portals", "Nairobi", "Africa/Nairobi"
            ),
        ],
    ),
    GroupSpec(
        slug="open-parliaments",
        theme="open_parliaments",
        name="Open Parliaments Working Group",
        summary="Legislative openness: transparent, participatory and accountable parliaments.",
        description=_pilot_description(
            "Brings parliaments and parliamentary monitoring organisations together on "
            "legislative transparency and citizen engagement.",
            "Anchors: the Congress of Chile (Chamber of Deputies) and the National Democratic "
            "Institute.",
        ),
        government_anchor=CL_CONGRESS,
        civil_society_anchor=NDI,
        members=[
            (GE_PARL, MEMBER, PILOT_START),
            (CIUDADANO, MEMBER, PILOT_START),
            (MZALENDO, MEMBER, date(2013, 11, 20)),
            (SUNLIGHT, MEMBER, PILOT_START),
            (OKF, OBSERVER, date(2014, 2, 1)),
        ],
        meetings=[
            _summit(
                "Open Parliaments Working Group", 1, 9, 30, "Parliamentary openness and monitoring."
            ),
            _intro_webinar(
                "Open Parliaments Working Group", "open-parliaments", _utc(2013, 10, 1, 14)
            ),
            MeetingSpec(
                title="Virtual session: legislative openness commitments",
                kind=MeetingKind.VIRTUAL,
                timezone="America/Santiago",
                starts_at=datetime(2014, 4, 8, 11, 0, tzinfo=ZoneInfo("America/Santiago")),
                minutes=60,
                online_url="https://example.org/ogp-meet/open-parliaments-commitments",
                agenda=f"Parliaments' own commitments in national action plans. {ILLUSTRATIVE}",
                attendees=(0, 4),
            ),
            *_upcoming(
                "open-parliaments",
                "America/Santiago",
                "open legislative data",
                "Tbilisi",
                "Asia/Tbilisi",
            ),
        ],
    ),
    GroupSpec(
        slug="extractive-industries",
        theme="extractives",
        name="Extractive Industries Working Group",
        summary="Transparency and accountability in oil, gas and mining.",
        description=_pilot_description(
            "Works on disclosure of contracts, licences and revenues from oil, gas and mining, "
            "and on public oversight of how those revenues are spent.",
            "Anchors (illustrative pairing): the Government of Ghana (Ministry of Finance) and the "
            "Revenue Watch Institute.",
        ),
        government_anchor=GH_MOF,
        civil_society_anchor=RWI,
        members=[
            (NO_MFA, MEMBER, PILOT_START),
            (PWYP, MEMBER, PILOT_START),
            (FUNDAR, MEMBER, date(2014, 1, 20)),
            (ID_MOF, OBSERVER, date(2014, 1, 20)),
            (WORLD_BANK, OBSERVER, PILOT_START),
        ],
        meetings=[
            _summit(
                "Extractive Industries Working Group",
                1,
                11,
                30,
                "Contract and revenue transparency in the extractive sector.",
            ),
            _intro_webinar(
                "Extractive Industries Working Group",
                "extractive-industries",
                _utc(2013, 10, 8, 13),
            ),
            MeetingSpec(
                title="Virtual session: contract transparency",
                kind=MeetingKind.VIRTUAL,
                timezone="Africa/Accra",
                starts_at=datetime(2014, 3, 26, 14, 0, tzinfo=ZoneInfo("Africa/Accra")),
                minutes=60,
                online_url="https://example.org/ogp-meet/extractives-contracts",
                agenda=f"Publishing extractive contracts: lessons so far. {ILLUSTRATIVE}",
                attendees=(1, 5),
                cancelled=1,
            ),
            *_upcoming(
                "extractive-industries",
                "Africa/Accra",
                "beneficial ownership",
                "Accra",
                "Africa/Accra",
            ),
        ],
    ),
    GroupSpec(
        slug="access-to-information",
        theme="access_to_info",
        name="Access to Information Working Group",
        summary="Right-to-information laws, their implementation and proactive disclosure.",
        description=_pilot_description(
            "Helps governments adopt and implement strong access-to-information laws and "
            "publish information proactively.",
            "Anchors (illustrative pairing): the Government of Mexico (IFAI) and Article 19.",
        ),
        government_anchor=MX_IFAI,
        civil_society_anchor=ART19,
        members=[
            (ACCESS_INFO, MEMBER, PILOT_START),
            (ODAC, MEMBER, PILOT_START),
            (BR_CGU, MEMBER, date(2013, 11, 12)),
            (FUNDAR, MEMBER, PILOT_START),
            (GB_CO, OBSERVER, date(2014, 2, 5)),
        ],
        meetings=[
            _summit(
                "Access to Information Working Group",
                1,
                14,
                0,
                "Implementing access-to-information laws.",
            ),
            _intro_webinar(
                "Access to Information Working Group",
                "access-to-information",
                _utc(2013, 10, 15, 16),
            ),
            MeetingSpec(
                title="Virtual session: oversight bodies for the right to information",
                kind=MeetingKind.VIRTUAL,
                timezone="America/Mexico_City",
                starts_at=datetime(2014, 5, 14, 10, 0, tzinfo=ZoneInfo("America/Mexico_City")),
                minutes=90,
                online_url="https://example.org/ogp-meet/access-to-information-oversight",
                agenda=f"Information commissions and their powers. {ILLUSTRATIVE}",
                attendees=(2, 6),
            ),
            *_upcoming(
                "access-to-information",
                "America/Mexico_City",
                "proactive disclosure",
                "Mexico City",
                "America/Mexico_City",
            ),
        ],
    ),
]


# --- Loading -------------------------------------------------------------------------------------


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


async def _pairs(conn: AsyncConnection, key: Any, value: Any) -> dict[Any, Any]:
    return dict((await conn.execute(select(key, value))).all())


async def _load_countries(conn: AsyncConnection) -> tuple[dict[str, int], int]:
    existing = await _pairs(conn, models.Country.alpha2, models.Country.id)
    rows = [
        {
            "alpha2": a2,
            "alpha3": a3,
            "name": name,
            "region": region,
            "ogp_member_since": since,
            "action_plan_cycle": cycle,
        }
        for a2, a3, name, region, since, cycle in COUNTRIES
        if a2 not in existing
    ]
    if rows:
        await conn.execute(insert(models.Country), rows)
    return await _pairs(conn, models.Country.alpha2, models.Country.id), len(rows)


async def _load_organizations(
    conn: AsyncConnection, countries: dict[str, int]
) -> tuple[dict[str, tuple[int, OrganizationKind]], int]:
    stmt = select(models.Organization.name, models.Organization.id, models.Organization.kind)
    existing = {name for name, _, _ in (await conn.execute(stmt))}
    rows = [
        {
            "name": name,
            "kind": kind,
            "website": website,
            "country_id": countries.get(code) if code else None,
        }
        for name, kind, code, website in ORGANIZATIONS
        if name not in existing
    ]
    if rows:
        await conn.execute(insert(models.Organization), rows)
    orgs = {name: (pk, kind) for name, pk, kind in (await conn.execute(stmt))}
    return orgs, len(rows)


async def _load_people(
    conn: AsyncConnection, orgs: dict[str, tuple[int, OrganizationKind]]
) -> tuple[dict[str, int], int]:
    existing = await _pairs(conn, models.Person.email, models.Person.id)
    rows = [
        {"name": name, "email": email, "organization_id": orgs[org][0]}
        for name, email, org in PEOPLE
        if email not in existing
    ]
    if rows:
        await conn.execute(insert(models.Person), rows)
    return await _pairs(conn, models.Person.email, models.Person.id), len(rows)


@dataclass
class _Counts:
    groups: int = 0
    anchors: int = 0
    memberships: int = 0
    meetings: int = 0
    registrations: int = 0
    waitlisted: int = 0


async def _load_group(
    conn: AsyncConnection,
    spec: GroupSpec,
    orgs: dict[str, tuple[int, OrganizationKind]],
    people: dict[str, int],
    today: date,
    counts: _Counts,
) -> None:
    group_id = (
        await conn.execute(
            select(models.WorkingGroup.id).where(models.WorkingGroup.slug == spec.slug)
        )
    ).scalar()
    if group_id is None:
        now = utcnow()
        group_id = (
            await conn.execute(
                insert(models.WorkingGroup)
                .values(
                    slug=spec.slug,
                    name=spec.name,
                    theme=spec.theme,
                    summary=spec.summary,
                    description=spec.description,
                    status=GroupStatus.PILOT,
                    created_at=now,
                    updated_at=now,
                )
                .returning(models.WorkingGroup.id)
            )
        ).scalar_one()
        counts.groups += 1

    # Anchors: at most one per (group, role); an existing one is left as it is.
    taken = set(
        (
            await conn.execute(select(models.Anchor.role).where(models.Anchor.group_id == group_id))
        ).scalars()
    )
    for role, org_name in (
        (AnchorRole.GOVERNMENT, spec.government_anchor),
        (AnchorRole.CIVIL_SOCIETY, spec.civil_society_anchor),
    ):
        if role in taken:
            continue
        org_id, kind = orgs[org_name]
        await conn.execute(
            insert(models.Anchor).values(
                group_id=group_id,
                organization_id=org_id,
                organization_kind=kind,
                role=role,
                since=PILOT_START,
            )
        )
        counts.anchors += 1

    # Members and observers.
    joined = set(
        (
            await conn.execute(
                select(models.Membership.organization_id).where(
                    models.Membership.group_id == group_id
                )
            )
        ).scalars()
    )
    rows = [
        {
            "group_id": group_id,
            "organization_id": orgs[org_name][0],
            "role": role,
            "joined_at": _midnight_utc(since),
        }
        for org_name, role, since in spec.members
        if orgs[org_name][0] not in joined
    ]
    if rows:
        await conn.execute(insert(models.Membership), rows)
        counts.memberships += len(rows)

    # The people who take part: those of the anchors first, then of the members, in order.
    group_orgs = [spec.government_anchor, spec.civil_society_anchor, *(m[0] for m in spec.members)]
    participants = [
        people[email]
        for org_name in group_orgs
        for _, email, person_org in PEOPLE
        if person_org == org_name
    ]

    for meeting in spec.meetings:
        meeting_id = await _load_meeting(conn, group_id, meeting, today, counts)
        await _load_registrations(
            conn,
            meeting_id,
            participants[meeting.attendees[0] : meeting.attendees[1]],
            meeting.cancelled,
            counts,
        )


async def _load_meeting(
    conn: AsyncConnection, group_id: int, spec: MeetingSpec, today: date, counts: _Counts
) -> int:
    stmt = select(models.Meeting.id).where(
        models.Meeting.group_id == group_id, models.Meeting.title == spec.title
    )
    if spec.starts_at is not None:
        starts_at = spec.starts_at
        stmt = stmt.where(models.Meeting.starts_at == starts_at)
    else:
        # Relative meetings are found by (group, title) alone, so a run on a later day finds the
        # copy an earlier run made instead of adding one more.
        assert spec.days_from_today is not None
        starts_at = datetime.combine(
            today + timedelta(days=spec.days_from_today),
            spec.local_time,
            tzinfo=ZoneInfo(spec.timezone),
        )
    found = (await conn.execute(stmt.limit(1))).scalar()
    if found is not None:
        return int(found)
    counts.meetings += 1
    return (
        await conn.execute(
            insert(models.Meeting)
            .values(
                group_id=group_id,
                title=spec.title,
                kind=spec.kind,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=spec.minutes),
                timezone=spec.timezone,
                location=spec.location,
                online_url=spec.online_url,
                capacity=spec.capacity,
                registered_count=0,
                agenda=spec.agenda,
                is_summit=spec.is_summit,
            )
            .returning(models.Meeting.id)
        )
    ).scalar_one()


async def _load_registrations(
    conn: AsyncConnection,
    meeting_id: int,
    person_ids: list[int],
    cancelled: int,
    counts: _Counts,
) -> None:
    """Register people the way the app would: a place is taken (registered_count + 1, never above
    capacity) for each REGISTERED or ATTENDED registration; a full upcoming meeting waitlists."""
    meeting = (
        await conn.execute(select(models.Meeting.ends_at).where(models.Meeting.id == meeting_id))
    ).one()
    past = meeting.ends_at <= utcnow()
    already = set(
        (
            await conn.execute(
                select(models.Registration.person_id).where(
                    models.Registration.meeting_id == meeting_id
                )
            )
        ).scalars()
    )
    first_cancelled = len(person_ids) - cancelled
    for index, person_id in enumerate(person_ids):
        if person_id in already:
            continue
        if index >= first_cancelled:
            status = RegistrationStatus.CANCELLED
        else:
            took_place = (
                await conn.execute(
                    update(models.Meeting)
                    .where(
                        models.Meeting.id == meeting_id,
                        models.Meeting.capacity.is_(None)
                        | (models.Meeting.registered_count < models.Meeting.capacity),
                    )
                    .values(registered_count=models.Meeting.registered_count + 1)
                    .returning(models.Meeting.id)
                )
            ).first() is not None
            if took_place:
                status = RegistrationStatus.ATTENDED if past else RegistrationStatus.REGISTERED
            elif past:
                continue  # a full past meeting: nobody more attended it
            else:
                status = RegistrationStatus.WAITLISTED
                counts.waitlisted += 1
        now = utcnow()  # joined the queue when made: the order of this loop is first come
        await conn.execute(
            insert(models.Registration).values(
                meeting_id=meeting_id,
                person_id=person_id,
                status=status,
                created_at=now,
                queued_at=now,
            )
        )
        counts.registrations += 1


async def load_demo(
    db: Database,
    plugins: PluginSet,
    progress: Callable[[str], None] = lambda _: None,
    today: date | None = None,
    *,
    if_empty: bool = False,
) -> None:
    """Load the core demo data, then each enabled plugin's, in one all-or-nothing transaction.

    `if_empty`: do nothing when the database already holds a working group (`ogp-wg demo
    --if-empty`, used by `make run`, so a database in real use never gets demo rows).
    """
    today = today or date.today()
    async with db.write() as conn:
        if if_empty:
            has_groups = (await conn.execute(select(models.WorkingGroup.id).limit(1))).first()
            if has_groups is not None:
                progress("demo data skipped: the database already has working groups")
                return
        countries, added = await _load_countries(conn)
        progress(f"countries: {added} added ({len(countries)} in all)")
        orgs, added = await _load_organizations(conn, countries)
        progress(f"organisations: {added} added ({len(orgs)} in all)")
        people, added = await _load_people(conn, orgs)
        progress(f"people: {added} added ({len(people)} in all)")

        counts = _Counts()
        skipped = []
        for spec in GROUPS:
            if spec.theme not in plugins.installed:
                skipped.append(spec.theme)
                continue
            await _load_group(conn, spec, orgs, people, today, counts)
        progress(f"working groups: {counts.groups} added")
        if skipped:
            progress(f"working groups skipped (theme plugin not installed): {', '.join(skipped)}")
        progress(f"anchors: {counts.anchors} added")
        progress(f"memberships: {counts.memberships} added")
        progress(f"meetings: {counts.meetings} added")
        progress(f"registrations: {counts.registrations} added ({counts.waitlisted} waitlisted)")

        # Async hooks return coroutines, awaited one plugin at a time in the same transaction.
        pending = plugins.call("ogp_wg_load_demo", conn=conn)
        for index, (key, result) in enumerate(pending):
            progress(f"plugin {key}: loading demo data")
            try:
                await maybe_await(result)
            except Exception as exc:
                for _, later in pending[index + 1 :]:
                    if inspect.iscoroutine(later):
                        later.close()  # never started: no "never awaited" warning
                raise PluginError(
                    f"plugin '{key}' raised in hook ogp_wg_load_demo: {type(exc).__name__}: {exc}"
                ) from exc
            progress(f"plugin {key}: done")
