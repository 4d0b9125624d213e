"""`pilot_report`: every visible group's figures for a period, in five GROUP BY statements
(groups, participation, meetings, activity over time, commitments) whatever the data size.

Sources (the owning domains' tables, never copied): `memberships` and `anchors`
(core/groups) with `organizations.kind` and `country_id` (core/people); `meetings` and
`registrations` (core/meetings: ATTENDED / NO_SHOW as the anchors recorded them);
`priority_areas` (core/priorities: `agreed`, `closed_at`); `resources` + `resource_groups`
(core/knowledge: PUBLISHED, `published_at`); `assistance_matches` (core/assistance: COMPLETED,
`completed_at`, the group of its request); `action_plans`, `commitments`, `commitment_groups`,
`irm_assessments` (core/commitments, with its `ambitious` / `starred` expressions). Python only
adds up rows the database already grouped (periods into the period's total, meetings into
periods, plans into cycles and countries) and divides counts into rates (core/pilot/figures.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, case, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import Base
from core.groups.models import Anchor, Membership, WorkingGroup
from core.meetings.models import Meeting, Registration
from core.people.models import Organization
from core.pilot import commitments
from core.pilot.figures import (
    ActivityFigures,
    GroupFigures,
    MeetingFigures,
    Participation,
)
from core.pilot.periods import (
    Period,
    PilotReportInterval,
    day_period_index,
    instant,
    period_index,
    periods,
    within,
)
from core.priorities.models import PriorityArea


@dataclass
class Report:
    """A pilot report: the period, its quarters or years, and every visible group's figures
    (by slug)."""

    starts_on: date
    ends_on: date
    interval: PilotReportInterval
    periods: list[Period]
    groups: list[GroupFigures]


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _visible(themes: Sequence[str]) -> Any:
    return WorkingGroup.theme.in_(themes)


def _participation(themes: Sequence[str], cut: list[Period]) -> Any:
    """Per group, period and country: the organisations that began taking part in that period
    (members and observers by `joined_at`, current anchors by `since`; before the report: period
    0; an organisation both member and anchor: its earliest), with its governments and civil
    society. `pilot_report` adds the periods up into the participation at each period's end."""
    last = cut[-1].ends_on
    end = instant(last + timedelta(days=1))
    links = union_all(
        select(
            Membership.group_id,
            Membership.organization_id,
            period_index(Membership.joined_at, cut).label("period"),
        ).where(Membership.joined_at < end),
        select(Anchor.group_id, Anchor.organization_id, day_period_index(Anchor.since, cut)).where(
            or_(Anchor.since.is_(None), Anchor.since <= last)
        ),
    ).subquery("links")
    firsts = (
        select(
            links.c.group_id,
            links.c.organization_id,
            func.min(links.c.period).label("period"),
        )
        .group_by(links.c.group_id, links.c.organization_id)
        .subquery("firsts")
    )
    org = Organization.__table__.c
    return (
        select(
            firsts.c.group_id,
            firsts.c.period,
            org.country_id,
            func.count(org.id).label("organizations"),
            _count_if(org.kind == "GOVERNMENT").label("gov"),
            _count_if(org.kind == "CIVIL_SOCIETY").label("cso"),
        )
        .select_from(firsts)
        .join(Organization, Organization.id == firsts.c.organization_id)
        .join(WorkingGroup, WorkingGroup.id == firsts.c.group_id)
        .where(_visible(themes))
        .group_by(firsts.c.group_id, firsts.c.period, org.country_id)
    )


