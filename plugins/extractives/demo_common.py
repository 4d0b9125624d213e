"""Shared parts of the extractives demo (demo.py and its demo_* modules): the day the sources were
read, the illustrative marker, and the idempotent insert every demo module uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

ILLUSTRATIVE = "(illustrative)"
RETRIEVED = date(2026, 11, 30)  # the day the sources below were read
EITI = "https://eiti.org"


async def insert_missing(
    conn: AsyncConnection, model: Any, key: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Insert the rows whose natural key (`key` columns) is not in the table yet."""
    columns = [model.__table__.c[name] for name in key]
    existing = {tuple(r) for r in await conn.execute(select(*columns))}
    missing = [row for row in rows if tuple(row[name] for name in key) not in existing]
    if missing:
        await conn.execute(insert(model), missing)


def sourcing(url: str | None) -> dict[str, Any]:
    """A row read on `url` today, or an illustrative one (None)."""
    if url is None:
        return {"source_url": None, "retrieved_on": None, "illustrative": True}
    return {"source_url": url, "retrieved_on": RETRIEVED, "illustrative": False}
