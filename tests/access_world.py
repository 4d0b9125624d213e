"""A small world for the access tests: one group with an anchor, a member and a registered person,
a stranger, staff, and a token per role (read-only staff too), written with plain SQL on an
empty database, so the tests know every relation without reading the demo data.

Roles: anonymous (no token), readonly (staff, token with the `read` scope only), other (signed
in, no relation), member (their organisation is a member of the group), registered (a place at
the group's meeting), anchor (their organisation anchors the group), staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from core import models
from core.access.rules import Grant, Rule, Subject
from core.auth.tokens import issue_token
from core.db import Database
from core.enums import (
    AnchorRole,
    GroupStatus,
    MeetingKind,
    MeetingLinkKind,
    MembershipRole,
    OrganizationKind,
    RegistrationStatus,
)
from core.knowledge.models import Expertise, Resource, ResourceKind, ResourceStatus
from core.meetings.models import MeetingLink
from core.priorities.models import PriorityArea, PriorityAreaStatus
from core.schema.ids import to_global_id

THEME = "open_data"
OTHER_THEME = "fiscal_openness"
ROLES = ("anonymous", "readonly", "other", "member", "registered", "anchor", "staff")
PEOPLE = ("other", "member", "registered", "anchor", "staff")
ROLE_ORGANIZATIONS = {
    "other": "elsewhere",
    "member": "cso",
    "registered": "elsewhere",
    "anchor": "gov",
    "staff": "elsewhere",
}
"""The organisation each person of the world works for."""


@dataclass
class World:
    url: str
    group: int = 0
    other_group: int = 0
    meeting: int = 0
    registration: int = 0
    """The registered person's registration at `meeting`."""
    comment: int = 0
    """The member's comment on `group`: edited once, hidden by the anchor."""
    feedback: int = 0
    """The member's feedback."""
    priority_area: int = 0
    """Proposed on `group` by the member's organisation."""
    meeting_link: int = 0
    """Slides of `meeting`."""
    resource: int = 0
    """A PUBLISHED resource shared in `group` by the member (for the cso), the mutations' target."""
    resource_draft: int = 0
    """A DRAFT resource alike: what the row rule hides (from all but its authors, anchors)."""
    expertise: int = 0
    """The cso's declared expertise."""
    organization: int = 0
    """The cso (the member's organisation)."""
    people: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)
    organizations: dict[str, int] = field(default_factory=dict)

    def gid(self, type_name: str, pk: int) -> str:
        return to_global_id(type_name, pk)

    def subject_of(self, type_name: str, pk: int) -> Subject:
        """What the world says an object relates to (written independently of core.access)."""
        if type_name == "WorkingGroup":
            theme = THEME if pk == self.group else OTHER_THEME
            return Subject(group=pk, theme=theme)
        if type_name == "Meeting":
            return Subject(group=self.group, theme=THEME, meeting=pk)
        if type_name == "Registration":
            person = self.people["registered"]
            return Subject(group=self.group, theme=THEME, meeting=self.meeting, person=person)
        if type_name == "Person":
            return Subject(person=pk)
        if type_name == "Comment":
            return Subject(group=self.group, theme=THEME, person=self.people["member"])
        if type_name == "Feedback":
            return Subject(person=self.people["member"])
        if type_name == "PriorityArea":
            return Subject(group=self.group, theme=THEME)
        if type_name == "MeetingLink":
            return Subject(group=self.group, theme=THEME, meeting=self.meeting)
        if type_name == "Resource":
            person, cso = self.people["member"], self.organizations["cso"]
            return Subject(group=self.group, theme=THEME, person=person, organization=cso)
        if type_name == "Expertise":
            return Subject(organization=self.organizations["cso"])
        if type_name == "Organization":
            return Subject(organization=pk)
        return Subject()

    def expected(self, rule: Rule, role: str, subject: Subject, *, write: bool) -> str | None:
        """The error code the role must get (None: allowed), from the world's own relations."""
        grants = rule.grants
        if Grant.PUBLIC in grants:
            return None
        if role == "anonymous":
            return "UNAUTHENTICATED"
        if role == "readonly":
            return "FORBIDDEN" if write else None
        person = self.people[role]
        in_group = subject.group == self.group or (subject.group is None and subject.theme == THEME)
        allowed = (
            role == "staff"
            or Grant.SIGNED_IN in grants
            or (Grant.SELF in grants and subject.person == person)
            or (
                Grant.ORGANIZATION in grants
                and subject.organization == self.organizations[ROLE_ORGANIZATIONS[role]]
            )
            or (Grant.MEMBER in grants and role == "member" and in_group)
            or (Grant.ANCHOR in grants and role == "anchor" and in_group)
            or (
                Grant.REGISTERED in grants
                and role == "registered"
                and subject.meeting == self.meeting
            )
        )
        return None if allowed else "FORBIDDEN"


