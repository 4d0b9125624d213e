"""The IRM's derived judgements, written ONCE as SQL expressions: "starred" (by the rule of the
plan's period) and "ambitious". The GraphQL fields, the `commitments(filter: {starred})` filter
and the pilot report all call these builders, so no path computes them another way.

Sources:
- The star criteria, as the IRM announced them (OGP blog "IRM to Raise the Bar for Model
  Commitments in OGP", https://opengovpartnership.org/?p=3699; reported by freedominfo.org,
  "OGP Upgrades Standard for Star-Rated Commitments", 7 May 2015): "since 2014, the IRM
  recognizes model commitments and awards them 'stars'": (1) specific enough that a judgement
  can be made ("medium" or "high" specificity; the later reports' "verifiable"); (2) relevant to
  at least one of the OGP values Access to Information, Civic Participation or Public
  Accountability (technology and innovation alone does not count); (3) "moderate" or
  "transformative" potential impact; (4) "substantial" or "complete" completion. "Starting in
  2015 ... only those commitments considered to be potentially transformative ... will be
  eligible for starred status", the other criteria unchanged.
- The IRM Refresh: "In 2021, the IRM started implementing a new approach to its research process
  and the scope of its reporting on action plans" (IRM, Brazil Transitional Results Report
  2018-2021): Action Plan Reviews (potential for results) and Results Reports replaced the
  Design, Progress and End-of-Term Reports, and no longer award stars. Plans that ended in 2020
  were already assessed at their end under the Refresh: OGP's page for CL0061 (Chile Action
  Plan 2018-2020, ended 31 August 2020;
  https://www.opengovpartnership.org/members/chile/commitments/CL0061/) lists "IRM Report:
  Chile Transitional Results Report 2018-2020", and the same kind of report assessed Kenya's
  2018-2020 plan and Brazil's 2018-2021 plan. Plans that ended in 2019 were assessed by the
  IRM's last reports before the Refresh (e.g. "Nigeria Implementation Report 2017-2019",
  "Liberia Implementation Report 2017-2019", OGP's IRM reports list,
  https://opengovpartnership.org/content-category/irm-reports/page/39); whether those
  Implementation Reports still awarded stars is not verified here: they get the 2015 rule.
- Ambition: OGP's data analyses count a commitment as ambitious when its potential for results
  is substantial or, on the older scale, its potential impact transformative (issue 10, section
  4); high completion is "Substantial or Complete"
  (https://www.opengovpartnership.org/glossary/completion/).

The periods, by the plan's dates (an approximation: the IRM judged a plan in the reports it
published on it, which follow the plan's start by a year and its end by a few months):
- `FOUNDING`: cycles starting before 2012, assessed by the IRM's first reports (2013), before
  stars existed: null.
- `MODERATE_OR_TRANSFORMATIVE` (the 2014 criteria): cycles starting in 2012 or 2013, first
  reported on in 2014.
- `TRANSFORMATIVE` (the criteria raised in 2015): later cycles that ended before 2020.
- `REFRESH`: cycles ending in 2020 or later, assessed at their end by the Refresh's
  Transitional Results Reports and Results Reports: null.
Not modelled: the report an assessment comes from. The IRM called the End-of-Term Reports
(from 2016) the final tally of stars, so a 2013-2015 plan's final star may have come under the
raised bar; the dates above give such plans the 2014 rule.
A commitment the IRM has not assessed is null too; an assessed one missing a criterion's rating
(not yet rated for completion, say) is not starred (false).
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import Boolean, ColumnElement, and_, case, false, literal, or_, type_coerce

from core.commitments.models import (
    ActionPlan,
    Completion,
    IrmAssessment,
    PotentialForResults,
    PotentialImpact,
)

STARS_FROM = date(2012, 1, 1)
"""Cycles starting before: the founding plans, reported on before stars existed."""
RAISED_BAR_FROM = date(2014, 1, 1)
"""Cycles starting from here on were first reported on in 2015, under the raised bar."""
REFRESH_FROM = date(2020, 1, 1)
"""Cycles ending from here on were assessed at their end under the IRM Refresh (Transitional
Results Reports, then Results Reports): CL0061's plan, ended August 2020, is one."""

