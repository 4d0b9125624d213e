"""Long commands show progress (issue 11 point 3), and ask before destroying data, as an operator
sees them: the real `ogp-wg` console script on a pseudo-terminal (`os.openpty`: a rich spinner
and timed lines) and through pipes (plain `ogp-wg: ...` lines, no escape sequence), on a fresh
SQLite file and a fresh PostgreSQL database (`fresh_url`, as in tests/test_config_cli.py); and
`make install`'s recipe, which says what each step does before it runs."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_config_cli import OGP_WG, env, fresh_url, one_line_error, run

__all__ = ["env", "fresh_url"]  # fixtures, used by name

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent  # the environment running the suite (make's .venv)
ESCAPE = re.compile(r"\x1b[\[\]()][0-9;?]*[ -/]*[@-~]?")
"""A CSI/OSC/charset escape sequence: what a terminal interprets and a log file must not hold."""
TIMED = r"\(\d+\.\d s\)"  # the time so far rich's lines carry on a terminal
PROMPT = "Type 'downgrade' to confirm: "
SLOW = pytest.mark.slow
"""A dozen `ogp-wg` processes and a demo load: 20-60 s, minutes on a loaded host (CI runs them)."""


def run_on_terminal(
    env: dict[str, str], cwd: Path, *args: str, answer: str | None = None, timeout: float = 180
) -> tuple[int, str]:
    """`ogp-wg ARGS` with stdin, stdout and stderr on one pseudo-terminal; (status, what the
    terminal received). `answer` is typed, with Enter, once the downgrade prompt shows."""
    leader, follower = os.openpty()
    terminal = env | {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    for quiet in ("NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "CI"):
        terminal.pop(quiet, None)  # rich's overrides: the terminal decides here
    process = subprocess.Popen(
        [OGP_WG, *args], env=terminal, cwd=cwd, stdin=follower, stdout=follower,
        stderr=follower, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    received = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: every holder of the follower side closed it
                    break
                if not chunk:
                    break
                received += chunk
                if answer is not None and PROMPT.encode() in received:
                    os.write(leader, answer.encode() + b"\r")
                    answer = None
            elif process.poll() is not None:
                break
        status = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    return status, received.decode(errors="replace")


def plain(text: str) -> str:
    return ESCAPE.sub("", text).replace("\r\n", "\n")


def _upgrade(env: dict[str, str], cwd: Path) -> None:
    upgraded = run(env, cwd, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr


# --- demo: a spinner on a terminal, plain lines in a pipe ---


@SLOW
def test_demo_shows_rich_progress_on_a_terminal_and_plain_lines_in_a_pipe(
    tmp_path: Path, env: dict[str, str]
) -> None:
    _upgrade(env, tmp_path)
    status, shown = run_on_terminal(env, tmp_path, "demo")
    assert status == 0, shown
    assert ESCAPE.search(shown), shown  # rich drew on the terminal
    assert "\x1b[?25l" in shown  # the spinner hides the cursor while it runs ...
    assert "\x1b[?25h" in shown  # ... and gives it back
    text = plain(shown)
    assert "loading demo data..." in text  # the spinner's task
    # each step as a line with the time taken so far
    for step in ("countries", "organisations", "people"):
        assert re.search(rf"{step}: \d+ added \(\d+ in all\) {TIMED}", text), text
    assert re.search(rf"plugin open_data: loading demo data {TIMED}", text), text
    assert re.search(rf"working groups: \d+ added \(\d+ in all\) {TIMED}", text), text
    assert "ogp-wg: countries" not in text  # not the piped form

    piped = run(env, tmp_path, "demo")  # again (idempotent): the same steps, through pipes
    assert piped.returncode == 0, piped.stderr
    for stream in (piped.stdout, piped.stderr):
        assert "\x1b" not in stream and "\r" not in stream, repr(stream)
    lines = piped.stderr.splitlines()
    assert lines and all(line.startswith("ogp-wg: ") for line in lines), lines
    assert "ogp-wg: countries: 0 added" in piped.stderr
    assert "loading demo data..." not in piped.stderr  # no spinner: it would be noise in a log
    assert not re.search(TIMED, piped.stderr)


@SLOW
def test_restore_shows_its_spinner_on_a_terminal_only(tmp_path: Path, env: dict[str, str]) -> None:
    _upgrade(env, tmp_path)
    backup = tmp_path / "ogp.backup"
    made = run(env, tmp_path, "db", "backup", str(backup))
    assert made.returncode == 0, made.stderr
    status, shown = run_on_terminal(env, tmp_path, "db", "restore", str(backup), "--yes")
    assert status == 0, shown
    assert "\x1b[?25l" in shown and "restoring " in plain(shown), shown
    piped = run(env, tmp_path, "db", "restore", str(backup), "--yes")
    assert piped.returncode == 0, piped.stderr
    assert "\x1b" not in piped.stderr and "restoring " not in piped.stderr
    assert piped.stderr.startswith("ogp-wg: restored "), piped.stderr


# --- db downgrade: asks on a terminal ---


def _current(env: dict[str, str], cwd: Path) -> dict[str, str]:
    shown = run(env, cwd, "db", "current")
    assert shown.returncode == 0, shown.stderr
    return dict(line.split(": ", 1) for line in shown.stdout.splitlines())


@SLOW
def test_downgrade_asks_on_a_terminal(tmp_path: Path, env: dict[str, str]) -> None:
    _upgrade(env, tmp_path)
    history = [line.split() for line in run(env, tmp_path, "db", "history").stdout.splitlines()]
    open_data = [row[1] for row in history if row[0] == "open_data"]
    assert len(open_data) >= 2
    target, above = open_data[0], open_data[1:]
    migrated = _current(env, tmp_path)

    for refusal in ("n", "y", ""):  # only the word asked for is a yes
        status, shown = run_on_terminal(env, tmp_path, "db", "downgrade", target, answer=refusal)
        text = plain(shown)
        assert status != 0, text
        assert PROMPT in text and all(f"  {rev} (open_data)" in text for rev in above), text
        assert "ogp-wg: error: not confirmed; nothing was downgraded" in text
        assert "unapplied" not in text
        assert _current(env, tmp_path) == migrated

    status, shown = run_on_terminal(env, tmp_path, "db", "downgrade", target, answer="downgrade")
    text = plain(shown)
    assert status == 0, text
    assert re.findall(r"^unapplied (\S+)", text, re.M) == list(reversed(above))
    after = _current(env, tmp_path)
    assert after["open_data"].startswith(f"{target} ({len(above)} to apply")
    assert {k: v for k, v in after.items() if k != "open_data"} == {
        k: v for k, v in migrated.items() if k != "open_data"
    }

    # through pipes: never asks; --yes is the only way
    refused = run(env, tmp_path, "db", "upgrade")
    assert refused.returncode == 0, refused.stderr
    one_line_error(run(env, tmp_path, "db", "downgrade", target), "not a terminal", "--yes")
    assert _current(env, tmp_path) == migrated
    done = run(env, tmp_path, "db", "downgrade", target, "--yes")
    assert done.returncode == 0 and PROMPT not in done.stdout, done.stdout + done.stderr
    assert _current(env, tmp_path)["open_data"] == after["open_data"]


# --- make install: says what it does ---


def test_make_install_says_each_step_before_it_runs() -> None:
    """`make install`'s recipe as make would run it from scratch (`make -n -B`: printed, not run;
    a real install takes a minute and rewrites the shared environment): every step that works
    (the venv, each pip install) is announced by an `install: ...` line naming what it
    installs, and pip runs --quiet, so those lines are what the user reads. The lines are then
    printed for real by the shell, in order."""
    recipe = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "install", f"VENV={VENV}"], cwd=ROOT,
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.splitlines()  # fmt: skip
    announced: list[str] = []
    said: str | None = None
    for line in recipe:
        if line.startswith('echo "install: '):
            said = line
            announced.append(line)
            continue
        if "pip install" in line:
            assert said is not None, f"{line!r} runs unannounced"
            assert "--quiet" in line, line
            what = line.split()[-1]  # requirements.lock, ., examples/gender_inclusion
            names = {
                "requirements.lock": "requirements.lock",
                ".": "ogp-working-groups",
                "examples/gender_inclusion": "examples/gender_inclusion",
            }
            assert names[what] in said, (line, said)
            said = None
        if "-m venv" in line:
            assert 'echo "install: creating the virtual environment' in line, line
    assert len(announced) == 4, recipe  # three installs and "done"
    printed = subprocess.run(
        ["sh", "-c", "\n".join(announced)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert [line.split()[1] for line in lines] == ["installing"] * 3 + ["done"], lines
    assert re.fullmatch(r"install: done \(ogp-wg \S+\)", lines[-1]), lines
