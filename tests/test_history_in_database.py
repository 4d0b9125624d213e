"""Issue 9's history kept by the database itself, and the rules core_0014 added (a sibling of
tests/test_rules_in_database.py, whose helpers it uses; that module is at its size limit). On
both databases, SQL that skips the services: an anchor's ended term, a comment's replaced body
and a meeting's change are written by the database; a proposal by an outsider, an outcome at
another group's meeting and a registration outside the window are refused with the constraint
name the core maps to the code the service answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from core.comments.models import Comment, CommentRevision
from core.enums import AnchorRole, GroupStatus, OrganizationKind, RegistrationStatus
from core.groups.models import Anchor, AnchorTerm, Membership, WorkingGroup
from core.meetings.models import Meeting, MeetingChange, Registration
from core.models import Organization, Person
from core.priorities.models import PriorityArea, PriorityAreaStatus
from tests.test_rules_in_database import Refusals, change, insert


async def _one(rules: Refusals, stmt: Any) -> Any:
    async with rules.db.read() as conn:
        return (await conn.execute(stmt)).one()


async def _delete(rules: Refusals, model: Any, pk: int) -> None:
    async with rules.db.write() as conn:
        await conn.execute(sa.delete(model).where(model.id == pk))


async def test_anchor_terms_and_comment_revisions_are_written_by_the_database(
    demo_db: str,
) -> None:
    rules = Refusals(demo_db)
    try:
        proposed = (
            await _one(
                rules,
                sa.select(WorkingGroup.id)
                .where(
                    WorkingGroup.status == GroupStatus.PROPOSED,
                    WorkingGroup.government_anchor_count == 0,
                )
                .order_by(WorkingGroup.id)
                .limit(1),
            )
        ).id
        async with rules.db.read() as conn:
            stmt = (
                sa.select(Organization.id)
                .where(Organization.kind == OrganizationKind.GOVERNMENT)
                .order_by(Organization.id)
                .limit(2)
            )
            governments = [int(pk) for pk in (await conn.scalars(stmt)).all()]

        def anchor(org: int, since: date) -> Any:
            return insert(
                Anchor,
                group_id=proposed,
                organization_id=org,
                organization_kind=OrganizationKind.GOVERNMENT,
                role=AnchorRole.GOVERNMENT,
                since=since,
                source="test",
            )

        async def terms() -> list[tuple[Any, ...]]:
            async with rules.db.read() as conn:
                rows = await conn.execute(
                    sa.select(
                        AnchorTerm.organization_id, AnchorTerm.started_on, AnchorTerm.ended_on
                    )
                    .where(AnchorTerm.group_id == proposed)
                    .order_by(AnchorTerm.id)
                )
                return [tuple(row) for row in rows]

        today = datetime.now(UTC).date()
        first = await rules.done(anchor(governments[0], date(2020, 1, 1)))
        # taken by another organisation (anchorSet replace's UPDATE): the old term ends the day
        # the new one starts
        await rules.done(
            change(Anchor, first, organization_id=governments[1], since=date(2021, 6, 1))
        )
        assert await terms() == [(governments[0], date(2020, 1, 1), date(2021, 6, 1))]
        # deleted after the writer said when the term ends (anchorRemove's until)
        await rules.done(change(Anchor, first, ends_on=date(2022, 3, 4)))
        await _delete(rules, Anchor, first)
        # deleted without: it ends today
        second = await rules.done(anchor(governments[0], date(2023, 1, 1)))
        await _delete(rules, Anchor, second)
        assert (await terms())[1:] == [
            (governments[1], date(2021, 6, 1), date(2022, 3, 4)),
            (governments[0], date(2023, 1, 1), today),
        ]
        # an end before the start is refused, with the code anchorRemove answers
        third = await rules.done(anchor(governments[0], date(2024, 1, 1)))

        async def ends_early(conn: Any) -> None:
            await change(Anchor, third, ends_on=date(2023, 12, 31))(conn)
            await conn.execute(sa.delete(Anchor).where(Anchor.id == third))

        await rules.refused(ends_early, "ck_anchor_terms_ends_after_start", "OUT_OF_RANGE")

        comment = await _one(
            rules, sa.select(Comment.id, Comment.body).order_by(Comment.id).limit(1)
        )
        await rules.done(change(Comment, comment.id, body="Rewritten in SQL"))
        await rules.done(change(Comment, comment.id, body="Rewritten in SQL"))  # no change
        async with rules.db.read() as conn:
            revisions = (
                await conn.scalars(
                    sa.select(CommentRevision.body).where(CommentRevision.comment_id == comment.id)
                )
            ).all()
        assert revisions == [comment.body]
    finally:
        await rules.db.dispose()


async def test_a_meeting_change_raises_its_sequence_and_writes_its_history(demo_db: str) -> None:
    rules = Refusals(demo_db)
    now = datetime.now(UTC)
    try:
        meeting = await _one(
            rules,
            sa.select(Meeting.id, Meeting.sequence, Meeting.starts_at, Meeting.ends_at)
            .where(Meeting.starts_at > now, Meeting.cancelled_at.is_(None))
            .order_by(Meeting.id)
            .limit(1),
        )

        async def history() -> list[tuple[Any, ...]]:
            async with rules.db.read() as conn:
                rows = await conn.execute(
                    sa.select(
                        MeetingChange.kind,
                        MeetingChange.fields,
                        MeetingChange.sequence,
                        MeetingChange.old_starts_at,
                        MeetingChange.new_starts_at,
                        MeetingChange.actor_id,
                    )
                    .where(MeetingChange.meeting_id == meeting.id)
                    .order_by(MeetingChange.id)
                )
                return [tuple(row) for row in rows][-1:]

        async def sequence() -> int:
            return int(
                (await _one(rules, sa.select(Meeting.sequence).where(Meeting.id == meeting.id)))[0]
            )

        seq = meeting.sequence
        await rules.done(change(Meeting, meeting.id, title="Renamed in SQL"))
        assert await sequence() == seq + 1
        assert await history() == [
            ("CHANGED", "title", seq + 1, meeting.starts_at, meeting.starts_at, None)
        ]
        later = meeting.starts_at + timedelta(days=1)
        await rules.done(
            change(
                Meeting, meeting.id, starts_at=later, ends_at=meeting.ends_at + timedelta(days=1)
            )
        )
        assert await history() == [
            ("MOVED", "endsAt,startsAt", seq + 2, meeting.starts_at, later, None)
        ]
        # a writer that raised it itself is not raised twice
        await rules.done(change(Meeting, meeting.id, agenda="New agenda", sequence=seq + 3))
        assert await sequence() == seq + 3
        assert (await history())[0][:3] == ("CHANGED", "agenda", seq + 3)
        # not a calendar field: no history
        await rules.done(change(Meeting, meeting.id, minutes="Notes"))
        assert await sequence() == seq + 3
        await rules.refused(
            change(Meeting, meeting.id, sequence=seq),
            "ck_meetings_sequence_kept",
            "CONSTRAINT_VIOLATION",
        )
        await rules.done(change(Meeting, meeting.id, cancelled_at=now))
        assert (await history())[0][:3] == ("CANCELLED", "cancelledAt", seq + 4)
    finally:
        await rules.db.dispose()


async def test_proposals_outcome_meetings_and_the_registration_window(demo_db: str) -> None:
    rules = Refusals(demo_db)
    now = datetime.now(UTC)
    try:
        area = await _one(
            rules,
            sa.select(
                PriorityArea.id, PriorityArea.group_id, PriorityArea.proposed_by_organization_id
            )
            .where(PriorityArea.status == PriorityAreaStatus.PROPOSED)
            .order_by(PriorityArea.id)
            .limit(1),
        )
        outsider = (
            await _one(
                rules,
                sa.select(Organization.id)
                .where(
                    Organization.id.not_in(
                        sa.union(
                            sa.select(Anchor.organization_id).where(
                                Anchor.group_id == area.group_id
                            ),
                            sa.select(Membership.organization_id).where(
                                Membership.group_id == area.group_id
                            ),
                        )
                    )
                )
                .order_by(Organization.id)
                .limit(1),
            )
        ).id
        proposal = {
            "group_id": area.group_id,
            "title": "Proposed in SQL",
            "rationale": "Skips the service",
            "status": PriorityAreaStatus.PROPOSED,
        }
        await rules.refused(
            insert(PriorityArea, proposed_by_organization_id=outsider, **proposal),
            "ck_priority_areas_proposed_by_member",
            "NOT_A_MEMBER",
        )
        await rules.refused(
            change(PriorityArea, area.id, proposed_by_organization_id=outsider),
            "ck_priority_areas_proposed_by_member",
            "NOT_A_MEMBER",
        )
        elsewhere = (
            await _one(
                rules,
                sa.select(Meeting.id)
                .where(Meeting.group_id != area.group_id)
                .order_by(Meeting.id)
                .limit(1),
            )
        ).id
        await rules.refused(
            change(PriorityArea, area.id, meeting_id=elsewhere),
            "ck_priority_areas_meeting_of_group",
            "MEETING_OF_ANOTHER_GROUP",
        )
        await rules.refused(
            insert(
                PriorityArea,
                proposed_by_organization_id=area.proposed_by_organization_id,
                meeting_id=elsewhere,
                **proposal,
            ),
            "ck_priority_areas_meeting_of_group",
            "MEETING_OF_ANOTHER_GROUP",
        )
        own = await rules.done(
            insert(
                PriorityArea,
                proposed_by_organization_id=area.proposed_by_organization_id,
                **proposal,
            )
        )
        assert own is not None

        meeting = (
            await _one(
                rules,
                sa.select(Meeting.id)
                .where(Meeting.starts_at > now + timedelta(days=3), Meeting.is_summit.is_(False))
                .order_by(Meeting.id)
                .limit(1),
            )
        ).id
        opens, closes = now + timedelta(days=1), now + timedelta(days=2)
        await rules.done(
            change(Meeting, meeting, registration_opens_at=opens, registration_closes_at=closes)
        )
        people = [
            await rules.done(insert(Person, name=f"Window check {i}", organization_id=None))
            for i in range(3)
        ]

        def registration(person: int, status: RegistrationStatus, at: datetime) -> Any:
            return insert(
                Registration,
                meeting_id=meeting,
                person_id=person,
                status=status,
                created_at=at,
                queued_at=at,
            )

        for status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
            await rules.refused(
                registration(people[0], status, now),
                "ck_registrations_registration_open",
                "REGISTRATION_NOT_OPEN",
            )
            await rules.refused(
                registration(people[0], status, closes),
                "ck_registrations_registration_not_closed",
                "REGISTRATION_CLOSED",
            )
        # the registration's own time is judged, not the clock: a history loads
        inside = await rules.done(
            registration(people[1], RegistrationStatus.WAITLISTED, opens + timedelta(hours=1))
        )
        await rules.done(change(Registration, inside, status=RegistrationStatus.CANCELLED))
        await rules.refused(
            change(Registration, inside, status=RegistrationStatus.WAITLISTED, queued_at=closes),
            "ck_registrations_registration_not_closed",
            "REGISTRATION_CLOSED",
        )
        # a cancellation is no registration: taken whenever
        cancelled = await rules.done(registration(people[2], RegistrationStatus.CANCELLED, now))
        assert cancelled is not None
    finally:
        await rules.db.dispose()
