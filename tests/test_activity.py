"""Activity feeds (issue 9, section 5): `WorkingGroup.activity` and `Organization.activity`.

Over HTTP on both databases: the events each workflow records appear, newest first, with their
verb, actor and subject; pages are complete (every event once, in order, `totalCount` agreeing);
an event is exactly as visible as what it is about (core/activity/access.py): an event about a
registration the viewer may not see, or in a group whose theme is disabled, is neither listed
nor counted nor fetched by `node(id:)`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.activity.services import record
from core.db import Database
from core.models import Meeting, Organization, Person, Registration, WorkingGroup
from core.schema.ids import from_global_id, to_global_id
from core.testing import ClientFactory, GraphQLClient, token_for

ERRORS = "userErrors { code field message }"
EVENT = "id verb at summary actor { id name } subject { __typename id }"
GROUP_FEED = f"""query($slug: String!, $first: Int, $after: String) {{
  workingGroup(slug: $slug) {{ id activity(first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {EVENT} }} }} }} }}"""
ORG_FEED = f"""query($id: ID!, $first: Int, $after: String) {{ node(id: $id) {{ ... on Organization {{
  activity(first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {EVENT} }} }} }} }} }}"""
SCHEDULE = f"""mutation($input: MeetingScheduleInput!) {{
  meetingSchedule(input: $input) {{ meeting {{ id title }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: MeetingUpdateInput!) {{
  meetingUpdate(input: $input) {{ meeting {{ id title }} {ERRORS} }} }}"""
SLUG = "open-data"


async def _ids(url: str) -> dict[str, Any]:
    """Database ids of the demo: the open-data group, an organisation, a person, the staff
    person, and a registration of a person other than the demo `member`."""
    db = Database(url)
    try:
        async with db.read() as conn:
            group = await conn.scalar(select(WorkingGroup.id).where(WorkingGroup.slug == SLUG))
            org = await conn.scalar(select(Organization.id).order_by(Organization.id))
            person = await conn.scalar(select(Person.id).order_by(Person.id))
            registration = (
                await conn.execute(
                    select(Registration.id, Meeting.group_id)
                    .join(Meeting, Meeting.id == Registration.meeting_id)
                    .order_by(Registration.id)
                )
            ).first()
    finally:
        await db.dispose()
    return {"group": group, "org": org, "person": person, "registration": registration}


async def _demo_person(client: GraphQLClient, role: str) -> dict[str, Any]:
    """{"id", "name"} of the demo person signed in as `role`."""
    from core.auth.staff import find_person
    from core.demo import DEMO_ROLES

    db = client.app.state.ogp.db
    async with db.read() as conn:
        pk, _ = await find_person(conn, DEMO_ROLES[role])
    data = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Person { id name } } }",
        {"id": to_global_id("Person", pk)},
    )
    return data["node"]  # type: ignore[no-any-return]


async def _record_many(url: str, events: list[dict[str, Any]]) -> list[int]:
    db = Database(url)
    try:
        ids = []
        async with db.write() as conn:
            for values in events:
                ids.append(await record(conn, **values))
        return ids
    finally:
        await db.dispose()


async def _feed(client: GraphQLClient, first: int, after: str | None = None) -> dict[str, Any]:
    data = await client.execute(GROUP_FEED, {"slug": SLUG, "first": first, "after": after})
    return data["workingGroup"]["activity"]  # type: ignore[no-any-return]


async def _all_pages(
    client: GraphQLClient, query: str, variables: dict[str, Any], path: list[str], size: int
) -> tuple[list[dict[str, Any]], int]:
    """Every event of a feed, page after page of `size`; and the totalCount each page gave."""
    events: list[dict[str, Any]] = []
    after = None
    totals = set()
    while True:
        data: Any = await client.execute(query, {**variables, "first": size, "after": after})
        for key in path:
            data = data[key]
        totals.add(data["totalCount"])
        assert len(data["nodes"]) <= size
        events += data["nodes"]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert len(totals) == 1, totals
    return events, totals.pop()


@pytest.mark.signed_in("staff")
async def test_meeting_workflow_events_newest_first(client: GraphQLClient) -> None:
    """meetingSchedule then meetingUpdate: MEETING_SCHEDULED then MEETING_CHANGED (or MOVED)
    at the head of the group's feed, newest first, about the meeting, by the staff caller."""
    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]
    start = datetime.now(UTC) + timedelta(days=40)
    values = {
        "groupId": group["id"],
        "title": "Activity check",
        "kind": "VIRTUAL",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Paris",
        "onlineUrl": "https://example.org/join",
    }
    scheduled = (await client.execute(SCHEDULE, {"input": values}))["meetingSchedule"]
    assert scheduled["userErrors"] == []
    meeting = scheduled["meeting"]["id"]
    changed = await client.execute(UPDATE, {"input": {"id": meeting, "title": "Activity check 2"}})
    assert changed["meetingUpdate"]["userErrors"] == []
    me = await _demo_person(client, "staff")

    feed = await _feed(client, 2)
    newest, before = feed["nodes"]
    assert (newest["verb"], before["verb"]) == ("MEETING_CHANGED", "MEETING_SCHEDULED")
    assert from_global_id(newest["id"])[1] > from_global_id(before["id"])[1]  # type: ignore[index]
    for event in (newest, before):
        assert event["subject"] == {"__typename": "Meeting", "id": meeting}
        assert event["actor"] == me
        assert "Activity check" in event["summary"]
        assert datetime.fromisoformat(event["at"]) > datetime.now(UTC) - timedelta(minutes=5)
    # the same event through node(id:)
    again = await client.execute(
        f"query($id: ID!) {{ node(id: $id) {{ ... on ActivityEvent {{ {EVENT} }} }} }}",
        {"id": newest["id"]},
    )
    assert again["node"] == newest


async def test_pages_are_complete_and_newest_first(
    demo_db: str, make_client: ClientFactory
) -> None:
    """25 events more: pages of 4 give every event once, by id descending, the same
    totalCount on every page; the organisation's feed likewise."""
    ids = await _ids(demo_db)
    made = await _record_many(
        demo_db,
        [
            {
                "verb": "COMMENT_POSTED" if i % 2 else "GROUP_DECISION",
                "subject_type": "WorkingGroup",
                "subject_id": ids["group"],
                "summary": f"event {i}",
                "group_id": ids["group"],
                "organization_id": ids["org"] if i % 3 == 0 else None,
                "actor_id": ids["person"] if i % 2 else None,
            }
            for i in range(25)
        ],
    )
    client = make_client(demo_db)
    group_id = to_global_id("WorkingGroup", ids["group"])
    events, total = await _all_pages(
        client, GROUP_FEED, {"slug": SLUG}, ["workingGroup", "activity"], 4
    )
    pks = [from_global_id(e["id"])[1] for e in events]  # type: ignore[index]
    assert pks == sorted(pks, reverse=True) and len(set(pks)) == len(pks) == total
    assert set(made) <= set(pks)
    head = {e["summary"]: e for e in events if from_global_id(e["id"])[1] in made}  # type: ignore[index]
    assert (
        head["event 1"]["verb"] == "COMMENT_POSTED" and head["event 0"]["verb"] == "GROUP_DECISION"
    )
    assert head["event 1"]["actor"]["id"] == to_global_id("Person", ids["person"])
    assert head["event 0"]["actor"] is None
    assert head["event 0"]["subject"] == {
        "__typename": head["event 0"]["subject"]["__typename"],
        "id": group_id,
    }

    org_events, org_total = await _all_pages(
        client, ORG_FEED, {"id": to_global_id("Organization", ids["org"])}, ["node", "activity"], 3
    )
    org_pks = [from_global_id(e["id"])[1] for e in org_events]  # type: ignore[index]
    assert org_pks == sorted(org_pks, reverse=True) and len(org_pks) == org_total
    assert set(org_pks) >= {pk for i, pk in enumerate(made) if i % 3 == 0}
    assert not set(org_pks) & {pk for i, pk in enumerate(made) if i % 3}


async def test_an_event_is_as_visible_as_its_subject(
    demo_db: str, make_client: ClientFactory
) -> None:
    """An event about a registration: listed, counted and fetched for staff and the person
    registered; for anonymous and the demo `other` it is absent, uncounted, and node(id:) null.
    An event of a group whose theme is disabled is in no feed at all."""
    ids = await _ids(demo_db)
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            registration = (
                await conn.execute(
                    select(Registration.id, Registration.person_id, Meeting.group_id)
                    .join(Meeting, Meeting.id == Registration.meeting_id)
                    .order_by(Registration.id)
                )
            ).first()
    finally:
        await db.dispose()
    assert registration is not None, "the demo has registrations"
    reg_pk, person_pk, group_pk = registration
    hidden, public = await _record_many(
        demo_db,
        [
            {
                "verb": "MEETING_CHANGED",
                "subject_type": "Registration",
                "subject_id": reg_pk,
                "summary": "a registration changed",
                "group_id": group_pk,
                "organization_id": ids["org"],
            },
            {
                "verb": "GROUP_DECISION",
                "subject_type": "WorkingGroup",
                "subject_id": group_pk,
                "summary": "a public decision",
                "group_id": group_pk,
                "organization_id": ids["org"],
            },
        ],
    )
    query = """query($g: ID!, $o: ID!, $e: ID!) {
      group: node(id: $g) { ... on WorkingGroup { activity(first: 100) { totalCount nodes { id } } } }
      org: node(id: $o) { ... on Organization { activity(first: 100) { totalCount nodes { id } } } }
      event: node(id: $e) { ... on ActivityEvent { id subject { id } } } }"""
    variables = {
        "g": to_global_id("WorkingGroup", group_pk),
        "o": to_global_id("Organization", ids["org"]),
        "e": to_global_id("ActivityEvent", hidden),
    }
    base = make_client(demo_db)
    staff = base.with_token(await token_for(demo_db, "staff"))
    other = base.with_token(await token_for(demo_db, "other"))
    seen = await staff.execute(query, variables)
    unseen = [await base.execute(query, variables), await other.execute(query, variables)]
    hidden_id, public_id = variables["e"], to_global_id("ActivityEvent", public)
    for feed in ("group", "org"):
        staff_ids = [n["id"] for n in seen[feed]["activity"]["nodes"]]
        assert {hidden_id, public_id} <= set(staff_ids)
        assert seen[feed]["activity"]["totalCount"] == len(staff_ids)
        for data in unseen:
            their = [n["id"] for n in data[feed]["activity"]["nodes"]]
            assert hidden_id not in their and public_id in their
            assert data[feed]["activity"]["totalCount"] == len(their) == len(staff_ids) - 1
    assert seen["event"] == {
        "id": hidden_id,
        "subject": {"id": to_global_id("Registration", reg_pk)},
    }
    assert all(data["event"] is None for data in unseen)

    # the person registered sees the event about their own registration
    db = Database(demo_db)
    try:
        from core.auth.tokens import issue_token

        async with db.write() as conn:
            token = (await issue_token(conn, person_pk, name="activity test")).token
    finally:
        await db.dispose()
    own = await base.with_token(token).execute(query, variables)
    assert own["event"] == seen["event"]

    # the group's theme disabled: its events leave the organisation's feed, and node(id:)
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            theme = await conn.scalar(select(WorkingGroup.theme).where(WorkingGroup.id == group_pk))
    finally:
        await db.dispose()
    themeless = make_client(demo_db, {"plugins": {"disabled": [theme]}})
    for client in (themeless, themeless.with_token(await token_for(demo_db, "staff"))):
        data = await client.execute(query, {**variables, "e": public_id})
        assert data["group"] is None and data["event"] is None
        assert public_id not in [n["id"] for n in data["org"]["activity"]["nodes"]]


@pytest.mark.signed_in("member")
async def test_priority_area_and_comment_workflows_are_in_the_feeds(
    client: GraphQLClient,
) -> None:
    """A member proposes a priority area (PRIORITY_AREA_PROPOSED) and comments on the group
    (COMMENT_POSTED), each in the group's feed and in their organisation's: each event at the
    head of the feeds, about the object the mutation returned, by the member."""
    group = (await client.execute('{ workingGroup(slug: "open-data") { id } }'))["workingGroup"]
    me = await _demo_person(client, "member")
    proposed = await client.execute(
        f"""mutation($input: PriorityAreaProposeInput!) {{ priorityAreaPropose(input: $input) {{
          priorityArea {{ id proposedBy {{ id }} }} {ERRORS} }} }}""",
        {
            "input": {
                "groupId": group["id"],
                "title": "Feeds check",
                "rationale": "Why not.",
                "countries": ["KE"],
            }
        },
    )
    assert proposed["priorityAreaPropose"]["userErrors"] == []
    area = proposed["priorityAreaPropose"]["priorityArea"]
    head = (await _feed(client, 1))["nodes"][0]
    assert head["verb"] == "PRIORITY_AREA_PROPOSED"
    assert head["subject"] == {"__typename": "PriorityArea", "id": area["id"]}
    assert head["actor"] == me and "Feeds check" in head["summary"]
    org_head = (
        await client.execute(ORG_FEED, {"id": area["proposedBy"]["id"], "first": 1, "after": None})
    )["node"]["activity"]["nodes"][0]
    assert org_head == head

    posted = await client.execute(
        f"""mutation($t: ID!) {{ commentPost(input: {{targetId: $t, body: "On the feed."}}) {{
          comment {{ id }} {ERRORS} }} }}""",
        {"t": group["id"]},
    )
    assert posted["commentPost"]["userErrors"] == []
    feed = await _feed(client, 2)
    assert [e["verb"] for e in feed["nodes"]] == ["COMMENT_POSTED", "PRIORITY_AREA_PROPOSED"]
    assert feed["nodes"][0]["subject"] == {
        "__typename": "Comment",
        "id": posted["commentPost"]["comment"]["id"],
    }
    assert feed["nodes"][0]["actor"] == me and feed["nodes"][1] == head
    # the comment is in the author's organisation's feed too, above the proposal
    org_feed = (
        await client.execute(ORG_FEED, {"id": area["proposedBy"]["id"], "first": 2, "after": None})
    )["node"]["activity"]["nodes"]
    assert org_feed == feed["nodes"]


async def test_a_subscription_over_http_is_refused(client: GraphQLClient) -> None:
    """Subscriptions are served over WebSocket only: POSTed, a 400 that says where."""
    response = await client.post(
        'subscription { groupActivity(groupId: "V29ya2luZ0dyb3VwOjU") { id verb } }'
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Subscriptions are served over WebSocket (graphql-transport-ws) "
                "on /graphql, not over HTTP.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }
