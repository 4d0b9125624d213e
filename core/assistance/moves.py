"""Who moves a match, and where to: the one table the service, the database's triggers (migration
core_0017) and the tests read.

Sides: the REQUESTER (the people of the organisation that posted the request) and the OFFERER
(the people of the organisation that posted the offer). Staff may make every move; nobody else
makes any. The moves:

| from        | to          | by                  | what it means                              |
|-------------|-------------|---------------------|--------------------------------------------|
| SUGGESTED   | PROPOSED    | requester           | "we would like to work with you"           |
| SUGGESTED   | DECLINED    | requester           | "not this one"                             |
| PROPOSED    | ACCEPTED    | offerer             | "yes, we will help"                        |
| PROPOSED    | DECLINED    | offerer, requester  | refused, or the proposal withdrawn         |
| ACCEPTED    | IN_PROGRESS | offerer, requester  | the work started                           |
| ACCEPTED    | DECLINED    | offerer, requester  | called off before it started               |
| IN_PROGRESS | COMPLETED   | offerer, requester  | done; a short outcome report is required   |

COMPLETED and DECLINED are final. A match is born SUGGESTED (by the service).
"""

from __future__ import annotations

from core.assistance.models import MatchStatus

REQUESTER, OFFERER = "REQUESTER", "OFFERER"

S = MatchStatus
MOVES: dict[tuple[MatchStatus, MatchStatus], frozenset[str]] = {
    (S.SUGGESTED, S.PROPOSED): frozenset({REQUESTER}),
    (S.SUGGESTED, S.DECLINED): frozenset({REQUESTER}),
    (S.PROPOSED, S.ACCEPTED): frozenset({OFFERER}),
    (S.PROPOSED, S.DECLINED): frozenset({REQUESTER, OFFERER}),
    (S.ACCEPTED, S.IN_PROGRESS): frozenset({REQUESTER, OFFERER}),
    (S.ACCEPTED, S.DECLINED): frozenset({REQUESTER, OFFERER}),
    (S.IN_PROGRESS, S.COMPLETED): frozenset({REQUESTER, OFFERER}),
}
"""(from, to) -> the sides that may make the move (staff: every move)."""


def allowed_targets(status: MatchStatus) -> list[MatchStatus]:
    """Where a match in `status` may go next (for anyone), in MatchStatus order."""
    return [to for to in MatchStatus if (status, to) in MOVES]


def may_move(frm: MatchStatus, to: MatchStatus, sides: frozenset[str], staff: bool) -> bool:
    """Whether a person on `sides` (empty: on neither), staff or not, may move `frm` -> `to`."""
    allowed = MOVES.get((frm, to))
    return allowed is not None and (staff or bool(allowed & sides))
