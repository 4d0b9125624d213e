"""Demo data: national legislatures and their number of chambers (IPU Parline)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from plugins.open_parliaments.models import Legislature

# Names and chamber counts as published by each legislature and the IPU's Parline database
# (https://data.ipu.org/); check there before citing.
LEGISLATURES = {
    "BR": ("National Congress", 2),
    "MX": ("Congress of the Union", 2),
    "PH": ("Congress of the Philippines", 2),
    "ZA": ("Parliament of the Republic of South Africa", 2),
    "GB": ("Parliament of the United Kingdom", 2),
    "GE": ("Parliament of Georgia", 1),
    "UA": ("Verkhovna Rada", 1),
    "EE": ("Riigikogu", 1),
    "CR": ("Legislative Assembly", 1),
}


async def load(conn: AsyncConnection) -> None:
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    existing = set((await conn.execute(select(Legislature.country_id))).scalars().all())
    rows = [
        {"country_id": countries[code], "name": name, "chambers": chambers}
        for code, (name, chambers) in LEGISLATURES.items()
        if code in countries and countries[code] not in existing
    ]
    if rows:
        await conn.execute(Legislature.__table__.insert(), rows)
