"""Demo data of the open data area: Charter adopters and an endorser, portals, high-value
datasets, ODIN scores.

Idempotent: a row is added only when its natural key is missing (country + government, or the
country's national adopter; endorser name; portal URL; dataset URL; country + ODIN edition).

Sourced (source URL and retrieval date in the row): the Charter adopters below are among the
seventeen governments that adopted the International Open Data Charter at the OGP Global Summit in
Mexico City, announced by the World Wide Web Foundation (a lead steward of the Charter) on
29 October 2015 (SOURCE_2015); their date is that announcement's. Two ODIN 2016 overall scores
(Mexico 67, Mongolia 61) as Open Data Watch announced them (ODIN_2016); Open Data Watch revised its
2016-2020 data in March 2023, so today's figure may differ (hence the retrieval date).

Illustrative, and marked so in the data (`illustrative: true`, no source): the endorser, every
portal's dataset count and check date (the portals' addresses and platforms are public), every
dataset's checks and dates, and every other ODIN figure (see https://odin.opendatawatch.com).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.open_data.demo_group import GROUP
from plugins.open_data.models import (
    CharterAdopter,
    CharterEndorser,
    DataPortal,
    DataPortalPlatform,
    HighValueDataset,
    HighValueDatasetCategory,
    OdinScore,
    OpenDataCharterLevel,
)

ILLUSTRATIVE = "(Illustrative demo data.)"
SOURCE_2015 = (
    "https://webfoundation.org/2015/10/"
    "seventeen-governments-adopt-the-new-international-open-data-charter/"
)
ADOPTED_2015 = date(2015, 10, 29)
RETRIEVED = date(2026, 11, 30)  # when the sourced values were read on their pages
ODIN_2016 = "https://opendatawatch.com/open-data-inventory-2016/"
ILLUSTRATIVE_ROW = {"source_url": None, "retrieved_on": None, "illustrative": True}
NATIONAL = OpenDataCharterLevel.NATIONAL
SUBNATIONAL = OpenDataCharterLevel.SUBNATIONAL

# (country, government, level): documented, see the module docstring.
ADOPTERS = [
    ("CL", "Government of Chile", NATIONAL),
    ("MX", "Government of Mexico", NATIONAL),
    ("MX", "State of Morelos", SUBNATIONAL),
    ("MX", "Xalapa", SUBNATIONAL),
    ("MX", "Municipality of Puebla", SUBNATIONAL),
    ("PH", "Government of the Philippines", NATIONAL),
    ("GB", "Government of the United Kingdom", NATIONAL),
    ("UY", "Government of Uruguay", NATIONAL),
    ("UY", "Montevideo", SUBNATIONAL),
    ("AR", "Buenos Aires", SUBNATIONAL),
]

# (country, name, url, platform, has API, dataset count, checked on). Names, URLs and platforms
# are public; the counts and check dates are illustrative.
CKAN = DataPortalPlatform.CKAN
PORTALS = [
    ("GB", "data.gov.uk", "https://www.data.gov.uk", CKAN, True, 50000, date(2024, 6, 1)),
    ("US", "Data.gov", "https://data.gov", CKAN, True, 300000, date(2024, 6, 1)),
    ("CA", "Open Government Portal", "https://open.canada.ca", CKAN, True, 40000, None),
    ("MX", "datos.gob.mx", "https://datos.gob.mx", CKAN, True, 9000, date(2024, 6, 1)),
    ("UY", "Catálogo de Datos Abiertos", "https://catalogodatos.gub.uy", CKAN, True, 2000, None),
    ("AR", "Buenos Aires Data", "https://data.buenosaires.gob.ar", CKAN, True, 400, None),
]

# Illustrative: the openness elements and dates are demo values, not an assessment.
# (country, portal URL or None, title, category, url, machine-readable, non-proprietary,
#  metadata, download/API, open licence, licence, checked on, last updated on)
H = HighValueDatasetCategory
DATASETS = [
    ("GB", None, "Companies House basic company data", H.COMPANIES_AND_COMPANY_OWNERSHIP,
     "https://download.companieshouse.gov.uk/en_output.html",
     True, True, True, True, True, "Open Government Licence v3.0",
     date(2024, 6, 3), date(2024, 6, 1)),
    ("MX", None, "Censo de Población y Vivienda 2020", H.STATISTICS,
     "https://www.inegi.org.mx/programas/ccpv/2020/",
     True, True, True, True, False, None, date(2024, 6, 3), None),
    ("US", "https://data.gov", "Global Historical Climatology Network daily (GHCNd)",
     H.METEOROLOGICAL,
     "https://www.ncei.noaa.gov/products/land-based-station/global-historical-climatology-network-daily",
     True, True, True, True, True, "Public domain", date(2024, 6, 3), date(2024, 6, 2)),
    ("CA", None, "National Pollutant Release Inventory", H.EARTH_OBSERVATION_ENVIRONMENT,
     "https://www.canada.ca/en/services/environment/pollution-waste-management/national-pollutant-release-inventory.html",
     True, False, True, True, True, "Open Government Licence - Canada",
     date(2024, 6, 3), None),
]  # fmt: skip

# Published ODIN overall scores: (country, edition, overall), see ODIN_2016.
ODIN_SOURCED = [("MX", "2016", 67.0), ("MN", "2016", 61.0)]
# Illustrative ODIN figures: (country, edition, overall, coverage, openness, social, economic,
# environmental).
ODIN = [
    ("MX", "2020/21", 71.0, 63.5, 79.0, 75.0, 72.0, 66.0),
    ("MX", "2022/23", 74.5, 66.0, 83.5, 78.0, 76.5, 69.0),
    ("GB", "2022/23", 78.0, 70.5, 86.0, 80.0, 81.0, 73.0),
    ("UY", "2022/23", 62.0, 55.5, 69.0, 66.0, 63.5, 56.5),
    ("PH", "2022/23", 58.5, 49.0, 68.5, 62.0, 60.5, 53.0),
    ("MN", "2022/23", 60.0, 52.5, 67.5, 64.0, 61.5, 54.5),
]
ODIN_SUBSCORES = ("coverage", "openness", "social", "economic", "environmental")

# Illustrative: (name, core demo organisation or None). Not checked against the Charter's list.
ENDORSERS = [("Open Knowledge Foundation", "Open Knowledge Foundation")]


async def _existing(conn: AsyncConnection, *columns: Any) -> set[Any]:
    rows = (await conn.execute(select(*columns))).all()
    return {tuple(row) if len(columns) > 1 else row[0] for row in rows}


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())

    adopters = await _existing(conn, CharterAdopter.country_id, CharterAdopter.government)
    nationals = set(
        (
            await conn.execute(
                select(CharterAdopter.country_id).where(CharterAdopter.level == NATIONAL)
            )
        ).scalars()
    )
    rows: list[dict[str, Any]] = []
    for code, government, level in ADOPTERS:
        cid = countries.get(code)
        if cid is None or (cid, government) in adopters or (level == NATIONAL and cid in nationals):
            continue
        rows.append(
            {
                "country_id": cid,
                "government": government,
                "level": level,
                "adopted_on": ADOPTED_2015,
                "source_url": SOURCE_2015,
                "retrieved_on": RETRIEVED,
                "illustrative": False,
            }
        )
    if rows:
        await conn.execute(insert(CharterAdopter), rows)

    named = await _existing(conn, CharterEndorser.name)
    organizations = dict(
        (await conn.execute(select(models.Organization.name, models.Organization.id))).all()
    )
    rows = [
        {
            "name": name,
            "organization_id": organizations.get(org) if org else None,
            "country_id": None,
            "endorsed_on": None,
            **ILLUSTRATIVE_ROW,
        }
        for name, org in ENDORSERS
        if name not in named
    ]
    if rows:
        await conn.execute(insert(CharterEndorser), rows)

    portal_urls = await _existing(conn, DataPortal.url)
    rows = [
        {
            "country_id": countries[code],
            "name": name,
            "url": url,
            "platform": platform,
            "has_api": has_api,
            "dataset_count": count,
            "checked_on": checked_on,
            "notes": f"{ILLUSTRATIVE} The dataset count and check date are not measured.",
            **ILLUSTRATIVE_ROW,
        }
        for code, name, url, platform, has_api, count, checked_on in PORTALS
        if code in countries and url not in portal_urls
    ]
    if rows:
        await conn.execute(insert(DataPortal), rows)

    portals = dict((await conn.execute(select(DataPortal.url, DataPortal.id))).all())
    dataset_urls = await _existing(conn, HighValueDataset.url)
    rows = []
    for code, portal_url, title, category, url, *elements, licence, checked, updated in DATASETS:
        if code not in countries or url in dataset_urls:
            continue
        machine, non_proprietary, metadata, download, open_licence = elements
        rows.append(
            {
                "country_id": countries[code],
                "portal_id": portals.get(portal_url) if portal_url else None,
                "title": title,
                "category": category,
                "url": url,
                "machine_readable": machine,
                "non_proprietary_format": non_proprietary,
                "metadata_available": metadata,
                "download_or_api": download,
                "open_licence": open_licence,
                "licence": licence,
                "checked_on": checked,
                "last_updated_on": updated,
                "notes": f"{ILLUSTRATIVE} The group's checks here are not an assessment.",
                **ILLUSTRATIVE_ROW,
            }
        )
    if rows:
        await conn.execute(insert(HighValueDataset), rows)

    scored = await _existing(conn, OdinScore.country_id, OdinScore.edition)
    rows = [
        {
            "country_id": countries[code],
            "edition": edition,
            "overall": overall,
            **dict.fromkeys(ODIN_SUBSCORES),
            "methodology_version": f"ODIN {edition}",
            "source_url": ODIN_2016,
            "retrieved_on": RETRIEVED,
            "illustrative": False,
            "notes": "As announced at the edition's release; Open Data Watch revised its "
            "2016-2020 data in March 2023.",
        }
        for code, edition, overall in ODIN_SOURCED
        if code in countries and (countries[code], edition) not in scored
    ]
    rows += [
        {
            "country_id": countries[code],
            "edition": edition,
            "overall": overall,
            **dict(zip(ODIN_SUBSCORES, subscores, strict=True)),
            "methodology_version": f"ODIN {edition}",
            "notes": f"{ILLUSTRATIVE} Not the published ODIN figures.",
            **ILLUSTRATIVE_ROW,
        }
        for code, edition, overall, *subscores in ODIN
        if code in countries and (countries[code], edition) not in scored
    ]
    if rows:
        await conn.execute(insert(OdinScore), rows)
