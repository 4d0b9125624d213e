"""Every core table, by name: the public `core.models` namespace, and what fills `Base.metadata`.

The core's domains keep their tables in their own folders (`core/people/models.py`: countries,
organisations, people; `core/groups/models.py`: groups, anchors, members;
`core/meetings/models.py`: meetings, registrations); the kernel's own tables stay here (`trust`:
API tokens, staff, audit log, idempotency keys; `plugin_registry`). Importing this module imports
them all, so Alembic's autogenerate (core/migrations/env.py) and `create_all` see every table.

Migrations stay in ONE core Alembic branch (core/migrations/versions, `core_000N`), not one per
domain as a plugin has: every existing database's `alembic_version` row names a `core_000N`
revision, so splitting the branch would need a migration of the version table itself (and a
merge point for the tables that cross domains: anchors reference organisations, meetings
groups), for no benefit to anyone running the API. A new core domain adds its tables with the
next `core_000N` revision.
"""

from core.groups.models import Anchor, Membership, WorkingGroup
from core.meetings.models import Meeting, Registration
from core.models.plugin_registry import PluginRegistryEntry
from core.models.trust import ApiToken, AuditEntry, IdempotencyKey, StaffRole
from core.people.models import Country, Organization, Person

__all__ = [
    "Anchor",
    "ApiToken",
    "AuditEntry",
    "Country",
    "IdempotencyKey",
    "Meeting",
    "Membership",
    "Organization",
    "Person",
    "PluginRegistryEntry",
    "Registration",
    "StaffRole",
    "WorkingGroup",
]
