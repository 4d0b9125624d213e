"""Comments and feedback (issue 9, section 3), over HTTP on both databases, each role.

The demo roles (core.demo.DEMO_ROLES): `anchor` anchors the open-data group, `member` belongs
to it, `other` is signed in with no role, `staff` is the Support Unit. Every rule of
core/comments/access.py and every user error code of core/comments/services.py is exercised;
the database's own guards (CHECKs, triggers, cascades) are tried with SQL that skips the API.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.db import Database
from core.models import ActivityEvent, Comment, CommentRevision
from core.schema.ids import pk_of, to_global_id
from core.testing import GraphQLClient, token_for

ERRORS = "userErrors { code field }"
FIELDS = """id body isHidden hiddenAt hiddenReason editedAt createdAt illustrative
  author { name } group { slug } meeting { title } parent { id }"""
POST = f"""mutation($input: CommentPostInput!) {{
  commentPost(input: $input) {{ comment {{ {FIELDS} }} {ERRORS} }} }}"""
EDIT = f"""mutation($id: ID!, $body: String!) {{
  commentEdit(input: {{id: $id, body: $body}}) {{ comment {{ id body editedAt }} {ERRORS} }} }}"""
HIDE = f"""mutation($id: ID!, $reason: String!) {{
  commentHide(input: {{id: $id, reason: $reason}}) {{
    comment {{ id isHidden hiddenReason body }} {ERRORS} }} }}"""
UNHIDE = f"""mutation($id: ID!) {{
  commentUnhide(input: {{id: $id}}) {{ comment {{ id isHidden hiddenAt hiddenReason body }} {ERRORS} }} }}"""
FEEDBACK = f"""mutation($input: FeedbackSubmitInput!) {{
  feedbackSubmit(input: $input) {{ feedback {{ id body category author {{ name }} }} {ERRORS} }} }}"""
NODE = """query($id: ID!) { node(id: $id) { ... on Comment {
  id body isHidden hiddenReason hiddenBy { name } editedAt
  revisions(first: 10) { totalCount nodes { body editedAt } } } } }"""
THREADS = """query($slug: String!) { workingGroup(slug: $slug) {
  comments(first: 10) { totalCount nodes { body author { name }
    replies(first: 10) { totalCount nodes { body author { name } parent { body } } } } }
  meetings(first: 100) { nodes { id title comments(first: 10) { totalCount nodes { body } } } } } }"""

NAMES = {
    "anchor": "Claire Tremblay",
    "member": "Wanjiru Kamau",
    "other": "Robin Clarke",
    "staff": "Alex Morgan",
}


async def target_ids(client: GraphQLClient) -> dict[str, str]:
    """The open-data group, one of its meetings, and the fiscal-openness group (which the demo
    anchor does not anchor)."""
    data = await client.execute(
        """{ od: workingGroup(slug: "open-data") { id meetings(first: 1) { nodes { id title } } }
             fo: workingGroup(slug: "fiscal-openness") { id } }"""
    )
    meeting = data["od"]["meetings"]["nodes"][0]
    return {
        "group": data["od"]["id"],
        "meeting": meeting["id"],
        "meetingTitle": meeting["title"],
        "otherGroup": data["fo"]["id"],
    }


async def post_comment(
    client: GraphQLClient, token: str | None, **input: Any
) -> tuple[dict[str, Any] | None, list[Any]]:
    data = await client.execute(POST, {"input": input}, token=token)
    payload = data["commentPost"]
    return payload["comment"], payload["userErrors"]


async def _count(url: str, model: Any) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            return int(await conn.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
    finally:
        await db.dispose()


async def test_threads_on_a_group_and_a_meeting(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    ids = await target_ids(client)
    events_before = await _count(demo_db, ActivityEvent)
    before = (await client.execute(THREADS, {"slug": "open-data"}))["workingGroup"]
    group_before = before["comments"]["totalCount"]
    meeting_before = next(m for m in before["meetings"]["nodes"] if m["id"] == ids["meeting"])
    meeting_before = meeting_before["comments"]["totalCount"]
    top, errors = await post_comment(
        client, role_tokens["member"], targetId=ids["group"], body=" Hi all "
    )
    assert errors == [] and top is not None
    assert top["body"] == "Hi all"  # stripped
    assert top["isHidden"] is False
    assert top["hiddenAt"] is None and top["hiddenReason"] is None and top["editedAt"] is None
    assert top["illustrative"] is False
    assert top["author"] == {"name": NAMES["member"]}
    assert top["group"] == {"slug": "open-data"}
    assert top["meeting"] is None and top["parent"] is None
    assert top["createdAt"].endswith("+00:00")

    reply, errors = await post_comment(
        client, role_tokens["anchor"], parentId=top["id"], body="Welcome"
    )
    assert errors == [] and reply is not None
    assert reply["parent"] == {"id": top["id"]}
    assert reply["group"] == {"slug": "open-data"} and reply["meeting"] is None
    # a reply may name its parent's target too
    same, errors = await post_comment(
        client, role_tokens["other"], parentId=top["id"], targetId=ids["group"], body="Agreed"
    )
    assert errors == [] and same is not None and same["parent"] == {"id": top["id"]}

    on_meeting, errors = await post_comment(
        client, role_tokens["other"], targetId=ids["meeting"], body="Will slides be shared?"
    )
    assert errors == [] and on_meeting is not None
    assert on_meeting["meeting"] == {"title": ids["meetingTitle"]}
    assert on_meeting["group"] == {"slug": "open-data"}
    meeting_reply, errors = await post_comment(
        client, role_tokens["staff"], parentId=on_meeting["id"], body="Yes"
    )
    assert errors == [] and meeting_reply is not None
    assert meeting_reply["meeting"] == {"title": ids["meetingTitle"]}

    # anonymous readers see every thread, each on its own target, oldest first
    group = (await client.execute(THREADS, {"slug": "open-data"}))["workingGroup"]
    assert group["comments"]["totalCount"] == group_before + 1
    assert group["comments"]["nodes"][group_before:] == [
        {
            "body": "Hi all",
            "author": {"name": NAMES["member"]},
            "replies": {
                "totalCount": 2,
                "nodes": [
                    {
                        "body": "Welcome",
                        "author": {"name": NAMES["anchor"]},
                        "parent": {"body": "Hi all"},
                    },
                    {
                        "body": "Agreed",
                        "author": {"name": NAMES["other"]},
                        "parent": {"body": "Hi all"},
                    },
                ],
            },
        }
    ]
    meeting = next(m for m in group["meetings"]["nodes"] if m["id"] == ids["meeting"])
    assert meeting["comments"]["totalCount"] == meeting_before + 1
    assert meeting["comments"]["nodes"][-1] == {"body": "Will slides be shared?"}

    # a page at a time
    page = """query($id: ID!, $after: String) { node(id: $id) { ... on Comment {
      replies(first: 1, after: $after) { nodes { body } pageInfo { hasNextPage endCursor } } } } }"""
    first = await client.execute(page, {"id": top["id"], "after": None})
    replies = first["node"]["replies"]
    assert replies["nodes"] == [{"body": "Welcome"}] and replies["pageInfo"]["hasNextPage"]
    after = replies["pageInfo"]["endCursor"]
    second = await client.execute(page, {"id": top["id"], "after": after})
    replies = second["node"]["replies"]
    assert replies["nodes"] == [{"body": "Agreed"}] and not replies["pageInfo"]["hasNextPage"]

    # every post is in the group's activity feed, by its author
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            events = (
                await conn.execute(
                    sa.select(
                        ActivityEvent.subject_type,
                        ActivityEvent.subject_id,
                        ActivityEvent.group_id,
                        ActivityEvent.summary,
                    )
                    .where(ActivityEvent.verb == "COMMENT_POSTED")
                    .order_by(ActivityEvent.id)
                )
            ).all()
            rows = [tuple(e) for e in events][-5:]
    finally:
        await db.dispose()
    assert await _count(demo_db, ActivityEvent) == events_before + 5
    group_pk = pk_of(ids["group"], "WorkingGroup")
    assert [(t, s, g) for t, s, g, _ in rows] == [
        ("Comment", pk_of(c["id"], "Comment"), group_pk)
        for c in (top, reply, same, on_meeting, meeting_reply)
    ]
    assert rows[0][3] == f"{NAMES['member']} commented on the group 'Open Data Working Group'"
    assert rows[3][3] == f"{NAMES['other']} commented on the meeting '{ids['meetingTitle']}'"
    assert rows[4][3] == (
        f"{NAMES['staff']} replied to a comment on the meeting '{ids['meetingTitle']}'"
    )


async def test_posting_needs_a_signed_in_person_with_write_access(
    client: GraphQLClient, demo_db: str
) -> None:
    ids = await target_ids(client)
    before = await _count(demo_db, Comment)
    variables = {"input": {"targetId": ids["group"], "body": "x"}}
    response = await client.post(POST, variables)
    body = response.json()
    assert body["data"] == {"commentPost": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    read_only = await token_for(demo_db, "member", scopes={"read"})
    body = (await client.post(POST, variables, token=read_only)).json()
    assert body["data"] == {"commentPost": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await _count(demo_db, Comment) == before


async def test_post_refuses_bad_input_and_writes_nothing(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    ids = await target_ids(client)
    token = role_tokens["member"]
    top, _ = await post_comment(client, token, targetId=ids["group"], body="Top")
    assert top is not None
    reply, _ = await post_comment(client, token, parentId=top["id"], body="Reply")
    assert reply is not None
    before = await _count(demo_db, Comment)
    person = (await client.execute("{ organizations(first: 1) { nodes { people { id } } } }"))[
        "organizations"
    ]["nodes"][0]["people"][0]["id"]
    cases: list[tuple[dict[str, Any], list[dict[str, Any]]]] = [
        ({"targetId": ids["group"], "body": "   "}, [("REQUIRED", "body")]),
        ({"targetId": ids["group"], "body": "x" * 5001}, [("TOO_LONG", "body")]),
        ({"body": "Orphan"}, [("REQUIRED", "targetId")]),
        ({"body": "", "parentId": None}, [("REQUIRED", "body"), ("REQUIRED", "targetId")]),
        ({"targetId": "bm90IGFuIGlk", "body": "x"}, [("NOT_FOUND", "targetId")]),
        ({"targetId": to_global_id("Meeting", 99999), "body": "x"}, [("NOT_FOUND", "targetId")]),
        ({"targetId": person, "body": "x"}, [("NOT_COMMENTABLE", "targetId")]),
        ({"parentId": to_global_id("Comment", 99999), "body": "x"}, [("NOT_FOUND", "parentId")]),
        ({"parentId": reply["id"], "body": "x"}, [("REPLY_TO_REPLY", "parentId")]),
        (
            {"parentId": top["id"], "targetId": ids["meeting"], "body": "x"},
            [("TARGET_MISMATCH", "targetId")],
        ),
    ]
    for input, expected in cases:
        comment, errors = await post_comment(client, token, **input)
        assert comment is None, input
        assert errors == [{"code": c, "field": ["input", f]} for c, f in expected], input
    assert await _count(demo_db, Comment) == before
    # 5000 characters are fine
    long, errors = await post_comment(client, token, targetId=ids["group"], body="y" * 5000)
    assert errors == [] and long is not None and len(long["body"]) == 5000


async def test_only_the_author_edits_and_the_history_is_kept(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    ids = await target_ids(client)
    comment, _ = await post_comment(
        client, role_tokens["member"], targetId=ids["group"], body="First"
    )
    assert comment is not None
    cid = comment["id"]
    member = role_tokens["member"]
    for body in ("Second", "Third"):
        data = await client.execute(EDIT, {"id": cid, "body": body}, token=member)
        assert data["commentEdit"]["userErrors"] == []
        edited = data["commentEdit"]["comment"]
        assert edited["id"] == cid and edited["body"] == body and edited["editedAt"] is not None
    # the same text again is no edit
    data = await client.execute(EDIT, {"id": cid, "body": "Third"}, token=member)
    assert data["commentEdit"] == {
        "comment": {"id": cid, "body": "Third", "editedAt": edited["editedAt"]},
        "userErrors": [],
    }
    assert await _count(demo_db, CommentRevision) == 2

    # errors, nothing written
    for body, code in (("", "REQUIRED"), ("z" * 5001, "TOO_LONG")):
        data = await client.execute(EDIT, {"id": cid, "body": body}, token=member)
        assert data["commentEdit"] == {
            "comment": None,
            "userErrors": [{"code": code, "field": ["input", "body"]}],
        }
    # no such comment: NOT_FOUND for staff (who pass every rule); FORBIDDEN for others, as for
    # another person's comment (a missing object and a forbidden one answer alike)
    missing = to_global_id("Comment", 99999)
    data = await client.execute(EDIT, {"id": missing, "body": "x"}, token=role_tokens["staff"])
    assert data["commentEdit"]["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]
    body = (await client.post(EDIT, {"id": missing, "body": "x"}, token=member)).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    # anyone else is refused by the rule; staff pass every rule, and are still not the author
    for role in ("other", "anchor"):
        variables = {"id": cid, "body": "Hijack"}
        body = (await client.post(EDIT, variables, token=role_tokens[role])).json()
        assert body["data"] == {"commentEdit": None}, role
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], role
    data = await client.execute(EDIT, {"id": cid, "body": "Hijack"}, token=role_tokens["staff"])
    assert data["commentEdit"] == {
        "comment": None,
        "userErrors": [{"code": "NOT_AUTHOR", "field": ["input", "id"]}],
    }
    body = (await client.post(EDIT, {"id": cid, "body": "Hijack"})).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert await _count(demo_db, CommentRevision) == 2

    # the earlier versions: for the author, the group's anchors and staff; null for others
    history = [{"body": "First"}, {"body": "Second"}]
    for role in ("member", "anchor", "staff", "other", None):
        data = await client.execute(NODE, {"id": cid}, token=role and role_tokens[role])
        node = data["node"]
        assert node["body"] == "Third" and node["editedAt"] == edited["editedAt"], role
        if role in ("member", "anchor", "staff"):
            revisions = node["revisions"]
            assert revisions["totalCount"] == 2, role
            assert [{"body": r["body"]} for r in revisions["nodes"]] == history, role
            assert revisions["nodes"][0]["editedAt"] <= revisions["nodes"][1]["editedAt"]
            assert revisions["nodes"][1]["editedAt"] == edited["editedAt"]
        else:
            assert node["revisions"] is None, role


async def test_anchors_and_staff_hide_staff_unhide(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    ids = await target_ids(client)
    comment, _ = await post_comment(
        client, role_tokens["member"], targetId=ids["meeting"], body="Spam"
    )
    elsewhere, _ = await post_comment(
        client, role_tokens["member"], targetId=ids["otherGroup"], body="Elsewhere"
    )
    assert comment is not None and elsewhere is not None
    cid = comment["id"]
    # refused: anonymous, a member, the anchor of another group
    body = (await client.post(HIDE, {"id": cid, "reason": "x"})).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    for role, target in (("member", cid), ("other", cid), ("anchor", elsewhere["id"])):
        variables = {"id": target, "reason": "Off topic"}
        body = (await client.post(HIDE, variables, token=role_tokens[role])).json()
        assert body["data"] == {"commentHide": None}, role
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], role
    anchor = role_tokens["anchor"]
    for reason, code in (("  ", "REQUIRED"), ("r" * 501, "TOO_LONG")):
        data = await client.execute(HIDE, {"id": cid, "reason": reason}, token=anchor)
        assert data["commentHide"] == {
            "comment": None,
            "userErrors": [{"code": code, "field": ["input", "reason"]}],
        }
    data = await client.execute(HIDE, {"id": cid, "reason": "Advertising"}, token=anchor)
    assert data["commentHide"] == {
        "comment": {"id": cid, "isHidden": True, "hiddenReason": "Advertising", "body": "Spam"},
        "userErrors": [],
    }
    data = await client.execute(HIDE, {"id": cid, "reason": "Again"}, token=role_tokens["staff"])
    assert data["commentHide"]["userErrors"] == [
        {"code": "ALREADY_HIDDEN", "field": ["input", "id"]}
    ]

    # hidden, not deleted: the public sees that and why; the author, anchors and staff the text
    for role in (None, "other", "member", "anchor", "staff"):
        node = (await client.execute(NODE, {"id": cid}, token=role and role_tokens[role]))["node"]
        assert node["isHidden"] is True and node["hiddenReason"] == "Advertising", role
        assert node["body"] == (None if role in (None, "other") else "Spam"), role
        moderator = role in ("anchor", "staff")
        assert node["hiddenBy"] == ({"name": NAMES["anchor"]} if moderator else None), role
    listed = await client.execute(THREADS, {"slug": "open-data"})
    meeting = next(
        m for m in listed["workingGroup"]["meetings"]["nodes"] if m["id"] == ids["meeting"]
    )
    assert meeting["comments"]["nodes"][-1] == {"body": None}  # listed, as hidden

    # a hidden comment is neither edited nor replied to
    data = await client.execute(EDIT, {"id": cid, "body": "Clean"}, token=role_tokens["member"])
    assert data["commentEdit"]["userErrors"] == [
        {"code": "COMMENT_HIDDEN", "field": ["input", "id"]}
    ]
    _, errors = await post_comment(client, role_tokens["other"], parentId=cid, body="Reply")
    assert errors == [{"code": "COMMENT_HIDDEN", "field": ["input", "parentId"]}]

    # only staff unhide
    body = (await client.post(UNHIDE, {"id": cid}, token=anchor)).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    data = await client.execute(UNHIDE, {"id": cid}, token=role_tokens["staff"])
    assert data["commentUnhide"] == {
        "comment": {
            "id": cid,
            "isHidden": False,
            "hiddenAt": None,
            "hiddenReason": None,
            "body": "Spam",
        },
        "userErrors": [],
    }
    data = await client.execute(UNHIDE, {"id": cid}, token=role_tokens["staff"])
    assert data["commentUnhide"]["userErrors"] == [{"code": "NOT_HIDDEN", "field": ["input", "id"]}]
    missing = to_global_id("Comment", 99999)
    data = await client.execute(HIDE, {"id": missing, "reason": "x"}, token=role_tokens["staff"])
    assert data["commentHide"]["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]
    node = (await client.execute(NODE, {"id": cid}))["node"]
    assert node["body"] == "Spam" and node["hiddenBy"] is None


async def test_comments_on_a_priority_area(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    """A priority area takes comments as the group and its meetings do; replies stay on it."""
    areas = """{ workingGroup(slug: "open-data") { id priorityAreas(first: 1) { nodes { id title
      comments(first: 10) { totalCount nodes { body priorityArea { title } meeting { id }
        replies(first: 10) { nodes { body priorityArea { title } } } } } } } } }"""
    group = (await client.execute(areas))["workingGroup"]
    area = group["priorityAreas"]["nodes"][0]
    before = area["comments"]["totalCount"]
    top, errors = await post_comment(
        client, role_tokens["member"], targetId=area["id"], body="We can pilot this"
    )
    assert errors == [] and top is not None
    assert top["group"] == {"slug": "open-data"} and top["meeting"] is None
    reply, errors = await post_comment(
        client, role_tokens["anchor"], parentId=top["id"], body="Thanks"
    )
    assert errors == [] and reply is not None
    # not the group's own thread, nor a reply naming the group as its target
    _, errors = await post_comment(
        client, role_tokens["other"], parentId=top["id"], targetId=group["id"], body="x"
    )
    assert errors == [{"code": "TARGET_MISMATCH", "field": ["input", "targetId"]}]
    area = (await client.execute(areas))["workingGroup"]["priorityAreas"]["nodes"][0]
    assert area["comments"]["totalCount"] == before + 1
    assert area["comments"]["nodes"][-1] == {
        "body": "We can pilot this",
        "priorityArea": {"title": area["title"]},
        "meeting": None,
        "replies": {"nodes": [{"body": "Thanks", "priorityArea": {"title": area["title"]}}]},
    }
    threads = (await client.execute(THREADS, {"slug": "open-data"}))["workingGroup"]
    assert "We can pilot this" not in [c["body"] for c in threads["comments"]["nodes"]]
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            summary = await conn.scalar(
                sa.select(ActivityEvent.summary)
                .where(ActivityEvent.subject_id == pk_of(top["id"], "Comment"))
                .where(ActivityEvent.subject_type == "Comment")
            )
    finally:
        await db.dispose()
    assert summary == f"{NAMES['member']} commented on the priority area '{area['title']}'"
