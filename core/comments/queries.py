"""Root queries of the comments domain: `feedback` (its row rule: all for staff, their own for
others). Comments are read through their targets (`WorkingGroup.comments`, `Meeting.comments`,
`PriorityArea.comments`) and `node(id:)`."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.comments import types
from core.comments.models import Feedback, FeedbackCategory
from core.rows import query_page
from core.schema.pagination import Connection


@strawberry.type
class Query:
    @strawberry.field(
        description="Feedback on the working-group concept, newest first: all of it for "
        "staff; for others only what they sent (empty when signed out)."
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
        stmt = select(*Feedback.__table__.c)
        if category is not None:
            stmt = stmt.where(Feedback.category == category)
        order = (Feedback.created_at.desc(), Feedback.id.desc())
        return await query_page(
            info, stmt, order, types.Feedback, first=first, after=after, last=last, before=before
        )
