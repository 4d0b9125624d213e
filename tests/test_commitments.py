"""Action plans, commitments, milestones and the IRM's assessments (issue 10, section 3), over
HTTP on both databases: the demo's plans read through every entry point, each mutation's
success, user errors and refusal, the starred rule of each period (stated here independently
of core/commitments/irm.py and checked against the database's answer for generated ratings),
and the database's own guards for SQL that skips the services.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from core.commitments.models import ActionPlan, Commitment, CommitmentTopic, IrmAssessment
from core.db import Database
from core.testing import GraphQLClient

ERRORS = "userErrors { code field message }"
COMMITMENT = """id reference position title leadInstitution themes starred illustrative
  actionPlan { title cohort } country { code }
  workingGroups { slug }
  milestones { position title dueOn status illustrative }
  irmAssessment { verifiable potentialImpact potentialForResults completion
                  didItOpenGovernment starred starRule ambitious illustrative }"""
PLAN_CREATE = f"""mutation($input: ActionPlanCreateInput!) {{
  actionPlanCreate(input: $input) {{ actionPlan {{ id title cycleStart cycleEnd cohort
    submittedOn sourceUrl illustrative country {{ code }} }} {ERRORS} }} }}"""
CREATE = f"""mutation($input: CommitmentCreateInput!) {{
  commitmentCreate(input: $input) {{ commitment {{ {COMMITMENT} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: CommitmentUpdateInput!) {{
  commitmentUpdate(input: $input) {{ commitment {{ {COMMITMENT} }} {ERRORS} }} }}"""
STATUS = f"""mutation($id: ID!, $s: MilestoneStatus!) {{
  milestoneStatusSet(input: {{id: $id, status: $s}}) {{
    milestone {{ id status statusUpdatedAt commitment {{ reference }} }} {ERRORS} }} }}"""
RECORD = f"""mutation($input: IrmAssessmentRecordInput!) {{
  irmAssessmentRecord(input: $input) {{ irmAssessment {{ id verifiable starred starRule
    ambitious completion potentialImpact potentialForResults sourceTitle
    commitment {{ reference starred }} }} {ERRORS} }} }}"""
LINK = f"""mutation($c: ID!, $g: ID!) {{
  commitmentGroupLink(input: {{commitmentId: $c, groupId: $g}}) {{
    commitment {{ reference workingGroups {{ slug }} }} {ERRORS} }} }}"""
UNLINK = f"""mutation($c: ID!, $g: ID!) {{
  commitmentGroupUnlink(input: {{commitmentId: $c, groupId: $g}}) {{
    commitment {{ reference workingGroups {{ slug }} }} {ERRORS} }} }}"""
COMMITMENTS = f"""query($f: CommitmentFilter, $first: Int, $after: String) {{
  commitments(filter: $f, first: $first, after: $after) {{ totalCount
    pageInfo {{ hasNextPage endCursor }} nodes {{ {COMMITMENT} }} }} }}"""


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def refused(payload: dict[str, Any], code: str, field: str | None = None) -> None:
    assert [e["code"] for e in payload["userErrors"]][:1] == [code], payload
    if field is not None:
        assert payload["userErrors"][0]["field"][:2] == ["input", field], payload
    assert next(v for k, v in payload.items() if k != "userErrors") is None


async def refs(client: GraphQLClient, **filter: Any) -> list[str]:
    data = await client.execute(COMMITMENTS, {"f": filter, "first": 100})
    return [n["reference"] for n in data["commitments"]["nodes"]]


async def group_id(client: GraphQLClient, slug: str) -> str:
    data = await client.execute("query($s: String!) { workingGroup(slug: $s) { id } }", {"s": slug})
    return str(data["workingGroup"]["id"])


async def commitment_id(client: GraphQLClient, reference: str) -> str:
    data = await client.execute(COMMITMENTS, {"f": {}, "first": 100})
    found = [n for n in data["commitments"]["nodes"] if n["reference"] == reference]
    return str(found[0]["id"])


# --- Reads over the demo -------------------------------------------------------------------------


async def test_demo_plans_through_every_entry_point(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ countries(first: 100) { code actionPlans(first: 10) { totalCount
               nodes { title cohort cycleStart cycleEnd illustrative
                       commitments { nodes { reference position } } } } } }"""
    )
    plans = {c["code"]: c["actionPlans"] for c in data["countries"] if c["actionPlans"]["totalCount"]}
    assert set(plans) == {"CL", "KE"}
    chile = plans["CL"]["nodes"]
    assert [p["title"] for p in chile] == [
        "Chile Action Plan 2018-2020",
        "Chile Action Plan 2016-2018",
        "Chile Action Plan 2014-2016",
    ]  # newest cycle first
    assert [c["reference"] for c in chile[1]["commitments"]["nodes"]] == ["CL0040", "CL0050"]
    assert all(p["illustrative"] for p in chile)  # the exact cycle dates are not sourced

    everything = await refs(client)
    assert everything == ["KE0018", "KE-DEMO-OC", "CL0061", "CL0040", "CL0050", "CL-DEMO-P10"]
    assert await refs(client, country="CHL") == ["CL0061", "CL0040", "CL0050", "CL-DEMO-P10"]
    assert await refs(client, theme="beneficial-ownership") == ["KE0018", "CL0061"]
    assert await refs(client, cohort=2016) == ["CL0040", "CL0050"]
    assert await refs(client, starred=True) == ["CL-DEMO-P10"]
    assert await refs(client, starred=False) == ["CL0061", "CL0040", "CL0050"]
    assert await refs(client, ambitious=True) == ["KE0018", "CL-DEMO-P10"]
    extractives = await group_id(client, "extractive-industries")
    assert await refs(client, group=extractives) == ["KE0018", "CL0061"]
    assert await refs(client, group="V29ya2luZ0dyb3VwOjk5OTk=") == []  # no such group
    plans_of_group = await client.execute(
        "query($g: ID!) { actionPlans(filter: {group: $g}) { nodes { title } } }",
        {"g": extractives},
    )
    assert [p["title"] for p in plans_of_group["actionPlans"]["nodes"]] == [
        "Kenya Action Plan 2018-2020",
        "Chile Action Plan 2018-2020",
    ]
    by_cohort = await client.execute(
        '{ actionPlans(filter: {country: "KE", cohort: 2018}) { totalCount } }'
    )
    assert by_cohort["actionPlans"]["totalCount"] == 1

    group = await client.execute(
        """{ workingGroup(slug: "extractive-industries") {
             actionPlanCommitments(first: 1) { totalCount pageInfo { hasNextPage endCursor }
               nodes { reference } } } }"""
    )
    page = group["workingGroup"]["actionPlanCommitments"]
    assert page["totalCount"] == 2 and page["nodes"] == [{"reference": "KE0018"}]
    assert page["pageInfo"]["hasNextPage"]


async def test_the_demo_commitments_assessed_by_the_irm(client: GraphQLClient) -> None:
    data = await client.execute(COMMITMENTS, {"f": {}, "first": 100})
    by_ref = {n["reference"]: n for n in data["commitments"]["nodes"]}
    chile_bo = by_ref["CL0061"]
    assert chile_bo["themes"] == ["anti-corruption", "beneficial-ownership"]
    assert chile_bo["irmAssessment"]["completion"] == "COMPLETE"
    assert chile_bo["leadInstitution"] == "Unidad de Análisis Financiero"
    assert [m["status"] for m in chile_bo["milestones"]] == ["COMPLETE"] * 3
    assert {g["slug"] for g in chile_bo["workingGroups"]} == {
        "extractive-industries",
        "fiscal-openness",
    }
    starred = by_ref["CL-DEMO-P10"]["irmAssessment"]
    assert starred == {
        "verifiable": True,
        "potentialImpact": "TRANSFORMATIVE",
        "potentialForResults": None,
        "completion": "SUBSTANTIAL",
        "didItOpenGovernment": "MAJOR",
        "starred": True,
        "starRule": "TRANSFORMATIVE",
        "ambitious": True,
        "illustrative": True,
    }
    # Kenya's 2018 plan ran into 2021: assessed by a Transitional Results Report, no stars
    kenya = by_ref["KE0018"]
    assert kenya["starred"] is None and kenya["irmAssessment"]["starRule"] is None
    assert by_ref["KE-DEMO-OC"]["irmAssessment"] is None and by_ref["KE-DEMO-OC"]["starred"] is None

    node = await client.execute(
        "query($id: ID!) { node(id: $id) { __typename ... on Commitment { reference "
        "irmAssessment { id } milestones { id } actionPlan { id } } } }",
        {"id": chile_bo["id"]},
    )
    found = node["node"]
    assert found["reference"] == "CL0061"
    ids = [found["irmAssessment"]["id"], found["milestones"][0]["id"], found["actionPlan"]["id"]]
    nodes = await client.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", {"ids": ids}
    )
    assert [n["__typename"] for n in nodes["nodes"]] == ["IrmAssessment", "Milestone", "ActionPlan"]
