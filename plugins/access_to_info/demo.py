"""Demo data: national right-to-information laws, their RTI Rating, and request statistics.

Idempotent: laws are keyed by country, ratings by (law, edition), statistics by (country, year);
only what is missing is added.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.access_to_info.demo_group import GROUP
from plugins.access_to_info.models import (
    RtiLaw,
    RtiRating,
    RtiRatingCategory,
    RtiRatingSeries,
    RtiRequestStatistics,
    RtiStatisticsCoverage,
)

ILLUSTRATIVE = "Illustrative demo figures, not official statistics."
RTI = "https://www.rti-rating.org/country-data/"
RETRIEVED = date(2026, 11, 30)  # the day the sources below were read

# (name, year adopted, last amended, oversight body, text of the law, in force since, source or
# None when not confirmed: illustrative). Names and years as the RTI Rating's country pages give
# them. Mexico: the General Law of Transparency and Access to Public Information published on
# 20 March 2025 replaced the 2015 General Act and dissolved INAI; its functions passed to
# Transparencia para el Pueblo, a body of the Secretaría Anticorrupción y Buen Gobierno (in force
# 21 March 2025, the day after publication). Source and text: the decree in the Diario Oficial de
# la Federación (DOF) of 20 March 2025, "DECRETO por el que se expiden la Ley General de
# Transparencia y Acceso a la Información Pública; ...". The Philippines has no national RTI law
# (only a 2016 executive order).
MX_2025 = "https://www.dof.gob.mx/nota_detalle.php?codigo=5752569&fecha=20/03/2025"
# Sources an earlier demo cited that the publisher's own page replaces (a database loaded by that
# demo is corrected when the demo runs again): Mexico's newspaper report -> the DOF decree.
SUPERSEDED_SOURCES = {
    "https://www.cuartopoder.mx/nacional/suspendidas-las-solicitudes-de-transparencia/529533": (
        MX_2025
    ),
}
LAWS: dict[str, tuple[str, int, int | None, str, str | None, date | None, str | None]] = {
    "MX": (
        "General Law of Transparency and Access to Public Information (2025)",
        2002,
        None,
        "Transparencia para el Pueblo (Secretaría Anticorrupción y Buen Gobierno), since INAI "
        "was dissolved in March 2025",
        MX_2025,
        date(2025, 3, 21),
        MX_2025,
    ),
    "BR": (
        "Access to Information Law (Law No. 12,527 of 2011)",
        2011,
        None,
        "Office of the Comptroller General (CGU)",
        "https://www.planalto.gov.br/ccivil_03/_ato2011-2014/2011/lei/l12527.htm",
        None,
        f"{RTI}Brazil/",
    ),
    "GB": (
        "Freedom of Information Act 2000",
        2000,
        None,
        "Information Commissioner's Office",
        "https://www.legislation.gov.uk/ukpga/2000/36",
        None,
        f"{RTI}United%20Kingdom/",
    ),
    "KE": (
        "Access to Information Act, 2016",
        2016,
        None,
        "Commission on Administrative Justice (Office of the Ombudsman)",
        None,
        None,
        f"{RTI}Kenya/",
    ),
    "ZA": (
        "Promotion of Access to Information Act, 2000",
        2000,
        None,
        "Information Regulator",
        None,
        None,
        None,
    ),
}

# Published RTI Rating scores: (series, year, "last updated" month, the seven categories in the
# methodology's order, rated law if not the law in force, source, illustrative).
# COUNTRY_PAGE rows as read on the country pages: Mexico and Kenya "RTI Rating last updated:
# 2016-09", the United Kingdom "2025-08". Mexico's rating assessed the 2015 General Act, which
# the 2025 law replaced: the Rating has not rated the 2025 law. Brazil's country page gives 108
# points but "last updated: n/a", so its figures are kept as yearly HISTORICAL rows (2012: 110,
# 2022: 108), illustrative: the years were not confirmed on rti-rating.org.
# South Africa is deliberately left unrated: record its rating with rtiRatingRecord.
PAGE, HISTORY = RtiRatingSeries.COUNTRY_PAGE, RtiRatingSeries.HISTORICAL
RATINGS: dict[
    str,
    list[tuple[RtiRatingSeries, int, date | None, tuple[int, ...], str | None, str, bool]],
] = {
    "MX": [
        (
            PAGE,
            2016,
            date(2016, 9, 1),
            (6, 30, 28, 28, 26, 4, 14),
            "General Act of Transparency and Access to Public Information (2015), replaced in "
            "March 2025",
            f"{RTI}Mexico/",
            False,
        )
    ],
    "KE": [(PAGE, 2016, date(2016, 9, 1), (4, 29, 19, 19, 24, 6, 12), None, f"{RTI}Kenya/", False)],
    "GB": [
        (
            PAGE,
            2025,
            date(2025, 8, 1),
            (2, 20, 18, 10, 22, 6, 6),
            None,
            f"{RTI}United%20Kingdom/",
            False,
        )
    ],
    "BR": [
        (
            HISTORY,
            2012,
            None,
            (6, 29, 21, 16, 22, 3, 13),
            None,
            "https://www.rti-rating.org/historical/",
            True,
        ),
        (HISTORY, 2022, None, (6, 29, 19, 16, 22, 3, 13), None, f"{RTI}Brazil/", True),
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
    "appeals_favouring_body",
    "appeals_favouring_requester",
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
            "in_force_since": in_force_since,
            "source_url": source,
            "retrieved_on": source and RETRIEVED,
            "illustrative": source is None,
        }
        for code, (name, adopted, amended, body, url, in_force_since, source) in LAWS.items()
        if code in countries and countries[code] not in laws
    ]
    if new_laws:
        await conn.execute(insert(RtiLaw), new_laws)
        laws = dict((await conn.execute(select(RtiLaw.country_id, RtiLaw.id))).all())
    for old, new in SUPERSEDED_SOURCES.items():
        await conn.execute(
            update(RtiLaw)
            .where(RtiLaw.source_url == old)
            .values(
                source_url=new,
                retrieved_on=RETRIEVED,
                url=func.coalesce(RtiLaw.url, new),
            )
        )

    stmt = select(RtiRating.law_id, RtiRating.series, RtiRating.edition)
    rated = set((await conn.execute(stmt)).all())
    new_ratings = []
    for code, editions in RATINGS.items():
        law_id = laws.get(countries.get(code))
        for series, edition, month, scores, rated_law, source, illustrative in editions:
            if law_id is None or (law_id, series, edition) in rated:
                continue
            new_ratings.append(
                {
                    "law_id": law_id,
                    "series": series,
                    "edition": edition,
                    "last_updated": month,
                    "rated_law": rated_law,
                    "methodology_version": "2010",
                    "source_url": source,
                    "retrieved_on": RETRIEVED,
                    "illustrative": illustrative,
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
            "retrieved_on": None,
            "illustrative": True,
            "notes": ILLUSTRATIVE,
        }
        for code, year, coverage, *figures in STATISTICS
        if code in countries and (countries[code], year) not in recorded
    ]
    if new_statistics:
        await conn.execute(insert(Stats), new_statistics)
