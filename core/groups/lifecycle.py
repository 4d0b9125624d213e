"""The group's life (issue 9, section 4): proposals, Steering Committee decisions, anchor terms.

A group is born PROPOSED (anyone signed in may propose one); from then on only a decision that
staff record for the Steering Committee moves it (`ALLOWED_TRANSITIONS`) or changes how many
current anchors of a role it may have (1 by default; OGP's September 2013 announcement asks for
"at least one" government and one civil-society anchor, and the Fiscal Openness group was led by
GIFT with two governments, Brazil and the Philippines). The database keeps both rules whatever
writes to it (core_0006: CHECKs on `working_groups` and triggers); the checks here only give
the caller a precise user error first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.activity.services import record
from core.db import utcnow
from core.enums import AnchorRole, GroupStatus
from core.errors import Rejected, user_error
from core.groups.models import (
    ALLOWED_TRANSITIONS,
    Anchor,
    GroupDecision,
    ProposedAnchor,
    WorkingGroup,
)

RUNNING = frozenset({GroupStatus.PILOT, GroupStatus.ACTIVE})
MAX_ANCHORS_PER_ROLE = 2
"""A decision may allow a SECOND anchor of a role (issue 9), not a third; the database refuses
more (core_0013)."""
MAX_PROPOSED_ANCHORS = 6


@dataclass
class Decision:
    """What the Steering Committee decided about a group: a move to `to_status` and/or a new
    allowance of current anchors per role (1..2); when (`decided_on`, the SC meeting's date),
    at which meeting (`meeting`: free text or a reference to its minutes), why (`reason`), and
    where that is published (`source`, or `illustrative`)."""

    decided_on: date
    to_status: GroupStatus | None = None
    max_government_anchors: int | None = None
    max_civil_society_anchors: int | None = None
    meeting: str = ""
    reason: str = ""
    source: str = ""
    illustrative: bool = False

    def validate(self) -> None:
        if (
            self.to_status is None
            and self.max_government_anchors is None
            and self.max_civil_society_anchors is None
        ):
            raise Rejected(
                user_error(
                    "NOTHING_DECIDED",
                    "give toStatus, maxGovernmentAnchors or maxCivilSocietyAnchors",
                    "toStatus",
                )
            )
        for field, value in (
            ("maxGovernmentAnchors", self.max_government_anchors),
            ("maxCivilSocietyAnchors", self.max_civil_society_anchors),
        ):
            if value is not None and not 1 <= value <= MAX_ANCHORS_PER_ROLE:
                raise Rejected(
                    user_error("OUT_OF_RANGE", f"{field} is 1 to {MAX_ANCHORS_PER_ROLE}", field)
                )
        for field, text, limit in (
            ("meeting", self.meeting, 300),
            ("reason", self.reason, 5000),
            ("source", self.source, 500),
        ):
            if len(text) > limit:
                raise Rejected(
                    user_error("TOO_LONG", f"{field} is longer than {limit} characters", field)
                )
        if not self.reason.strip():
            raise Rejected(
                user_error("REQUIRED", "say why the Steering Committee decided", "reason")
            )


async def apply_decision(
    conn: AsyncConnection, group: Any, decision: Decision, person_id: int | None
) -> Any:
    """Record `decision` about `group` (a working_groups row) and change the group to match, in
    the caller's transaction; return the decision row. Rejected: TRANSITION_NOT_ALLOWED,
    ANCHORS_REQUIRED, ALLOWANCE_BELOW_CURRENT (the database refuses the same)."""
    decision.validate()
    status = GroupStatus(group.status)
    if decision.to_status is not None:
        if decision.to_status not in ALLOWED_TRANSITIONS[status]:
            allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[status])) or "none: it is final"
            raise Rejected(
                user_error(
                    "TRANSITION_NOT_ALLOWED",
                    f"a {status.value} group cannot become {decision.to_status.value} "
                    f"(allowed: {allowed})",
                    "toStatus",
                )
            )
        if decision.to_status in RUNNING and not (
            group.government_anchor_count and group.civil_society_anchor_count
        ):
            raise Rejected(
                user_error(
                    "ANCHORS_REQUIRED",
                    f"a {decision.to_status.value} group needs at least one government and one "
                    "civil-society anchor: set them first",
                    "toStatus",
                )
            )
    for field, value, current in (
        ("maxGovernmentAnchors", decision.max_government_anchors, group.government_anchor_count),
        (
            "maxCivilSocietyAnchors",
            decision.max_civil_society_anchors,
            group.civil_society_anchor_count,
        ),
    ):
        if value is not None and value < current:
            raise Rejected(
                user_error(
                    "ALLOWANCE_BELOW_CURRENT",
                    f"the group has {current} current anchors of that role: end a term first",
                    field,
                )
            )
    row = (
        await conn.execute(
            insert(GroupDecision)
            .values(
                group_id=group.id,
                from_status=status if decision.to_status is not None else None,
                to_status=decision.to_status,
                max_government_anchors=decision.max_government_anchors,
                max_civil_society_anchors=decision.max_civil_society_anchors,
                decided_on=decision.decided_on,
                meeting=decision.meeting,
                reason=decision.reason,
                source=decision.source,
                illustrative=decision.illustrative,
                recorded_by_id=person_id,
                recorded_at=utcnow(),
            )
            .returning(*GroupDecision.__table__.c)
        )
    ).one()
    changes: dict[str, Any] = {"decision_id": row.id, "updated_at": utcnow()}
    if decision.to_status is not None:
        changes["status"] = decision.to_status
    if decision.max_government_anchors is not None:
        changes["max_government_anchors"] = decision.max_government_anchors
    if decision.max_civil_society_anchors is not None:
        changes["max_civil_society_anchors"] = decision.max_civil_society_anchors
    await conn.execute(update(WorkingGroup).where(WorkingGroup.id == group.id).values(**changes))
    moved = (
        f"from {status.value} to {decision.to_status.value}"
        if decision.to_status is not None
        else "on its anchors"
    )
    await record(
        conn,
        verb="GROUP_DECISION",
        subject_type="WorkingGroup",
        subject_id=group.id,
        summary=f"The Steering Committee decided on '{group.name}' {moved}",
        group_id=group.id,
        actor_id=person_id,
    )
    return row


async def decide(
    conn: AsyncConnection,
    *,
    group_id: str,
    themes: tuple[str, ...],
    decision: Decision,
    person_id: int | None,
) -> tuple[Any, Any]:
    """`groupDecisionRecord`: (the decision row, the group row after it)."""
    group = await lookups.visible_group(conn, group_id, themes, "groupId")
    row = await apply_decision(conn, group, decision, person_id)
    after = (
        await conn.execute(select(*WorkingGroup.__table__.c).where(WorkingGroup.id == group.id))
    ).one()
    return row, after


async def propose(
    conn: AsyncConnection,
    *,
    group: Any,
    rationale: str,
    proposed_anchor_ids: list[str],
    person_id: int | None,
) -> None:
    """The proposal's part of `workingGroupPropose`, after `services.create_group` made the
    PROPOSED group `group`: its rationale, proposer, proposed anchors, the activity event."""
    if not rationale.strip():
        raise Rejected(user_error("REQUIRED", "say why the group should exist", "rationale"))
    if len(rationale) > 5000:
        raise Rejected(
            user_error("TOO_LONG", "rationale is longer than 5000 characters", "rationale")
        )
    if len(proposed_anchor_ids) > MAX_PROPOSED_ANCHORS:
        raise Rejected(
            user_error(
                "TOO_MANY", f"at most {MAX_PROPOSED_ANCHORS} proposed anchors", "proposedAnchorIds"
            )
        )
    org_ids: list[int] = []
    for global_id in proposed_anchor_ids:
        org = await lookups.organization(conn, global_id, "proposedAnchorIds")
        if org.id in org_ids:
            raise Rejected(
                user_error(
                    "DUPLICATE_ORGANIZATION", "an organisation is named twice", "proposedAnchorIds"
                )
            )
        org_ids.append(org.id)
    await conn.execute(
        update(WorkingGroup)
        .where(WorkingGroup.id == group.id)
        .values(rationale=rationale, proposed_by_id=person_id)
    )
    for org_id in org_ids:
        await conn.execute(insert(ProposedAnchor).values(group_id=group.id, organization_id=org_id))
    await record(
        conn,
        verb="GROUP_PROPOSED",
        subject_type="WorkingGroup",
        subject_id=group.id,
        summary=f"A new working group was proposed: '{group.name}'",
        group_id=group.id,
        actor_id=person_id,
    )


async def end_term(conn: AsyncConnection, anchor: Any, until: date | None) -> None:
    """Set the day `anchor`'s term ends (`until`, default today); the caller then deletes the
    anchors row or gives it to another organisation, and the database writes the ended term to
    anchor_terms (core_0014's trigger: one writer of the history). OUT_OF_RANGE when `until`
    is before the term began (the database refuses it too: ck_anchor_terms_ends_after_start)."""
    ended_on = until or utcnow().date()
    if anchor.since is not None and ended_on < anchor.since:
        raise Rejected(user_error("OUT_OF_RANGE", "a term cannot end before it began", "until"))
    await conn.execute(update(Anchor).where(Anchor.id == anchor.id).values(ends_on=ended_on))


async def current_anchors(conn: AsyncConnection, group_id: int, role: AnchorRole) -> list[Any]:
    stmt = (
        select(*Anchor.__table__.c)
        .where(Anchor.group_id == group_id, Anchor.role == role)
        .order_by(Anchor.id)
    )
    return list((await conn.execute(stmt)).all())


async def remove_current(conn: AsyncConnection, anchor: Any, until: date | None) -> Any:
    """End `anchor`'s term and drop it from the current anchors; ANCHORS_REQUIRED when the group
    is PILOT or ACTIVE and it is the last of its role (the database refuses it too)."""
    group = (
        await conn.execute(select(WorkingGroup.status).where(WorkingGroup.id == anchor.group_id))
    ).one()
    others = [
        a for a in await current_anchors(conn, anchor.group_id, anchor.role) if a.id != anchor.id
    ]
    if GroupStatus(group.status) in RUNNING and not others:
        raise Rejected(
            user_error(
                "ANCHORS_REQUIRED",
                f"a {group.status} group keeps at least one {anchor.role} anchor: set the new "
                "one with replace: true, or record a decision pausing the group first",
                "role",
            )
        )
    await end_term(conn, anchor, until)
    await conn.execute(delete(Anchor).where(Anchor.id == anchor.id))
    return anchor


async def anchor_changed(
    conn: AsyncConnection, group_id: int, summary: str, person_id: int | None
) -> None:
    await record(
        conn,
        verb="ANCHOR_CHANGED",
        subject_type="WorkingGroup",
        subject_id=group_id,
        summary=summary,
        group_id=group_id,
        actor_id=person_id,
    )
