"""A real `ogp-wg serve` process for the tests that need one (concurrency, SIGTERM, restarts).

`running_server(url, tmp_path, workers=2)` starts the console script on a free port against the
test's database, waits until `/healthz` answers, and stops it with SIGTERM at the end (SIGKILL
only if it has not exited after a generous grace period). The server's output goes to a log file
that a failing test shows. `people_with_tokens` makes signed-in callers the way an operator would
(`core.auth.tokens.issue_token`, the staff role), directly in the test's database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import insert

from core.auth.staff import grant_staff
from core.auth.tokens import issue_token
from core.db import Database
from core.enums import OrganizationKind
from core.models import Organization, Person
from core.schema.ids import to_global_id

OGP_WG = str(Path(sys.executable).with_name("ogp-wg"))
SERVER_CONNECTIONS = "40"
"""PostgreSQL connections a test's server may hold, its workers together: the suite's other
xdist worker shares the PostgreSQL server (max_connections 100) with its own engines and, at
times, a server of its own. With the default budget (97) a two-worker server under a burst of
200 registrations may take nearly all of them; CI once answered one of those 200 with 503."""
START_TIMEOUT = 90.0  # seconds; a loaded CI machine imports slowly, a healthy start is ~2 s
STOP_TIMEOUT = 60.0


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    @property
    def graphql(self) -> str:
        return f"{self.base_url}/graphql"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def terminate(self) -> int:
        """SIGTERM, then wait for the exit status (SIGKILL after STOP_TIMEOUT: a test failure)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"the server ignored SIGTERM:\n{self.output()}") from None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(url: str, **settings: str) -> dict[str, str]:
    """The environment of the tests' process minus any OGP_WG_* setting, plus
    `database_max_connections` SERVER_CONNECTIONS (unless `settings` name one), plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env["OGP_WG_DATABASE_URL"] = url
    env["OGP_WG_DATABASE_MAX_CONNECTIONS"] = SERVER_CONNECTIONS
    env.update({f"OGP_WG_{key.upper()}": value for key, value in settings.items()})
    return env


def start_server(url: str, workdir: Path, *, workers: int = 1, **settings: str) -> LiveServer:
    """Start `ogp-wg serve` in `workdir` and wait for `/healthz`; `settings` are OGP_WG_*."""
    port = free_port()
    log = workdir / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [OGP_WG, "serve", "--port", str(port), "--workers", str(workers)],
            cwd=workdir,
            env=server_env(url, **settings),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )
    server = LiveServer(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"ogp-wg serve exited with {process.returncode}:\n{server.output()}"
            )
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise AssertionError(
        f"ogp-wg serve did not answer within {START_TIMEOUT} s:\n{server.output()}"
    )


@contextmanager
def running_server(
    url: str, workdir: Path, *, workers: int = 1, **settings: str
) -> Iterator[LiveServer]:
    server = start_server(url, workdir, workers=workers, **settings)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.terminate()


@dataclass(frozen=True)
class Caller:
    """A signed-in person: database id, global ID, and a read + write bearer token."""

    pk: int
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"}


async def people_with_tokens(
    url: str, count: int, *, staff: bool = False, label: str = "caller"
) -> list[Caller]:
    """`count` new people of a new civil-society organisation, each with a token (staff too if
    `staff`)."""
    db = Database(url)
    try:
        async with db.write() as conn:
            org = await conn.scalar(
                insert(Organization)
                .values(name=f"{label} organisation", kind=OrganizationKind.CIVIL_SOCIETY)
                .returning(Organization.id)
            )
            ids = (
                await conn.scalars(
                    insert(Person)
                    .values(
                        [{"name": f"{label} {i}", "organization_id": org} for i in range(count)]
                    )
                    .returning(Person.id)
                )
            ).all()
            callers = []
            for pk in sorted(ids):
                issued = await issue_token(conn, pk, name=label)
                if staff:
                    await grant_staff(conn, pk, "tests")
                callers.append(Caller(pk, to_global_id("Person", pk), issued.token))
            return callers
    finally:
        await db.dispose()
