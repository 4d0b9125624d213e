"""Every table of a database, row by row: what "no row lost" and "nothing written" compare.

The tables are read from the database itself (not from the models), so a table that no model of
the running configuration declares (a disabled plugin's, `alembic_version`, the registry) is
compared too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text

from core.db import Database

Snapshot = dict[str, list[tuple[Any, ...]]]


async def table_rows(url: str, *, skip: frozenset[str] = frozenset()) -> Snapshot:
    """{table: its rows as tuples, in a stable order} for every table but those in `skip`."""
    db = Database(url)
    try:
        async with db.read() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            found: Snapshot = {}
            for name in sorted(set(names) - skip):
                rows = (await conn.execute(text(f'SELECT * FROM "{name}"'))).all()
                found[name] = sorted((tuple(row) for row in rows), key=repr)
            return found
    finally:
        await db.dispose()


def counts(snapshot: Snapshot) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot.items()}


def differences(before: Snapshot, after: Snapshot, skip: set[str] | None = None) -> list[str]:
    """One line per table that differs: tables gained or lost, rows gained or lost (tables in
    `skip` left out)."""
    before = {k: v for k, v in before.items() if k not in (skip or ())}
    after = {k: v for k, v in after.items() if k not in (skip or ())}
    lines = [f"table {name} is gone" for name in sorted(set(before) - set(after))]
    lines += [f"table {name} is new" for name in sorted(set(after) - set(before))]
    for name in sorted(set(before) & set(after)):
        old, new = before[name], after[name]
        if old != new:
            lost = [row for row in old if row not in new]
            gained = [row for row in new if row not in old]
            lines.append(
                f"{name}: {len(lost)} rows lost {lost[:3]}, {len(gained)} gained {gained[:3]}"
            )
    return lines


def lost(before: Snapshot, after: Snapshot) -> list[str]:
    """One line per table of `before` that is gone or misses rows it had (gains allowed)."""
    lines = [f"table {name} is gone" for name in sorted(set(before) - set(after))]
    for name in sorted(set(before) & set(after)):
        missing = [row for row in before[name] if row not in after[name]]
        if missing:
            lines.append(f"{name}: {len(missing)} rows lost {missing[:3]}")
    return lines


async def table_columns(url: str) -> dict[str, list[str]]:
    """{table: its column names, in the order `table_rows` gives their values}."""
    db = Database(url)
    try:
        async with db.read() as conn:

            def read(sync: Any) -> dict[str, list[str]]:
                inspector = inspect(sync)
                return {
                    name: [column["name"] for column in inspector.get_columns(name)]
                    for name in inspector.get_table_names()
                }

            return await conn.run_sync(read)
    finally:
        await db.dispose()


def on_columns(
    snapshot: Snapshot, columns: dict[str, list[str]], kept: dict[str, list[str]]
) -> Snapshot:
    """`snapshot` (whose tables have `columns`) with each row cut down to the columns `kept`
    names, for the tables `kept` has: rows from after a migration that added columns, compared
    with rows from before it."""
    cut: Snapshot = {}
    for name, rows in snapshot.items():
        if name not in kept:
            cut[name] = rows
            continue
        at = [columns[name].index(column) for column in kept[name] if column in columns[name]]
        cut[name] = sorted((tuple(row[i] for i in at) for row in rows), key=repr)
    return cut
