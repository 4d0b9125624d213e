"""Batch loaders of the priorities domain: priority areas and positions (of visible groups only),
their countries and thematic records, the consensus tally and each group's rule.

Each runs a fixed number of statements for all the parents a level of the query has
(core.loading), whatever the number of parents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.context import Context
from core.groups.models import WorkingGroup
from core.groups.visible import in_visible_groups, visible_theme
from core.hookspecs import BatchLoadFn
from core.people.models import Country
from core.priorities import consensus
from core.priorities.models import (
    ConsensusRule,
    PriorityArea,
    PriorityAreaCountry,
    PriorityAreaPosition,
    PriorityAreaRecord,
)
from core.rows import PagesByKey, pages_by_key
from core.schema.batch import by_key, fetch_rows, grouped


def _areas_of_visible_groups(ctx: Context) -> Any:
    return (
        select(PriorityArea.id)
        .join(WorkingGroup, WorkingGroup.id == PriorityArea.group_id)
        .where(visible_theme(ctx))
    )


async def priority_areas_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = in_visible_groups(ctx, PriorityArea, PriorityArea.group_id)
    stmt = stmt.where(ctx.db.any_of(PriorityArea.id, keys))
    return by_key(await fetch_rows(ctx, stmt), keys, types.PriorityArea.from_row)


async def positions_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    p = PriorityAreaPosition
    stmt = select(*p.__table__.c).where(
        ctx.db.any_of(p.id, keys), p.priority_area_id.in_(_areas_of_visible_groups(ctx))
    )
    return by_key(await fetch_rows(ctx, stmt), keys, types.PriorityAreaPosition.from_row)


# newest first: what a group is discussing now comes before what it settled years ago
priority_areas_by_group: PagesByKey[Any] = pages_by_key(
    PriorityArea.group_id,
    lambda: types.PriorityArea,
    order_by=(PriorityArea.created_at.desc(), PriorityArea.id.desc()),
    filters={"status": PriorityArea.status},
)
positions_by_area: PagesByKey[Any] = pages_by_key(
    PriorityAreaPosition.priority_area_id,
    lambda: types.PriorityAreaPosition,
    order_by=(PriorityAreaPosition.taken_at.desc(), PriorityAreaPosition.id.desc()),
    filters={"current": PriorityAreaPosition.is_current},
)
positions_by_organization: PagesByKey[Any] = pages_by_key(
    PriorityAreaPosition.organization_id,
    lambda: types.PriorityAreaPosition,
    order_by=(PriorityAreaPosition.taken_at.desc(), PriorityAreaPosition.id.desc()),
    where=lambda ctx: PriorityAreaPosition.priority_area_id.in_(_areas_of_visible_groups(ctx)),
    filters={"current": PriorityAreaPosition.is_current},
)


async def countries_by_area(ctx: Context, keys: list[int]) -> list[list[Any]]:
    from core.people import types as people_types

    stmt = (
        select(*Country.__table__.c, PriorityAreaCountry.priority_area_id.label("_key"))
        .join(PriorityAreaCountry, PriorityAreaCountry.country_id == Country.id)
        .where(ctx.db.any_of(PriorityAreaCountry.priority_area_id, keys))
        .order_by(Country.name, Country.id)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", people_types.Country.from_row)


async def record_ids_by_area(ctx: Context, keys: list[int]) -> list[list[str]]:
    stmt = (
        select(PriorityAreaRecord.priority_area_id.label("_key"), PriorityAreaRecord.record_id)
        .where(ctx.db.any_of(PriorityAreaRecord.priority_area_id, keys))
        .order_by(PriorityAreaRecord.position)
    )
    return grouped(await fetch_rows(ctx, stmt), keys, "_key", lambda row: row.record_id)


async def rules_by_group(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = select(*ConsensusRule.__table__.c).where(ctx.db.any_of(ConsensusRule.group_id, keys))
    found = {row.group_id: row for row in await fetch_rows(ctx, stmt)}
    return [types.ConsensusRule.of(consensus.rule_of(found.get(key))) for key in keys]


async def consensus_by_area(ctx: Context, keys: list[int]) -> list[Any]:
    """The recorded count and rule of a closed area; the live ones of any other."""
    areas = await fetch_rows(
        ctx,
        select(
            PriorityArea.id,
            PriorityArea.group_id,
            PriorityArea.agreed,
            PriorityArea.endorsements,
            PriorityArea.objections,
            PriorityArea.participants,
            PriorityArea.member_organizations,
            PriorityArea.rule_objections_block,
            PriorityArea.rule_min_endorsement_share,
        ).where(ctx.db.any_of(PriorityArea.id, keys)),
    )
    groups = sorted({row.group_id for row in areas})
    tallies = {
        row.priority_area_id: row
        for row in await fetch_rows(
            ctx,
            consensus.tally_statement().where(
                ctx.db.any_of(PriorityAreaPosition.priority_area_id, keys)
            ),
        )
    }
    stmt = consensus.body_count_statement()
    body = stmt.selected_columns
    sizes = dict(await fetch_rows(ctx, stmt.where(ctx.db.any_of(body[0], groups))))
    rules_stmt = select(*ConsensusRule.__table__.c).where(
        ctx.db.any_of(ConsensusRule.group_id, groups)
    )
    rules = {row.group_id: row for row in await fetch_rows(ctx, rules_stmt)}
    found: dict[int, Any] = {}
    for area in areas:
        if area.agreed is not None:
            rule = consensus.Rule(area.rule_objections_block, area.rule_min_endorsement_share)
            tally = consensus.Tally(
                area.endorsements, area.objections, area.participants, area.member_organizations
            )
            found[area.id] = types.Consensus.of(rule, tally, recorded=True)
            continue
        counts = tallies.get(area.id)
        tally = consensus.Tally(
            int(counts.endorsements) if counts else 0,
            int(counts.objections) if counts else 0,
            int(counts.participants) if counts else 0,
            int(sizes.get(area.group_id, 0)),
        )
        rule = consensus.rule_of(rules.get(area.group_id))
        found[area.id] = types.Consensus.of(rule, tally, recorded=False)
    return [found.get(key) for key in keys]


LOADERS: dict[str, BatchLoadFn] = {
    "priority_areas_by_id": priority_areas_by_id,
    "priority_area_positions_by_id": positions_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: why, in core/groups/loaders.py.
from core.priorities import types  # noqa: E402
