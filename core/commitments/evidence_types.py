"""GraphQL of commitment evidence (core/commitments/evidence.py): the mutations
`commitmentEvidenceLink` / `commitmentEvidenceUnlink`, their payload, and the connection type of
`Commitment.evidence` (the linked records, as `Node`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import Info

from core.commitments import evidence
from core.errors import UserError
from core.loading import prefetched, relation
from core.schema.base import Node
from core.schema.nodes import loader_name
from core.schema.pagination import Connection
from core.transactions import in_transaction

if TYPE_CHECKING:
    from core.commitments.types import Commitment

CommitmentRef = Annotated["Commitment", strawberry.lazy("core.commitments.types")]


@strawberry.type(
    name="CommitmentEvidenceConnection",
    description="Records of the enabled plugins linked as evidence of a commitment, oldest link "
    "first (a page may hold fewer than asked when the viewer may not see some record).",
)
class EvidenceConnection(Connection[Node]):
    """The one connection type of evidence records; answers are plain `Connection`s."""


@relation(
    evidence.evidence_by_commitment,
    description="Thematic records of the enabled plugins (a budget document, an RTI law, a "
    "beneficial-ownership disclosure...) linked as evidence of this commitment, as `Node` "
    "(`... on BudgetDocument { ... }`), oldest link first.",
)
def evidence_field(
    self: Any,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> EvidenceConnection:
    raise NotImplementedError  # a @relation declaration: its loader answers, this never runs


@strawberry.input(description="A commitment and a record of an enabled plugin.")
class CommitmentEvidenceInput:
    commitment_id: strawberry.ID = strawberry.field(description="The Commitment.")
    record_id: strawberry.ID = strawberry.field(
        description="A record of a type an enabled plugin declares as evidence "
        "(`ogp_wg_evidence_types`): a BudgetDocument, an OpenBudgetSurvey, a "
        "BeneficialOwnershipDisclosure..."
    )


@strawberry.type
class CommitmentEvidencePayload:
    commitment: CommitmentRef | None
    record: Node | None = strawberry.field(
        description="The record linked or unlinked (null when refused, or, after an unlink, "
        "when it is no longer visible)."
    )
    user_errors: list[UserError]


async def _payload(info: Info, work: Any, input: CommitmentEvidenceInput) -> Any:
    ctx = info.context

    async def run(conn: AsyncConnection) -> tuple[Any, Any]:
        found: tuple[Any, Any] = await work(ctx, conn, input.commitment_id, input.record_id)
        return found

    result, errors = await in_transaction(ctx, run)
    if result is None:
        payload = CommitmentEvidencePayload(commitment=None, record=None, user_errors=errors)
    else:
        row, record = result
        # the commitment as node(id:) answers it (its plan's country, `starred`...), committed
        commitment = await ctx.loader(loader_name("Commitment")).load(row.id)
        payload = CommitmentEvidencePayload(commitment=commitment, record=record, user_errors=[])
    return await prefetched(info, payload)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Link a plugin's record as evidence of a commitment. Staff, or an anchor of "
        "a group the commitment is linked to."
    )
    async def commitment_evidence_link(
        self, info: Info, input: CommitmentEvidenceInput
    ) -> CommitmentEvidencePayload:
        result: CommitmentEvidencePayload = await _payload(info, evidence.link, input)
        return result

    @strawberry.mutation(
        description="Remove a record from a commitment's evidence. Staff, or an anchor of a "
        "group the commitment is linked to."
    )
    async def commitment_evidence_unlink(
        self, info: Info, input: CommitmentEvidenceInput
    ) -> CommitmentEvidencePayload:
        result: CommitmentEvidencePayload = await _payload(info, evidence.unlink, input)
        return result
