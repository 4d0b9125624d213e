"""CI regression gate: instructions (callgrind's Ir) to serve the query mix, against a baseline.

    python -m bench.gate            # exit 1 if more than 3% above bench/gate_baseline.json
    python -m bench.gate --update   # record the current count as the baseline
    python -m bench.gate --runs 3   # several runs, to see the spread (the median is compared)

The database is built natively (bench/gate_workload.py `setup`); then, under
`valgrind --tool=callgrind`, a fresh copy of it is served the mix (`run`). Only the measured region
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
    for name in (workload.DB_FILE, workload.PARAMS_FILE):
        shutil.copy(template / name, work / name)
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
    done = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline")
    parser.add_argument("--runs", type=int, default=1, help="callgrind runs (median compared)")
    args = parser.parse_args()
    if not Path(VALGRIND).exists():
        print(f"gate: valgrind not found ({VALGRIND}); apt-get install valgrind", file=sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ogp-wg-gate-") as tmp:
        template = Path(tmp) / "template"
        template.mkdir()
        subprocess.run(
            [sys.executable, "-m", "bench.gate_workload", "setup", str(template)],
            cwd=ROOT,
            env=environment(),
            check=True,
        )
        runs = [measure(template, Path(tmp) / f"run{i}") for i in range(args.runs)]
    regions = [region for _, region, _ in runs]
    count = int(statistics.median(regions))
    iterations = workload.ITERATIONS
    print(
        f"gate: {count:,} instructions for {iterations} iterations of the mix "
        f"({count // iterations:,} per iteration); imports, app build and warm-up: "
        f"{runs[0][0]:,} (not gated); {time.monotonic() - started:.0f} s"
    )
    if len(regions) > 1:
        spread = (max(regions) - min(regions)) / min(regions)
        print(f"gate: runs {', '.join(f'{r:,}' for r in regions)}; spread {spread:.3%}")

    python = platform.python_version()
    if args.update:
        baseline = {
            "instructions": count,
            "iterations": iterations,
            "python": python,
            "recorded": date.today().isoformat(),
            "note": (
                "Ir of the measured region of bench/gate_workload.py under callgrind "
                "(python -m bench.gate --update); the gate fails above "
                f"+{TOLERANCE:.0%}. Counts depend on the interpreter and library versions."
            ),
        }
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")
        workload.EXPECTED.write_text(json.dumps(runs[0][2], indent=1) + "\n")
        print(f"gate: baseline and expected responses updated ({BASELINE.relative_to(ROOT)})")
        return 0

    # The answers first: instructions saved by returning less data are no improvement.
    if not workload.EXPECTED.exists():
        print("gate: no expected responses; run `python -m bench.gate --update`", file=sys.stderr)
        return 2
    expected = json.loads(workload.EXPECTED.read_text())
    for _, _, answers in runs:
        problems = workload.compare(answers, expected)
        if problems:
            print("gate: FAIL: responses differ from the stored ones:", file=sys.stderr)
            print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
            return 1
    print(f"gate: all {len(expected['digests'])} responses equal the stored ones")

    if not BASELINE.exists():
        print("gate: no baseline; run `python -m bench.gate --update`", file=sys.stderr)
        return 2
    baseline = json.loads(BASELINE.read_text())
    if baseline.get("iterations", iterations) != iterations:
        print(
            f"gate: the baseline is for {baseline['iterations']} iterations, the workload runs "
            f"{iterations}; rerun with --update",
            file=sys.stderr,
        )
        return 2
    if baseline.get("python") != python:
        print(
            f"gate: warning: baseline recorded with Python {baseline.get('python')}, "
            f"this is {python}: counts may differ for that reason alone"
        )
    ratio = count / baseline["instructions"]
    print(
        f"gate: baseline {baseline['instructions']:,} ({baseline.get('recorded', '?')}), "
        f"now {count:,}: ratio {ratio:.4f} (limit {1 + TOLERANCE:.2f})"
    )
    if ratio > 1 + TOLERANCE:
        print(f"gate: FAIL: {ratio - 1:+.2%} instructions over the baseline", file=sys.stderr)
        return 1
    if ratio < 1 - IMPROVED:
        print("gate: improved: run with --update to lower the baseline")
    print("gate: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
