"""A digest tells a person only what they could see over the API (core/notifications/digests.py),
on both databases, through the real `ogp-wg notify send` and an SMTP sink (tests/
test_notifications.py): the activity feed's row rules applied to the recipient (an event about
someone else's registration reaches the group's anchor, not a member), and no hidden comment.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.activity.services import record
from core.auth.staff import find_person
from core.db import Database
from core.demo import DEMO_ROLES
from core.models import Meeting, Registration, WorkingGroup
from core.testing import GraphQLClient
from tests.test_notifications import Sink, _body, _person, _set, notify, sink, smtp

__all__ = ["sink"]  # the SMTP sink fixture, shared with tests/test_notifications.py

ERRORS = "userErrors { code field }"
POST = f"""mutation($t: ID!, $b: String!) {{ commentPost(input: {{targetId: $t, body: $b}}) {{
  comment {{ id }} {ERRORS} }} }}"""
HIDE = f"""mutation($id: ID!) {{ commentHide(input: {{id: $id, reason: "Off topic"}}) {{
  comment {{ isHidden }} {ERRORS} }} }}"""
NAME = "query($id: ID!) { node(id: $id) { ... on Person { name } } }"


async def _comment(client: GraphQLClient, token: str, target: str, body: str) -> str:
    data = await client.execute(POST, {"t": target, "b": body}, token=token)
    assert data["commentPost"]["userErrors"] == []
    return str(data["commentPost"]["comment"]["id"])


async def _someone_elses_registration(url: str) -> int:
    """An event, in the open-data group, about a registration of a person other than the demo
    `member` (so a row rule hides it from them; the group's anchors and staff see it)."""
    db = Database(url)
    try:
        async with db.write() as conn:
            member, _ = await find_person(conn, DEMO_ROLES["member"])
            group = await conn.scalar(
                sa.select(WorkingGroup.id).where(WorkingGroup.slug == "open-data")
            )
            registration = await conn.scalar(
                sa.select(Registration.id)
                .join(Meeting, Meeting.id == Registration.meeting_id)
                .where(Meeting.group_id == group, Registration.person_id != member)
                .order_by(Registration.id)
            )
            assert group is not None and registration is not None
            return await record(
                conn,
                verb="MEETING_CHANGED",
                subject_type="Registration",
                subject_id=registration,
                summary="A registration only its person and the anchors see",
                group_id=group,
            )
    finally:
        await db.dispose()


async def test_a_digest_leaves_out_what_its_reader_may_not_see(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str, sink: Sink, tmp_path: Any
) -> None:
    member_id, member_mail = await _person(demo_db, "member")
    _, anchor_mail = await _person(demo_db, "anchor")
    other_id, _ = await _person(demo_db, "other")
    anchor_id, _ = await _person(demo_db, "anchor")
    for role in ("member", "anchor"):
        assert (await _set(client, role_tokens[role], digest="DAILY"))["userErrors"] == []
    group = (await client.execute('{ workingGroup(slug: "open-data") { id name } }'))[
        "workingGroup"
    ]
    hidden = await _comment(client, role_tokens["other"], group["id"], "Buy cheap watches")
    hid = await client.execute(HIDE, {"id": hidden}, token=role_tokens["anchor"])
    assert hid["commentHide"] == {"comment": {"isHidden": True}, "userErrors": []}
    await _comment(client, role_tokens["anchor"], group["id"], "Our next call is on portals.")
    await _someone_elses_registration(demo_db)
    names = {
        who: (await client.execute(NAME, {"id": pid}))["node"]["name"]
        for who, pid in (("other", other_id), ("anchor", anchor_id), ("member", member_id))
    }
    shown = f"{names['anchor']} commented on"
    moderated = f"{names['other']} commented on"
    private = "A registration only its person and the anchors see"
    # the feed still lists the hidden comment's event (its subject says it is hidden)
    feed = await client.execute(
        '{ workingGroup(slug: "open-data") { activity(first: 3) { nodes { summary } } } }',
        token=role_tokens["member"],
    )
    summaries = [n["summary"] for n in feed["workingGroup"]["activity"]["nodes"]]
    assert any(s.startswith(moderated) for s in summaries) and private not in summaries

    done = notify(demo_db, tmp_path, **smtp(sink))
    assert done.returncode == 0, done.stderr
    assert "2 digest(s); sent 2" in done.stderr
    [to_member] = sink.to(member_mail)
    assert to_member["Subject"] == "Your daily digest: 1 events in your working groups"
    body = _body(to_member)
    assert shown in body and moderated not in body and private not in body
    assert "Buy cheap watches" not in body
    [to_anchor] = sink.to(anchor_mail)  # the anchors see the registration: it is theirs to read
    assert to_anchor["Subject"] == "Your daily digest: 2 events in your working groups"
    body = _body(to_anchor)
    assert shown in body and private in body and moderated not in body
