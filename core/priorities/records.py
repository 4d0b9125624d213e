"""Checking the thematic records a priority area links to: global IDs of objects of the group's
own plugin that `node(id:)` resolves for the caller. The IDs are stored as given."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.context import Context
from core.errors import UserError, user_error
from core.groups.models import WorkingGroup
from core.priorities.services import MAX_RECORDS
from core.schema.ids import from_global_id, pk_of
from core.schema.nodes import loader_name

FIELD = "thematicRecordIds"


def _package(cls: type) -> str:
    return cls.__module__.rsplit(".", 1)[0]


async def problems(ctx: Context, group_id: str, ids: list[str]) -> list[UserError]:
    """What is wrong with `ids` for the group `group_id`: TOO_MANY (over 20), NOT_FOUND (no
    object, or one the caller may not see), NOT_A_THEMATIC_RECORD (an object of another plugin
    or of the core). An unknown group is left to the write, which answers NOT_FOUND."""
    if not ids:
        return []
    if len(ids) > MAX_RECORDS:
        return [user_error("TOO_MANY", f"at most {MAX_RECORDS} thematic records", FIELD)]
    group_pk = pk_of(group_id, "WorkingGroup")
    if group_pk is None:
        return []
    async with ctx.db.read() as conn:
        theme = await conn.scalar(select(WorkingGroup.theme).where(WorkingGroup.id == group_pk))
    group_type: Any = ctx.app.group_types.get(theme) if theme is not None else None
    if group_type is None:
        return []
    errors: list[UserError] = []
    for given in ids:
        decoded = from_global_id(given)
        name = loader_name(decoded[0]) if decoded else None
        found = None
        if decoded is not None and name is not None and name in ctx.app.loaders:
            found = await ctx.loader(name).load(decoded[1])
        if found is None:
            errors.append(user_error("NOT_FOUND", f"no object with id {given!r}", FIELD))
        elif not type(found).__module__.startswith(_package(group_type) + "."):
            message = f"{given!r} is not a record of the group's thematic plugin"
            errors.append(user_error("NOT_A_THEMATIC_RECORD", message, FIELD))
    return errors
