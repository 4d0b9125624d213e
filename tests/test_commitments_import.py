"""`ogp-wg commitments import` (issue 10, section 3), through its public entry point on both
databases: the sample files load (CSV and JSON to the same rows, read back over GraphQL), loading
again changes nothing, a corrected file updates what changed; generated bad records are each
reported with their CSV line and column or JSON item and pointer, good records never, and nothing
is loaded; a refusal by the database itself is reported per record and rolls everything back;
the console script's progress (rich on a terminal, plain lines in a pipe) and exit statuses."""

from __future__ import annotations

import asyncio
import copy
import csv
import io
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from core.cli import main
from core.db import Database
from core.demo import COUNTRIES
from core.testing import ClientFactory, GraphQLClient
from core.topics import invalid_topics
from tests.test_cli_progress import ESCAPE, plain, run_on_terminal
from tests.test_config_cli import OGP_WG

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "commitments"
RECORDS: list[dict[str, Any]] = json.loads((SAMPLES / "sample.json").read_text())
STATE = """{ actionPlans(first: 100) { totalCount nodes { country { code } title cycleStart
    cycleEnd cohort submittedOn sourceUrl illustrative } }
  commitments(first: 100) { totalCount nodes { reference position title description
    leadInstitution illustrative themes workingGroups { slug } actionPlan { cycleStart }
    milestones { position title dueOn status }
    irmAssessment { verifiable accessToInformation civicParticipation publicAccountability
      technologyAndInnovation potentialForResults potentialImpact completion
      didItOpenGovernment sourceTitle sourceUrl illustrative } } } }"""
COUNTS = "{ actionPlans(first: 1) { totalCount } commitments(first: 1) { totalCount } }"


def counts(url: str) -> Any:
    """How many plans and commitments the API lists, from a sync test: an app of its own, run and
    closed in one event loop (an asyncpg pool does not outlive its loop)."""

    async def read() -> Any:
        factory = ClientFactory()
        try:
            return await factory(url).execute(COUNTS)
        finally:
            await factory.close()

    return asyncio.run(read())


# --- running the command -------------------------------------------------------------------------


def run_import(url: str, path: Path, *options: str) -> tuple[int, str, str]:
    """`ogp-wg commitments import PATH OPTIONS` in this process (core.cli.main, the console
    script's entry point) on the database `url`: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    with (
        patch.dict(os.environ, {**environ, "OGP_WG_DATABASE_URL": url}, clear=True),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            status = main(["commitments", "import", str(path), *options])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


CSV_COLUMNS = [
    "country", "plan_title", "cycle_start", "cycle_end", "submitted_on", "cohort",
    "plan_source_url", "plan_illustrative", "reference", "position", "title", "description",
    "lead_institution", "themes", "groups", "source_url", "illustrative",
    *(f"milestone_{n}_{f}" for n in (1, 2, 3) for f in ("title", "due_on", "status")),
    *(f"irm_{f}" for f in ("source_title", "source_url", "verifiable", "access_to_information",
      "civic_participation", "public_accountability", "technology_and_innovation",
      "potential_for_results", "potential_impact", "completion", "did_it_open_government",
      "illustrative")),
]  # fmt: skip
PLAN_COLUMNS = {"title": "plan_title", "source_url": "plan_source_url"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(records: list[dict[str, Any]]) -> str:
    """The records as the CSV form of the format (docs/commitments-import.md)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row: dict[str, Any] = {}
        for key, value in record["action_plan"].items():
            column = PLAN_COLUMNS.get(key, "plan_illustrative" if key == "illustrative" else key)
            row[column] = value
        for key, value in record.items():
            if key in ("themes", "groups"):
                row[key] = "; ".join(value)
            elif key not in ("action_plan", "milestones", "irm"):
                row[key] = value
        for n, milestone in enumerate(record.get("milestones") or [], start=1):
            for key, value in milestone.items():
                row[f"milestone_{n}_{key}"] = value
        for key, value in (record.get("irm") or {}).items():
            row[f"irm_{key}"] = value
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()


def write(tmp: Path, records: list[dict[str, Any]], kind: str) -> Path:
    path = tmp / f"records.{kind}"
    path.write_text(to_csv(records) if kind == "csv" else json.dumps(records, ensure_ascii=False))
    return path


# --- good files ----------------------------------------------------------------------------------


