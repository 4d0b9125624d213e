"""Demo operators (core organisations), well-known projects with their operators, and the
illustrative contract disclosures and beneficial owners. Part of the extractives demo (demo.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import enums, models
from plugins.extractives.demo_common import ILLUSTRATIVE, RETRIEVED, insert_missing, sourcing
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
    ExtractiveProject,
)

# --- Operators and companies (core organisations) ------------------------------------------------
# (name, country of head office, website). Real companies, as operators of the projects below.
TULLOW = "Tullow Oil plc"
EQUINOR = "Equinor ASA"
FREEPORT = "PT Freeport Indonesia"
SHELL_PH = "Shell Philippines Exploration B.V."
PRIME_ENERGY = "Prime Energy Resources Development B.V."
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
    (PRIME_ENERGY, "PH", None),
    (CERREJON, "CO", "https://www.cerrejon.com"),
    (NEWMONT, "US", "https://www.newmont.com"),
    (GH_GOLD, "GH", None),
    (NG_OIL, "NG", None),
    (MX_MINING, "MX", None),
]

# --- Projects ------------------------------------------------------------------------------------
# (country, name, commodity, operator, license reference, location): well-known projects. An
# operator can change hands: Malampaya's operator, Shell Philippines Exploration B.V., passed to
# Prime Infrastructure Capital, which completed the acquisition on 2 November 2022 and renamed it
# Prime Energy Resources Development B.V. (SOURCED below, with its date). The other projects'
# operators were not checked for this demo: those rows are illustrative.
MALAMPAYA_SOURCE = (
    "https://news.abs-cbn.com/business/11/02/22/prime-infra-completes-acquisition-of-malampaya-"
    "operator",
    date(2022, 11, 2),
)
SOURCED_PROJECTS = {("PH", "Malampaya"): MALAMPAYA_SOURCE}
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
    ("PH", "Malampaya", C.GAS, PRIME_ENERGY, "Service Contract 38", "Offshore north-west Palawan"),
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


async def load_projects(conn: AsyncConnection, countries: dict[str, int]) -> None:
    """The companies, then the projects with their operators, then the contract disclosures and
    beneficial owners, for the countries present (`countries`: alpha-2 -> id)."""

    def here(code: str) -> bool:
        return code in countries

    org = models.Organization
    await insert_missing(
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

    await insert_missing(
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
                **_project_source(code, name),
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
    await insert_missing(
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
                **sourcing(None),
            }
            for code, project_name, title, kind, signed_on, disclosed_on, url in CONTRACTS
            if here(code)
        ],
    )
    await insert_missing(
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
                **sourcing(None),
            }
            for code, company, owner, pep, percent, since, disclosed_on in OWNERS
            if here(code) and company in orgs
        ],
    )


def _project_source(code: str, name: str) -> dict[str, Any]:
    sourced = SOURCED_PROJECTS.get((code, name))
    if sourced is None:
        return {"operator_since": None, **sourcing(None)}
    url, operator_since = sourced
    return {
        "operator_since": operator_since,
        "source_url": url,
        "retrieved_on": RETRIEVED,
        "illustrative": False,
    }
