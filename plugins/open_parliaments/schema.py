"""GraphQL types and fields of the open parliaments area."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select

from core import Context, relation, types
from plugins.open_parliaments.models import Legislature as LegislatureRow

DECLARATION_URL = "https://www.openingparliament.org/declaration/"


@strawberry.type(description="A country's national legislature.")
class Legislature:
    name: str
    chambers: int = strawberry.field(description="1 (unicameral) or 2 (bicameral).")


@strawberry.type(description="The open parliaments working group.")
class OpenParliamentsGroup(types.WorkingGroup):
    @strawberry.field(description="The Declaration on Parliamentary Openness.")
    def declaration_url(self) -> str:
        return DECLARATION_URL


async def load_legislature_by_country(ctx: Context, keys: list[int]) -> list[Legislature | None]:
    stmt = select(LegislatureRow.country_id, LegislatureRow.name, LegislatureRow.chambers).where(
        ctx.db.any_of(LegislatureRow.country_id, keys)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found = {row.country_id: Legislature(name=row.name, chambers=row.chambers) for row in rows}
    return [found.get(key) for key in keys]


@relation(
    load_legislature_by_country, description="The country's national legislature, if recorded."
)
def legislature(root: types.Country) -> Legislature | None: ...


LOADERS: dict[str, Any] = {"open_parliaments_legislature_by_country": load_legislature_by_country}
