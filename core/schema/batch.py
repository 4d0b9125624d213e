"""Helpers for hand-written batch loaders (core/<domain>/loaders.py): run one statement, then
put its rows in the order of the keys asked for.

A batch loader `load(ctx, keys, **arguments)` returns one value per key, in order; each opens its
own read connection, so loaders that run concurrently never share one. Rows become GraphQL
objects directly; no ORM objects on read paths. Declared loads (core.rows: `rows_by_key`,
`rows_grouped_by`, `pages_by_key`) need none of this.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select

from core.context import Context

T = TypeVar("T")


async def fetch_rows(ctx: Context, stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:  # any columns
    async with ctx.db.read() as conn:
        return (await conn.execute(stmt)).all()


def by_key(rows: Iterable[Any], keys: list[Any], build: Callable[[Any], T]) -> list[T | None]:
    found = {row.id: build(row) for row in rows}
    return [found.get(key) for key in keys]


def grouped(
    rows: Iterable[Any], keys: list[Any], attr: str, build: Callable[[Any], T]
) -> list[list[T]]:
    groups: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attr)].append(build(row))
    return [groups.get(key, []) for key in keys]
