"""The extractives demo's beneficial-ownership disclosures linked as evidence of their countries'
commitments on beneficial ownership (issue 10: a plugin's records evidence commitments), through
the core's public API only (`core.find_commitments`, `core.link_evidence`). Part of the
extractives demo (demo.py); idempotent. The disclosures are illustrative (demo_projects.py), and
so is each link: which commitment a disclosure evidences is the demo's choice."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import find_commitments, link_evidence, models, to_global_id
from plugins.extractives.models import BeneficialOwnershipDisclosure
from plugins.extractives.services import OWNER

TOPICS = ("beneficial-ownership",)


async def link_disclosures(conn: AsyncConnection) -> int:
    """Link each disclosure to the beneficial-ownership commitments of its country whose plan's
    cycle had begun by the day it was disclosed; returns how many links exist (0 when the
    commitments' demo data is absent)."""
    stmt = (
        select(BeneficialOwnershipDisclosure.id, BeneficialOwnershipDisclosure.disclosed_on)
        .add_columns(models.Country.alpha2)
        .join(models.Country, models.Country.id == BeneficialOwnershipDisclosure.country_id)
        .order_by(BeneficialOwnershipDisclosure.id)
    )
    linked = 0
    for pk, disclosed_on, country in (await conn.execute(stmt)).all():
        for commitment in await find_commitments(conn, country=country, topics=TOPICS):
            if commitment.cycle_start <= disclosed_on:
                record = to_global_id(OWNER, pk)
                linked += await link_evidence(conn, commitment.reference, record, country=country)
    return linked
