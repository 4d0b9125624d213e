"""Issue 9's rules kept by the database itself (migration core_0013's triggers), on both
databases: SQL that skips the services is refused, with the constraint name the core maps to the
same user error code the service answers (never a 500, never another rule's code). The demo's
priority areas (core/priorities/demo.py) and meetings are the rows tried."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.models import ActivityEvent
from core.activity.services import VERBS
from core.db import Database
from core.enums import MembershipRole, RegistrationStatus
from core.groups.models import Anchor, GroupDecision, Membership
from core.meetings.models import Meeting, MeetingLink, Registration
from core.models import Organization, Person
from core.plugins import make_plugin_manager
from core.priorities import demo as priorities_demo
from core.priorities.models import (
    PositionStance,
    PriorityArea,
    PriorityAreaPosition,
    PriorityAreaStatus,
)
from core.testing import GraphQLClient, at_revision, settings_for
from core.transactions import ConstraintErrors

Write = Callable[[AsyncConnection], Awaitable[Any]]
DECIDE = """mutation($input: GroupDecisionRecordInput!) { groupDecisionRecord(input: $input) {
  decision { maxGovernmentAnchors } userErrors { code field } } }"""
MIGRATION = importlib.import_module("core.priorities.migrations.core_0013_rules_in_the_database")
VERB_REVISIONS = (
    "core.priorities.migrations.core_0013_rules_in_the_database",
    "core.knowledge.migrations.core_0016_knowledge",
    "core.assistance.migrations.core_0017_assistance",
)
"""The revisions that set the verb check, oldest first (each builds on the one before)."""
LATEST_VERBS = importlib.import_module(VERB_REVISIONS[-1])


def test_the_verb_check_lists_the_known_verbs() -> None:
    """A verb added to VERBS needs a revision that widens core_0013's list (the CHECK would
    refuse every event of it): core_0016 added RESOURCE_PUBLISHED, core_0017 assistance's."""
    assert set(LATEST_VERBS.VERBS) == VERBS


