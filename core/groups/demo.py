"""A plugin's demo working group, declared as data and loaded through one call.

The core's demo data holds countries, organisations and people (core/demo.py) and knows no
plugin; each thematic plugin's `ogp_wg_load_demo` creates its own group, anchors, members,
meetings and registrations from a `GroupSpec`::

    from core import demo_groups

    GROUP = demo_groups.GroupSpec(
        slug="my-theme", theme="my_theme", name="My Theme Working Group",
        summary="...", description="... (Illustrative demo data.)",
        government_anchor="Government of Canada (Treasury Board Secretariat)",  # by name
        members=[("Mzalendo Trust", enums.MembershipRole.MEMBER, date(2014, 1, 15))],
        meetings=[demo_groups.intro_webinar("My Theme Working Group", "my-theme",
                                            demo_groups.utc(2014, 3, 1, 14))],
    )

    async def load(conn):                       # called by the plugin's ogp_wg_load_demo
        group_id = await demo_groups.load(conn, GROUP)

Organisations are the core demo data's, named exactly (`ogp-wg demo` loads them first); the
people who register for meetings are those of the group's anchors and members, the anchors'
first, as the database holds them (`participants`). Everything is idempotent: the group by
slug, anchors by (group, role), members by organisation, meetings by (group, title, start) or
(group, title) when dated relative to today, registrations by person.

The four helpers below (`pilot_description`, `intro_webinar`, `upcoming`, `utc`) build the
meetings of OGP's 2013 pilot groups (documented in core/demo.py's sources); any group may use
them. A pilot group's one Summit session (London, 31 October 2013, with its pre-registrations)
is the core's (core/meetings/demo.py), added after the plugins' demos to a pilot group that has
none of its own.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import models
from core.db import utcnow
from core.enums import AnchorRole, GroupStatus, MeetingKind, MembershipRole, RegistrationStatus
from core.groups import demo_lifecycle

ILLUSTRATIVE = demo_lifecycle.ILLUSTRATIVE  # one marker for every demo module
LONDON = "Europe/London"
PILOT_START = date(2013, 10, 31)  # the London Summit, where the pilot groups first met

TODAY: contextvars.ContextVar[date | None] = contextvars.ContextVar("ogp_wg_demo_today")
"""The day relative meetings count from: `ogp-wg demo` sets it (tests and benchmarks fix it);
unset, it is the real today."""


@dataclass(frozen=True)
class MeetingSpec:
    """One meeting of a demo group; `starts_at` (aware) or `days_from_today` + `local_time`."""

    title: str
    kind: MeetingKind
    timezone: str  # IANA name, where the meeting is held
    starts_at: datetime | None = None
    days_from_today: int | None = None
    local_time: time = time(15, 0)
    minutes: int = 90
    location: str | None = None
    online_url: str | None = None
    capacity: int | None = None
    agenda: str = ""
    is_summit: bool = False
    attendees: tuple[int, int] = (0, 0)
    """Registrations: participants[first:last] of the group, in order (first come)."""
    cancelled: int = 0
    """How many of the last attendees cancelled."""


@dataclass(frozen=True)
class GroupSpec:
    """A demo working group. Anchors and members are organisations named as in the core's demo
    data; a member's date is when it joined (None: when loaded)."""

    slug: str
    theme: str  # the plugin key
    name: str
    summary: str = ""
    description: str = ""
    status: GroupStatus = GroupStatus.PILOT
    government_anchor: str | None = None
    civil_society_anchor: str | None = None
    anchors_since: date | None = PILOT_START
    members: Sequence[tuple[str, MembershipRole, date | None]] = ()
    meetings: Sequence[MeetingSpec] = field(default_factory=list)


# --- The pilot's meetings ------------------------------------------------------------------------


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def pilot_description(focus: str, anchors: str) -> str:
    """The description of one of OGP's five 2013 pilot groups: `focus`, then the pilot's story."""
    return (
        f"{focus} One of the five thematic working groups OGP piloted in 2013 to help countries "
        "make and implement more ambitious open government commitments in their national action "
        "plans, led by one government anchor and one civil-society anchor; it first met in person "
        f"at the OGP Annual Summit in London (31 October - 1 November 2013). {anchors} "
        f"Members, meetings and registrations shown here are partly illustrative. {ILLUSTRATIVE}"
    )


def intro_webinar(name: str, slug: str, when: datetime) -> MeetingSpec:
    """A webinar introducing the group ahead of the Summit (the blog post announced such
    webinars; dates, times and links are illustrative)."""
    return MeetingSpec(
        title=f"Introducing the {name} (webinar)",
        kind=MeetingKind.WEBINAR,
        timezone="UTC",
        starts_at=when,
        minutes=60,
        online_url=f"https://example.org/ogp-webinars/{slug}-introduction",
        capacity=100,
        agenda=f"What the working group will do and how to take part. {ILLUSTRATIVE}",
        attendees=(1, 5),
    )


