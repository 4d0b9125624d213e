"""Access control: who may call each mutation, read each field and see each row.

Rules are declarations (`MutationRule`, `FieldRule`, `RowRule`, with a `Scope` per type saying
how its rows relate to groups, people and meetings), kept per domain (`core/groups/access.py`,
`core/people/access.py`, `core/meetings/access.py`) and, for plugins, returned by the
`ogp_wg_access_rules` hook.
`core.access.policy.install` checks them at start-up and puts the guards on the fields; both
executors run them. Plugins import the vocabulary from `core` (PUBLIC, SIGNED_IN, MEMBER, ANCHOR,
REGISTERED, SELF, STAFF, MutationRule, FieldRule, RowRule, Scope).
"""

from __future__ import annotations

from core.access.declare import FieldRule, MutationRule, RowRule, Scope
from core.access.rules import (
    ANCHOR,
    MEMBER,
    PUBLIC,
    REGISTERED,
    SELF,
    SIGNED_IN,
    STAFF,
    Grant,
    Roles,
    Rule,
    Subject,
    allows,
)

__all__ = [
    "ANCHOR",
    "MEMBER",
    "PUBLIC",
    "REGISTERED",
    "SELF",
    "SIGNED_IN",
    "STAFF",
    "FieldRule",
    "Grant",
    "MutationRule",
    "Roles",
    "RowRule",
    "Rule",
    "Scope",
    "Subject",
    "allows",
]
