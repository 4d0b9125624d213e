"""GraphQL types of the pilot report: plain values made from core/pilot/figures.py, with the
group, meeting and country as relations (loaded a level at a time, like every relation).

Counts are Int; rates are Float in 0..1 rounded to 4 places, null when there is nothing to
measure (e.g. no recorded attendance); changes are the difference from the previous cycle.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from core.groups import loaders as groups_loaders
from core.limits import LIST_SIZE
from core.loading import relation
from core.meetings import loaders as meetings_loaders
from core.meetings.models import Meeting as MeetingRow
from core.people import loaders as people_loaders
from core.pilot import figures as f
from core.pilot.periods import MAX_PERIODS, Period, PilotReportInterval
from core.pilot.report import Report
from core.schema.cursors import sort_keys
from core.schema.pagination import Connection, page_list, page_request

MEETING_ORDER = (MeetingRow.starts_at, MeetingRow.id)
"""The order of `PilotGroupReport.meetings` (core/pilot/report.py `_meetings`): its cursors'
keys."""

if TYPE_CHECKING:
    from core.groups.types import WorkingGroup
    from core.meetings.types import Meeting
    from core.people.types import Country


@strawberry.type(description="One quarter or year of a pilot report, clipped to its dates.")
class PilotReportPeriod:
    label: str = strawberry.field(description='"2025-Q3" (a quarter) or "2025" (a year).')
    starts_on: date
    ends_on: date = strawberry.field(description="Inclusive.")

    @classmethod
    def of(cls, period: Period) -> PilotReportPeriod:
        return cls(label=period.label, starts_on=period.starts_on, ends_on=period.ends_on)


@strawberry.type(
    description="Organisations taking part in a group at the end of the period: members and "
    "observers that had joined by then, and current anchors whose term had begun. Memberships "
    "keep no history of leaving: an organisation removed since is not counted."
)
class PilotParticipation:
    organizations: int
    countries: int = strawberry.field(description="Distinct countries of those organisations.")
    governments: int = strawberry.field(description="Organisations of kind GOVERNMENT.")
    civil_society: int = strawberry.field(description="Organisations of kind CIVIL_SOCIETY.")
    other_organizations: int = strawberry.field(
        description="Multilateral, private-sector and academic organisations."
    )

    @classmethod
    def of(cls, p: f.Participation) -> PilotParticipation:
        return cls(
            organizations=p.organizations,
            countries=p.countries,
            governments=p.governments,
            civil_society=p.civil_society,
            other_organizations=p.other_organizations,
        )


@strawberry.type(description="What a group did in the period, or in one quarter or year of it.")
class PilotActivity:
    meetings: int = strawberry.field(
        description="Meetings starting in the period (cancelled ones not counted)."
    )
    attended: int = strawberry.field(description="Registrations the anchors recorded ATTENDED.")
    no_shows: int = strawberry.field(description="Registrations recorded NO_SHOW.")
    attendance_rate: float | None = strawberry.field(
        description="attended / (attended + noShows); null when no attendance was recorded."
    )
    organizations_joined: int = strawberry.field(
        description="Memberships that began in the period."
    )
    priority_areas_agreed: int = strawberry.field(
        description="Priority areas whose discussion closed AGREED in the period."
    )
    resources_shared: int = strawberry.field(
        description="Resources of the group published in the period (drafts never count)."
    )
    matches_completed: int = strawberry.field(
        description="Assistance matches on the group's requests COMPLETED in the period."
    )

    @classmethod
    def of(cls, a: f.ActivityFigures) -> PilotActivity:
        return cls(
            meetings=a.meetings,
            attended=a.attended,
            no_shows=a.no_shows,
            attendance_rate=a.attendance_rate,
            organizations_joined=a.organizations_joined,
            priority_areas_agreed=a.priority_areas_agreed,
            resources_shared=a.resources_shared,
            matches_completed=a.matches_completed,
        )


@strawberry.type(description="A group's activity in one period of the report.")
class PilotPeriodActivity:
    period: str = strawberry.field(description="The period's label (PilotReportPeriod.label).")
    activity: PilotActivity
    participation: PilotParticipation = strawberry.field(
        description="Who took part at the period's end (cumulative, as the group's "
        "participation counts it at the report's end)."
    )


@strawberry.type(description="One meeting of the group in the period and its attendance.")
class PilotMeetingAttendance:
    meeting_pk: strawberry.Private[int]
    starts_at: datetime
    registered: int = strawberry.field(
        description="Registrations with a place whose attendance is not recorded (yet)."
    )
    attended: int
    no_shows: int
    attendance_rate: float | None = strawberry.field(
        description="attended / (attended + noShows); null when none was recorded."
    )

    @relation(meetings_loaders.meetings_by_id, key="meeting_pk")
    def meeting(self) -> Annotated[Meeting, strawberry.lazy("core.meetings.types")] | None: ...

    @classmethod
    def of(cls, m: f.MeetingFigures) -> PilotMeetingAttendance:
        return cls(
            meeting_pk=m.meeting_id,
            starts_at=m.starts_at,
            registered=m.registered,
            attended=m.attended,
            no_shows=m.no_shows,
            attendance_rate=m.attendance_rate,
        )


@strawberry.type(
    description="Commitments per level of the IRM's completion scale (No Evidence Available, "
    "Not Started, Limited, Substantial, Complete)."
)
class PilotCompletion:
    no_evidence: int
    not_started: int
    limited: int
    substantial: int
    complete: int

    @classmethod
    def of(cls, counts: dict[str, int]) -> PilotCompletion:
        return cls(**{level.lower(): n for level, n in counts.items()})


@strawberry.type(
    description='Commitments per level of the IRM\'s "Did it open government?" (Worsened, Did '
    "not change, Marginal, Major, Outstanding)."
)
class PilotOpenGovernment:
    worsened: int
    did_not_change: int
    marginal: int
    major: int
    outstanding: int

    @classmethod
    def of(cls, counts: dict[str, int]) -> PilotOpenGovernment:
        return cls(**{level.lower(): n for level, n in counts.items()})


@strawberry.type(
    description="Commitments linked to a group, on the IRM's scales (core/commitments). "
    "Ambitious: substantial potential for results, or transformative potential impact."
)
class PilotCommitmentFigures:
    commitments: int
    assessed: int = strawberry.field(description="With an IRM assessment.")
    rated: int = strawberry.field(
        description="Assessed on a potential scale (for results, or the older impact)."
    )
    ambitious: int
    ambitious_share: float | None = strawberry.field(description="ambitious / rated.")
    starred: int = strawberry.field(description="Starred, by the IRM's rule.")
    completion: PilotCompletion
    completion_rate: float | None = strawberry.field(
        description="SUBSTANTIAL or COMPLETE / commitments with a completion level."
    )
    did_it_open_government: PilotOpenGovernment
    opened_government_share: float | None = strawberry.field(
        description="MAJOR or OUTSTANDING / commitments with a level."
    )

    @classmethod
    def of(cls, i: f.IrmFigures) -> PilotCommitmentFigures:
        return cls(
            commitments=i.commitments,
            assessed=i.assessed,
            rated=i.rated,
            ambitious=i.ambitious,
            ambitious_share=i.ambitious_share,
            starred=i.starred,
            completion=PilotCompletion.of(i.completion),
            completion_rate=i.completion_rate,
            did_it_open_government=PilotOpenGovernment.of(i.opened),
            opened_government_share=i.opened_government_share,
        )  # fmt: skip


@strawberry.type(description="The change from the previous cycle listed (now minus before).")
class PilotCommitmentChange:
    commitments: int
    ambitious: int
    ambitious_share: float | None
    completion_rate: float | None
    opened_government_share: float | None

    @classmethod
    def of(cls, c: f.IrmChange | None) -> PilotCommitmentChange | None:
        if c is None:
            return None
        return cls(
            commitments=c.commitments,
            ambitious=c.ambitious,
            ambitious_share=c.ambitious_share,
            completion_rate=c.completion_rate,
            opened_government_share=c.opened_government_share,
        )


@strawberry.type(description="Commitments of the action plans of one cycle.")
class PilotCycleFigures:
    cycle: str = strawberry.field(
        description=(
            "OGP's action-plan cycle, the plans' cohort year: \"2018\""
            " (Chile 2018-2020 and Kenya 2018-2021 alike)."
        )
    )
    figures: PilotCommitmentFigures
    change: PilotCommitmentChange | None = strawberry.field(
        description="From the previous cycle listed; null for the first."
    )

    @classmethod
    def of(cls, c: f.CycleFigures) -> PilotCycleFigures:
        return cls(
            cycle=c.cycle,
            figures=PilotCommitmentFigures.of(c.figures),
            change=PilotCommitmentChange.of(c.change),
        )


@strawberry.type(description="Commitments of one country's action plans, plan by plan.")
class PilotCountryFigures:
    country_pk: strawberry.Private[int]
    code: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    figures: PilotCommitmentFigures
    cycles: list[PilotCycleFigures]

    @relation(people_loaders.countries_by_id, key="country_pk")
    def country(self) -> Annotated[Country, strawberry.lazy("core.people.types")] | None: ...


@strawberry.type(description="One working group's figures for the report's period.")
class PilotGroupReport:
    group_pk: strawberry.Private[int]
    slug: str
    participation: PilotParticipation
    activity: PilotActivity
    over_time: list[PilotPeriodActivity] = strawberry.field(
        description="The activity per period of the report, in order, with the participation "
        "at each period's end.",
        metadata={LIST_SIZE: MAX_PERIODS},
    )
    held: strawberry.Private[list[f.MeetingFigures]]
    commitments: PilotCommitmentFigures = strawberry.field(
        description="Commitments linked to the group in action plans running during the period."
    )
    commitments_by_cycle: list[PilotCycleFigures] = strawberry.field(
        description="The same by cycle (all countries), earliest first."
    )
    commitments_by_country: list[PilotCountryFigures] = strawberry.field(
        description="The same by country (by code), each with its plans."
    )

    @relation(groups_loaders.groups_by_id, key="group_pk")
    def group(self) -> Annotated[WorkingGroup, strawberry.lazy("core.groups.types")] | None: ...

    @strawberry.field(
        description="Its meetings in the period, earliest first (by start, then id), with their "
        "attendance, a page at a time (`first`/`after`, `last`/`before`; default 20, at most "
        "100); `totalCount` is every meeting of the period. Errors: INVALID_ARGUMENT, "
        "INVALID_CURSOR."
    )
    def meetings(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PilotMeetingAttendance]:
        # The report read every meeting already (its attendance adds up into the periods):
        # a page is cut from that list, no statement more.
        return page_list(
            self.held,
            lambda m: (m.starts_at, m.meeting_id),
            sort_keys(MEETING_ORDER),
            page_request(first, after, last, before),
            PilotMeetingAttendance.of,
        )

    @classmethod
    def of(cls, g: f.GroupFigures, labels: list[str]) -> PilotGroupReport:
        return cls(
            group_pk=g.group_id,
            slug=g.slug,
            participation=PilotParticipation.of(g.participation),
            activity=PilotActivity.of(g.activity),
            over_time=[
                PilotPeriodActivity(
                    period=label,
                    activity=PilotActivity.of(a),
                    participation=PilotParticipation.of(p),
                )
                for label, a, p in zip(labels, g.over_time, g.participation_over_time, strict=True)
            ],
            held=g.meetings,
            commitments=PilotCommitmentFigures.of(g.commitments),
            commitments_by_cycle=[PilotCycleFigures.of(c) for c in g.by_cycle],
            commitments_by_country=[
                PilotCountryFigures(
                    country_pk=c.country_id,
                    code=c.alpha2,
                    figures=PilotCommitmentFigures.of(c.figures),
                    cycles=[PilotCycleFigures.of(y) for y in c.cycles],
                )
                for c in g.by_country
            ],
        )


@strawberry.type(
    description="The Steering Committee's pilot report: every working group's figures side "
    "by side for a period (also as CSV: GET /reports/pilot.csv?from=&to=&interval=)."
)
class PilotReport:
    starts_on: date = strawberry.field(name="from")
    ends_on: date = strawberry.field(name="to", description="Inclusive.")
    interval: PilotReportInterval
    periods: list[PilotReportPeriod] = strawberry.field(metadata={LIST_SIZE: MAX_PERIODS})
    groups: list[PilotGroupReport] = strawberry.field(
        description="Every working group of an enabled theme, by slug."
    )

    @classmethod
    def of(cls, r: Report) -> PilotReport:
        labels = [p.label for p in r.periods]
        return cls(
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            interval=r.interval,
            periods=[PilotReportPeriod.of(p) for p in r.periods],
            groups=[PilotGroupReport.of(g, labels) for g in r.groups],
        )
