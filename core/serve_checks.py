"""What `ogp-wg serve` checks before it says "serving": the database, its migrations, the port.

Each failure is a `CommandError` whose message is one line naming the fix.
"""

from __future__ import annotations

import asyncio
import errno
import socket

from core.cli_db import CommandError, require_migrated
from core.config import Settings


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) and listening, handed to uvicorn as is, so nothing can
    take the port between this check and serving. Raises CommandError (in use, not allowed,
    no such address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # as uvicorn does: a port left in TIME_WAIT by a previous run is free, one listened on is not
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        change = "choose another with --port N (or port in ogp-wg.toml, OGP_WG_PORT)"
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                f"port {port} on {host} is already in use by another process: stop it, or {change}"
            ) from None
        if exc.errno == errno.EACCES:
            raise CommandError(
                f"not allowed to listen on port {port} (below 1024 needs privileges): {change}"
            ) from None
        raise CommandError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}): correct --host "
            f"(or host in ogp-wg.toml, OGP_WG_HOST), or {change}"
        ) from None
    # listening now: a client that connects once "serving" is printed waits in the backlog
    # until uvicorn accepts, instead of being refused
    sock.listen(2048)
    sock.set_inheritable(True)  # worker processes serve on it
    return sock


def check_database(settings: Settings) -> None:
    """The database answers and every installed migration is applied; else CommandError
    (unreachable: raised by the database layer and worded by `core.cli`)."""
    from core.db import Database
    from core.plugins import make_plugin_manager

    plugins = make_plugin_manager(settings)

    async def run() -> None:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
        finally:
            await db.dispose()

    asyncio.run(run())
