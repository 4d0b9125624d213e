"""CI regression gate: instructions (callgrind's Ir) to serve the query mix, against a baseline.

    python -m bench.gate            # exit 1 if more than 3% above bench/gate_baseline.json
    python -m bench.gate --update   # record the current counts and answers as the baseline
    python -m bench.gate --runs 3   # several runs, to see the spread (the median is compared)
    python -m bench.gate --dialect postgresql   # one dialect (default: sqlite, then postgresql)

Each dialect is gated apart: SQLite (embedded, in the measured process) and PostgreSQL (the server
CI starts, outside it: the server's Python and asyncpg are counted, the database is not). The
database is built natively (bench/gate_workload.py `setup`); then, under `valgrind
--tool=callgrind`, a fresh copy of it is served the mix (`run`). Every response must equal the
stored one (bench/gate_expected.json, the same bytes on both dialects) before counts are compared:
instructions saved by answering less are a failure, not an improvement. Only the measured region
counts: the workload marks it with two C calls on which callgrind dumps its counters, so imports,
app build and warm-up are reported apart and never gated. Instruction counts, unlike wall-clock
times, repeat (here to about 0.001%, busy machine or not), so a few percent is a real regression.
Needs valgrind and a Python whose libpython keeps its symbols (this venv's pyenv build does).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import gate_databases as databases
from bench import gate_workload as workload

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).with_name("gate_baseline.json")
VALGRIND = shutil.which("valgrind") or "/usr/bin/valgrind"
TOLERANCE = 0.03
"""Fail above baseline * (1 + TOLERANCE)."""
IMPROVED = 0.10
"""Suggest --update below baseline * (1 - IMPROVED)."""
REGION_START, REGION_END = "os_ctermid", "os_getloadavg"
"""The C functions behind `os.ctermid()` / `os.getloadavg()`, which bracket the region."""


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OGP_WG_", "PYTHON"))}
    env.update(PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", LC_ALL="C.UTF-8", TZ="UTC")
    return env


def totals(path: Path) -> int:
    match = re.search(r"^(?:totals|summary):\s*(\d+)", path.read_text(), re.MULTILINE)
    if match is None:
        raise SystemExit(f"gate: no totals in {path}")
    return int(match.group(1))


def measure(template: Path, work: Path) -> tuple[int, int, dict[str, Any]]:
    """One callgrind run on a fresh copy of the database: (setup Ir, region Ir, the responses as
    `gate_workload.answers` stores them)."""
    work.mkdir()
    databases.copy(template, work, work.name)
    out = work / "callgrind.out"
    command = [
        VALGRIND,
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        f"--dump-before={REGION_START}",
        f"--dump-before={REGION_END}",
        sys.executable,
        "-m",
        "bench.gate_workload",
        "run",
        str(work),
    ]
    try:
        done = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True)
    finally:
        databases.drop_copy(work)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"gate: the workload failed under valgrind (exit {done.returncode})")
    dumps = [out.with_name(f"{out.name}.{i}") for i in (1, 2)]
    if not all(d.exists() for d in dumps) or out.with_name(f"{out.name}.3").exists():
        raise SystemExit(
            f"gate: expected exactly two callgrind dumps ({REGION_START}, {REGION_END}); "
            "is this Python built without symbols, or does the app now call os.ctermid or "
            "os.getloadavg itself?"
        )
    answers = json.loads((work / workload.RESPONSES_FILE).read_text())
    return totals(dumps[0]), totals(dumps[1]), answers


def gate(dialect: str, runs: int, baseline: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
    """Measure `dialect`; returns (median region Ir, the first run's answers). Exits 1 when an
    answer differs from the stored one or the count is above the baseline's tolerance."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"ogp-wg-gate-{dialect}-") as tmp:
        template = Path(tmp) / "template"
        template.mkdir()
        subprocess.run(
            [sys.executable, "-m", "bench.gate_workload", "setup", str(template), dialect],
            cwd=ROOT,
            env=environment(),
            check=True,
        )
        measured = [measure(template, Path(tmp) / f"run{i}") for i in range(runs)]
    regions = [region for _, region, _ in measured]
    count = int(statistics.median(regions))
    iterations = workload.ITERATIONS
    print(
        f"gate [{dialect}]: {count:,} instructions for {iterations} iterations of the mix "
        f"({count // iterations:,} per iteration); imports, app build and warm-up: "
        f"{measured[0][0]:,} (not gated); {time.monotonic() - started:.0f} s"
    )
    if len(regions) > 1:
        spread = (max(regions) - min(regions)) / min(regions)
        print(f"gate [{dialect}]: runs {', '.join(f'{r:,}' for r in regions)}; spread {spread:.3%}")
    if baseline is None:  # --update
        return count, measured[0][2]

    # The answers first: instructions saved by returning less data are no improvement.
    expected = json.loads(workload.EXPECTED.read_text())
    for _, _, answers in measured:
        problems = workload.compare(answers, expected)
        if problems:
            print(
                f"gate [{dialect}]: FAIL: responses differ from the stored ones:", file=sys.stderr
            )
            print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
            raise SystemExit(1)
    print(f"gate [{dialect}]: all {len(expected['digests'])} responses equal the stored ones")
    ratio = count / baseline["instructions"]
    print(
        f"gate [{dialect}]: baseline {baseline['instructions']:,} "
        f"({baseline.get('recorded', '?')}), now {count:,}: ratio {ratio:.4f} "
        f"(limit {1 + TOLERANCE:.2f})"
    )
    if ratio > 1 + TOLERANCE:
        print(
            f"gate [{dialect}]: FAIL: {ratio - 1:+.2%} instructions over the baseline",
            file=sys.stderr,
        )
        raise SystemExit(1)
    if ratio < 1 - IMPROVED:
        print(f"gate [{dialect}]: improved: run with --update to lower the baseline")
    return count, measured[0][2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline")
    parser.add_argument("--runs", type=int, default=1, help="callgrind runs (median compared)")
    parser.add_argument("--dialect", choices=databases.DIALECTS, action="append")
    args = parser.parse_args()
    if not Path(VALGRIND).exists():
        print(f"gate: valgrind not found ({VALGRIND}); apt-get install valgrind", file=sys.stderr)
        return 2
    dialects = args.dialect or list(databases.DIALECTS)
    python = platform.python_version()
    stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if not args.update:
        missing = [d for d in dialects if d not in stored.get("dialects", {})]
        if missing or not workload.EXPECTED.exists():
            print(
                "gate: no baseline or answers for "
                + ", ".join(missing or ["(answers)"])
                + "; run `python -m bench.gate --update`",
                file=sys.stderr,
            )
            return 2
        if stored.get("iterations") != workload.ITERATIONS:
            print(
                f"gate: the baseline is for {stored.get('iterations')} iterations, the workload "
                f"runs {workload.ITERATIONS}; rerun with --update",
                file=sys.stderr,
            )
            return 2
        if stored.get("python") != python:
            print(
                f"gate: warning: baseline recorded with Python {stored.get('python')}, "
                f"this is {python}: counts may differ for that reason alone"
            )
    answers = None
    for dialect in dialects:
        baseline = None if args.update else stored["dialects"][dialect]
        count, answers_now = gate(dialect, args.runs, baseline)
        if args.update:
            if answers is not None and workload.compare(answers_now, answers):
                print("gate: the dialects answer differently:", file=sys.stderr)
                print("\n".join(workload.compare(answers_now, answers)), file=sys.stderr)
                return 1
            answers = answers_now
            stored.setdefault("dialects", {})[dialect] = {
                "instructions": count,
                "recorded": date.today().isoformat(),
            }
    if args.update:
        stored.update(
            iterations=workload.ITERATIONS,
            python=python,
            note=(
                "Ir of the measured region of bench/gate_workload.py under callgrind, per dialect "
                f"(python -m bench.gate --update); the gate fails above +{TOLERANCE:.0%}. Counts "
                "depend on the interpreter and library versions."
            ),
        )
        stored.pop("instructions", None)
        stored.pop("recorded", None)
        BASELINE.write_text(json.dumps(stored, indent=2) + "\n")
        workload.EXPECTED.write_text(json.dumps(answers, indent=1) + "\n")
        print(f"gate: baseline and expected responses updated ({BASELINE.relative_to(ROOT)})")
        return 0
    print("gate: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
