"""The record of `ogp-wg commitments import` (docs/commitments-import.md): one commitment, its
action plan, milestones and IRM assessment, as pydantic models that check each value on its own
(lengths, dates in order, topic slugs, one IRM scale, a source for what is not illustrative).

core/commitments/import_format.py reads a CSV row or a JSON item into a `Record`, and reports
pydantic's errors where the user finds them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from core.commitments.models import (
    FIRST_COHORT,
    Completion,
    DidItOpenGovernment,
    MilestoneStatus,
    PotentialForResults,
    PotentialImpact,
)
from core.topics import MAX_TOPICS, invalid_topics, normalise_topics
from core.validation import url_problem

MAX_MILESTONES = 20
"""CSV columns milestone_1_* .. milestone_20_*; a JSON record's `milestones` at most this long."""
LIST_SEPARATOR = ";"
"""Between the topic slugs of `themes`, and the group slugs of `groups`, in a CSV cell."""

Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _url(value: str | None) -> str | None:
    if value is None:
        return None
    if url_problem(value, "url") is not None:
        raise ValueError("not an absolute http(s) URL of at most 2000 characters")
    return value.strip()


Url = Annotated[str | None, AfterValidator(_url)]


def _sourced(what: str) -> Any:
    """A validator of `illustrative` (declared after `source_url`): a row that is not
    illustrative cites its source."""

    def check(value: bool, info: ValidationInfo) -> bool:
        if not value and "source_url" in info.data and info.data["source_url"] is None:
            raise ValueError(f"{what} that is not illustrative needs its source_url")
        return value

    return field_validator("illustrative")(check)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=True)


class PlanIn(_Strict):
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]
    title: Text300
    cycle_start: date
    cycle_end: date
    submitted_on: date | None = None
    cohort: Annotated[int, Field(ge=FIRST_COHORT, le=2100)] | None = None
    source_url: Url = None
    illustrative: bool = False

    _illustrative = _sourced("an action plan")

    @field_validator("cycle_end")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("cycle_start")
        if start is not None and value <= start:
            raise ValueError("cycle_end must be after cycle_start")
        return value

    @field_validator("cohort")
    @classmethod
    def _cohort(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None:
            return value
        # OGP's cohort: the submission year, else the cycle's first year
        found = info.data.get("submitted_on") or info.data.get("cycle_start")
        if found is not None and found.year < FIRST_COHORT:
            raise ValueError(f"a plan before {FIRST_COHORT} (OGP's founding): give cohort")
        return None if found is None else found.year

    def key(self) -> tuple[str, date]:
        return self.country, self.cycle_start


class MilestoneIn(_Strict):
    title: Text500
    due_on: date | None = None
    status: MilestoneStatus = MilestoneStatus.NOT_STARTED


class IrmIn(_Strict):
    source_title: Text300
    source_url: Url = None
    verifiable: bool | None = None
    access_to_information: bool = False
    civic_participation: bool = False
    public_accountability: bool = False
    technology_and_innovation: bool = False
    potential_for_results: PotentialForResults | None = None
    potential_impact: PotentialImpact | None = None
    completion: Completion | None = None
    did_it_open_government: DidItOpenGovernment | None = None
    illustrative: bool = False

    _illustrative = _sourced("an assessment")

    @field_validator("potential_impact")
    @classmethod
    def _one_scale(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("potential_for_results") is not None:
            raise ValueError(
                "give potential_for_results (since 2021) or potential_impact (until 2020), "
                "not both: one assessment is on one scale"
            )
        return value


class Record(_Strict):
    action_plan: PlanIn
    reference: Annotated[str, StringConstraints(pattern=r"^\S{1,32}$")]
    position: Annotated[int, Field(ge=1, le=10_000)] | None = None
    title: Text500
    description: str = ""
    lead_institution: Annotated[str, StringConstraints(max_length=300)] | None = None
    themes: Annotated[list[str], Field(max_length=MAX_TOPICS)] = []
    groups: Annotated[list[Slug], Field(max_length=20)] = []
    source_url: Url = None
    illustrative: bool = False
    milestones: Annotated[list[MilestoneIn], Field(max_length=MAX_MILESTONES)] = []
    irm: IrmIn | None = None

    _illustrative = _sourced("a commitment")

    @field_validator("themes")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        topics = normalise_topics(value)
        bad = invalid_topics(topics)
        if bad:
            raise ValueError(f"themes are topic slugs (e.g. beneficial-ownership), not {bad}")
        return topics

    @field_validator("groups")
    @classmethod
    def _groups(cls, value: list[str]) -> list[str]:
        return sorted(set(value))

    @field_validator("lead_institution")
    @classmethod
    def _lead(cls, value: str | None) -> str | None:
        return value or None
