"""Priority areas agreed by consensus (issue 9, section 1), over HTTP on both databases.

The whole workflow (propose, open, positions, withdraw, close at a meeting), every user error
code of the domain, the consensus arithmetic under the default rule and a configured one (and a
rule changed after closing leaving the recorded outcome alone), the history of positions, the
refusals, and the database's own guards (one current position, an objection's reason).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.auth.staff import grant_staff
from core.auth.tokens import issue_token
from core.db import Database
from core.models import Person
from core.priorities.consensus import Rule, Tally, reached
from core.priorities.models import (
    PositionStance,
    PriorityArea,
    PriorityAreaPosition,
    PriorityAreaStatus,
)
from core.schema.ids import from_global_id
from core.testing import GraphQLClient

ERRORS = "userErrors { code field message }"
AREA = """id title rationale status illustrative createdAt openedAt closesAt
  proposedBy { id } group { id } countries { code } thematicRecordIds
  outcome { agreed decidedAt meeting { id } }
  consensus { endorsements objections participants memberOrganizations reached recorded
              rule { objectionsBlock minEndorsementShare isDefault } }"""
PROPOSE = f"""mutation($input: PriorityAreaProposeInput!) {{
  priorityAreaPropose(input: $input) {{ priorityArea {{ {AREA} }} {ERRORS} }} }}"""
OPEN = f"""mutation($id: ID!, $at: DateTime!) {{
  priorityAreaOpen(input: {{id: $id, closesAt: $at}}) {{ priorityArea {{ {AREA} }} {ERRORS} }} }}"""
MOVE = f"""mutation($id: ID!, $at: DateTime!) {{
  priorityAreaClosingDateSet(input: {{id: $id, closesAt: $at}}) {{
    priorityArea {{ id closesAt }} {ERRORS} }} }}"""
CLOSE = f"""mutation($id: ID!, $m: ID) {{
  priorityAreaClose(input: {{id: $id, meetingId: $m}}) {{ priorityArea {{ {AREA} }} {ERRORS} }} }}"""
ARCHIVE = f"""mutation($id: ID!) {{
  priorityAreaArchive(input: {{id: $id}}) {{ priorityArea {{ id status outcome {{ agreed }} }}
  {ERRORS} }} }}"""
POSITION = """id stance reason current takenAt supersededAt organization { id }
  priorityArea { id }"""
TAKE = f"""mutation($a: ID!, $s: PositionChoice!, $r: String, $o: ID) {{
  priorityAreaPositionTake(input: {{priorityAreaId: $a, stance: $s, reason: $r,
    organizationId: $o}}) {{ position {{ {POSITION} }} {ERRORS} }} }}"""
WITHDRAW = f"""mutation($a: ID!, $o: ID) {{
  priorityAreaObjectionWithdraw(input: {{priorityAreaId: $a, organizationId: $o}}) {{
    position {{ {POSITION} }} {ERRORS} }} }}"""
RULE = f"""mutation($g: ID!, $b: Boolean!, $s: Float!) {{
  consensusRuleSet(input: {{groupId: $g, objectionsBlock: $b, minEndorsementShare: $s}}) {{
    workingGroup {{ id consensusRule {{ objectionsBlock minEndorsementShare isDefault }} }}
    consensusRule {{ objectionsBlock minEndorsementShare isDefault }} {ERRORS} }} }}"""
CONSENSUS = """query($id: ID!) { node(id: $id) { ... on PriorityArea { status
  consensus { endorsements objections participants memberOrganizations reached recorded
              rule { objectionsBlock minEndorsementShare isDefault } } } } }"""


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def tokens_and_group(url: str) -> dict[str, str]:
    from core.testing import token_for

    return {role: await token_for(url, role) for role in ("staff", "anchor", "member", "other")}


async def open_data(client: GraphQLClient) -> dict[str, Any]:
    """The open data pilot group's ID, its organisations by name, its meetings."""
    data = await client.execute(
        """{ workingGroup(slug: "open-data") { id
             anchors { organization { id name } }
             members(first: 100) { role organization { id name } }
             meetings(first: 100) { nodes { id title } } } }"""
    )
    group = data["workingGroup"]
    orgs = {a["organization"]["name"]: a["organization"]["id"] for a in group["anchors"]}
    orgs |= {m["organization"]["name"]: m["organization"]["id"] for m in group["members"]}
    observers = [m["organization"]["id"] for m in group["members"] if m["role"] == "OBSERVER"]
    return {"id": group["id"], "orgs": orgs, "observers": observers, "meetings": group["meetings"]}


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def refused(payload: dict[str, Any], code: str, field: str) -> None:
    assert payload["userErrors"] and payload["userErrors"][0]["code"] == code, payload
    assert payload["userErrors"][0]["field"] == ["input", field]
    assert next(v for k, v in payload.items() if k != "userErrors") is None


