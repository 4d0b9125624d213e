"""A real `ogp-wg serve` process for tests that need a socket: audits, disconnects, faults.

    with live_server(database_url, {"OGP_WG_DATABASE_STATEMENT_TIMEOUT": "2"}) as server:
        httpx.get(f"{server.url}/readyz")

The process gets a free port, the given database and settings (as `OGP_WG_*` variables, as an
operator sets them), and is stopped (SIGTERM, then SIGKILL) when the block ends. Its output is
kept in `server.log()` for assertion messages.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def live_server(
    database_url: str, env: Mapping[str, str] | None = None, *, ready_within: float = 60
) -> Iterator[Server]:
    """Serve `database_url` until the block ends; waits until /healthz answers."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="ogp-wg-live-"))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    environ.update(OGP_WG_DATABASE_URL=database_url, OGP_WG_PORT=str(port), **(env or {}))
    log_path = workdir / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [OGP_WG, "serve"], cwd=workdir, env=environ, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(process, port, log_path)
    try:
        deadline = time.monotonic() + ready_within
        while True:
            assert process.poll() is None, f"ogp-wg serve exited: {server.log()}"
            try:
                if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"ogp-wg serve did not start: {server.log()}"
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
