"""Rows the open-parliaments migration tests write at an old revision: one country (Georgia),
one civil-society organisation, its legislature and its single chamber (ids 1), in the columns
every revision since open_parliaments_0002 has."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core import models


def table(name: str, *columns: str) -> sa.TableClause:
    """`name` with just `columns`: a table in an older revision's shape, not the model's."""
    return sa.table(name, *(sa.column(c) for c in columns))


async def georgia_parliament(conn: Any) -> None:
    """Georgia (country 1), IDFI (organisation 1), its legislature (1) and chamber (1)."""
    await conn.execute(
        models.Country.__table__.insert().values(
            id=1, alpha2="GE", alpha3="GEO", name="Georgia", region="Europe"
        )
    )
    await conn.execute(
        models.Organization.__table__.insert().values(
            id=1, name="IDFI", kind="CIVIL_SOCIETY", country_id=1
        )
    )
    await conn.execute(
        table("open_parliaments_legislatures", "id", "country_id", "name", "chambers")
        .insert()
        .values(id=1, country_id=1, name="Parliament of Georgia", chambers=1)
    )
    await conn.execute(
        table(
            "open_parliaments_chambers",
            *("id", "legislature_id", "legislature_chambers", "kind", "name", "website"),
        )
        .insert()
        .values(
            id=1, legislature_id=1, legislature_chambers=1, kind="UNICAMERAL",
            name="Parliament of Georgia", website="https://parliament.ge",
        )
    )  # fmt: skip
