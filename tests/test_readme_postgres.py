"""The README's "Running on PostgreSQL" block, run as it is pasted (issue 11: it used to leave an
empty database): bash runs the block's text unchanged, with libpq's PGHOST/PGUSER/PGDATABASE set
to this machine's PostgreSQL and a database of the test's own (created by the block's `createdb`,
dropped after), `.venv/bin` the suite's environment, OGP_WG_PORT a free port. Once it says
"serving", the database must be migrated (`db current`: every branch at head, /readyz ready) and
hold the demo (the working groups, over HTTP).

PostgreSQL only; skipped without OGP_WG_TEST_DATABASE_URL (failed instead when
OGP_WG_TEST_REQUIRE_POSTGRES is set, as in CI).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from core.testing import PG_URL, XDIST_WORKER
from tests.readme_blocks import README, blocks
from tests.server_process import free_port

VENV = Path(sys.executable).parent.parent
SECTION = "## Running on PostgreSQL"
QUERY = "query WorkingGroupNamesQuery { workingGroups { totalCount nodes { id name theme } } }"
BUILT_IN_THEMES = 5  # the demo's working groups: one per built-in plugin


def the_block() -> str:
    """The one ```sh block of the README's PostgreSQL section."""
    text = README.read_text().splitlines()
    start = text.index(SECTION) + 1
    end = next(i for i in range(start, len(text)) if text[i].startswith("## "))
    found = [b for b in blocks() if b.lang == "sh" and start < b.line <= end + 1]
    assert len(found) == 1, f"{SECTION}: expected one sh block, found {len(found)}"
    return found[0].text


def _psql(admin: str, sql: str) -> None:
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, timeout=60)


def _post(port: int, query: str) -> dict[str, object]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]


@pytest.mark.slow  # createdb, a migration from empty, the demo, four workers: 25-110 s
def test_the_postgresql_block_leaves_a_migrated_database_with_the_demo(tmp_path: Path) -> None:
    if not PG_URL:
        if os.environ.get("OGP_WG_TEST_REQUIRE_POSTGRES"):
            pytest.fail("OGP_WG_TEST_REQUIRE_POSTGRES is set but OGP_WG_TEST_DATABASE_URL is not")
        pytest.skip("the README's PostgreSQL block needs PostgreSQL: set OGP_WG_TEST_DATABASE_URL")
    url = make_url(PG_URL)
    name = f"{url.database}_readme_{XDIST_WORKER or 'main'}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    _psql(admin, drop)  # left by an interrupted run: the block's createdb must find none

    (tmp_path / ".venv").symlink_to(VENV)  # the block runs `.venv/bin/ogp-wg`
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OGP_WG_", "PG"))}
    env |= {
        "PGHOST": url.host or "localhost", "PGUSER": url.username or "postgres",
        "PGDATABASE": name, "OGP_WG_PORT": str(port),
        **({"PGPORT": str(url.port)} if url.port else {}),
        **({"PGPASSWORD": url.password} if url.password else {}),
    }  # fmt: skip
    block = the_block()
    shell = subprocess.Popen(
        ["bash", "-e", "-c", block], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    said: list[str] = []
    try:
        assert shell.stdout is not None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = shell.stdout.readline()
            if not line:
                break
            said.append(line)
            if "serving GraphQL on" in line:
                break
        output = "".join(said)
        assert f"serving GraphQL on http://0.0.0.0:{port}/graphql" in output, output
        assert re.search(r"^database migrated: \d+ revisions applied$", output, re.M), output

        answer: dict[str, object] = {}
        while time.monotonic() < deadline:  # the four workers start after the "serving" line
            try:
                answer = _post(port, QUERY)
                break
            except OSError:
                time.sleep(0.5)
        groups = answer["data"]["workingGroups"]  # type: ignore[index]
        assert groups["totalCount"] >= BUILT_IN_THEMES, answer  # type: ignore[index]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as ready:
            assert ready.status == 200

        clean = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
        database_url = url.set(database=name).render_as_string(False)
        current = subprocess.run(
            [str(VENV / "bin" / "ogp-wg"), "db", "current"], cwd=tmp_path, timeout=120,
            env=clean | {"OGP_WG_DATABASE_URL": database_url}, capture_output=True, text=True,
        )  # fmt: skip
        assert current.returncode == 0, current.stderr
        branches = current.stdout.splitlines()
        assert branches and all(line.endswith("(head)") for line in branches), branches
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGTERM)
            try:
                shell.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(shell.pid, signal.SIGKILL)
                shell.wait()
        _psql(admin, drop)
