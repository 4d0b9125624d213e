"""Batch loaders of the comments domain: comments by ID (in visible groups only), each target's
top-level comments, a comment's replies and revisions, feedback by ID.

Each runs ONE statement for all the parents a level of the query has (core.rows declarations);
the relation fields of core/comments/types.py, and the `comments` fields of the targets' types
(WorkingGroup, Meeting), name them. Loaders modules import no types module at the top: why, in
core/people/types.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_

from core.comments.models import TARGET_COLUMNS, Comment, CommentRevision, Feedback
from core.context import Context
from core.groups.visible import in_visible_groups
from core.hookspecs import BatchLoadFn
from core.rows import PagesByKey, RowsByKey, pages_by_key, rows_by_key
from core.schema.batch import by_key, fetch_rows

CONVERSATION_ORDER = (Comment.created_at, Comment.id)
"""Oldest first: a thread reads as it was written."""


async def comments_by_id(ctx: Context, keys: list[int]) -> list[Any]:
    stmt = in_visible_groups(ctx, Comment, Comment.group_id).where(ctx.db.any_of(Comment.id, keys))
    return by_key(await fetch_rows(ctx, stmt), keys, types.Comment.from_row)


comments_on_group: PagesByKey[Any] = pages_by_key(
    Comment.group_id,
    lambda: types.Comment,
    order_by=CONVERSATION_ORDER,
    # the group's own threads: not its meetings' or priority areas', not replies
    where=and_(
        Comment.parent_id.is_(None),
        *(Comment.__table__.c[column].is_(None) for column in TARGET_COLUMNS),
    ),
)
comments_on_meeting: PagesByKey[Any] = pages_by_key(
    Comment.meeting_id,
    lambda: types.Comment,
    order_by=CONVERSATION_ORDER,
    where=Comment.parent_id.is_(None),
)
comments_on_priority_area: PagesByKey[Any] = pages_by_key(
    Comment.priority_area_id,
    lambda: types.Comment,
    order_by=CONVERSATION_ORDER,
    where=Comment.parent_id.is_(None),
)
replies_by_comment: PagesByKey[Any] = pages_by_key(
    Comment.parent_id, lambda: types.Comment, order_by=CONVERSATION_ORDER
)
revisions_by_comment: PagesByKey[Any] = pages_by_key(
    CommentRevision.comment_id,
    lambda: types.CommentRevision,
    order_by=(CommentRevision.edited_at, CommentRevision.id),
)
feedback_by_id: RowsByKey[Any] = rows_by_key(Feedback.id, lambda: types.Feedback)


LOADERS: dict[str, BatchLoadFn] = {
    "comments_by_id": comments_by_id,
    "feedback_by_id": feedback_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


from core.comments import types  # noqa: E402  (after the loaders: core/meetings/loaders.py says why)
