"""Action plans, commitments and the IRM's assessments of the demo (issue 10, section 3), read
over HTTP on both databases through every entry point. The writes are in
tests/test_commitments.py.
"""

from __future__ import annotations

from core.testing import GraphQLClient
from tests.test_commitments import COMMITMENTS, group_id, refs


async def test_demo_plans_through_every_entry_point(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ countries(first: 100) { code actionPlans(first: 10) { totalCount
               nodes { title cohort cycleStart cycleEnd illustrative
                       commitments { nodes { reference position } } } } } }"""
    )
    plans = {
        c["code"]: c["actionPlans"] for c in data["countries"] if c["actionPlans"]["totalCount"]
    }
    assert set(plans) == {"CL", "KE"}
    chile = plans["CL"]["nodes"]
    assert [p["title"] for p in chile] == [
        "Chile Action Plan 2018-2020",
        "Chile Action Plan 2016-2018",
        "Chile Action Plan 2014-2016",
    ]  # newest cycle first
    assert [c["reference"] for c in chile[1]["commitments"]["nodes"]] == [
        "CL0033",
        "CL0040",
        "CL0050",
    ]
    assert chile[2]["commitments"]["nodes"] == []  # the 2014-2016 plan: none in the demo
    assert all(p["illustrative"] for p in chile)  # the exact cycle dates are not sourced

    everything = await refs(client)
    assert everything == ["KE0018", "KE-DEMO-OC", "CL0061", "CL0033", "CL0040", "CL0050"]
    assert await refs(client, country="CHL") == ["CL0061", "CL0033", "CL0040", "CL0050"]
    assert await refs(client, theme="beneficial-ownership") == ["KE0018", "CL0061"]
    assert await refs(client, cohort=2016) == ["CL0033", "CL0040", "CL0050"]
    assert await refs(client, starred=True) == ["CL0033"]
    assert await refs(client, starred=False) == ["CL0040", "CL0050"]  # CL0061: Refresh, null
    assert await refs(client, ambitious=True) == ["KE0018", "CL0033"]
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
    starred = by_ref["CL0033"]["irmAssessment"]
    assert starred == {
        "verifiable": True,
        "potentialImpact": "TRANSFORMATIVE",
        "potentialForResults": None,
        "completion": "SUBSTANTIAL",
        "didItOpenGovernment": None,
        "starred": True,
        "starRule": "TRANSFORMATIVE",
        "ambitious": True,
        "illustrative": True,
    }
    assert by_ref["CL0033"]["leadInstitution"].startswith("Ministerio del Medio Ambiente")
    assert by_ref["CL0033"]["sourceUrl"] == (
        "https://www.opengovpartnership.org/members/chile/commitments/CL0033/"
    )
    assert by_ref["KE-DEMO-OC"]["sourceUrl"] is None  # illustrative
    # Kenya's 2018 plan ran into 2021 and Chile's ended in 2020: both assessed by
    # Transitional Results Reports (IRM Refresh), no stars
    assert by_ref["CL0061"]["starred"] is None
    assert by_ref["CL0061"]["irmAssessment"]["starRule"] is None
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
