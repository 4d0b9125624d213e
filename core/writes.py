"""Writing one row and getting it back, as a mutation's service does inside its transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_row(conn: AsyncConnection, model: Any, **values: Any) -> Any:
    """INSERT one row of `model` (a table class) and return it as stored (every column, defaults
    and the new id included): the row `core.mutation_payload` makes the payload's object from.
    Errors: a violated constraint raises `IntegrityError`, which `core.in_transaction` turns into
    the user error the plugin's `ogp_wg_constraint_errors` maps it to."""
    stmt = insert(model).values(**values).returning(*model.__table__.c)
    return (await conn.execute(stmt)).one()


async def update_row(conn: AsyncConnection, model: Any, pk: int, **changes: Any) -> Any | None:
    """UPDATE the row of `model` whose `id` is `pk` with `changes` and return it as stored, or
    None when no row has that id. No changes: the row as it is (read, not written)."""
    if not changes:
        stmt: Any = select(*model.__table__.c).where(model.id == pk)
    else:
        stmt = update(model).where(model.id == pk).values(**changes)
        stmt = stmt.returning(*model.__table__.c)
    return (await conn.execute(stmt)).first()
