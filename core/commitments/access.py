"""Access rules of the commitments domain.

Everything is public to read: action plans are governments' official documents and the IRM's
reports are published. Writing:
- action plans, commitments and milestones (their status too): staff only. A plan is the
  government's official document, adopted in its national process; the platform copies it (and the
  government's implementation reports) rather than letting any group rewrite it.
- IRM assessments: staff only. The IRM is an independent body; its published ratings are copied
  from its reports, never judged by the people whose commitments they rate.
- linking a commitment to a working group, or unlinking it: the group's anchors (it is their
  group's decision what it follows) and staff.
"""

from __future__ import annotations

from core.access.declare import Declaration, MutationRule
from core.access.rules import ANCHOR, STAFF

GROUP = {"groupId": "WorkingGroup"}

DECLARATIONS: list[Declaration] = [
    MutationRule("actionPlanCreate", STAFF),
    MutationRule("actionPlanUpdate", STAFF),
    MutationRule("milestoneAdd", STAFF),
    MutationRule("milestoneUpdate", STAFF),
    MutationRule("commitmentCreate", STAFF),
    MutationRule("commitmentUpdate", STAFF),
    MutationRule("milestoneStatusSet", STAFF),
    MutationRule("irmAssessmentRecord", STAFF),
    MutationRule("commitmentGroupLink", ANCHOR | STAFF, GROUP),
    MutationRule("commitmentGroupUnlink", ANCHOR | STAFF, GROUP),
]
