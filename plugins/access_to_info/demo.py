"""Demo data: national right-to-information laws, their RTI Rating, and request statistics.

Idempotent: laws are keyed by country, ratings by (law, edition), statistics by (country, year);
only what is missing is added.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.access_to_info.demo_group import GROUP
from plugins.access_to_info.models import (
    RtiLaw,
    RtiRating,
    RtiRatingCategory,
    RtiRequestStatistics,
    RtiStatisticsCoverage,
)

ILLUSTRATIVE = "Illustrative demo figures, not official statistics."
RTI = "https://www.rti-rating.org/country-data/"

# (name, year adopted, last amended, oversight body, text of the law). Name and years as the
# RTI Rating's country pages give them (https://www.rti-rating.org/country-data/).
# Mexico: as rated in 2016 (the 2015 General Act, overseen by INAI); Mexico's 2024
# constitutional reform dissolved INAI, so correct this row with rtiLawUpdate once re-rated.
# The Philippines has no national RTI law (only a 2016 executive order), so it has no row.
LAWS: dict[str, tuple[str, int, int | None, str, str | None]] = {
    "MX": (
        "General Act of Transparency and Access to Public Information",
        2002,
        2015,
        "National Institute of Transparency, Access to Information and Personal Data "
        "Protection (INAI)",
        None,
    ),
    "BR": (
        "Access to Information Law (Law No. 12,527 of 2011)",
        2011,
        None,
        "Office of the Comptroller General (CGU)",
        "https://www.planalto.gov.br/ccivil_03/_ato2011-2014/2011/lei/l12527.htm",
    ),
    "GB": (
        "Freedom of Information Act 2000",
        2000,
        None,
        "Information Commissioner's Office",
        "https://www.legislation.gov.uk/ukpga/2000/36",
    ),
    "KE": (
        "Access to Information Act, 2016",
        2016,
        None,
        "Commission on Administrative Justice (Office of the Ombudsman)",
        None,
    ),
    "ZA": (
        "Promotion of Access to Information Act, 2000",
        2000,
        None,
        "Information Regulator",
        None,
    ),
}

# Published RTI Rating scores (documented): (edition, the seven categories in the methodology's
# order, source). Mexico and Kenya: country pages, "RTI Rating last updated: 2016-09"; United
# Kingdom: country page, "last updated: 2025-08"; Brazil: the Rating's yearly historical data.
# South Africa is deliberately left unrated: record its rating with rtiRatingRecord.
RATINGS: dict[str, list[tuple[int, tuple[int, ...], str]]] = {
    "MX": [(2016, (6, 30, 28, 28, 26, 4, 14), f"{RTI}Mexico/")],
    "KE": [(2016, (4, 29, 19, 19, 24, 6, 12), f"{RTI}Kenya/")],
    "GB": [(2025, (2, 20, 18, 10, 22, 6, 6), f"{RTI}United%20Kingdom/")],
    "BR": [
        (2012, (6, 29, 21, 16, 22, 3, 13), "https://www.rti-rating.org/historical/"),
        (2022, (6, 29, 19, 16, 22, 3, 13), f"{RTI}Brazil/"),
    ],
}

# fmt: off
# Request statistics: EVERY figure below is illustrative (plausible orders of magnitude only),
# and each row says so in its `notes`. (country, year, coverage, requests received, answered
# in time, granted in full, granted in part, refused, information not held, internal reviews,
# appeals, appeals upheld, appeals overturned, median response days)
NR = None  # not reported
CENTRAL = RtiStatisticsCoverage.CENTRAL_GOVERNMENT
ALL = RtiStatisticsCoverage.ALL_PUBLIC_BODIES
STATISTICS = [
    ("GB", 2023, CENTRAL, 52000, 38000, 17000, 8000, 14000, 7000, 2600, 900, 600, 250, 20.0),
    ("GB", 2024, CENTRAL, 55000, 39500, 17500, 8500, 15000, 7500, 2800, 950, 620, 280, 20.0),
    ("MX", 2023, CENTRAL, 280000, 250000, 150000, 30000, 20000, 40000, NR, 12000, 7000, 4500, 14.5),
    ("MX", 2024, CENTRAL, 300000, 265000, 160000, 32000, 22000, 42000, NR, 13000, 7600, 4900, 15.0),
    ("KE", 2024, ALL, 9000, 6500, 4800, 1200, 900, 700, NR, 300, NR, NR, NR),
]
# fmt: on
COUNT_COLUMNS = (
    "requests_received",
    "answered_in_time",
    "granted_in_full",
    "granted_in_part",
    "refused",
    "information_not_held",
    "internal_reviews",
    "appeals",
    "appeals_upheld",
    "appeals_overturned",
    "median_response_days",
)


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    laws = dict((await conn.execute(select(RtiLaw.country_id, RtiLaw.id))).all())
    new_laws = [
        {
            "country_id": countries[code],
            "name": name,
            "year_adopted": adopted,
            "last_amended": amended,
            "oversight_body": body,
            "url": url,
        }
        for code, (name, adopted, amended, body, url) in LAWS.items()
        if code in countries and countries[code] not in laws
    ]
    if new_laws:
        await conn.execute(insert(RtiLaw), new_laws)
        laws = dict((await conn.execute(select(RtiLaw.country_id, RtiLaw.id))).all())

    rated = set((await conn.execute(select(RtiRating.law_id, RtiRating.edition))).all())
    new_ratings = []
    for code, editions in RATINGS.items():
        law_id = laws.get(countries.get(code))
        for edition, scores, source in editions:
            if law_id is None or (law_id, edition) in rated:
                continue
            new_ratings.append(
                {
                    "law_id": law_id,
                    "edition": edition,
                    "methodology_version": "2010",
                    "source_url": source,
                    **dict(zip([c.value for c in RtiRatingCategory], scores, strict=True)),
                    "total": sum(scores),
                }
            )
    if new_ratings:
        await conn.execute(insert(RtiRating), new_ratings)

    Stats = RtiRequestStatistics
    recorded = set((await conn.execute(select(Stats.country_id, Stats.year))).all())
    new_statistics = [
        {
            "country_id": countries[code],
            "year": year,
            "coverage": coverage,
            **dict(zip(COUNT_COLUMNS, figures, strict=True)),
            "source_url": None,
            "notes": ILLUSTRATIVE,
        }
        for code, year, coverage, *figures in STATISTICS
        if code in countries and (countries[code], year) not in recorded
    ]
    if new_statistics:
        await conn.execute(insert(Stats), new_statistics)
