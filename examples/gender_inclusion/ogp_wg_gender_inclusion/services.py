"""Recording and correcting commitments, inside the mutation's one transaction: every check
first (all problems reported at once, `core.UserErrors`), then the write. The database holds the
same rules (models.py); a write that races past the checks comes back as the same user error
through `CONSTRAINT_ERRORS` (the hook `ogp_wg_constraint_errors`).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from core import ConstraintError, Rejected, UserErrors, insert_row, pk_of, update_row, user_error

from .models import TITLE_MAX, UNIQUE_TITLE, Commitment
from .types import NODE_TYPE

CYCLE = re.compile(r"(\d{4})-(\d{4})")
FIRST_ACTION_PLANS = 2011  # OGP was launched in September 2011

# Constraint name -> user error, for the write that races past the checks
CONSTRAINT_ERRORS = {
    UNIQUE_TITLE: ConstraintError(
        "DUPLICATE_COMMITMENT", "this action plan already has a commitment with this title", "title"
    ),
}
FIELDS = ("action_plan_cycle", "title", "gender_focus", "target_group", "status")


def _check(errors: UserErrors, title: str | None, cycle: str | None) -> str | None:
    """The title as stored (stripped); REQUIRED, TOO_LONG, INVALID_CYCLE, CYCLE_ORDER."""
    title = errors.text(title, "title", TITLE_MAX)
    if cycle is not None:
        match = CYCLE.fullmatch(cycle)
        if match is None or int(match[1]) < FIRST_ACTION_PLANS:
            message = f"actionPlanCycle: 'YYYY-YYYY', from {FIRST_ACTION_PLANS} on"
            errors.add("INVALID_CYCLE", message, "actionPlanCycle")
        elif int(match[1]) > int(match[2]):
            errors.add("CYCLE_ORDER", "the cycle ends before it starts", "actionPlanCycle")
    return title


async def record(conn: AsyncConnection, data: Any) -> Any:
    """The new commitment's row from `data` (a `GenderInclusionCommitmentRecordInput`)."""
    errors = UserErrors()
    title = _check(errors, data.title, data.action_plan_cycle)
    country_id = await errors.country(conn, data.country)  # UNKNOWN_COUNTRY
    errors.raise_if_any()
    values = {name: getattr(data, name) for name in FIELDS} | {"title": title}
    return await insert_row(conn, Commitment, country_id=country_id, **values)


async def update(conn: AsyncConnection, data: Any) -> Any:
    """The corrected row; fields left out (None) stay as they are. NOT_FOUND for an unknown id."""
    errors = UserErrors()
    pk = pk_of(data.id, NODE_TYPE)
    title = _check(errors, data.title, data.action_plan_cycle)
    if pk is None:
        errors.add("NOT_FOUND", "no commitment with this id", "id")
    errors.raise_if_any()
    assert pk is not None
    changes = {name: value for name in FIELDS if (value := getattr(data, name)) is not None}
    if title is not None:
        changes["title"] = title
    row = await update_row(conn, Commitment, pk, **changes)
    if row is None:
        raise Rejected(user_error("NOT_FOUND", "no commitment with this id", "id"))
    return row