def _participation_over_time(rows: Any, groups: Any, cut: list[Period]) -> dict[int, Any]:
    """`_participation`'s rows added up: per group, the Participation at each period's end."""
    new: dict[int, list[Participation]] = {g.id: [Participation() for _ in cut] for g in groups}
    country_from: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        part = new[row.group_id][row.period]
        part.organizations += int(row.organizations)
        part.governments += int(row.gov)
        part.civil_society += int(row.cso)
        if row.country_id is not None:
            seen = country_from[row.group_id]
            seen[row.country_id] = min(seen.get(row.country_id, row.period), row.period)
    out: dict[int, list[Participation]] = {}
    for group_id, parts in new.items():
        total, cumulative = Participation(), []
        firsts = list(country_from[group_id].values())
        for index, part in enumerate(parts):
            total = Participation(
                total.organizations + part.organizations,
                sum(1 for p in firsts if p <= index),
                total.governments + part.governments,
                total.civil_society + part.civil_society,
            )
            cumulative.append(total)
        out[group_id] = cumulative
    return out


def _registrations(status: str) -> Any:
    """The meeting's registrations in `status`: counted through the (meeting_id, status, ...)
    index, a range per meeting, rather than by reading every registration and grouping them."""
    return (
        select(func.count())
        .select_from(Registration)
        .where(Registration.meeting_id == Meeting.id, Registration.status == status)
        .correlate(Meeting)
        .scalar_subquery()
    )


def _meetings(themes: Sequence[str], first: date, last: date) -> Any:
    """Per meeting of the period (not cancelled): its registrations by status."""
    return (
        select(
            Meeting.id,
            Meeting.group_id,
            Meeting.starts_at,
            Meeting.title,
            _registrations("REGISTERED").label("registered"),
            _registrations("ATTENDED").label("attended"),
            _registrations("NO_SHOW").label("no_shows"),
        )
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(
            _visible(themes),
            within(Meeting.starts_at, first, last),
            Meeting.cancelled_at.is_(None),
        )
        .order_by(Meeting.group_id, Meeting.starts_at, Meeting.id)
    )


ACTIVITY = (
    "meetings",
    "attended",
    "no_shows",
    "organizations_joined",
    "priority_areas_agreed",
    "resources_shared",
    "matches_completed",
)
"""The columns of `_activity`'s rows, as named in ActivityFigures."""


def _zeros(**counts: Any) -> list[Any]:
    return [counts.get(name, literal(0, Integer)).label(name) for name in ACTIVITY]


def _completed_matches() -> tuple[Any, Any] | None:
    """(assistance_matches, assistance_requests) once core/assistance's tables exist: a match
    belongs to the group of the request it answers."""
    tables = Base.metadata.tables
    match, request = tables.get("assistance_matches"), tables.get("assistance_requests")
    return None if match is None or request is None else (match, request)


def _by_period(rows: Any, cut: list[Period], at: Any, **counts: Any) -> Any:
    """SELECT group_id, period, counts... FROM `rows` GROUP BY both: `rows` (a SELECT with a
    `group_id` column and the columns `counts` read) gets its period computed from `at` in a
    subquery, so the GROUP BY names a column, not the CASE with its parameters."""
    inner = rows.add_columns(period_index(at, cut).label("period")).subquery()
    made = {name: count(inner) for name, count in counts.items()}
    return select(inner.c.group_id, inner.c.period, *_zeros(**made)).group_by(
        inner.c.group_id, inner.c.period
    )


