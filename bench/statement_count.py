"""SQL statements per request for the group page, with 5 and with 50 groups (SQLite).

    PYTHONPATH=. .venv/bin/python bench/statement_count.py

Reads the `x-sql-statements` header the app sets in debug mode; on the resolver path (the
compiled one answers the page in one statement), the same page must cost the same number of
statements whatever the list length (tests/test_foundations.py asserts it).
"""

from __future__ import annotations

import asyncio
import tempfile

from core.db import Database
from core.migrate import upgrade
from core.plugins import make_plugin_manager
from core.testing import ClientFactory, settings_for
from tests.test_foundations import PAGE, _seed_groups


async def main() -> None:
    url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    db = Database(url)
    await upgrade(db, make_plugin_manager(settings_for(url)))
    await db.dispose()
    await _seed_groups(url, 50)
    factory = ClientFactory()
    client = factory(url, debug=True, compiled_reads=False)  # the resolver path's loading
    for first in (5, 50):
        response = await client.post(PAGE, {"first": first})
        print(f"{first:>3} groups: {response.headers['x-sql-statements']} SQL statements")
    await factory.close()


if __name__ == "__main__":
    asyncio.run(main())
