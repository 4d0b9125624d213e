"""Core tables, one module per aggregate. Imported together so the metadata is complete."""

from core.models.geo import Country
from core.models.groups import Anchor, Membership, WorkingGroup
from core.models.meetings import Meeting, Registration
from core.models.people import Organization, Person
from core.models.plugin_registry import PluginRegistryEntry
from core.models.trust import ApiToken, AuditEntry, IdempotencyKey, StaffRole

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