def _activity(themes: Sequence[str], cut: list[Period]) -> Any:
    """Per group and period: each source counted by its own date, one UNION ALL of GROUP BYs.
    Meetings and their attendance are not here: `_meetings` grouped them by meeting already, and
    `pilot_report` adds those rows up per period (registrations are read once, not twice)."""
    first, last = cut[0].starts_on, cut[-1].ends_on
    visible = _visible(themes)
    parts = [
        _by_period(
            select(Membership.group_id, Membership.id)
            .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
            .where(visible, within(Membership.joined_at, first, last)),
            cut,
            Membership.joined_at,
            organizations_joined=lambda q: func.count(q.c.id),
        ),
        _by_period(
            select(PriorityArea.group_id, PriorityArea.id)
            .join(WorkingGroup, WorkingGroup.id == PriorityArea.group_id)
            .where(
                visible, PriorityArea.agreed.is_(True), within(PriorityArea.closed_at, first, last)
            ),
            cut,
            PriorityArea.closed_at,
            priority_areas_agreed=lambda q: func.count(q.c.id),
        ),
    ]
    tables = Base.metadata.tables
    if "resources" in tables and "resource_groups" in tables:
        resources, links = tables["resources"], tables["resource_groups"]
        parts.append(
            _by_period(
                select(links.c.group_id, resources.c.id)
                .join(resources, resources.c.id == links.c.resource_id)
                .join(WorkingGroup, WorkingGroup.id == links.c.group_id)
                .where(
                    visible,
                    resources.c.status == "PUBLISHED",
                    within(resources.c.published_at, first, last),
                ),
                cut,
                resources.c.published_at,
                resources_shared=lambda q: func.count(q.c.id),
            )
        )
    matches = _completed_matches()
    if matches is not None:
        match, request = matches
        parts.append(
            _by_period(
                select(request.c.group_id, match.c.id)
                .select_from(match)
                .join(request, request.c.id == match.c.request_id)
                .join(WorkingGroup, WorkingGroup.id == request.c.group_id)
                .where(
                    visible,
                    match.c.status == "COMPLETED",
                    within(match.c.completed_at, first, last),
                ),
                cut,
                match.c.completed_at,
                matches_completed=lambda q: func.count(q.c.id),
            )
        )
    return union_all(*parts)


async def pilot_report(
    conn: AsyncConnection,
    themes: Sequence[str],
    first: date,
    last: date,
    interval: PilotReportInterval,
) -> Report:
    """Every group of a visible theme, by slug, with its figures for `first`..`last` (inclusive,
    UTC days; first <= last, at most periods.MAX_PERIODS periods: the caller checks)."""
    cut = periods(first, last, interval)
    groups = (
        await conn.execute(
            select(WorkingGroup.id, WorkingGroup.slug, WorkingGroup.name)
            .where(_visible(themes))
            .order_by(WorkingGroup.slug)
        )
    ).all()
    taking_part = _participation_over_time(
        await conn.execute(_participation(themes, cut)), groups, cut
    )
    meetings: dict[int, list[MeetingFigures]] = defaultdict(list)
    for row in await conn.execute(_meetings(themes, first, last)):
        meetings[row.group_id].append(
            MeetingFigures(
                row.id, row.starts_at, row.title, row.registered, row.attended, row.no_shows
            )
        )
    over_time: dict[int, list[ActivityFigures]] = {
        g.id: [ActivityFigures() for _ in cut] for g in groups
    }
    for row in await conn.execute(_activity(themes, cut)):
        counts = ActivityFigures(*(int(getattr(row, name)) for name in ACTIVITY))
        over_time[row.group_id][row.period].add(counts)
    starts = [instant(p.starts_on) for p in cut]
    for group_id, held in meetings.items():
        for m in held:
            part = over_time[group_id][bisect_right(starts, m.starts_at) - 1]
            part.meetings += 1
            part.attended += m.attended
            part.no_shows += m.no_shows
    irm = await commitments.by_group(conn, themes, first, last)
    figures = []
    for g in groups:
        total = ActivityFigures()
        for part in over_time[g.id]:
            total.add(part)
        commitments_total, by_cycle, by_country = irm.get(g.id) or commitments.empty()
        figures.append(
            GroupFigures(
                group_id=g.id,
                slug=g.slug,
                name=g.name,
                participation=taking_part[g.id][-1],
                activity=total,
                over_time=over_time[g.id],
                participation_over_time=taking_part[g.id],
                meetings=meetings.get(g.id, []),
                commitments=commitments_total,
                by_cycle=by_cycle,
                by_country=by_country,
            )
        )
    return Report(first, last, interval, cut, figures)
