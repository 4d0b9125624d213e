"""Demo data: EITI memberships with their dated status history, Validations as the EITI Board
published them, a few well-known projects with their operators, contract disclosures and
beneficial owners.

Idempotent: each row is looked up by its natural key (country, organisation name, project name,
document URL...) and only what is missing is added. Every row that cites a source carries it and
the day it was read there (`retrieved_on`); every row that is not a published value (or could
not be confirmed with its publisher) says so in the data: `illustrative` is True (the invented
contract disclosures and beneficial owners also carry "(illustrative)" in a text field, and
their documents are on example.org).

One module per concern, loaded in this order: demo_statuses (memberships, status history,
suspension reasons), demo_validations (Validations and their Requirement assessments),
demo_projects (operators, projects, contract disclosures, beneficial owners); demo_common holds
what they share.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, models
from plugins.extractives.demo_group import GROUP
from plugins.extractives.demo_projects import load_projects
from plugins.extractives.demo_statuses import load_memberships
from plugins.extractives.demo_validations import load_validations


async def load(conn: AsyncConnection) -> None:
    """The working group, then (in this order) memberships with their status history,
    Validations, and operators with projects, contract disclosures and beneficial owners."""
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries: dict[str, int] = dict(
        (await conn.execute(select(models.Country.alpha2, models.Country.id))).all()
    )
    await load_memberships(conn, countries)
    await load_validations(conn, countries)
    await load_projects(conn, countries)
