"""GraphQL types, fields, queries and mutations of the gender and inclusion area.

Everything comes from `core`'s public API; rows are read with one statement per level of the query
(`@relation` loaders), never per object.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar

import strawberry
from sqlalchemy import case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import (
    Connection,
    ConstraintError,
    Context,
    Rejected,
    UserError,
    count_of,
    from_row,
    in_transaction,
    models,
    paginate,
    pk_of,
    prefetched,
    relation,
    to_global_id,
    types,
    user_error,
)

from .models import TITLE_MAX, UNIQUE_TITLE, Commitment, Completion, TargetGroup

KEY = "gender_inclusion"
NODE_TYPE = "GenderInclusionCommitment"
CYCLE = re.compile(r"(\d{4})-(\d{4})")
FIRST_ACTION_PLANS = 2011  # OGP was launched in September 2011

# Constraint name -> user error, for the write that races past the checks (hook
# ogp_wg_constraint_errors in __init__.py).
CONSTRAINT_ERRORS = {
    UNIQUE_TITLE: ConstraintError(
        "DUPLICATE_COMMITMENT", "this action plan already has a commitment with this title", "title"
    ),
}


# --- Loaders: one statement for all the parents of a level ---------------------------------------


async def load_countries(ctx: Context, keys: list[int]) -> list[types.Country | None]:
    stmt = select(*models.Country.__table__.c).where(ctx.db.any_of(models.Country.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: types.Country.from_row(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def load_commitments_by_country(
    ctx: Context, keys: list[int], gender_focus: bool | None = None
) -> list[list[CommitmentType]]:
    stmt = (
        select(*Commitment.__table__.c)
        .where(ctx.db.any_of(Commitment.country_id, keys))
        .order_by(Commitment.action_plan_cycle.desc(), Commitment.title)
    )
    if gender_focus is not None:
        stmt = stmt.where(Commitment.gender_focus == gender_focus)
    found: dict[int, list[CommitmentType]] = defaultdict(list)
    async with ctx.db.read() as conn:
        for row in await conn.execute(stmt):
            found[row.country_id].append(CommitmentType.from_row(row))
    return [found.get(key, []) for key in keys]


async def load_commitments(ctx: Context, keys: list[int]) -> list[CommitmentType | None]:
    """By primary key, for `node(id:)` (declared in the hook `ogp_wg_node_loaders`)."""
    stmt = select(*Commitment.__table__.c).where(ctx.db.any_of(Commitment.id, keys))
    async with ctx.db.read() as conn:
        found = {row.id: CommitmentType.from_row(row) for row in await conn.execute(stmt)}
    return [found.get(key) for key in keys]


async def load_summary_by_group(ctx: Context, keys: list[int]) -> list[CommitmentSummary]:
    """Commitments of the countries where each group's member organisations are based."""
    member_countries = (
        select(models.Membership.group_id, models.Organization.country_id)
        .join(models.Organization, models.Organization.id == models.Membership.organization_id)
        .where(ctx.db.any_of(models.Membership.group_id, keys))
        .distinct()
        .subquery()
    )
    stmt = (
        select(
            member_countries.c.group_id,
            func.count(Commitment.id).label("total"),
            func.sum(case((Commitment.gender_focus, 1), else_=0)).label("gender_focused"),
            func.sum(case((Commitment.status == Completion.COMPLETE, 1), else_=0)).label("done"),
        )
        .join(Commitment, Commitment.country_id == member_countries.c.country_id)
        .group_by(member_countries.c.group_id)
    )
    async with ctx.db.read() as conn:
        found = {
            row.group_id: CommitmentSummary(
                total=row.total, gender_focused=row.gender_focused, complete=row.done
            )
            for row in await conn.execute(stmt)
        }
    empty = CommitmentSummary(total=0, gender_focused=0, complete=0)
    return [found.get(key, empty) for key in keys]


# --- Types ----------------------------------------------------------------------------------------


@strawberry.type(
    name="GenderInclusionCommitment",
    description="A commitment of a country's OGP action plan, seen through a gender lens.",
)
class CommitmentType(types.Node):
    node_type: ClassVar[str] = NODE_TYPE  # the type name in its global IDs
    country_pk: strawberry.Private[int]  # the key `country` below reads: Private, not in the API
    title: str
    action_plan_cycle: str = strawberry.field(description="Years of the plan, e.g. '2023-2025'.")
    gender_focus: bool = strawberry.field(
        description="Designed with a gender or inclusion lens (OGP's gender and inclusion tag)."
    )
    target_group: TargetGroup
    status: Completion

    @classmethod
    def from_row(cls, row: Any) -> CommitmentType:
        # core.from_row: each field from the column of its name (pk <- id, country_pk <- country_id)
        return from_row(cls, row)

    @strawberry.field(description="Global ID: pass it to genderInclusionCommitmentUpdate.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(NODE_TYPE, self.pk))

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    name="GenderInclusionCommitmentSummary",
    description="Counts of action-plan commitments, for a group's dashboard.",
)
class CommitmentSummary:
    total: int
    gender_focused: int = strawberry.field(description="With a gender or inclusion focus.")
    complete: int = strawberry.field(description="Assessed COMPLETE.")


