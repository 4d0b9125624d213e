"""Writes of the search domain: only `rebuild`. The index is otherwise written by the database's
own triggers (core/search/ddl.py), never by the application."""

from __future__ import annotations

from sqlalchemy import func, select, text

from core.db import Database
from core.search import ddl
from core.search.models import SearchDocument


async def rebuild(db: Database) -> int:
    """Index every source row anew, in one transaction: what to run after rows were written with
    the triggers off (a bulk load with `session_replication_role = replica`, SQLite's
    `.import` into a copy without triggers...). Returns the number of documents indexed."""
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    async with db.write() as conn:
        for statement in ddl.rebuild(dialect):
            await conn.execute(text(statement))
        count = await conn.scalar(select(func.count()).select_from(SearchDocument))
    return int(count or 0)
