"""Commitments linked to each group, on the IRM's scales, per action plan, then per cycle and per
country with the change from one cycle to the next.

One statement: commitment_groups x commitments x action_plans (plans running during the period:
`cycle_start <= to` and `cycle_end >= from`) LEFT JOIN irm_assessments, GROUP BY (group, country,
plan cycle); a plan is one (country, cycle_start) (unique in action_plans), so each row is one
plan's commitments linked to one group. "Ambitious" and "starred" are core/commitments/irm.py's
SQL expressions (`ambitious_sql`, `starred_sql`: the IRM's rules, owned by that domain; a
commitment not assessed, or of a period without stars, counts as neither).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.commitments import irm
from core.commitments.models import ActionPlan, Commitment, CommitmentGroup, IrmAssessment
from core.groups.models import WorkingGroup
from core.people.models import Country
from core.pilot.figures import (
    COMPLETION,
    OPENED,
    CountryFigures,
    CycleFigures,
    IrmChange,
    IrmFigures,
)

GroupIrm = tuple[IrmFigures, list[CycleFigures], list[CountryFigures]]
"""A group's commitments in total, by cycle (all countries), by country (each plan a cycle)."""


def empty() -> GroupIrm:
    return IrmFigures(), [], []


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def statement(themes: Sequence[str], first: date, last: date) -> Any:
    a = IrmAssessment
    plan = ActionPlan
    return (
        select(
            CommitmentGroup.group_id,
            plan.country_id,
            Country.alpha2,
            plan.cohort,
            plan.cycle_start,
            plan.cycle_end,
            func.count(Commitment.id).label("commitments"),
            func.count(a.commitment_id).label("assessed"),
            _count_if(
                or_(a.potential_for_results.is_not(None), a.potential_impact.is_not(None))
            ).label("rated"),
            _count_if(irm.ambitious_sql(a)).label("ambitious"),
            _count_if(irm.starred_sql(a, plan.cycle_start, plan.cycle_end)).label("starred"),
            *(_count_if(a.completion == level).label(f"c_{level}") for level in COMPLETION),
            *(_count_if(a.did_it_open_government == level).label(f"o_{level}") for level in OPENED),
        )
        .select_from(CommitmentGroup)
        .join(WorkingGroup, WorkingGroup.id == CommitmentGroup.group_id)
        .join(Commitment, Commitment.id == CommitmentGroup.commitment_id)
        .join(plan, plan.id == Commitment.action_plan_id)
        .join(Country, Country.id == plan.country_id)
        .outerjoin(a, a.commitment_id == Commitment.id)
        .where(WorkingGroup.theme.in_(themes), plan.cycle_start <= last, plan.cycle_end >= first)
        .group_by(
            CommitmentGroup.group_id,
            plan.country_id,
            Country.alpha2,
            plan.cohort,
            plan.cycle_start,
            plan.cycle_end,
        )
    )


def _figures(row: Any) -> IrmFigures:
    return IrmFigures(
        commitments=int(row.commitments),
        assessed=int(row.assessed),
        rated=int(row.rated),
        ambitious=int(row.ambitious),
        starred=int(row.starred),
        completion={level: int(getattr(row, f"c_{level}")) for level in COMPLETION},
        opened={level: int(getattr(row, f"o_{level}")) for level in OPENED},
    )


def _chain(cycles: Iterable[CycleFigures]) -> list[CycleFigures]:
    """The cycles (OGP's cohort years) in order, each with its change from the one before."""
    ordered = sorted(cycles, key=lambda c: (c.cycle, c.starts_on))
    for before, now in pairwise(ordered):
        now.change = IrmChange.between(now.figures, before.figures)
    return ordered


async def by_group(
    conn: AsyncConnection, themes: Sequence[str], first: date, last: date
) -> dict[int, GroupIrm]:
    """Group id -> its commitments in plans running during `first`..`last`."""
    plans: dict[int, list[Any]] = defaultdict(list)
    for row in await conn.execute(statement(themes, first, last)):
        plans[row.group_id].append(row)
    out: dict[int, GroupIrm] = {}
    for group_id, rows in plans.items():
        total = IrmFigures()
        cycles: dict[str, CycleFigures] = {}
        countries: dict[str, CountryFigures] = {}
        country_cycles: dict[str, dict[str, CycleFigures]] = defaultdict(dict)
        for row in rows:
            figures = _figures(row)
            total.add(figures)
            label = str(row.cohort)  # OGP's "Action Plan Cycle": the plan's cohort year
            cycle = cycles.setdefault(label, CycleFigures(label, row.cycle_start, IrmFigures()))
            cycle.figures.add(figures)
            cycle.starts_on = min(cycle.starts_on, row.cycle_start)
            country = countries.setdefault(
                row.alpha2, CountryFigures(row.country_id, row.alpha2, IrmFigures(), [])
            )
            country.figures.add(figures)
            mine = country_cycles[row.alpha2].setdefault(
                label, CycleFigures(label, row.cycle_start, IrmFigures())
            )
            mine.figures.add(figures)
            mine.starts_on = min(mine.starts_on, row.cycle_start)
        for country in countries.values():
            country.cycles = _chain(country_cycles[country.alpha2].values())
        out[group_id] = (
            total,
            _chain(cycles.values()),
            [countries[code] for code in sorted(countries)],
        )
    return out
