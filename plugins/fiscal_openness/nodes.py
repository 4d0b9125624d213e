"""How `node(id:)` fetches this plugin's `Node` types: one batch loader per type, by primary key.

Declared through the `ogp_wg_node_loaders` hook (see `__init__.py`); each loader returns one
object or None per pk, in order, from one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import Context
from plugins.fiscal_openness.methodology import GiftPrinciple
from plugins.fiscal_openness.models import BudgetDocument as DocumentRow
from plugins.fiscal_openness.models import Commitment, CommitmentPrinciple, Survey
from plugins.fiscal_openness.schema import BudgetDocument, FiscalCommitment, OpenBudgetSurvey


async def _by_id(ctx: Context, model: Any, keys: list[int], build: Any) -> list[Any]:
    stmt = select(*model.__table__.c).where(ctx.db.any_of(model.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: build(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def surveys_by_id(ctx: Context, keys: list[int]) -> list[OpenBudgetSurvey | None]:
    return await _by_id(ctx, Survey, keys, OpenBudgetSurvey.from_row)


async def documents_by_id(ctx: Context, keys: list[int]) -> list[BudgetDocument | None]:
    return await _by_id(ctx, DocumentRow, keys, BudgetDocument.from_row)


async def commitments_by_id(ctx: Context, keys: list[int]) -> list[FiscalCommitment | None]:
    """Each commitment with its principles: one row per (commitment, principle)."""
    stmt = (
        select(*Commitment.__table__.c, CommitmentPrinciple.principle)
        .outerjoin(CommitmentPrinciple, CommitmentPrinciple.commitment_id == Commitment.id)
        .where(ctx.db.any_of(Commitment.id, keys))
    )
    rows: dict[int, Any] = {}
    principles: dict[int, list[GiftPrinciple]] = {}
    async with ctx.db.read() as conn:
        for row in await conn.execute(stmt):
            rows[row.id] = row
            principles.setdefault(row.id, [])
            if row.principle is not None:
                principles[row.id].append(row.principle)
    return [
        FiscalCommitment.from_row(rows[key], principles[key]) if key in rows else None
        for key in keys
    ]


NODE_LOADERS = {
    OpenBudgetSurvey: surveys_by_id,
    BudgetDocument: documents_by_id,
    FiscalCommitment: commitments_by_id,
}
