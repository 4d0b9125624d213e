"""A PostgreSQL cluster of the test session's own, on a free port, to stop, hang and start.

    cluster = Cluster.create()          # initdb + start; None when no PostgreSQL binaries
    cluster.url                         # postgresql+asyncpg://postgres@127.0.0.1:<port>/postgres
    cluster.stop(); cluster.start()     # pg_ctl stop -m fast / start
    cluster.hang(); cluster.resume()    # SIGSTOP / SIGCONT to the postmaster and its backends
    cluster.destroy()

The binaries come from `OGP_WG_TEST_PG_BIN`, else /usr/lib/postgresql/15/bin, else
`pg_config --bindir`. initdb refuses to run as root: then every command runs as the `postgres`
system user (`runuser -u postgres --`), which owns the cluster's directory (a new one in the
system's temporary directory: pytest's are private to root).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.live_server import free_port

DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")


def find_bindir() -> Path | None:
    for candidate in (os.environ.get("OGP_WG_TEST_PG_BIN"), DEFAULT_BIN):
        if candidate and (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        bindir = Path(found.stdout.strip())
        if (bindir / "initdb").is_file():
            return bindir
    return None


@dataclass
class Cluster:
    root: Path
    port: int
    bindir: Path
    run_as: str | None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def create(cls) -> Cluster | None:
        """A new cluster in a new temporary directory, started; None without the binaries."""
        bindir = find_bindir()
        if bindir is None:
            return None
        run_as = "postgres" if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="ogp-wg-pg-"))
        if run_as:
            shutil.chown(root, user=run_as)
        cluster = cls(root, free_port(), bindir, run_as)
        cluster._run(
            "initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        cluster.start()
        return cluster

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{tool} failed: {done.stdout}{done.stderr}"

    def _pg_ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=60"
        )
        log = str(self.root / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", *args)

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").is_file()

    def pids(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer, ...)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == postmaster:  # the parent's pid, after the state
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def _signal(self, sig: signal.Signals) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def hang(self) -> None:
        """Freeze the server: it accepts TCP connections (the kernel does) but answers nothing."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.running():
            self._signal(signal.SIGCONT)

    def destroy(self) -> None:
        self.resume()
        if self.running():
            self._pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