def upcoming(
    slug: str, tz: str, topic: str, workshop_city: str, workshop_tz: str
) -> list[MeetingSpec]:
    """Three meetings dated relative to today, so 'upcoming' is never empty (all illustrative).
    They are found again by (group, title), so a later run does not add new copies."""
    return [
        MeetingSpec(
            title=f"Peer exchange: {topic}",
            kind=MeetingKind.VIRTUAL,
            timezone=tz,
            days_from_today=10,
            local_time=time(9, 0),
            minutes=60,
            online_url=f"https://example.org/ogp-meet/{slug}-peer-exchange",
            agenda=f"Members share progress on their action plan commitments. {ILLUSTRATIVE}",
            attendees=(0, 3),
        ),
        MeetingSpec(
            title=f"Small-group clinic: {topic}",
            kind=MeetingKind.WEBINAR,
            timezone=tz,
            days_from_today=35,
            local_time=time(14, 0),
            minutes=60,
            online_url=f"https://example.org/ogp-meet/{slug}-clinic",
            capacity=5,
            agenda=f"Targeted technical assistance for up to five participants. {ILLUSTRATIVE}",
            attendees=(2, 6),
        ),
        MeetingSpec(
            title=f"Regional workshop in {workshop_city}",
            kind=MeetingKind.IN_PERSON,
            timezone=workshop_tz,
            days_from_today=70,
            local_time=time(9, 30),
            minutes=360,
            location=f"{workshop_city} (venue to be confirmed; illustrative)",
            capacity=30,
            agenda=f"A one-day peer-learning workshop. {ILLUSTRATIVE}",
            attendees=(3, 5),
        ),
    ]


# --- Loading -------------------------------------------------------------------------------------


async def load(conn: AsyncConnection, spec: GroupSpec) -> int:
    """Add what is missing of the group `spec` describes (idempotent); return the group's id.

    The group is born PROPOSED and reaches `spec.status` through recorded decisions. One of
    OGP's five 2013 pilot groups (by slug) gets its real 2013 anchors, with their sources, and
    the Steering Committee's decisions of the pilot (core/groups/demo_lifecycle.py), whatever
    anchors `spec` names.

    Raises `ValueError` naming an anchor or member organisation the database does not have
    (load the core's demo data first: `ogp-wg demo` does)."""
    named = [spec.government_anchor, spec.civil_society_anchor, *(m[0] for m in spec.members)]
    wanted = [name for name in named if name is not None]
    org = models.Organization
    rows = await conn.execute(select(org.name, org.id, org.kind).where(org.name.in_(wanted)))
    orgs = {name: (pk, kind) for name, pk, kind in rows}
    missing = sorted(set(wanted) - set(orgs))
    if missing:
        raise ValueError(f"demo group {spec.slug!r}: no organisation named {missing}")

    group = models.WorkingGroup
    group_id = await conn.scalar(select(group.id).where(group.slug == spec.slug))
    if group_id is None:
        now = utcnow()
        values = {"created_at": now, "updated_at": now}
        group_id = await conn.scalar(
            insert(group)
            .values(
                slug=spec.slug,
                name=spec.name,
                theme=spec.theme,
                summary=spec.summary,
                description=spec.description,
                status=GroupStatus.PROPOSED,  # every group is born a proposal (core_0006)
                **values,
            )
            .returning(group.id)
        )
        assert group_id is not None
        if spec.slug in demo_lifecycle.ANCHORS_2013:
            await demo_lifecycle.pilot(conn, group_id, spec.slug, spec.status)
        else:
            await _anchors(conn, group_id, spec, orgs)
            await demo_lifecycle.reach(conn, group_id, spec.status)
    assert group_id is not None
    await _members(conn, group_id, spec, orgs)

    today = TODAY.get() or date.today()
    for meeting in spec.meetings:
        meeting_id = await _meeting(conn, group_id, meeting, today)
        people = await participants(conn, group_id)
        await _registrations(
            conn,
            meeting_id,
            people[meeting.attendees[0] : meeting.attendees[1]],
            meeting.cancelled,
        )
    return int(group_id)


async def participants(
    conn: AsyncConnection, group_id: int, joined_by: datetime | None = None
) -> list[int]:
    """The people (ids) who take part in the group's meetings: those of its current anchor
    organisations (in the order the anchors were added), then those of its member organisations
    (in the order they were added; only those that had joined by `joined_by` when given); each
    person once, by id within an organisation. The group's rows decide, not a spec's names: a
    pilot group's 2013 anchors (demo_lifecycle.ANCHORS_2013) replace the ones its spec names."""
    person, anchor, membership = models.Person, models.Anchor, models.Membership
    anchors = (
        select(person.id)
        .join(anchor, anchor.organization_id == person.organization_id)
        .where(anchor.group_id == group_id)
        .order_by(anchor.id, person.id)
    )
    members = (
        select(person.id)
        .join(membership, membership.organization_id == person.organization_id)
        .where(membership.group_id == group_id)
        .order_by(membership.id, person.id)
    )
    if joined_by is not None:
        members = members.where(membership.joined_at <= joined_by)
    found = [*await conn.scalars(anchors), *await conn.scalars(members)]
    return list(dict.fromkeys(found))


