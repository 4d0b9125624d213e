"""Proposing priority areas, opening, rescheduling, closing and archiving their discussion: the
writes of the priorities domain, each in the caller's transaction (positions: `positions.py`;
the rule and its arithmetic: `consensus.py`).

The consensus body of a group is its member organisations (membership role MEMBER) and its
anchors' organisations; observers follow the discussion but take no position. Every write locks
the priority area's row first, so positions and closing never interleave; the database's
constraints (core/priorities/models.py) hold even for a writer that skips these checks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.access.roles import refusal
from core.activity.services import record
from core.auth import Viewer
from core.db import utcnow
from core.errors import Rejected, user_error
from core.groups.models import WorkingGroup
from core.meetings.models import Meeting
from core.people.models import Country, Person
from core.priorities.consensus import consensus_body, reached, rule_for_group, tally_for_area
from core.priorities.models import (
    PriorityArea,
    PriorityAreaCountry,
    PriorityAreaRecord,
    PriorityAreaStatus,
)
from core.transactions import ConstraintError

MAX_COUNTRIES = 20
MAX_RECORDS = 20
TITLE_MAX, RATIONALE_MAX, REASON_MAX = 300, 10_000, 5_000

CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    # what a concurrent write can still hit after the checks below, by constraint name
    "uq_priority_area_positions_current": ConstraintError(
        "POSITION_CONFLICT",
        "the organisation's position changed at the same time; try again",
        "priorityAreaId",
    ),
    "ck_priority_area_positions_objection_has_reason": ConstraintError(
        "REASON_REQUIRED", "an objection needs a reason", "reason"
    ),
    "ck_consensus_rules_share_in_range": ConstraintError(
        "OUT_OF_RANGE", "minEndorsementShare lies between 0 and 1", "minEndorsementShare"
    ),
    # the rules core_0013's triggers keep (the checks above answer first)
    "ck_priority_areas_allowed_transition": ConstraintError(
        "PRIORITY_AREA_WRONG_STATUS", "the priority area's status does not allow this change", "id"
    ),
    "ck_priority_area_positions_area_open": ConstraintError(
        "DISCUSSION_NOT_OPEN",
        "positions are taken while the area is UNDER_DISCUSSION",
        "priorityAreaId",
    ),
    "ck_priority_area_positions_before_closing": ConstraintError(
        "DISCUSSION_CLOSED", "the discussion's closing date has passed", "priorityAreaId"
    ),
    "ck_priority_area_positions_by_member": ConstraintError(
        "NOT_A_MEMBER",
        "only the group's member organisations and anchors take part (observers do not)",
        "organizationId",
    ),
    # core_0014's triggers
    "ck_priority_areas_proposed_by_member": ConstraintError(
        "NOT_A_MEMBER",
        "only the group's member organisations and anchors propose priority areas",
        "organizationId",
    ),
    "ck_priority_areas_meeting_of_group": ConstraintError(
        "MEETING_OF_ANOTHER_GROUP",
        "the meeting is not one of the priority area's group",
        "meetingId",
    ),
}


# --- Checks ---------------------------------------------------------------------------------------


def required_text(value: str | None, field: str, max_len: int) -> str:
    if value is None or not value.strip():
        raise Rejected(user_error("REQUIRED", f"{field} must not be blank", field))
    if len(value) > max_len:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {max_len} characters", field)
        )
    return value.strip()


def future(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        message = f"{field} needs a UTC offset, e.g. 2026-05-04T09:00:00+02:00"
        raise Rejected(user_error("NAIVE_DATETIME", message, field))
    if value <= utcnow():
        raise Rejected(user_error("CLOSING_DATE_PAST", f"{field} must be in the future", field))
    return value


async def acting_organization(
    conn: AsyncConnection, viewer: Viewer, organization_id: str | None, group_pk: int
) -> int:
    """The organisation the viewer acts for: their own, or (staff only) the one named; it must
    belong to the group's consensus body. FORBIDDEN (a GraphQL error) for a non-staff viewer
    naming another organisation."""
    own = None
    if viewer.person_id is not None:
        own = await conn.scalar(select(Person.organization_id).where(Person.id == viewer.person_id))
    if organization_id is not None:
        org = (await lookups.organization(conn, organization_id, "organizationId")).id
        if org != own and not viewer.is_staff:
            raise refusal(viewer, "act for another organisation")
    elif own is None:
        raise Rejected(
            user_error(
                "REQUIRED", "you belong to no organisation: name one (staff)", "organizationId"
            )
        )
    else:
        org = own
    body = consensus_body()
    found = await conn.scalar(
        select(body.c.organization_id).where(
            body.c.group_id == group_pk, body.c.organization_id == org
        )
    )
    if found is None:
        raise Rejected(
            user_error(
                "NOT_A_MEMBER",
                "only the group's member organisations and anchors take part (observers do not)",
                "organizationId",
            )
        )
    return int(org)


async def locked_area(
    conn: AsyncConnection, global_id: str, themes: tuple[str, ...], field: str
) -> Any:
    """The priority area's row, locked until the transaction ends; NOT_FOUND if its group is
    hidden (its theme's plugin is disabled)."""
    pk = lookups.decode(global_id, "PriorityArea", field)
    stmt = (
        select(*PriorityArea.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == PriorityArea.group_id)
        .where(PriorityArea.id == pk, WorkingGroup.theme.in_(themes))
        .with_for_update(of=PriorityArea)
    )
    return await lookups.one_or_reject(conn, stmt, "PriorityArea", global_id, field)


def expect(area: Any, *statuses: PriorityAreaStatus) -> None:
    if area.status not in statuses:
        wanted = " or ".join(s.value for s in statuses)
        raise Rejected(
            user_error(
                "PRIORITY_AREA_WRONG_STATUS",
                f"the priority area is {area.status.value}; this needs {wanted}",
                "id",
            )
        )


async def reread(conn: AsyncConnection, pk: int) -> Any:
    return (
        await conn.execute(select(*PriorityArea.__table__.c).where(PriorityArea.id == pk))
    ).one()


# --- Writes ---------------------------------------------------------------------------------------


async def propose(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    group_id: str,
    title: str,
    rationale: str,
    countries: list[str],
    record_ids: list[str],
    organization_id: str | None,
    themes: tuple[str, ...],
) -> Any:
    """A new PROPOSED priority area of the group, proposed by the viewer's organisation.

    `countries`: ISO alpha-2 codes (at most 20, UNKNOWN_COUNTRY); `record_ids`: global IDs of
    thematic records, already checked by the caller (`core.priorities.records`)."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    title = required_text(title, "title", TITLE_MAX)
    rationale = required_text(rationale, "rationale", RATIONALE_MAX)
    codes = list(dict.fromkeys(c.upper() for c in countries))
    if len(codes) > MAX_COUNTRIES:
        raise Rejected(user_error("TOO_MANY", f"at most {MAX_COUNTRIES} countries", "countries"))
    found = dict(
        (
            await conn.execute(select(Country.alpha2, Country.id).where(Country.alpha2.in_(codes)))
        ).all()
    )
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise Rejected(
            user_error("UNKNOWN_COUNTRY", f"no country with code {', '.join(unknown)}", "countries")
        )
    org = await acting_organization(conn, viewer, organization_id, group.id)
    stmt = (
        insert(PriorityArea)
        .values(
            group_id=group.id,
            title=title,
            rationale=rationale,
            status=PriorityAreaStatus.PROPOSED,
            proposed_by_organization_id=org,
            proposed_by_person_id=viewer.person_id,
            created_at=utcnow(),
            illustrative=False,
        )
        .returning(*PriorityArea.__table__.c)
    )
    area = (await conn.execute(stmt)).one()
    for code in codes:
        await conn.execute(
            insert(PriorityAreaCountry).values(priority_area_id=area.id, country_id=found[code])
        )
    for position, record_id in enumerate(dict.fromkeys(record_ids)):
        await conn.execute(
            insert(PriorityAreaRecord).values(
                priority_area_id=area.id, record_id=record_id, position=position
            )
        )
    await record(
        conn,
        verb="PRIORITY_AREA_PROPOSED",
        subject_type="PriorityArea",
        subject_id=area.id,
        summary=f"Priority area '{title}' was proposed",
        group_id=group.id,
        organization_id=org,
        actor_id=viewer.person_id,
    )
    return area


async def open_discussion(
    conn: AsyncConnection,
    viewer: Viewer,
    area_id: str,
    closes_at: datetime,
    themes: tuple[str, ...],
) -> Any:
    """PROPOSED -> UNDER_DISCUSSION, positions taken until `closes_at` (in the future)."""
    area = await locked_area(conn, area_id, themes, "id")
    expect(area, PriorityAreaStatus.PROPOSED)
    future(closes_at, "closesAt")
    now = utcnow()
    await conn.execute(
        update(PriorityArea)
        .where(PriorityArea.id == area.id)
        .values(status=PriorityAreaStatus.UNDER_DISCUSSION, opened_at=now, closes_at=closes_at)
    )
    await record(
        conn,
        verb="PRIORITY_AREA_OPENED",
        subject_type="PriorityArea",
        subject_id=area.id,
        summary=f"Priority area '{area.title}' is open for discussion",
        group_id=area.group_id,
        actor_id=viewer.person_id,
    )
    return await reread(conn, area.id)


async def set_closing_date(
    conn: AsyncConnection, area_id: str, closes_at: datetime, themes: tuple[str, ...]
) -> Any:
    """Move the closing date of an area UNDER_DISCUSSION (to a time in the future)."""
    area = await locked_area(conn, area_id, themes, "id")
    expect(area, PriorityAreaStatus.UNDER_DISCUSSION)
    future(closes_at, "closesAt")
    await conn.execute(
        update(PriorityArea).where(PriorityArea.id == area.id).values(closes_at=closes_at)
    )
    return await reread(conn, area.id)


async def close(
    conn: AsyncConnection,
    viewer: Viewer,
    area_id: str,
    meeting_id: str | None,
    themes: tuple[str, ...],
) -> Any:
    """UNDER_DISCUSSION -> AGREED or NOT_AGREED by the group's rule, recording when, at which of
    the group's meetings (optional), the count and the rule applied."""
    area = await locked_area(conn, area_id, themes, "id")
    expect(area, PriorityAreaStatus.UNDER_DISCUSSION)
    meeting_pk = None
    if meeting_id is not None:
        meeting_pk = lookups.decode(meeting_id, "Meeting", "meetingId")
        group_pk = await conn.scalar(select(Meeting.group_id).where(Meeting.id == meeting_pk))
        if group_pk is None:
            raise Rejected(
                user_error("NOT_FOUND", f"no Meeting with id {meeting_id!r}", "meetingId")
            )
        if group_pk != area.group_id:
            raise Rejected(
                user_error(
                    "MEETING_OF_ANOTHER_GROUP",
                    "the meeting is not one of the priority area's group",
                    "meetingId",
                )
            )
    rule = await rule_for_group(conn, area.group_id)
    tally = await tally_for_area(conn, area.id, area.group_id)
    agreed = reached(rule, tally)
    status = PriorityAreaStatus.AGREED if agreed else PriorityAreaStatus.NOT_AGREED
    await conn.execute(
        update(PriorityArea)
        .where(PriorityArea.id == area.id)
        .values(
            status=status,
            agreed=agreed,
            closed_at=utcnow(),
            meeting_id=meeting_pk,
            endorsements=tally.endorsements,
            objections=tally.objections,
            participants=tally.participants,
            member_organizations=tally.member_organizations,
            rule_objections_block=rule.objections_block,
            rule_min_endorsement_share=rule.min_endorsement_share,
        )
    )
    outcome = "agreed" if agreed else "not agreed"
    await record(
        conn,
        verb=f"PRIORITY_AREA_{status.value}",
        subject_type="PriorityArea",
        subject_id=area.id,
        summary=f"Priority area '{area.title}' was {outcome} ({tally.endorsements} of "
        f"{tally.participants} endorsed, {tally.objections} objected)",
        group_id=area.group_id,
        actor_id=viewer.person_id,
    )
    return await reread(conn, area.id)


async def archive(conn: AsyncConnection, area_id: str, themes: tuple[str, ...]) -> Any:
    """Any status but ARCHIVED -> ARCHIVED; a recorded outcome stays on the row."""
    area = await locked_area(conn, area_id, themes, "id")
    expect(
        area,
        PriorityAreaStatus.PROPOSED,
        PriorityAreaStatus.UNDER_DISCUSSION,
        PriorityAreaStatus.AGREED,
        PriorityAreaStatus.NOT_AGREED,
    )
    await conn.execute(
        update(PriorityArea)
        .where(PriorityArea.id == area.id)
        .values(status=PriorityAreaStatus.ARCHIVED)
    )
    return await reread(conn, area.id)