UK = "Government of the United Kingdom (Cabinet Office)"
KENYA = "Government of Kenya (ICT Authority)"
CANADA = "Government of Canada (Treasury Board Secretariat)"
OKF = "Open Knowledge Foundation"
URUGUAY = "Government of Uruguay (AGESIC)"
BODY = 7  # two anchors and five members (two observers do not count)


async def propose(
    client: GraphQLClient, group: str, token: str, title: str = "Open contracting", **more: Any
) -> dict[str, Any]:
    variables = {"input": {"groupId": group, "title": title, "rationale": "Why it matters", **more}}
    result = await client.execute(PROPOSE, variables, token=token)
    return ok(result["priorityAreaPropose"])["priorityArea"]


async def opened(client: GraphQLClient, group: str, tokens: dict[str, str]) -> str:
    area = await propose(client, group, tokens["member"])
    result = await client.execute(
        OPEN, {"id": area["id"], "at": later(days=7)}, token=tokens["anchor"]
    )
    return str(ok(result["priorityAreaOpen"])["priorityArea"]["id"])


async def take(
    client: GraphQLClient,
    token: str,
    area: str,
    stance: str,
    org: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    variables = {"a": area, "s": stance, "r": reason, "o": org}
    return (await client.execute(TAKE, variables, token=token))["priorityAreaPositionTake"]


async def test_the_whole_workflow(client: GraphQLClient, demo_db: str) -> None:
    tokens = await tokens_and_group(demo_db)
    od = await open_data(client)
    orgs = od["orgs"]
    # a thematic record of the group's own plugin: the open_data plugin's first node in the demo
    record = await thematic_record(client)
    area = await propose(
        client, od["id"], tokens["member"], countries=["ke", "GB", "KE"], thematicRecordIds=[record]
    )
    assert area["status"] == "PROPOSED" and area["title"] == "Open contracting"
    assert area["rationale"] == "Why it matters" and area["illustrative"] is False
    assert area["proposedBy"] == {"id": orgs[KENYA]} and area["group"] == {"id": od["id"]}
    assert sorted(c["code"] for c in area["countries"]) == ["GB", "KE"]
    assert area["thematicRecordIds"] == [record]
    assert area["openedAt"] is None and area["closesAt"] is None and area["outcome"] is None
    assert area["createdAt"]
    assert area["consensus"] == {
        "endorsements": 0, "objections": 0, "participants": 0, "memberOrganizations": BODY,
        "reached": False, "recorded": False,
        "rule": {"objectionsBlock": True, "minEndorsementShare": 0.5, "isDefault": True},
    }  # fmt: skip

    result = await client.execute(
        OPEN, {"id": area["id"], "at": later(days=3)}, token=tokens["anchor"]
    )
    opened_area = ok(result["priorityAreaOpen"])["priorityArea"]
    assert opened_area["status"] == "UNDER_DISCUSSION" and opened_area["openedAt"]
    moved_to = later(days=10)
    result = await client.execute(MOVE, {"id": area["id"], "at": moved_to}, token=tokens["anchor"])
    moved = ok(result["priorityAreaClosingDateSet"])["priorityArea"]
    assert datetime.fromisoformat(moved["closesAt"]) == datetime.fromisoformat(moved_to)

    kenya = ok(await take(client, tokens["member"], area["id"], "ENDORSE"))["position"]
    assert kenya["stance"] == "ENDORSE" and kenya["current"] and kenya["reason"] is None
    assert kenya["organization"] == {"id": orgs[KENYA]}
    assert kenya["priorityArea"] == {"id": area["id"]} and kenya["supersededAt"] is None
    ok(await take(client, tokens["anchor"], area["id"], "ENDORSE"))  # Canada, an anchor
    ok(await take(client, tokens["staff"], area["id"], "ENDORSE", orgs[UK]))
    objection = ok(await take(client, tokens["staff"], area["id"], "OBJECT", orgs[OKF], "Too soon"))
    assert objection["position"]["reason"] == "Too soon"
    live = (await client.execute(CONSENSUS, {"id": area["id"]}))["node"]["consensus"]
    assert (live["endorsements"], live["objections"], live["participants"]) == (3, 1, 4)
    assert live["reached"] is False and live["memberOrganizations"] == BODY

    result = await client.execute(
        WITHDRAW, {"a": area["id"], "o": orgs[OKF]}, token=tokens["staff"]
    )
    withdrawn = ok(result["priorityAreaObjectionWithdraw"])["position"]
    assert withdrawn["stance"] == "OBJECTION_WITHDRAWN" and withdrawn["current"]
    live = (await client.execute(CONSENSUS, {"id": area["id"]}))["node"]["consensus"]
    assert (live["endorsements"], live["objections"], live["participants"]) == (3, 0, 4)
    assert live["reached"] is True

    meeting = od["meetings"]["nodes"][0]["id"]
    result = await client.execute(CLOSE, {"id": area["id"], "m": meeting}, token=tokens["anchor"])
    closed = ok(result["priorityAreaClose"])["priorityArea"]
    assert closed["status"] == "AGREED"
    assert closed["outcome"]["agreed"] is True and closed["outcome"]["meeting"] == {"id": meeting}
    assert closed["outcome"]["decidedAt"]
    assert closed["consensus"] == {
        "endorsements": 3, "objections": 0, "participants": 4, "memberOrganizations": BODY,
        "reached": True, "recorded": True,
        "rule": {"objectionsBlock": True, "minEndorsementShare": 0.5, "isDefault": True},
    }  # fmt: skip

    # the history: the objection is kept, superseded by its withdrawal
    history = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Organization {
             priorityAreaPositions(first: 10) { totalCount nodes { stance reason current
               supersededAt priorityArea { id } } }
             current: priorityAreaPositions(first: 10, current: true) { nodes { stance } } } } }""",
        {"id": orgs[OKF]},
    )
    okf = history["node"]
    mine = [
        p for p in okf["priorityAreaPositions"]["nodes"] if p["priorityArea"]["id"] == area["id"]
    ]
    assert [(p["stance"], p["current"]) for p in mine] == [
        ("OBJECTION_WITHDRAWN", True),
        ("OBJECT", False),
    ]
    assert (
        mine[1]["reason"] == "Too soon"
        and mine[1]["supersededAt"]
        and mine[0]["supersededAt"] is None
    )
    assert {"stance": "OBJECT"} not in okf["current"]["nodes"][:1]
    positions = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on PriorityArea {
             all: positions(first: 20) { totalCount }
             current: positions(first: 20, current: true) { totalCount }
             old: positions(first: 20, current: false) { nodes { stance } } } } }""",
        {"id": area["id"]},
    )
    node = positions["node"]
    assert (node["all"]["totalCount"], node["current"]["totalCount"]) == (5, 4)
    assert node["old"]["nodes"] == [{"stance": "OBJECT"}]
    by_id = await client.execute(
        "query($id: ID!) { node(id: $id) { id ... on PriorityAreaPosition { stance } } }",
        {"id": kenya["id"]},
    )
    assert by_id["node"] == {"id": kenya["id"], "stance": "ENDORSE"}

    # the group's list, by status
    listed = await client.execute(
        """query { workingGroup(slug: "open-data") {
             agreed: priorityAreas(status: AGREED, first: 10) { nodes { id title } }
             proposed: priorityAreas(status: PROPOSED, first: 10) { totalCount } } }"""
    )
    agreed = listed["workingGroup"]["agreed"]["nodes"]
    assert {"id": area["id"], "title": "Open contracting"} in agreed
    assert listed["workingGroup"]["proposed"]["totalCount"] == 1  # the demo's

    result = await client.execute(ARCHIVE, {"id": area["id"]}, token=tokens["anchor"])
    archived = ok(result["priorityAreaArchive"])["priorityArea"]
    assert archived == {"id": area["id"], "status": "ARCHIVED", "outcome": {"agreed": True}}

    verbs = await activity_verbs(demo_db, area["id"])
    assert verbs == [
        "PRIORITY_AREA_PROPOSED", "PRIORITY_AREA_OPENED", *["POSITION_TAKEN"] * 5,
        "PRIORITY_AREA_AGREED",
    ]  # fmt: skip


