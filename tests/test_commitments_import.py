"""`ogp-wg commitments import` (issue 10, section 3), through its public entry point on both
databases: the sample files load (CSV and JSON to the same rows, read back over GraphQL), loading
again changes nothing, a corrected file updates what changed; a refusal by the database itself is
reported per record and rolls everything back; the console script's progress (rich on a terminal,
plain lines in a pipe) and exit statuses. Bad files: tests/test_commitments_import_problems.py."""

from __future__ import annotations

import asyncio
import copy
import csv
import io
import json
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import text

from core.cli import main
from core.db import Database
from core.testing import ClientFactory, GraphQLClient
from tests.test_cli_progress import ESCAPE, plain, run_on_terminal
from tests.test_config_cli import OGP_WG

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "commitments"
RECORDS: list[dict[str, Any]] = json.loads((SAMPLES / "sample.json").read_text())
STATE = """{ actionPlans(first: 100) { totalCount nodes { country { code } title cycleStart
    cycleEnd cohort submittedOn sourceUrl illustrative } }
  commitments(first: 100) { totalCount nodes { reference position title description
    leadInstitution sourceUrl illustrative themes workingGroups { slug } actionPlan { cycleStart }
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
    assert nigeria["sourceUrl"] == RECORDS[1]["source_url"]  # stored, not only checked
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
            first, second = (
                ("line 4", "line 6") if kind == "csv" else ("line 1 (item 2)", "line 1 (item 4)")
            )
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
