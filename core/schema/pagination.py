"""Cursor connections with keyset pagination: a page costs the same on row 10 or row 200,000.

A cursor holds the sort-key values of a row; the next page is `WHERE (keys) > (cursor)`, which an
index on the sort keys serves without scanning what came before.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import ARRAY, ColumnElement, Integer, Select, bindparam, func, select, true, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import Database
from core.errors import api_error

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    keys: strawberry.Private[Sequence[Any]]

    @strawberry.field(description="Pass as `after` to get the items following this one.")
    def cursor(self) -> str:
        return encode_cursor(self.keys)  # computed only when asked for


@strawberry.type(description="A page of results; the next: `after: pageInfo.endCursor`.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T] = strawberry.field(description="Items on this page, without cursors.")
    page_info: PageInfo
    total_count_fn: strawberry.Private[Callable[[], Any] | None] = None

    @strawberry.field(description="How many items match, over all pages (costs one more query).")
    async def total_count(self) -> int:
        if self.total_count_fn is None:
            return len(self.edges)
        return int(await self.total_count_fn())


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order_by: Sequence[ColumnElement[Any]]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(order_by):
            raise ValueError
        out = []
        for value, column in zip(values, order_by, strict=True):
            kind = column.type.python_type
            if value is not None and kind is datetime:
                value = datetime.fromisoformat(value)
            elif value is not None and kind is date:
                value = date.fromisoformat(value)
            out.append(value)
        return out
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise api_error("INVALID_CURSOR", f"cursor {cursor!r} is not valid here") from exc


def check_first(first: int, maximum: int = 100) -> int:
    if not 0 <= first <= maximum:
        raise api_error("INVALID_ARGUMENT", f"`first` must be between 0 and {maximum}, got {first}")
    return first


def _keys(order_by: Sequence[ColumnElement[Any]]) -> list[Any]:
    return [column.label(f"_key{i}") for i, column in enumerate(order_by)]


def _after(stmt: Select[Any], order_by: Sequence[ColumnElement[Any]], after: str | None) -> Any:
    if after is None:
        return stmt
    return stmt.where(tuple_(*order_by) > tuple_(*decode_cursor(after, order_by)))


def _page(
    rows: Sequence[Row[Any]],
    first: int,
    n_keys: int,
    build: Callable[[Row[Any]], T],
    has_previous: bool,
    total_count_fn: Callable[[], Any] | None = None,
) -> Connection[T]:
    has_next = len(rows) > first
    edges = [Edge(node=build(row), keys=row[-n_keys:]) for row in rows[:first]]
    return Connection(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor() if edges else None,
            end_cursor=edges[-1].cursor() if edges else None,
        ),
        total_count_fn=total_count_fn,
    )


async def paginate(
    conn: AsyncConnection,
    stmt: Select[Any],
    order_by: Sequence[ColumnElement[Any]],
    build: Callable[[Row[Any]], T],
    *,
    first: int,
    after: str | None,
    count: Callable[[], Any] | None = None,
) -> Connection[T]:
    """One page of `stmt` (already filtered), in `order_by` order, the last key unique.

    `build` receives each row; the sort keys are appended at its end for the cursor.
    """
    check_first(first)
    paged = _after(stmt, order_by, after).add_columns(*_keys(order_by)).order_by(*order_by)
    rows = (await conn.execute(paged.limit(first + 1))).all()
    return _page(rows, first, len(order_by), build, after is not None, count)


def count_of(db_read: Callable[[], Any], stmt: Select[Any]) -> Callable[[], Any]:
    """A deferred COUNT(*) of a filtered statement, run only if `totalCount` is selected."""

    async def run() -> int:
        async with db_read() as conn:
            counted = select(func.count()).select_from(stmt.order_by(None).subquery())
            return int((await conn.execute(counted)).scalar_one())

    return run


async def paginate_children(
    db: Database,
    stmt: Select[Any],
    parent: ColumnElement[Any],
    parent_ids: Sequence[int],
    order_by: Sequence[ColumnElement[Any]],
    build: Callable[[Row[Any]], T],
    *,
    first: int,
    after: str | None,
) -> dict[int, Connection[T]]:
    """The first page of children for many parents in ONE statement.

    This is how a list under a list (each group's next meetings) stays one query per level. On
    PostgreSQL each parent's page is a LATERAL subquery with its own LIMIT, so an index on
    (parent, sort keys) reads only the rows shown, however many children a parent has; SQLite,
    which has no LATERAL, numbers the rows with a window function instead.
    """
    check_first(first)
    filtered = _after(stmt, order_by, after)
    if db.is_sqlite:
        rank = func.row_number().over(partition_by=parent, order_by=order_by).label("_rank")
        inner = (
            filtered.where(db.any_of(parent, parent_ids))
            .add_columns(rank, parent.label("ogp_parent"), *_keys(order_by))
            .subquery()
        )
        paged = (
            select(inner)
            .where(inner.c["_rank"] <= first + 1)
            .order_by(inner.c["ogp_parent"], inner.c["_rank"])
        )
    else:
        parents = (
            func.unnest(bindparam(None, list(parent_ids), type_=ARRAY(Integer)))
            .table_valued("pid")
            .render_derived(name="parents")
        )
        page = (
            filtered.where(parent == parents.c.pid)
            .add_columns(parent.label("ogp_parent"), *_keys(order_by))
            .order_by(*order_by)
            .limit(first + 1)
            .lateral("page")
        )
        paged = select(page).select_from(parents).join(page, true())
    async with db.read() as conn:
        rows = (await conn.execute(paged)).all()
    n_keys = len(order_by)
    grouped: dict[int, list[Row[Any]]] = {pid: [] for pid in parent_ids}
    for row in rows:
        grouped[row.ogp_parent].append(row)
    return {pid: _page(rs, first, n_keys, build, after is not None) for pid, rs in grouped.items()}
