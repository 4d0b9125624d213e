"""The server's PostgreSQL connections use `database_plan_cache_mode` (core.config):
`force_generic_plan` by default (why: the setting's docstring; tests/test_query_plans.py holds
generic plans to its index rules), another mode when configured. Read back from the database
through the app's own pool, for the default and for PostgreSQL's own `auto`.
PostgreSQL only: SQLite has no such setting.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.app import create_app
from core.testing import PG_URL, settings_for

pytestmark = pytest.mark.skipif(PG_URL is None, reason="PostgreSQL's setting")


@pytest.mark.parametrize(
    ("configured", "expected"),
    [({}, "force_generic_plan"), ({"database_plan_cache_mode": "auto"}, "auto")],
)
async def test_connections_use_the_configured_plan_cache_mode(
    configured: dict[str, str], expected: str
) -> None:
    assert PG_URL is not None
    db = create_app(settings_for(PG_URL, **configured)).state.ogp.db
    try:
        for _ in range(2):  # the connection handed out again keeps it
            async with db.read() as conn:
                assert await conn.scalar(text("SHOW plan_cache_mode")) == expected
    finally:
        await db.dispose()
