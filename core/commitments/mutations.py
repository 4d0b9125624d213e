"""Root mutations of the commitments domain: thin wrappers over core/commitments/services.py,
one transaction each (core.transactions), answering the object as it is after the write. Who may
call each: core/commitments/access.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import Info

from core.commitments import editing, links, services, types
from core.commitments.loaders import assessment_rows, commitment_rows
from core.commitments.models import (
    Commitment,
    Completion,
    DidItOpenGovernment,
    IrmAssessment,
    MilestoneStatus,
    PotentialForResults,
    PotentialImpact,
)
from core.errors import UserError
from core.loading import prefetched
from core.provenance import ILLUSTRATIVE_HELP
from core.transactions import in_transaction

SOURCE_HELP = "Where it is published; required unless illustrative."


@strawberry.input
class ActionPlanCreateInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 or alpha-3 code.")
    title: str
    cycle_start: date
    cycle_end: date = strawberry.field(description="After cycleStart.")
    cohort: int = strawberry.field(description="The year OGP groups the plan by (2011 on).")
    submitted_on: date | None = None
    source_url: str | None = strawberry.field(default=None, description=SOURCE_HELP)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE_HELP)


@strawberry.input(description="The fields to change; omitted (or null): unchanged.")
class ActionPlanUpdateInput:
    id: strawberry.ID
    title: str | None = None
    cycle_start: date | None = None
    cycle_end: date | None = strawberry.field(default=None, description="After cycleStart.")
    cohort: int | None = strawberry.field(default=None, description="2011 on.")
    submitted_on: date | None = None
    source_url: str | None = strawberry.field(default=None, description=SOURCE_HELP)
    illustrative: bool | None = strawberry.field(default=None, description=ILLUSTRATIVE_HELP)


@strawberry.input(description="A milestone added to a commitment.")
class MilestoneAddInput:
    commitment_id: strawberry.ID
    title: str
    due_on: date | None = None
    position: int | None = strawberry.field(
        default=None, description="1 = first; omitted: at the end. The later ones move down."
    )


@strawberry.input(description="The fields to change; omitted (or null): unchanged.")
class MilestoneUpdateInput:
    id: strawberry.ID
    title: str | None = None
    due_on: date | None = None
    position: int | None = strawberry.field(
        default=None, description="Its new place (1 = first); the others move to make room."
    )


@strawberry.type
class ActionPlanPayload:
    action_plan: types.ActionPlan | None
    user_errors: list[UserError]


@strawberry.input(description="A milestone of a new commitment.")
class MilestoneInput:
    title: str
    due_on: date | None = None
    status: MilestoneStatus = MilestoneStatus.NOT_STARTED


@strawberry.input
class CommitmentCreateInput:
    action_plan_id: strawberry.ID
    reference: str = strawberry.field(description="OGP's code, unique in the plan: 'CL0045'.")
    title: str
    description: str = ""
    lead_institution: str | None = None
    themes: list[str] = strawberry.field(
        default_factory=list, description="Topic slugs, e.g. 'beneficial-ownership' (at most 20)."
    )
    milestones: list[MilestoneInput] = strawberry.field(
        default_factory=list, description="In the plan's order (at most 50)."
    )
    source_url: str | None = strawberry.field(
        default=None, description="OGP's page for it; required unless illustrative."
    )
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE_HELP)


@strawberry.input(
    description="The fields to change; omitted (or null): unchanged, but a null leadInstitution "
    "removes it."
)
class CommitmentUpdateInput:
    id: strawberry.ID
    reference: str | None = None
    title: str | None = None
    description: str | None = None
    lead_institution: str | None = strawberry.field(
        default=strawberry.UNSET, description="Omitted: unchanged; null or blank: removed."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Replaces the themes.")
    source_url: str | None = strawberry.field(default=None, description="OGP's page for it.")


@strawberry.type
class CommitmentPayload:
    commitment: types.Commitment | None
    user_errors: list[UserError]


@strawberry.input
class CommitmentGroupLinkInput:
    commitment_id: strawberry.ID
    group_id: strawberry.ID


@strawberry.input
class MilestoneStatusSetInput:
    id: strawberry.ID
    status: MilestoneStatus


@strawberry.type
class MilestonePayload:
    milestone: types.Milestone | None
    user_errors: list[UserError]


@strawberry.input(description="The IRM's ratings of a commitment, as its report gives them.")
class IrmAssessmentRecordInput:
    commitment_id: strawberry.ID
    source_title: str = strawberry.field(description="The IRM report, e.g. its title.")
    source_url: str | None = strawberry.field(default=None, description=SOURCE_HELP)
    verifiable: bool | None = None
    access_to_information: bool = False
    civic_participation: bool = False
    public_accountability: bool = False
    technology_and_innovation: bool = False
    potential_for_results: PotentialForResults | None = strawberry.field(
        default=None, description="Since the 2021 IRM Refresh (not with potentialImpact)."
    )
    potential_impact: PotentialImpact | None = strawberry.field(
        default=None, description="Before the IRM Refresh (not with potentialForResults)."
    )
    completion: Completion | None = None
    did_it_open_government: DidItOpenGovernment | None = None
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE_HELP)


@strawberry.type
class IrmAssessmentPayload:
    irm_assessment: types.IrmAssessment | None
    user_errors: list[UserError]


async def _commitment(conn: AsyncConnection, pk: int) -> Any:
    return (await conn.execute(commitment_rows().where(Commitment.id == pk))).one()


def _commitment_payload(row: Any, errors: list[UserError]) -> CommitmentPayload:
    found = None if row is None else types.Commitment.from_row(row)
    return CommitmentPayload(commitment=found, user_errors=errors)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Record a country's action plan (staff).")
    async def action_plan_create(
        self, info: Info, input: ActionPlanCreateInput
    ) -> ActionPlanPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.create_action_plan(
                conn,
                ctx.viewer,
                country=input.country,
                title=input.title,
                cycle_start=input.cycle_start,
                cycle_end=input.cycle_end,
                cohort=input.cohort,
                submitted_on=input.submitted_on,
                source_url=input.source_url,
                illustrative=input.illustrative,
            ),
        )
        plan = None if row is None else types.ActionPlan.from_row(row)
        return await prefetched(info, ActionPlanPayload(action_plan=plan, user_errors=errors))

    @strawberry.mutation(
        description="Correct an action plan: title, cycle (an extended plan), cohort, submission "
        "date, source (staff)."
    )
    async def action_plan_update(
        self, info: Info, input: ActionPlanUpdateInput
    ) -> ActionPlanPayload:
        row, errors = await in_transaction(
            info.context,
            lambda conn: editing.update_action_plan(
                conn,
                input.id,
                title=input.title,
                cycle_start=input.cycle_start,
                cycle_end=input.cycle_end,
                cohort=input.cohort,
                submitted_on=input.submitted_on,
                source_url=input.source_url,
                illustrative=input.illustrative,
            ),
        )
        plan = None if row is None else types.ActionPlan.from_row(row)
        return await prefetched(info, ActionPlanPayload(action_plan=plan, user_errors=errors))

    @strawberry.mutation(description="Add a milestone to a commitment (staff).")
    async def milestone_add(self, info: Info, input: MilestoneAddInput) -> MilestonePayload:
        row, errors = await in_transaction(
            info.context,
            lambda conn: editing.add_milestone(
                conn,
                input.commitment_id,
                title=input.title,
                due_on=input.due_on,
                position=input.position,
            ),
        )
        milestone = None if row is None else types.Milestone.from_row(row)
        return await prefetched(info, MilestonePayload(milestone=milestone, user_errors=errors))

    @strawberry.mutation(description="Retitle, re-date or move a milestone (staff).")
    async def milestone_update(self, info: Info, input: MilestoneUpdateInput) -> MilestonePayload:
        row, errors = await in_transaction(
            info.context,
            lambda conn: editing.update_milestone(
                conn, input.id, title=input.title, due_on=input.due_on, position=input.position
            ),
        )
        milestone = None if row is None else types.Milestone.from_row(row)
        return await prefetched(info, MilestonePayload(milestone=milestone, user_errors=errors))

    @strawberry.mutation(
        description="Add a commitment at the end of its action plan, with its themes and "
        "milestones (staff)."
    )
    async def commitment_create(
        self, info: Info, input: CommitmentCreateInput
    ) -> CommitmentPayload:
        milestones = [
            services.MilestoneInput(m.title, m.due_on, m.status) for m in input.milestones
        ]

        async def work(conn: AsyncConnection) -> Any:
            pk = await services.create_commitment(
                conn,
                action_plan_id=input.action_plan_id,
                reference=input.reference,
                title=input.title,
                description=input.description,
                lead_institution=input.lead_institution,
                themes=input.themes,
                milestones=milestones,
                illustrative=input.illustrative,
                source_url=input.source_url,
            )
            return await _commitment(conn, pk)

        row, errors = await in_transaction(info.context, work)
        return await prefetched(info, _commitment_payload(row, errors))

    @strawberry.mutation(description="Correct a commitment's texts, reference or themes (staff).")
    async def commitment_update(
        self, info: Info, input: CommitmentUpdateInput
    ) -> CommitmentPayload:
        async def work(conn: AsyncConnection) -> Any:
            pk = await services.update_commitment(
                conn,
                input.id,
                reference=input.reference,
                title=input.title,
                description=input.description,
                lead_institution=(
                    services.KEEP
                    if input.lead_institution is strawberry.UNSET
                    else input.lead_institution
                ),
                themes=input.themes,
                source_url=input.source_url,
            )
            return await _commitment(conn, pk)

        row, errors = await in_transaction(info.context, work)
        return await prefetched(info, _commitment_payload(row, errors))

    @strawberry.mutation(description="Move a milestone's status (staff).")
    async def milestone_status_set(
        self, info: Info, input: MilestoneStatusSetInput
    ) -> MilestonePayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.set_milestone_status(conn, ctx.viewer, input.id, input.status),
        )
        milestone = None if row is None else types.Milestone.from_row(row)
        return await prefetched(info, MilestonePayload(milestone=milestone, user_errors=errors))

    @strawberry.mutation(
        description="Record the IRM's assessment of a commitment, replacing any earlier one "
        "(staff: the IRM is independent; its published reports are copied, not judged here)."
    )
    async def irm_assessment_record(
        self, info: Info, input: IrmAssessmentRecordInput
    ) -> IrmAssessmentPayload:
        ctx = info.context
        assessment = services.Assessment(
            verifiable=input.verifiable,
            access_to_information=input.access_to_information,
            civic_participation=input.civic_participation,
            public_accountability=input.public_accountability,
            technology_and_innovation=input.technology_and_innovation,
            potential_for_results=input.potential_for_results,
            potential_impact=input.potential_impact,
            completion=input.completion,
            did_it_open_government=input.did_it_open_government,
            source_title=input.source_title,
            source_url=input.source_url,
            illustrative=input.illustrative,
        )

        async def work(conn: AsyncConnection) -> Any:
            pk = await services.record_assessment(conn, ctx.viewer, input.commitment_id, assessment)
            stmt = assessment_rows().where(IrmAssessment.commitment_id == pk)
            return (await conn.execute(stmt)).one()

        row, errors = await in_transaction(ctx, work)
        found = None if row is None else types.IrmAssessment.from_row(row)
        return await prefetched(
            info, IrmAssessmentPayload(irm_assessment=found, user_errors=errors)
        )

    @strawberry.mutation(description="Link a commitment to a working group (its anchors, staff).")
    async def commitment_group_link(
        self, info: Info, input: CommitmentGroupLinkInput
    ) -> CommitmentPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            pk = await links.link_group(
                conn, ctx.viewer, input.commitment_id, input.group_id, ctx.app.visible_themes
            )
            return await _commitment(conn, pk)

        row, errors = await in_transaction(ctx, work)
        return await prefetched(info, _commitment_payload(row, errors))

    @strawberry.mutation(
        description="Remove a commitment's link to a working group (its anchors, staff)."
    )
    async def commitment_group_unlink(
        self, info: Info, input: CommitmentGroupLinkInput
    ) -> CommitmentPayload:
        ctx = info.context

        async def work(conn: AsyncConnection) -> Any:
            pk = await links.unlink_group(
                conn, input.commitment_id, input.group_id, ctx.app.visible_themes
            )
            return await _commitment(conn, pk)

        row, errors = await in_transaction(ctx, work)
        return await prefetched(info, _commitment_payload(row, errors))
