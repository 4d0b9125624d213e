"""Open data plugin, demo data: idempotent, including over adopters migrated from revision 0001."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, insert, select

from core.db import Database
from core.testing import seed_demo
from plugins.open_data.models import (
    CharterAdopter,
    CharterEndorser,
    DataPortal,
    HighValueDataset,
    OdinScore,
    OpenDataCharterLevel,
)

TABLES = (CharterAdopter, CharterEndorser, DataPortal, HighValueDataset, OdinScore)


async def _counts(db: Database) -> list[int]:
    async with db.read() as conn:
        return [
            (await conn.execute(select(func.count()).select_from(t))).scalar_one() for t in TABLES
        ]


async def test_demo_is_idempotent(demo_db: str) -> None:
    db = Database(demo_db)
    try:
        before = await _counts(db)
        assert all(before)
        await seed_demo(demo_db)
        assert await _counts(db) == before
    finally:
        await db.dispose()


async def test_demo_keeps_a_national_adopter_migrated_under_another_name(demo_db: str) -> None:
    """Revision 0002 names a migrated national adopter 'Government of <country name>'."""
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            uk = CharterAdopter.government == "Government of the United Kingdom"
            country_id = (await conn.execute(select(CharterAdopter.country_id).where(uk))).scalar()
            await conn.execute(delete(CharterAdopter).where(uk))
            await conn.execute(
                insert(CharterAdopter).values(
                    country_id=country_id,
                    government="Government of United Kingdom",
                    level=OpenDataCharterLevel.NATIONAL,
                    adopted_on=date(2015, 10, 28),
                    illustrative=True,  # as migrated rows are (no retrieval date)
                )
            )
        await seed_demo(demo_db)
        async with db.read() as conn:
            stmt = select(CharterAdopter.government).where(CharterAdopter.country_id == country_id)
            assert (await conn.execute(stmt)).scalars().all() == ["Government of United Kingdom"]
    finally:
        await db.dispose()
