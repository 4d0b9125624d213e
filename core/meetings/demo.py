"""Demo data of the meetings domain: each pilot group's session at the 2013 London Summit, with
pre-registrations of demo people and the attendance the anchors recorded (issue 9, section 7).

Real: the OGP Annual Summit was held in London on 31 October - 1 November 2013, and the five
pilot working groups met there in person for the first time (core/demo.py's sources).
Illustrative, and said so in the data (`agenda`, `minutes`, link titles end with
"(Illustrative demo data.)"): each group's time slot (31 October, 10:00-12:00 London time), the
registration window, capacity, who pre-registered, who attended, the minutes and the slides link.

Each pilot group has exactly one Summit session: the plugins' demo groups (core.groups.demo)
bring none, and a group whose plugin contributed its own (an `is_summit` meeting during the
Summit) gets none from here. Who pre-registered: the people of the group's anchors, then of its
members that had joined by the Summit (for access to information: Mexico's IFAI, then the
Alianza Regional por la Libre Expresión e Información, its 2013 civil-society anchor).

Called by `core.demo` after the plugins' demos (the groups are theirs); idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.enums import MeetingChangeKind, MeetingKind, MeetingLinkKind, RegistrationStatus
from core.groups import demo as demo_groups
from core.groups.models import WorkingGroup
from core.meetings.models import Meeting, MeetingChange, MeetingLink, Registration

LONDON = ZoneInfo("Europe/London")
PILOT_SLUGS = (
    "access-to-information",
    "extractive-industries",
    "fiscal-openness",
    "open-data",
    "open-parliaments",
)
"""The five pilot groups of 2013 (the five built-in plugins' demo groups), not any later group
of the same themes."""
SUMMIT_FIRST_DAY = datetime(2013, 10, 31, tzinfo=LONDON)
SUMMIT_AFTER = datetime(2013, 11, 2, tzinfo=LONDON)  # the Summit: 31 October - 1 November 2013
STARTS = datetime(2013, 10, 31, 10, 0, tzinfo=LONDON)  # GMT (UTC+0) by then
ENDS = datetime(2013, 10, 31, 12, 0, tzinfo=LONDON)
REGISTRATION_OPENS = datetime(2013, 10, 1, 9, 0, tzinfo=LONDON)
REGISTRATION_CLOSES = datetime(2013, 10, 30, 17, 0, tzinfo=LONDON)
SCHEDULED_AT = datetime(2013, 9, 16, 12, 0, tzinfo=LONDON)
ATTENDEES = 4
"""Pre-registrations per group: the first ATTENDEES - 1 attended, the last did not come."""


def summit_title(group_name: str) -> str:
    """The exact title of a pilot group's Summit meeting (core/priorities/demo.py finds it so)."""
    return f"OGP Summit 2013, London: {group_name} session"


async def _participants(conn: AsyncConnection, group_id: int) -> list[int]:
    """The first ATTENDEES people of the group's anchor organisations, then of the members that
    had joined by the Summit (core.groups.demo.participants), by id."""
    return (await demo_groups.participants(conn, group_id, joined_by=STARTS))[:ATTENDEES]


async def _meeting(conn: AsyncConnection, group: Any, people: list[int]) -> None:
    meeting_id = await conn.scalar(
        insert(Meeting)
        .values(
            group_id=group.id,
            title=summit_title(group.name),
            kind=MeetingKind.IN_PERSON,
            starts_at=STARTS,
            ends_at=ENDS,
            timezone="Europe/London",
            location="OGP Annual Summit, London",
            online_url=None,
            capacity=40,
            registered_count=len(people),
            agenda=(
                "The group's working session at the OGP Annual Summit in London (31 October - "
                "1 November 2013, real): the anchors present the pilot and members seek "
                "consensus on priority areas. Time slot, agenda, registrations and attendance "
                f"are illustrative. {demo_groups.ILLUSTRATIVE}"
            ),
            is_summit=True,
            registration_opens_at=REGISTRATION_OPENS,
            registration_closes_at=REGISTRATION_CLOSES,
            sequence=0,
            minutes=(
                "Summary: the anchors introduced the working group; members described their "
                "action plan commitments in the theme and agreed to follow up in webinars. "
                f"{demo_groups.ILLUSTRATIVE}"
            ),
        )
        .returning(Meeting.id)
    )
    assert meeting_id is not None
    await conn.execute(
        insert(MeetingChange).values(
            meeting_id=meeting_id,
            kind=MeetingChangeKind.SCHEDULED,
            at=SCHEDULED_AT,
            actor_id=None,
            fields="",
            reason="",
            new_starts_at=STARTS,
            new_ends_at=ENDS,
            sequence=0,
        )
    )
    for index, person_id in enumerate(people):
        attended = index < len(people) - 1
        await conn.execute(
            insert(Registration).values(
                meeting_id=meeting_id,
                person_id=person_id,
                # pre-registered in September, admitted in that order when registration opened
                created_at=datetime(2013, 9, 20 + index, 15, 0, tzinfo=LONDON),
                queued_at=REGISTRATION_OPENS + timedelta(microseconds=index),
                status=RegistrationStatus.ATTENDED if attended else RegistrationStatus.NO_SHOW,
            )
        )
    await conn.execute(
        insert(MeetingLink).values(
            meeting_id=meeting_id,
            kind=MeetingLinkKind.SLIDES,
            url=f"https://example.org/ogp-summit-2013/{group.slug}-slides",
            title=f"Session slides {demo_groups.ILLUSTRATIVE}",
            created_at=datetime(2013, 11, 4, 10, 0, tzinfo=LONDON),
        )
    )


async def load(conn: AsyncConnection) -> int:
    """Add the Summit session of each pilot group present that has none; return how many were
    added. A group has one Summit session: this one, or the one its plugin's demo contributed
    (any `isSummit` meeting during the London Summit, 31 October - 1 November 2013)."""
    groups = (
        await conn.execute(
            select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.slug)
            .where(WorkingGroup.slug.in_(PILOT_SLUGS))
            .order_by(WorkingGroup.id)
        )
    ).all()
    added = 0
    for group in groups:
        exists = await conn.scalar(
            select(Meeting.id).where(
                Meeting.group_id == group.id,
                Meeting.is_summit.is_(True),
                Meeting.starts_at >= SUMMIT_FIRST_DAY,
                Meeting.starts_at < SUMMIT_AFTER,
            )
        )
        if exists is None:
            await _meeting(conn, group, await _participants(conn, group.id))
            added += 1
    return added
