"""Demo data: the countries, organisations and people of OGP's 2013 working-group pilot, then
each enabled plugin's own demo data, its working group included.

The core's demo data knows no plugin: each thematic plugin's `ogp_wg_load_demo` creates its group,
anchors, members, meetings and registrations through the public `core.demo_groups` (the five
pilot groups are the five built-in plugins'), on the organisations and people loaded here.

Everything runs in ONE write transaction (all or nothing) and is idempotent: rows are looked up by
their natural keys (country alpha-2, organisation name, person e-mail; a plugin's rows by theirs)
and only what is missing is added, so `ogp-wg demo` can run any number of times.

Sources: the OGP blog post "Sharing good open government ideas: a new experiment" (2013) for the
five pilot themes, the anchor model (one government + one civil-society anchor) and the first
in-person meetings at the OGP Annual Summit in London (31 October - 1 November 2013). What is not
documented there is marked illustrative below and, where a visible text field exists, in the data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from core.activity import demo as demo_activity
from core.assistance import demo as demo_assistance
from core.auth.staff import grant_staff
from core.auth.tokens import issue_token
from core.comments import demo as demo_comments
from core.commitments import demo as demo_commitments
from core.commitments import evidence_demo as demo_evidence
from core.db import Database, utcnow
from core.enums import OrganizationKind
from core.groups import demo as demo_groups
from core.groups import demo_lifecycle
from core.knowledge import demo as demo_knowledge
from core.meetings import demo as demo_meetings
from core.plugins import PluginError, PluginSet, maybe_await
from core.priorities import demo as demo_priorities
from core.translations import demo as demo_translations

ILLUSTRATIVE = demo_groups.ILLUSTRATIVE

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
OGP_SU = "Open Government Partnership Support Unit"
ALIANZA = demo_lifecycle.ALIANZA

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
    # The secretariat, in no working group: its people are the demo's staff (`staff_roles`).
    (OGP_SU, OrganizationKind.MULTILATERAL, None, "https://www.opengovpartnership.org"),
    # A regional network of Latin American organisations (no one country): the access to
    # information group's 2013 civil-society anchor (core.groups.demo_lifecycle.ANCHORS_2013).
    (ALIANZA, CSO, None, "https://www.alianzaregional.net"),
]

# --- People --------------------------------------------------------------------------------------
# (name, e-mail, organisation or None). All illustrative: invented names, example.org addresses.
PEOPLE: list[tuple[str, str, str | None]] = [
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
    ("Alex Morgan", "alex.morgan@example.org", OGP_SU),
    ("Robin Clarke", "robin.clarke@example.org", None),  # signed in, in no group: no role
    ("Mariana Castro", "mariana.castro@example.org", ALIANZA),
]

# --- Who the demo signs in as ---------------------------------------------------------------------
# Each `ogp-wg demo` replaces these people's demo tokens (named "demo: <role>") with new ones and
# prints them: tokens are shown once, so the old ones cannot be shown again. Claire Tremblay's
# organisation anchors the Open Data Working Group, in which Wanjiru Kamau's is a member.
STAFF_EMAIL = "alex.morgan@example.org"
DEMO_ROLES: dict[str, str] = {
    "staff": STAFF_EMAIL,
    "anchor": "claire.tremblay@example.org",
    "member": "wanjiru.kamau@example.org",
    "other": "robin.clarke@example.org",
}
DEMO_TOKEN_DAYS = 30

# --- Loading -------------------------------------------------------------------------------------


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
        {"name": name, "email": email, "organization_id": orgs[org][0] if org else None}
        for name, email, org in PEOPLE
        if email not in existing
    ]
    if rows:
        await conn.execute(insert(models.Person), rows)
    return await _pairs(conn, models.Person.email, models.Person.id), len(rows)


async def _group_counts(conn: AsyncConnection) -> dict[str, int]:
    """Rows of the group tables, to report what the plugins' demo groups added."""
    tables = {
        "working groups": models.WorkingGroup,
        "anchors": models.Anchor,
        "memberships": models.Membership,
        "meetings": models.Meeting,
        "registrations": models.Registration,
    }
    return {
        name: int(await conn.scalar(select(func.count()).select_from(model)) or 0)
        for name, model in tables.items()
    }


