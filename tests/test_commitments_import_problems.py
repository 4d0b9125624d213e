"""`ogp-wg commitments import` refusing bad files (issue 10, section 3: "validating every row and
reporting each bad row with its line number, loading nothing when any row is bad"), on both
databases: generated bad records are each reported with their CSV line and column, or their JSON
line (where the item starts, in a generated layout), item index and pointer; good records never;
records that contradict each other; files not in the format. Nothing is ever loaded."""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo import COUNTRIES
from core.topics import invalid_topics
from tests.test_commitments_import import PLAN_COLUMNS, RECORDS, counts, run_import, write

Layout = list[tuple[int, int | None]]
"""How a JSON file is laid out: per item, the blank lines before it and its json.dumps indent
(None: on one line)."""


def write_json(tmp: Path, records: list[dict[str, Any]], layout: Layout) -> tuple[Path, list[int]]:
    """The records as a JSON array laid out by `layout`, and the line each item starts on
    (counted while writing, independently of the importer)."""
    text = "["
    starts: list[int] = []
    for n, (record, (gap, indent)) in enumerate(zip(records, layout, strict=True)):
        text += "\n" * gap + ("\n  " if indent is not None else " ")
        starts.append(text.count("\n") + 1)
        text += json.dumps(record, ensure_ascii=False, indent=indent)
        text += "," if n < len(records) - 1 else "\n]\n"
    path = tmp / "records.json"
    path.write_text(text)
    assert json.loads(text) == records
    return path, starts


layouts = st.lists(
    st.tuples(st.integers(0, 3), st.none() | st.integers(0, 4)),
    min_size=len(RECORDS),
    max_size=len(RECORDS),
)

# --- bad records (generated) ---------------------------------------------------------------------

KNOWN_COUNTRIES = {c[0] for c in COUNTRIES}
Defect = Callable[[dict[str, Any], Any], tuple[str | None, str | None]]
"""Spoils a record with a generated value; returns (CSV column, JSON pointer below the item),
None for a problem of the whole record."""


def _plan(key: str) -> Defect:
    def spoil(record: dict[str, Any], value: Any) -> tuple[str | None, str | None]:
        record["action_plan"][key] = value
        return PLAN_COLUMNS.get(key, key), f"/action_plan/{key}"

    return spoil


def _field(key: str) -> Defect:
    def spoil(record: dict[str, Any], value: Any) -> tuple[str | None, str | None]:
        record[key] = value
        return key, f"/{key}"

    return spoil


def _irm(key: str, **also: Any) -> Defect:
    def spoil(record: dict[str, Any], value: Any) -> tuple[str | None, str | None]:
        record["irm"] = {**record["irm"], **also, key: value}
        return f"irm_{key}", f"/irm/{key}"

    return spoil


def _end_before_start(record: dict[str, Any], days: Any) -> tuple[str | None, str | None]:
    record["action_plan"]["cycle_end"] = record["action_plan"]["cycle_start"]
    return "cycle_end", "/action_plan/cycle_end"


def _unsourced(record: dict[str, Any], _: Any) -> tuple[str | None, str | None]:
    record["source_url"] = None
    record["illustrative"] = False
    return "illustrative", "/illustrative"


def _milestone_without_title(record: dict[str, Any], due: Any) -> tuple[str | None, str | None]:
    record["milestones"] = [{"due_on": due, "status": "LIMITED"}]
    return "milestone_1_title", "/milestones/0/title"


def _unknown_country(record: dict[str, Any], code: Any) -> tuple[str | None, str | None]:
    record["action_plan"]["country"] = code
    return None, None


def _unknown_group(record: dict[str, Any], slug: Any) -> tuple[str | None, str | None]:
    record["groups"] = [slug]
    return None, None


slugs = st.from_regex(r"[a-z][a-z0-9]{2,12}(-[a-z0-9]{1,8})?", fullmatch=True)
DEFECTS: dict[str, tuple[Defect, st.SearchStrategy[Any]]] = {
    "a month that does not exist": (
        _plan("cycle_start"),
        st.integers(13, 99).map(lambda m: f"2019-{m}-01"),
    ),
    "a cycle ending before it starts": (_end_before_start, st.just(None)),
    "a cohort before OGP": (_plan("cohort"), st.integers(1900, 2010)),
    "a blank title": (_field("title"), st.sampled_from(["", "   "])),
    "a reference with a space": (
        _field("reference"),
        st.from_regex(r"[A-Z]{2} [0-9]{1,4}", fullmatch=True),
    ),
    "a theme that is not a slug": (
        _field("themes"),
        st.text(min_size=1, max_size=20)
        .filter(lambda t: ";" not in t and t.strip() and invalid_topics([t.strip().lower()]))
        .map(lambda t: [t]),
    ),
    "a source that is not a URL": (
        _field("source_url"),
        st.sampled_from(["ftp://example.org/x", "opengovpartnership.org", "http://", "x y"]),
    ),
    "no source and not illustrative": (_unsourced, st.just(None)),
    "an unknown IRM completion": (
        _irm("completion"),
        st.from_regex(r"[A-Z_]{3,12}", fullmatch=True).filter(
            lambda v: v not in {"NO_EVIDENCE", "NOT_STARTED", "LIMITED", "SUBSTANTIAL", "COMPLETE"}
        ),
    ),
    "both IRM potential scales": (
        _irm("potential_impact", potential_for_results="MODEST"),
        st.sampled_from(["NONE", "MINOR", "MODERATE", "TRANSFORMATIVE"]),
    ),
    "a milestone without a title": (
        _milestone_without_title,
        st.dates().map(lambda d: d.isoformat()),
    ),
    "an unknown country": (
        _unknown_country,
        st.from_regex(r"[A-Z]{2}", fullmatch=True).filter(lambda c: c not in KNOWN_COUNTRIES),
    ),
    "an unknown working group": (_unknown_group, slugs.map(lambda s: f"no-such-{s}")),
}


