"""Root query fields of the gender and inclusion area."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from core import Connection, in_country, query_page

from .models import Commitment, Completion, TargetGroup
from .types import CommitmentType


@strawberry.input(name="GenderInclusionCommitmentFilter")
class CommitmentFilter:
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code.")
    action_plan_cycle: str | None = None
    gender_focus: bool | None = None
    target_group: TargetGroup | None = None
    status: Completion | None = None


@strawberry.field(
    name="genderInclusionCommitments", description="Action-plan commitments, by cycle and title."
)
async def commitments(
    info: strawberry.Info,
    filter: CommitmentFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[CommitmentType]:
    f = filter or CommitmentFilter()
    stmt = select(*Commitment.__table__.c).where(in_country(Commitment.country_id, f.country))
    for column, value in (
        (Commitment.action_plan_cycle, f.action_plan_cycle),
        (Commitment.gender_focus, f.gender_focus),
        (Commitment.target_group, f.target_group),
        (Commitment.status, f.status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    order = (Commitment.action_plan_cycle, Commitment.title, Commitment.id)
    return await query_page(
        info, stmt, order, CommitmentType, first=first, after=after, last=last, before=before
    )
