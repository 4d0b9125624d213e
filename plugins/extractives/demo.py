"""Demo data: EITI statuses and Validations, a few well-known projects with their operators,
contract disclosures and beneficial owners.

Idempotent: each row is looked up by its natural key (country, organisation name, project name,
document URL...) and only what is missing is added. Sources: the EITI country pages
(https://eiti.org/countries) and the operators' public websites. What is not a documented fact
is marked illustrative here and, where the row has a text field, in the data itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, enums, models
from plugins.extractives.demo_group import GROUP
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiCountryStatus,
    EitiMembership,
    EitiOverallAssessment,
    EitiStandardVersion,
    EitiValidation,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
    ExtractiveProject,
)

ILLUSTRATIVE = "(illustrative)"

# --- EITI statuses -------------------------------------------------------------------------------
# Illustrative statuses and joining dates: the years are close to the public record, the days are
# not; check https://eiti.org/countries before citing.
IMPLEMENTING = EitiCountryStatus.IMPLEMENTING
STATUSES = {
    "GH": (IMPLEMENTING, date(2003, 6, 17)),
    "NG": (IMPLEMENTING, date(2007, 9, 27)),
    "NO": (IMPLEMENTING, date(2009, 2, 11)),
    "ID": (IMPLEMENTING, date(2010, 10, 19)),
    "PH": (IMPLEMENTING, date(2013, 5, 22)),
    "CO": (IMPLEMENTING, date(2014, 10, 15)),
    "GB": (IMPLEMENTING, date(2014, 10, 15)),
    "MX": (IMPLEMENTING, date(2017, 10, 25)),
    "US": (EitiCountryStatus.WITHDRAWN, date(2014, 3, 19)),
}

# --- Validations ---------------------------------------------------------------------------------
# ALL illustrative: dates and scores are invented for the demo (plausible, not the EITI Board's
# published results). The overall score is the mean of the three components; the Philippines has
# one Validation under each edition of the Standard, to show that they are kept apart.
# (country, decided on, standard, stakeholder engagement, transparency, outcomes and impact,
#  overall score, overall assessment)
V2019, V2023 = EitiStandardVersion.EITI_2019, EitiStandardVersion.EITI_2023
A = EitiOverallAssessment
VALIDATIONS: list[tuple[str, date, EitiStandardVersion, float, float, float, float, A]] = [
    ("GH", date(2023, 4, 12), V2019, 90.0, 79.0, 80.5, 83.0, A.MODERATE),
    ("NG", date(2022, 6, 15), V2019, 85.5, 72.0, 69.0, 75.5, A.MODERATE),
    ("NO", date(2021, 12, 8), V2019, 90.0, 93.0, 92.5, 92.0, A.VERY_HIGH),
    ("PH", date(2022, 3, 9), V2019, 90.0, 84.0, 86.5, 87.0, A.HIGH),
    ("PH", date(2025, 6, 18), V2023, 90.0, 88.0, 92.0, 90.0, A.VERY_HIGH),
    ("GB", date(2022, 10, 5), V2019, 87.5, 74.5, 70.0, 77.5, A.MODERATE),
]
SCORE_COLUMNS = ("stakeholder_engagement", "transparency", "outcomes_and_impact", "overall_score")
COUNTRY_PAGES = {
    "GH": "ghana",
    "NG": "nigeria",
    "NO": "norway",
    "PH": "philippines",
    "GB": "united-kingdom",
}

# --- Operators and companies (core organisations) ------------------------------------------------
# (name, country of head office, website). Real companies, as operators of the projects below.
TULLOW = "Tullow Oil plc"
EQUINOR = "Equinor ASA"
FREEPORT = "PT Freeport Indonesia"
SHELL_PH = "Shell Philippines Exploration B.V."
CERREJON = "Carbones del Cerrejón Limited"
NEWMONT = "Newmont Corporation"
# Invented companies for the beneficial ownership examples (no real company's owners are shown).
GH_GOLD = f"Western Example Gold Ltd {ILLUSTRATIVE}"
NG_OIL = f"Delta Example Petroleum Ltd {ILLUSTRATIVE}"
MX_MINING = f"Sierra Ejemplo Minera S.A. de C.V. {ILLUSTRATIVE}"

COMPANIES: list[tuple[str, str, str | None]] = [
    (TULLOW, "GB", "https://www.tullowoil.com"),
    (EQUINOR, "NO", "https://www.equinor.com"),
    (FREEPORT, "ID", "https://ptfi.co.id"),
    (SHELL_PH, "PH", "https://www.shell.com.ph"),
    (CERREJON, "CO", "https://www.cerrejon.com"),
    (NEWMONT, "US", "https://www.newmont.com"),
    (GH_GOLD, "GH", None),
    (NG_OIL, "NG", None),
    (MX_MINING, "MX", None),
]

# --- Projects ------------------------------------------------------------------------------------
# (country, name, commodity, operator, license reference, location): well-known projects and
# their operators as publicly reported; license wording is simplified.
C = ExtractiveCommodity
PROJECTS: list[tuple[str, str, ExtractiveCommodity, str, str | None, str]] = [
    (
        "GH",
        "Jubilee Field",
        C.OIL,
        TULLOW,
        "West Cape Three Points and Deepwater Tano contract areas",
        "Offshore, Western Region",
    ),
    ("NO", "Johan Sverdrup", C.OIL, EQUINOR, "PL 265, PL 501, PL 502", "North Sea"),
    ("ID", "Grasberg", C.COPPER, FREEPORT, "IUPK (special mining business license)", "Papua"),
    ("PH", "Malampaya", C.GAS, SHELL_PH, "Service Contract 38", "Offshore north-west Palawan"),
    ("CO", "Cerrejón", C.COAL, CERREJON, None, "La Guajira"),
    ("MX", "Peñasquito", C.GOLD, NEWMONT, None, "Mazapil, Zacatecas"),
]

# --- Contract disclosures ------------------------------------------------------------------------
# ALL illustrative: dates and URLs are invented (example.org), titles marked in the data.
# (country, project or None, title, kind, signed on, disclosed on, url)
CONTRACT = ExtractiveAgreementKind.CONTRACT
LICENSE = ExtractiveAgreementKind.LICENSE
CONTRACTS: list[tuple[str, str | None, str, ExtractiveAgreementKind, date | None, date, str]] = [
    (
        "GH",
        "Jubilee Field",
        f"Petroleum agreement, Deepwater Tano contract area {ILLUSTRATIVE}",
        CONTRACT,
        date(2006, 3, 10),
        date(2014, 5, 20),
        "https://example.org/eiti-demo/gh/deepwater-tano-petroleum-agreement.pdf",
    ),
    (
        "GH",
        "Jubilee Field",
        f"Petroleum agreement, West Cape Three Points block {ILLUSTRATIVE}",
        CONTRACT,
        date(2004, 7, 22),
        date(2014, 5, 20),
        "https://example.org/eiti-demo/gh/west-cape-three-points-petroleum-agreement.pdf",
    ),
    (
        "PH",
        "Malampaya",
        f"Service Contract 38 {ILLUSTRATIVE}",
        CONTRACT,
        date(1990, 12, 11),
        date(2019, 2, 14),
        "https://example.org/eiti-demo/ph/service-contract-38.pdf",
    ),
    (
        "MX",
        None,
        f"Concesión minera, Zacatecas {ILLUSTRATIVE}",
        LICENSE,
        None,
        date(2023, 9, 1),
        "https://example.org/eiti-demo/mx/concesion-minera-zacatecas.pdf",
    ),
]

# --- Beneficial owners ---------------------------------------------------------------------------
# ALL illustrative: invented people of invented companies, marked in their names.
# (country, company, owner, politically exposed, percent, interest since, disclosed on)
OWNERS: list[tuple[str, str, str, bool, float | None, date | None, date]] = [
    ("GH", GH_GOLD, f"A. Mensah {ILLUSTRATIVE}", False, 60.0, date(2015, 1, 1), date(2022, 6, 30)),
    ("GH", GH_GOLD, f"K. Boateng {ILLUSTRATIVE}", True, 40.0, date(2018, 3, 1), date(2022, 6, 30)),
    ("NG", NG_OIL, f"O. Adebayo {ILLUSTRATIVE}", True, 25.0, None, date(2021, 12, 31)),
    ("MX", MX_MINING, f"L. Ramírez {ILLUSTRATIVE}", False, 100.0, None, date(2023, 9, 1)),
]


async def _insert_missing(
    conn: AsyncConnection, model: Any, key: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Insert the rows whose natural key (`key` columns) is not in the table yet."""
    columns = [model.__table__.c[name] for name in key]
    existing = {tuple(r) for r in await conn.execute(select(*columns))}
    missing = [row for row in rows if tuple(row[name] for name in key) not in existing]
    if missing:
        await conn.execute(insert(model), missing)


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries: dict[str, int] = dict(
        (await conn.execute(select(models.Country.alpha2, models.Country.id))).all()
    )

    def here(code: str) -> bool:
        return code in countries

    await _insert_missing(
        conn,
        EitiMembership,
        ["country_id"],
        [
            {"country_id": countries[code], "status": status, "joined_on": joined_on}
            for code, (status, joined_on) in STATUSES.items()
            if here(code)
        ],
    )
    await _insert_missing(
        conn,
        EitiValidation,
        ["country_id", "decided_on"],
        [
            {
                "country_id": countries[code],
                "decided_on": decided_on,
                "standard": standard,
                **dict(zip(SCORE_COLUMNS, scores, strict=True)),
                "overall_assessment": assessment,
                "source_url": f"https://eiti.org/countries/{COUNTRY_PAGES[code]}",
            }
            for code, decided_on, standard, *scores, assessment in VALIDATIONS
            if here(code)
        ],
    )

    org = models.Organization
    await _insert_missing(
        conn,
        org,
        ["name"],
        [
            {
                "name": name,
                "kind": enums.OrganizationKind.PRIVATE_SECTOR,
                "country_id": countries[code],
                "website": website,
            }
            for name, code, website in COMPANIES
            if here(code)
        ],
    )
    names = [name for name, _, _ in COMPANIES]
    orgs = dict((await conn.execute(select(org.name, org.id).where(org.name.in_(names)))).all())

    await _insert_missing(
        conn,
        ExtractiveProject,
        ["country_id", "name"],
        [
            {
                "country_id": countries[code],
                "name": name,
                "commodity": commodity,
                "operator_id": orgs.get(operator),
                "license_reference": license_reference,
                "location": location,
            }
            for code, name, commodity, operator, license_reference, location in PROJECTS
            if here(code)
        ],
    )
    project = ExtractiveProject
    project_names = [name for _, name, *_ in PROJECTS]
    projects = {
        (row.country_id, row.name): row.id
        for row in await conn.execute(
            select(project.id, project.country_id, project.name).where(
                project.name.in_(project_names)
            )
        )
    }
    await _insert_missing(
        conn,
        ContractDisclosure,
        ["country_id", "url"],
        [
            {
                "country_id": countries[code],
                "project_id": projects.get((countries[code], project_name)),
                "title": title,
                "kind": kind,
                "signed_on": signed_on,
                "disclosed_on": disclosed_on,
                "url": url,
            }
            for code, project_name, title, kind, signed_on, disclosed_on, url in CONTRACTS
            if here(code)
        ],
    )
    await _insert_missing(
        conn,
        BeneficialOwnershipDisclosure,
        ["country_id", "company_id", "owner_name", "disclosed_on"],
        [
            {
                "country_id": countries[code],
                "company_id": orgs[company],
                "owner_name": owner,
                "politically_exposed": pep,
                "ownership_percent": percent,
                "interest_since": since,
                "disclosed_on": disclosed_on,
                "source_url": None,
            }
            for code, company, owner, pep, percent, since, disclosed_on in OWNERS
            if here(code) and company in orgs
        ],
    )
