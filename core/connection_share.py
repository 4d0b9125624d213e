"""The connections one request may hold at once (`ConnectionShare`), installed per GraphQL
operation by `core.timeouts` as `connection_share`; `core.db.Database` takes its permits."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


class ConnectionShare:
    """The connections one request may hold at once: `limit` permits, taken by `Database.read()`
    and `Database.write()` while this share is the current `connection_share`.

    A task that already holds a permit takes none for a nested read (no deadlock on a connection
    used inside another). `close()` stops the request's database work: tasks still waiting or
    holding a connection are cancelled (their transactions roll back) and later ones refused.
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a request needs at least one connection")
        self.limit = limit
        self._permits = asyncio.Semaphore(limit)
        self._holders: set[asyncio.Task[Any]] = set()
        self._users: set[asyncio.Task[Any]] = set()  # waiting for or holding a permit
        self.closed = False

    @asynccontextmanager
    async def permit(self) -> AsyncIterator[None]:
        """One permit for the current task for the duration of the block (none if it has one).
        Raises CancelledError once the share is closed: the request is over."""
        task = asyncio.current_task()
        if self.closed:
            raise asyncio.CancelledError("the request's database work was stopped")
        if task is None or task in self._holders:
            yield
            return
        self._users.add(task)
        try:
            async with self._permits:
                self._holders.add(task)
                try:
                    yield
                finally:
                    self._holders.discard(task)
        finally:
            self._users.discard(task)

    async def close(self, grace: float = 5.0) -> None:
        """Cancel every other task of the request that waits for or holds a connection, and wait
        (at most `grace` seconds) until they have let their connections go (rolled back)."""
        self.closed = True
        current = asyncio.current_task()
        others = [
            task
            for task in self._users
            if task is not current and not task.done() and not task.cancelling()
        ]
        for task in others:
            task.cancel()
        if others:
            await asyncio.wait(others, timeout=grace)


connection_share: contextvars.ContextVar[ConnectionShare | None] = contextvars.ContextVar(
    "connection_share", default=None
)
"""The current request's share of the pool; tasks a request spawns inherit it."""
