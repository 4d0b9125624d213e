"""Row lookups shared by the core domains' write services (`core/<domain>/services.py`), with the
row locked where the write needs it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.errors import Rejected, user_error
from core.groups.models import WorkingGroup
from core.people.models import Organization, Person
from core.schema.ids import pk_of


def not_found(type_name: str, global_id: str, *field: str) -> Rejected:
    """The NOT_FOUND user error of an ID naming no row (or one the caller may not see)."""
    return Rejected(user_error("NOT_FOUND", f"no {type_name} with id {global_id!r}", *field))


def decode(global_id: str, type_name: str, *field: str) -> int:
    pk = pk_of(global_id, type_name)
    if pk is None:
        raise not_found(type_name, global_id, *field)
    return pk


async def one_or_reject(
    conn: AsyncConnection, stmt: Any, type_name: str, global_id: str, *field: str
) -> Any:
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise not_found(type_name, global_id, *field)
    return row


async def visible_group(
    conn: AsyncConnection, global_id: str, themes: tuple[str, ...], *field: str
) -> Any:
    pk = decode(global_id, "WorkingGroup", *field)
    stmt = select(*WorkingGroup.__table__.c).where(
        WorkingGroup.id == pk, WorkingGroup.theme.in_(themes)
    )
    return await one_or_reject(conn, stmt, "WorkingGroup", global_id, *field)


async def organization(conn: AsyncConnection, global_id: str, *field: str) -> Any:
    pk = decode(global_id, "Organization", *field)
    stmt = select(*Organization.__table__.c).where(Organization.id == pk)
    return await one_or_reject(conn, stmt, "Organization", global_id, *field)


async def person(conn: AsyncConnection, global_id: str, *field: str) -> Any:
    pk = decode(global_id, "Person", *field)
    stmt = select(Person.id).where(Person.id == pk)
    return await one_or_reject(conn, stmt, "Person", global_id, *field)
