"""Batch loaders of the open parliaments area: each reads ALL the parents of a level at once.

Every relation is declared with `@relation(load_fn)` (types.py): `load_fn(ctx, keys)` reads the
rows of ALL the parents at one level of the query in ONE statement and returns one value per key,
in key order, so a list of legislatures with their chambers and indicators costs one statement per
level, whatever its length. The `*_by_id` loaders serve `node(id:)`. The plain relations are
declared (`core.rows_by_key`, `core.rows_grouped_by`: table, key, order); the others, which join
organisations or groups, or count, are functions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select, union

from core import MAX_PAGE_SIZE, Context, from_row, models, rows_by_key, rows_grouped_by
from plugins.open_parliaments.enums import ChamberKind, OpennessIndicator
from plugins.open_parliaments.models import Chamber as ChamberRow
from plugins.open_parliaments.models import Endorsement as EndorsementRow
from plugins.open_parliaments.models import Legislature as LegislatureRow
from plugins.open_parliaments.models import MonitoringOrganization as MonitoringRow
from plugins.open_parliaments.models import OpennessCheck as CheckRow

# Chambers and indicators are listed in the order of their enumerations.
KIND_ORDER = case({kind: i for i, kind in enumerate(ChamberKind)}, value=ChamberRow.kind)
INDICATOR_ORDER = case(
    {indicator: i for i, indicator in enumerate(OpennessIndicator)}, value=CheckRow.indicator
)

load_chambers_by_legislature = rows_grouped_by(
    ChamberRow.legislature_id, lambda: types.Chamber, order_by=(KIND_ORDER, ChamberRow.id)
)
load_chambers = rows_by_key(ChamberRow.id, lambda: types.Chamber)
load_legislatures = rows_by_key(LegislatureRow.id, lambda: types.Legislature)
load_legislature_by_country = rows_by_key(LegislatureRow.country_id, lambda: types.Legislature)
load_indicators_by_chamber = rows_grouped_by(
    CheckRow.chamber_id,
    lambda: types.ChamberOpennessIndicator,
    order_by=(INDICATOR_ORDER, CheckRow.id),
)


def _grouped(
    rows: Any, keys: list[int], attr: str, type_: type, first: int = MAX_PAGE_SIZE
) -> list[list[Any]]:
    """A list of `type_` per key (possibly empty), in the rows' order, matching `row.<attr>`,
    at most `first` per key (the field's `first`, which the limits layer keeps in 1..100)."""
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        group = found[getattr(row, attr)]
        if len(group) < first:
            group.append(from_row(type_, row))
    return [found.get(key, []) for key in keys]


# A PMO's organisation's name, for the order (its organization_id is NOT NULL, a foreign key:
# every PMO has one), as an expression over the PMO's own row rather than a join, so the list is
# a declaration the compiled read path reads too.
MONITOR_NAME = (
    select(models.Organization.name)
    .where(models.Organization.id == MonitoringRow.organization_id)
    .scalar_subquery()
)
load_monitors_by_legislature = rows_grouped_by(
    MonitoringRow.legislature_id,
    lambda: types.ParliamentaryMonitoringOrganization,
    order_by=(MONITOR_NAME, MonitoringRow.id),  # by organisation name
)


async def load_endorsement_count(ctx: Context, keys: list[int]) -> list[int]:
    """The same figure for every group: all endorsements recorded."""
    async with ctx.db.read() as conn:
        count = await conn.scalar(select(func.count()).select_from(EndorsementRow))
    return [int(count or 0)] * len(keys)


async def load_member_endorsements(
    ctx: Context, keys: list[int], first: int = MAX_PAGE_SIZE
) -> list[list[types.DeclarationEndorsement]]:
    """Endorsements by each group's anchors and member organisations, earliest first."""
    participants = union(
        select(models.Anchor.group_id, models.Anchor.organization_id).where(
            ctx.db.any_of(models.Anchor.group_id, keys)
        ),
        select(models.Membership.group_id, models.Membership.organization_id).where(
            ctx.db.any_of(models.Membership.group_id, keys)
        ),
    ).subquery()
    stmt = (
        select(*EndorsementRow.__table__.c, participants.c.group_id)
        .join(participants, participants.c.organization_id == EndorsementRow.organization_id)
        .order_by(EndorsementRow.endorsed_on, EndorsementRow.id)
    )
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    return _grouped(rows, keys, "group_id", types.DeclarationEndorsement, first)


# --- by primary key, for node(id:) -------------------------------------------------------------

indicators_by_id = rows_by_key(CheckRow.id, lambda: types.ChamberOpennessIndicator)
endorsements_by_id = rows_by_key(EndorsementRow.id, lambda: types.DeclarationEndorsement)
monitors_by_id = rows_by_key(MonitoringRow.id, lambda: types.ParliamentaryMonitoringOrganization)

# Named loaders of the `ogp_wg_loaders` hook.
LOADERS: dict[str, Any] = {"open_parliaments_legislature_by_country": load_legislature_by_country}

# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.open_parliaments import types  # noqa: E402