class Refusals:
    """Runs writes that must be refused, each in its own transaction, and checks the name the
    database gives and the user error the app answers for it."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.errors: ConstraintErrors = make_plugin_manager(settings_for(url)).constraint_errors

    async def refused(self, write: Write, name: str, code: str) -> None:
        with pytest.raises(IntegrityError) as raised:
            async with self.db.write() as conn:
                await write(conn)
        assert self.errors.constraint_names(raised.value) == [name], raised.value
        assert self.errors.user_error(raised.value).code == code, raised.value

    async def done(self, write: Write) -> Any:
        async with self.db.write() as conn:
            return await write(conn)


def insert(model: Any, **values: Any) -> Write:
    async def write(conn: AsyncConnection) -> Any:
        return await conn.scalar(sa.insert(model).values(**values).returning(model.id))

    return write


def change(model: Any, pk: int, **values: Any) -> Write:
    async def write(conn: AsyncConnection) -> None:
        await conn.execute(sa.update(model).where(model.id == pk).values(**values))

    return write


async def test_positions_and_priority_area_moves(demo_db: str) -> None:
    rules = Refusals(demo_db)
    try:
        async with rules.db.read() as conn:
            areas = dict(
                (
                    await conn.execute(
                        sa.select(PriorityArea.title, PriorityArea.id).where(
                            PriorityArea.title.in_(
                                [
                                    priorities_demo.AGREED_TITLE,
                                    priorities_demo.OPEN_TITLE,
                                    priorities_demo.PROPOSED_TITLE,
                                ]
                            )
                        )
                    )
                ).all()
            )
            agreed = areas[priorities_demo.AGREED_TITLE]
            open_ = areas[priorities_demo.OPEN_TITLE]
            proposed = areas[priorities_demo.PROPOSED_TITLE]
            group, closes_at = (
                await conn.execute(
                    sa.select(PriorityArea.group_id, PriorityArea.closes_at).where(
                        PriorityArea.id == open_
                    )
                )
            ).one()
            anchor = await conn.scalar(
                sa.select(Anchor.organization_id).where(Anchor.group_id == group).limit(1)
            )
            body = sa.union(
                sa.select(Membership.organization_id).where(
                    Membership.group_id == group, Membership.role == MembershipRole.MEMBER
                ),
                sa.select(Anchor.organization_id).where(Anchor.group_id == group),
            )
            outsider = await conn.scalar(
                sa.select(Organization.id)
                .where(Organization.id.not_in(body))
                .order_by(Organization.id)
                .limit(1)
            )
            taken = await conn.scalar(
                sa.select(PriorityAreaPosition.id).where(
                    PriorityAreaPosition.priority_area_id == open_,
                    PriorityAreaPosition.is_current.is_(True),
                )
            )
        assert anchor is not None and outsider is not None and taken is not None
        now = datetime.now(UTC)

        def position(area: int, org: int, at: datetime = now) -> Write:
            return insert(
                PriorityAreaPosition,
                priority_area_id=area,
                organization_id=org,
                stance=PositionStance.ENDORSE,
                taken_at=at,
                is_current=True,
            )

        # a position: only on an area UNDER_DISCUSSION, before it closes, by its body
        for area in (proposed, agreed):
            await rules.refused(
                position(area, anchor),
                "ck_priority_area_positions_area_open",
                "DISCUSSION_NOT_OPEN",
            )
        await rules.refused(
            position(open_, anchor, closes_at + timedelta(seconds=1)),
            "ck_priority_area_positions_before_closing",
            "DISCUSSION_CLOSED",
        )
        await rules.refused(
            position(open_, outsider), "ck_priority_area_positions_by_member", "NOT_A_MEMBER"
        )
        # ... and it is never rewritten, only superseded
        for values in (
            {"stance": PositionStance.OBJECT, "reason": "changed my mind"},
            {"taken_at": now - timedelta(days=400)},
        ):
            await rules.refused(
                change(PriorityAreaPosition, taken, **values),
                "ck_priority_area_positions_kept_as_taken",
                "CONSTRAINT_VIOLATION",
            )
        await rules.done(position(open_, anchor))  # the anchor's organisation takes part
        await rules.done(change(PriorityAreaPosition, taken, is_current=False, superseded_at=now))

        # an area: born PROPOSED, then only along its transitions
        base = {
            "group_id": group,
            "title": "Born agreed",
            "rationale": "r",
            "proposed_by_organization_id": anchor,
            "created_at": now,
            "illustrative": False,
        }
        await rules.refused(
            insert(
                PriorityArea,
                **base,
                status=PriorityAreaStatus.UNDER_DISCUSSION,
                opened_at=now,
                closes_at=now + timedelta(days=1),
            ),
            "ck_priority_areas_allowed_transition",
            "PRIORITY_AREA_WRONG_STATUS",
        )
        outcome = {
            "agreed": False,
            "closed_at": now,
            "endorsements": 0,
            "objections": 0,
            "participants": 0,
            "member_organizations": 1,
            "rule_objections_block": True,
            "rule_min_endorsement_share": 0.5,
        }
        for pk, values in (
            (proposed, {"status": PriorityAreaStatus.NOT_AGREED, **outcome}),
            (agreed, {"status": PriorityAreaStatus.UNDER_DISCUSSION}),
            (agreed, {"status": PriorityAreaStatus.PROPOSED}),
        ):
            await rules.refused(
                change(PriorityArea, pk, **values),
                "ck_priority_areas_allowed_transition",
                "PRIORITY_AREA_WRONG_STATUS",
            )

        async def archived_and_back(conn: AsyncConnection) -> None:
            await change(PriorityArea, agreed, status=PriorityAreaStatus.ARCHIVED)(conn)
            await change(PriorityArea, agreed, status=PriorityAreaStatus.AGREED)(conn)

        await rules.refused(
            archived_and_back,
            "ck_priority_areas_allowed_transition",
            "PRIORITY_AREA_WRONG_STATUS",
        )
        new = await rules.done(insert(PriorityArea, **base, status=PriorityAreaStatus.PROPOSED))
        await rules.done(
            change(
                PriorityArea,
                new,
                status=PriorityAreaStatus.UNDER_DISCUSSION,
                opened_at=now,
                closes_at=now + timedelta(days=1),
            )
        )
        await rules.done(change(PriorityArea, new, status=PriorityAreaStatus.NOT_AGREED, **outcome))
        await rules.done(change(PriorityArea, agreed, status=PriorityAreaStatus.ARCHIVED))
    finally:
        await rules.db.dispose()


async def test_registrations_links_verbs_and_the_anchor_allowance(demo_db: str) -> None:
    rules = Refusals(demo_db)
    now = datetime.now(UTC)
    try:
        async with rules.db.read() as conn:

            async def meeting(*where: Any) -> int:
                pk = await conn.scalar(
                    sa.select(Meeting.id).where(*where).order_by(Meeting.id).limit(1)
                )
                assert pk is not None, where
                return int(pk)

            upcoming = await meeting(Meeting.starts_at > now, Meeting.is_summit.is_(False))
            past = await meeting(Meeting.starts_at < now)
            group = await conn.scalar(sa.select(Meeting.group_id).where(Meeting.id == upcoming))
            links = await conn.scalar(
                sa.select(sa.func.count()).where(MeetingLink.meeting_id == past)
            )
        people = [
            await rules.done(insert(Person, name=f"Rule check {i}", organization_id=None))
            for i in range(3)
        ]

        def registration(meeting: int, person: int, status: RegistrationStatus) -> Write:
            return insert(
                Registration,
                meeting_id=meeting,
                person_id=person,
                status=status,
                created_at=now,
                queued_at=now,
            )

        await rules.refused(
            registration(upcoming, people[0], RegistrationStatus.PRE_REGISTERED),
            "ck_registrations_pre_registered_at_summit",
            "REGISTRATION_NOT_OPEN",
        )
        for status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW):
            await rules.refused(
                registration(upcoming, people[0], status),
                "ck_registrations_attendance_after_start",
                "MEETING_NOT_STARTED",
            )
        waiting = await rules.done(registration(upcoming, people[0], RegistrationStatus.WAITLISTED))
        await rules.refused(
            change(Registration, waiting, status=RegistrationStatus.PRE_REGISTERED),
            "ck_registrations_pre_registered_at_summit",
            "REGISTRATION_NOT_OPEN",
        )
        await rules.refused(
            change(Registration, waiting, status=RegistrationStatus.ATTENDED),
            "ck_registrations_attendance_after_start",
            "MEETING_NOT_STARTED",
        )
        cancelled = await rules.done(registration(past, people[1], RegistrationStatus.CANCELLED))
        await rules.refused(
            change(Registration, cancelled, status=RegistrationStatus.NO_SHOW),
            "ck_registrations_attendance_with_place",
            "NOT_ATTENDABLE",
        )
        attended = await rules.done(registration(past, people[2], RegistrationStatus.ATTENDED))
        await rules.done(change(Registration, attended, status=RegistrationStatus.NO_SHOW))

        # at most 20 links a meeting
        for i in range(MIGRATION.MAX_LINKS - int(links or 0)):
            await rules.done(
                insert(
                    MeetingLink,
                    meeting_id=past,
                    kind="OTHER",
                    url=f"https://example.org/{i}",
                    title="t",
                    created_at=now,
                )
            )
        await rules.refused(
            insert(
                MeetingLink,
                meeting_id=past,
                kind="OTHER",
                url="https://example.org/21",
                title="t",
                created_at=now,
            ),
            "ck_meeting_links_limit",
            "TOO_MANY_LINKS",
        )

        # activity verbs from the known set (a programming error: the generic code)
        event = {
            "subject_type": "Meeting",
            "subject_id": past,
            "summary": "s",
            "group_id": group,
            "at": now,
        }
        await rules.refused(
            insert(ActivityEvent, verb="MEETING_TELEPORTED", **event),
            "ck_activity_events_known_verb",
            "CONSTRAINT_VIOLATION",
        )
        known = await rules.done(insert(ActivityEvent, verb="MEETING_CHANGED", **event))
        await rules.refused(
            change(ActivityEvent, known, verb="MEETING_TELEPORTED"),
            "ck_activity_events_known_verb",
            "CONSTRAINT_VIOLATION",
        )

        # a decision allows a second anchor of a role, not a third
        decision = {
            "group_id": group,
            "decided_on": now.date(),
            "meeting": "",
            "reason": "r",
            "source": "",
            "illustrative": False,
            "recorded_at": now,
        }
        for role in ("max_government_anchors", "max_civil_society_anchors"):
            await rules.refused(
                insert(GroupDecision, **decision, **{role: 3}),
                "ck_group_decisions_allowance_range",
                "OUT_OF_RANGE",
            )
    finally:
        await rules.db.dispose()


@pytest.mark.signed_in("staff")
async def test_a_decision_allowing_a_third_anchor_is_refused(client: GraphQLClient) -> None:
    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]
    values = {"groupId": group["id"], "decidedOn": "2024-01-01", "reason": "A third one."}
    for field in ("maxGovernmentAnchors", "maxCivilSocietyAnchors"):
        result = await client.execute(DECIDE, {"input": values | {field: 3}})
        assert result["groupDecisionRecord"] == {
            "decision": None,
            "userErrors": [{"code": "OUT_OF_RANGE", "field": ["input", field]}],
        }
    second = await client.execute(DECIDE, {"input": values | {"maxGovernmentAnchors": 2}})
    assert second["groupDecisionRecord"] == {
        "decision": {"maxGovernmentAnchors": 2},
        "userErrors": [],
    }


async def test_an_upgrade_keeps_rows_the_new_rules_would_refuse(demo_db: str) -> None:
    """Upgraded from core_0012 with the demo loaded, and a row written then that core_0013
    refuses now (a position on an area already AGREED): the upgrade succeeds and keeps it (the
    triggers judge new writes only), and from then on such a row is refused."""
    async with at_revision(demo_db, "core_0012") as old:
        async with old.db.write() as conn:
            agreed = await conn.scalar(
                sa.select(PriorityArea.id).where(PriorityArea.title == priorities_demo.AGREED_TITLE)
            )
            org = await conn.scalar(
                sa.select(PriorityAreaPosition.organization_id).where(
                    PriorityAreaPosition.priority_area_id == agreed
                )
            )
            await conn.execute(
                sa.update(PriorityAreaPosition)
                .where(PriorityAreaPosition.priority_area_id == agreed)
                .values(is_current=False, superseded_at=datetime.now(UTC))
            )
            late = await insert(
                PriorityAreaPosition,
                priority_area_id=agreed,
                organization_id=org,
                stance=PositionStance.OBJECT,
                reason="Too late",
                taken_at=datetime.now(UTC),
                is_current=True,
            )(conn)
        await old.upgrade()
        rules = Refusals(demo_db)
        try:
            async with rules.db.read() as conn:
                kept = await conn.scalar(
                    sa.select(PriorityAreaPosition.reason).where(PriorityAreaPosition.id == late)
                )
            assert kept == "Too late"
            await rules.refused(
                insert(
                    PriorityAreaPosition,
                    priority_area_id=agreed,
                    organization_id=org,
                    stance=PositionStance.ENDORSE,
                    taken_at=datetime.now(UTC),
                    is_current=False,
                    superseded_at=datetime.now(UTC),
                ),
                "ck_priority_area_positions_area_open",
                "DISCUSSION_NOT_OPEN",
            )
        finally:
            await rules.db.dispose()
