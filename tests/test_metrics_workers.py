"""/metrics under `ogp-wg serve --workers 2` (issue 11 point 2): prometheus-client's multiprocess
mode, with real worker processes on both databases.

- requests served by both workers are summed by whichever worker answers /metrics (each
  worker's own files are read apart to show that both served some);
- the directory is fresh: values left by an earlier run are gone, and a directory the server
  made itself is removed when it stops;
- a worker killed with SIGKILL is marked dead: its gauges (pool size, build info) stop counting
  once uvicorn has replaced it, its counters stay in the sums; at shutdown every worker marks
  itself dead.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.server_process import LiveServer, running_server

pytestmark = pytest.mark.slow  # real server processes, started and stopped

QUERY = {"query": "query GroupNames { workingGroups(first: 3) { edges { node { id } } } }"}
REQUESTS = "ogp_wg_graphql_requests_total"
WITHIN = 60.0  # seconds for uvicorn to replace a killed worker on a loaded machine
_PID = re.compile(r"_(\d+)\.db$")


def scrape(server: LiveServer) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    # a new connection each time: any worker may answer
    response = httpx.get(f"{server.base_url}/metrics", headers={"connection": "close"})
    assert response.status_code == 200, response.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def total(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str) -> float:
    return sum(v for (found, _), v in samples.items() if found == name)


async def send(server: LiveServer, count: int) -> None:
    """`count` GraphQL requests, 10 at a time, each on a connection of its own."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=30) as http:
        for start in range(0, count, 10):
            batch = range(start, min(start + 10, count))
            answers = await asyncio.gather(*(http.post("/graphql", json=QUERY) for _ in batch))
            assert all(a.status_code == 200 for a in answers), [a.text for a in answers]


def pids_in(directory: Path, pattern: str) -> set[int]:
    return {int(m[1]) for path in directory.glob(pattern) if (m := _PID.search(path.name))}


def counted_by_each(directory: Path, scratch: Path) -> dict[int, float]:
    """GraphQL requests per worker, each worker's files read on their own."""
    counts = {}
    for pid in pids_in(directory, "counter_*.db"):
        own = scratch / str(pid)
        own.mkdir(parents=True)
        for path in directory.glob(f"*_{pid}.db"):
            shutil.copy(path, own / path.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(own))
        counts[pid] = sum(
            sample.value
            for family in registry.collect()
            for sample in family.samples
            if sample.name == REQUESTS
        )
    return counts


def stale_values(directory: Path) -> None:
    """What a run before this one left: 1000 requests of a process that is gone."""
    code = (
        "from prometheus_client import Counter\n"
        "c = Counter('ogp_wg_graphql_requests', 'x', ['operation', 'type', 'outcome'])\n"
        "c.labels('Stale', 'query', 'ok').inc(1000)\n"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert list(directory.glob("counter_*.db"))


def _both_counted(per_worker: dict[int, float]) -> bool:
    return len(per_worker) == 2 and all(per_worker.values())


def test_workers_are_summed_and_dead_ones_marked(
    empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    stale_values(directory)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))  # the operator's own
    with running_server(empty_db, tmp_path, workers=2) as server:
        assert "Stale" not in str(scrape(server))  # emptied before the workers started
        sent = 0
        # until both workers counted a request (a worker's file may exist before it has any)
        while not _both_counted(counted_by_each(directory, tmp_path / f"read{sent}")):
            assert sent < 400, "every request went to one worker"
            asyncio.run(send(server, 20))
            sent += 20
        per_worker = counted_by_each(directory, tmp_path / "final")
        assert len(per_worker) == 2 and all(per_worker.values())
        assert sum(per_worker.values()) == sent
        for _ in range(6):  # whichever worker answers, it reports both
            samples = scrape(server)
            assert total(samples, REQUESTS) == sent
            labels = {"operation": "GroupNames", "outcome": "ok", "type": "query"}
            assert samples[(REQUESTS, tuple(sorted(labels.items())))] == sent
        pool_size = total(samples, "ogp_wg_db_pool_size")  # both workers' pools
        assert pool_size > 0 and pool_size % 2 == 0
        assert total(samples, "ogp_wg_build_info") == 1  # the same build: one series

        # a worker killed: uvicorn starts another; the dead one's gauges stop counting
        killed = min(pids_in(directory, "gauge_livesum_*.db"))
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + WITHIN
        while True:
            samples = scrape(server)
            live = pids_in(directory, "gauge_livesum_*.db")
            replaced = killed not in live and len(live) == 2
            if replaced and total(samples, "ogp_wg_db_pool_size") == pool_size:
                break
            assert time.monotonic() < deadline, (live, killed, server.output())
            time.sleep(0.5)
        assert total(samples, REQUESTS) == sent  # what the dead worker counted stays
    assert server.process.returncode == 0, server.output()
    assert not list(directory.glob("gauge_live*.db"))  # each worker marked itself dead
    assert list(directory.glob("counter_*.db"))  # an operator's directory is kept


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_serve_makes_and_removes_its_own_directory(
    empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    with running_server(empty_db, tmp_path, workers=2) as server:
        directories = set()
        for child in _children(server.process.pid):
            environ = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
            found = [e for e in environ if e.startswith(b"PROMETHEUS_MULTIPROC_DIR=")]
            directories |= {Path(e.partition(b"=")[2].decode()) for e in found}
        (directory,) = directories  # one, shared by the workers
        assert directory.is_dir()
        asyncio.run(send(server, 30))
        for _ in range(4):
            assert total(scrape(server), REQUESTS) == 30
    assert server.process.returncode == 0, server.output()
    assert not directory.exists()
