"""Access rules of the groups domain: working groups, their anchors and members.

Group lifecycle and anchors are staff business; a group's anchors manage its members.
"""

from __future__ import annotations

from core.access.declare import Declaration, MutationRule, Scope
from core.access.rules import ANCHOR, STAFF
from core.groups.models import Anchor, Membership, WorkingGroup

GROUP = {"groupId": "WorkingGroup"}

DECLARATIONS: list[Declaration] = [
    Scope("WorkingGroup", WorkingGroup.id, group=WorkingGroup.id, theme=WorkingGroup.theme),
    Scope("Anchor", Anchor.id, group=Anchor.group_id),
    Scope("Membership", Membership.id, group=Membership.group_id),
    MutationRule("workingGroupCreate", STAFF),
    MutationRule("workingGroupUpdate", STAFF, {"id": "WorkingGroup"}),
    MutationRule("anchorSet", STAFF, GROUP),
    MutationRule("anchorRemove", STAFF, GROUP),
    MutationRule("membershipAdd", ANCHOR | STAFF, GROUP),
    MutationRule("membershipRemove", ANCHOR | STAFF, GROUP),
]
