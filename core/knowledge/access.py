"""Access rules of the knowledge domain: resources and declared expertise.

- Resources: a PUBLISHED resource is public (`RowRule.public`); a DRAFT is seen only by its
  authors, the person who created it (`SELF`) and the people of its author organisation
  (`ORGANIZATION`), by the anchors of its group (`ANCHOR`: they review what is shared in their
  group) and by staff. For everyone else a draft does not exist: absent from every list and
  count, `node(id:)` answers null, and a mutation naming it is refused as one naming nothing.
- Writing: a member organisation (members and observers) or an anchor of a group shares a
  resource in it (`resourceCreate`, as a draft); its authors, the group's anchors and staff edit,
  publish and delete it (the service lets authors delete only drafts: a published resource is
  removed by the group's anchors or staff, who moderate the group's library).
- Expertise: public (finding "someone who has done it before" is the point). A person declares
  their own (`SELF`); the people of an organisation declare its expertise (`ORGANIZATION`); staff
  may do either for anyone.
"""

from __future__ import annotations

from core.access.declare import Declaration, MutationRule, RowRule, Scope
from core.access.rules import ANCHOR, MEMBER, ORGANIZATION, SELF, STAFF
from core.knowledge.models import Expertise, Resource, ResourceStatus

RESOURCE = {"id": "Resource"}
EXPERTISE = {"id": "Expertise"}
HOLDER = {"personId": "Person", "organizationId": "Organization"}

RESOURCE_SCOPE = Scope(
    "Resource",
    Resource.id,
    group=Resource.group_id,
    person=Resource.created_by_person_id,
    organization=Resource.organization_id,
)
AUTHORS = SELF | ORGANIZATION
"""A resource's authors: who created it and the people of its author organisation."""
EDITORS = AUTHORS | ANCHOR | STAFF
RESOURCE_ROWS = RowRule(RESOURCE_SCOPE, EDITORS, public=Resource.status == ResourceStatus.PUBLISHED)
EXPERTISE_SCOPE = Scope(
    "Expertise",
    Expertise.id,
    person=Expertise.person_id,
    organization=Expertise.organization_id,
)

DECLARATIONS: list[Declaration] = [
    RESOURCE_ROWS,
    EXPERTISE_SCOPE,
    MutationRule("resourceCreate", MEMBER | ANCHOR | STAFF, {"groupId": "WorkingGroup"}),
    MutationRule("resourceUpdate", EDITORS, RESOURCE),
    MutationRule("resourcePublish", EDITORS, RESOURCE),
    MutationRule("resourceDelete", EDITORS, RESOURCE),
    MutationRule("expertiseDeclare", SELF | ORGANIZATION | STAFF, HOLDER),
    MutationRule("expertiseUpdate", SELF | ORGANIZATION | STAFF, EXPERTISE),
    MutationRule("expertiseWithdraw", SELF | ORGANIZATION | STAFF, EXPERTISE),
]
