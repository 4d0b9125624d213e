"""The CI gate checks answers, not only instruction counts (issue 12, section 5).

`bench.gate_workload check` serves the gate's mix natively (the same requests `make gate` runs
under callgrind) and compares every response with `bench/gate_expected.json`. These tests run
the command as CI's gate does: the stored answers must match today's server, and a server that
answers less than the stored answer (here: a stored meeting page with one registration more than
the server returns) must fail. The gate runs on SQLite and on PostgreSQL (bench/gate.py), and both
must give the stored bytes: the PostgreSQL case runs when the suite runs on PostgreSQL, on a
template database of this process's own on the same server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "bench" / "gate_expected.json"


TEST_URL = os.environ.get("OGP_WG_TEST_DATABASE_URL", "")
DIALECTS = ["sqlite", *(["postgresql"] if TEST_URL.startswith("postgresql") else [])]


def _workload(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env.update(PYTHONHASHSEED="0", TZ="UTC", OGP_GATE_TEMPLATE=f"ogp_gate_test_{os.getpid()}")
    if TEST_URL.startswith("postgresql"):  # the suite's server, not its database
        env["OGP_GATE_POSTGRES"] = TEST_URL.rsplit("/", 1)[0]
    command = [sys.executable, "-m", "bench.gate_workload", *map(str, args)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module", params=DIALECTS)
def template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("gate")
    done = _workload("setup", directory, request.param)
    assert done.returncode == 0, done.stderr
    yield directory
    assert _workload("clean", directory).returncode == 0


def test_stored_answers_match_the_server(template: Path) -> None:
    done = _workload("check", template)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert "responses: all equal to" in done.stdout
    stored = json.loads(EXPECTED.read_text())
    # every request of the mix is covered: 5 pages x (warm-up + the measured iterations)
    assert len(stored["digests"]) == 5 * 21
    assert set(stored["warmup"]) == {
        "group_list",
        "group_page",
        "meeting_page",
        "country_page",
        "register",
    }


def test_a_server_answering_less_fails(template: Path, tmp_path: Path) -> None:
    stored = json.loads(EXPECTED.read_text())
    registrations = stored["warmup"]["meeting_page"]["data"]["node"]["registrations"]["nodes"]
    registrations.append(registrations[0])  # the stored answer had one more row than served
    stored["digests"][2]["sha256"] = "0" * 64
    tampered = tmp_path / "expected.json"
    tampered.write_text(json.dumps(stored))
    done = _workload("check", template, tampered)
    assert done.returncode == 1
    assert "meeting_page (iteration 0): sha256" in done.stdout
    assert "meeting_page warm-up body differs" in done.stdout
