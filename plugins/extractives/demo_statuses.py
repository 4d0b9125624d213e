"""Demo EITI memberships: each country's joining date, its dated status history (Board decisions)
and the suspension reasons of its current status. Part of the extractives demo (see demo.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from plugins.extractives.demo_common import EITI, insert_missing, sourcing
from plugins.extractives.models import (
    EitiCountryStatus,
    EitiMembership,
    EitiStatusChange,
    EitiStatusChangeReason,
    EitiStatusReason,
    EitiSuspensionReason,
)

# --- EITI memberships ----------------------------------------------------------------------------
# country -> (joined on, source of the joining date or None if not confirmed). Confirmed on the
# eiti.org country pages ("Joined"): Ghana, Mexico. The others' joining dates are close to the
# public record but were not confirmed with the EITI: those memberships are illustrative.
IMPLEMENTING = EitiCountryStatus.IMPLEMENTING
JOINED: dict[str, tuple[date, str | None]] = {
    "GH": (date(2007, 9, 27), f"{EITI}/countries/ghana"),
    "MX": (date(2017, 10, 25), f"{EITI}/countries/mexico"),
    "NG": (date(2007, 9, 27), None),
    "NO": (date(2009, 2, 11), None),
    "ID": (date(2010, 10, 19), None),
    "PH": (date(2013, 5, 22), None),
    "CO": (date(2014, 10, 15), None),
    "GB": (date(2014, 10, 15), None),
    "US": (date(2014, 3, 19), None),
}

# Dated status changes: (country, status, reasons, effective on, Board decision, source or None).
# The change on the joining date is IMPLEMENTING for every country (sourced as its membership).
# Mexico: suspended after its 2022 Validation, Board decision 2022-31 / BM-53 (17 June 2022), for
# two reasons the decision gives: Requirement 1.3 on civil society engagement partly met
# (eiti.org's "inadequate stakeholder engagement") and a low overall score ("lack of progress").
# The United States withdrew on 2 November 2017 (EITI Chair's statement).
R = EitiSuspensionReason
CHANGES: list[
    tuple[str, EitiCountryStatus, tuple[EitiSuspensionReason, ...], date, str | None, str]
] = [
    (
        "MX",
        EitiCountryStatus.SUSPENDED,
        (R.INADEQUATE_ENGAGEMENT, R.LACK_OF_PROGRESS),
        date(2022, 6, 17),
        "2022-31 / BM-53",
        f"{EITI}/news/mexico-achieves-low-score-eiti-implementation",
    ),
    (
        "US",
        EitiCountryStatus.WITHDRAWN,
        (),
        date(2017, 11, 2),
        None,
        "https://api.eiti.org/es/node/18781",  # EITI Chair statement on the US withdrawal
    ),
]
# The reasons of a membership's current suspension, as eiti.org's country page lists them (the
# membership's source): Mexico "Suspended for inadequate stakeholder engagement; Suspended for
# lack of progress; Suspended for missing reporting deadline". The date of the suspension for the
# missed reporting deadline could not be confirmed, so it has no dated change of its own.
CURRENT_REASONS: dict[str, tuple[EitiSuspensionReason, ...]] = {
    "MX": (R.INADEQUATE_ENGAGEMENT, R.LACK_OF_PROGRESS, R.MISSED_DEADLINE),
}


async def load_memberships(conn: AsyncConnection, countries: dict[str, int]) -> None:
    """Each membership, its history (IMPLEMENTING on joining, then CHANGES) and its current
    status (the latest change), with their suspension reasons."""
    history: dict[str, list[tuple[dict[str, Any], tuple[EitiSuspensionReason, ...]]]] = {}
    for code, (joined_on, source) in JOINED.items():
        history[code] = [
            (
                {
                    "status": IMPLEMENTING,
                    "effective_on": joined_on,
                    "board_decision": None,
                    **sourcing(source),
                },
                (),
            )
        ]
    for code, status, reasons, on, decision, source in CHANGES:
        history[code].append(
            (
                {
                    "status": status,
                    "effective_on": on,
                    "board_decision": decision,
                    **sourcing(source),
                },
                reasons,
            )
        )
    present = [code for code in JOINED if code in countries]
    await insert_missing(
        conn,
        EitiMembership,
        ["country_id"],
        [
            {
                "country_id": countries[code],
                "status": history[code][-1][0]["status"],
                "joined_on": JOINED[code][0],
                **sourcing(JOINED[code][1]),
            }
            for code in present
        ],
    )
    await insert_missing(
        conn,
        EitiStatusChange,
        ["country_id", "effective_on"],
        [
            {"country_id": countries[code], **change}
            for code in present
            for change, _ in history[code]
        ],
    )
    # The reasons are the demo's own: set, not added to (a database loaded before the reasons
    # were split holds one reason per status, which these replace).
    changes = {
        (row.country_id, row.effective_on): row.id
        for row in await conn.execute(
            select(EitiStatusChange.id, EitiStatusChange.country_id, EitiStatusChange.effective_on)
        )
    }
    for code in present:
        cid = countries[code]
        for change, reasons in history[code]:
            await _set_reasons(
                conn,
                EitiStatusChangeReason,
                "status_change_id",
                changes[(cid, change["effective_on"])],
                reasons,
            )
        current = CURRENT_REASONS.get(code, history[code][-1][1])
        await _set_reasons(conn, EitiStatusReason, "country_id", cid, current)


async def _set_reasons(
    conn: AsyncConnection, model: Any, key: str, parent: int, reasons: Sequence[Any]
) -> None:
    """Make `reasons` the suspension reasons of `parent`, unless they already are."""
    table = model.__table__
    held = list(
        (
            await conn.execute(
                select(table.c.reason).where(table.c[key] == parent).order_by(table.c.id)
            )
        ).scalars()
    )
    if held == list(reasons):
        return
    await conn.execute(delete(table).where(table.c[key] == parent))
    if reasons:
        await conn.execute(insert(table), [{key: parent, "reason": r} for r in reasons])