async def test_the_sample_files_load_to_the_same_rows_and_again_change_nothing(
    demo_db: str, make_client: Any
) -> None:
    client: GraphQLClient = make_client(demo_db)
    before = await client.execute(COUNTS)

    status, out, err = await asyncio.to_thread(run_import, demo_db, SAMPLES / "sample.csv")
    assert status == 0, err
    assert "ogp-wg: sample.csv: 6 records checked, all good" in err
    # the demo has some of the sample's plans and commitments (the Chilean ones): updated
    after = await client.execute(COUNTS)
    for kind, key in (("action plans", "actionPlans"), ("commitments", "commitments")):
        found = re.search(rf"^{kind}: (\d+) added, (\d+) updated, 0 unchanged$", out, re.M)
        assert found is not None, out
        assert int(found[1]) + int(found[2]) == 6, out
        assert after[key]["totalCount"] - before[key]["totalCount"] == int(found[1])
    from_csv = await client.execute(STATE)

    for sample in ("sample.json", "sample.csv"):  # the same rows: nothing to change
        status, out, err = await asyncio.to_thread(run_import, demo_db, SAMPLES / sample)
        assert status == 0, err
        assert out.splitlines() == [
            "action plans: 0 added, 0 updated, 6 unchanged",
            "commitments: 0 added, 0 updated, 6 unchanged",
        ]
        assert await client.execute(STATE) == from_csv

    commitments = {c["reference"]: c for c in from_csv["commitments"]["nodes"]}
    nigeria = commitments["NG0020"]
    assert nigeria["title"] == "Establish Beneficial Ownership Registry"
    assert nigeria["leadInstitution"] == "Corporate Affairs Commission"
    assert nigeria["themes"] == ["anti-corruption", "beneficial-ownership", "open-data"]
    assert nigeria["workingGroups"] == [{"slug": "extractive-industries"}]
    assert nigeria["actionPlan"] == {"cycleStart": "2019-07-01"}
    assert nigeria["irmAssessment"]["didItOpenGovernment"] == "MAJOR"
    assert nigeria["irmAssessment"]["sourceTitle"] == "Nigeria Results Report 2019-2022"
    assert nigeria["illustrative"] is False and nigeria["irmAssessment"]["illustrative"] is False
    demo = commitments["PH-DEMO-01"]
    assert demo["illustrative"] is True
    assert [(m["position"], m["dueOn"], m["status"]) for m in demo["milestones"]] == [
        (1, "2023-03-31", "COMPLETE"),
        (2, "2023-09-30", "SUBSTANTIAL"),
        (3, "2024-06-30", "NOT_STARTED"),
    ]
    assert demo["irmAssessment"]["potentialForResults"] == "SUBSTANTIAL"


async def test_a_corrected_file_updates_what_changed(
    demo_db: str, make_client: Any, tmp_path: Path
) -> None:
    client: GraphQLClient = make_client(demo_db)
    status, _, err = await asyncio.to_thread(run_import, demo_db, SAMPLES / "sample.json")
    assert status == 0, err
    records = copy.deepcopy(RECORDS)
    demo = next(r for r in records if r["reference"] == "PH-DEMO-01")
    demo["title"] = "Publish the key budget documents on time (illustrative)"
    demo["themes"] = ["budget-transparency"]
    demo["milestones"] = demo["milestones"][:2]
    demo["milestones"][1]["status"] = "COMPLETE"
    demo["irm"]["completion"] = "SUBSTANTIAL"
    status, out, err = await asyncio.to_thread(run_import, demo_db, write(tmp_path, records, "csv"))
    assert status == 0, err
    assert out.splitlines() == [
        "action plans: 0 added, 0 updated, 6 unchanged",
        "commitments: 0 added, 1 updated, 5 unchanged",
    ]
    state = await client.execute(STATE)
    found = next(c for c in state["commitments"]["nodes"] if c["reference"] == "PH-DEMO-01")
    assert found["title"] == demo["title"] and found["themes"] == ["budget-transparency"]
    assert [(m["position"], m["status"]) for m in found["milestones"]] == [
        (1, "COMPLETE"),
        (2, "COMPLETE"),
    ]
    assert found["irmAssessment"]["completion"] == "SUBSTANTIAL"


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
@given(case=spoiled(), kind=st.sampled_from(["csv", "json"]))
def test_every_bad_record_is_reported_where_it_is_and_nothing_is_loaded(
    demo_db: str, tmp_path: Path, case: Any, kind: str
) -> None:
    records, spoilt = case
    before = counts(demo_db)
    path = write(tmp_path, records, kind)
    status, out, err = run_import(demo_db, path)
    assert status == 3, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert lines[-1] == (
        f"ogp-wg: error: {len(lines) - 1} problem(s) in {len(spoilt)} record(s) of "
        f"{path.name}; nothing was loaded"
    )
    for index in range(len(records)):
        where = f"line {index + 2}" if kind == "csv" else f"item {index}"
        mine = [line for line in lines[:-1] if re.match(rf"ogp-wg: {path.name}: {where}\b", line)]
        if index not in spoilt:
            assert mine == [], (index, mine)
            continue
        name, (column, pointer) = spoilt[index]
        if column is None:  # a problem of the whole record (the database was read)
            expected = f"ogp-wg: {path.name}: {where}: "
        elif kind == "csv":
            expected = f"ogp-wg: {path.name}: {where}, column {column}: "
        else:
            expected = f"ogp-wg: {path.name}: {where} (/{index}{pointer}): "
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
    assert "ogp-wg: records.json: item 6: commitment NG0020 again (item 1)" in err


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


