"""GraphQL types and fields of the access to information area."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select

from core import Context, relation, types
from plugins.access_to_info.models import RTI_RATING_MAXIMUM, RtiLaw


@strawberry.type(description="A country's national right-to-information law.")
class RightToInformationLaw:
    year_adopted: int
    rti_rating: int = strawberry.field(
        description="Strength of the legal framework on the RTI Rating, 0-150."
    )


@strawberry.type(description="The access to information working group.")
class AccessToInfoGroup(types.WorkingGroup):
    @strawberry.field(description="Highest possible RTI Rating score.")
    def rti_rating_maximum(self) -> int:
        return RTI_RATING_MAXIMUM


async def load_rti_law_by_country(
    ctx: Context, keys: list[int]
) -> list[RightToInformationLaw | None]:
    stmt = select(RtiLaw.country_id, RtiLaw.year_adopted, RtiLaw.rti_rating).where(
        ctx.db.any_of(RtiLaw.country_id, keys)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found = {
        row.country_id: RightToInformationLaw(
            year_adopted=row.year_adopted, rti_rating=row.rti_rating
        )
        for row in rows
    }
    return [found.get(key) for key in keys]


@relation(
    load_rti_law_by_country, description="The country's right-to-information law, if it has one."
)
def right_to_information(root: types.Country) -> RightToInformationLaw | None: ...


LOADERS: dict[str, Any] = {"access_to_info_rti_law_by_country": load_rti_law_by_country}
