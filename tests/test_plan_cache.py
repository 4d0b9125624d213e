"""The server's PostgreSQL connections use `database_plan_cache_mode` (core.config): generic plans
by default, each prepared statement planned once per connection rather than on each request
(why: the setting's docstring; tests/test_query_plans.py EXPLAINs the plans in that mode). Read
back from the database through the app's own pool, for the default and for `auto`.
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
