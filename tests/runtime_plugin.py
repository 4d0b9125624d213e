"""A test-only plugin with fields that take time or hold connections (installed in-process).

Used by the runtime-limit tests (execution timeout, a request's share of the pool). Built through
the public API (`core`) like any partner's plugin:

- `slowRead(seconds)`: holds a connection for `seconds` (PostgreSQL: `pg_sleep` in the server);
- `heldConnection(key)`: holds a connection until the test releases `key` (`release(key)`), and
  counts the connections its resolvers hold at once (`HOLDING`, `MOST_HELD`);
- `slowCountryRecord(code, seconds)`: inserts a country, then waits `seconds` inside the same
  transaction (PostgreSQL: in the server), so a timeout must roll the insert back.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import strawberry
from sqlalchemy import text
from strawberry.types import Info

from core import Theme, hookimpl, in_transaction, insert_row, models, types

KEY = "runtime"
EVENTS: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
HOLDING = [0]
MOST_HELD = [0]


def reset() -> None:
    """Forget the events and counts of the previous test (each test runs its own event loop)."""
    EVENTS.clear()
    HOLDING[0] = MOST_HELD[0] = 0


def release(key: str) -> None:
    EVENTS[key].set()


async def wait(conn: Any, seconds: float) -> None:
    """Wait `seconds` holding `conn`: in the database server on PostgreSQL."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
    else:
        await conn.execute(text("SELECT 1"))
        await asyncio.sleep(seconds)


@strawberry.type
class RuntimeGroup(types.WorkingGroup):
    """The runtime theme's groups (none: the plugin adds only test fields)."""


@strawberry.type
class SlowCountryPayload:
    code: str | None = None


@strawberry.field(description="Test only: holds a connection for `seconds`.")
async def slow_read(info: Info, seconds: float) -> int:
    async with info.context.db.read() as conn:
        await wait(conn, seconds)
    return 1


@strawberry.field(description="Test only: holds a connection until the test releases `key`.")
async def held_connection(info: Info, key: str) -> int:
    async with info.context.db.read() as conn:
        await conn.execute(text("SELECT 1"))
        HOLDING[0] += 1
        MOST_HELD[0] = max(MOST_HELD[0], HOLDING[0])
        try:
            await EVENTS[key].wait()
        finally:
            HOLDING[0] -= 1
    return 1


@strawberry.mutation(description="Test only: inserts a country, then waits in the transaction.")
async def slow_country_record(info: Info, code: str, seconds: float) -> SlowCountryPayload:
    async def work(conn: Any) -> str:
        await insert_row(
            conn, models.Country, alpha2=code[:2], alpha3=code, name=f"Slow {code}", region="Test"
        )
        await wait(conn, seconds)
        return code

    done, _ = await in_transaction(info.context, work)
    return SlowCountryPayload(code=done)


class Plugin:
    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key=KEY, title="Runtime", summary="Test only.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        return RuntimeGroup

    @hookimpl
    def ogp_wg_query_fields(self) -> list[Any]:
        return [slow_read, held_connection]

    @hookimpl
    def ogp_wg_mutation_fields(self) -> list[Any]:
        return [slow_country_record]


plugin = Plugin()


def installed() -> dict[str, object]:
    """Every installed plugin plus this one, for `make_client(url, installed=...)`."""
    from core.plugins import discover

    return {**{key: found.obj for key, found in discover().items()}, KEY: plugin}