async def _demo_tokens(conn: AsyncConnection, people: dict[str, int]) -> dict[str, str]:
    """Make the demo's staff member staff, and give each role in DEMO_ROLES a new token
    (read + write, DEMO_TOKEN_DAYS days), replacing the one an earlier run made."""
    await grant_staff(conn, people[STAFF_EMAIL], granted_by="demo")
    tokens: dict[str, str] = {}
    expires_at = utcnow() + timedelta(days=DEMO_TOKEN_DAYS)
    for role, email in DEMO_ROLES.items():
        name = f"demo: {role}"
        person_id = people[email]
        await conn.execute(
            delete(models.ApiToken)
            .where(models.ApiToken.person_id == person_id)
            .where(models.ApiToken.name == name)
        )
        issued = await issue_token(conn, person_id, expires_at=expires_at, name=name)
        tokens[role] = issued.token
    return tokens


async def load_demo(
    db: Database,
    plugins: PluginSet,
    progress: Callable[[str], None] = lambda _: None,
    today: date | None = None,
    *,
    if_empty: bool = False,
) -> dict[str, str]:
    """Load the core demo data, then each enabled plugin's, in one all-or-nothing transaction.
    Returns a new bearer token per demo role ({"staff", "anchor", "member", "other"} -> token;
    see DEMO_ROLES), or {} when nothing was loaded.

    `if_empty`: do nothing when the database already holds a working group (`ogp-wg demo
    --if-empty`, used by `make run`, so a database in real use never gets demo rows).
    """
    token = demo_groups.TODAY.set(today or date.today())
    try:
        return await _load(db, plugins, progress, if_empty=if_empty)
    finally:
        demo_groups.TODAY.reset(token)


async def _load(
    db: Database, plugins: PluginSet, progress: Callable[[str], None], *, if_empty: bool
) -> dict[str, str]:
    async with db.write() as conn:
        if if_empty:
            has_groups = (await conn.execute(select(models.WorkingGroup.id).limit(1))).first()
            if has_groups is not None:
                progress("demo data skipped: the database already has working groups")
                return {}
        countries, added = await _load_countries(conn)
        progress(f"countries: {added} added ({len(countries)} in all)")
        orgs, added = await _load_organizations(conn, countries)
        progress(f"organisations: {added} added ({len(orgs)} in all)")
        people, added = await _load_people(conn, orgs)
        progress(f"people: {added} added ({len(people)} in all)")

        before = await _group_counts(conn)
        events_before = await demo_activity.last_event_id(conn)
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
        # Each plugin's demo made its own working group (the core's demo data knows no plugin).
        after = await _group_counts(conn)
        for (name, was), now in zip(before.items(), after.values(), strict=True):
            progress(f"{name}: {now - was} added ({now} in all)")
        # after the plugins' demos (their groups), before the priority areas agreed there
        progress(f"summit meetings: {await demo_meetings.load(conn)} added (partly illustrative)")
        # after the plugins' demos: the areas belong to the open_data plugin's pilot group
        progress(await demo_priorities.load(conn) or "priority areas: loaded (illustrative)")
        # after the plugins' demos: commitments are linked to their pilot groups
        added = await demo_commitments.load(conn)
        progress(f"action plan commitments: {added} added (Chile, Kenya; partly illustrative)")
        # after the commitments: the plugins link their records as evidence of them
        progress(await demo_evidence.load(conn, plugins))
        added = await demo_lifecycle.load_proposal(conn, demo_groups.TODAY.get())
        progress(f"proposed groups: {added} added (illustrative)")
        progress(f"comments: {await demo_comments.load(conn)} added (illustrative)")
        # after the commitments' demo: a resource concerns Kenya's commitment KE0018
        added = await demo_knowledge.load(conn)
        progress(f"resources and expertise: {added} added (cited publications; some illustrative)")
        # after the commitments' demo: Chile's completed commitment is one of the reasons
        added = await demo_assistance.load(conn)
        progress(f"assistance: {added} suggested match added (illustrative)")
        # last: the feed entries of what the demos above created without their mutations, each
        # at the time of what it describes; this run's events renumbered in time order
        added = await demo_activity.load(conn, events_before)
        progress(f"activity: {added} meeting and priority-area events added")
        added = await demo_translations.load(conn)
        progress(f"translations: {added} group names added (illustrative, not OGP's)")
        return await _demo_tokens(conn, people)
