"""How `node(id:)` fetches this plugin's `Node` types: one batch loader per type, by primary key.

Declared through the `ogp_wg_node_loaders` hook (see `__init__.py`); each loader returns one
object or None per pk, in order, from one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import Context
from plugins.access_to_info.models import RtiRating as RatingRow
from plugins.access_to_info.models import RtiRequestStatistics as StatisticsRow
from plugins.access_to_info.schema import (
    RightToInformationLaw,
    RtiRating,
    RtiRequestStatistics,
    load_laws_by_id,
)


async def _by_id(ctx: Context, model: Any, keys: list[int], build: Any) -> list[Any]:
    stmt = select(*model.__table__.c).where(ctx.db.any_of(model.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: build(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def ratings_by_id(ctx: Context, keys: list[int]) -> list[RtiRating | None]:
    return await _by_id(ctx, RatingRow, keys, RtiRating.from_row)


async def statistics_by_id(ctx: Context, keys: list[int]) -> list[RtiRequestStatistics | None]:
    return await _by_id(ctx, StatisticsRow, keys, RtiRequestStatistics.from_row)


NODE_LOADERS = {
    RightToInformationLaw: load_laws_by_id,  # the loader `RtiRating.law` already uses
    RtiRating: ratings_by_id,
    RtiRequestStatistics: statistics_by_id,
}