@strawberry.type(description="The gender and inclusion working group.")
class GenderInclusionGroup(types.WorkingGroup):
    @strawberry.field(description="The groups it prioritises ([plugins.gender_inclusion]).")
    def priority_groups(self, info: strawberry.Info) -> list[TargetGroup]:
        return list(info.context.plugin_settings(KEY).priority_groups)

    @relation(
        load_summary_by_group,
        description="Commitments of the countries where its member organisations are based.",
    )
    def commitment_summary(self) -> CommitmentSummary: ...


# --- Field on Country -----------------------------------------------------------------------------


@relation(
    load_commitments_by_country,
    default=[],
    description="The country's action-plan commitments tracked by the gender and inclusion "
    "group, latest cycle first.",
)
def gender_inclusion_commitments(
    root: types.Country, gender_focus: bool | None = None
) -> list[CommitmentType]: ...


# --- Root query -----------------------------------------------------------------------------------


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
    first: int = 20,
    after: str | None = None,
) -> Connection[CommitmentType]:
    ctx = info.context
    f = filter or CommitmentFilter()
    stmt = select(*Commitment.__table__.c)
    if f.country is not None:
        country = models.Country
        stmt = stmt.join(country, country.id == Commitment.country_id).where(
            country.alpha2 == f.country.upper()
        )
    for column, value in (
        (Commitment.action_plan_cycle, f.action_plan_cycle),
        (Commitment.gender_focus, f.gender_focus),
        (Commitment.target_group, f.target_group),
        (Commitment.status, f.status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    async with ctx.db.read() as conn:
        page = await paginate(
            conn,
            stmt,
            (Commitment.action_plan_cycle, Commitment.title, Commitment.id),
            CommitmentType.from_row,
            first=first,
            after=after,
            count=count_of(ctx.db.read, stmt),
        )
    return await prefetched(info, page)


# --- Mutations ------------------------------------------------------------------------------------


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


def _check(title: str | None, cycle: str | None) -> list[UserError]:
    errors = []
    if title is not None and not title.strip():
        errors.append(user_error("REQUIRED", "title must not be blank", "title"))
    elif title is not None and len(title) > TITLE_MAX:
        errors.append(user_error("TOO_LONG", f"title is over {TITLE_MAX} characters", "title"))
    if cycle is not None:
        match = CYCLE.fullmatch(cycle)
        if match is None or int(match[1]) < FIRST_ACTION_PLANS:
            errors.append(
                user_error(
                    "INVALID_CYCLE",
                    f"actionPlanCycle: 'YYYY-YYYY', from {FIRST_ACTION_PLANS} on",
                    "actionPlanCycle",
                )
            )
        elif int(match[1]) > int(match[2]):
            errors.append(
                user_error("CYCLE_ORDER", "the cycle ends before it starts", "actionPlanCycle")
            )
    return errors


async def _record(conn: AsyncConnection, data: CommitmentRecordInput) -> Any:
    errors = _check(data.title, data.action_plan_cycle)
    country_id = await conn.scalar(
        select(models.Country.id).where(models.Country.alpha2 == data.country.upper())
    )
    if country_id is None:
        errors.append(user_error("UNKNOWN_COUNTRY", f"no country '{data.country}'", "country"))
    if errors:
        raise Rejected(*errors)
    stmt = insert(Commitment).values(
        country_id=country_id,
        action_plan_cycle=data.action_plan_cycle,
        title=data.title.strip(),
        gender_focus=data.gender_focus,
        target_group=data.target_group,
        status=data.status,
    )
    return (await conn.execute(stmt.returning(*Commitment.__table__.c))).one()


async def _update(conn: AsyncConnection, data: CommitmentUpdateInput) -> Any:
    pk = pk_of(data.id, NODE_TYPE)
    errors = _check(data.title, data.action_plan_cycle)
    if pk is None:
        errors.append(user_error("NOT_FOUND", "no commitment with this id", "id"))
    if errors:
        raise Rejected(*errors)
    names = ("action_plan_cycle", "title", "gender_focus", "target_group", "status")
    changes = {n: v for n in names if (v := getattr(data, n)) is not None}
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    stmt = select(*Commitment.__table__.c).where(Commitment.id == pk)
    if changes:
        stmt = update(Commitment).where(Commitment.id == pk).values(**changes)
        stmt = stmt.returning(*Commitment.__table__.c)
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise Rejected(user_error("NOT_FOUND", "no commitment with this id", "id"))
    return row


@strawberry.mutation(description="Record a commitment of a country's action plan.")
async def gender_inclusion_commitment_record(
    info: strawberry.Info, input: CommitmentRecordInput
) -> CommitmentPayload:
    row, errors = await in_transaction(info.context, lambda conn: _record(conn, input))
    commitment = row and CommitmentType.from_row(row)
    return await prefetched(info, CommitmentPayload(commitment=commitment, user_errors=errors))


@strawberry.mutation(description="Correct a recorded commitment.")
async def gender_inclusion_commitment_update(
    info: strawberry.Info, input: CommitmentUpdateInput
) -> CommitmentPayload:
    row, errors = await in_transaction(info.context, lambda conn: _update(conn, input))
    commitment = row and CommitmentType.from_row(row)
    return await prefetched(info, CommitmentPayload(commitment=commitment, user_errors=errors))
