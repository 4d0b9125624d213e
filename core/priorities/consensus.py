"""A group's consensus rule, the count of positions it applies to, and whether the count meets
it; setting a group's rule.

The default rule: no standing objection AND endorsements from at least half of the member
organisations that took part (an organisation takes part with any current position, a withdrawn
objection included). The consensus body is the group's member organisations (role MEMBER) and its
anchors' organisations; observers take no position.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, insert, literal, select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.auth import Viewer
from core.db import utcnow
from core.enums import MembershipRole
from core.errors import Rejected, user_error
from core.groups.models import Anchor, Membership
from core.priorities.models import (
    DEFAULT_MIN_ENDORSEMENT_SHARE,
    DEFAULT_OBJECTIONS_BLOCK,
    ConsensusRule,
    PositionStance,
    PriorityAreaPosition,
)


@dataclass(frozen=True)
class Rule:
    """A consensus rule: whether a standing objection blocks, and the least share (0..1) of the
    participating organisations that must endorse."""

    objections_block: bool = DEFAULT_OBJECTIONS_BLOCK
    min_endorsement_share: float = DEFAULT_MIN_ENDORSEMENT_SHARE

    @property
    def is_default(self) -> bool:
        """Whether this is the default rule (by value: a group may set it explicitly)."""
        return (self.objections_block, self.min_endorsement_share) == (
            DEFAULT_OBJECTIONS_BLOCK,
            DEFAULT_MIN_ENDORSEMENT_SHARE,
        )


@dataclass(frozen=True)
class Tally:
    """The count behind a consensus: current positions of the consensus body's organisations."""

    endorsements: int = 0
    objections: int = 0
    """Standing objections (withdrawn ones are not counted)."""
    participants: int = 0
    """Organisations with a current position (an endorsement, an objection or a withdrawn one)."""
    member_organizations: int = 0


def reached(rule: Rule, tally: Tally) -> bool:
    """Whether `tally` meets `rule`: at least one endorsement, no standing objection when
    objections block, and endorsements >= share x participants (exact decimal arithmetic, so
    0.7 x 10 needs 7, not 8)."""
    if tally.endorsements < 1 or tally.participants < 1:
        return False
    if rule.objections_block and tally.objections > 0:
        return False
    needed = Decimal(str(rule.min_endorsement_share)) * tally.participants
    return tally.endorsements >= needed


# --- Reads shared with the loaders ----------------------------------------------------------------


def consensus_body() -> Any:
    """(group_id, organization_id) of every organisation in a group's consensus body."""
    return union(
        select(Membership.group_id, Membership.organization_id).where(
            Membership.role == MembershipRole.MEMBER
        ),
        select(Anchor.group_id, Anchor.organization_id),
    ).subquery()


def tally_statement() -> Select[*tuple[Any, ...]]:
    """(priority_area_id, endorsements, objections, participants) over current positions."""
    p = PriorityAreaPosition
    stmt: Select[*tuple[Any, ...]] = (
        select(
            p.priority_area_id,
            func.sum(case((p.stance == PositionStance.ENDORSE, 1), else_=0)).label("endorsements"),
            func.sum(case((p.stance == PositionStance.OBJECT, 1), else_=0)).label("objections"),
            func.count().label("participants"),
        )
        .where(p.is_current.is_(True))
        .group_by(p.priority_area_id)
    )
    return stmt


def body_count_statement() -> Select[Any]:
    """(group_id, member_organizations): the size of each group's consensus body."""
    body = consensus_body()
    return select(body.c.group_id, func.count().label("member_organizations")).group_by(
        body.c.group_id
    )


def rule_of(row: Any) -> Rule:
    """The rule from a `consensus_rules` row, or the default one for None."""
    if row is None:
        return Rule()
    return Rule(row.objections_block, row.min_endorsement_share)


async def rule_for_group(conn: AsyncConnection, group_pk: int) -> Rule:
    stmt = select(*ConsensusRule.__table__.c).where(ConsensusRule.group_id == group_pk)
    return rule_of((await conn.execute(stmt)).first())


async def tally_for_area(conn: AsyncConnection, area_pk: int, group_pk: int) -> Tally:
    counts = (
        await conn.execute(
            tally_statement().where(PriorityAreaPosition.priority_area_id == area_pk)
        )
    ).first()
    body = consensus_body()
    members = await conn.scalar(
        select(func.count()).select_from(body).where(body.c.group_id == group_pk)
    )
    if counts is None:
        return Tally(member_organizations=int(members or 0))
    return Tally(
        int(counts.endorsements),
        int(counts.objections),
        int(counts.participants),
        int(members or 0),
    )


async def set_rule(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    group_id: str,
    objections_block: bool,
    min_endorsement_share: float,
    themes: tuple[str, ...],
) -> Any:
    """Set the group's consensus rule (applies to areas closed from now on; closed ones keep
    the rule they were decided by). Returns the group's row."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    share = min_endorsement_share
    if not 0 <= share <= 1:
        raise Rejected(
            user_error(
                "OUT_OF_RANGE", "minEndorsementShare lies between 0 and 1", "minEndorsementShare"
            )
        )
    values = {
        "objections_block": objections_block,
        "min_endorsement_share": share,
        "updated_at": utcnow(),
        "updated_by_person_id": viewer.person_id,
    }
    exists = await conn.scalar(select(literal(1)).where(ConsensusRule.group_id == group.id))
    if exists is None:
        await conn.execute(insert(ConsensusRule).values(group_id=group.id, **values))
    else:
        await conn.execute(
            update(ConsensusRule).where(ConsensusRule.group_id == group.id).values(**values)
        )
    return group
