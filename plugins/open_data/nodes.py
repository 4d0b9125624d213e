"""How `node(id:)` fetches this plugin's `Node` types: one batch loader per type, by primary key.

Declared through the `ogp_wg_node_loaders` hook (see `__init__.py`); each loader returns one
object or None per pk, in order, from one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import Context
from plugins.open_data import models as tables
from plugins.open_data.schema import (
    DataPortal,
    HighValueDataset,
    OdinScore,
    OpenDataCharterAdopter,
    load_portals,
)


async def _by_id(ctx: Context, model: Any, keys: list[int], build: Any) -> list[Any]:
    stmt = select(*model.__table__.c).where(ctx.db.any_of(model.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: build(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def adopters_by_id(ctx: Context, keys: list[int]) -> list[OpenDataCharterAdopter | None]:
    return await _by_id(ctx, tables.CharterAdopter, keys, OpenDataCharterAdopter.from_row)


async def datasets_by_id(ctx: Context, keys: list[int]) -> list[HighValueDataset | None]:
    return await _by_id(ctx, tables.HighValueDataset, keys, HighValueDataset.from_row)


async def odin_scores_by_id(ctx: Context, keys: list[int]) -> list[OdinScore | None]:
    return await _by_id(ctx, tables.OdinScore, keys, OdinScore.from_row)


NODE_LOADERS = {
    OpenDataCharterAdopter: adopters_by_id,
    HighValueDataset: datasets_by_id,
    DataPortal: load_portals,  # the loader `HighValueDataset.portal` already uses
    OdinScore: odin_scores_by_id,
}
