"""Loading action plans and commitments from a checked file (`ogp-wg commitments import`,
docs/commitments-import.md), all or nothing.

`check()` reads the file (core/commitments/import_format.py: every record validated on its own,
then against the others) and against the database (the countries and working groups it names),
and returns every problem found. `load()` writes the records in ONE transaction, each in a
savepoint: a record the database still refuses (a constraint or trigger the checks did not
foresee) is reported with its line or item, the others are still tried so that every refusal is
reported at once, and then everything is rolled back. Nothing is written unless every record is
written.

Idempotent by natural keys: an action plan is (country, cycle_start), a commitment (its plan,
reference). A record already loaded as it is changes nothing; one that differs updates the plan
and the commitment, sets the commitment's themes to the file's, adds the groups it names (links
made through the API stay), sets its milestones by position (1, 2, ... as listed: later ones the
file no longer lists are removed) and, when the record has an assessment, replaces it (a record
without one leaves an existing assessment alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.commitments.import_format import FileError, Parsed, Problem, cross_check, parse
from core.commitments.import_record import Record
from core.commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentGroup,
    CommitmentTopic,
    IrmAssessment,
    Milestone,
)
from core.db import Database, utcnow
from core.models import Country, WorkingGroup
from core.transactions import ConstraintErrors

__all__ = ["FileError", "Problem", "Refused", "Report", "check", "load"]


class Refused(Exception):
    """Some records cannot be loaded; nothing was. `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class Report:
    """What `load` did: per kind of row, added / updated / unchanged."""

    action_plans: Counts = field(default_factory=Counts)
    commitments: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class Checked:
    """A file whose every record is good: the records in file order, where each was, and the
    ids of the countries and groups they name."""

    items: list[Parsed]
    countries: dict[str, int]
    groups: dict[str, int]

    def __len__(self) -> int:
        return len(self.items)


async def check(db: Database, path: Path, kind: str | None = None) -> Checked:
    """Every record of the file checked, the database read (never written). Raises FileError
    when the file cannot be read at all, Refused with every problem found otherwise."""
    parsed = parse(path, kind)
    problems = [p for item in parsed for p in item.problems]
    problems += cross_check(parsed)
    records = [item.record for item in parsed if item.record is not None]
    codes = {r.action_plan.country for r in records}
    slugs = {slug for r in records for slug in r.groups}
    async with db.read() as conn:
        countries = dict(
            (
                await conn.execute(
                    select(Country.alpha2, Country.id).where(Country.alpha2.in_(codes))
                )
            ).all()
        )
        groups = dict(
            (
                await conn.execute(
                    select(WorkingGroup.slug, WorkingGroup.id).where(WorkingGroup.slug.in_(slugs))
                )
            ).all()
        )
    for item in parsed:
        record = item.record
        if record is None:
            continue
        if record.action_plan.country not in countries:
            problems.append(
                Problem(
                    item.where,
                    f"country {record.action_plan.country}: no country has that ISO 3166-1 "
                    "alpha-2 code (load the countries first: `ogp-wg demo`, or add them)",
                )
            )
        unknown = [slug for slug in record.groups if slug not in groups]
        if unknown:
            problems.append(
                Problem(
                    item.where, f"groups: no working group has the slug(s) {', '.join(unknown)}"
                )
            )
    if not parsed:
        problems.append(Problem("file", "no records: nothing to load"))
    if problems:
        order = {record_of(item.where): n for n, item in enumerate(parsed)}
        raise Refused(sorted(problems, key=lambda p: order.get(record_of(p.where), -1)))
    return Checked(parsed, countries, groups)


def record_of(where: str) -> str:
    """The record a place is in: "line 4" of "line 4, column title"; "line 4 (item 2" of a
    JSON item's "line 4 (item 2)" and "line 4 (item 2, /2/title)" (items may share a line)."""
    return where.split(",")[0].rstrip(")")


async def load(
    db: Database,
    checked: Checked,
    constraint_errors: ConstraintErrors,
    progress: Callable[[], None] = lambda: None,
) -> Report:
    """Write every record of `checked` in one transaction (see the module's docstring);
    `progress()` is called after each record. Raises Refused (nothing written) when the
    database refuses some record."""
    report = Report()
    problems: list[Problem] = []
    positions = _default_positions(checked.items)
    async with db.write() as conn:
        plans: dict[tuple[str, date], int] = {}
        for n, item in enumerate(checked.items):
            record = item.record
            assert record is not None  # checked
            try:
                async with conn.begin_nested():
                    plan_id = plans.get(record.action_plan.key())
                    if plan_id is None:
                        plan_id = await _plan(conn, record, checked.countries, report)
                        plans[record.action_plan.key()] = plan_id
                    await _commitment(conn, plan_id, record, positions[n], checked.groups, report)
            except IntegrityError as exc:
                found = constraint_errors.user_error(exc)
                names = constraint_errors.constraint_names(exc)
                named = f" (constraint {', '.join(names)})" if names else f" ({_reason(exc)})"
                problems.append(
                    Problem(
                        item.where, f"the database refused it: {found.code}: {found.message}{named}"
                    )
                )
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                problems.append(Problem(item.where, f"the database refused it: {_reason(exc)}"))
            progress()
        if problems:
            raise Refused(problems)  # leaving the block rolls the transaction back
    return report


def _reason(exc: DBAPIError) -> str:
    """The driver's own words, first line (SQLAlchemy's wrapper adds a link)."""
    words = str(exc.orig or exc).strip().splitlines()
    return words[0] if words else type(exc).__name__


def _default_positions(items: list[Parsed]) -> list[int]:
    """Each record's position in its plan: its own, else its place among the plan's records."""
    seen: dict[tuple[str, date], int] = {}
    positions: list[int] = []
    for item in items:
        assert item.record is not None
        key = item.record.action_plan.key()
        seen[key] = seen.get(key, 0) + 1
        positions.append(item.record.position or seen[key])
    return positions


def _differs(row: Any, values: dict[str, Any]) -> bool:
    return row is None or any(getattr(row, k) != v for k, v in values.items())


async def _plan(
    conn: AsyncConnection, record: Record, countries: dict[str, int], report: Report
) -> int:
    plan = record.action_plan
    values = {
        "title": plan.title,
        "cycle_end": plan.cycle_end,
        "submitted_on": plan.submitted_on,
        "cohort": plan.cohort,
        "source_url": plan.source_url,
        "illustrative": plan.illustrative,
    }
    key = (ActionPlan.country_id == countries[plan.country]) & (
        ActionPlan.cycle_start == plan.cycle_start
    )
    row = (await conn.execute(select(*ActionPlan.__table__.c).where(key))).first()
    if row is None:
        stmt = insert(ActionPlan).values(
            country_id=countries[plan.country], cycle_start=plan.cycle_start, **values,
            created_at=utcnow(),
        )  # fmt: skip
        report.action_plans.added += 1
        return int((await conn.execute(stmt.returning(ActionPlan.id))).scalar_one())
    if _differs(row, values):
        await conn.execute(update(ActionPlan).where(ActionPlan.id == row.id).values(**values))
        report.action_plans.updated += 1
    else:
        report.action_plans.unchanged += 1
    return int(row.id)


async def _commitment(
    conn: AsyncConnection,
    plan_id: int,
    record: Record,
    position: int,
    groups: dict[str, int],
    report: Report,
) -> None:
    values: dict[str, Any] = {
        "position": position,
        "title": record.title,
        "description": record.description,
        "lead_institution": record.lead_institution,
        "illustrative": record.illustrative,
        "source_url": record.source_url,
    }
    key = (Commitment.action_plan_id == plan_id) & (Commitment.reference == record.reference)
    row = (await conn.execute(select(*Commitment.__table__.c).where(key))).first()
    now = utcnow()
    if row is None:
        stmt = insert(Commitment).values(
            action_plan_id=plan_id, reference=record.reference, **values, created_at=now,
            updated_at=now,
        )  # fmt: skip
        commitment_id = int((await conn.execute(stmt.returning(Commitment.id))).scalar_one())
        changed = True
    else:
        commitment_id = int(row.id)
        changed = _differs(row, values)
        if changed:
            stmt2 = update(Commitment).where(Commitment.id == commitment_id)
            await conn.execute(stmt2.values(**values, updated_at=now))
    changed |= await _topics(conn, commitment_id, record.themes)
    changed |= await _groups(conn, commitment_id, [groups[slug] for slug in record.groups])
    changed |= await _milestones(conn, commitment_id, record)
    changed |= await _assessment(conn, commitment_id, record)
    counts = report.commitments
    if row is None:
        counts.added += 1
    elif changed:
        counts.updated += 1
    else:
        counts.unchanged += 1


async def _topics(conn: AsyncConnection, commitment_id: int, topics: list[str]) -> bool:
    stmt = select(CommitmentTopic.topic).where(CommitmentTopic.commitment_id == commitment_id)
    have = set((await conn.execute(stmt)).scalars())
    gone, new = have - set(topics), [t for t in topics if t not in have]
    if gone:
        await conn.execute(
            delete(CommitmentTopic).where(
                CommitmentTopic.commitment_id == commitment_id, CommitmentTopic.topic.in_(gone)
            )
        )
    if new:
        rows = [{"commitment_id": commitment_id, "topic": t} for t in new]
        await conn.execute(insert(CommitmentTopic), rows)
    return bool(gone or new)


async def _groups(conn: AsyncConnection, commitment_id: int, group_ids: list[int]) -> bool:
    stmt = select(CommitmentGroup.group_id).where(CommitmentGroup.commitment_id == commitment_id)
    have = set((await conn.execute(stmt)).scalars())
    new = [g for g in group_ids if g not in have]
    if new:
        now = utcnow()
        rows = [{"commitment_id": commitment_id, "group_id": g, "linked_at": now} for g in new]
        await conn.execute(insert(CommitmentGroup), rows)
    return bool(new)


async def _milestones(conn: AsyncConnection, commitment_id: int, record: Record) -> bool:
    stmt = select(*Milestone.__table__.c).where(Milestone.commitment_id == commitment_id)
    have = {row.position: row for row in (await conn.execute(stmt)).all()}
    changed = False
    for position, milestone in enumerate(record.milestones, start=1):
        values = {"title": milestone.title, "due_on": milestone.due_on, "status": milestone.status}
        row = have.get(position)
        if row is None:
            await conn.execute(
                insert(Milestone).values(commitment_id=commitment_id, position=position, **values)
            )
            changed = True
        elif _differs(row, values):
            await conn.execute(update(Milestone).where(Milestone.id == row.id).values(**values))
            changed = True
    extra = [row.id for position, row in have.items() if position > len(record.milestones)]
    if extra:
        await conn.execute(delete(Milestone).where(Milestone.id.in_(extra)))
        changed = True
    return changed


async def _assessment(conn: AsyncConnection, commitment_id: int, record: Record) -> bool:
    if record.irm is None:
        return False
    values = record.irm.model_dump()
    key = IrmAssessment.commitment_id == commitment_id
    row = (await conn.execute(select(*IrmAssessment.__table__.c).where(key))).first()
    if row is None:
        await conn.execute(
            insert(IrmAssessment).values(
                commitment_id=commitment_id, **values, recorded_at=utcnow()
            )
        )
        return True
    if not _differs(row, values):
        return False
    await conn.execute(update(IrmAssessment).where(key).values(**values, recorded_at=utcnow()))
    return True