def csv_record_lines(path: Path) -> list[int]:
    """The line each record of a CSV file starts on, read back with the csv module: a quoted
    field may hold a line break (a generated theme "0\\n0"), so a record may span lines."""
    with path.open(newline="") as file:
        reader = csv.reader(file)
        next(reader)  # the header
        starts, previous = [], reader.line_num
        for _ in reader:
            starts.append(previous + 1)
            previous = reader.line_num
    return starts


@st.composite
def spoiled(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[int, tuple[str, Any]]]:
    """The sample's records with 1 to 3 of them spoiled: (records, {index: (defect, where)})."""
    records = copy.deepcopy(RECORDS)
    indices = draw(st.lists(st.integers(0, len(records) - 1), min_size=1, max_size=3, unique=True))
    spoilt: dict[int, tuple[str, Any]] = {}
    for index in indices:
        name = draw(st.sampled_from(sorted(DEFECTS)))
        defect, values = DEFECTS[name]
        spoilt[index] = (name, defect(records[index], draw(values)))
    return records, spoilt


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=spoiled(), kind=st.sampled_from(["csv", "json"]), layout=layouts)
def test_every_bad_record_is_reported_where_it_is_and_nothing_is_loaded(
    demo_db: str, tmp_path: Path, case: Any, kind: str, layout: Layout
) -> None:
    records, spoilt = case
    before = counts(demo_db)
    if kind == "csv":
        path = write(tmp_path, records, kind)
        starts = csv_record_lines(path)
    else:
        path, starts = write_json(tmp_path, records, layout)
    status, out, err = run_import(demo_db, path)
    assert status == 3, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert lines[-1] == (
        f"ogp-wg: error: {len(lines) - 1} problem(s) in {len(spoilt)} record(s) of "
        f"{path.name}; nothing was loaded"
    )
    for index in range(len(records)):
        where = f"line {starts[index]}" if kind == "csv" else f"line {starts[index]} (item {index}"
        mine = [line for line in lines[:-1] if line.startswith(f"ogp-wg: {path.name}: {where}")]
        if index not in spoilt:
            assert mine == [], (index, mine)
            continue
        name, (column, pointer) = spoilt[index]
        if column is None:  # a problem of the whole record (the database was read)
            expected = f"ogp-wg: {path.name}: {where}" + ("): " if kind == "json" else ": ")
        elif kind == "csv":
            expected = f"ogp-wg: {path.name}: {where}, column {column}: "
        else:
            expected = f"ogp-wg: {path.name}: {where}, /{index}{pointer}): "
        assert any(line.startswith(expected) for line in mine), (name, expected, mine)
    assert counts(demo_db) == before


def test_records_that_contradict_each_other_are_reported(demo_db: str, tmp_path: Path) -> None:
    """The same commitment twice, and two records of one plan that disagree on it: the later
    record is reported, naming the earlier one."""
    records = copy.deepcopy(RECORDS)
    twice = copy.deepcopy(records[1])
    other = copy.deepcopy(records[1])
    other["reference"] = "NG9999"
    other["action_plan"]["title"] = "Another title for the same plan"
    records += [twice, other]
    status, _, err = run_import(demo_db, write(tmp_path, records, "csv"))
    assert status == 3
    assert "ogp-wg: records.csv: line 8: commitment NG0020 again (line 3)" in err
    assert (
        "ogp-wg: records.csv: line 9: the action plan (NG, 2019-07-01) differs from line 3 in title"
        in err
    )
    status, _, err = run_import(demo_db, write(tmp_path, records, "json"))
    assert status == 3
    assert "ogp-wg: records.json: line 1 (item 6): commitment NG0020 again (line 1 (item 1))" in err
    path, starts = write_json(tmp_path, records, [(1, 2)] * len(records))
    status, _, err = run_import(demo_db, path)
    assert status == 3
    assert (
        f"ogp-wg: records.json: line {starts[6]} (item 6): commitment NG0020 again "
        f"(line {starts[1]} (item 1))" in err
    )


def test_a_file_not_in_the_format_is_refused_whole(demo_db: str, tmp_path: Path) -> None:
    cases = {
        "missing.csv": None,
        "header.csv": "country,plan_title,cycle_start,cycle_end,reference,title,colour\n",
        "no-title.csv": "country,plan_title,cycle_start,cycle_end,reference\n",
        "object.json": '{"action_plan": {}}',
        "broken.json": "[{",
        "latin1.csv": b"country,plan_title\n".decode() + "Bogot\xe1",
        "empty.json": "[]",
    }
    expected = {
        "missing.csv": "missing.csv: no such file",
        "header.csv": "line 1: unknown column(s) colour",
        "no-title.csv": "line 1: missing column(s) title",
        "object.json": "must hold an array of commitment records",
        "broken.json": "not JSON",
        "latin1.csv": "latin1.csv: not UTF-8 text",
        "empty.json": "file: no records: nothing to load",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if name == "latin1.csv" and content is not None:
            path.write_bytes(content.encode("latin-1"))
        elif content is not None:
            path.write_text(content)
        status, out, err = run_import(demo_db, path)
        assert status == 3, (name, err)
        assert out == "" and expected[name] in err, (name, err)
        assert "nothing was loaded" in err.splitlines()[-1]