async def thematic_record(client: GraphQLClient) -> str:
    """The ID of a record of the open_data plugin (the group's own): a high-value dataset."""
    data = await client.execute(
        """{ workingGroup(slug: "open-data") { ... on OpenDataGroup {
             highValueDatasets(first: 1) { nodes { id } } } } }"""
    )
    return str(data["workingGroup"]["highValueDatasets"]["nodes"][0]["id"])


async def activity_verbs(url: str, area_id: str) -> list[str]:
    decoded = from_global_id(area_id)
    assert decoded is not None
    db = Database(url)
    try:
        async with db.read() as conn:
            rows = await conn.execute(
                sa.text(
                    "SELECT verb FROM activity_events WHERE (subject_type = 'PriorityArea' AND "
                    "subject_id = :pk) OR (subject_type = 'PriorityAreaPosition' AND subject_id "
                    "IN (SELECT id FROM priority_area_positions WHERE priority_area_id = :pk)) "
                    "ORDER BY id"
                ),
                {"pk": decoded[1]},
            )
            return [row.verb for row in rows]
    finally:
        await db.dispose()


async def staff_without_organization(url: str) -> str:
    """A bearer token of a new staff member who belongs to no organisation."""
    db = Database(url)
    try:
        async with db.write() as conn:
            pk = await conn.scalar(
                sa.insert(Person).values(name="Unattached staff").returning(Person.id)
            )
            assert pk is not None
            await grant_staff(conn, pk, granted_by="test")
            return (await issue_token(conn, pk, name="test: unattached staff")).token
    finally:
        await db.dispose()


