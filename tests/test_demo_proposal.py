"""Proposals are commented on (issue 9, section 4): the demo's proposed group carries a comment,
and a member of another group comments on it over GraphQL; the comment is in the proposal's
comments and in its activity feed."""

from __future__ import annotations

import pytest

from core.testing import GraphQLClient

PROPOSAL = """query Proposal { workingGroup(slug: "open-contracting") { id status
  comments(first: 10) { totalCount nodes { id body illustrative author { id name } } }
  activity(first: 10) { nodes { id verb actor { id name } } } } }"""

POST = """mutation Post($target: ID!, $body: String!) {
  commentPost(input: {targetId: $target, body: $body}) {
    comment { id body group { id slug status } author { id name } }
    userErrors { code field message } } }"""


@pytest.mark.signed_in("member")
async def test_a_member_comments_on_a_proposal(client: GraphQLClient) -> None:
    before = (await client.execute(PROPOSAL))["workingGroup"]
    assert before["status"] == "PROPOSED"
    # the demo's own comment on the proposal (illustrative)
    [demo] = before["comments"]["nodes"]
    assert demo["illustrative"] is True and demo["author"]["name"] == "Priya Raman"

    body = "Kenya publishes its tenders already; we would join such a group."
    payload = (await client.execute(POST, {"target": before["id"], "body": body}))["commentPost"]
    assert payload["userErrors"] == []
    comment = payload["comment"]
    assert comment["group"] == {
        "id": before["id"],
        "slug": "open-contracting",
        "status": "PROPOSED",
    }
    assert comment["author"]["name"] == "Wanjiru Kamau"  # the demo's member role

    after = (await client.execute(PROPOSAL))["workingGroup"]
    assert after["comments"]["totalCount"] == 2
    posted = [n for n in after["comments"]["nodes"] if n["id"] == comment["id"]]
    assert posted == [
        {
            "id": comment["id"],
            "body": body,
            "illustrative": False,
            "author": comment["author"],
        }
    ]
    newest = after["activity"]["nodes"][0]
    assert newest["verb"] == "COMMENT_POSTED" and newest["actor"]["name"] == "Wanjiru Kamau"


async def test_anyone_reads_the_comments_on_a_proposal(client: GraphQLClient) -> None:
    group = (await client.execute(PROPOSAL))["workingGroup"]
    assert group["comments"]["totalCount"] == 1
