"""The demo's activity feeds (issue 9, sections 5 and 7): each event carries the time of what it
describes (a meeting scheduled in 2013 is a 2013 event, not one of the day the demo was loaded),
the demo's priority areas have their events, and a feed, newest first, reads in time order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.testing import GraphQLClient

FEED = """query Feed($slug: String!) { workingGroup(slug: $slug) { id
  activity(first: 100) { totalCount nodes { id verb at summary
    subject { __typename id ... on Meeting { title startsAt } ... on PriorityArea { title } } } }
} }"""


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _feed(client: GraphQLClient, slug: str) -> list[dict]:
    data = await client.execute(FEED, {"slug": slug})
    activity = data["workingGroup"]["activity"]
    assert activity["totalCount"] == len(activity["nodes"])  # one page holds the demo's feed
    nodes: list[dict] = activity["nodes"]
    return nodes


@pytest.mark.signed_in("staff")
async def test_demo_events_carry_the_time_of_what_they_describe(client: GraphQLClient) -> None:
    loaded = datetime.now(UTC) - timedelta(hours=1)  # demo_db loaded it moments ago
    nodes = await _feed(client, "open-data")
    # newest first, in time order (the demo renumbers its events so ids follow `at`)
    times = [_at(n["at"]) for n in nodes]
    assert times == sorted(times, reverse=True)
    by = {(n["verb"], n["subject"].get("title")): _at(n["at"]) for n in nodes}

    summit = "OGP Summit 2013, London: Open Data Working Group session"
    # scheduled on 16 September 2013, 12:00 London time (BST: 11:00 UTC)
    assert by[("MEETING_SCHEDULED", summit)] == datetime(2013, 9, 16, 11, tzinfo=UTC)
    # every meeting's event precedes the meeting and is no event of the load
    for node in nodes:
        if node["verb"] == "MEETING_SCHEDULED":
            assert _at(node["at"]) < _at(node["subject"]["startsAt"])
        if node["subject"]["__typename"] == "Meeting" and node["subject"]["startsAt"] < "2014":
            assert _at(node["at"]).year == 2013

    agreed = "High-value datasets in open formats"
    assert by[("PRIORITY_AREA_PROPOSED", agreed)] == datetime(2013, 9, 24, 16, tzinfo=UTC)
    assert by[("PRIORITY_AREA_OPENED", agreed)] == datetime(2013, 9, 25, 16, tzinfo=UTC)
    assert by[("PRIORITY_AREA_AGREED", agreed)] == datetime(2013, 10, 31, 12, tzinfo=UTC)
    outcome = next(n for n in nodes if n["verb"] == "PRIORITY_AREA_AGREED")
    assert "4 of 4 endorsed, 0 objected" in outcome["summary"]
    in_discussion = "Open contracting data for anti-corruption"
    assert ("PRIORITY_AREA_OPENED", in_discussion) in by
    assert ("PRIORITY_AREA_AGREED", in_discussion) not in by
    taken = [n for n in nodes if n["verb"] == "POSITION_TAKEN"]
    assert len(taken) == 9  # four on the agreed area, five (one superseded) on the open one

    # the Steering Committee's 2013 decisions, the 2013 comments: none stamped at load time
    decisions = [_at(n["at"]) for n in nodes if n["verb"] == "GROUP_DECISION"]
    assert decisions and all(at.year == 2013 for at in decisions)
    comments = [_at(n["at"]) for n in nodes if n["verb"] == "COMMENT_POSTED"]
    # four in 2013 on the group and its Summit meeting, one on the area under discussion
    assert len(comments) == 5 and sum(at.year == 2013 for at in comments) == 4
    on_area = next(
        n for n in nodes if n["summary"].endswith(f"'{in_discussion}' (illustrative demo comment)")
    )
    assert _at(on_area["at"]) > by[("PRIORITY_AREA_OPENED", in_discussion)]
    assert all(_at(n["at"]) < loaded for n in nodes)


@pytest.mark.signed_in("staff")
async def test_the_demo_proposal_has_its_event(client: GraphQLClient) -> None:
    nodes = await _feed(client, "open-contracting")
    proposed = [n for n in nodes if n["verb"] == "GROUP_PROPOSED"]
    assert [n["summary"] for n in proposed] == [
        "A new working group was proposed: 'Open Contracting Working Group'"
    ]
    assert _at(proposed[0]["at"]) < datetime.now(UTC) - timedelta(days=7)