async def test_each_error_code(client: GraphQLClient, demo_db: str) -> None:
    tokens = await tokens_and_group(demo_db)
    od = await open_data(client)
    member, anchor, staff = tokens["member"], tokens["anchor"], tokens["staff"]

    async def bad_proposal(field: str, code: str, token: str = member, **values: Any) -> None:
        variables = {"input": {"groupId": od["id"], "title": "T", "rationale": "R", **values}}
        result = await client.execute(PROPOSE, variables, token=token)
        refused(result["priorityAreaPropose"], code, field)

    await bad_proposal("title", "REQUIRED", title="  ")
    await bad_proposal("title", "TOO_LONG", title="x" * 301)
    await bad_proposal("rationale", "REQUIRED", rationale="")
    await bad_proposal("countries", "UNKNOWN_COUNTRY", countries=["ZZ"])
    await bad_proposal(
        "countries", "TOO_MANY", countries=[f"{a}{b}" for a in "ABC" for b in "ABCDEFGH"]
    )
    await bad_proposal("thematicRecordIds", "NOT_FOUND", thematicRecordIds=["bm90aGluZw=="])
    meeting = od["meetings"]["nodes"][0]["id"]  # a core object, not a record of the plugin
    await bad_proposal("thematicRecordIds", "NOT_A_THEMATIC_RECORD", thematicRecordIds=[meeting])
    await bad_proposal("thematicRecordIds", "TOO_MANY", thematicRecordIds=[meeting] * 21)
    await bad_proposal(
        "organizationId", "NOT_A_MEMBER", token=staff, organizationId=od["observers"][0]
    )
    await bad_proposal("organizationId", "NOT_A_MEMBER", token=staff)  # the Support Unit is not
    await bad_proposal("groupId", "NOT_FOUND", token=staff, groupId="V29ya2luZ0dyb3VwOjk5OTk=")
    # a staff member of no organisation acts for one only by naming it
    await bad_proposal(
        "organizationId", "REQUIRED", token=await staff_without_organization(demo_db)
    )

    area = await propose(client, od["id"], member)
    refused(
        await take(client, member, area["id"], "ENDORSE"), "DISCUSSION_NOT_OPEN", "priorityAreaId"
    )
    result = await client.execute(OPEN, {"id": area["id"], "at": later(hours=-1)}, token=anchor)
    refused(result["priorityAreaOpen"], "CLOSING_DATE_PAST", "closesAt")
    result = await client.execute(MOVE, {"id": area["id"], "at": later(days=1)}, token=anchor)
    refused(result["priorityAreaClosingDateSet"], "PRIORITY_AREA_WRONG_STATUS", "id")
    result = await client.execute(CLOSE, {"id": area["id"]}, token=anchor)
    refused(result["priorityAreaClose"], "PRIORITY_AREA_WRONG_STATUS", "id")
    ok(
        (await client.execute(OPEN, {"id": area["id"], "at": later(seconds=3)}, token=anchor))[
            "priorityAreaOpen"
        ]
    )
    result = await client.execute(OPEN, {"id": area["id"], "at": later(days=1)}, token=anchor)
    refused(result["priorityAreaOpen"], "PRIORITY_AREA_WRONG_STATUS", "id")
    result = await client.execute(MOVE, {"id": area["id"], "at": later(days=-1)}, token=anchor)
    refused(result["priorityAreaClosingDateSet"], "CLOSING_DATE_PAST", "closesAt")
    refused(await take(client, member, area["id"], "OBJECT"), "REASON_REQUIRED", "reason")
    refused(
        await take(client, member, area["id"], "OBJECT", reason=" "), "REASON_REQUIRED", "reason"
    )
    refused(
        await take(client, member, area["id"], "ENDORSE", reason="x" * 5001), "TOO_LONG", "reason"
    )
    refused(
        await take(client, staff, area["id"], "ENDORSE", org=od["observers"][0]),
        "NOT_A_MEMBER",
        "organizationId",
    )
    result = await client.execute(WITHDRAW, {"a": area["id"]}, token=member)
    refused(result["priorityAreaObjectionWithdraw"], "NO_OBJECTION", "priorityAreaId")
    ok(await take(client, member, area["id"], "ENDORSE"))
    result = await client.execute(WITHDRAW, {"a": area["id"]}, token=member)  # an endorsement
    refused(result["priorityAreaObjectionWithdraw"], "NO_OBJECTION", "priorityAreaId")
    other_group = await client.execute(
        '{ workingGroup(slug: "fiscal-openness") { meetings(first: 1) { nodes { id } } } }'
    )
    elsewhere = other_group["workingGroup"]["meetings"]["nodes"][0]["id"]
    result = await client.execute(CLOSE, {"id": area["id"], "m": elsewhere}, token=anchor)
    refused(result["priorityAreaClose"], "MEETING_OF_ANOTHER_GROUP", "meetingId")
    result = await client.execute(CLOSE, {"id": "UHJpb3JpdHlBcmVhOjk5OTk5"}, token=staff)
    refused(result["priorityAreaClose"], "NOT_FOUND", "id")
    await asyncio.sleep(3.2)  # past the closing date
    refused(
        await take(client, member, area["id"], "ENDORSE"), "DISCUSSION_CLOSED", "priorityAreaId"
    )
    result = await client.execute(RULE, {"g": od["id"], "b": True, "s": 1.5}, token=anchor)
    refused(result["consensusRuleSet"], "OUT_OF_RANGE", "minEndorsementShare")
    ok((await client.execute(ARCHIVE, {"id": area["id"]}, token=anchor))["priorityAreaArchive"])
    result = await client.execute(ARCHIVE, {"id": area["id"]}, token=anchor)
    refused(result["priorityAreaArchive"], "PRIORITY_AREA_WRONG_STATUS", "id")


