"""The group's life (issue 9, section 4), over HTTP on both databases: proposals, every status
move the Steering Committee may or may not make, the anchor rule kept by the DATABASE (also
against SQL that bypasses the application), anchor terms, the second-anchor allowance, who may
do what; and the demo's real 2013 anchors (section 7)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.db import Database, UTCDateTime
from core.enums import GroupStatus
from core.groups.models import ALLOWED_TRANSITIONS
from core.schema.ids import from_global_id
from core.testing import ClientFactory, GraphQLClient, at_revision, token_for

ERRORS = "userErrors { code field }"
PROPOSE = f"""mutation($input: WorkingGroupProposeInput!) {{ workingGroupPropose(input: $input) {{
  workingGroup {{ id slug status theme rationale proposedAnchors {{ organization {{ name }} }} }}
  {ERRORS} }} }}"""
DECIDE = f"""mutation($input: GroupDecisionRecordInput!) {{ groupDecisionRecord(input: $input) {{
  decision {{ id fromStatus toStatus maxGovernmentAnchors maxCivilSocietyAnchors decidedOn meeting
    reason source illustrative group {{ slug }} }}
  workingGroup {{ status maxGovernmentAnchors maxCivilSocietyAnchors }} {ERRORS} }} }}"""
ANCHOR_SET = f"""mutation($input: AnchorSetInput!) {{ anchorSet(input: $input) {{
  anchor {{ role since source organization {{ name }} }} {ERRORS} }} }}"""
ANCHOR_REMOVE = f"""mutation($input: AnchorRemoveInput!) {{ anchorRemove(input: $input) {{
  anchor {{ role organization {{ name }} }} {ERRORS} }} }}"""
GROUP = """query($slug: String!) { workingGroup(slug: $slug) { id status
  maxGovernmentAnchors maxCivilSocietyAnchors
  anchors { role since organization { name } }
  anchorHistory { role startedOn endedOn current organization { name } }
  decisions(first: 50) { totalCount nodes { fromStatus toStatus reason } } } }"""
ORGS = """{ gov: organizations(filter: {kind: [GOVERNMENT]}, first: 50) { nodes { id name } }
  cso: organizations(filter: {kind: [CIVIL_SOCIETY]}, first: 50) { nodes { id name } } }"""


@pytest.fixture
def staff(client: GraphQLClient, demo_db: str) -> GraphQLClient:
    import asyncio

    return client.with_token(asyncio.run(token_for(demo_db, "staff")))


async def _orgs(client: GraphQLClient) -> dict[str, list[dict[str, str]]]:
    data = await client.execute(ORGS)
    return {kind: data[kind]["nodes"] for kind in ("gov", "cso")}


async def _propose(client: GraphQLClient, slug: str, **more: Any) -> dict[str, Any]:
    values = {
        "slug": slug,
        "name": f"Group {slug}",
        "theme": "open_data",
        "rationale": "Peers asked for it.",
    }
    data = await client.execute(PROPOSE, {"input": values | more})
    payload: dict[str, Any] = data["workingGroupPropose"]
    assert payload["userErrors"] == []
    return payload["workingGroup"]


async def _decide(client: GraphQLClient, group: str, **more: Any) -> dict[str, Any]:
    values = {"groupId": group, "decidedOn": "2024-03-05", "reason": "Agreed."} | more
    result: dict[str, Any] = (await client.execute(DECIDE, {"input": values}))[
        "groupDecisionRecord"
    ]
    return result


async def _anchor(client: GraphQLClient, group: str, org: str, role: str, **more: Any) -> Any:
    values = {"groupId": group, "organizationId": org, "role": role} | more
    return (await client.execute(ANCHOR_SET, {"input": values}))["anchorSet"]


def _route(goal: GroupStatus) -> list[GroupStatus]:
    """Statuses a new (PROPOSED) group passes through to reach `goal` along allowed moves."""
    paths = {GroupStatus.PROPOSED: list[GroupStatus]()}
    queue = [GroupStatus.PROPOSED]
    while queue:
        here = queue.pop(0)
        for there in sorted(ALLOWED_TRANSITIONS[here]):
            if there not in paths:
                paths[there] = [*paths[here], there]
                queue.append(there)
    return paths[goal]


@pytest.mark.signed_in("other")
async def test_anyone_signed_in_proposes_a_group(client: GraphQLClient) -> None:
    orgs = await _orgs(client)
    group = await _propose(
        client,
        "open-contracting-data",
        summary="Contracts",
        proposedAnchorIds=[orgs["gov"][0]["id"], orgs["cso"][0]["id"]],
    )
    assert group["slug"] == "open-contracting-data"
    assert group["status"] == "PROPOSED"
    assert group["theme"] == "open_data"
    assert group["rationale"] == "Peers asked for it."
    names = [p["organization"]["name"] for p in group["proposedAnchors"]]
    assert names == [orgs["gov"][0]["name"], orgs["cso"][0]["name"]]
    data = await client.execute(GROUP, {"slug": "open-contracting-data"})
    assert data["workingGroup"]["anchors"] == []  # proposed anchors hold no anchor rights
    assert data["workingGroup"]["decisions"] == {"totalCount": 0, "nodes": []}
    events = await client.execute(
        '{ workingGroup(slug: "open-contracting-data") { activity(first: 5) { nodes { verb } } } }'
    )
    assert [e["verb"] for e in events["workingGroup"]["activity"]["nodes"]] == ["GROUP_PROPOSED"]

    # validation: rationale required, an organisation named twice, all or nothing
    bad = await client.execute(
        PROPOSE,
        {
            "input": {
                "slug": "x-proposal",
                "name": "X",
                "theme": "open_data",
                "rationale": " ",
            }
        },
    )
    assert bad["workingGroupPropose"]["userErrors"] == [
        {"code": "REQUIRED", "field": ["input", "rationale"]}
    ]
    twice = [orgs["gov"][0]["id"]] * 2
    bad = await client.execute(
        PROPOSE,
        {
            "input": {
                "slug": "x-proposal",
                "name": "X",
                "theme": "open_data",
                "rationale": "Why not",
                "proposedAnchorIds": twice,
            }
        },
    )
    assert bad["workingGroupPropose"]["userErrors"][0]["code"] == "DUPLICATE_ORGANIZATION"
    gone = await client.execute('{ workingGroup(slug: "x-proposal") { id } }')
    assert gone["workingGroup"] is None

    # only staff record the Steering Committee's decisions
    errors = await client.errors(
        DECIDE,
        {"input": {"groupId": group["id"], "decidedOn": "2024-01-01", "reason": "x"}},
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_anonymous_cannot_propose(client: GraphQLClient) -> None:
    errors = await client.errors(
        PROPOSE,
        {"input": {"slug": "anon", "name": "A", "theme": "open_data", "rationale": "r"}},
    )
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("role", ["anchor", "member"])
async def test_only_staff_decide(role: str, demo_db: str, make_client: ClientFactory) -> None:
    plain = make_client(demo_db)
    client = plain.with_token(await token_for(demo_db, role))
    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]
    for query, values in (
        (DECIDE, {"groupId": group["id"], "decidedOn": "2024-01-01", "reason": "x"}),
        (ANCHOR_REMOVE, {"groupId": group["id"], "role": "GOVERNMENT"}),
    ):
        errors = await client.errors(query, {"input": values})
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.signed_in("staff")
async def test_every_transition_allowed_or_refused(client: GraphQLClient) -> None:
    orgs = await _orgs(client)
    for number, (start, goal) in enumerate(itertools.product(GroupStatus, GroupStatus)):
        group = await _propose(client, f"move-{number}")
        gid = group["id"]
        assert (await _anchor(client, gid, orgs["gov"][0]["id"], "GOVERNMENT"))["userErrors"] == []
        assert (await _anchor(client, gid, orgs["cso"][0]["id"], "CIVIL_SOCIETY"))[
            "userErrors"
        ] == []
        for step in _route(start):
            assert (await _decide(client, gid, toStatus=step.value))["userErrors"] == []
        result = await _decide(
            client, gid, toStatus=goal.value, meeting="SC meeting, 5 March 2024", source="minutes"
        )
        after = await client.execute(GROUP, {"slug": f"move-{number}"})
        decisions = after["workingGroup"]["decisions"]
        if goal in ALLOWED_TRANSITIONS[start]:
            assert result["userErrors"] == [], (start, goal)
            assert result["decision"] == {
                "id": result["decision"]["id"],
                "fromStatus": start.value,
                "toStatus": goal.value,
                "maxGovernmentAnchors": None,
                "maxCivilSocietyAnchors": None,
                "decidedOn": "2024-03-05",
                "meeting": "SC meeting, 5 March 2024",
                "reason": "Agreed.",
                "source": "minutes",
                "illustrative": False,
                "group": {"slug": f"move-{number}"},
            }
            assert result["workingGroup"]["status"] == goal.value
            assert after["workingGroup"]["status"] == goal.value
            assert decisions["totalCount"] == len(_route(start)) + 1
            assert decisions["nodes"][-1]["toStatus"] == goal.value
        else:
            assert result == {
                "decision": None,
                "workingGroup": None,
                "userErrors": [{"code": "TRANSITION_NOT_ALLOWED", "field": ["input", "toStatus"]}],
            }, (start, goal)
            assert after["workingGroup"]["status"] == start.value
            assert decisions["totalCount"] == len(_route(start))


@pytest.mark.signed_in("staff")
async def test_pilot_or_active_needs_both_anchors(client: GraphQLClient, demo_db: str) -> None:
    orgs = await _orgs(client)
    group = await _propose(client, "half-anchored")
    gid = group["id"]
    assert (await _decide(client, gid, toStatus="PIPELINE"))["userErrors"] == []
    await _anchor(client, gid, orgs["gov"][0]["id"], "GOVERNMENT")
    for goal in ("PILOT", "ACTIVE"):
        refused = await _decide(client, gid, toStatus=goal)
        assert refused["userErrors"] == [
            {"code": "ANCHORS_REQUIRED", "field": ["input", "toStatus"]}
        ]
    data = await client.execute(GROUP, {"slug": "half-anchored"})
    assert data["workingGroup"]["status"] == "PIPELINE"
    assert data["workingGroup"]["decisions"]["totalCount"] == 1  # nothing half-written

    # The database itself refuses what the application would: SQL that bypasses it.
    pk = int(from_global_id(gid)[1])
    db = Database(demo_db)
    try:
        for statement in (
            # a status change without a decision
            f"UPDATE working_groups SET status = 'ACTIVE' WHERE id = {pk}",
            # a group born anything but PROPOSED
            "INSERT INTO working_groups (slug, name, theme, summary, description, status, "
            "created_at, updated_at) VALUES ('born-active', 'B', 'open_data', '', '', 'ACTIVE', "
            "'2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            # a disallowed move, even with a decision row
            f"INSERT INTO group_decisions (group_id, from_status, to_status, decided_on, meeting, "
            f"reason, source, illustrative, recorded_at) VALUES ({pk}, 'PIPELINE', 'PROPOSED', "
            "'2024-01-01', '', 'r', '', false, '2024-01-01 00:00:00')",
            # a second government anchor beyond the allowance
            f"INSERT INTO anchors (group_id, organization_id, organization_kind, role, since, "
            f"source) SELECT {pk}, id, kind, 'GOVERNMENT', '2024-01-01', '' FROM organizations "
            f"WHERE kind = 'GOVERNMENT' AND id NOT IN (SELECT organization_id FROM anchors "
            f"WHERE group_id = {pk}) LIMIT 1",
            # an allowance changed without a decision
            f"UPDATE working_groups SET max_government_anchors = 2 WHERE id = {pk}",
            # counters that lie about the anchors
            f"UPDATE working_groups SET civil_society_anchor_count = 1 WHERE id = {pk}",
        ):
            with pytest.raises(IntegrityError):
                async with db.write() as conn:
                    await conn.execute(text(statement))
        # a decision row that moves it to ACTIVE while it lacks a civil-society anchor
        with pytest.raises(IntegrityError) as refused_by:
            async with db.write() as conn:
                decision = await conn.scalar(
                    text(
                        "INSERT INTO group_decisions (group_id, from_status, to_status, "
                        "decided_on, meeting, reason, source, illustrative, recorded_at) VALUES "
                        f"({pk}, 'PIPELINE', 'ACTIVE', '2024-01-01', '', 'r', '', false, "
                        "'2024-01-01 00:00:00') RETURNING id"
                    )
                )
                await conn.execute(
                    text(
                        "UPDATE working_groups SET status = 'ACTIVE', decision_id = :d "
                        "WHERE id = :g"
                    ),
                    {"d": decision, "g": pk},
                )
        assert "anchored_when_running" in str(refused_by.value)
        # ... and an anchor's removal from a running group
        async with db.read() as conn:
            pilot = await conn.scalar(
                text("SELECT id FROM working_groups WHERE slug = 'open-data'")
            )
        with pytest.raises(IntegrityError) as refused_by:
            async with db.write() as conn:
                await conn.execute(
                    text(f"DELETE FROM anchors WHERE group_id = {pilot} AND role = 'GOVERNMENT'")
                )
        assert "anchored_when_running" in str(refused_by.value)
    finally:
        await db.dispose()
    data = await client.execute(GROUP, {"slug": "half-anchored"})
    assert data["workingGroup"]["status"] == "PIPELINE"
    assert data["workingGroup"]["maxGovernmentAnchors"] == 1
    assert len(data["workingGroup"]["anchors"]) == 1


@pytest.mark.signed_in("staff")
async def test_anchor_terms_and_second_anchor_allowance(client: GraphQLClient) -> None:
    orgs = await _orgs(client)
    gov, cso = orgs["gov"], orgs["cso"]
    gid = (await _propose(client, "terms"))["id"]
    first = await _anchor(client, gid, gov[0]["id"], "GOVERNMENT", since="2020-01-01", source="s")
    assert first == {
        "anchor": {
            "role": "GOVERNMENT",
            "since": "2020-01-01",
            "source": "s",
            "organization": {"name": gov[0]["name"]},
        },
        "userErrors": [],
    }
    await _anchor(client, gid, cso[0]["id"], "CIVIL_SOCIETY", since="2020-01-01")
    for step in ("PIPELINE", "ACTIVE"):
        assert (await _decide(client, gid, toStatus=step))["userErrors"] == []

    # one current anchor per role by default
    taken = await _anchor(client, gid, gov[1]["id"], "GOVERNMENT")
    assert taken["userErrors"] == [{"code": "ANCHOR_ROLE_TAKEN", "field": ["input", "role"]}]
    # a recorded decision allows a second (the database holds the group to it)
    allowed = await _decide(client, gid, maxGovernmentAnchors=2, reason="Two governments lead.")
    assert allowed["userErrors"] == []
    assert allowed["decision"]["fromStatus"] is None
    assert allowed["decision"]["toStatus"] is None
    assert allowed["decision"]["maxGovernmentAnchors"] == 2
    assert allowed["workingGroup"] == {
        "status": "ACTIVE",
        "maxGovernmentAnchors": 2,
        "maxCivilSocietyAnchors": 1,
    }
    second = await _anchor(client, gid, gov[1]["id"], "GOVERNMENT", since="2021-06-01")
    assert second["userErrors"] == []
    third = await _anchor(client, gid, gov[2]["id"], "GOVERNMENT")
    assert third["userErrors"][0]["code"] == "ANCHOR_ROLE_TAKEN"
    below = await _decide(client, gid, maxGovernmentAnchors=1)
    assert below["userErrors"] == [
        {"code": "ALLOWANCE_BELOW_CURRENT", "field": ["input", "maxGovernmentAnchors"]}
    ]
    nothing = await _decide(client, gid)
    assert nothing["userErrors"][0]["code"] == "NOTHING_DECIDED"

    # which of two? say so
    which = await client.execute(ANCHOR_REMOVE, {"input": {"groupId": gid, "role": "GOVERNMENT"}})
    assert which["anchorRemove"]["userErrors"] == [
        {"code": "REQUIRED", "field": ["input", "organizationId"]}
    ]
    ended = await client.execute(
        ANCHOR_REMOVE,
        {
            "input": {
                "groupId": gid,
                "role": "GOVERNMENT",
                "organizationId": gov[0]["id"],
                "until": "2022-12-31",
            }
        },
    )
    assert ended["anchorRemove"] == {
        "anchor": {"role": "GOVERNMENT", "organization": {"name": gov[0]["name"]}},
        "userErrors": [],
    }
    # the last civil-society anchor of an ACTIVE group is replaced, never just removed
    last = await client.execute(ANCHOR_REMOVE, {"input": {"groupId": gid, "role": "CIVIL_SOCIETY"}})
    assert last["anchorRemove"]["userErrors"][0]["code"] == "ANCHORS_REQUIRED"
    replaced = await _anchor(
        client, gid, cso[1]["id"], "CIVIL_SOCIETY", since="2023-03-01", replace=True
    )
    assert replaced["userErrors"] == []
    early = await client.execute(
        ANCHOR_REMOVE,
        {
            "input": {
                "groupId": gid,
                "role": "GOVERNMENT",
                "organizationId": gov[1]["id"],
                "until": "2019-01-01",
            }
        },
    )
    assert early["anchorRemove"]["userErrors"][0]["code"] in ("OUT_OF_RANGE", "ANCHORS_REQUIRED")

    data = (await client.execute(GROUP, {"slug": "terms"}))["workingGroup"]
    assert data["anchors"] == [
        {"role": "CIVIL_SOCIETY", "since": "2023-03-01", "organization": {"name": cso[1]["name"]}},
        {"role": "GOVERNMENT", "since": "2021-06-01", "organization": {"name": gov[1]["name"]}},
    ]
    assert data["anchorHistory"] == [
        {
            "role": "GOVERNMENT",
            "startedOn": "2020-01-01",
            "endedOn": "2022-12-31",
            "current": False,
            "organization": {"name": gov[0]["name"]},
        },
        {
            "role": "CIVIL_SOCIETY",
            "startedOn": "2020-01-01",
            "endedOn": "2023-03-01",
            "current": False,
            "organization": {"name": cso[0]["name"]},
        },
        {
            "role": "GOVERNMENT",
            "startedOn": "2021-06-01",
            "endedOn": None,
            "current": True,
            "organization": {"name": gov[1]["name"]},
        },
        {
            "role": "CIVIL_SOCIETY",
            "startedOn": "2023-03-01",
            "endedOn": None,
            "current": True,
            "organization": {"name": cso[1]["name"]},
        },
    ]
    verbs = await client.execute(
        '{ workingGroup(slug: "terms") { activity(first: 50) { nodes { verb } } } }'
    )
    seen = [e["verb"] for e in verbs["workingGroup"]["activity"]["nodes"]]
    assert seen.count("GROUP_DECISION") == 3
    assert seen.count("ANCHOR_CHANGED") == 5
    assert seen.count("GROUP_PROPOSED") == 1


async def test_demo_pilot_groups_carry_their_2013_anchors(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroups(first: 50) { nodes { slug status rationale maxGovernmentAnchors
          anchors { role since source organization { name } }
          proposedAnchors { organization { name } }
          decisions(first: 10) { nodes { fromStatus toStatus maxGovernmentAnchors decidedOn
            illustrative source } } } } }"""
    )
    groups = {g["slug"]: g for g in data["workingGroups"]["nodes"]}
    anchors = {
        slug: sorted((a["role"], a["organization"]["name"]) for a in g["anchors"])
        for slug, g in groups.items()
    }
    assert anchors["fiscal-openness"] == [
        ("CIVIL_SOCIETY", "Global Initiative for Fiscal Transparency (GIFT)"),
        ("GOVERNMENT", "Government of Brazil (Office of the Comptroller General, CGU)"),
        ("GOVERNMENT", "Government of the Philippines (Department of Budget and Management)"),
    ]
    assert anchors["open-data"] == [
        ("CIVIL_SOCIETY", "World Wide Web Foundation"),
        ("GOVERNMENT", "Government of Canada (Treasury Board Secretariat)"),
    ]
    assert anchors["open-parliaments"] == [
        ("CIVIL_SOCIETY", "National Democratic Institute (NDI)"),
        ("GOVERNMENT", "Congress of Chile (Chamber of Deputies)"),
    ]
    assert anchors["extractive-industries"] == [
        ("CIVIL_SOCIETY", "Revenue Watch Institute (now Natural Resource Governance Institute)"),
        ("GOVERNMENT", "Government of Ghana (Ministry of Finance)"),
    ]
    assert anchors["access-to-information"] == [
        ("CIVIL_SOCIETY", "Alianza Regional por la Libre Expresión e Información"),
        ("GOVERNMENT", "Government of Mexico (Federal Institute for Access to Information, IFAI)"),
    ]
    for slug in anchors:
        group = groups[slug]
        if group["status"] == "PROPOSED":
            continue
        assert group["status"] == "PILOT"
        moves = [(d["fromStatus"], d["toStatus"]) for d in group["decisions"]["nodes"]]
        assert moves[0] == ("PROPOSED", "PIPELINE")
        assert moves[-1] == ("PIPELINE", "PILOT")
        piloted_on = group["decisions"]["nodes"][-1]["decidedOn"]
        for anchor in group["anchors"]:
            # named by the 7 September 2013 announcement, anchors from the day the group became
            # a PILOT (never a PILOT without them)
            assert anchor["since"] == "2013-09-07" <= piloted_on
            assert "opengovpartnership.org/about/working-groups" in anchor["source"]
        assert all(d["illustrative"] and d["source"] for d in group["decisions"]["nodes"])
        assert group["decisions"]["nodes"][-1]["decidedOn"].startswith("2013-")
    fiscal = groups["fiscal-openness"]
    assert fiscal["maxGovernmentAnchors"] == 2
    assert [d["maxGovernmentAnchors"] for d in fiscal["decisions"]["nodes"]] == [None, 2, None]
    proposal = groups["open-contracting"]
    assert proposal["status"] == "PROPOSED"
    assert "Illustrative" in proposal["rationale"]
    assert proposal["anchors"] == []
    assert proposal["proposedAnchors"] == [
        {"organization": {"name": "Global Initiative for Fiscal Transparency (GIFT)"}}
    ]


