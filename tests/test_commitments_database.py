"""Action plans, commitments and the IRM's assessments (issue 10, section 3), on both
databases: the starred rule of each period (stated here independently of
core/commitments/irm.py and checked against the database's answer for generated ratings), and
the database's own guards for SQL that skips the services.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from core.commitments.models import ActionPlan, Commitment, CommitmentTopic, IrmAssessment
from core.db import Base, Database
from core.transactions import ConstraintErrors
from tests.test_commitments import CREATE, PLAN_CREATE, RECORD, ok, plan_input, refs

# --- The starred rule, for every rating and period -----------------------------------------------

STARS_FROM, RAISED_BAR_FROM, REFRESH_FROM = date(2012, 1, 1), date(2014, 1, 1), date(2020, 1, 1)
PERIODS = [  # (cycle start, cycle end): each period and each side of each boundary
    (date(2011, 10, 1), date(2013, 6, 30)),  # a founding plan: no stars yet
    (date(2012, 1, 1), date(2013, 12, 31)),  # the 2014 criteria (moderate or transformative)
    (date(2013, 12, 31), date(2015, 12, 30)),
    (date(2014, 1, 1), date(2015, 12, 31)),  # the raised bar (transformative only)
    (date(2017, 12, 31), date(2019, 12, 31)),
    (date(2018, 1, 1), date(2020, 1, 1)),  # assessed under the IRM Refresh: no stars
    (date(2018, 9, 1), date(2020, 8, 31)),  # Chile 2018-2020 (CL0061: Transitional Results)
    (date(2022, 1, 1), date(2024, 12, 31)),
]
IMPACTS = [None, "NONE", "MINOR", "MODERATE", "TRANSFORMATIVE"]
RESULTS = [None, "UNCLEAR", "MODEST", "SUBSTANTIAL"]
COMPLETIONS = [None, "NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE"]


def expected_star(start: date, end: date, r: dict[str, Any]) -> bool | None:
    """The IRM's rule, restated from its sources (OGP blog "IRM to Raise the Bar for Model
    Commitments in OGP", 2015; the IRM Refresh, whose Transitional Results Reports assessed
    plans ending in 2020, e.g. Chile's 2018-2020, OGP's CL0061 page) independently of core/commitments/irm.py."""
    if start < STARS_FROM or end >= REFRESH_FROM:
        return None
    impacts = {"TRANSFORMATIVE"} if start >= RAISED_BAR_FROM else {"MODERATE", "TRANSFORMATIVE"}
    relevant = r["accessToInformation"] or r["civicParticipation"] or r["publicAccountability"]
    return bool(
        r["verifiable"] is True
        and relevant
        and r["potentialImpact"] in impacts
        and r["completion"] in ("SUBSTANTIAL", "COMPLETE")
    )


@st.composite
def ratings(draw: st.DrawFn) -> tuple[int, dict[str, Any]]:
    impact = draw(st.sampled_from(IMPACTS))
    rating = {
        "verifiable": draw(st.sampled_from([None, False, True])),
        "accessToInformation": draw(st.booleans()),
        "civicParticipation": draw(st.booleans()),
        "publicAccountability": draw(st.booleans()),
        "technologyAndInnovation": draw(st.booleans()),
        "potentialImpact": impact,
        "potentialForResults": None if impact else draw(st.sampled_from(RESULTS)),
        "completion": draw(st.sampled_from(COMPLETIONS)),
    }
    return draw(st.integers(0, len(PERIODS) - 1)), rating


def test_starred_follows_the_irm_rule_of_the_plans_period(
    demo_db: str, role_tokens: dict[str, str]
) -> None:
    from core.testing import ClientFactory

    loop = asyncio.new_event_loop()
    factory = ClientFactory()
    client = factory(demo_db)
    staff = role_tokens["staff"]
    run = loop.run_until_complete
    try:
        targets = []
        for i, (start, end) in enumerate(PERIODS):
            plan = run(
                client.execute(
                    PLAN_CREATE,
                    {
                        "input": plan_input(
                            title=f"Period {i}",
                            cycleStart=start.isoformat(),
                            cycleEnd=end.isoformat(),
                            cohort=max(start.year, 2011),
                        )
                    },
                    token=staff,
                )
            )["actionPlanCreate"]
            made = run(
                client.execute(
                    CREATE,
                    {
                        "input": {
                            "actionPlanId": ok(plan)["actionPlan"]["id"],
                            "reference": f"P{i}",
                            "title": f"Period {i}",
                            "illustrative": True,
                        }
                    },
                    token=staff,
                )
            )["commitmentCreate"]
            targets.append(ok(made)["commitment"]["id"])

        @settings(
            max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(ratings())
        def check(drawn: tuple[int, dict[str, Any]]) -> None:
            period, rating = drawn
            start, end = PERIODS[period]
            variables = {
                "input": {
                    "commitmentId": targets[period],
                    "sourceTitle": "Generated",
                    "illustrative": True,
                    **rating,
                }
            }
            done = ok(run(client.execute(RECORD, variables, token=staff))["irmAssessmentRecord"])
            found = done["irmAssessment"]
            star = expected_star(start, end, rating)
            assert found["starred"] is star, (start, end, rating, found)
            assert found["commitment"]["starred"] is star
            assert (found["starRule"] is None) == (star is None)
            ambitious = rating["potentialImpact"] == "TRANSFORMATIVE" or (
                rating["potentialForResults"] == "SUBSTANTIAL"
            )
            assert found["ambitious"] is ambitious
            # the filter asks the same expression
            if star is not None:
                listed = run(refs(client, actionPlan=None, starred=star, country="GB"))
                assert f"P{period}" in listed

        check()
    finally:
        run(factory.close())
        loop.close()


# --- The database's own guards -------------------------------------------------------------------

CONSTRAINTS = ConstraintErrors.build([], Base.metadata)
"""Reads the refused constraint's name from either database's error, as core.transactions does."""


async def test_sql_that_skips_the_services_is_refused(demo_db: str) -> None:
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            plan = (
                await conn.execute(
                    sa.select(*ActionPlan.__table__.c).where(ActionPlan.cohort == 2016)
                )
            ).first()
            other = await conn.scalar(sa.select(ActionPlan.id).where(ActionPlan.cohort == 2014))
            commitment = (
                await conn.execute(
                    sa.select(*Commitment.__table__.c).where(Commitment.reference == "CL0040")
                )
            ).first()
        assert plan is not None and commitment is not None
        now = datetime.now(UTC)
        good_plan = {
            "country_id": plan.country_id,
            "title": "SQL plan",
            "cycle_start": date(2040, 1, 1),
            "cycle_end": date(2041, 12, 31),
            "cohort": 2040,
            "illustrative": True,
            "created_at": now,
        }
        bad_writes: list[tuple[str, Any]] = [
            (
                "ck_action_plans_cycle_order",
                sa.insert(ActionPlan).values({**good_plan, "cycle_end": date(2040, 1, 1)}),
            ),
            (
                "ck_action_plans_cohort_range",
                sa.insert(ActionPlan).values({**good_plan, "cohort": 2010}),
            ),
            (
                "ck_action_plans_sourced_or_illustrative",
                sa.insert(ActionPlan).values({**good_plan, "illustrative": False}),
            ),
            (
                "uq_action_plans_country_id_cycle_start",
                sa.insert(ActionPlan).values({**good_plan, "cycle_start": plan.cycle_start}),
            ),
            (
                "uq_commitments_action_plan_id_reference",
                sa.insert(Commitment).values(
                    action_plan_id=plan.id,
                    reference="CL0040",
                    position=9,
                    title="Again",
                    description="",
                    illustrative=True,
                    created_at=now,
                    updated_at=now,
                ),
            ),
            (
                "ck_commitments_sourced_or_illustrative",
                sa.update(Commitment)
                .where(Commitment.id == commitment.id)
                .values(illustrative=False, source_url=None),
            ),
            (
                "ck_commitments_plan_fixed",
                sa.update(Commitment)
                .where(Commitment.id == commitment.id)
                .values(action_plan_id=other),
            ),
            (
                "ck_commitment_topics_topic",
                sa.insert(CommitmentTopic).values(commitment_id=commitment.id, topic="Open Data"),
            ),
            (
                "ck_irm_assessments_one_potential_scale",
                sa.update(IrmAssessment)
                .where(IrmAssessment.commitment_id == commitment.id)
                .values(potential_impact="MINOR", potential_for_results="MODEST"),
            ),
            (
                "pk_irm_assessments",
                sa.insert(IrmAssessment).values(
                    commitment_id=commitment.id,
                    source_title="Twice",
                    illustrative=True,
                    access_to_information=False,
                    civic_participation=False,
                    public_accountability=False,
                    technology_and_innovation=False,
                    recorded_at=now,
                ),
            ),
            (
                "ck_irm_assessments_sourced_or_illustrative",
                sa.update(IrmAssessment)
                .where(IrmAssessment.commitment_id == commitment.id)
                .values(illustrative=False, source_url=None),
            ),
        ]
        for name, statement in bad_writes:
            try:
                async with db.write() as conn:
                    await conn.execute(statement)
            except IntegrityError as exc:
                refused_write = exc
            else:
                raise AssertionError(f"{name}: the write was not refused")
            names = CONSTRAINTS.constraint_names(refused_write)
            if name.startswith("pk_") and not names:  # SQLite names a primary key's columns
                assert "irm_assessments.commitment_id" in str(refused_write.orig), name
            else:
                assert names == [name], (name, str(refused_write.orig))
        # and the same rows are accepted when the rule holds (the guards are not blanket refusals)
        async with db.write() as conn:
            await conn.execute(sa.insert(ActionPlan).values(good_plan))
            await conn.execute(
                sa.update(Commitment)
                .where(Commitment.id == commitment.id)
                .values(action_plan_id=plan.id, title="Renamed by SQL")
            )
    finally:
        await db.dispose()
