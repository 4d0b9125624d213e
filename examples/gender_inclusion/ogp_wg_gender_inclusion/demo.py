"""Demo data: a gender and inclusion working group and some action-plan commitments.

ILLUSTRATIVE ONLY: the commitments below are modelled on the kinds of commitment OGP members make
(see README.md), not copied from their action plans; each title says so. Check the OGP website
before citing anything.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, enums, models

from .models import Commitment, Completion, TargetGroup

SLUG = "gender-and-inclusion"
ILLUSTRATIVE = " (illustrative)"
MEMBERS = [  # organisations of the core demo data, by name
    "Government of Canada (Treasury Board Secretariat)",
    "Fundar, Centro de Análisis e Investigación",
    "Mzalendo Trust",
    "Government of the Philippines (Department of Budget and Management)",
]
T, S = TargetGroup, Completion
# (country, action plan cycle, group targeted, status, title); a gender focus unless GENERAL_PUBLIC
COMMITMENTS = [
    ("CA", "2022-2024", T.WOMEN_AND_GIRLS, S.SUBSTANTIAL, "Feminist dialogue with civil society"),
    ("CA", "2022-2024", T.WOMEN_AND_GIRLS, S.COMPLETE, "Open data from gender-based analysis"),
    ("MX", "2022-2024", T.WOMEN_AND_GIRLS, S.LIMITED, "Public information on care services"),
    ("KE", "2023-2027", T.WOMEN_AND_GIRLS, S.NOT_STARTED, "Beneficial ownership data by gender"),
    ("PH", "2023-2028", T.PERSONS_WITH_DISABILITIES, S.NOT_STARTED, "Accessible public services"),
    ("PH", "2023-2028", T.GENERAL_PUBLIC, S.LIMITED, "Open contracting for local infrastructure"),
    ("AR", "2022-2024", T.WOMEN_AND_GIRLS, S.COMPLETE, "Gender-responsive budget tagging"),
    ("NZ", "2023-2024", T.INDIGENOUS_PEOPLES, S.SUBSTANTIAL, "Māori participation in policy"),
    ("CO", "2023-2025", T.YOUTH, S.LIMITED, "Youth participation in local open government"),
]


GROUP = demo_groups.GroupSpec(
    slug=SLUG,
    theme="gender_inclusion",
    name="Gender and Inclusion",
    summary="Open government that works for women, girls and under-represented groups.",
    description="Illustrative demo group of the gender_inclusion example plugin.",
    status=enums.GroupStatus.PROPOSED,
    members=[(name, enums.MembershipRole.MEMBER, None) for name in MEMBERS],
)


async def load(conn: AsyncConnection) -> None:
    """Add what is missing (idempotent): the group and its members (core.demo_groups), then the
    commitments."""
    await demo_groups.load(conn, GROUP)
    countries = dict((await conn.execute(select(models.Country.alpha2, models.Country.id))).all())
    stmt = select(Commitment.country_id, Commitment.action_plan_cycle, Commitment.title)
    existing = set((await conn.execute(stmt)).all())
    rows = [
        {
            "country_id": countries[code],
            "action_plan_cycle": cycle,
            "title": title + ILLUSTRATIVE,
            "gender_focus": target is not TargetGroup.GENERAL_PUBLIC,
            "target_group": target,
            "status": status,
        }
        for code, cycle, target, status, title in COMMITMENTS
        if code in countries and (countries[code], cycle, title + ILLUSTRATIVE) not in existing
    ]
    if rows:
        await conn.execute(insert(Commitment), rows)
