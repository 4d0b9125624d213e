"""The `ogp-wg` console script, run as a user runs it (a real subprocess)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.plugins import discover

OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OGP_WG, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_upgrade_demo_and_plugins_list(cli_env: dict[str, str], tmp_path: Path) -> None:
    upgraded = run(cli_env, tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "database migrated: " in upgraded.stdout  # a fresh database: each revision listed

    first = run(cli_env, tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "working groups" in first.stderr
    again = run(cli_env, tmp_path, "demo")  # idempotent
    assert again.returncode == 0, again.stderr

    cli_env["OGP_WG_PLUGINS_DISABLED"] = "extractives"
    listed = run(cli_env, tmp_path, "plugins", "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["KEY", "TITLE", "VERSION", "SOURCE", "ENABLED"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(discover())  # every installed plugin: the built-in ones and others
    builtin = {"access_to_info", "extractives", "fiscal_openness", "open_data", "open_parliaments"}
    assert {key for key, row in rows.items() if "built-in" in row} == builtin
    assert rows["extractives"].rstrip().endswith("no")
    assert rows["open_data"].rstrip().endswith("yes") and "built-in" in rows["open_data"]


def test_schema_command_prints_sdl(cli_env: dict[str, str], tmp_path: Path) -> None:
    printed = run(cli_env, tmp_path, "schema")
    assert printed.returncode == 0, printed.stderr
    assert "interface WorkingGroup" in printed.stdout
    assert "type FiscalOpennessGroup implements" in printed.stdout


def test_a_reader_that_leaves_is_not_a_failure(cli_env: dict[str, str], tmp_path: Path) -> None:
    # `ogp-wg schema | head -1`: the SDL (over 64 KiB, a pipe's buffer) is still being written
    # when the reader closes the pipe; that ends the command quietly, with status 0.
    process = subprocess.Popen(
        [OGP_WG, "schema"],
        env=cli_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1)  # it started writing
    process.stdout.close()
    status = process.wait(timeout=120)
    errors = process.stderr.read().decode()
    assert (status, errors) == (0, "")


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"OGP_WG_PLUGINS_ENABLED": "open_dat"}, "unknown plugin 'open_dat'"),
        ({"OGP_WG_PORT": "eighty"}, "port"),
    ],
)
def test_errors_are_one_line(
    cli_env: dict[str, str], tmp_path: Path, env: dict[str, str], needle: str
) -> None:
    result = run(cli_env | env, tmp_path, "plugins", "list")
    assert result.returncode != 0
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_config_file_is_read(cli_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "ogp-wg.toml").write_text('[plugins]\nenabled = ["open_data"]\n')
    listed = run(cli_env, tmp_path, "plugins", "list")
    enabled = [line.split()[0] for line in listed.stdout.splitlines()[1:] if line.endswith("yes")]
    assert enabled == ["open_data"]
