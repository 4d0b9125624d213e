"""Demo data: countries' status in the EITI (see the country pages on eiti.org)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from plugins.extractives.models import EitiCountryStatus, EitiMembership

# Illustrative statuses and joining dates: demo data only (the years are close to the public
# record, the days are not); check https://eiti.org/countries before citing.
STATUSES = {
    "NG": (EitiCountryStatus.IMPLEMENTING, date(2007, 9, 27)),
    "PH": (EitiCountryStatus.IMPLEMENTING, date(2013, 5, 22)),
    "CO": (EitiCountryStatus.IMPLEMENTING, date(2014, 10, 15)),
    "GB": (EitiCountryStatus.IMPLEMENTING, date(2014, 10, 15)),
    "MX": (EitiCountryStatus.IMPLEMENTING, date(2017, 10, 25)),
    "US": (EitiCountryStatus.WITHDRAWN, date(2014, 3, 19)),
}


async def load(conn: AsyncConnection) -> None:
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    existing = set((await conn.execute(select(EitiMembership.country_id))).scalars().all())
    rows = [
        {"country_id": countries[code], "status": status, "joined_on": joined_on}
        for code, (status, joined_on) in STATUSES.items()
        if code in countries and countries[code] not in existing
    ]
    if rows:
        await conn.execute(EitiMembership.__table__.insert(), rows)