async def test_consensus_under_the_default_and_a_configured_rule(
    client: GraphQLClient, demo_db: str
) -> None:
    tokens = await tokens_and_group(demo_db)
    od = await open_data(client)
    orgs, staff, anchor = od["orgs"], tokens["staff"], tokens["anchor"]

    # default rule, nobody took part: NOT_AGREED
    empty = await opened(client, od["id"], tokens)
    result = await client.execute(CLOSE, {"id": empty}, token=anchor)
    closed = ok(result["priorityAreaClose"])["priorityArea"]
    assert closed["status"] == "NOT_AGREED" and closed["outcome"]["agreed"] is False
    assert closed["outcome"]["meeting"] is None
    assert closed["consensus"]["participants"] == 0 and closed["consensus"]["reached"] is False
    assert await activity_verbs(demo_db, empty) == [
        "PRIORITY_AREA_PROPOSED", "PRIORITY_AREA_OPENED", "PRIORITY_AREA_NOT_AGREED",
    ]  # fmt: skip

    # default rule: exactly half endorse (1 of 2, the other withdrew its objection): agreed
    half = await opened(client, od["id"], tokens)
    ok(await take(client, staff, half, "ENDORSE", orgs[UK]))
    ok(await take(client, staff, half, "OBJECT", orgs[OKF], "No"))
    ok(
        (await client.execute(WITHDRAW, {"a": half, "o": orgs[OKF]}, token=staff))[
            "priorityAreaObjectionWithdraw"
        ]
    )
    # ...but one standing objection blocks even a large majority
    blocked = await opened(client, od["id"], tokens)
    for name in (UK, KENYA, CANADA):
        ok(await take(client, staff, blocked, "ENDORSE", orgs[name]))
    ok(await take(client, staff, blocked, "OBJECT", orgs[OKF], "Not yet"))
    # ...and endorsements short of half are not enough: 1 of 3 (two withdrew)
    short = await opened(client, od["id"], tokens)
    ok(await take(client, staff, short, "ENDORSE", orgs[UK]))
    for name in (OKF, URUGUAY):
        ok(await take(client, staff, short, "OBJECT", orgs[name], "No"))
        ok(
            (await client.execute(WITHDRAW, {"a": short, "o": orgs[name]}, token=staff))[
                "priorityAreaObjectionWithdraw"
            ]
        )
    expected = {half: (True, 1, 0, 2), blocked: (False, 3, 1, 4), short: (False, 1, 0, 3)}
    for area, (agreed, endorsements, objections, participants) in expected.items():
        live = (await client.execute(CONSENSUS, {"id": area}))["node"]["consensus"]
        assert live["rule"]["isDefault"] is True and live["recorded"] is False
        assert (live["endorsements"], live["objections"], live["participants"]) == (
            endorsements, objections, participants,
        )  # fmt: skip
        assert live["reached"] is agreed

    # a configured rule: objections do not block, three quarters must endorse
    result = await client.execute(RULE, {"g": od["id"], "b": False, "s": 0.75}, token=anchor)
    rule = {"objectionsBlock": False, "minEndorsementShare": 0.75, "isDefault": False}
    payload = ok(result["consensusRuleSet"])
    assert payload["consensusRule"] == rule and payload["workingGroup"]["consensusRule"] == rule
    for area, agreed in ((blocked, True), (half, False), (short, False)):
        live = (await client.execute(CONSENSUS, {"id": area}))["node"]["consensus"]
        assert live["rule"] == rule and live["reached"] is agreed
    result = await client.execute(CLOSE, {"id": blocked}, token=anchor)
    closed = ok(result["priorityAreaClose"])["priorityArea"]
    assert closed["status"] == "AGREED" and closed["consensus"]["rule"] == rule
    assert (closed["consensus"]["endorsements"], closed["consensus"]["objections"]) == (3, 1)

    # the rule changes later: the recorded outcome and its rule do not
    result = await client.execute(RULE, {"g": od["id"], "b": True, "s": 0.5}, token=staff)
    assert ok(result["consensusRuleSet"])["consensusRule"]["isDefault"] is True
    after = (await client.execute(CONSENSUS, {"id": blocked}))["node"]
    assert after["status"] == "AGREED"
    assert after["consensus"]["rule"] == rule and after["consensus"]["recorded"] is True
    assert after["consensus"]["reached"] is True


