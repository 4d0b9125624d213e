"""Access rules of the meetings domain: meetings and registrations.

A group's anchors run its meetings; a person registers themself (anchors and staff may register
anyone); the online join URL is for people with a place, the group's anchors and staff; who
registered for what is seen by the person, the group's anchors and staff, in every list and
through `node(id:)`.

Issue 9, section 2: the anchors (and staff) cancel a meeting, record attendance, set minutes and
attach or remove links; any signed-in person makes (or rotates) the secret of their own calendar
feed. `onlineUrl` stays the only hidden field of a meeting: `isOnline` tells everyone that there
is a link, and the public calendar feeds (core/meetings/calendar.py) never carry it.
"""

from __future__ import annotations

from sqlalchemy import select

from core.access.declare import Declaration, FieldRule, MutationRule, RowRule, Scope
from core.access.rules import ANCHOR, REGISTERED, SELF, SIGNED_IN, STAFF
from core.meetings.models import Meeting, MeetingLink, Registration

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
MEETING_LINK_SCOPE = Scope(
    "MeetingLink",
    MeetingLink.id,
    group=select(Meeting.group_id)
    .where(Meeting.id == MeetingLink.meeting_id)
    .correlate_except(Meeting)
    .scalar_subquery(),
    meeting=MeetingLink.meeting_id,
)
RUNS_IT = ANCHOR | STAFF
"""Who runs a group's meetings: its anchors, and staff."""

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
    MEETING_LINK_SCOPE,
    MutationRule("meetingCancel", RUNS_IT, {"id": "Meeting"}),
    MutationRule("attendanceRecord", RUNS_IT, {"meetingId": "Meeting"}),
    MutationRule("meetingMinutesSet", RUNS_IT, {"id": "Meeting"}),
    MutationRule("meetingLinkAdd", RUNS_IT, {"meetingId": "Meeting"}),
    MutationRule("meetingLinkRemove", RUNS_IT, {"id": "MeetingLink"}),
    MutationRule("calendarFeedTokenCreate", SIGNED_IN),  # always the viewer's own feed
]
