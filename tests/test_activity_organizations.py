"""An organisation's activity feed (issue 9, section 5), over HTTP on both databases.

`Organization.activity` lists what the organisation did (events naming it) and every event of
the groups it is a member or an anchor of (core/activity/loaders.py): meetings scheduled and
cancelled, Steering Committee decisions, each event once, newest first, page after page, and
only the events the viewer may see (row rules, as the group's feed).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.activity.services import record
from core.db import Database
from core.models import Meeting, Registration, WorkingGroup
from core.schema.ids import from_global_id, to_global_id
from core.testing import ClientFactory, GraphQLClient, token_for

pytestmark = pytest.mark.signed_in("staff")

ERRORS = "userErrors { code field }"
SLUG = "open-data"
GROUP = """query($slug: String!) { workingGroup(slug: $slug) { id
  anchors { organization { id } } members(first: 100) { role organization { id } }
  activity(first: 3) { nodes { id verb } } } }"""
ORG_FEED = """query($id: ID!, $first: Int, $after: String) { node(id: $id) {
  ... on Organization { activity(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id verb subject { __typename id } } } } } }"""
ORGS = "{ organizations(first: 100) { nodes { id workingGroups { slug } } } }"


async def _feed(client: GraphQLClient, org: str, first: int) -> dict[str, Any]:
    data = await client.execute(ORG_FEED, {"id": org, "first": first, "after": None})
    return data["node"]["activity"]  # type: ignore[no-any-return]


async def _every_page(client: GraphQLClient, org: str, size: int) -> tuple[list[str], int]:
    ids: list[str] = []
    after = None
    totals = set()
    while True:
        data = await client.execute(ORG_FEED, {"id": org, "first": size, "after": after})
        feed = data["node"]["activity"]
        totals.add(feed["totalCount"])
        ids += [n["id"] for n in feed["nodes"]]
        if not feed["pageInfo"]["hasNextPage"]:
            break
        after = feed["pageInfo"]["endCursor"]
    assert len(totals) == 1, totals
    return ids, totals.pop()


async def _group_events(client: GraphQLClient) -> tuple[str, list[dict[str, Any]]]:
    """The open-data group's id and its three newest events after a meeting was scheduled and
    cancelled and a Steering Committee decision recorded (all by staff, naming no organisation)."""
    group = (await client.execute(GROUP, {"slug": SLUG}))["workingGroup"]
    start = datetime.now(UTC) + timedelta(days=30)
    scheduled = await client.execute(
        f"""mutation($input: MeetingScheduleInput!) {{ meetingSchedule(input: $input) {{
          meeting {{ id }} {ERRORS} }} }}""",
        {
            "input": {
                "groupId": group["id"],
                "title": "Organisation feed check",
                "kind": "VIRTUAL",
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=1)).isoformat(),
                "timezone": "UTC",
                "onlineUrl": "https://example.org/org-feed",
            }
        },
    )
    assert scheduled["meetingSchedule"]["userErrors"] == []
    meeting = scheduled["meetingSchedule"]["meeting"]["id"]
    cancelled = await client.execute(
        f"""mutation($id: ID!) {{ meetingCancel(input: {{id: $id, reason: "Feed check"}}) {{
          meeting {{ id }} {ERRORS} }} }}""",
        {"id": meeting},
    )
    assert cancelled["meetingCancel"]["userErrors"] == []
    decided = await client.execute(
        f"""mutation($g: ID!) {{ groupDecisionRecord(input: {{groupId: $g,
          maxGovernmentAnchors: 2, decidedOn: "2024-01-01", reason: "Feed check"}}) {{
          decision {{ id }} {ERRORS} }} }}""",
        {"g": group["id"]},
    )
    assert decided["groupDecisionRecord"]["userErrors"] == []
    group = (await client.execute(GROUP, {"slug": SLUG}))["workingGroup"]
    events = group["activity"]["nodes"]
    assert [e["verb"] for e in events] == [
        "GROUP_DECISION",
        "MEETING_CANCELLED",
        "MEETING_SCHEDULED",
    ]
    return group, events


async def test_an_organisations_feed_has_its_groups_meetings_and_decisions(
    client: GraphQLClient,
) -> None:
    """The group's meeting and decision events head the feeds of its members and its anchors
    (newest first, as in the group's feed) and are in no feed of an organisation outside it."""
    group, events = await _group_events(client)
    members = {m["organization"]["id"] for m in group["members"]}
    anchors = {a["organization"]["id"] for a in group["anchors"]}
    assert members and anchors
    orgs = (await client.execute(ORGS))["organizations"]["nodes"]
    outsiders = [o["id"] for o in orgs if SLUG not in {g["slug"] for g in o["workingGroups"]}]
    assert outsiders
    expected = [e["id"] for e in events]
    for org in sorted(members | anchors):
        feed = await _feed(client, org, 3)
        assert [n["id"] for n in feed["nodes"]] == expected, org
        assert feed["nodes"][1]["subject"]["__typename"] == "Meeting"
        assert feed["nodes"][0]["subject"]["id"] == group["id"]
    for org in outsiders:
        ids, total = await _every_page(client, org, 100)
        assert not set(ids) & set(expected) and len(ids) == total


@pytest.mark.signed_in("member")
async def test_an_event_reaching_an_organisation_twice_is_listed_once(
    client: GraphQLClient,
) -> None:
    """A member's comment on their own group names their organisation and is in their group:
    listed once; every page of the feed gives each event once, newest first, totalCount
    agreeing."""
    group = (await client.execute(GROUP, {"slug": SLUG}))["workingGroup"]
    posted = await client.execute(
        f"""mutation($t: ID!) {{ commentPost(input: {{targetId: $t, body: "Once."}}) {{
          comment {{ id author {{ organization {{ id }} }} }} {ERRORS} }} }}""",
        {"t": group["id"]},
    )
    assert posted["commentPost"]["userErrors"] == []
    me = posted["commentPost"]["comment"]["author"]["organization"]["id"]
    assert me in {m["organization"]["id"] for m in group["members"]} | {
        a["organization"]["id"] for a in group["anchors"]
    }
    ids, total = await _every_page(client, me, 7)
    pks = [from_global_id(i)[1] for i in ids]  # type: ignore[index]
    assert len(set(ids)) == len(ids) == total
    assert pks == sorted(pks, reverse=True)
    head = (await _feed(client, me, 1))["nodes"][0]
    assert head["verb"] == "COMMENT_POSTED"
    assert head["subject"]["id"] == posted["commentPost"]["comment"]["id"]
    assert ids.count(head["id"]) == 1


async def test_a_group_event_is_as_visible_in_the_organisations_feed(
    client: GraphQLClient, demo_db: str, make_client: ClientFactory
) -> None:
    """A group event about a registration (naming no organisation) is in a member's feed for
    staff; for anonymous it is neither listed nor counted."""
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            group_pk = await conn.scalar(select(WorkingGroup.id).where(WorkingGroup.slug == SLUG))
            reg_pk = await conn.scalar(
                select(Registration.id)
                .join(Meeting, Meeting.id == Registration.meeting_id)
                .where(Meeting.group_id == group_pk)
                .order_by(Registration.id)
            )
            assert group_pk is not None and reg_pk is not None
            hidden = await record(
                conn,
                verb="MEETING_CHANGED",
                subject_type="Registration",
                subject_id=reg_pk,
                summary="a registration changed",
                group_id=group_pk,
            )
    finally:
        await db.dispose()
    group = (await client.execute(GROUP, {"slug": SLUG}))["workingGroup"]
    org = group["members"][0]["organization"]["id"]
    hidden_id = to_global_id("ActivityEvent", hidden)
    staff_ids, staff_total = await _every_page(client, org, 100)
    assert staff_ids[0] == hidden_id and staff_total == len(staff_ids)
    anonymous = make_client(demo_db)
    anonymous_ids, anonymous_total = await _every_page(anonymous, org, 100)
    assert hidden_id not in anonymous_ids
    assert anonymous_total == len(anonymous_ids) == staff_total - 1
    other = anonymous.with_token(await token_for(demo_db, "other"))
    assert hidden_id not in (await _every_page(other, org, 100))[0]
