"""A match's moves and its outcome: the writes on `assistance_matches`, each in the caller's
transaction. Who may make which move: core/assistance/moves.py (the database checks the same
table: core_0017's triggers, which also write the history).

Errors, in the order checked: NOT_FOUND (the match, or its request's group hidden),
NOT_A_PARTY (the viewer acts for neither organisation and is not staff), MATCH_WRONG_STATUS (no
such move from the match's status), WRONG_SIDE (the move is the other side's), REQUEST_CLOSED /
OFFER_CLOSED (a SUGGESTED or PROPOSED match moving forward once its request or offer is closed:
only DECLINED is left), REQUIRED (the outcome report to complete), TOO_LONG.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import lookups
from core.activity.services import record
from core.assistance import moves
from core.assistance.models import (
    AssistanceMatch,
    AssistanceOffer,
    AssistanceRequest,
    AssistanceStatus,
    MatchStatus,
)
from core.assistance.services import viewer_organization
from core.auth import Viewer
from core.db import utcnow
from core.errors import Rejected, user_error
from core.groups.models import WorkingGroup

NOTE_MAX, OUTCOME_MAX = 2_000, 5_000
FORWARD = {
    (MatchStatus.SUGGESTED, MatchStatus.PROPOSED),
    (MatchStatus.PROPOSED, MatchStatus.ACCEPTED),
}
"""The moves refused once the request or the offer is CLOSED (core_0017 refuses them too)."""


async def locked_match(
    conn: AsyncConnection, global_id: str, themes: tuple[str, ...], field: str
) -> Any:
    """The match's row with its request's group and title and both organisations, locked."""
    pk = lookups.decode(global_id, "AssistanceMatch", field)
    stmt = (
        select(
            *AssistanceMatch.__table__.c,
            AssistanceRequest.group_id,
            AssistanceRequest.title.label("request_title"),
            AssistanceRequest.organization_id.label("requester_id"),
            AssistanceRequest.status.label("request_status"),
            AssistanceOffer.organization_id.label("offerer_id"),
            AssistanceOffer.status.label("offer_status"),
        )
        .join(AssistanceRequest, AssistanceRequest.id == AssistanceMatch.request_id)
        .join(AssistanceOffer, AssistanceOffer.id == AssistanceMatch.offer_id)
        .join(WorkingGroup, WorkingGroup.id == AssistanceRequest.group_id)
        .where(AssistanceMatch.id == pk, WorkingGroup.theme.in_(themes))
        .with_for_update(of=AssistanceMatch)
    )
    return await lookups.one_or_reject(conn, stmt, "AssistanceMatch", global_id, field)


async def sides_of(conn: AsyncConnection, viewer: Viewer, match: Any) -> frozenset[str]:
    """The sides the viewer's organisation is on (both when it is on both)."""
    org = await viewer_organization(conn, viewer)
    sides = set()
    if org is not None and org == match.requester_id:
        sides.add(moves.REQUESTER)
    if org is not None and org == match.offerer_id:
        sides.add(moves.OFFERER)
    return frozenset(sides)


def _optional_text(value: str | None, field: str, max_len: int) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > max_len:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {max_len} characters", field)
        )
    return value.strip()


async def move(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    match_id: str,
    to: MatchStatus,
    note: str | None,
    outcome_report: str | None,
    themes: tuple[str, ...],
) -> Any:
    """Move the match to `to`, recording who, when and the note (the history row is the
    database's); COMPLETED needs `outcome_report` and records ASSISTANCE_MATCH_COMPLETED."""
    match = await locked_match(conn, match_id, themes, "matchId")
    sides = await sides_of(conn, viewer, match)
    if not sides and not viewer.is_staff:
        message = "only the people of the requesting or the offering organisation (or staff)"
        raise Rejected(user_error("NOT_A_PARTY", message + " move a match", "matchId"))
    if (match.status, to) not in moves.MOVES:
        wanted = ", ".join(s.value for s in moves.allowed_targets(match.status)) or "nothing"
        message = f"the match is {match.status.value}; it may move to {wanted}"
        raise Rejected(user_error("MATCH_WRONG_STATUS", message, "status"))
    if not moves.may_move(match.status, to, sides, viewer.is_staff):
        who = " or ".join(s.lower() for s in sorted(moves.MOVES[(match.status, to)]))
        message = f"{match.status.value} -> {to.value} is the {who}'s move"
        raise Rejected(user_error("WRONG_SIDE", message, "status"))
    if (match.status, to) in FORWARD:
        for status, code, what in (
            (match.request_status, "REQUEST_CLOSED", "request"),
            (match.offer_status, "OFFER_CLOSED", "offer"),
        ):
            if status == AssistanceStatus.CLOSED:
                message = f"the {what} is closed: the match may only be DECLINED"
                raise Rejected(user_error(code, message, "status"))
    note = _optional_text(note, "note", NOTE_MAX)
    outcome = _optional_text(outcome_report, "outcomeReport", OUTCOME_MAX)
    now = utcnow()
    values: dict[str, Any] = {
        "status": to,
        "moved_at": now,
        "moved_by_person_id": viewer.person_id,
        "move_note": note,
    }
    if to is MatchStatus.COMPLETED:
        if outcome is None:
            message = "say in a few lines what came of it (outcomeReport) to complete a match"
            raise Rejected(user_error("REQUIRED", message, "outcomeReport"))
        values |= {"completed_at": now, "outcome_report": outcome}
    row = (
        await conn.execute(
            update(AssistanceMatch)
            .where(AssistanceMatch.id == match.id)
            .values(**values)
            .returning(*AssistanceMatch.__table__.c)
        )
    ).one()
    if to is MatchStatus.COMPLETED:
        await record(
            conn,
            verb="ASSISTANCE_MATCH_COMPLETED",
            subject_type="AssistanceMatch",
            subject_id=match.id,
            summary=f"A match for '{match.request_title}' was completed",
            group_id=match.group_id,
            organization_id=match.requester_id,
            actor_id=viewer.person_id,
        )
    return row
