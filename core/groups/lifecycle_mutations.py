"""Root mutations of the group's life: proposing a group, recording a Steering Committee
decision (core/groups/lifecycle.py). Merged into the groups domain's `Mutation`."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import Info

from core.enums import GroupStatus
from core.errors import UserError
from core.groups import lifecycle, types
from core.groups import services as groups
from core.groups.loaders import build_group
from core.groups.models import WorkingGroup
from core.loading import prefetched
from core.transactions import in_transaction


@strawberry.input(description="A new working group proposed to the Steering Committee.")
class WorkingGroupProposeInput:
    slug: str = strawberry.field(description="URL name: lowercase letters, digits, hyphens.")
    name: str
    theme: str = strawberry.field(
        description="Key of an enabled theme (see `themes`): a group is typed by its theme's "
        "plugin, so a theme no plugin serves yet is proposed under the nearest enabled theme "
        "and named in the rationale."
    )
    rationale: str = strawberry.field(description="Why the group should exist (required).")
    summary: str | None = None
    proposed_anchor_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Organisations proposed as anchors (at most 6; no rights until a decision "
        "and anchorSet).",
    )


@strawberry.input(description="A Steering Committee decision about a group, as staff record it.")
class GroupDecisionRecordInput:
    group_id: strawberry.ID
    decided_on: date = strawberry.field(description="The day the Steering Committee decided.")
    reason: str = strawberry.field(description="Why (required).")
    to_status: GroupStatus | None = strawberry.field(
        default=None, description="The status decided (allowed moves: see the README)."
    )
    max_government_anchors: int | None = strawberry.field(
        default=None, description="A new allowance of current government anchors (1..2)."
    )
    max_civil_society_anchors: int | None = strawberry.field(
        default=None, description="A new allowance of current civil-society anchors (1..2)."
    )
    meeting: str | None = strawberry.field(
        default=None,
        description="Which Steering Committee meeting (free text or a reference to minutes).",
    )
    source: str | None = strawberry.field(
        default=None, description="Where the decision is published (URL or citation)."
    )


@strawberry.type
class GroupDecisionPayload:
    decision: types.GroupDecision | None
    working_group: types.WorkingGroup | None
    user_errors: list[UserError]


@strawberry.type
class WorkingGroupProposePayload:
    working_group: types.WorkingGroup | None
    user_errors: list[UserError]


@strawberry.type
class LifecycleMutation:
    @strawberry.mutation(
        description="Propose a new working group (anyone signed in): it is PROPOSED until the "
        "Steering Committee decides; comment on it with the comments mutations."
    )
    async def working_group_propose(
        self, info: Info, input: WorkingGroupProposeInput
    ) -> WorkingGroupProposePayload:
        ctx = info.context
        person = ctx.viewer.person_id
        changes = groups.GroupChanges(input.name, input.summary, None, None)

        async def work(conn: AsyncConnection) -> Any:
            row = await groups.create_group(
                conn,
                slug=input.slug,
                theme=input.theme,
                themes=ctx.app.visible_themes,
                changes=changes,
                person_id=person,
            )
            await lifecycle.propose(
                conn,
                group=row,
                rationale=input.rationale,
                proposed_anchor_ids=[str(i) for i in input.proposed_anchor_ids],
                person_id=person,
            )
            stmt = select(*WorkingGroup.__table__.c).where(WorkingGroup.id == row.id)
            return (await conn.execute(stmt)).one()

        row, errors = await in_transaction(ctx, work)
        group = build_group(ctx, row) if row is not None else None
        return await prefetched(
            info, WorkingGroupProposePayload(working_group=group, user_errors=errors)
        )

    @strawberry.mutation(
        description="Record a Steering Committee decision (staff): move the group to another "
        "status and/or change how many anchors of a role it may have."
    )
    async def group_decision_record(
        self, info: Info, input: GroupDecisionRecordInput
    ) -> GroupDecisionPayload:
        ctx = info.context
        decision = lifecycle.Decision(
            decided_on=input.decided_on,
            to_status=input.to_status,
            max_government_anchors=input.max_government_anchors,
            max_civil_society_anchors=input.max_civil_society_anchors,
            meeting=input.meeting or "",
            reason=input.reason,
            source=input.source or "",
        )
        result, errors = await in_transaction(
            ctx,
            lambda conn: lifecycle.decide(
                conn,
                group_id=input.group_id,
                themes=ctx.app.visible_themes,
                decision=decision,
                person_id=ctx.viewer.person_id,
            ),
        )
        payload = GroupDecisionPayload(decision=None, working_group=None, user_errors=errors)
        if result is not None:
            payload.decision = types.GroupDecision.from_row(result[0])
            payload.working_group = build_group(ctx, result[1])
        return await prefetched(info, payload)
