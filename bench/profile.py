"""Where a server's CPU goes: py-spy samples of ogp-wg under one page's load, as a call tree.

bench.run records one for each page with a target of issue 12 not met (section 4: a target not
met is stated "with the profile"): py-spy (a dev dependency, `make install`) attaches to the
running server and its worker processes while wrk sends the page for the run's duration, and the
samples are summed here into inclusive shares.

    .venv/bin/py-spy record --format raw -r 250 -d 10 --subprocesses --nonblocking -p PID -o F

The tree (`tree`) keeps every frame that holds at least `MIN_SHARE` of the samples and folds a
chain of frames each holding nearly all of its parent's (the middleware layers, the await
wrappers) into one line, so each line is a layer where the time divides. Frames are named by
function and file without line numbers: one function is one node. Only samples of a thread that
was running are counted (py-spy leaves out idle ones); the root's share left to its children is
time in no Python frame. py-spy reads the server's memory without pausing it (`--nonblocking`);
still, the profiled run's throughput is not reported (its cost was not measured): the shares are
what it gives.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RATE = 250
"""Samples per second (py-spy's default is 100: more samples for a short run)."""
MIN_SHARE = 0.02
"""A frame holding less of the samples than this is left out of the tree."""
FOLD = 0.01
"""A frame whose only kept child holds all of its share but this much is folded into it."""
_LINE = re.compile(r":\d+\)$")


def py_spy() -> str | None:
    """The py-spy executable: the virtual environment's, else one on PATH; None without."""
    local = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


@dataclass
class Node:
    """One frame of the call tree: samples that had it on the stack, and its callees."""

    name: str
    samples: int = 0
    children: dict[str, Node] = field(default_factory=dict)


def read_raw(path: Path) -> Node:
    """py-spy's `--format raw` (one `frame;frame;... count` line per distinct stack, outermost
    first) as a tree; the root holds every sample, an empty stack's too (no Python frame)."""
    root = Node("all samples")
    for line in path.read_text().splitlines():
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        root.samples += n
        node = root
        for frame in filter(None, stack.split(";")):
            name = _LINE.sub(")", frame)
            node = node.children.setdefault(name, Node(name))
            node.samples += n
    return root


def tree(root: Node, min_share: float = MIN_SHARE, fold: float = FOLD) -> list[str]:
    """Markdown list lines: each kept frame's inclusive share of all samples, indented under
    its caller, a folded chain written `a > b > c` (the share is its last frame's)."""
    total = max(root.samples, 1)
    lines = [
        f"- 100% of {root.samples:,} samples (each line: the share of them with that frame on "
        f"the stack; frames under {min_share:.0%} left out)"
    ]

    def kept(node: Node) -> list[Node]:
        found = [c for c in node.children.values() if c.samples / total >= min_share]
        return sorted(found, key=lambda c: -c.samples)

    def walk(node: Node, depth: int) -> None:
        chain = [node.name]
        while (
            (only := kept(node))
            and len(only) == 1
            and ((node.samples - only[0].samples) / total <= fold)
        ):
            node = only[0]
            chain.append(node.name)
        shown = chain if len(chain) <= 3 else [chain[0], "...", *chain[-2:]]
        lines.append(f"{'  ' * depth}- {node.samples / total:.1%} {' > '.join(shown)}")
        for child in kept(node):
            walk(child, depth + 1)

    for child in kept(root):
        walk(child, 1)
    return lines


def record(pid: int, seconds: float, output: Path, during: Callable[[], object]) -> Node:
    """Samples of process `pid` and its children for `seconds` while `during()` runs (the
    load), as a tree. Raises RuntimeError when py-spy is missing or fails (e.g. no permission
    to attach), subprocess.TimeoutExpired when it does not end a minute after `seconds`, and
    whatever `during()` raises."""
    executable = py_spy()
    if executable is None:
        raise RuntimeError("py-spy not found (make install puts it in .venv)")
    command = [executable, "record", "--format", "raw", "-r", str(RATE), "-d", f"{seconds:g}"]
    command += ["--subprocesses", "--nonblocking", "-p", str(pid), "-o", str(output)]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        during()
        _, err = spy.communicate(timeout=seconds + 60)
    finally:
        if spy.poll() is None:  # the load failed, or py-spy hangs: never left sampling
            spy.kill()
            spy.wait()
    if spy.returncode != 0 or not output.exists():
        raise RuntimeError(f"py-spy failed ({spy.returncode}): {err.strip()[-500:]}")
    return read_raw(output)