# --- the database's own refusals -----------------------------------------------------------------

REFUSED_TITLE = "Refused by the database"


@contextmanager
def refusing_trigger(url: str) -> Iterator[None]:
    """A trigger on commitments that the importer's checks know nothing of: it refuses one title
    (a rule the database holds and the file format does not)."""
    sqlite = url.startswith("sqlite")
    create = (
        [
            f"CREATE TRIGGER test_import_refuse_{event.lower()} BEFORE {event} ON commitments "
            f"WHEN NEW.title = '{REFUSED_TITLE}' "
            "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"
            for event in ("INSERT", "UPDATE")  # the sample's CL0061 updates the demo's
        ]
        if sqlite
        else [
            "CREATE FUNCTION test_import_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.title = '{REFUSED_TITLE}' THEN RAISE EXCEPTION 'refused by a test trigger' "
            "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER test_import_refuse BEFORE INSERT OR UPDATE ON commitments "
            "FOR EACH ROW EXECUTE FUNCTION test_import_refuse()",
        ]
    )
    drop = (
        [f"DROP TRIGGER IF EXISTS test_import_refuse_{event}" for event in ("insert", "update")]
        if sqlite
        else [
            "DROP TRIGGER IF EXISTS test_import_refuse ON commitments",
            "DROP FUNCTION IF EXISTS test_import_refuse()",
        ]
    )

    async def execute(statements: list[str]) -> None:
        db = Database(url)
        try:
            async with db.write() as conn:
                for statement in statements:
                    await conn.execute(text(statement))
        finally:
            await db.dispose()

    asyncio.run(execute(create))
    try:
        yield
    finally:
        asyncio.run(execute(drop))


def test_a_record_the_database_refuses_is_reported_and_nothing_is_loaded(
    demo_db: str, tmp_path: Path
) -> None:
    before = counts(demo_db)
    records = copy.deepcopy(RECORDS)
    records[2]["title"] = records[4]["title"] = REFUSED_TITLE
    with refusing_trigger(demo_db):
        for kind in ("csv", "json"):
            path = write(tmp_path, records, kind)
            status, out, err = run_import(demo_db, path)
            assert status == 3, err
            refused = [line for line in err.splitlines() if "the database refused it" in line]
            first, second = ("line 4", "line 6") if kind == "csv" else ("item 2", "item 4")
            assert [line.split(": ")[2] for line in refused] == [first, second], refused
            assert all("CONSTRAINT_VIOLATION" in line for line in refused), refused
            assert all("refused by a test trigger" in line for line in refused), refused
            assert "Traceback" not in err and out == ""
            assert err.splitlines()[-1] == (
                f"ogp-wg: error: 2 problem(s) in 2 record(s) of {path.name}; nothing was loaded"
            )
            assert counts(demo_db) == before  # the other four rolled back


# --- the console script: progress and exit status ------------------------------------------------


def _env(url: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    return clean | {"OGP_WG_DATABASE_URL": url}


def test_the_console_script_shows_progress_and_says_why_it_stops(
    demo_db: str, tmp_path: Path
) -> None:
    piped = subprocess.run(
        [OGP_WG, "commitments", "import", str(SAMPLES / "sample.csv")], env=_env(demo_db),
        cwd=tmp_path, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "\x1b" not in piped.stderr and "\r" not in piped.stderr
    assert piped.stderr.splitlines() == [
        "ogp-wg: sample.csv: 6 records checked, all good",
        *(f"ogp-wg: loading sample.csv: {n} of 6 records" for n in range(1, 7)),
    ]

    status, shown = run_on_terminal(
        _env(demo_db), tmp_path, "commitments", "import", str(SAMPLES / "sample.json")
    )
    assert status == 0, shown
    assert ESCAPE.search(shown), shown  # rich drew the bar
    text_shown = plain(shown)
    assert "loading sample.json" in text_shown and "6/6" in text_shown, text_shown
    assert "commitments: 0 added, 0 updated, 6 unchanged" in text_shown

    dry = subprocess.run(
        [OGP_WG, "commitments", "import", "--dry-run", str(SAMPLES / "sample.json")],
        env=_env(demo_db), cwd=tmp_path, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert dry.returncode == 0 and "--dry-run: nothing was loaded" in dry.stdout, dry

    usage = subprocess.run(
        [OGP_WG, "commitments", "import"], env=_env(demo_db), cwd=tmp_path,
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert usage.returncode == 2 and "FILE" in usage.stderr

    empty = f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    unmigrated = subprocess.run(
        [OGP_WG, "commitments", "import", str(SAMPLES / "sample.csv")], env=_env(empty),
        cwd=tmp_path, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert unmigrated.returncode == 1
    lines = unmigrated.stderr.strip().splitlines()
    assert len(lines) == 1 and "ogp-wg db upgrade" in lines[0], unmigrated.stderr
