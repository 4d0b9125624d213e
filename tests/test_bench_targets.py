"""bench.targets judges issue 12's targets from a bench.run report, and bench.profile turns
py-spy's samples into the tree the report shows for a target not met (no server, no database:
a report and a samples file as bench.run writes them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import profile, targets
from bench.run import markdown, ours_documents, summarise


def _run(page: str, server: str, rnd: int, rps: float, p99: float, cpu_ms: float) -> dict:
    requests = int(rps * 10)
    return {
        "server": server,
        "page": page,
        "round": rnd,
        "requests": requests,
        "seconds": 10.0,
        "rps": rps,
        "p50_ms": p99 / 2,
        "p90_ms": p99 / 1.5,
        "p99_ms": p99,
        "cpu_s": cpu_ms * requests / 1000,
        "db_cpu_s": 0.0,
        "errors": 0,
        "wraps": 0,
        "command": "wrk ...",
    }


def _report() -> dict[str, Any]:
    runs = [
        # group_list: ahead in both rounds, on every count
        _run("group_list", "ours", 1, 2000, 20, 0.4),
        _run("group_list", "postgraphile", 1, 1000, 30, 0.9),
        _run("group_list", "ours", 2, 1900, 21, 0.4),
        _run("group_list", "postgraphile", 2, 1000, 30, 0.9),
        # register: 0.8 of PostGraphile's (its target is 0.5: met), more CPU (not met)
        _run("register", "ours", 1, 800, 40, 0.7),
        _run("register", "postgraphile", 1, 1000, 50, 0.43),
        _run("register", "ours", 2, 800, 40, 0.7),
        _run("register", "postgraphile", 2, 1000, 50, 0.43),
    ]
    return {
        "started": "2026-12-05T12:00:00+00:00",
        "finished": "2026-12-05T12:10:00+00:00",
        "settings": {
            "duration": 10,
            "rounds": 2,
            "connections": 32,
            "threads": 1,
            "workers": 1,
            "warmup": 2,
            "server_cpus": "0",
            "client_cpus": "1",
            "soak": 300,
        },
        "data": dict.fromkeys(
            (
                "working_groups",
                "organizations",
                "people",
                "meetings",
                "upcoming_meetings",
                "registrations",
            ),
            1,
        )
        | {"server_version": "15"},
        "pages": ["group_list", "register"],
        "servers": ["ours", "postgraphile"],
        "register_pairs_short": [],
        "sql": {
            "ours": {"group_list": {"data": 2.0, "tx": 0.0}, "register": {"data": 3.0, "tx": 0}}
        },
        "runs": runs,
        "memory": {
            "ours": {
                "start": 2**27,
                "soak": {"samples": [(0, 2**27), (10, 250 * 2**20)], "requests": 9, "errors": 0},
            }
        },
        "versions": {},
        "argv": "python -m bench.run ...",
        "profiles": {"register": ["- 100% of 10 samples", "  - 60.0% handler (app.py)"]},
    }


def test_each_target_is_judged_from_the_medians() -> None:
    report = _report()
    found = targets.verdicts(report, summarise(report), ours_documents())
    judged = {(v.target, v.page): (v.figures, v.met) for v in found}
    assert judged == {
        ("throughput ours/PostGraphile", "group_list"): (
            "1.95 (target >= 1; worst round 1.90)",
            True,
        ),
        ("server CPU per request", "group_list"): ("0.40 against 0.90 ms", True),
        ("p99 latency", "group_list"): ("20.5 against 30.0 ms", True),
        # the group list has one root field: two statements miss the target
        ("SQL statements per read request", "group_list"): ("2.0 for 1 root field(s)", False),
        ("throughput ours/PostGraphile", "register"): (
            "0.80 (target >= 0.5; worst round 0.80)",
            True,
        ),
        ("server CPU per request", "register"): ("0.70 against 0.43 ms", False),
        ("p99 latency", "register"): ("40.0 against 50.0 ms", True),
        ("memory", None): ("250 MB per worker at most over the 300 s soak", False),
    }


def test_the_report_states_what_is_not_met_with_the_profile() -> None:
    text = markdown(_report(), "Benchmark")
    section = text[text.index("## Targets") : text.index("## Resident memory")]
    assert "- server CPU per request (register): 0.70 against 0.43 ms: **not met**" in section
    assert "- p99 latency (register): 40.0 against 50.0 ms: met" in section
    assert "5 of 8 met; not met on group_list, register." in section
    assert "tests/test_query_plans.py" in section  # what this run does not measure, named
    for field, label in targets.PLAN_EXEMPTIONS:  # and the query-plan target's shortfalls
        assert f"- `{field}`{f' {label}' if label else ''}: " in section
    # the register page's profile follows; the group list has none recorded: no heading for it
    assert "### Where ogp-wg's CPU goes on register" in section
    assert "  - 60.0% handler (app.py)" in section
    assert "CPU goes on group_list" not in section


def test_the_profile_tree_folds_chains_and_drops_small_frames(tmp_path: Path) -> None:
    raw = tmp_path / "samples.txt"
    raw.write_text(
        "main (a.py:1);serve (b.py:2);mw1 (c.py:3);mw2 (c.py:9);handler (d.py:4) 60\n"
        "main (a.py:1);serve (b.py:2);mw1 (c.py:3);mw2 (c.py:9);send (e.py:5) 38\n"
        "main (a.py:1);serve (b.py:7);mw1 (c.py:3);tiny (f.py:1) 1\n"
        " 1\n"  # an empty stack: time outside Python frames
    )
    root = profile.read_raw(raw)
    assert root.samples == 100
    assert profile.tree(root) == [
        "- 100% of 100 samples (each line: the share of them with that frame on the stack; "
        "frames under 2% left out)",
        # main > serve > mw1 > mw2 each hold all but <= 1% of their caller's samples (shown: the
        # last one's share)
        "  - 98.0% main (a.py) > ... > mw1 (c.py) > mw2 (c.py)",
        "    - 60.0% handler (d.py)",
        "    - 38.0% send (e.py)",
    ]


def test_a_page_whose_runs_measure_nothing_is_not_met_and_says_why() -> None:
    report = _report()
    report["runs"][0]["errors"] = 12  # ogp-wg, group_list, round 1
    report["register_pairs_short"] = [100, 4000]  # the registration list wrapped
    found = targets.verdicts(report, summarise(report), ours_documents())
    pages = {v.page: (v.target, v.figures, v.met) for v in found if v.page is not None}
    assert pages == {
        "group_list": ("a sound measurement", "ogp-wg answered 12 errors", False),
        "register": (
            "a sound measurement",
            "ogp-wg's registration list wrapped (pairs sent again)",
            False,
        ),
    }
