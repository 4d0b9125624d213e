"""How `node(id:)` fetches this plugin's `Node` types: one batch loader per type, by primary key.

Declared through the `ogp_wg_node_loaders` hook (see `__init__.py`); each loader returns one
object or None per pk, in order, from one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import Context
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiValidation,
)
from plugins.extractives.schema import (
    BeneficialOwnershipDisclosureType,
    ContractDisclosureType,
    EitiValidationType,
    ExtractiveProjectType,
    load_projects,
)


async def _by_id(ctx: Context, model: Any, keys: list[int], build: Any) -> list[Any]:
    stmt = select(*model.__table__.c).where(ctx.db.any_of(model.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: build(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def validations_by_id(ctx: Context, keys: list[int]) -> list[EitiValidationType | None]:
    return await _by_id(ctx, EitiValidation, keys, EitiValidationType.from_row)


async def contracts_by_id(ctx: Context, keys: list[int]) -> list[ContractDisclosureType | None]:
    return await _by_id(ctx, ContractDisclosure, keys, ContractDisclosureType.from_row)


async def owners_by_id(
    ctx: Context, keys: list[int]
) -> list[BeneficialOwnershipDisclosureType | None]:
    return await _by_id(
        ctx, BeneficialOwnershipDisclosure, keys, BeneficialOwnershipDisclosureType.from_row
    )


NODE_LOADERS = {
    EitiValidationType: validations_by_id,
    ExtractiveProjectType: load_projects,  # the loader `ContractDisclosure.project` already uses
    ContractDisclosureType: contracts_by_id,
    BeneficialOwnershipDisclosureType: owners_by_id,
}
