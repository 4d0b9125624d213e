"""`core.columns.in_rows(column, rows)` answers as `column IN (rows)` on both databases (on
PostgreSQL it is written `column = ANY(ARRAY(rows))`): every key (NULL included) against every
kind of row set (empty, with NULL, with a repeat), as a condition, negated and inside OR, read
three-valued. On SQLite it is written as the comparison itself: as a Boolean function it was
`... IN (...) = 1`, which SQLite answers by scanning the table instead of probing its index.
"""

from __future__ import annotations

import asyncio
from itertools import product
from typing import Any

from sqlalchemy import Integer, case, false, literal, not_, or_, select, union_all
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import create_async_engine

from core.columns import in_rows
from core.knowledge.models import Resource, ResourceGroup

KEYS = (1, 2, None)


def _rows(*values: int | None) -> Any:
    """A one-column SELECT of `values` (none: no row)."""
    if not values:
        return select(literal(1, Integer)).where(false())
    if len(values) == 1:
        return select(literal(values[0], Integer))
    return union_all(*(select(literal(v, Integer)) for v in values))


ROW_SETS = ((), (1,), (1, None), (None,), (2, 2), (3, 4))


def _truth(condition: Any) -> Any:
    """'t', 'f' or 'n' (NULL): the condition read three-valued."""
    return case((condition, "t"), (not_(condition), "f"), else_="n")


def test_in_rows_answers_as_in(empty_db: str) -> None:
    forms = (
        lambda c: c,
        not_,
        lambda c: or_(c, literal(False)),
    )
    cases = list(product(KEYS, ROW_SETS, forms))

    async def answers() -> tuple[list[str], list[str]]:
        engine = create_async_engine(empty_db)
        try:
            async with engine.connect() as conn:
                ours, theirs = [], []
                for key, values, form in cases:
                    column = literal(key, Integer)
                    rows = _rows(*values)
                    ours.append(await conn.scalar(select(_truth(form(in_rows(column, rows))))))
                    theirs.append(await conn.scalar(select(_truth(form(column.in_(rows))))))
                return ours, theirs
        finally:
            await engine.dispose()

    ours, theirs = asyncio.run(answers())
    assert ours == theirs
    assert {"t", "f", "n"} <= set(ours)  # every answer SQL has was met


def test_in_rows_is_a_comparison_on_sqlite() -> None:
    linked = select(ResourceGroup.resource_id).where(ResourceGroup.group_id == 1)
    condition = in_rows(Resource.id, linked)
    stmt = select(Resource.id).where(condition, Resource.status == "PUBLISHED")
    negated = select(Resource.id).where(not_(condition))
    written = [" ".join(str(s.compile(dialect=sqlite.dialect())).split()) for s in (stmt, negated)]
    inner = "(SELECT resource_groups.resource_id FROM resource_groups WHERE resource_groups.group_id = ?)"
    assert f"WHERE resources.id IN {inner} AND resources.status = ?" in written[0]
    assert written[1].endswith(f"WHERE NOT (resources.id IN {inner})")
