"""The open data demo's Open Data Charter adoptions linked as evidence of their countries'
commitments on open data (issue 10: a plugin's records evidence commitments), through the core's
public API only (`core.find_commitments`, `core.link_evidence`). Called by `ogp-wg demo` once
every demo's data is loaded (hook `ogp_wg_load_demo_evidence`); idempotent. Which adoption
evidences which commitment is the demo's choice (illustrative), whatever the adoption's own
source."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import find_commitments, link_evidence, models, to_global_id
from plugins.open_data.models import CharterAdopter, OpenDataCharterLevel

TOPICS = ("open-data",)


async def link_adoptions(conn: AsyncConnection) -> int:
    """Link each national government's adoption of the Charter to its country's open-data
    commitments; returns how many links exist (0 without such commitments)."""
    stmt = (
        select(CharterAdopter.id, models.Country.alpha2)
        .join(models.Country, models.Country.id == CharterAdopter.country_id)
        .where(CharterAdopter.level == OpenDataCharterLevel.NATIONAL)
        .order_by(CharterAdopter.id)
    )
    linked = 0
    for pk, country in (await conn.execute(stmt)).all():
        for commitment in await find_commitments(conn, country=country, topics=TOPICS):
            record = to_global_id("OpenDataCharterAdopter", pk)
            linked += await link_evidence(conn, commitment.reference, record, country=country)
    return linked
