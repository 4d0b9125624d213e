"""How `ogp-wg` words a failure: one line that names the fix (the exit status is non-zero).

The command modules raise their own errors with such a message; what comes from below them (the
database driver, SQLAlchemy) is recognised here: a database that cannot be reached, and one whose
tables do not exist yet.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

NOT_MIGRATED_SQLSTATES = frozenset({"42P01"})  # undefined_table
UNREACHABLE_SQLSTATES = frozenset({"3D000", "28000", "28P01", "57P03"})
"""No such database, authentication failed, the server is starting or shutting down."""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reason(exc: BaseException) -> str:
    """The driver's own words (first line), not SQLAlchemy's wrapper with its link."""
    for cause in reversed(list(_chain(exc))):
        words = str(cause).strip().splitlines()
        if words and words[0].strip():
            return _one_line(words[0])
    return type(exc).__name__


def _not_migrated(exc: BaseException) -> bool:
    for cause in _chain(exc):
        if getattr(cause, "sqlstate", None) in NOT_MIGRATED_SQLSTATES:
            return True
        if isinstance(cause, sqlite3.OperationalError) and "no such table" in str(cause):
            return True
    return False


def _unreachable(exc: BaseException) -> bool:
    from core.db_faults import is_database_fault

    if is_database_fault(exc):
        return True
    for cause in _chain(exc):
        if getattr(cause, "sqlstate", None) in UNREACHABLE_SQLSTATES:
            return True
        if isinstance(cause, ConnectionError | TimeoutError):
            return True
        if isinstance(cause, OSError) and cause.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH):
            return True
        if isinstance(cause, sqlite3.OperationalError) and "unable to open" in str(cause):
            return True
    return False


def describe(exc: BaseException, database: str | None) -> str:
    """The one line printed after `ogp-wg: error: ` for `exc`; `database` (password hidden)
    names the database the command used, if it got that far."""
    from core.backup import BackupError
    from core.cli_db import CommandError
    from core.config import ConfigError
    from core.migrate import MigrationError
    from core.plugin_removal import DropRefused
    from core.plugins import PluginError

    known = (ConfigError, PluginError, MigrationError, DropRefused, BackupError, CommandError)
    if isinstance(exc, known):
        return _one_line(str(exc))
    where = f" {database}" if database else ""
    if _not_migrated(exc):
        return f"the database{where} is not migrated: run `ogp-wg db upgrade` first"
    if any(getattr(cause, "sqlstate", None) == "3D000" for cause in _chain(exc)):
        return (
            f"the database{where} does not exist ({_reason(exc)}): create it (PostgreSQL: "
            f"`createdb <name>`), or correct database_url (OGP_WG_DATABASE_URL or ogp-wg.toml)"
        )
    if _unreachable(exc):
        return (
            f"cannot reach the database{where} ({_reason(exc)}): start it, or correct "
            f"database_url (OGP_WG_DATABASE_URL or ogp-wg.toml)"
        )
    return _one_line(f"{type(exc).__name__}: {exc}")
