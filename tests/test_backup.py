"""`ogp-wg db backup` and `ogp-wg db restore` (issue 8, point 6), through the real console script.

A round trip gives back every table exactly (the demo data plus a row in every table the demo
leaves empty, `tests.every_table`; rows compared one by one, tables the backup did not have
removed), the restored database takes new writes (PostgreSQL's sequences come back too), and
a restore that cannot be done whole (a damaged file, a backup of the other kind of database, no
confirmation) changes nothing.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from core.db import Database
from tests.every_table import empty_tables, fill_every_table
from tests.snapshots import differences, table_rows

OGP_WG = str(Path(sys.executable).with_name("ogp-wg"))

pytestmark = pytest.mark.slow  # the real console script, pg_dump/psql


def ogp_wg(
    env: dict[str, str], cwd: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OGP_WG, *args], env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def env(demo_db: str, cli_env: dict[str, str]) -> Iterator[dict[str, str]]:
    yield {**cli_env, "OGP_WG_DATABASE_URL": demo_db}
    # the session's database is shared by the tests that follow: no table of ours stays behind
    asyncio.run(_execute(demo_db, "DROP TABLE IF EXISTS made_after_backup"))


async def _execute(url: str, *statements: str) -> None:
    db = Database(url)
    try:
        async with db.write() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await db.dispose()


def _damage(url: str) -> None:
    """Changes of every kind after the backup: rows deleted, changed, added, a new table."""
    asyncio.run(
        _execute(
            url,
            "DELETE FROM registrations",
            "UPDATE working_groups SET name = 'renamed after the backup'",
            "INSERT INTO organizations (name, kind) VALUES ('Added after the backup', 'CIVIL_SOCIETY')",
            "CREATE TABLE made_after_backup (id INTEGER PRIMARY KEY)",
        )
    )


def test_round_trip_gives_back_every_table(
    demo_db: str, env: dict[str, str], tmp_path: Path
) -> None:
    asyncio.run(fill_every_table(demo_db, tmp_path))
    before = asyncio.run(table_rows(demo_db))
    assert empty_tables(before) == []  # a row in every table, so each one is compared
    backup = tmp_path / "nested" / "ogp-wg.backup"

    done = ogp_wg(env, tmp_path, "db", "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert backup.is_file() and f"wrote {backup}" in done.stderr
    assert not backup.with_name(backup.name + ".partial").exists()

    _damage(demo_db)
    assert differences(before, asyncio.run(table_rows(demo_db)))

    done = ogp_wg(env, tmp_path, "db", "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert differences(before, asyncio.run(table_rows(demo_db))) == []

    # The restored database takes writes: ids continue after the restored rows.
    asyncio.run(
        _execute(
            demo_db, "INSERT INTO organizations (name, kind) VALUES ('After restore', 'GOVERNMENT')"
        )
    )
    after = asyncio.run(table_rows(demo_db))
    assert len(after["organizations"]) == len(before["organizations"]) + 1


def test_backup_of_a_busy_database_is_consistent(
    demo_db: str, env: dict[str, str], tmp_path: Path
) -> None:
    """A backup taken while a write transaction is open holds the committed state only."""
    before = asyncio.run(table_rows(demo_db))
    backup = tmp_path / "busy.backup"

    async def backup_during_open_write() -> subprocess.CompletedProcess[str]:
        db = Database(demo_db)
        try:
            async with db.engine.connect() as conn:
                transaction = await conn.begin()
                await conn.execute(text("DELETE FROM registrations"))
                done = await asyncio.to_thread(ogp_wg, env, tmp_path, "db", "backup", str(backup))
                await transaction.rollback()
                return done
        finally:
            await db.dispose()

    # Neither SQLite's writer (WAL) nor PostgreSQL's row locks stop the backup's reads.
    done = asyncio.run(backup_during_open_write())
    assert done.returncode == 0, done.stderr
    _damage(demo_db)
    assert ogp_wg(env, tmp_path, "db", "restore", str(backup), "--yes").returncode == 0
    assert differences(before, asyncio.run(table_rows(demo_db))) == []


def test_a_damaged_backup_changes_nothing(
    demo_db: str, env: dict[str, str], tmp_path: Path
) -> None:
    backup = tmp_path / "whole.backup"
    assert ogp_wg(env, tmp_path, "db", "backup", str(backup)).returncode == 0
    _damage(demo_db)
    damaged_state = asyncio.run(table_rows(demo_db))

    cut = tmp_path / "cut.backup"
    data = backup.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    done = ogp_wg(env, tmp_path, "db", "restore", str(cut), "--yes")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("ogp-wg: error: ")
    assert "Traceback" not in done.stderr
    assert differences(damaged_state, asyncio.run(table_rows(demo_db))) == []


def test_restore_refuses_what_it_cannot_restore(
    demo_db: str, env: dict[str, str], tmp_path: Path
) -> None:
    before = asyncio.run(table_rows(demo_db))
    other_kind = tmp_path / "other.backup"
    if "sqlite" in demo_db:
        other_kind.write_bytes(b"PGDMP" + os.urandom(100))
    else:
        import sqlite3

        sqlite3.connect(other_kind).execute(
            "CREATE TABLE alembic_version (version_num TEXT)"
        ).connection.commit()
    not_ours = tmp_path / "not-ours.backup"
    if "sqlite" in demo_db:
        import sqlite3

        sqlite3.connect(not_ours).execute("CREATE TABLE something (x)").connection.commit()
    else:
        not_ours.write_bytes(b"PGDMP" + os.urandom(100))

    cases = [
        (["restore", str(tmp_path / "missing.backup"), "--yes"], "no such backup file"),
        (["restore", str(other_kind), "--yes"], "is not a"),
        (["restore", str(not_ours), "--yes"], ""),
        (["restore", str(other_kind)], "not confirmed; nothing was restored"),
        (["backup", str(tmp_path)], "is a directory"),
    ]
    for args, message in cases:
        done = ogp_wg(env, tmp_path, "db", *args)
        assert done.returncode == 1, (args, done.stderr)
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("ogp-wg: error: ") and message in last, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
    assert differences(before, asyncio.run(table_rows(demo_db))) == []


def test_restore_asks_for_confirmation(demo_db: str, env: dict[str, str], tmp_path: Path) -> None:
    backup = tmp_path / "ask.backup"
    assert ogp_wg(env, tmp_path, "db", "backup", str(backup)).returncode == 0
    before = asyncio.run(table_rows(demo_db))
    _damage(demo_db)
    refused = ogp_wg(env, tmp_path, "db", "restore", str(backup), stdin="no\n")
    assert refused.returncode == 1 and "Type 'restore' to confirm" in refused.stdout
    done = ogp_wg(env, tmp_path, "db", "restore", str(backup), stdin="restore\n")
    assert done.returncode == 0, done.stderr
    assert differences(before, asyncio.run(table_rows(demo_db))) == []
