"""Metrics under several workers: prometheus-client's multiprocess mode, for
`ogp-wg serve --workers N` (`prepare_multiprocess`) and for the worker answering /metrics
(`mark_dead_workers`). See `core.observability.metrics`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client import multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

_PID = re.compile(r"_(\d+)\.db$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not one of our workers, but alive
        return True
    try:  # a worker that died but was not reaped yet is a zombie (Linux: state Z)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def mark_dead_workers(directory: str) -> list[int]:
    """Mark every worker whose process is gone as dead (prometheus-client's
    `mark_process_dead`: its live gauges stop counting); returns their pids."""
    dead = set()
    for path in Path(directory).glob("gauge_live*.db"):
        found = _PID.search(path.name)
        if found and int(found[1]) != os.getpid() and not _alive(int(found[1])):
            dead.add(int(found[1]))
    for pid in sorted(dead):
        multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]
    return sorted(dead)


@contextmanager
def prepare_multiprocess(enabled: bool = True) -> Iterator[Path | None]:
    """For `ogp-wg serve --workers N`, around the supervisor, before any worker starts: a
    fresh PROMETHEUS_MULTIPROC_DIR for the workers to inherit. An operator's own directory
    (the variable already set) is emptied of earlier runs' files and kept; otherwise a new
    temporary one is made and removed at the end. Yields the directory (None if not enabled).
    """
    if not enabled:
        yield None
        return
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        directory = Path(given)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):  # values of processes that are gone
            stale.unlink()
        yield directory
        return
    directory = Path(tempfile.mkdtemp(prefix="ogp-wg-metrics-"))
    os.environ[MULTIPROC_ENV] = str(directory)
    try:
        yield directory
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(directory, ignore_errors=True)
