"""Recording a country's ODIN scores (the write of `odinScoreRecord`): one of ODIN's rounds, the
overall score and the subscores Open Data Watch publishes, and the date they were read (Open Data
Watch revises published editions: `replace` records the revision).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import UserErrors
from plugins.open_data import models as tables
from plugins.open_data.models import ODIN_SUBSCORES
from plugins.open_data.services import duplicate, provenance_values, save, score_in_range

ODIN_SOURCE_URL = "https://odin.opendatawatch.com"
ODIN_ROUNDS = ("2015", "2016", "2017", "2018/19", "2020/21", "2022/23", "2024/25")
"""ODIN's published rounds (editions); since 2018/19 each covers two years, every two years."""
ODIN_EDITION = re.compile(r"([0-9]{4})/([0-9]{2})")  # fullmatch; ASCII digits only


def valid_edition(edition: str, this_year: int | None = None) -> bool:
    """ODIN's rounds (`ODIN_ROUNDS`), or a later biennial one ('2026/27': an even first year
    after 2024, the next year second) that has begun (its first year is not after this year)."""
    if edition in ODIN_ROUNDS:
        return True
    match = ODIN_EDITION.fullmatch(edition)
    if match is None:
        return False
    first, second = int(match[1]), int(match[2])
    this_year = date.today().year if this_year is None else this_year
    return 2024 < first <= this_year and first % 2 == 0 and second == (first + 1) % 100


@dataclass
class Odin:
    country: str
    edition: str
    score: float
    coverage: float | None = None
    openness: float | None = None
    social: float | None = None
    economic: float | None = None
    environmental: float | None = None
    methodology_version: str | None = None
    source_url: str | None = None
    retrieved_on: date | None = None
    illustrative: bool = False
    notes: str | None = None
    replace: bool = False


async def record_odin(conn: AsyncConnection, data: Odin) -> Any:
    """Record a country's ODIN scores for an edition; with `replace`, the scores as revised by
    Open Data Watch (with the new retrieval date)."""
    check = UserErrors()
    edition = data.edition.strip()
    if not valid_edition(edition):
        rounds = ", ".join(ODIN_ROUNDS)
        check.add(
            "INVALID_EDITION",
            f"an ODIN edition is one of its rounds ({rounds}, then every two years), "
            f"got {edition!r}",
            "edition",
        )
    for name in ("score", *ODIN_SUBSCORES):
        value = getattr(data, name)
        if value is not None:
            score_in_range(check, value, name)
    check.text(data.methodology_version, "methodologyVersion", 100)
    provenance = provenance_values(data, check)
    check.text(data.notes, "notes", 500, required=False)
    country_id = await check.country(conn, data.country)
    check.raise_if_any()

    odin = tables.OdinScore
    stmt = select(odin.id).where(odin.country_id == country_id, odin.edition == edition)
    existing = (await conn.execute(stmt)).scalar()
    if existing is not None and not data.replace:
        raise duplicate(
            "DUPLICATE_ODIN_SCORE",
            f"the country's ODIN {edition} scores are already recorded",
            "edition",
        )
    values = {
        "country_id": country_id,
        "edition": edition,
        "overall": data.score,
        **{name: getattr(data, name) for name in ODIN_SUBSCORES},
        "methodology_version": (data.methodology_version or f"ODIN {edition}").strip(),
        "notes": data.notes or "",
        **provenance,
    }
    return await save(conn, odin, existing, values)
