"""Root query fields of the gender and inclusion area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from sqlalchemy import Select, select

from core import Connection, Context, in_country, root_page

from .models import Commitment, Completion, TargetGroup
from .types import CommitmentType


@strawberry.input(name="GenderInclusionCommitmentFilter")
class CommitmentFilter:
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code.")
    action_plan_cycle: str | None = None
    gender_focus: bool | None = None
    target_group: TargetGroup | None = None
    status: Completion | None = None


def _commitments(ctx: Context, arguments: Mapping[str, Any]) -> Select[Any]:
    """Every commitment `genderInclusionCommitments(filter:)` lists (both read paths)."""
    f = arguments.get("filter") or CommitmentFilter()
    stmt = select(*Commitment.__table__.c).where(in_country(Commitment.country_id, f.country))
    for column, value in (
        (Commitment.action_plan_cycle, f.action_plan_cycle),
        (Commitment.gender_focus, f.gender_focus),
        (Commitment.target_group, f.target_group),
        (Commitment.status, f.status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


COMMITMENTS = root_page(
    _commitments,
    (Commitment.action_plan_cycle, Commitment.title, Commitment.id),
    CommitmentType,
)


@strawberry.field(
    name="genderInclusionCommitments",
    description="Action-plan commitments, by cycle and title.",
    metadata=COMMITMENTS.metadata,
)
async def commitments(
    info: strawberry.Info,
    filter: CommitmentFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[CommitmentType]:
    return await COMMITMENTS.page(
        info, {"filter": filter}, first=first, after=after, last=last, before=before
    )
