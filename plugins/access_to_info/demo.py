"""Demo data: national right-to-information laws and their RTI Rating (rti-rating.org)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from plugins.access_to_info.models import RtiLaw

# Year each national law was adopted, with illustrative RTI Rating scores (demo data only, not
# checked against https://www.rti-rating.org/country-data/, check there before citing).
# The Philippines has no national RTI law (only a 2016 executive order), so it has no row.
LAWS = {
    "MX": (2002, 136),
    "GB": (2000, 99),
    "ZA": (2000, 123),
    "BR": (2011, 108),
    "ID": (2008, 102),
    "KE": (2016, 104),
}


async def load(conn: AsyncConnection) -> None:
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    existing = set((await conn.execute(select(RtiLaw.country_id))).scalars().all())
    rows = [
        {"country_id": countries[code], "year_adopted": year, "rti_rating": rating}
        for code, (year, rating) in LAWS.items()
        if code in countries and countries[code] not in existing
    ]
    if rows:
        await conn.execute(RtiLaw.__table__.insert(), rows)
