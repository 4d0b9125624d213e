"""Corrections after creation (core/commitments/editing.py), over HTTP on both databases: an
action plan extended (its cycle end decides the IRM's star period) or corrected, a commitment's
milestones added, retitled, re-dated and moved, and its lead institution kept, replaced or
removed (`commitmentUpdate`); each with its user errors and the refusal of everyone but staff.
"""

from __future__ import annotations

from typing import Any

from tests.test_commitments import ERRORS, PLAN_CREATE, ok, plan_input, refusal, refused

PLAN_UPDATE = f"""mutation($input: ActionPlanUpdateInput!) {{
  actionPlanUpdate(input: $input) {{ actionPlan {{ id title cycleStart cycleEnd cohort
    submittedOn sourceUrl illustrative }} {ERRORS} }} }}"""
CREATE = f"""mutation($input: CommitmentCreateInput!) {{
  commitmentCreate(input: $input) {{ commitment {{ id milestones {{ id }} }} {ERRORS} }} }}"""
ADD = f"""mutation($input: MilestoneAddInput!) {{
  milestoneAdd(input: $input) {{ milestone {{ id position title dueOn status }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: MilestoneUpdateInput!) {{
  milestoneUpdate(input: $input) {{ milestone {{ id position title dueOn }} {ERRORS} }} }}"""
LEAD = f"""mutation($input: CommitmentUpdateInput!) {{
  commitmentUpdate(input: $input) {{ commitment {{ title leadInstitution }} {ERRORS} }} }}"""
MILESTONES = """query($id: ID!) { node(id: $id) { ... on Commitment {
  milestones { position title dueOn } } } }"""


