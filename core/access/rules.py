"""The rule vocabulary: who may do or see something, as data (no I/O here).

A `Rule` is a union of grants: `ANCHOR | STAFF` allows the anchors of the object's group and
staff. A rule is evaluated against a `Subject` (what the object relates to: its group, the
group's theme, its person, its meeting, its organisation) and the viewer's `Roles` (their
relations, loaded once per request by `core.access.roles`). The same rule becomes SQL in
`core.access.sql`, so a row filter and a check in Python can never disagree about who is
allowed.

Grants:
- `PUBLIC`: anyone, signed in or not.
- `SIGNED_IN`: any person with a valid token.
- `MEMBER`: a person whose organisation is a member (or observer) of the object's group; with a
  theme as subject, of any group of that theme.
- `ANCHOR`: a person whose organisation anchors the object's group (or a group of the theme).
- `REGISTERED`: a person with a place (registered or attended) at the object's meeting.
- `SELF`: the person the object is about (a person themself, a registration's person).
- `ORGANIZATION`: a person of the organisation the object is about (a resource's author
  organisation, an organisation's declared expertise): people act for their organisation.
- `STAFF`: OGP Support Unit staff (a `staff_roles` row); staff pass every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Grant(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed in"
    MEMBER = "member"
    ANCHOR = "anchor"
    REGISTERED = "registered"
    SELF = "self"
    ORGANIZATION = "organization"
    STAFF = "staff"


@dataclass(frozen=True)
class Rule:
    """Who is allowed: any of `grants` (combine with `|`)."""

    grants: frozenset[Grant]

    def __or__(self, other: Rule) -> Rule:
        return Rule(self.grants | other.grants)

    @property
    def is_public(self) -> bool:
        return Grant.PUBLIC in self.grants

    def __str__(self) -> str:
        return " | ".join(g.value for g in Grant if g in self.grants)


PUBLIC = Rule(frozenset({Grant.PUBLIC}))
SIGNED_IN = Rule(frozenset({Grant.SIGNED_IN}))
MEMBER = Rule(frozenset({Grant.MEMBER}))
ANCHOR = Rule(frozenset({Grant.ANCHOR}))
REGISTERED = Rule(frozenset({Grant.REGISTERED}))
SELF = Rule(frozenset({Grant.SELF}))
ORGANIZATION = Rule(frozenset({Grant.ORGANIZATION}))
STAFF = Rule(frozenset({Grant.STAFF}))


@dataclass(frozen=True)
class Subject:
    """What an object (or a mutation's target) relates to; None where it relates to nothing.

    `group`: pk of its working group; `theme`: a theme key (a plugin's country-level data belongs
    to its theme, not to one group); `person`: pk of the person it is about; `meeting`: pk of its
    meeting; `organization`: pk of the organisation it is about (or written for).
    """

    group: int | None = None
    theme: str | None = None
    person: int | None = None
    meeting: int | None = None
    organization: int | None = None


NOTHING = Subject()


@dataclass(frozen=True)
class Roles:
    """A viewer's relations, as one request sees them.

    `member_of` / `anchor_of`: group pks -> the group's theme; `registered_for`: meeting pks
    where the person has a place; `organization`: pk of the person's organisation.
    """

    person: int | None = None
    organization: int | None = None
    staff: bool = False
    member_of: dict[int, str] = field(default_factory=dict)
    anchor_of: dict[int, str] = field(default_factory=dict)
    registered_for: frozenset[int] = frozenset()


def _related(groups: dict[int, str], subject: Subject) -> bool:
    if subject.group is not None:
        return subject.group in groups
    return subject.theme is not None and subject.theme in groups.values()


def allows(rule: Rule, roles: Roles, subject: Subject) -> bool:
    """Whether a viewer with `roles` passes `rule` for `subject`. Pure; staff always pass."""
    grants = rule.grants
    if Grant.PUBLIC in grants or roles.staff:
        return True
    if roles.person is None:
        return False
    return (
        Grant.SIGNED_IN in grants
        or (Grant.SELF in grants and subject.person == roles.person)
        or (
            Grant.ORGANIZATION in grants
            and subject.organization is not None
            and subject.organization == roles.organization
        )
        or (Grant.MEMBER in grants and _related(roles.member_of, subject))
        or (Grant.ANCHOR in grants and _related(roles.anchor_of, subject))
        or (
            Grant.REGISTERED in grants
            and subject.meeting is not None
            and subject.meeting in roles.registered_for
        )
    )


def decided_without_relations(rule: Rule, roles: Roles, subject: Subject) -> bool | None:
    """The answer when it needs no relation (staff, anonymous, public, signed in, self), else
    None: the caller loads the viewer's relations first. `roles` may be a viewer-only Roles."""
    if allows(rule, roles, subject):
        return True
    needs = {Grant.MEMBER, Grant.ANCHOR, Grant.REGISTERED, Grant.ORGANIZATION}
    if roles.person is None or not (rule.grants & needs):
        return False
    return None
