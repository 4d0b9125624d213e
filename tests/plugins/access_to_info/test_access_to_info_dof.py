"""Mexico's 2025 transparency law cites the Diario Oficial de la Federación, the publisher of the
decree, not a newspaper; a database loaded by an earlier demo is corrected when it runs again."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from core.db import Database
from core.testing import GraphQLClient, seed_demo
from plugins.access_to_info.models import RtiLaw

DOF = "https://www.dof.gob.mx/nota_detalle.php?codigo=5752569&fecha=20/03/2025"
NEWSPAPER = (
    "https://www.cuartopoder.mx/nacional/suspendidas-las-solicitudes-de-transparencia/529533"
)
QUERY = """{ country(code: "MX") { rightToInformation {
    name url sourceUrl retrievedOn illustrative inForceSince } } }"""


async def test_mexico_2025_law_cites_the_dof(client: GraphQLClient) -> None:
    law = (await client.execute(QUERY))["country"]["rightToInformation"]
    assert law == {
        "name": "General Law of Transparency and Access to Public Information (2025)",
        "url": DOF,
        "sourceUrl": DOF,
        "retrievedOn": "2026-11-30",
        "illustrative": False,
        "inForceSince": "2025-03-21",
    }


async def test_the_demo_corrects_the_newspaper_citation(demo_db: str) -> None:
    db = Database(demo_db)
    try:
        async with db.write() as conn:  # as an earlier demo loaded it
            await conn.execute(
                update(RtiLaw)
                .where(RtiLaw.source_url == DOF)
                .values(source_url=NEWSPAPER, url=None, retrieved_on=date(2026, 1, 1))
            )
        await seed_demo(demo_db)
        async with db.read() as conn:
            rows = (
                await conn.execute(select(RtiLaw.source_url, RtiLaw.url, RtiLaw.retrieved_on))
            ).all()
    finally:
        await db.dispose()
    assert NEWSPAPER not in {row.source_url for row in rows}
    assert [tuple(r) for r in rows if r.source_url == DOF] == [(DOF, DOF, date(2026, 11, 30))]