async def test_staff_extend_and_correct_an_action_plan(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db)
    staff = role_tokens["staff"]
    made = plan_input(cycleStart="2045-01-01", cycleEnd="2046-12-31", cohort=2045)
    plan = ok(
        (await client.execute(PLAN_CREATE, {"input": made}, token=staff))["actionPlanCreate"]
    )["actionPlan"]
    change = {"id": plan["id"], "cycleEnd": "2047-06-30", "title": " Extended plan "}
    updated = ok(
        (await client.execute(PLAN_UPDATE, {"input": change}, token=staff))["actionPlanUpdate"]
    )["actionPlan"]
    assert (updated["title"], updated["cycleStart"], updated["cycleEnd"], updated["cohort"]) == (
        "Extended plan",
        "2045-01-01",
        "2047-06-30",
        2045,
    )
    plan_id = plan["id"]
    for bad, code, field in (
        ({"cycleEnd": "2044-12-31"}, "INVALID_CYCLE", "cycleEnd"),
        ({"cycleStart": "2048-01-01"}, "INVALID_CYCLE", "cycleStart"),
        ({"cohort": 2010}, "OUT_OF_RANGE", "cohort"),
        ({"sourceUrl": "ftp://example.org/plan"}, "INVALID_URL", "sourceUrl"),
        ({"title": "  "}, "REQUIRED", "title"),
        ({"id": "QWN0aW9uUGxhbjo5OTk5"}, "NOT_FOUND", "id"),
    ):
        result = await client.execute(PLAN_UPDATE, {"input": {"id": plan_id, **bad}}, token=staff)
        refused(result["actionPlanUpdate"], code, field)
    # an illustrative plan without a source cannot be made factual without one
    sourceless = plan_input(
        cycleStart="2053-01-01", cycleEnd="2054-12-31", cohort=2053, sourceUrl=None,
        illustrative=True,
    )  # fmt: skip
    third = ok(
        (await client.execute(PLAN_CREATE, {"input": sourceless}, token=staff))["actionPlanCreate"]
    )["actionPlan"]
    factual = {"id": third["id"], "illustrative": False}
    result = await client.execute(PLAN_UPDATE, {"input": factual}, token=staff)
    refused(result["actionPlanUpdate"], "SOURCE_REQUIRED", "sourceUrl")
    sourced = {**factual, "sourceUrl": "https://www.opengovpartnership.org/members/"}
    result = await client.execute(PLAN_UPDATE, {"input": sourced}, token=staff)
    assert ok(result["actionPlanUpdate"])["actionPlan"]["illustrative"] is False
    # another plan of the same country may not move onto this one's start
    other = plan_input(cycleStart="2049-01-01", cycleEnd="2050-12-31", cohort=2049)
    second = ok(
        (await client.execute(PLAN_CREATE, {"input": other}, token=staff))["actionPlanCreate"]
    )
    moved = {"id": second["actionPlan"]["id"], "cycleStart": "2045-01-01"}
    refused(
        (await client.execute(PLAN_UPDATE, {"input": moved}, token=staff))["actionPlanUpdate"],
        "ACTION_PLAN_EXISTS",
        "cycleStart",
    )
    for role, code in (("anchor", "FORBIDDEN"), ("other", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        token = role_tokens[role] if role else None
        variables = {"input": {"id": plan_id, "title": "Not theirs"}}
        assert await refusal(client, PLAN_UPDATE, variables, token) == code


async def test_staff_add_retitle_and_move_milestones(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db)
    staff = role_tokens["staff"]
    made = plan_input(cycleStart="2051-01-01", cycleEnd="2052-12-31", cohort=2051)
    plan = ok((await client.execute(PLAN_CREATE, {"input": made}, token=staff))["actionPlanCreate"])
    commitment = {
        "actionPlanId": plan["actionPlan"]["id"],
        "reference": "GB-EDIT-1",
        "title": "Milestones to correct",
        "illustrative": True,
        "milestones": [{"title": "A"}, {"title": "B"}],
    }
    c = ok((await client.execute(CREATE, {"input": commitment}, token=staff))["commitmentCreate"])[
        "commitment"
    ]

    async def titles() -> list[tuple[int, str, str | None]]:
        node = (await client.execute(MILESTONES, {"id": c["id"]}))["node"]
        return [(m["position"], m["title"], m["dueOn"]) for m in node["milestones"]]

    add = {"commitmentId": c["id"], "title": "First", "dueOn": "2051-03-31", "position": 1}
    first = ok((await client.execute(ADD, {"input": add}, token=staff))["milestoneAdd"])[
        "milestone"
    ]
    assert (first["position"], first["status"]) == (1, "NOT_STARTED")
    end = {"commitmentId": c["id"], "title": "Last"}
    assert (
        ok((await client.execute(ADD, {"input": end}, token=staff))["milestoneAdd"])["milestone"][
            "position"
        ]
        == 4
    )
    assert await titles() == [
        (1, "First", "2051-03-31"),
        (2, "A", None),
        (3, "B", None),
        (4, "Last", None),
    ]

    change = {"id": first["id"], "title": "Moved", "dueOn": "2052-01-31", "position": 3}
    moved = ok((await client.execute(UPDATE, {"input": change}, token=staff))["milestoneUpdate"])
    assert moved["milestone"]["position"] == 3
    assert await titles() == [
        (1, "A", None),
        (2, "B", None),
        (3, "Moved", "2052-01-31"),
        (4, "Last", None),
    ]
    back = {"id": first["id"], "position": 1}
    ok((await client.execute(UPDATE, {"input": back}, token=staff))["milestoneUpdate"])
    assert [t for _, t, _ in await titles()] == ["Moved", "A", "B", "Last"]

    for document, key, bad, code, field in (
        (ADD, "milestoneAdd", {**add, "position": 6}, "OUT_OF_RANGE", "position"),
        (ADD, "milestoneAdd", {**add, "position": 0}, "OUT_OF_RANGE", "position"),
        (ADD, "milestoneAdd", {**add, "title": " "}, "REQUIRED", "title"),
        (
            ADD,
            "milestoneAdd",
            {**add, "commitmentId": plan["actionPlan"]["id"]},
            "NOT_FOUND",
            "commitmentId",
        ),
        (UPDATE, "milestoneUpdate", {"id": first["id"], "position": 5}, "OUT_OF_RANGE", "position"),
        (UPDATE, "milestoneUpdate", {"id": first["id"], "title": ""}, "REQUIRED", "title"),
        (UPDATE, "milestoneUpdate", {"id": c["id"]}, "NOT_FOUND", "id"),
    ):
        refused((await client.execute(document, {"input": bad}, token=staff))[key], code, field)
    assert [t for _, t, _ in await titles()] == ["Moved", "A", "B", "Last"]  # nothing changed
    for role, code in (("anchor", "FORBIDDEN"), ("other", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        token = role_tokens[role] if role else None
        assert await refusal(client, ADD, {"input": end}, token) == code
        assert await refusal(client, UPDATE, {"input": back}, token) == code


async def test_staff_keep_replace_and_remove_a_lead_institution(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    """`leadInstitution` left out of commitmentUpdate stays; null or blank removes it."""
    client = make_client(demo_db)
    staff = role_tokens["staff"]
    made = plan_input(cycleStart="2057-01-01", cycleEnd="2058-12-31", cohort=2057)
    plan = ok((await client.execute(PLAN_CREATE, {"input": made}, token=staff))["actionPlanCreate"])
    commitment = {
        "actionPlanId": plan["actionPlan"]["id"],
        "reference": "GB-LEAD-1",
        "title": "Led",
        "leadInstitution": "Companies House",
        "illustrative": True,
    }
    created = (await client.execute(CREATE, {"input": commitment}, token=staff))["commitmentCreate"]
    cid = ok(created)["commitment"]["id"]

    async def update(**fields: Any) -> tuple[str, str | None]:
        result = await client.execute(LEAD, {"input": {"id": cid, **fields}}, token=staff)
        changed = ok(result["commitmentUpdate"])["commitment"]
        return changed["title"], changed["leadInstitution"]

    assert await update(title="Renamed") == ("Renamed", "Companies House")  # left out: kept
    assert await update(leadInstitution=None) == ("Renamed", None)  # null: removed
    assert await update(title="Again") == ("Again", None)  # and stays removed
    assert await update(leadInstitution=" Cabinet Office ") == ("Again", "Cabinet Office")
    assert await update(leadInstitution="  ") == ("Again", None)  # blank: removed too
    assert await update(leadInstitution="Cabinet Office") == ("Again", "Cabinet Office")
    too_long = {"input": {"id": cid, "leadInstitution": "x" * 301}}
    refused(
        (await client.execute(LEAD, too_long, token=staff))["commitmentUpdate"],
        "TOO_LONG",
        "leadInstitution",
    )
    assert await update() == ("Again", "Cabinet Office")  # nothing changed
    for role, code in (("anchor", "FORBIDDEN"), ("other", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        token = role_tokens[role] if role else None
        variables = {"input": {"id": cid, "leadInstitution": None}}
        assert await refusal(client, LEAD, variables, token) == code
    assert await update() == ("Again", "Cabinet Office")
