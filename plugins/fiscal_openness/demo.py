"""Demo data: Open Budget Index scores from IBP's published Open Budget Survey results."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from plugins.fiscal_openness.models import OpenBudgetScore

# Illustrative Open Budget Index (transparency) values in the range IBP published for these
# countries; demo data only, check https://internationalbudget.org/open-budget-survey before citing.
SCORES = {
    "BR": {2012: 73, 2019: 77},
    "PH": {2012: 48, 2019: 76},
    "MX": {2012: 61, 2019: 82},
    "ZA": {2012: 90, 2019: 86},
    "GB": {2012: 88, 2019: 70},
}


async def load(conn: AsyncConnection) -> None:
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    existing = set(
        (await conn.execute(select(OpenBudgetScore.country_id, OpenBudgetScore.edition))).all()
    )
    rows = [
        {"country_id": countries[code], "edition": edition, "transparency_score": score}
        for code, editions in SCORES.items()
        if code in countries
        for edition, score in editions.items()
        if (countries[code], edition) not in existing
    ]
    if rows:
        await conn.execute(OpenBudgetScore.__table__.insert(), rows)
