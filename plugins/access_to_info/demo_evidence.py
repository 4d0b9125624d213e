"""The access-to-information demo's right-to-information laws linked as evidence of their
countries' commitments on access to information (issue 10: a plugin's records evidence
commitments), through the core's public API only (`core.find_commitments`,
`core.link_evidence`). Called by `ogp-wg demo` once every demo's data is loaded (hook
`ogp_wg_load_demo_evidence`); idempotent. Which law evidences which commitment is the demo's
choice (illustrative), whatever the law's own source."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import find_commitments, link_evidence, models, to_global_id
from plugins.access_to_info.models import RtiLaw
from plugins.access_to_info.services import LAW_TYPE

TOPICS = ("access-to-information", "right-to-information")


async def link_laws(conn: AsyncConnection) -> int:
    """Link each country's law to its commitments themed access to information that were made
    once the law was adopted; returns how many links exist (0 without such commitments)."""
    stmt = (
        select(RtiLaw.id, RtiLaw.year_adopted, models.Country.alpha2)
        .join(models.Country, models.Country.id == RtiLaw.country_id)
        .order_by(RtiLaw.id)
    )
    linked = 0
    for pk, adopted, country in (await conn.execute(stmt)).all():
        for commitment in await find_commitments(conn, country=country, topics=TOPICS):
            if adopted <= commitment.cycle_end.year:
                record = to_global_id(LAW_TYPE, pk)
                linked += await link_evidence(conn, commitment.reference, record, country=country)
    return linked
