"""Root queries of the comments domain: `feedback` (its row rule: all for staff, their own for
others). Comments are read through their targets (`WorkingGroup.comments`, `Meeting.comments`,
`PriorityArea.comments`) and `node(id:)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, select
from strawberry.types import Info

from core.comments import types
from core.comments.models import Feedback, FeedbackCategory
from core.context import Context
from core.rows import root_page
from core.schema.pagination import Connection


def _feedback(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every feedback `feedback(category:)` lists, before its row rule (both read paths)."""
    stmt = select(*Feedback.__table__.c)
    if arguments.get("category") is not None:
        stmt = stmt.where(Feedback.category == arguments["category"])
    return stmt


FEEDBACK = root_page(_feedback, (Feedback.created_at.desc(), Feedback.id.desc()), types.Feedback)


@strawberry.type
class Query:
    @strawberry.field(
        description="Feedback on the working-group concept, newest first: all of it for "
        "staff; for others only what they sent (empty when signed out).",
        metadata=FEEDBACK.metadata,
    )
    async def feedback(
        self,
        info: Info,
        category: FeedbackCategory | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[types.Feedback]:
        return await FEEDBACK.page(
            info, {"category": category}, first=first, after=after, last=last, before=before
        )
