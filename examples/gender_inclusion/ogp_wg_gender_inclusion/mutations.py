"""Root mutation fields: one input object each, a payload with `userErrors`, one transaction."""

from __future__ import annotations

import strawberry

from core import UserError, mutation_payload

from . import services
from .models import Completion, TargetGroup
from .types import CommitmentType


@strawberry.input(name="GenderInclusionCommitmentRecordInput")
class CommitmentRecordInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code of an OGP country.")
    action_plan_cycle: str = strawberry.field(description="e.g. '2023-2025'.")
    title: str
    gender_focus: bool
    target_group: TargetGroup
    status: Completion = Completion.NOT_STARTED


@strawberry.input(
    name="GenderInclusionCommitmentUpdateInput", description="Fields left out stay as they are."
)
class CommitmentUpdateInput:
    id: strawberry.ID
    action_plan_cycle: str | None = None
    title: str | None = None
    gender_focus: bool | None = None
    target_group: TargetGroup | None = None
    status: Completion | None = None


@strawberry.type(name="GenderInclusionCommitmentPayload")
class CommitmentPayload:
    commitment: CommitmentType | None
    user_errors: list[UserError]


@strawberry.mutation(description="Record a commitment of a country's action plan.")
async def gender_inclusion_commitment_record(
    info: strawberry.Info, input: CommitmentRecordInput
) -> CommitmentPayload:
    return await mutation_payload(
        info, services.record, CommitmentPayload, input, commitment=CommitmentType
    )


@strawberry.mutation(description="Correct a recorded commitment.")
async def gender_inclusion_commitment_update(
    info: strawberry.Info, input: CommitmentUpdateInput
) -> CommitmentPayload:
    return await mutation_payload(
        info, services.update, CommitmentPayload, input, commitment=CommitmentType
    )
