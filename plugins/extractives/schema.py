"""GraphQL types and fields of the extractive industry transparency area."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import select

from core import Context, relation, types
from plugins.extractives.models import EitiCountryStatus, EitiMembership

EITI_STANDARD_URL = "https://eiti.org/eiti-standard"


@strawberry.type(
    description="A country's status in the Extractive Industries Transparency Initiative."
)
class EitiStatus:
    status: EitiCountryStatus
    joined_on: date = strawberry.field(description="When the country became an EITI country.")


@strawberry.type(description="The extractive industry transparency working group.")
class ExtractivesGroup(types.WorkingGroup):
    @strawberry.field(description="The EITI Standard, which implementing countries follow.")
    def eiti_standard_url(self) -> str:
        return EITI_STANDARD_URL


async def load_eiti_by_country(ctx: Context, keys: list[int]) -> list[EitiStatus | None]:
    stmt = select(EitiMembership.country_id, EitiMembership.status, EitiMembership.joined_on).where(
        ctx.db.any_of(EitiMembership.country_id, keys)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found = {row.country_id: EitiStatus(status=row.status, joined_on=row.joined_on) for row in rows}
    return [found.get(key) for key in keys]


@relation(
    load_eiti_by_country, description="The country's EITI status, if it has ever joined the EITI."
)
def eiti(root: types.Country) -> EitiStatus | None: ...


LOADERS: dict[str, Any] = {"extractives_eiti_by_country": load_eiti_by_country}
