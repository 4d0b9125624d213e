"""What one GraphQL operation may use at run time: time (the execution timeout) and connections.

`OperationBudget.run(work, sub_response)` runs one operation (parse, validation, execution):

- with a `core.connection_share.ConnectionShare` installed, so the operation and every task it
  starts (loaders, counts) hold at most `connections` pool connections at once; a heavy query
  waits for its own connections and other clients keep theirs (setting
  `database_connections_per_request`);
- under a deadline of `seconds` (setting `execution_timeout`, default 10 s). When it passes, the
  operation's task is cancelled (its write transaction, if any, rolls back), every other task of
  the request still waiting for or holding a connection is cancelled too (on PostgreSQL asyncpg
  asks the server to cancel the running statement), later database work of the request is
  refused, and the answer is HTTP 504 with
  `{"errors": [{"message", "extensions": {"code": "TIMEOUT", "timeoutSeconds"}}]}`.

On SQLite a statement already running in the driver's thread finishes there (SQLite cannot be
interrupted from asyncio); its result is dropped and a write still rolls back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from strawberry.types import ExecutionResult

from core.connection_share import ConnectionShare, connection_share
from core.errors import api_error

log = logging.getLogger("ogp_wg")
TIMEOUT_STATUS = 504
CANCEL_GRACE = 2.0
"""Seconds to wait, after the deadline, for the request's other tasks to let go of connections."""


@dataclass(frozen=True)
class OperationBudget:
    """The execution timeout (`seconds`) and the pool share (`connections`) of one operation."""

    seconds: float
    connections: int

    async def run(
        self, work: Callable[[], Awaitable[ExecutionResult]], sub_response: Any
    ) -> ExecutionResult:
        """`await work()` within the budget; past the deadline, a TIMEOUT result (and HTTP 504
        on `sub_response`, strawberry's temporal response) instead of the operation's own."""
        share = ConnectionShare(self.connections)
        token = connection_share.set(share)
        deadline = asyncio.timeout(self.seconds)
        try:
            async with deadline:
                result = await work()
        except TimeoutError:
            if not deadline.expired():
                raise  # some other timeout, not ours: the operation's own error handling
        finally:
            connection_share.reset(token)
        # Expired without a TimeoutError too: cleanup code that raised while the cancellation
        # unwound (a driver's "connection invalid") may have replaced it with a field error.
        if not deadline.expired():
            return result
        await share.close(CANCEL_GRACE)
        log.warning("operation stopped after the execution timeout (%gs)", self.seconds)
        sub_response.status_code = TIMEOUT_STATUS
        message = (
            f"The operation took longer than {self.seconds:g} s and was stopped; nothing it "
            "would have written was kept. Ask for less (smaller pages, fewer fields)."
        )
        error = api_error("TIMEOUT", message, timeoutSeconds=self.seconds)
        return ExecutionResult(data=None, errors=[error])
