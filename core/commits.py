"""The transactions that committed a write, counted per request: core.idempotency stores an
answer after which something was committed whatever it says (a retry must not run it again).

SQLAlchemy's transactions are counted by its engine events (`core.idempotency.track_commits`),
the driver's own (core.driver: its transactions, and a write that is one statement) by
`committed_write`.
"""

from __future__ import annotations

import contextvars

counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "idempotency_commits", default=None
)
"""The request's count (a one-item list), while core.idempotency counts; None otherwise."""


def committed_write() -> None:
    """One more transaction that wrote has committed (a no-op when nothing counts)."""
    if (count := counter.get()) is not None:
        count[0] += 1


def is_write(sql: str) -> bool:
    """Whether `sql` is an INSERT, UPDATE or DELETE (what a committed transaction wrote)."""
    return sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
