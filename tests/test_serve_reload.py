"""SIGHUP reloads of `ogp-wg serve --workers 2` on a loaded host (issue 11 review): uvicorn gives
each new worker 5 s to be ready, then abandons the reload; `worker_ready_timeout` (60 s by
default) is what `serve` gives it instead.

A loaded host is made real, not imitated: the reload's first new worker is stopped (SIGSTOP,
as a starved process is: not scheduled) for longer than uvicorn's 5 s, then continued. With the
default the reload waits and every worker is replaced; with `worker_ready_timeout = 3` it is
abandoned, the log says so, and the old workers keep serving. Requests are answered throughout.
Both databases (the `empty_db` fixture)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.server_process import LiveServer, running_server

pytestmark = pytest.mark.slow  # real server processes, a stall longer than 5 s

STALL = 8.0  # seconds the new worker is not scheduled: more than uvicorn's 5
WITHIN = 90.0  # seconds for a reload to finish on a loaded machine
QUERY = {"query": "query Names { workingGroups(first: 1) { edges { node { id } } } }"}
ABANDONED = "was not ready in time"


def children(pid: int) -> set[int]:
    """The supervisor's workers, from /proc: its live children started by multiprocessing's
    spawn (not its resource tracker)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue  # gone meanwhile
        if int(parent) == pid and state != "Z" and b"spawn_main" in command:
            found.add(int(stat.parent.name))
    return found


def answers(server: LiveServer) -> None:
    # a new connection each time: any worker may answer
    response = httpx.post(server.graphql, json=QUERY, headers={"connection": "close"}, timeout=30)
    assert response.status_code == 200 and "errors" not in response.json(), response.text


def stall_the_next_worker(server: LiveServer, old: set[int]) -> int:
    """SIGHUP, then SIGSTOP for the first new worker as soon as it exists (before its start-up
    can finish: a worker takes seconds to import the app), continued after STALL seconds."""
    server.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while not (new := children(server.process.pid) - old):
        assert time.monotonic() < deadline, f"no new worker after SIGHUP:\n{server.output()}"
        time.sleep(0.01)
    (worker,) = new
    os.kill(worker, signal.SIGSTOP)
    try:
        end = time.monotonic() + STALL
        while time.monotonic() < end:
            answers(server)  # the old workers serve while the new one is stalled
            time.sleep(0.5)
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed by uvicorn: not ready in time
            os.kill(worker, signal.SIGCONT)
    return worker


def test_a_reload_waits_for_a_slow_worker(empty_db: str, tmp_path: Path) -> None:
    with running_server(empty_db, tmp_path, workers=2) as server:
        old = children(server.process.pid)
        assert len(old) == 2, old
        stalled = stall_the_next_worker(server, old)
        deadline = time.monotonic() + WITHIN
        while (now := children(server.process.pid)) & old or len(now) != 2:
            assert time.monotonic() < deadline, (old, now, server.output())
            assert ABANDONED not in server.output(), server.output()
            time.sleep(0.2)
        assert stalled in now  # the stalled one was waited for, not replaced
        answers(server)
        assert ABANDONED not in server.output()
    assert server.process.returncode == 0, server.output()


def test_a_reload_is_abandoned_after_worker_ready_timeout(empty_db: str, tmp_path: Path) -> None:
    with running_server(empty_db, tmp_path, workers=2, worker_ready_timeout="3") as server:
        old = children(server.process.pid)
        assert len(old) == 2, old
        stalled = stall_the_next_worker(server, old)
        deadline = time.monotonic() + WITHIN
        while ABANDONED not in server.output():
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.2)
        assert f"[{stalled}] {ABANDONED}" in server.output()
        time.sleep(1)
        assert children(server.process.pid) == old  # the old workers kept, the new one gone
        answers(server)
    assert server.process.returncode == 0, server.output()