def test_the_arithmetic_is_exact() -> None:
    # 0.7 x 10 is 7.000000000000001 in floating point: 7 endorsements must still be enough
    assert reached(Rule(True, 0.7), Tally(7, 0, 10, 12))
    assert not reached(Rule(True, 0.7), Tally(6, 0, 10, 12))
    assert reached(Rule(False, 0.0), Tally(1, 5, 6, 6))
    assert not reached(Rule(False, 0.0), Tally(0, 0, 1, 6))  # at least one endorsement
    assert not reached(Rule(True, 0.5), Tally(3, 1, 4, 6))
    assert reached(Rule(True, 1.0), Tally(4, 0, 4, 6))
    assert Rule().is_default and not Rule(False, 0.5).is_default


async def test_refusals(client: GraphQLClient, demo_db: str) -> None:
    tokens = await tokens_and_group(demo_db)
    od = await open_data(client)
    area = await propose(client, od["id"], tokens["member"])
    proposal = {"input": {"groupId": od["id"], "title": "T", "rationale": "R"}}
    cases = [
        (PROPOSE, proposal, None, "UNAUTHENTICATED"),
        (PROPOSE, proposal, tokens["other"], "FORBIDDEN"),  # in no group
        (OPEN, {"id": area["id"], "at": later(days=2)}, tokens["member"], "FORBIDDEN"),
        (CLOSE, {"id": area["id"]}, tokens["member"], "FORBIDDEN"),
        (ARCHIVE, {"id": area["id"]}, tokens["member"], "FORBIDDEN"),
        (MOVE, {"id": area["id"], "at": later(days=2)}, tokens["member"], "FORBIDDEN"),
        (RULE, {"g": od["id"], "b": False, "s": 0.1}, tokens["member"], "FORBIDDEN"),
        (RULE, {"g": od["id"], "b": False, "s": 0.1}, None, "UNAUTHENTICATED"),
        (TAKE, {"a": area["id"], "s": "ENDORSE"}, tokens["other"], "FORBIDDEN"),
        # a member acting for another organisation of the group
        (PROPOSE, {"input": {**proposal["input"], "organizationId": od["orgs"][UK]}},
         tokens["member"], "FORBIDDEN"),
    ]  # fmt: skip
    for document, variables, token, code in cases:
        errors = await client.errors(document, variables, token=token)
        assert errors[0]["extensions"]["code"] == code, (document, errors)
    ok(
        (
            await client.execute(
                OPEN, {"id": area["id"], "at": later(days=2)}, token=tokens["anchor"]
            )
        )["priorityAreaOpen"]
    )
    errors = await client.errors(
        TAKE, {"a": area["id"], "s": "ENDORSE", "o": od["orgs"][UK]}, token=tokens["member"]
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    # nothing was written by any refused call
    listed = await client.execute(
        """{ workingGroup(slug: "open-data") { priorityAreas(first: 50) { nodes { title
             positions(first: 5) { totalCount } } } } }"""
    )
    titles = [n["title"] for n in listed["workingGroup"]["priorityAreas"]["nodes"]]
    assert titles.count("T") == 0 and titles.count("Open contracting") == 1
    mine = [
        n
        for n in listed["workingGroup"]["priorityAreas"]["nodes"]
        if n["title"] == "Open contracting"
    ]
    assert mine[0]["positions"]["totalCount"] == 0


async def test_the_demo_areas(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroup(slug: "open-data") {
             priorityAreas(first: 10) { nodes { title status illustrative
               outcome { agreed meeting { title } }
               consensus { endorsements objections participants reached recorded }
               current: positions(first: 10, current: true) { totalCount }
               all: positions(first: 10) { totalCount } } } } }"""
    )
    areas = {a["status"]: a for a in data["workingGroup"]["priorityAreas"]["nodes"]}
    agreed, open_, proposed = areas["AGREED"], areas["UNDER_DISCUSSION"], areas["PROPOSED"]
    assert agreed["illustrative"] and open_["illustrative"] and proposed["illustrative"]
    assert proposed["outcome"] is None and proposed["all"]["totalCount"] == 0
    assert [a["status"] for a in data["workingGroup"]["priorityAreas"]["nodes"]] == [
        "PROPOSED", "UNDER_DISCUSSION", "AGREED",
    ]  # fmt: skip
    assert agreed["outcome"]["agreed"] is True
    meeting = agreed["outcome"]["meeting"]  # the Summit meeting, once the meetings demo has it
    assert meeting is None or meeting["title"].startswith("OGP Summit 2013, London: ")
    assert agreed["consensus"] == {
        "endorsements": 4, "objections": 0, "participants": 4, "reached": True, "recorded": True,
    }  # fmt: skip
    assert open_["outcome"] is None and open_["consensus"]["recorded"] is False
    assert (open_["consensus"]["endorsements"], open_["consensus"]["objections"]) == (3, 1)
    assert (open_["current"]["totalCount"], open_["all"]["totalCount"]) == (4, 5)


async def test_the_database_keeps_one_current_position_and_reasons(demo_db: str) -> None:
    p = PriorityAreaPosition
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            row = (
                await conn.execute(
                    sa.select(p.priority_area_id, p.organization_id)
                    .join(PriorityArea, PriorityArea.id == p.priority_area_id)
                    .where(
                        p.is_current.is_(True),
                        p.stance == PositionStance.ENDORSE,
                        # positions are taken only while the area is open (core_0013)
                        PriorityArea.status == PriorityAreaStatus.UNDER_DISCUSSION,
                    )
                    .order_by(p.id)
                    .limit(1)
                )
            ).one()
        now = datetime.now(UTC)
        values = {"priority_area_id": row.priority_area_id, "organization_id": row.organization_id}
        for stance, reason, current, superseded, name in (
            (PositionStance.ENDORSE, None, True, None, "uq_priority_area_positions_current"),
            (PositionStance.OBJECT, " ", False, now, "objection_has_reason"),
            (PositionStance.ENDORSE, None, False, None, "current_until_superseded"),
        ):
            with pytest.raises(IntegrityError) as raised:
                async with db.write() as conn:
                    await conn.execute(
                        sa.insert(p).values(
                            **values,
                            stance=stance,
                            reason=reason,
                            taken_at=now,
                            is_current=current,
                            superseded_at=superseded,
                        )
                    )
            message = str(raised.value)
            assert name in message or "UNIQUE constraint failed" in message, message
        async with db.write() as conn:  # a superseded row beside the current one is history
            await conn.execute(
                sa.insert(p).values(
                    **values,
                    stance=PositionStance.OBJECT,
                    reason="kept",
                    taken_at=now,
                    is_current=False,
                    superseded_at=now,
                )
            )
    finally:
        await db.dispose()
