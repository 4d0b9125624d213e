"""Feedback on the working-group concept (issue 9, section 3), over HTTP on both databases:
anyone signed in sends it, staff read all of it, the sender reads back their own."""

from __future__ import annotations

from core.comments.demo import FEEDBACK as FEEDBACK_TEXT
from core.testing import GraphQLClient
from tests.test_comments import FEEDBACK, NAMES

LIST_FEEDBACK = """query($category: FeedbackCategory) { feedback(first: 10, category: $category) {
  totalCount nodes { id body category createdAt author { name } } } }"""
FEEDBACK_NODE = """query($id: ID!) { node(id: $id) { ... on Feedback { id body } } }"""


async def test_feedback_is_sent_by_anyone_signed_in_and_read_by_staff(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    sent = []
    for role, category in (("member", "IDEA"), ("other", None)):
        data = await client.execute(
            FEEDBACK,
            {"input": {"body": f"Feedback from {role}", "category": category}},
            token=role_tokens[role],
        )
        payload = data["feedbackSubmit"]
        assert payload["userErrors"] == []
        assert payload["feedback"]["body"] == f"Feedback from {role}"
        assert payload["feedback"]["category"] == category
        assert payload["feedback"]["author"] == {"name": NAMES[role]}
        sent.append(payload["feedback"]["id"])
    for body, code in (("", "REQUIRED"), ("f" * 5001, "TOO_LONG")):
        data = await client.execute(
            FEEDBACK, {"input": {"body": body}}, token=role_tokens["member"]
        )
        assert data["feedbackSubmit"] == {
            "feedback": None,
            "userErrors": [{"code": code, "field": ["input", "body"]}],
        }
    body = (await client.post(FEEDBACK, {"input": {"body": "anonymous"}})).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]

    staff = role_tokens["staff"]
    every = (await client.execute(LIST_FEEDBACK, {"category": None}, token=staff))["feedback"]
    assert every["totalCount"] == 3
    demo = every["nodes"][2]  # the demo's own (core/comments/demo.py), from 2013
    assert [(n["id"], n["body"], n["author"]["name"]) for n in every["nodes"]] == [
        (sent[1], "Feedback from other", NAMES["other"]),  # newest first
        (sent[0], "Feedback from member", NAMES["member"]),
        (demo["id"], FEEDBACK_TEXT, "Oliver Hughes"),
    ]
    assert demo["category"] == "IDEA" and demo["body"].endswith("(Illustrative demo feedback.)")
    ideas = (await client.execute(LIST_FEEDBACK, {"category": "IDEA"}, token=staff))["feedback"]
    assert [n["id"] for n in ideas["nodes"]] == [sent[0], demo["id"]]
    assert ideas["totalCount"] == 2
    # others read only what they sent: nothing for the anchor, nothing signed out
    mine = await client.execute(LIST_FEEDBACK, {"category": None}, token=role_tokens["member"])
    assert [n["id"] for n in mine["feedback"]["nodes"]] == [sent[0]]
    assert mine["feedback"]["totalCount"] == 1
    for role in (None, "anchor"):
        token = role and role_tokens[role]
        data = await client.execute(LIST_FEEDBACK, {"category": None}, token=token)
        assert data["feedback"] == {"totalCount": 0, "nodes": []}, role
    # by ID: staff and the sender; nobody else, as if it did not exist
    for role, expected in (("staff", True), ("member", True), ("other", False), (None, False)):
        data = await client.execute(
            FEEDBACK_NODE, {"id": sent[0]}, token=role and role_tokens[role]
        )
        assert data["node"] == (
            {"id": sent[0], "body": "Feedback from member"} if expected else None
        )
