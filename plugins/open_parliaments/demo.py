"""Demo data: legislatures and their chambers, openness checks, Declaration endorsements and PMOs.

Idempotent: rows are found again by their natural keys (country; legislature and kind; chamber and
indicator; organisation; organisation and legislature) and only what is missing is added.

What is documented and what is illustrative:
- legislature and chamber names, numbers of chambers and websites are meant to be those the
  parliaments and IPU Parline (https://data.ipu.org/) publish, but only Estonia's legislature
  (the Riigikogu, unicameral) was confirmed on IPU Parline's page for this demo: it carries that
  source and its retrieval date; every other legislature and every chamber (the websites were
  not confirmed) is marked `illustrative` in the data;
- every openness status, check date and note is ILLUSTRATIVE (the evidence URL is the chamber's
  real website, but nobody checked it for this demo), and says so in the data: `illustrative`
  is true and its `note` says so;
- which organisations endorsed the Declaration, and when, is ILLUSTRATIVE, and says so in the
  data (`illustrative`, and the endorsement's `note`). NDI and the Sunlight Foundation
  co-hosted the April 2012 PMO conference that produced the Declaration (documented); an
  endorsement record is not;
- Mzalendo (Kenya) and the Sunlight Foundation (United States) are documented parliamentary
  monitoring organisations, but their records here were not checked with them: every PMO record
  is marked `illustrative`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.open_parliaments.demo_group import GROUP
from plugins.open_parliaments.enums import ChamberKind, MonitoringScope
from plugins.open_parliaments.enums import OpennessIndicator as Ind
from plugins.open_parliaments.enums import OpennessStatus as S
from plugins.open_parliaments.models import (
    Chamber,
    Endorsement,
    Legislature,
    MonitoringOrganization,
    OpennessCheck,
)

ILLUSTRATIVE = "(Illustrative demo data.)"
RETRIEVED = date(2026, 11, 30)  # the day the sources below were read

# country -> the page its legislature's name and structure were confirmed on (the others are
# illustrative).
LEGISLATURE_SOURCES = {"EE": "http://archive.ipu.org/parline-e/reports/2105_D.htm"}

UNI, LOWER, UPPER = ChamberKind.UNICAMERAL, ChamberKind.LOWER, ChamberKind.UPPER

# country -> (legislature, [(kind, chamber, website)]), as published by IPU Parline.
LEGISLATURES: dict[str, tuple[str, list[tuple[ChamberKind, str, str]]]] = {
    "BR": (
        "National Congress",
        [
            (LOWER, "Chamber of Deputies", "https://www.camara.leg.br"),
            (UPPER, "Federal Senate", "https://www.senado.leg.br"),
        ],
    ),
    "CL": (
        "National Congress",
        [
            (LOWER, "Chamber of Deputies", "https://www.camara.cl"),
            (UPPER, "Senate", "https://www.senado.cl"),
        ],
    ),
    "MX": (
        "Congress of the Union",
        [
            (LOWER, "Chamber of Deputies", "https://www.diputados.gob.mx"),
            (UPPER, "Senate of the Republic", "https://www.senado.gob.mx"),
        ],
    ),
    "PH": (
        "Congress of the Philippines",
        [
            (LOWER, "House of Representatives", "https://www.congress.gov.ph"),
            (UPPER, "Senate", "https://senate.gov.ph"),
        ],
    ),
    "ZA": (
        "Parliament of the Republic of South Africa",
        [
            (LOWER, "National Assembly", "https://www.parliament.gov.za"),
            (UPPER, "National Council of Provinces", "https://www.parliament.gov.za"),
        ],
    ),
    "GB": (
        "Parliament of the United Kingdom",
        [
            (LOWER, "House of Commons", "https://www.parliament.uk"),
            (UPPER, "House of Lords", "https://www.parliament.uk"),
        ],
    ),
    "KE": (
        "Parliament of Kenya",
        [
            (LOWER, "National Assembly", "https://www.parliament.go.ke"),
            (UPPER, "Senate", "https://www.parliament.go.ke"),
        ],
    ),
    "US": (
        "Congress of the United States",
        [
            (LOWER, "House of Representatives", "https://www.house.gov"),
            (UPPER, "Senate", "https://www.senate.gov"),
        ],
    ),
    "GE": ("Parliament of Georgia", [(UNI, "Parliament of Georgia", "https://parliament.ge")]),
    "EE": ("Riigikogu", [(UNI, "Riigikogu", "https://www.riigikogu.ee")]),
    "CR": ("Legislative Assembly", [(UNI, "Legislative Assembly", "https://www.asamblea.go.cr")]),
}

# ILLUSTRATIVE: (country, chamber kind) -> [(indicator, status, checked on)]; the evidence URL is
# the chamber's website. Not the result of a real check.
CHECKS: dict[tuple[str, ChamberKind], list[tuple[Ind, S, date]]] = {
    ("GE", UNI): [
        (Ind.VOTES_PUBLISHED, S.YES, date(2024, 3, 4)),
        (Ind.BILLS_AND_AMENDMENTS_ONLINE, S.YES, date(2024, 3, 4)),
        (Ind.PLENARY_RECORDS, S.YES, date(2024, 3, 4)),
        (Ind.COMMITTEE_RECORDS, S.PARTIAL, date(2024, 3, 4)),
        (Ind.OPEN_SESSIONS, S.YES, date(2024, 3, 4)),
        (Ind.MACHINE_READABLE_DATA, S.PARTIAL, date(2024, 3, 5)),
        (Ind.API, S.NO, date(2024, 3, 5)),
    ],
    ("CL", LOWER): [
        (Ind.VOTES_PUBLISHED, S.YES, date(2024, 4, 15)),
        (Ind.BILLS_AND_AMENDMENTS_ONLINE, S.YES, date(2024, 4, 15)),
        (Ind.MACHINE_READABLE_DATA, S.YES, date(2024, 4, 16)),
        (Ind.API, S.PARTIAL, date(2024, 4, 16)),
    ],
    ("CL", UPPER): [
        (Ind.VOTES_PUBLISHED, S.YES, date(2024, 4, 15)),
        (Ind.COMMITTEE_RECORDS, S.PARTIAL, date(2024, 4, 15)),
    ],
    ("GB", LOWER): [
        (Ind.VOTES_PUBLISHED, S.YES, date(2024, 2, 12)),
        (Ind.PLENARY_RECORDS, S.YES, date(2024, 2, 12)),
        (Ind.API, S.YES, date(2024, 2, 12)),
    ],
    ("KE", LOWER): [
        (Ind.PLENARY_RECORDS, S.YES, date(2024, 5, 20)),
        (Ind.VOTES_PUBLISHED, S.PARTIAL, date(2024, 5, 20)),
        (Ind.API, S.NO, date(2024, 5, 20)),
    ],
}

NDI = "National Democratic Institute (NDI)"
SUNLIGHT = "Sunlight Foundation"
CIUDADANO = "Fundación Ciudadano Inteligente"
MZALENDO = "Mzalendo Trust"
GE_PARL = "Parliament of Georgia"

# ILLUSTRATIVE: organisation (core demo name) -> date endorsed. Not a documented record.
ENDORSEMENTS: dict[str, date] = {
    NDI: date(2012, 9, 15),
    SUNLIGHT: date(2012, 9, 15),
    CIUDADANO: date(2012, 9, 15),
    MZALENDO: date(2012, 10, 1),
    GE_PARL: date(2015, 6, 30),
}

# (organisation, country of the legislature monitored, scope, monitoring website if not the
# organisation's own). Mzalendo ("eye on the Kenyan Parliament") and the Sunlight Foundation (US
# Congress; it closed in 2020) are documented PMOs; Ciudadano Inteligente's record and every
# scope are illustrative.
MONITORS: list[tuple[str, str, MonitoringScope, str | None]] = [
    (MZALENDO, "KE", MonitoringScope.MEMBERS_AND_INSTITUTION, None),
    (SUNLIGHT, "US", MonitoringScope.MEMBERS_AND_INSTITUTION, None),
    (CIUDADANO, "CL", MonitoringScope.MEMBERS, None),
]


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    orgs = dict(
        (await conn.execute(select(models.Organization.name, models.Organization.id))).all()
    )

    # Legislatures: one per country.
    known = set((await conn.execute(select(Legislature.country_id))).scalars())
    rows = [
        {
            "country_id": countries[code],
            "name": name,
            "chambers": len(chambers),
            **_sourcing(LEGISLATURE_SOURCES.get(code)),
        }
        for code, (name, chambers) in LEGISLATURES.items()
        if code in countries and countries[code] not in known
    ]
    if rows:
        await conn.execute(Legislature.__table__.insert(), rows)
    stmt = select(Legislature.id, Legislature.country_id, Legislature.chambers)
    by_country = {row.country_id: row for row in await conn.execute(stmt)}
    legislature_of = {
        code: by_country[countries[code]]
        for code in LEGISLATURES
        if countries.get(code) in by_country
    }

    # Chambers, where they fit the legislature's structure as recorded.
    stmt = select(Chamber.legislature_id, Chamber.kind)
    existing = {tuple(row) for row in await conn.execute(stmt)}
    rows = [
        {
            "legislature_id": leg.id,
            "legislature_chambers": leg.chambers,
            "kind": kind,
            "name": name,
            "website": website,
            **_sourcing(None),  # no chamber's website was confirmed for this demo
        }
        for code, leg in legislature_of.items()
        if len(LEGISLATURES[code][1]) == leg.chambers
        for kind, name, website in LEGISLATURES[code][1]
        if (leg.id, kind) not in existing
    ]
    if rows:
        await conn.execute(Chamber.__table__.insert(), rows)
    stmt = select(Chamber.id, Chamber.legislature_id, Chamber.kind, Chamber.website)
    chambers = {(row.legislature_id, row.kind): row for row in await conn.execute(stmt)}

    # Openness checks (illustrative), where none is recorded yet.
    stmt = select(OpennessCheck.chamber_id, OpennessCheck.indicator)
    checked = {tuple(row) for row in await conn.execute(stmt)}
    rows = []
    for (code, kind), results in CHECKS.items():
        leg = legislature_of.get(code)
        chamber = chambers.get((leg.id, kind)) if leg else None
        if chamber is None:
            continue
        rows += [
            {
                "chamber_id": chamber.id,
                "indicator": indicator,
                "status": status,
                "evidence_url": chamber.website,
                "checked_on": checked_on,
                "note": ILLUSTRATIVE,
                "source_url": chamber.website,
                "retrieved_on": checked_on,
                "illustrative": True,
            }
            for indicator, status, checked_on in results
            if (chamber.id, indicator) not in checked
        ]
    if rows:
        await conn.execute(OpennessCheck.__table__.insert(), rows)

    # Endorsements (illustrative).
    endorsed = set((await conn.execute(select(Endorsement.organization_id))).scalars())
    rows = [
        {
            "organization_id": orgs[name],
            "endorsed_on": on,
            "note": ILLUSTRATIVE,
            "source_url": None,
            "retrieved_on": None,
            "illustrative": True,
        }
        for name, on in ENDORSEMENTS.items()
        if name in orgs and orgs[name] not in endorsed
    ]
    if rows:
        await conn.execute(Endorsement.__table__.insert(), rows)

    # Parliamentary monitoring organisations.
    pairs = [
        (orgs[name], legislature_of[code].id, scope, website)
        for name, code, scope, website in MONITORS
        if name in orgs and code in legislature_of
    ]
    stmt = select(MonitoringOrganization.organization_id, MonitoringOrganization.legislature_id)
    recorded = {tuple(row) for row in await conn.execute(stmt)}
    rows = [
        {
            "organization_id": org,
            "legislature_id": leg,
            "scope": scope,
            "website": website,
            # Mzalendo and the Sunlight Foundation are documented PMOs, but no record (nor any
            # scope) was checked with them for this demo.
            "source_url": None,
            "retrieved_on": None,
            "illustrative": True,
        }
        for org, leg, scope, website in pairs
        if (org, leg) not in recorded
    ]
    if rows:
        await conn.execute(MonitoringOrganization.__table__.insert(), rows)


def _sourcing(url: str | None) -> dict[str, object]:
    """A row read on `url` on RETRIEVED, or an illustrative one (None)."""
    if url is None:
        return {"source_url": None, "retrieved_on": None, "illustrative": True}
    return {"source_url": url, "retrieved_on": RETRIEVED, "illustrative": False}
