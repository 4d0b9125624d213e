"""GraphQL types and fields of the open data area."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import select

from core import Context, relation, types
from plugins.open_data.models import CharterAdoption, OpenDataCharterLevel

# https://opendatacharter.org/principles/
CHARTER_PRINCIPLES = (
    "Open by Default",
    "Timely and Comprehensive",
    "Accessible and Usable",
    "Comparable and Interoperable",
    "For Improved Governance and Citizen Engagement",
    "For Inclusive Development and Innovation",
)


@strawberry.type(description="A country's adoption of the International Open Data Charter.")
class OpenDataCharterAdoption:
    adopted_on: date
    level: OpenDataCharterLevel


@strawberry.type(description="The open data working group.")
class OpenDataGroup(types.WorkingGroup):
    @strawberry.field(description="The six principles of the International Open Data Charter.")
    def charter_principles(self) -> list[str]:
        return list(CHARTER_PRINCIPLES)


async def load_charter_by_country(
    ctx: Context, keys: list[int]
) -> list[OpenDataCharterAdoption | None]:
    stmt = select(
        CharterAdoption.country_id, CharterAdoption.adopted_on, CharterAdoption.level
    ).where(ctx.db.any_of(CharterAdoption.country_id, keys))
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found = {
        row.country_id: OpenDataCharterAdoption(adopted_on=row.adopted_on, level=row.level)
        for row in rows
    }
    return [found.get(key) for key in keys]


@relation(
    load_charter_by_country, description="Adoption of the International Open Data Charter, if any."
)
def open_data_charter(root: types.Country) -> OpenDataCharterAdoption | None: ...


LOADERS: dict[str, Any] = {"open_data_charter_by_country": load_charter_by_country}
