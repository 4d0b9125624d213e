"""The optional read replica (setting `database_replica_url`, issue 12): queries read from it.

Where each database access goes when a replica is configured (`core.db.Database` holds both
engines; `core.db.replica_reads` chooses, per task):

- a query operation (HTTP GET or POST, each operation of a batch): every read of its execution,
  on the replica (`ReplicaReads` below sets `replica_reads` around the execution);
- a mutation: its writes and every read it makes, during its transaction and after it (the
  payload's fields included), on the primary, so the payload shows what was just written;
- subscriptions (their LISTEN and the reads of each event), the authentication of a request,
  idempotency keys, `/readyz`'s migration status, the iCalendar and CSV routes, the CLI,
  migrations and background jobs: the primary (nothing sets `replica_reads` for them).

Replication lag: a query that follows a mutation, even from the same client, may be served by a
replica that has not replayed that mutation yet, and then answers as before it. This module
does not hide that (no sticky sessions: workers keep no state between requests); a client that
must see its own write reads it from the mutation's payload (read on the primary). docs/deploy.md
says what is guaranteed. `probe(db)` measures the lag for `/readyz`, which reports it and never
fails because of it: a replica that answers is ready, one that does not is not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from core.db import Database, replica_reads

REPLICA_STATE = text(
    "SELECT pg_is_in_recovery() AS standby,"
    " pg_wal_lsn_diff(CAST(CAST(:primary AS text) AS pg_lsn), pg_last_wal_replay_lsn())"
    " AS lag_bytes,"
    " EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) AS lag_seconds"
)
"""On the replica: is it a standby, how many WAL bytes behind the primary's position it is
(NULL if it is no streaming standby), and seconds since the last transaction it replayed."""


class ReplicaReads(SchemaExtension):
    """While a query operation executes, `Database.read()` reads from the replica; mutations
    and subscriptions keep the primary. Installed (first of the extensions, so it also wraps
    what other extensions read during execution) only when a replica is configured."""

    async def on_execute(self) -> AsyncIterator[None]:
        is_query = self.execution_context.operation_type is OperationType.QUERY
        token = replica_reads.set(is_query)
        try:
            yield
        finally:
            replica_reads.reset(token)


async def probe(db: Database) -> dict[str, Any] | None:
    """The replica's state for `/readyz`, None when there is no replica:
    `{"status": "reachable", "standby": bool, "lagBytes": int | None, "lagSeconds": float | None}`.

    `lagBytes`: WAL bytes the replica has still to replay to reach the primary's current
    position (0: caught up; None: no streaming standby, e.g. a logical replica). `lagSeconds`:
    seconds since the last transaction it replayed, only given while it lags (an idle primary
    commits nothing, so that age alone says nothing). Raises whatever the connections raise
    (`core.db_faults.DatabaseUnavailable`) when the primary or the replica does not answer.
    """
    if db.replica_engine is None:
        return None
    async with db.read() as conn:  # replica_reads is unset here: the primary
        position = (await conn.execute(text("SELECT pg_current_wal_lsn()::text"))).scalar_one()
    async with db.replica_engine.connect() as conn:
        row = (await conn.execute(REPLICA_STATE, {"primary": position})).one()
    lag_bytes = None if row.lag_bytes is None else max(int(row.lag_bytes), 0)
    lagging = lag_bytes is not None and lag_bytes > 0 and row.lag_seconds is not None
    return {
        "status": "reachable",
        "standby": bool(row.standby),
        "lagBytes": lag_bytes,
        "lagSeconds": round(float(row.lag_seconds), 3) if lagging else None,
    }
