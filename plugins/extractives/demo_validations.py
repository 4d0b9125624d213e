"""Demo EITI Validations as the EITI Board published them, with their per-Requirement assessments.
Part of the extractives demo (see demo.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from plugins.extractives.demo_common import EITI, RETRIEVED, insert_missing
from plugins.extractives.models import (
    EitiDatePrecision,
    EitiOverallAssessment,
    EitiRequirementAssessment,
    EitiRequirementLevel,
    EitiStandardVersion,
    EitiValidation,
)

# --- Validations ---------------------------------------------------------------------------------
# As the EITI Board published them (https://eiti.org/board-decision/...), with the decision
# reference. Progress model (2016 Standard): no points, per-Requirement assessments where the
# decision lists them. Ghana's third Validation (2020-85 / BC-299, eiti.org/board-decision/2020-85:
# "meaningful progress in implementing the 2016 EITI Standard") is known to the year only, like
# its 2024 one. Ghana's 2024 Validation (2024-18 / BM-59): the scores are the Board's;
# the decision page gives no day, and no eiti.org page found gives its day or month, so the date
# is known to the year only (2024, from the decision reference): `decided_on_precision` YEAR.
V = EitiOverallAssessment
L = EitiRequirementLevel
S2016, S2019 = EitiStandardVersion.EITI_2016, EitiStandardVersion.EITI_2019
# (country, decided on, decision, standard, scores (SE, T, O&I, overall, effectiveness) or None,
#  assessment, {requirement: level}, source, illustrative); the day of the decision is known
#  unless the row is in YEAR_ONLY.
VALIDATIONS: list[
    tuple[
        str,
        date,
        str,
        EitiStandardVersion,
        tuple[float, float, float, float, float | None] | None,
        EitiOverallAssessment,
        dict[str, EitiRequirementLevel],
        str,
        bool,
    ]
] = [
    (
        "GH",
        date(2017, 3, 8),
        "2017-08",
        S2016,
        None,
        V.MEANINGFUL_PROGRESS,
        {
            r: L.MEANINGFUL_PROGRESS
            for r in ("2.3", "2.6", "3.2", "3.3", "4.1", "4.2", "4.5", "6.2")
        },
        f"{EITI}/board-decision/2017-08",
        False,
    ),
    (
        "GH",
        date(2019, 2, 27),
        "2019-16 / BM-42",
        S2016,
        None,
        V.MEANINGFUL_PROGRESS,
        {},
        f"{EITI}/board-decision/2019-16",
        False,
    ),
    (
        "GH",
        date(2020, 1, 1),  # the year only: see YEAR_ONLY
        "2020-85 / BC-299",
        S2016,
        None,
        V.MEANINGFUL_PROGRESS,
        {},  # the decision names no Requirement levels one by one ("four other requirements")
        f"{EITI}/board-decision/2020-85",
        False,
    ),
    (
        "GH",
        date(2024, 1, 1),  # the year only: see YEAR_ONLY
        "2024-18 / BM-59",
        S2019,
        (82.5, 78.0, 88.5, 83.0, 2.5),
        V.MODERATE,
        {},
        "https://api.eiti.org/ru/node/27112",  # eiti.org's page of decision 2024-18 / BM-59
        False,
    ),
    (
        "PH",
        date(2017, 10, 5),
        "2017-40 / BC-239",
        S2016,
        None,
        V.SATISFACTORY_PROGRESS,
        {r: L.BEYOND for r in ("1.4", "1.5", "2.1", "2.4", "5.1", "6.1", "7.1", "7.3", "7.4")},
        f"{EITI}/board-decision/2017-40",
        False,
    ),
]

# (country, decided on) known to the year only: Ghana's third Validation (2020-85 / BC-299, a
# Board circular) and its 2024 one; their eiti.org pages give the decision, not its day.
YEAR_ONLY = {("GH", date(2020, 1, 1)), ("GH", date(2024, 1, 1))}


async def load_validations(conn: AsyncConnection, countries: dict[str, int]) -> None:
    rows = []
    for code, on, decision, standard, scores, assessment, _, source, illustrative in VALIDATIONS:
        if code not in countries:
            continue
        se, t, oi, overall, effectiveness = scores or (None, None, None, None, None)
        rows.append(
            {
                "country_id": countries[code],
                "decided_on": on,
                "decided_on_precision": (
                    EitiDatePrecision.YEAR if (code, on) in YEAR_ONLY else EitiDatePrecision.DAY
                ),
                "board_decision": decision,
                "standard": standard,
                "stakeholder_engagement": se,
                "transparency": t,
                "outcomes_and_impact": oi,
                "overall_score": overall,
                "effectiveness_points": effectiveness,
                "overall_assessment": assessment,
                "source_url": source,
                "retrieved_on": RETRIEVED,
                "illustrative": illustrative,
            }
        )
    await _replace_placeholders(conn, rows)
    await insert_missing(conn, EitiValidation, ["country_id", "decided_on"], rows)
    ids = {
        (row.country_id, row.decided_on): row.id
        for row in await conn.execute(
            select(EitiValidation.id, EitiValidation.country_id, EitiValidation.decided_on)
        )
    }
    await insert_missing(
        conn,
        EitiRequirementAssessment,
        ["validation_id", "requirement"],
        [
            {
                "validation_id": ids[(countries[code], on)],
                "requirement": number,
                "level": level,
            }
            for code, on, _, _, _, _, levels, _, _ in VALIDATIONS
            if code in countries and (countries[code], on) in ids
            for number, level in levels.items()
        ],
    )


async def _replace_placeholders(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """A database loaded by an earlier demo may hold an illustrative placeholder where the demo
    now has the published value under the same key (country, decided on): e.g. Ghana's 2024
    Validation, once dated 1 January 2024 as a placeholder, now known to the year. The published
    row replaces it (its per-Requirement assessments stay); an illustrative demo row never
    replaces anything, nor does anything replace a row that is not illustrative."""
    for row in rows:
        if row["illustrative"]:
            continue
        await conn.execute(
            update(EitiValidation)
            .where(
                EitiValidation.country_id == row["country_id"],
                EitiValidation.decided_on == row["decided_on"],
                EitiValidation.illustrative.is_(True),
            )
            .values(**row)
        )
