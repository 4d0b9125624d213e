"""`ogp-wg db backup PATH` and `ogp-wg db restore PATH`: the whole database, online.

- SQLite: the online backup API (`sqlite3.Connection.backup`), page by page under SQLite's own
  locks, so the copy is consistent while the service keeps serving (WAL included). Restoring
  copies the backup into the live file the same way: one step, readers see the old or the new
  database, never a mix.
- PostgreSQL: `pg_dump --format=custom` (one snapshot, the service keeps running). Restoring
  turns the dump back into SQL with `pg_restore -f -` and runs it with `psql` in ONE transaction
  after dropping and recreating the `public` schema: it succeeds whole (the database is exactly
  the backup, tables the backup did not have included) or changes nothing.

The client tools are looked up on PATH, then in `/usr/lib/postgresql/<version>/bin` (newest
first); `pg_dump` must be at least the server's major version, and says so itself otherwise.
A restored database is at the backup's migration level: run `ogp-wg db upgrade` if the installed
code is newer.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
PG_TOOL_DIRS = Path("/usr/lib/postgresql")
VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to change."""


@dataclass(frozen=True)
class BackupResult:
    """`path` written or read, its `size` in bytes, and the `backend` (`sqlite`/`postgresql`)."""

    path: Path
    size: int
    backend: str


def backup(database_url: str, path: Path) -> BackupResult:
    """Write a consistent copy of the database at `database_url` to `path` (replaced if it
    exists, written to `path` + `.partial` first so a failed backup leaves no half file).

    Raises BackupError (unsupported URL, missing tool, the tool's own error message).
    """
    url = make_url(database_url)
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give a file name, e.g. {path}/ogp-wg.backup")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            backend = "sqlite"
            _sqlite_copy(_sqlite_file(url, must_exist=True), partial)
        elif url.get_backend_name() == "postgresql":
            backend = "postgresql"
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", *_pg_args(url)], url)  # fmt: skip
        else:
            raise BackupError(f"cannot back up a {url.get_backend_name()} database")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, path.stat().st_size, backend)


def restore(database_url: str, path: Path) -> BackupResult:
    """Replace every table of the database at `database_url` with the content of the backup
    at `path` (made by `backup` for the same kind of database). All or nothing.

    Raises BackupError (no such file, not a backup of this kind of database, tool errors).
    """
    url = make_url(database_url)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite backup (made by `ogp-wg db backup`)")
        _check_sqlite_backup(path)
        _sqlite_copy(path, _sqlite_file(url, must_exist=False))
    elif backend == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(
                f"{path} is not a PostgreSQL backup (pg_dump's custom format, made by "
                "`ogp-wg db backup`)"
            )
        script = _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", "-",
                       str(path)], url).stdout  # fmt: skip
        if f"CREATE TABLE public.{VERSION_TABLE} " not in script:
            raise BackupError(f"{path} is not a backup of an ogp-wg database (no {VERSION_TABLE})")
        reset = "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
        _run([_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
              *_pg_args(url)], url, stdin=reset + script)  # fmt: skip
    else:
        raise BackupError(f"cannot restore a {backend} database")
    return BackupResult(path, path.stat().st_size, backend)


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file(url: URL, *, must_exist: bool) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    file = Path(url.database)
    if must_exist and not file.is_file():
        raise BackupError(f"{file}: no such database file (run `ogp-wg db upgrade` first)")
    return file


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: consistent under concurrent writers, page by page."""
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target, timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite: {exc} (copying {source} to {target})") from exc


def _check_sqlite_backup(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: not a readable SQLite database ({exc})") from exc
    if found is None:
        raise BackupError(f"{path} is not a backup of an ogp-wg database (no {VERSION_TABLE})")


# --- PostgreSQL ---------------------------------------------------------------------------------


def _tool(name: str) -> str:
    """The PostgreSQL client program `name`: on PATH, else the newest installed version's."""
    found = shutil.which(name)
    if found:
        return found
    if PG_TOOL_DIRS.is_dir():
        versions = [d for d in PG_TOOL_DIRS.iterdir() if (d / "bin" / name).is_file()]
        for directory in sorted(versions, key=lambda d: _version_key(d.name), reverse=True):
            return str(directory / "bin" / name)
    raise BackupError(
        f"`{name}` (PostgreSQL client tools) not found on PATH or in {PG_TOOL_DIRS}/*/bin; "
        "install postgresql-client of the server's version"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _pg_args(url: URL) -> list[str]:
    """libpq connection options of a SQLAlchemy URL (the password goes through PGPASSWORD)."""
    args = [f"--dbname={url.database or 'postgres'}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    return args


def _run(argv: list[str], url: URL, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    try:
        done = subprocess.run(
            [argv[0], "--no-password", *argv[1:]],  # never prompt: fail with libpq's message
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise BackupError(f"cannot run {argv[0]}: {exc}") from exc
    if done.returncode != 0:
        tool = Path(argv[0]).name
        message = done.stderr.strip().splitlines()
        raise BackupError(f"{tool} failed: {message[0] if message else f'exit {done.returncode}'}")
    return done
