"""The file format of `ogp-wg commitments import` (docs/commitments-import.md): one record per
commitment, as a CSV row or a JSON array item, read and checked here before anything is loaded.

A record is the commitment, its action plan (repeated on each of the plan's records), its themes,
the working groups that follow it, its milestones and, optionally, the IRM's assessment. CSV
flattens the nesting into columns (`country`, `plan_title`, ..., `milestone_2_due_on`,
`irm_completion`); JSON keeps it (`{"action_plan": {...}, "milestones": [...], "irm": {...}}`).
Both are turned into the same `Record` model (core/commitments/import_record.py), and every
problem is reported where the user finds it: a CSV line and column, or a JSON line, item index
and JSON pointer (RFC 6901).
"""

from __future__ import annotations

import bisect
import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.commitments.import_record import (
    LIST_SEPARATOR,
    MAX_MILESTONES,
    IrmIn,
    PlanIn,
    Record,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: `where` a person finds it ("line 4, column
    milestone_2_due_on" / "line 40 (item 3, /3/milestones/1/due_on)"), and `what` is wrong."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True)
class Parsed:
    """A record read from the file, `where` it was (for later problems), or its problems."""

    where: str
    record: Record | None
    problems: tuple[Problem, ...] = ()


class FileError(Exception):
    """The file cannot be read as the format says (not found, not UTF-8, not JSON, no header...)."""


# --- CSV -----------------------------------------------------------------------------------------

PLAN_COLUMNS = {
    "country": "country",
    "plan_title": "title",
    "cycle_start": "cycle_start",
    "cycle_end": "cycle_end",
    "submitted_on": "submitted_on",
    "cohort": "cohort",
    "plan_source_url": "source_url",
    "plan_illustrative": "illustrative",
}
COMMITMENT_COLUMNS = (
    "reference", "position", "title", "description", "lead_institution", "themes", "groups",
    "source_url", "illustrative",
)  # fmt: skip
MILESTONE_FIELDS = ("title", "due_on", "status")
IRM_FIELDS = tuple(IrmIn.model_fields)
COLUMNS = (
    *PLAN_COLUMNS,
    *COMMITMENT_COLUMNS,
    *(f"milestone_{n}_{f}" for n in range(1, MAX_MILESTONES + 1) for f in MILESTONE_FIELDS),
    *(f"irm_{f}" for f in IRM_FIELDS),
)
"""Every column a CSV file may have, in this order when a program writes one."""
REQUIRED_COLUMNS = ("country", "plan_title", "cycle_start", "cycle_end", "reference", "title")


def _csv_column(loc: tuple[Any, ...]) -> str | None:
    """The CSV column of a place in a `Record` (pydantic's `loc`), or None for the whole row."""
    if not loc:
        return None
    head = loc[0]
    if head == "action_plan":
        if len(loc) < 2:
            return None
        return next((c for c, f in PLAN_COLUMNS.items() if f == loc[1]), None)
    if head == "milestones" and len(loc) >= 2 and isinstance(loc[1], int):
        field = loc[2] if len(loc) > 2 else "title"
        return f"milestone_{loc[1] + 1}_{field}"
    if head == "irm":
        return f"irm_{loc[1]}" if len(loc) > 1 else "irm_source_title"
    return str(head)


def _csv_record(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row (blank cells left out) in the nested shape of a JSON record."""
    cells = {k: v for k, v in row.items() if v is not None and v.strip() != ""}
    record: dict[str, Any] = {
        "action_plan": {PLAN_COLUMNS[c]: cells[c] for c in PLAN_COLUMNS if c in cells},
        **{c: cells[c] for c in COMMITMENT_COLUMNS if c in cells},
    }
    for name in ("themes", "groups"):
        if name in record:
            record[name] = [p.strip() for p in record[name].split(LIST_SEPARATOR) if p.strip()]
    milestones: list[dict[str, str]] = []
    for n in range(1, MAX_MILESTONES + 1):
        columns = {f: f"milestone_{n}_{f}" for f in MILESTONE_FIELDS}
        found = {f: cells[c] for f, c in columns.items() if c in cells}
        if found:
            milestones.extend({} for _ in range(n - 1 - len(milestones)))  # a gap is reported
            milestones.append(found)
    if milestones:
        record["milestones"] = milestones
    irm = {f: cells[f"irm_{f}"] for f in IRM_FIELDS if f"irm_{f}" in cells}
    if irm:
        record["irm"] = irm
    return record


def read_csv(text: str) -> list[tuple[str, dict[str, Any] | None, Any]]:
    """(where, nested record or None for a row of too many cells, locator) per data row;
    FileError for a bad header. The locator turns a pydantic `loc` into where the user finds
    it. Blank lines are skipped; a quoted cell may span lines (a row is where it starts)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise FileError("line 1: no header row (the column names, docs/commitments-import.md)")
    header = [c.strip() for c in header]
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        parts = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        parts += [f"missing column(s) {', '.join(missing)}"] if missing else []
        parts += ["a column is named twice"] if len(set(header)) != len(header) else []
        raise FileError(f"line 1: {'; '.join(parts)} (docs/commitments-import.md)")
    rows: list[tuple[str, dict[str, Any] | None, Any]] = []
    line = reader.line_num
    for cells in reader:
        where = f"line {line + 1}"
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue

        def locate(loc: tuple[Any, ...], w: str = where) -> str:
            column = _csv_column(loc)
            return f"{w}, column {column}" if column else w

        if len(cells) > len(header):
            rows.append((where, None, locate))
            continue
        rows.append((where, _csv_record(dict(zip(header, cells, strict=False))), locate))
    return rows


# --- JSON ----------------------------------------------------------------------------------------


def _item_starts(text: str) -> list[int]:
    """The offset in `text` where each item of its top-level JSON array starts (`text` is
    already known to be a valid JSON array): `raw_decode` item after item, skipping the
    whitespace and commas between them."""
    decoder = json.JSONDecoder()
    space = " \t\n\r"
    at = len(text) - len(text.lstrip(space)) + 1  # after "["
    starts: list[int] = []
    while True:
        while text[at] in space:
            at += 1
        if text[at] == "]":
            return starts
        starts.append(at)
        _, at = decoder.raw_decode(text, at)
        while text[at] in space:
            at += 1
        if text[at] == ",":
            at += 1


def read_json(text: str) -> list[tuple[str, Any, Any]]:
    """(where, item, locator) per item of the file's array; FileError when it is not a JSON
    array. `where` is the line the item starts on and its index ("line 12 (item 3)"); the
    locator adds the RFC 6901 pointer of a problem ("line 12 (item 3, /3/milestones/1/due_on)")."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, list):
        raise FileError("the JSON file must hold an array of commitment records (/: not an array)")
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    rows: list[tuple[str, Any, Any]] = []
    for index, (item, start) in enumerate(zip(data, _item_starts(text), strict=True)):
        line = bisect.bisect_left(newlines, start) + 1
        where = f"line {line} (item {index})"

        def locate(loc: tuple[Any, ...], i: int = index, n: int = line) -> str:
            pointer = "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in loc)
            return f"line {n} (item {i}, /{i}{pointer})"

        rows.append((where, item, locate))
    return rows


# --- both ----------------------------------------------------------------------------------------


def _message(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (docs/commitments-import.md lists the keys)"
    if error["type"] in ("enum", "literal_error"):
        return f"{message}, got {error.get('input')!r}"
    return message


def parse(path: Path, kind: str | None = None) -> list[Parsed]:
    """Every record of the file at `path` (`kind` "csv" or "json"; default: its extension),
    each validated on its own. FileError when the file itself cannot be read."""
    kind = (kind or path.suffix.lstrip(".")).lower()
    if kind not in ("csv", "json"):
        raise FileError(f"{path.name}: give --format csv or json (the extension does not say)")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise FileError(f"{path.name}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror}") from None
    rows = read_csv(text) if kind == "csv" else read_json(text)
    parsed: list[Parsed] = []
    for where, raw, locate in rows:
        if raw is None:
            parsed.append(Parsed(where, None, (Problem(where, "more cells than columns"),)))
            continue
        try:
            parsed.append(Parsed(where, Record.model_validate(raw)))
        except ValidationError as exc:
            problems = tuple(Problem(locate(tuple(e["loc"])), _message(e)) for e in exc.errors())
            parsed.append(Parsed(where, None, problems))
    return parsed


def cross_check(parsed: list[Parsed]) -> list[Problem]:
    """Problems between records: the same commitment twice (country, cycle start, reference),
    and records of one action plan that disagree on the plan."""
    problems: list[Problem] = []
    plans: dict[tuple[str, date], tuple[str, PlanIn]] = {}
    seen: dict[tuple[str, date, str], str] = {}
    for item in parsed:
        if item.record is None:
            continue
        plan = item.record.action_plan
        first = plans.setdefault(plan.key(), (item.where, plan))
        if first[1] != plan:
            differ = [f for f in PlanIn.model_fields if getattr(first[1], f) != getattr(plan, f)]
            problems.append(
                Problem(
                    item.where,
                    f"the action plan ({plan.country}, {plan.cycle_start}) differs from "
                    f"{first[0]} in {', '.join(differ)}",
                )
            )
        key = (*plan.key(), item.record.reference)
        if key in seen:
            problems.append(
                Problem(item.where, f"commitment {item.record.reference} again ({seen[key]})")
            )
        seen.setdefault(key, item.where)
    return problems
