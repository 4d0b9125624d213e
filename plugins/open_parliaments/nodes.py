"""How `node(id:)` fetches this plugin's `Node` types: one batch loader per type, by primary key.

Declared through the `ogp_wg_node_loaders` hook (see `__init__.py`); each loader returns one
object or None per pk, in order, from one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import Context
from plugins.open_parliaments.models import Endorsement as EndorsementRow
from plugins.open_parliaments.models import MonitoringOrganization as MonitoringRow
from plugins.open_parliaments.models import OpennessCheck as CheckRow
from plugins.open_parliaments.schema import (
    Chamber,
    ChamberOpennessIndicator,
    DeclarationEndorsement,
    Legislature,
    ParliamentaryMonitoringOrganization,
    load_chambers,
    load_legislatures,
)


async def _by_id(ctx: Context, model: Any, keys: list[int], build: Any) -> list[Any]:
    stmt = select(*model.__table__.c).where(ctx.db.any_of(model.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: build(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def indicators_by_id(ctx: Context, keys: list[int]) -> list[ChamberOpennessIndicator | None]:
    return await _by_id(ctx, CheckRow, keys, ChamberOpennessIndicator.from_row)


async def endorsements_by_id(ctx: Context, keys: list[int]) -> list[DeclarationEndorsement | None]:
    return await _by_id(ctx, EndorsementRow, keys, DeclarationEndorsement.from_row)


async def monitors_by_id(
    ctx: Context, keys: list[int]
) -> list[ParliamentaryMonitoringOrganization | None]:
    return await _by_id(ctx, MonitoringRow, keys, ParliamentaryMonitoringOrganization.from_row)


NODE_LOADERS = {
    Legislature: load_legislatures,  # the loaders its relations already use
    Chamber: load_chambers,
    ChamberOpennessIndicator: indicators_by_id,
    DeclarationEndorsement: endorsements_by_id,
    ParliamentaryMonitoringOrganization: monitors_by_id,
}