async def build_world(url: str) -> World:
    """Write the world on the (empty) database `url`."""
    world = World(url)
    now = datetime.now(UTC)
    db = Database(url)
    try:
        async with db.write() as conn:

            async def add(model: Any, **values: Any) -> int:
                stmt = insert(model).values(**values).returning(model.id)
                return int((await conn.execute(stmt)).scalar_one())

            kinds = {
                "gov": OrganizationKind.GOVERNMENT,
                "cso": OrganizationKind.CIVIL_SOCIETY,
                "elsewhere": OrganizationKind.ACADEMIA,
            }
            for key, kind in kinds.items():
                world.organizations[key] = await add(
                    models.Organization, name=f"Org {key}", kind=kind, website=None
                )
            for key, theme in (("group", THEME), ("other_group", OTHER_THEME)):
                pk = await add(
                    models.WorkingGroup,
                    slug=f"world-{key.replace('_', '-')}",
                    name=f"World {key}",
                    theme=theme,
                    summary="",
                    description="",
                    status=GroupStatus.PROPOSED,  # born so (core_0006); status plays no part
                    created_at=now,
                    updated_at=now,
                )
                setattr(world, key, pk)
            await add(
                models.Anchor,
                group_id=world.group,
                organization_id=world.organizations["gov"],
                organization_kind=OrganizationKind.GOVERNMENT,
                role=AnchorRole.GOVERNMENT,
                since=None,
            )
            await add(
                models.Membership,
                group_id=world.group,
                organization_id=world.organizations["cso"],
                role=MembershipRole.MEMBER,
                joined_at=now,
            )
            orgs = ROLE_ORGANIZATIONS
            for role in PEOPLE:
                world.people[role] = await add(
                    models.Person,
                    name=f"World {role}",
                    organization_id=world.organizations[orgs[role]],
                    email=f"{role}@world.example",
                )
            await conn.execute(
                insert(models.StaffRole).values(
                    person_id=world.people["staff"], granted_at=now, granted_by="test"
                )
            )
            world.meeting = await add(
                models.Meeting,
                group_id=world.group,
                title="World call",
                kind=MeetingKind.VIRTUAL,
                starts_at=now + timedelta(days=30),
                ends_at=now + timedelta(days=30, hours=1),
                timezone="UTC",
                location=None,
                online_url="https://meet.example/world",
                capacity=None,
                registered_count=1,
                agenda="",
                is_summit=False,
            )
            world.registration = await add(
                models.Registration,
                meeting_id=world.meeting,
                person_id=world.people["registered"],
                status=RegistrationStatus.REGISTERED,
                created_at=now,
                queued_at=now,
            )
            world.comment = await add(
                models.Comment,
                group_id=world.group,
                author_id=world.people["member"],
                body="World comment, edited",
                created_at=now,
                edited_at=now,
                hidden_at=now,
                hidden_by_id=world.people["anchor"],
                hidden_reason="World reason",
                illustrative=False,
            )
            await add(
                models.CommentRevision,
                comment_id=world.comment,
                body="World comment",
                edited_at=now,
            )
            world.feedback = await add(
                models.Feedback,
                author_id=world.people["member"],
                body="World feedback",
                created_at=now,
            )
            world.priority_area = await add(
                PriorityArea,
                group_id=world.group,
                title="World priority",
                rationale="World rationale",
                status=PriorityAreaStatus.PROPOSED,
                proposed_by_organization_id=world.organizations["cso"],
                proposed_by_person_id=world.people["member"],
                created_at=now,
            )
            world.meeting_link = await add(
                MeetingLink,
                meeting_id=world.meeting,
                kind=MeetingLinkKind.SLIDES,
                url="https://slides.example/world",
                title="World slides",
                created_at=now,
            )
            world.organization = world.organizations["cso"]
            for attr, status in (("resource", "PUBLISHED"), ("resource_draft", "DRAFT")):
                pk = await add(
                    Resource,
                    group_id=world.group,
                    kind=ResourceKind.GUIDE,
                    status=ResourceStatus(status),
                    title=f"World {attr}",
                    summary="World summary",
                    url="https://example.org/world",
                    organization_id=world.organizations["cso"],
                    created_by_person_id=world.people["member"],
                    licence="CC-BY-4.0",
                    illustrative=False,
                    created_at=now,
                    updated_at=now,
                )
                setattr(world, attr, pk)
            world.expertise = await add(
                Expertise,
                organization_id=world.organizations["cso"],
                description="World expertise",
                illustrative=False,
                created_at=now,
                updated_at=now,
            )
            expires = now + timedelta(days=1)
            world.tokens["anonymous"] = None
            for role in PEOPLE:
                issued = await issue_token(conn, world.people[role], expires_at=expires)
                world.tokens[role] = issued.token
            readonly = await issue_token(
                conn, world.people["staff"], scopes=frozenset({"read"}), expires_at=expires
            )
            world.tokens["readonly"] = readonly.token
    finally:
        await db.dispose()
    return world
