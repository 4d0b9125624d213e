"""GraphQL types and fields of the fiscal openness area."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import strawberry
from sqlalchemy import select

from core import Context, relation, types
from plugins.fiscal_openness.models import OpenBudgetScore

SUFFICIENT = 61  # IBP: an Open Budget Index of 61 or more is "sufficient" transparency


@strawberry.type(description="Open Budget Index of one country in one Open Budget Survey edition.")
class OpenBudgetIndex:
    edition: int
    score: int = strawberry.field(description="Transparency score, 0-100.")

    @strawberry.field(description="61 or above: sufficient transparency (IBP).")
    def sufficient(self) -> bool:
        return self.score >= SUFFICIENT


@strawberry.type(description="The fiscal openness working group.")
class FiscalOpennessGroup(types.WorkingGroup):
    @strawberry.field(description="Score from which IBP deems budget transparency sufficient.")
    def sufficient_transparency_threshold(self) -> int:
        return SUFFICIENT


async def load_scores_by_country(ctx: Context, keys: list[int]) -> list[list[OpenBudgetIndex]]:
    stmt = (
        select(
            OpenBudgetScore.country_id, OpenBudgetScore.edition, OpenBudgetScore.transparency_score
        )
        .where(ctx.db.any_of(OpenBudgetScore.country_id, keys))
        .order_by(OpenBudgetScore.edition.desc())
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    found: dict[int, list[OpenBudgetIndex]] = defaultdict(list)
    for row in rows:
        found[row.country_id].append(
            OpenBudgetIndex(edition=row.edition, score=row.transparency_score)
        )
    return [found.get(key, []) for key in keys]


@relation(
    load_scores_by_country,
    default=[],
    description="Open Budget Index results, latest edition first.",
)
def open_budget_index(root: types.Country) -> list[OpenBudgetIndex]: ...


LOADERS: dict[str, Any] = {"fiscal_openness_scores_by_country": load_scores_by_country}
