"""Action plans, commitments, milestones and the IRM's assessments (issue 10, section 3), over
HTTP on both databases: each mutation's success, user errors and refusal, and the documents and
helpers the other commitment tests share. The demo's plans read through every entry point are in
tests/test_commitments_reads.py. The starred rule of each period and the database's own guards
are in tests/test_commitments_database.py.
"""

from __future__ import annotations

from typing import Any

from core.testing import GraphQLClient

ERRORS = "userErrors { code field message }"
COMMITMENT = """id reference position title leadInstitution sourceUrl themes starred illustrative
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


# --- Writes --------------------------------------------------------------------------------------


async def refusal(
    client: GraphQLClient, document: str, variables: dict[str, Any], token: str | None
) -> str:
    body = (await client.post(document, variables, token=token)).json()
    assert body["data"] is None or all(v is None for v in body["data"].values()), body
    return str(body["errors"][0]["extensions"]["code"])


def plan_input(**more: Any) -> dict[str, Any]:
    return {
        "country": "GB",
        "title": "United Kingdom Action Plan 2031-2033",
        "cycleStart": "2031-01-01",
        "cycleEnd": "2032-12-31",
        "cohort": 2031,
        "sourceUrl": "https://www.opengovpartnership.org/members/united-kingdom/",
        **more,
    }


async def test_staff_record_a_plan_with_its_commitments(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db)
    staff = role_tokens["staff"]
    plan = ok(
        (
            await client.execute(
                PLAN_CREATE, {"input": plan_input(submittedOn="2030-12-15")}, token=staff
            )
        )["actionPlanCreate"]
    )["actionPlan"]
    assert plan["country"] == {"code": "GB"} and plan["illustrative"] is False
    assert (plan["cycleStart"], plan["cycleEnd"], plan["submittedOn"]) == (
        "2031-01-01",
        "2032-12-31",
        "2030-12-15",
    )
    for bad, code, field in (
        (plan_input(cycleEnd="2031-01-01"), "INVALID_CYCLE", "cycleEnd"),
        (plan_input(country="XX"), "UNKNOWN_COUNTRY", "country"),
        (plan_input(cohort=2010), "OUT_OF_RANGE", "cohort"),
        (plan_input(sourceUrl=None), "SOURCE_REQUIRED", "sourceUrl"),
        (plan_input(sourceUrl="ftp://example.org/plan"), "INVALID_URL", "sourceUrl"),
        (plan_input(title="  "), "REQUIRED", "title"),
        (plan_input(), "ACTION_PLAN_EXISTS", "cycleStart"),
    ):
        result = await client.execute(PLAN_CREATE, {"input": bad}, token=staff)
        refused(result["actionPlanCreate"], code, field)
    illustrative = plan_input(
        cycleStart="2033-01-01", cycleEnd="2034-12-31", sourceUrl=None, illustrative=True
    )
    ok(
        (await client.execute(PLAN_CREATE, {"input": illustrative}, token=staff))[
            "actionPlanCreate"
        ]
    )
    for role, code in (("anchor", "FORBIDDEN"), ("member", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        token = role_tokens[role] if role else None
        variables = {"input": plan_input(cycleStart="2035-01-01", cycleEnd="2036-12-31")}
        assert await refusal(client, PLAN_CREATE, variables, token) == code

    commitment = {
        "actionPlanId": plan["id"],
        "reference": "UK0099",
        "title": "Beneficial ownership of overseas entities",
        "leadInstitution": "Companies House",
        "sourceUrl": "https://www.opengovpartnership.org/members/united-kingdom/",
        "themes": [" Beneficial-Ownership", "anti-corruption", "anti-corruption"],
        "milestones": [
            {"title": "Register opens", "dueOn": "2031-06-30"},
            {"title": "Register verified", "dueOn": "2033-06-30", "status": "LIMITED"},
        ],
    }
    made = ok(
        (await client.execute(CREATE, {"input": commitment}, token=staff))["commitmentCreate"]
    )
    c = made["commitment"]
    assert c["sourceUrl"] == "https://www.opengovpartnership.org/members/united-kingdom/"
    assert (c["reference"], c["position"], c["starred"], c["irmAssessment"]) == (
        "UK0099",
        1,
        None,
        None,
    )
    assert c["themes"] == ["anti-corruption", "beneficial-ownership"]  # normalised, sorted
    assert c["milestones"] == [
        {
            "position": 1,
            "title": "Register opens",
            "dueOn": "2031-06-30",
            "status": "NOT_STARTED",
            "illustrative": False,
        },
        # due after the cycle's end: real plans have such milestones, so it is allowed
        {
            "position": 2,
            "title": "Register verified",
            "dueOn": "2033-06-30",
            "status": "LIMITED",
            "illustrative": False,
        },
    ]
    second = {**commitment, "reference": "UK0100", "milestones": []}
    assert (
        ok((await client.execute(CREATE, {"input": second}, token=staff))["commitmentCreate"])[
            "commitment"
        ]["position"]
        == 2
    )
    for bad, code, field in (
        ({**commitment, "themes": ["open data"]}, "INVALID_TOPIC", "themes"),
        ({**commitment, "reference": "UK0100"}, "DUPLICATE_REFERENCE", "reference"),
        ({**commitment, "actionPlanId": c["id"]}, "NOT_FOUND", "actionPlanId"),
        (
            {**commitment, "reference": "UK0101", "milestones": [{"title": " "}]},
            "REQUIRED",
            "milestones",
        ),
        ({**commitment, "reference": "UK0101", "title": ""}, "REQUIRED", "title"),
        ({**commitment, "reference": "UK0101", "sourceUrl": None}, "SOURCE_REQUIRED", "sourceUrl"),
        ({**commitment, "reference": "UK0101", "sourceUrl": "ftp://x"}, "INVALID_URL", "sourceUrl"),
    ):
        refused(
            (await client.execute(CREATE, {"input": bad}, token=staff))["commitmentCreate"],
            code,
            field,
        )
    assert (
        await refusal(
            client, CREATE, {"input": {**commitment, "reference": "X1"}}, role_tokens["anchor"]
        )
        == "FORBIDDEN"
    )

    update = {"id": c["id"], "title": "Overseas entities", "themes": ["beneficial-ownership"]}
    changed = ok((await client.execute(UPDATE, {"input": update}, token=staff))["commitmentUpdate"])
    assert changed["commitment"]["title"] == "Overseas entities"
    assert changed["commitment"]["themes"] == ["beneficial-ownership"]
    assert changed["commitment"]["leadInstitution"] == "Companies House"  # not given: unchanged
    refused(
        (
            await client.execute(
                UPDATE, {"input": {"id": c["id"], "reference": "UK0100"}}, token=staff
            )
        )["commitmentUpdate"],
        "DUPLICATE_REFERENCE",
        "reference",
    )
    refused(
        (await client.execute(UPDATE, {"input": {"id": plan["id"]}}, token=staff))[
            "commitmentUpdate"
        ],
        "NOT_FOUND",
        "id",
    )
    assert await refusal(client, UPDATE, {"input": update}, None) == "UNAUTHENTICATED"

    node = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Commitment { milestones { id } } } }",
        {"id": c["id"]},
    )
    milestone = node["node"]["milestones"][0]["id"]
    moved = ok(
        (await client.execute(STATUS, {"id": milestone, "s": "COMPLETE"}, token=staff))[
            "milestoneStatusSet"
        ]
    )["milestone"]
    assert moved["status"] == "COMPLETE" and moved["statusUpdatedAt"] is not None
    assert moved["commitment"] == {"reference": "UK0099"}
    refused(
        (await client.execute(STATUS, {"id": c["id"], "s": "COMPLETE"}, token=staff))[
            "milestoneStatusSet"
        ],
        "NOT_FOUND",
        "id",
    )
    assert (
        await refusal(client, STATUS, {"id": milestone, "s": "LIMITED"}, role_tokens["anchor"])
        == "FORBIDDEN"
    )


async def test_the_irm_assessment_is_recorded_by_staff_and_starred_derived(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db)
    staff = role_tokens["staff"]
    target = await commitment_id(client, "CL0040")  # a 2016-2018 plan: the raised bar
    rating = {
        "commitmentId": target,
        "sourceTitle": "Chile End-of-Term Report 2016-2018",
        "sourceUrl": "https://www.opengovpartnership.org/members/chile/commitments/CL0040/",
        "verifiable": True,
        "accessToInformation": True,
        "potentialImpact": "MODERATE",
        "completion": "COMPLETE",
    }
    first = ok(
        (await client.execute(RECORD, {"input": rating}, token=staff))["irmAssessmentRecord"]
    )["irmAssessment"]
    assert (first["starred"], first["starRule"], first["ambitious"]) == (
        False,
        "TRANSFORMATIVE",
        False,
    )
    assert first["id"] != target and first["commitment"] == {
        "reference": "CL0040",
        "starred": False,
    }
    again = {**rating, "potentialImpact": "TRANSFORMATIVE"}  # replaces: one per commitment
    second = ok(
        (await client.execute(RECORD, {"input": again}, token=staff))["irmAssessmentRecord"]
    )["irmAssessment"]
    assert (second["id"], second["starred"], second["ambitious"]) == (first["id"], True, True)
    assert await refs(client, starred=True) == ["CL0033", "CL0040"]
    for bad, code, field in (
        (
            {**rating, "potentialForResults": "SUBSTANTIAL"},
            "TWO_POTENTIAL_SCALES",
            "potentialImpact",
        ),
        ({**rating, "sourceUrl": None}, "SOURCE_REQUIRED", "sourceUrl"),
        ({**rating, "sourceTitle": ""}, "REQUIRED", "sourceTitle"),
        ({**rating, "commitmentId": first["id"]}, "NOT_FOUND", "commitmentId"),
    ):
        refused(
            (await client.execute(RECORD, {"input": bad}, token=staff))["irmAssessmentRecord"],
            code,
            field,
        )
    for role, code in (("anchor", "FORBIDDEN"), ("other", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        token = role_tokens[role] if role else None
        assert await refusal(client, RECORD, {"input": rating}, token) == code
    unchanged = await client.execute(COMMITMENTS, {"f": {"starred": True}, "first": 10})
    assert [n["reference"] for n in unchanged["commitments"]["nodes"]] == ["CL0033", "CL0040"]


async def test_a_groups_anchors_link_and_unlink_commitments(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db)
    anchor = role_tokens["anchor"]  # an anchor of the open data group
    open_data = await group_id(client, "open-data")
    extractives = await group_id(client, "extractive-industries")
    chile_bo = await commitment_id(client, "CL0061")
    linked = ok(
        (await client.execute(LINK, {"c": chile_bo, "g": open_data}, token=anchor))[
            "commitmentGroupLink"
        ]
    )["commitment"]
    assert [g["slug"] for g in linked["workingGroups"]] == [
        "extractive-industries",
        "fiscal-openness",
        "open-data",
    ]  # by name
    refused(
        (await client.execute(LINK, {"c": chile_bo, "g": open_data}, token=anchor))[
            "commitmentGroupLink"
        ],
        "GROUP_ALREADY_LINKED",
        "groupId",
    )
    refused(
        (await client.execute(LINK, {"c": open_data, "g": open_data}, token=anchor))[
            "commitmentGroupLink"
        ],
        "NOT_FOUND",
        "commitmentId",
    )
    assert await refs(client, group=open_data) == ["KE-DEMO-OC", "CL0061", "CL0040"]
    for token, code in (
        (role_tokens["member"], "FORBIDDEN"),
        (role_tokens["other"], "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ):
        assert await refusal(client, LINK, {"c": chile_bo, "g": open_data}, token) == code
    # an anchor of one group cannot link commitments to another
    assert await refusal(client, UNLINK, {"c": chile_bo, "g": extractives}, anchor) == "FORBIDDEN"
    unlinked = ok(
        (await client.execute(UNLINK, {"c": chile_bo, "g": open_data}, token=anchor))[
            "commitmentGroupUnlink"
        ]
    )["commitment"]
    assert "open-data" not in [g["slug"] for g in unlinked["workingGroups"]]
    refused(
        (await client.execute(UNLINK, {"c": chile_bo, "g": open_data}, token=anchor))[
            "commitmentGroupUnlink"
        ],
        "GROUP_NOT_LINKED",
        "groupId",
    )
    staff = ok(
        (
            await client.execute(
                UNLINK, {"c": chile_bo, "g": extractives}, token=role_tokens["staff"]
            )
        )["commitmentGroupUnlink"]
    )
    assert [g["slug"] for g in staff["commitment"]["workingGroups"]] == ["fiscal-openness"]
