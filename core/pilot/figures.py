"""The figures of a pilot report, as plain data: what `report.pilot_report` computes and both the
GraphQL types and the CSV export read.

Counts only; every rate is computed here from two counts and rounded to RATE_DIGITS places, so
the GraphQL answer, the CSV and an independent recomputation agree exactly. A rate whose
denominator is 0 is None (nothing to measure), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

RATE_DIGITS = 4

COMPLETION = ("NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE")
"""The IRM's completion scale, lowest first (core/commitments/models.py `Completion`)."""
COMPLETED = ("SUBSTANTIAL", "COMPLETE")
"""Completion levels the IRM counts as substantially completed (its completion rate)."""
OPENED = ("WORSENED", "DID_NOT_CHANGE", "MARGINAL", "MAJOR", "OUTSTANDING")
"""The IRM's "Did it open government?" scale, lowest first (`DidItOpenGovernment`)."""
OPENED_MAJOR = ("MAJOR", "OUTSTANDING")
"""The levels the IRM reports as strong early results."""


def rate(part: int, whole: int) -> float | None:
    """part / whole rounded to RATE_DIGITS places; None when whole is 0."""
    return None if whole == 0 else round(part / whole, RATE_DIGITS)


def change(now: float | None, before: float | None) -> float | None:
    """now - before rounded to RATE_DIGITS places; None when either is None."""
    return None if now is None or before is None else round(now - before, RATE_DIGITS)


@dataclass
class IrmFigures:
    """The IRM's view of a set of commitments linked to a group.

    `assessed`: commitments with an IRM assessment; `rated`: assessed on a potential scale
    (potential for results or the older potential impact): the denominator of `ambitious_share`;
    `completion` / `opened`: commitments per level of each scale (levels in scale order, zeros
    included); commitments assessed without that scale are in neither.
    """

    commitments: int = 0
    assessed: int = 0
    rated: int = 0
    ambitious: int = 0
    starred: int = 0
    completion: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COMPLETION, 0))
    opened: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPENED, 0))

    def add(self, other: IrmFigures) -> None:
        self.commitments += other.commitments
        self.assessed += other.assessed
        self.rated += other.rated
        self.ambitious += other.ambitious
        self.starred += other.starred
        for level, n in other.completion.items():
            self.completion[level] += n
        for level, n in other.opened.items():
            self.opened[level] += n

    @property
    def ambitious_share(self) -> float | None:
        """Ambitious commitments / commitments rated on a potential scale."""
        return rate(self.ambitious, self.rated)

    @property
    def completion_rate(self) -> float | None:
        """Substantial or complete / commitments with a completion level."""
        return rate(sum(self.completion[k] for k in COMPLETED), sum(self.completion.values()))

    @property
    def opened_government_share(self) -> float | None:
        """Major or outstanding / commitments with a "did it open government" level."""
        return rate(sum(self.opened[k] for k in OPENED_MAJOR), sum(self.opened.values()))


@dataclass
class IrmChange:
    """The change from the previous cycle: differences of counts and of rates (None where a
    rate is None on either side)."""

    commitments: int
    ambitious: int
    ambitious_share: float | None
    completion_rate: float | None
    opened_government_share: float | None

    @classmethod
    def between(cls, now: IrmFigures, before: IrmFigures) -> IrmChange:
        return cls(
            commitments=now.commitments - before.commitments,
            ambitious=now.ambitious - before.ambitious,
            ambitious_share=change(now.ambitious_share, before.ambitious_share),
            completion_rate=change(now.completion_rate, before.completion_rate),
            opened_government_share=change(
                now.opened_government_share, before.opened_government_share
            ),
        )


@dataclass
class CycleFigures:
    """Commitments of action plans of one cycle, "2016-2018" (the years of the plans' start and
    end), with the change from the previous cycle listed (None for the first)."""

    cycle: str
    starts_on: date
    """The earliest start of the plans counted (one plan's start in a country's list)."""
    figures: IrmFigures
    change: IrmChange | None = None


@dataclass
class CountryFigures:
    country_id: int
    alpha2: str
    figures: IrmFigures
    cycles: list[CycleFigures]


@dataclass
class MeetingFigures:
    """One meeting of the group in the period (not cancelled) and its registrations by status:
    `attended` / `no_shows` as the anchors recorded them, `registered` still unrecorded."""

    meeting_id: int
    starts_at: datetime
    title: str
    registered: int
    attended: int
    no_shows: int

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.attended, self.attended + self.no_shows)


@dataclass
class ActivityFigures:
    """What a group did in a period (or one quarter / year of it)."""

    meetings: int = 0
    attended: int = 0
    no_shows: int = 0
    organizations_joined: int = 0
    priority_areas_agreed: int = 0
    resources_shared: int = 0
    matches_completed: int = 0

    def add(self, other: ActivityFigures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def attendance_rate(self) -> float | None:
        """Attended / (attended + no-shows): of the registrations whose attendance was recorded."""
        return rate(self.attended, self.attended + self.no_shows)


@dataclass
class Participation:
    """Organisations taking part at the end of the period: members and observers that had joined
    by then, and current anchors whose term had begun (or has no recorded start)."""

    organizations: int = 0
    countries: int = 0
    governments: int = 0
    civil_society: int = 0

    @property
    def other_organizations(self) -> int:
        """Multilateral, private-sector and academic organisations."""
        return self.organizations - self.governments - self.civil_society


@dataclass
class GroupFigures:
    group_id: int
    slug: str
    name: str
    participation: Participation
    activity: ActivityFigures
    over_time: list[ActivityFigures]
    """One per period of the report, in order."""
    participation_over_time: list[Participation]
    """Participation at the end of each period of the report, in order (the last one is
    `participation`)."""
    meetings: list[MeetingFigures]
    commitments: IrmFigures
    by_cycle: list[CycleFigures]
    by_country: list[CountryFigures]
