"""Access rules of the meetings domain: meetings and registrations.

A group's anchors run its meetings; a person registers themself (anchors and staff may register
anyone); the online join URL is for people with a place, the group's anchors and staff; who
registered for what is seen by the person, the group's anchors and staff, in every list and
through `node(id:)`.
"""

from __future__ import annotations

from sqlalchemy import select

from core.access.declare import Declaration, FieldRule, MutationRule, RowRule, Scope
from core.access.rules import ANCHOR, REGISTERED, SELF, STAFF
from core.meetings.models import Meeting, Registration

MEETING_SCOPE = Scope("Meeting", Meeting.id, group=Meeting.group_id, meeting=Meeting.id)
REGISTRATION_SCOPE = Scope(
    "Registration",
    Registration.id,
    group=select(Meeting.group_id)
    .where(Meeting.id == Registration.meeting_id)
    .correlate_except(Meeting)
    .scalar_subquery(),
    person=Registration.person_id,
    meeting=Registration.meeting_id,
)
REGISTRATION_ROWS = RowRule(REGISTRATION_SCOPE, SELF | ANCHOR | STAFF)

DECLARATIONS: list[Declaration] = [
    MEETING_SCOPE,
    REGISTRATION_ROWS,
    MutationRule("meetingSchedule", ANCHOR | STAFF, {"groupId": "WorkingGroup"}),
    MutationRule("meetingUpdate", ANCHOR | STAFF, {"id": "Meeting"}),
    MutationRule(
        "registrationCreate", SELF | ANCHOR | STAFF, {"meetingId": "Meeting", "personId": "Person"}
    ),
    MutationRule("registrationCancel", SELF | ANCHOR | STAFF, {"id": "Registration"}),
    FieldRule("Meeting", "onlineUrl", REGISTERED | ANCHOR | STAFF),
]
