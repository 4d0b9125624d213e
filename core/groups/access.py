"""Access rules of the groups domain: working groups, their anchors and members.

Anyone signed in may propose a group; the Steering Committee's decisions (a group's status, its
anchor allowance) and anchors are recorded by staff; a group's anchors manage its members.
Decisions are public, like the group itself.
"""

from __future__ import annotations

from core.access.declare import Declaration, MutationRule, Scope
from core.access.rules import ANCHOR, SIGNED_IN, STAFF
from core.groups.models import Anchor, GroupDecision, Membership, WorkingGroup

GROUP = {"groupId": "WorkingGroup"}

DECLARATIONS: list[Declaration] = [
    Scope("WorkingGroup", WorkingGroup.id, group=WorkingGroup.id, theme=WorkingGroup.theme),
    Scope("Anchor", Anchor.id, group=Anchor.group_id),
    Scope("Membership", Membership.id, group=Membership.group_id),
    Scope("GroupDecision", GroupDecision.id, group=GroupDecision.group_id),
    MutationRule("workingGroupPropose", SIGNED_IN),
    MutationRule("groupDecisionRecord", STAFF, GROUP),
    MutationRule("workingGroupCreate", STAFF),
    MutationRule("workingGroupUpdate", STAFF, {"id": "WorkingGroup"}),
    MutationRule("anchorSet", STAFF, GROUP),
    MutationRule("anchorRemove", STAFF, GROUP),
    MutationRule("membershipAdd", ANCHOR | STAFF, GROUP),
    MutationRule("membershipRemove", ANCHOR | STAFF, GROUP),
]