_ORGANIZATIONS = sa.table(
    "organizations", sa.column("id"), sa.column("name"), sa.column("kind"), sa.column("website")
)
_GROUPS = sa.table(
    "working_groups",
    *(sa.column(c) for c in ("id", "slug", "name", "theme", "summary", "description", "status")),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
_ANCHORS = sa.table(
    "anchors",
    *(sa.column(c) for c in ("id", "group_id", "organization_id", "organization_kind", "role")),
    sa.column("since", sa.Date()),
)


async def test_migration_carries_existing_groups_and_anchors_across(
    empty_db: str, make_client: ClientFactory
) -> None:
    """core_0006: each group keeps its status (a decision row says it was carried across), but a
    PILOT or ACTIVE group without both anchors goes to PIPELINE; every anchor gets a term
    starting `since`, or the group's creation day when it had none."""
    t0 = datetime(2014, 5, 6, 12, tzinfo=UTC)
    async with at_revision(empty_db, "core_0005") as old, old.db.write() as conn:
        await conn.execute(
            _ORGANIZATIONS.insert(),
            [
                {"id": 1, "name": "Gov", "kind": "GOVERNMENT", "website": None},
                {"id": 2, "name": "CSO", "kind": "CIVIL_SOCIETY", "website": None},
            ],
        )
        await conn.execute(
            _GROUPS.insert(),
            [
                {"id": i, "slug": f"g{i}", "name": f"G{i}", "theme": "open_data", "summary": "",
                 "description": "", "status": status, "created_at": t0, "updated_at": t0}
                for i, status in ((1, "ACTIVE"), (2, "PILOT"), (3, "PROPOSED"))
            ],
        )  # fmt: skip
        await conn.execute(
            _ANCHORS.insert(),
            [
                {"id": 1, "group_id": 1, "organization_id": 1, "organization_kind": "GOVERNMENT",
                 "role": "GOVERNMENT", "since": date(2013, 10, 31)},
                {"id": 2, "group_id": 1, "organization_id": 2,
                 "organization_kind": "CIVIL_SOCIETY", "role": "CIVIL_SOCIETY", "since": None},
                {"id": 3, "group_id": 2, "organization_id": 1, "organization_kind": "GOVERNMENT",
                 "role": "GOVERNMENT", "since": None},
            ],
        )  # fmt: skip
    # leaving the block upgraded the database to head
    client = make_client(empty_db)
    found = {}
    for slug in ("g1", "g2", "g3"):
        found[slug] = (await client.execute(GROUP, {"slug": slug}))["workingGroup"]
    assert found["g1"]["status"] == "ACTIVE"
    assert found["g1"]["decisions"]["nodes"] == [
        {
            "fromStatus": None,
            "toStatus": "ACTIVE",
            "reason": "Status carried across by migration core_0006 (no decision had been "
            "recorded).",
        }
    ]
    assert found["g1"]["anchors"] == [
        {"role": "CIVIL_SOCIETY", "since": "2014-05-06", "organization": {"name": "CSO"}},
        {"role": "GOVERNMENT", "since": "2013-10-31", "organization": {"name": "Gov"}},
    ]
    assert [(t["startedOn"], t["current"]) for t in found["g1"]["anchorHistory"]] == [
        ("2013-10-31", True),
        ("2014-05-06", True),
    ]
    assert found["g2"]["status"] == "PIPELINE"
    (demoted,) = found["g2"]["decisions"]["nodes"]
    assert (demoted["fromStatus"], demoted["toStatus"]) == (None, "PIPELINE")
    assert "lacked a government or a civil-society anchor" in demoted["reason"]
    assert found["g3"]["status"] == "PROPOSED"
    assert found["g3"]["decisions"]["totalCount"] == 0
    assert found["g3"]["maxGovernmentAnchors"] == found["g3"]["maxCivilSocietyAnchors"] == 1
