"""Cursor connections with keyset pagination: a page costs the same on row 10 or row 200,000.

A cursor holds the sort-key values of a row; the next page is `WHERE (keys) > (cursor)` (`<` for
descending keys, the expanded `OR` form for mixed directions), which an index on the sort keys
serves without scanning what came before. Every connection also pages backwards as the Relay
Cursor Connections specification defines it: `last`/`before` read the rows nearest `before` in
the reverse order (the same index, scanned backwards) and hand them out in the forward order.
Sort keys are columns, each ascending or `.desc()`, NOT NULL, the last one unique: a cursor names
one row, however many share a timestamp. Cursors are checked and bound by `core.schema.cursors`:
a bad one is the GraphQL error `INVALID_CURSOR`, never a database error.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left, bisect_right
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import ARRAY, Integer, Select, bindparam, func, select, true
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import Database
from core.errors import api_error
from core.limits import MAX_PAGE_SIZE
from core.schema.cursors import (
    SortKey,
    decode_cursor,
    encode_cursor,
    key_columns,
    ordering,
    resume_after,
    resume_before,
    sort_keys,
)

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "Connection",
    "Edge",
    "PageInfo",
    "PageRequest",
    "check_first",
    "count_of",
    "decode_cursor",
    "encode_cursor",
    "page_list",
    "page_request",
    "paginate",
    "paginate_children",
]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
"""The page size when a connection is given neither `first` nor `last`."""


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

    @strawberry.field(
        description="Pass as `after` to get the items following this one, as `before` for the "
        "items preceding it."
    )
    def cursor(self) -> str:
        return encode_cursor(self.keys)  # computed only when asked for


@strawberry.type(
    description="A page of results, in the connection's order: the next page is `first: n, "
    "after: pageInfo.endCursor`, the previous one `last: n, before: pageInfo.startCursor`."
)
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


def check_first(first: int, maximum: int = MAX_PAGE_SIZE, name: str = "first") -> int:
    """`first` (or the argument `name`) itself if within 0..maximum; else INVALID_ARGUMENT."""
    if not 0 <= first <= maximum:
        raise api_error(
            "INVALID_ARGUMENT", f"`{name}` must be between 0 and {maximum}, got {first}"
        )
    return first


@dataclass(frozen=True)
class PageRequest:
    """What one page asks for: `size` items after `after` and before `before` (both optional
    cursors), the first `size` of them, or with `backwards` the last `size` (`last`)."""

    size: int
    backwards: bool = False
    after: str | None = None
    before: str | None = None


def page_request(
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> PageRequest:
    """A connection field's paging arguments, checked: `first` or `last` (0..100), not both;
    neither is `first: DEFAULT_PAGE_SIZE`. `after` and `before` may be given with either, as
    the Relay specification allows: the page is then taken between the two cursors.

    Raises the GraphQL error INVALID_ARGUMENT for `first` and `last` both given (the
    specification "strongly discourages" it, and its answer is never what a client means) or
    one outside 0..100; INVALID_CURSOR comes later, when the cursors are decoded.
    """
    if first is not None and last is not None:
        raise api_error("INVALID_ARGUMENT", "give `first` or `last`, not both")
    if last is not None:
        return PageRequest(check_first(last, name="last"), True, after, before)
    size = DEFAULT_PAGE_SIZE if first is None else check_first(first)
    return PageRequest(size, False, after, before)


def _page(
    rows: Sequence[Row[Any]],
    request: PageRequest,
    n_keys: int,
    build: Callable[[Row[Any]], T],
    total_count_fn: Callable[[], Any] | None = None,
) -> Connection[T]:
    """The page of `rows` (read in the paging direction, one more than the page if there are
    more). `hasNextPage`/`hasPreviousPage` as the Relay specification computes them: in the
    direction paged, whether rows remain; in the other, whether a cursor was given (the rows
    beyond it are not counted)."""
    more = len(rows) > request.size
    taken = list(rows[: request.size])
    if request.backwards:
        taken.reverse()  # read nearest `before` first; handed out in the connection's order
    edges = [Edge(node=build(row), keys=row[-n_keys:]) for row in taken]
    return Connection(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=PageInfo(
            has_next_page=request.before is not None if request.backwards else more,
            has_previous_page=more if request.backwards else request.after is not None,
            start_cursor=edges[0].cursor() if edges else None,
            end_cursor=edges[-1].cursor() if edges else None,
        ),
        total_count_fn=total_count_fn,
    )


def page_list(
    items: Sequence[Any],
    key: Callable[[Any], tuple[Any, ...]],
    sort: Sequence[SortKey],
    request: PageRequest,
    build: Callable[[Any], T],
) -> Connection[T]:
    """The page `request` asks for of `items`, a list already read whole and held in the
    connection's order (`key(item)`: its sort keys, ascending, as `sort` decodes them from a
    cursor); `totalCount` is `len(items)`, no query. The same page `paginate` cuts with SQL
    (first/after/last/before, the Relay specification's `hasNextPage`/`hasPreviousPage`), for
    a figure whose rows another statement has read already (core/pilot's meetings).
    Raises INVALID_CURSOR for a cursor `sort` cannot decode."""
    keys = [key(item) for item in items]
    low, high = 0, len(items)
    if request.after is not None:
        low = bisect_right(keys, tuple(decode_cursor(request.after, sort)))
    if request.before is not None:
        high = max(low, bisect_left(keys, tuple(decode_cursor(request.before, sort))))
    window = list(range(low, high))
    more = len(window) > request.size
    if request.backwards:
        taken = window[max(len(window) - request.size, 0) :]
    else:
        taken = window[: request.size]
    edges = [Edge(node=build(items[i]), keys=keys[i]) for i in taken]
    total = len(items)

    async def count() -> int:
        return total

    return Connection(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=PageInfo(
            has_next_page=request.before is not None if request.backwards else more,
            has_previous_page=more if request.backwards else request.after is not None,
            start_cursor=edges[0].cursor() if edges else None,
            end_cursor=edges[-1].cursor() if edges else None,
        ),
        total_count_fn=count,
    )


def _bounded(stmt: Select[Any], keys: Sequence[Any], request: PageRequest) -> Select[Any]:
    """`stmt` between the request's cursors (either may be absent)."""
    return resume_before(resume_after(stmt, keys, request.after), keys, request.before)


async def paginate(
    conn: AsyncConnection,
    stmt: Select[Any],
    order_by: Sequence[Any],
    build: Callable[[Row[Any]], T],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    count: Callable[[], Any] | None = None,
) -> Connection[T]:
    """One page of `stmt` (already filtered), in `order_by` order.

    `order_by`: columns, each ascending or `.desc()` (mixed directions work), NOT NULL, the last
    one unique (usually the id). `build` receives each row: `stmt`'s columns, then the sort keys
    appended at its end (labelled `_key0`, `_key1`...) for the cursor. `first`/`after` page
    forwards, `last`/`before` backwards (edges still in `order_by` order), as `page_request`
    reads them (neither: the first DEFAULT_PAGE_SIZE). `count`: a deferred total
    (`count_of(ctx.db.read, stmt)`) run only if `totalCount` is selected; without it,
    `totalCount` is the page's length. Errors: `INVALID_ARGUMENT` for `first` or `last` outside
    0..100 or both given, `INVALID_CURSOR` for a cursor this connection did not hand out.
    """
    request = page_request(first, after, last, before)
    keys = sort_keys(order_by)
    stmt = stmt.order_by(None)  # the keys alone order the page, or the cursor would not follow
    paged = _bounded(stmt, keys, request).add_columns(*key_columns(keys))
    paged = paged.order_by(*ordering(keys, backwards=request.backwards))
    rows = (await conn.execute(paged.limit(request.size + 1))).all()
    return _page(rows, request, len(keys), build, count)


def count_of(db_read: Callable[[], Any], stmt: Select[Any]) -> Callable[[], Any]:
    """A deferred COUNT(*) of a filtered statement, run only if `totalCount` is selected."""

    async def run() -> int:
        async with db_read() as conn:
            counted = select(func.count()).select_from(stmt.order_by(None).subquery())
            return int((await conn.execute(counted)).scalar_one())

    return run


class _GroupedCount:
    """Every parent's total in ONE grouped COUNT, run once, when the first `totalCount` asks."""

    def __init__(self, db: Database, stmt: Select[Any], parent: Any, parent_ids: Sequence[int]):
        self._db, self._stmt, self._parent, self._ids = db, stmt, parent, list(parent_ids)
        self._task: asyncio.Task[dict[Any, int]] | None = None

    async def _run(self) -> dict[Any, int]:
        rows = (
            self._stmt.where(self._db.any_of(self._parent, self._ids))
            .add_columns(self._parent.label("ogp_parent"))
            .subquery()
        )
        counted = select(rows.c.ogp_parent, func.count()).group_by(rows.c.ogp_parent)
        async with self._db.read() as conn:
            return {pid: int(n) for pid, n in await conn.execute(counted)}

    def of(self, pid: Any) -> Callable[[], Awaitable[int]]:
        async def total() -> int:
            if self._task is None:
                self._task = asyncio.ensure_future(self._run())
            # shield: one cancelled field must not cancel the count its siblings await.
            return (await asyncio.shield(self._task)).get(pid, 0)

        return total


async def paginate_children(
    db: Database,
    stmt: Select[Any],
    parent: Any,
    parent_ids: Sequence[int],
    order_by: Sequence[Any],
    build: Callable[[Row[Any]], T],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> dict[int, Connection[T]]:
    """One page of children for each of many parents, in ONE statement: `{parent id: page}`.

    This is how a list under a list (each group's next meetings) stays one query per level;
    call it from a `@relation` loader and return `[pages[key] for key in keys]`.

    - `stmt`: the children, filtered but not restricted to the parents (this function adds
      `parent IN parent_ids`); `parent`: the column holding a child's parent id.
    - `order_by`: as for `paginate` (ascending or `.desc()`, NOT NULL, the last key unique).
    - `build(row)` receives a row of `stmt`'s columns, followed by the helper columns
      `ogp_parent` and the sort keys (`_key0`...), and returns the node.
    - `first`/`after` (or backwards `last`/`before`, as for `paginate`) apply to every
      parent's page (the cursors are cursors of that connection).
    - `totalCount` of every page is the parent's total over all pages (ignoring `after`), from
      one grouped COUNT for all parents, run only if some `totalCount` is selected.

    Errors: `INVALID_ARGUMENT` (`first`, `last`), `INVALID_CURSOR` (`after`, `before`), as for
    `paginate`::

        async def load_meetings_by_group(
            ctx: Context, keys: list[int], first: int | None = None, after: str | None = None,
            last: int | None = None, before: str | None = None,
        ) -> list[Connection[Meeting]]:
            pages = await paginate_children(
                ctx.db, select(*MeetingRow.__table__.c), MeetingRow.group_id, keys,
                (MeetingRow.starts_at.desc(), MeetingRow.id.desc()), Meeting.from_row,
                first=first, after=after, last=last, before=before,
            )
            return [pages[key] for key in keys]

    On PostgreSQL each parent's page is a LATERAL subquery with its own LIMIT, so an index on
    (parent, sort keys) reads only the rows shown, however many children a parent has; SQLite,
    which has no LATERAL, numbers the rows with a window function instead.
    """
    request = page_request(first, after, last, before)
    keys = sort_keys(order_by)
    order = ordering(keys, backwards=request.backwards)
    parent_ids = list(dict.fromkeys(parent_ids))  # a parent listed twice gets its rows once
    stmt = stmt.order_by(None)  # the keys alone order each page, or the cursor would not follow
    filtered = _bounded(stmt, keys, request)
    if db.is_sqlite:
        rank = func.row_number().over(partition_by=parent, order_by=order).label("_rank")
        inner = (
            filtered.where(db.any_of(parent, parent_ids))
            .add_columns(rank, parent.label("ogp_parent"), *key_columns(keys))
            .subquery()
        )
        paged = (
            select(inner)
            .where(inner.c["_rank"] <= request.size + 1)
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
            .add_columns(parent.label("ogp_parent"), *key_columns(keys))
            .order_by(*order)
            .limit(request.size + 1)
            .lateral("page")
        )
        paged = select(page).select_from(parents).join(page, true())
    async with db.read() as conn:
        rows = (await conn.execute(paged)).all()
    counts = _GroupedCount(db, stmt, parent, parent_ids)
    grouped: dict[int, list[Row[Any]]] = {pid: [] for pid in parent_ids}
    for row in rows:
        grouped[row.ogp_parent].append(row)
    return {
        pid: _page(rs, request, len(keys), build, counts.of(pid)) for pid, rs in grouped.items()
    }
