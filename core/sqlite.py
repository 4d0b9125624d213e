"""The embedded database's connections: each one's pragmas, BEGIN left to SQLAlchemy's "begin"
event (so that a write can begin IMMEDIATE, `core.db.Database.write`), and the SQL functions the
compiled read path calls (core.compiled: global IDs in base64, floats printed as orjson does)."""

from __future__ import annotations

import base64
import math
from typing import Any

import orjson
from sqlalchemy.engine import Connection as SyncConnection

from core.storable import autocommit


def on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy's "begin" event (`on_begin`) emits BEGIN, so that writes can ask for IMMEDIATE
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The compiled read path builds global IDs in SQL; SQLite has no base64 (core.compiled)
    dbapi_connection.create_function("ogp_b64url", 1, _b64url, deterministic=True)
    # ... and prints floats as orjson does (core.compiled.floats)
    dbapi_connection.create_function("ogp_float_json", 1, _float_json, deterministic=True)
    # ... and fails a statement on a value its SQL does not print (not deterministic: never
    # evaluated before the CASE that chooses it)
    dbapi_connection.create_function("ogp_unrepresentable", 1, _unrepresentable)


def _b64url(text: str | None) -> str | None:
    """urlsafe base64 of UTF-8 text, without padding (core.schema.ids.to_global_id's)."""
    if text is None:
        return None
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _float_json(value: float | int | None) -> str:
    """`orjson.dumps` of a REAL as the resolver path prints a GraphQL Float: `null` for NULL, an
    integer as a float; raises for anything else (NaN, infinity, text: no GraphQL Float), which
    fails the compiled statement, and its root field is answered by the resolver path."""
    if value is None:
        return "null"
    number = float(value) if type(value) is int else value
    if type(number) is not float or not math.isfinite(number):
        raise ValueError("not a finite float")
    return orjson.dumps(number).decode()


def _unrepresentable(_value: object) -> str:
    """Raises: a compiled statement met a value its SQL does not print (core.compiled)."""
    raise ValueError("a value the compiled statement does not print")


def on_begin(conn: SyncConnection) -> None:
    options = conn.get_execution_options()
    if autocommit(options):
        return  # reads: each statement is its own snapshot, no BEGIN round trip
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")
