"""Comments: what the database keeps by itself (CHECKs, triggers of core_0010, cascades) and
what a disabled theme hides, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.models import Comment, Meeting
from core.schema.ids import pk_of
from core.testing import ClientFactory, GraphQLClient
from tests.test_comments import NODE, post_comment, target_ids


async def test_the_database_keeps_threads_one_level_deep(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    """What the services check, the database refuses on its own (triggers and CHECKs)."""
    ids = await target_ids(client)
    top, _ = await post_comment(client, role_tokens["member"], targetId=ids["group"], body="Top")
    on_meeting, _ = await post_comment(
        client, role_tokens["member"], targetId=ids["meeting"], body="M"
    )
    assert top is not None and on_meeting is not None
    reply, _ = await post_comment(client, role_tokens["anchor"], parentId=top["id"], body="Reply")
    assert reply is not None
    group = pk_of(ids["group"], "WorkingGroup")
    other_group = pk_of(ids["otherGroup"], "WorkingGroup")
    meeting = pk_of(ids["meeting"], "Meeting")
    top_pk, reply_pk = pk_of(top["id"], "Comment"), pk_of(reply["id"], "Comment")
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            author = await conn.scalar(sa.select(Comment.author_id).where(Comment.id == top_pk))
        base = {"group_id": group, "author_id": author, "body": "x", "illustrative": False}
        bad_rows = [
            {**base, "parent_id": reply_pk},  # a reply to a reply
            {**base, "parent_id": top_pk, "meeting_id": meeting},  # not the parent's target
            {**base, "group_id": other_group, "parent_id": top_pk},  # nor its group
            {**base, "group_id": other_group, "meeting_id": meeting},  # the meeting's group
            {**base, "body": "  "},
            {**base, "hidden_by_id": author},  # hidden without when and why
        ]
        for values in bad_rows:
            with pytest.raises(IntegrityError):
                async with db.write() as conn:
                    await conn.execute(sa.insert(Comment).values(**values))
        moves = (
            {"parent_id": None},
            {"parent_id": pk_of(on_meeting["id"], "Comment")},
            {"group_id": other_group},
            {"meeting_id": meeting},
        )
        for values in moves:
            with pytest.raises(IntegrityError):
                async with db.write() as conn:
                    await conn.execute(
                        sa.update(Comment).where(Comment.id == reply_pk).values(**values)
                    )
        # a reply's target and the body checks hold; a well-formed row goes in
        async with db.write() as conn:
            stmt = sa.insert(Comment).values(**base, parent_id=top_pk).returning(Comment.id)
            added = await conn.scalar(stmt)
        # a deleted target takes its comments with it; a deleted thread its replies
        async with db.write() as conn:
            await conn.execute(sa.delete(Meeting).where(Meeting.id == meeting))
            await conn.execute(sa.delete(Comment).where(Comment.id == top_pk))
        mine = [top_pk, reply_pk, added, pk_of(on_meeting["id"], "Comment")]
        async with db.read() as conn:
            left = (await conn.execute(sa.select(Comment.id).where(Comment.id.in_(mine)))).all()
    finally:
        await db.dispose()
    assert left == []


async def test_comments_of_a_disabled_theme_are_not_found(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """A comment lives as long as its group is visible: with the theme's plugin disabled,
    node(id:) answers null and mutations NOT_FOUND, as for the group itself."""
    everything = make_client(demo_db)
    ids = await target_ids(everything)
    comment, _ = await post_comment(
        everything, role_tokens["member"], targetId=ids["group"], body="Hi"
    )
    assert comment is not None
    without = make_client(demo_db, plugins={"disabled": ["open_data"]})
    assert (await without.execute(NODE, {"id": comment["id"]}))["node"] is None
    _, errors = await post_comment(without, role_tokens["member"], targetId=ids["group"], body="x")
    assert errors == [{"code": "NOT_FOUND", "field": ["input", "targetId"]}]
    _, errors = await post_comment(without, role_tokens["member"], parentId=comment["id"], body="x")
    assert errors == [{"code": "NOT_FOUND", "field": ["input", "parentId"]}]
