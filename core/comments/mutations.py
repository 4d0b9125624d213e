"""Root mutations of the comments domain: thin wrappers over core/comments/services.py, one
transaction each (core.rows.mutation_payload): comments and feedback."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import Info

from core.comments import services, types
from core.comments.models import FeedbackCategory
from core.errors import UserError
from core.rows import mutation_payload


@strawberry.input(description="A new comment (`targetId`) or a reply (`parentId`).")
class CommentPostInput:
    target_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="What the comment is on: the ID of a WorkingGroup, a Meeting or a "
        "PriorityArea. A reply may leave it out (it is on its parent's target).",
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The top-level comment this one replies to."
    )
    body: str = strawberry.field(description="1 to 5000 characters.")


@strawberry.input
class CommentEditInput:
    id: strawberry.ID
    body: str = strawberry.field(description="The new text; the old one is kept in `revisions`.")


@strawberry.input
class CommentHideInput:
    id: strawberry.ID
    reason: str = strawberry.field(description="Shown to everyone; 1 to 500 characters.")


@strawberry.input
class CommentUnhideInput:
    id: strawberry.ID


@strawberry.type
class CommentPayload:
    comment: types.Comment | None
    user_errors: list[UserError]


@strawberry.input
class FeedbackSubmitInput:
    body: str = strawberry.field(description="1 to 5000 characters.")
    category: FeedbackCategory | None = None


@strawberry.type
class FeedbackPayload:
    feedback: types.Feedback | None
    user_errors: list[UserError]


def _person(info: Info) -> int:
    person: int | None = info.context.viewer.person_id
    assert person is not None  # every rule of these mutations needs a signed-in person
    return person


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Comment on a group, a meeting or a priority area, or reply to a comment. "
        "Anyone signed in."
    )
    async def comment_post(self, info: Info, input: CommentPostInput) -> CommentPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            return await services.post(
                conn,
                author_id=_person(info),
                target_id=input.target_id,
                parent_id=input.parent_id,
                body=input.body,
                themes=ctx.app.visible_themes,
            )

        return await mutation_payload(info, work, CommentPayload, comment=types.Comment)

    @strawberry.mutation(description="Change a comment's text, keeping the old one. Its author.")
    async def comment_edit(self, info: Info, input: CommentEditInput) -> CommentPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            return await services.edit(
                conn,
                editor_id=_person(info),
                comment_id=input.id,
                body=input.body,
                themes=ctx.app.visible_themes,
            )

        return await mutation_payload(info, work, CommentPayload, comment=types.Comment)

    @strawberry.mutation(
        description="Hide a comment (it is not deleted) with a reason. The group's anchors, staff."
    )
    async def comment_hide(self, info: Info, input: CommentHideInput) -> CommentPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            return await services.hide(
                conn,
                moderator_id=_person(info),
                comment_id=input.id,
                reason=input.reason,
                themes=ctx.app.visible_themes,
            )

        return await mutation_payload(info, work, CommentPayload, comment=types.Comment)

    @strawberry.mutation(description="Show a hidden comment again. Staff.")
    async def comment_unhide(self, info: Info, input: CommentUnhideInput) -> CommentPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            return await services.unhide(
                conn,
                comment_id=input.id,
                themes=ctx.app.visible_themes,
            )

        return await mutation_payload(info, work, CommentPayload, comment=types.Comment)

    @strawberry.mutation(
        description="Send feedback on the working-group concept to the OGP Support Unit. "
        "Anyone signed in."
    )
    async def feedback_submit(self, info: Info, input: FeedbackSubmitInput) -> FeedbackPayload:
        async def work(conn: AsyncConnection) -> Any:
            return await services.submit_feedback(
                conn,
                author_id=_person(info),
                body=input.body,
                category=input.category,
            )

        return await mutation_payload(info, work, FeedbackPayload, feedback=types.Feedback)