HIGH_COMPLETION = (Completion.SUBSTANTIAL.value, Completion.COMPLETE.value)


@strawberry.enum(description="The IRM's star rule that applies to a commitment's action plan.")
class StarRule(enum.StrEnum):
    MODERATE_OR_TRANSFORMATIVE = "MODERATE_OR_TRANSFORMATIVE"
    """2014: verifiable, relevant, moderate or transformative potential impact, substantial or
    complete completion."""
    TRANSFORMATIVE = "TRANSFORMATIVE"
    """From 2015: the same, with transformative potential impact only."""


def star_rule_sql(cycle_start: Any, cycle_end: Any) -> ColumnElement[Any]:
    """The `StarRule` value (a string) of a plan with these cycle columns, or NULL when its
    period has no stars (founding plans, and plans under the IRM Refresh)."""
    return case(
        (cycle_start < STARS_FROM, literal(None)),
        (cycle_end >= REFRESH_FROM, literal(None)),
        (cycle_start < RAISED_BAR_FROM, literal(StarRule.MODERATE_OR_TRANSFORMATIVE.value)),
        else_=literal(StarRule.TRANSFORMATIVE.value),
    )


def _met(condition: ColumnElement[Any]) -> ColumnElement[bool]:
    """A criterion as true/false: an unrated scale (NULL) does not meet it."""
    return case((condition, True), else_=False)


def _criteria(assessment: Any, impacts: tuple[str, ...]) -> ColumnElement[bool]:
    a = assessment
    return and_(
        _met(a.verifiable.is_(True)),
        or_(a.access_to_information, a.civic_participation, a.public_accountability),
        _met(a.potential_impact.in_(impacts)),
        _met(a.completion.in_(HIGH_COMPLETION)),
    )


def starred_sql(
    assessment: Any = None, cycle_start: Any = None, cycle_end: Any = None
) -> ColumnElement[bool | None]:
    """Whether a commitment is starred, as a boolean SQL expression (NULL: not assessed, or a
    period without stars). Arguments: the `irm_assessments` table or alias (outer-joined: its
    `commitment_id` NULL means no assessment) and the plan's `cycle_start`/`cycle_end`
    columns; defaults are the tables themselves (`IrmAssessment`, `ActionPlan`), so a query
    that joins commitments, their plans and (outer) their assessments writes `starred_sql()`.
    """
    a = IrmAssessment.__table__.c if assessment is None else getattr(assessment, "c", assessment)
    start = ActionPlan.cycle_start if cycle_start is None else cycle_start
    end = ActionPlan.cycle_end if cycle_end is None else cycle_end
    moderate = (PotentialImpact.MODERATE.value, PotentialImpact.TRANSFORMATIVE.value)
    transformative = (PotentialImpact.TRANSFORMATIVE.value,)
    rule = star_rule_sql(start, end)
    expression = case(
        (a.commitment_id.is_(None), literal(None)),
        (rule.is_(None), literal(None)),
        (rule == StarRule.MODERATE_OR_TRANSFORMATIVE.value, _criteria(a, moderate)),
        (rule == StarRule.TRANSFORMATIVE.value, _criteria(a, transformative)),
        else_=false(),
    )
    return type_coerce(expression, Boolean)


def ambitious_sql(assessment: Any = None) -> ColumnElement[bool | None]:
    """Whether an assessed commitment is ambitious: potential for results SUBSTANTIAL, or
    potential impact TRANSFORMATIVE (NULL when there is no assessment, false when neither scale
    says so)."""
    a = IrmAssessment.__table__.c if assessment is None else getattr(assessment, "c", assessment)
    expression = case(
        (a.commitment_id.is_(None), literal(None)),
        (
            or_(
                _met(a.potential_for_results == PotentialForResults.SUBSTANTIAL.value),
                _met(a.potential_impact == PotentialImpact.TRANSFORMATIVE.value),
            ),
            True,
        ),
        else_=False,
    )
    return type_coerce(expression, Boolean)
