"""Group commit: work that concurrent requests hand in while one round of it runs goes together
in the next round (one statement, one round trip, one commit for all of them).

The database technique of the same name (PostgreSQL's `commit_delay`, InnoDB's group commit):
the first caller starts a round at once (no waiting for company: alone, it costs what running it
by itself would); callers arriving while that round runs wait for the next, which takes all of
them. Under load a round serves as many callers as arrived during one round trip (issue 12: the
audit log's row was one statement, one pool checkout and one commit per mutation).

Each round runs as a task outside any request's context (`contextvars.Context()`): it is no
one request's work (not counted as its statement, not cut by its timeout, not cancelled with
it), so a caller that is cancelled while it waits still has its item run.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from core import db_faults

if TYPE_CHECKING:
    from core.db import Database

T = TypeVar("T")
R = TypeVar("R")


class Group(Generic[T, R]):
    """`await group(item)` -> the result `run` gave `item` in the round that took it.

    `run(items)` -> one result per item, in order (it is awaited once per round, with
    `limit` items at most); an exception it raises is raised to every caller of that round (the
    same exception object to each).
    One Group serves one event loop at a time (a new loop starts it afresh: tests run several).
    """

    def __init__(self, run: Callable[[list[T]], Awaitable[Sequence[R]]], limit: int = 500) -> None:
        self._run = run
        self._limit = limit
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._rounds: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        rounds = self._rounds
        if rounds is not None and rounds.get_loop() is not loop:
            self._waiting, rounds = [], None  # left behind by a loop that is gone
        future: asyncio.Future[R] = loop.create_future()
        self._waiting.append((item, future))
        if rounds is None or rounds.done():  # done: cancelled before it ever ran
            rounds = loop.create_task(self._drain(), context=contextvars.Context())
        self._rounds = rounds
        return await future

    async def _drain(self) -> None:
        taken: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._waiting:
                taken = self._waiting[: self._limit]
                del self._waiting[: self._limit]
                try:
                    results = await self._run([item for item, _ in taken])
                except Exception as exc:
                    _settle(taken, exc)
                    continue
                for (_, future), result in zip(taken, results, strict=True):
                    if not future.done():  # a caller cancelled while it waited
                        future.set_result(result)
        except asyncio.CancelledError:  # the round itself cancelled (the loop shutting down)
            for _, future in [*taken, *self._waiting]:
                future.cancel()
            self._waiting = []
            raise
        except Exception as exc:  # a fault of the round's own (e.g. too few results)
            _settle([*taken, *self._waiting], exc)
            self._waiting = []
        finally:
            self._rounds = None


def _settle(callers: list[tuple[Any, asyncio.Future[Any]]], exc: Exception) -> None:
    """`exc` to each caller still waiting (one cancelled meanwhile has nothing to get)."""
    for _, future in callers:
        if not future.done():
            future.set_exception(exc)


class GroupedWrites:
    """`await writes(sql, parameters)`: one row of a write statement (`Database.write_many`'s
    SQL text and driver parameters), written in one transaction with the rows of the same `sql`
    that other callers hand in while a round of it runs (`Database.group`, named by `sql`).
    When a round fails for a row's own fault (e.g. a violated constraint), each of its rows is
    written alone, so a row is refused only for its own fault; a fault of the database fails
    the whole round (each row alone would only wait out the same timeout again). Raises what
    writing the row raised."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def __call__(self, sql: str, parameters: Sequence[Any]) -> None:
        failure = await self.db.group(sql, partial(self._write, sql))(parameters)
        if failure is not None:
            raise failure

    async def _write(self, sql: str, rows: list[Sequence[Any]]) -> list[Exception | None]:
        try:
            await self.db.write_many(sql, rows)
            return [None] * len(rows)
        except Exception as exc:
            if len(rows) == 1 or db_faults.is_database_fault(exc):
                return [exc] * len(rows)
        alone: list[Exception | None] = []
        for row in rows:
            try:
                await self.db.write_many(sql, [row])
                alone.append(None)
            except Exception as exc:
                alone.append(exc)
        return alone
