"""People as the CLI names them, and the staff role (OGP Support Unit): granted and revoked only
from the command line, never through the API."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.auth.tokens import TokenError
from core.db import utcnow
from core.models import Person, StaffRole


async def find_person(conn: AsyncConnection, ident: str) -> tuple[int, str | None]:
    """(id, e-mail) of the person `ident` names: a database id, or an e-mail address (any
    case). Raises TokenError when there is none."""
    ident = ident.strip()
    if ident.isdigit():
        condition = Person.id == int(ident)
    elif "@" in ident:
        condition = func.lower(Person.email) == ident.lower()
    else:
        raise TokenError(f"--person {ident!r}: give a person's id or e-mail address")
    row = (await conn.execute(select(Person.id, Person.email).where(condition))).first()
    if row is None:
        raise TokenError(f"no person {ident!r}")
    return row.id, row.email


async def grant_staff(conn: AsyncConnection, person_id: int, granted_by: str) -> bool:
    """Make the person staff; False if they already were."""
    exists = await conn.scalar(select(StaffRole.person_id).where(StaffRole.person_id == person_id))
    if exists is not None:
        return False
    await conn.execute(
        insert(StaffRole).values(person_id=person_id, granted_at=utcnow(), granted_by=granted_by)
    )
    return True


async def revoke_staff(conn: AsyncConnection, person_id: int) -> bool:
    """Take the staff role away; False if the person was not staff."""
    result = await conn.execute(delete(StaffRole).where(StaffRole.person_id == person_id))
    return bool(result.rowcount)