async def _anchors(
    conn: AsyncConnection, group_id: int, spec: GroupSpec, orgs: dict[str, Any]
) -> None:
    """At most one anchor per (group, role); an existing one is left as it is."""
    anchor = models.Anchor
    taken = set(await conn.scalars(select(anchor.role).where(anchor.group_id == group_id)))
    for role, org_name in (
        (AnchorRole.GOVERNMENT, spec.government_anchor),
        (AnchorRole.CIVIL_SOCIETY, spec.civil_society_anchor),
    ):
        if org_name is None or role in taken:
            continue
        org_id, kind = orgs[org_name]
        await conn.execute(
            insert(anchor).values(
                group_id=group_id,
                organization_id=org_id,
                organization_kind=kind,
                role=role,
                since=spec.anchors_since,
            )
        )


async def _members(
    conn: AsyncConnection, group_id: int, spec: GroupSpec, orgs: dict[str, Any]
) -> None:
    membership = models.Membership
    stmt = select(membership.organization_id).where(membership.group_id == group_id)
    joined = set(await conn.scalars(stmt))
    rows = []
    for org_name, role, since in spec.members:
        if orgs[org_name][0] in joined:
            continue
        row = {"group_id": group_id, "organization_id": orgs[org_name][0], "role": role}
        if since is not None:
            row["joined_at"] = datetime.combine(since, time(0, 0), tzinfo=UTC)
        rows.append(row)
    for row in rows:  # one by one: rows with and without joined_at differ in their columns
        await conn.execute(insert(membership).values(**row))


async def _meeting(conn: AsyncConnection, group_id: int, spec: MeetingSpec, today: date) -> int:
    meeting = models.Meeting
    stmt = select(meeting.id).where(meeting.group_id == group_id, meeting.title == spec.title)
    if spec.starts_at is not None:
        starts_at = spec.starts_at
        stmt = stmt.where(meeting.starts_at == starts_at)
    else:
        # Relative meetings are found by (group, title) alone, so a run on a later day finds the
        # copy an earlier run made instead of adding one more.
        assert spec.days_from_today is not None
        starts_at = datetime.combine(
            today + timedelta(days=spec.days_from_today),
            spec.local_time,
            tzinfo=ZoneInfo(spec.timezone),
        )
    found = await conn.scalar(stmt.limit(1))
    if found is not None:
        return int(found)
    created = await conn.scalar(
        insert(meeting)
        .values(
            group_id=group_id,
            title=spec.title,
            kind=spec.kind,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=spec.minutes),
            timezone=spec.timezone,
            location=spec.location,
            online_url=spec.online_url,
            capacity=spec.capacity,
            registered_count=0,
            agenda=spec.agenda,
            is_summit=spec.is_summit,
        )
        .returning(meeting.id)
    )
    return int(created)  # type: ignore[arg-type]


async def _registrations(
    conn: AsyncConnection, meeting_id: int, person_ids: list[int], cancelled: int
) -> None:
    """Register people the way the app would: a place is taken (registered_count + 1, never above
    capacity) for each REGISTERED or ATTENDED registration; a full upcoming meeting waitlists."""
    meeting, registration = models.Meeting, models.Registration
    ends_at = await conn.scalar(select(meeting.ends_at).where(meeting.id == meeting_id))
    assert ends_at is not None
    past = ends_at <= utcnow()
    stmt = select(registration.person_id).where(registration.meeting_id == meeting_id)
    already = set(await conn.scalars(stmt))
    first_cancelled = len(person_ids) - cancelled
    for index, person_id in enumerate(person_ids):
        if person_id in already:
            continue
        if index >= first_cancelled:
            status = RegistrationStatus.CANCELLED
        else:
            took_place = (
                await conn.execute(
                    update(meeting)
                    .where(
                        meeting.id == meeting_id,
                        meeting.capacity.is_(None) | (meeting.registered_count < meeting.capacity),
                    )
                    .values(registered_count=meeting.registered_count + 1)
                    .returning(meeting.id)
                )
            ).first() is not None
            if took_place:
                status = RegistrationStatus.ATTENDED if past else RegistrationStatus.REGISTERED
            elif past:
                continue  # a full past meeting: nobody more attended it
            else:
                status = RegistrationStatus.WAITLISTED
        now = utcnow()  # joined the queue when made: the order of this loop is first come
        await conn.execute(
            insert(registration).values(
                meeting_id=meeting_id,
                person_id=person_id,
                status=status,
                created_at=now,
                queued_at=now,
            )
        )
