"""Root mutations of the priorities domain: thin wrappers over core/priorities/services.py, one
transaction each (core.transactions). Who may call each: core/priorities/access.py."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from core.errors import UserError, user_error
from core.groups import types as groups_types
from core.groups.loaders import build_group
from core.loading import prefetched
from core.priorities import consensus, positions, records, types
from core.priorities import services as priorities
from core.priorities.models import PositionStance
from core.transactions import in_transaction


@strawberry.enum(description="A position an organisation takes (a withdrawal has its mutation).")
class PositionChoice(enum.StrEnum):
    ENDORSE = "ENDORSE"
    OBJECT = "OBJECT"


@strawberry.input
class PriorityAreaProposeInput:
    group_id: strawberry.ID
    title: str
    rationale: str
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO 3166-1 alpha-2 codes (at most 20)."
    )
    thematic_record_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Global IDs of records of the group's own plugin (at most 20).",
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: your organisation (only staff may name another)."
    )


@strawberry.input
class PriorityAreaOpenInput:
    id: strawberry.ID
    closes_at: datetime = strawberry.field(description="In the future, with a UTC offset.")


@strawberry.input
class PriorityAreaClosingDateSetInput:
    id: strawberry.ID
    closes_at: datetime = strawberry.field(description="In the future, with a UTC offset.")


@strawberry.input
class PriorityAreaCloseInput:
    id: strawberry.ID
    meeting_id: strawberry.ID | None = strawberry.field(
        default=None, description="The group's meeting at which it was decided."
    )


@strawberry.input
class PriorityAreaArchiveInput:
    id: strawberry.ID


@strawberry.type
class PriorityAreaPayload:
    priority_area: types.PriorityArea | None
    user_errors: list[UserError]


@strawberry.input
class PriorityAreaPositionTakeInput:
    priority_area_id: strawberry.ID
    stance: PositionChoice
    reason: str | None = strawberry.field(default=None, description="Required to object.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: your organisation (only staff may name another)."
    )


@strawberry.input
class PriorityAreaObjectionWithdrawInput:
    priority_area_id: strawberry.ID
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: your organisation (only staff may name another)."
    )


@strawberry.type
class PriorityAreaPositionPayload:
    position: types.PriorityAreaPosition | None
    user_errors: list[UserError]


@strawberry.input
class ConsensusRuleSetInput:
    group_id: strawberry.ID
    objections_block: bool = True
    min_endorsement_share: float = strawberry.field(
        default=0.5, description="0..1 of the organisations that took part."
    )


@strawberry.type
class ConsensusRulePayload:
    working_group: groups_types.WorkingGroup | None
    consensus_rule: types.ConsensusRuleType | None
    user_errors: list[UserError]


def _area(row: Any) -> types.PriorityArea | None:
    return row and types.PriorityArea.from_row(row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Propose a priority area for a group, for your organisation.")
    async def priority_area_propose(
        self, info: Info, input: PriorityAreaProposeInput
    ) -> PriorityAreaPayload:
        ctx = info.context
        ids = [str(i) for i in input.thematic_record_ids]
        problems = await records.problems(ctx, input.group_id, ids)
        if problems:
            return PriorityAreaPayload(priority_area=None, user_errors=problems)
        row, errors = await in_transaction(
            ctx,
            lambda conn: priorities.propose(
                conn,
                ctx.viewer,
                group_id=input.group_id,
                title=input.title,
                rationale=input.rationale,
                countries=input.countries,
                record_ids=ids,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info, PriorityAreaPayload(priority_area=_area(row), user_errors=errors)
        )

    @strawberry.mutation(description="Open a proposed priority area for discussion until a date.")
    async def priority_area_open(
        self, info: Info, input: PriorityAreaOpenInput
    ) -> PriorityAreaPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: priorities.open_discussion(
                conn, ctx.viewer, input.id, input.closes_at, ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info, PriorityAreaPayload(priority_area=_area(row), user_errors=errors)
        )

    @strawberry.mutation(description="Move the closing date of a discussion.")
    async def priority_area_closing_date_set(
        self, info: Info, input: PriorityAreaClosingDateSetInput
    ) -> PriorityAreaPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: priorities.set_closing_date(
                conn, input.id, input.closes_at, ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info, PriorityAreaPayload(priority_area=_area(row), user_errors=errors)
        )

    @strawberry.mutation(
        description="Close a discussion: AGREED or NOT_AGREED by the group's consensus rule, "
        "with the count and rule recorded."
    )
    async def priority_area_close(
        self, info: Info, input: PriorityAreaCloseInput
    ) -> PriorityAreaPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: priorities.close(
                conn, ctx.viewer, input.id, input.meeting_id, ctx.app.visible_themes
            ),
        )
        return await prefetched(
            info, PriorityAreaPayload(priority_area=_area(row), user_errors=errors)
        )

    @strawberry.mutation(description="Archive a priority area (its outcome, if any, is kept).")
    async def priority_area_archive(
        self, info: Info, input: PriorityAreaArchiveInput
    ) -> PriorityAreaPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx, lambda conn: priorities.archive(conn, input.id, ctx.app.visible_themes)
        )
        return await prefetched(
            info, PriorityAreaPayload(priority_area=_area(row), user_errors=errors)
        )

    @strawberry.mutation(
        description="Endorse or object to a priority area under discussion, for your "
        "organisation; its earlier position is kept as history."
    )
    async def priority_area_position_take(
        self, info: Info, input: PriorityAreaPositionTakeInput
    ) -> PriorityAreaPositionPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: positions.take_position(
                conn,
                ctx.viewer,
                area_id=input.priority_area_id,
                stance=PositionStance(input.stance.value),
                reason=input.reason,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
            ),
        )
        position = row and types.PriorityAreaPosition.from_row(row)
        return await prefetched(
            info, PriorityAreaPositionPayload(position=position, user_errors=errors)
        )

    @strawberry.mutation(description="Withdraw your organisation's standing objection.")
    async def priority_area_objection_withdraw(
        self, info: Info, input: PriorityAreaObjectionWithdrawInput
    ) -> PriorityAreaPositionPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: positions.take_position(
                conn,
                ctx.viewer,
                area_id=input.priority_area_id,
                stance=PositionStance.OBJECTION_WITHDRAWN,
                reason=None,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
                withdrawing=True,
            ),
        )
        position = row and types.PriorityAreaPosition.from_row(row)
        return await prefetched(
            info, PriorityAreaPositionPayload(position=position, user_errors=errors)
        )

    @strawberry.mutation(description="Set a group's consensus rule (for areas closed from now).")
    async def consensus_rule_set(
        self, info: Info, input: ConsensusRuleSetInput
    ) -> ConsensusRulePayload:
        ctx = info.context
        share = input.min_endorsement_share
        if share != share:  # NaN passes every comparison's negation
            problem = user_error(
                "OUT_OF_RANGE", "minEndorsementShare is not a number", "minEndorsementShare"
            )
            return ConsensusRulePayload(
                working_group=None, consensus_rule=None, user_errors=[problem]
            )
        row, errors = await in_transaction(
            ctx,
            lambda conn: consensus.set_rule(
                conn,
                ctx.viewer,
                group_id=input.group_id,
                objections_block=input.objections_block,
                min_endorsement_share=share,
                themes=ctx.app.visible_themes,
            ),
        )
        rule = None
        if row is not None:
            rule = types.ConsensusRuleType.of(consensus.Rule(input.objections_block, share))
        return await prefetched(
            info,
            ConsensusRulePayload(
                working_group=row and build_group(ctx, row), consensus_rule=rule, user_errors=errors
            ),
        )
