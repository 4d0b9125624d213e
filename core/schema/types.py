"""The public `core.types` namespace: the kernel's GraphQL types and every core domain's, by name.

Plugins write `types.WorkingGroup`, `types.Country`, `types.Node`...; the classes live in the
kernel (core/schema/base.py) and in their domains (core/<domain>/types.py). This module only
gathers them, so a plugin never depends on which folder a type lives in.
"""

from core.groups.types import Anchor, GroupMeetingsFilter, Membership, WorkingGroup, group_fields
from core.meetings.types import Meeting, Registration
from core.people.types import Country, Organization, Person
from core.schema.base import Assessment, Node, Theme

__all__ = [
    "Anchor",
    "Assessment",
    "Country",
    "GroupMeetingsFilter",
    "Meeting",
    "Membership",
    "Node",
    "Organization",
    "Person",
    "Registration",
    "Theme",
    "WorkingGroup",
    "group_fields",
]
