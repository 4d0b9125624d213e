"""Batch loaders of the open parliaments area: each reads ALL the parents of a level at once.

Every relation is declared with `@relation(load_fn)` (types.py): `load_fn(ctx, keys)` reads the
rows of ALL the parents at one level of the query in ONE statement and returns one value per key,
in key order, so a list of legislatures with their chambers and indicators costs one statement per
level, whatever its length. The `*_by_id` loaders serve `node(id:)`. The plain relations are
declared (`core.rows_by_key`, `core.rows_grouped_by`: table, key, order; through a group's
organisations, `through=core.GROUP_ORGANIZATIONS`); the others, which count, are functions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from core import (
    GROUP_ORGANIZATIONS,
    models,
    rows_by_key,
    rows_grouped_by,
)
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


_ENDORSEMENTS = (
    select(
        models.WorkingGroup.id.label("group_id"),
        select(func.count()).select_from(EndorsementRow).scalar_subquery().label("endorsements"),
    )
).subquery("open_parliaments_endorsement_counts")
load_endorsement_count = rows_by_key(_ENDORSEMENTS.c.group_id, build=lambda row: row.endorsements)
"""The same figure for every group (a row for each: never None): all endorsements recorded."""


load_member_endorsements = rows_grouped_by(
    EndorsementRow.organization_id,
    lambda: types.DeclarationEndorsement,
    order_by=(EndorsementRow.endorsed_on, EndorsementRow.id),
    through=(GROUP_ORGANIZATIONS.c.group_id, GROUP_ORGANIZATIONS.c.organization_id),
)
"""Endorsements by each group's anchors and member organisations, earliest first."""


# --- by primary key, for node(id:) -------------------------------------------------------------

indicators_by_id = rows_by_key(CheckRow.id, lambda: types.ChamberOpennessIndicator)
endorsements_by_id = rows_by_key(EndorsementRow.id, lambda: types.DeclarationEndorsement)
monitors_by_id = rows_by_key(MonitoringRow.id, lambda: types.ParliamentaryMonitoringOrganization)

# Named loaders of the `ogp_wg_loaders` hook.
LOADERS: dict[str, Any] = {"open_parliaments_legislature_by_country": load_legislature_by_country}

# Imported last, not first: types.py needs this module's loaders while its classes are being
# defined, and the loaders above need `types` only when they run (as in core.schema.loaders).
from plugins.open_parliaments import types  # noqa: E402
