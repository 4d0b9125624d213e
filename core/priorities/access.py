"""Access rules of the priorities domain: priority areas, positions, consensus rules.

Priority areas, positions and the rule are public (what a group agreed, and who stood where, is
the point of an open process). A group's member organisations and anchors propose areas and take
positions (the service checks the organisation belongs to the group's consensus body: observers
do not); its anchors open, reschedule, close and archive discussions and set its rule; staff may
do everything.
"""

from __future__ import annotations

from sqlalchemy import select

from core.access.declare import Declaration, MutationRule, Scope
from core.access.rules import ANCHOR, MEMBER, STAFF
from core.priorities.models import PriorityArea, PriorityAreaPosition

AREA = {"id": "PriorityArea"}
AREA_OF_POSITION = {"priorityAreaId": "PriorityArea"}
GROUP = {"groupId": "WorkingGroup"}

DECLARATIONS: list[Declaration] = [
    Scope("PriorityArea", PriorityArea.id, group=PriorityArea.group_id),
    Scope(
        "PriorityAreaPosition",
        PriorityAreaPosition.id,
        group=select(PriorityArea.group_id)
        .where(PriorityArea.id == PriorityAreaPosition.priority_area_id)
        .correlate_except(PriorityArea)
        .scalar_subquery(),
    ),
    MutationRule("priorityAreaPropose", MEMBER | ANCHOR | STAFF, GROUP),
    MutationRule("priorityAreaOpen", ANCHOR | STAFF, AREA),
    MutationRule("priorityAreaClosingDateSet", ANCHOR | STAFF, AREA),
    MutationRule("priorityAreaClose", ANCHOR | STAFF, AREA),
    MutationRule("priorityAreaArchive", ANCHOR | STAFF, AREA),
    MutationRule("priorityAreaPositionTake", MEMBER | ANCHOR | STAFF, AREA_OF_POSITION),
    MutationRule("priorityAreaObjectionWithdraw", MEMBER | ANCHOR | STAFF, AREA_OF_POSITION),
    MutationRule("consensusRuleSet", ANCHOR | STAFF, GROUP),
]
