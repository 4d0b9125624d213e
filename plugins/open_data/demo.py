"""Demo data: International Open Data Charter adoptions (see the Charter's list of adopters)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from plugins.open_data.models import CharterAdoption, OpenDataCharterLevel

# Illustrative adoptions: the levels and dates are demo data only, not checked against the
# adopters list; see https://opendatacharter.org/government-adopters/ before citing.
ADOPTIONS = {
    "MX": (date(2015, 10, 28), OpenDataCharterLevel.NATIONAL),
    "PH": (date(2016, 5, 20), OpenDataCharterLevel.NATIONAL),
    "GB": (date(2015, 10, 28), OpenDataCharterLevel.NATIONAL),
    "BR": (date(2017, 6, 1), OpenDataCharterLevel.LOCAL),
    "UY": (date(2016, 3, 1), OpenDataCharterLevel.NATIONAL),
}


async def load(conn: AsyncConnection) -> None:
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    existing = set((await conn.execute(select(CharterAdoption.country_id))).scalars().all())
    rows = [
        {"country_id": countries[code], "adopted_on": adopted_on, "level": level}
        for code, (adopted_on, level) in ADOPTIONS.items()
        if code in countries and countries[code] not in existing
    ]
    if rows:
        await conn.execute(CharterAdoption.__table__.insert(), rows)
