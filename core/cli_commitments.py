"""`ogp-wg commitments import FILE`: load action plans and commitments from a CSV or JSON file
(the format: docs/commitments-import.md; the loading: core/commitments/importer.py).

Every record is checked before anything is written; a bad record is reported with its CSV line
and column, or its JSON item and pointer, and then nothing is loaded. Progress on stderr: a rich
progress bar when stderr is a terminal, else plain `ogp-wg: ...` lines (as `ogp-wg demo`).

Exit status: 0 loaded (or, with --dry-run, every record good); 1 the command could not run (the
configuration, the database unreachable or not migrated): one `ogp-wg: error:` line; 2 a usage
error (argparse); 3 the file cannot be loaded as it is (missing, unreadable, not in the format,
or some records bad: each problem on its own line), and nothing was loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.cli import command_settings, progress

EXIT_REFUSED = 3
"""The file's records were refused (or the file could not be read): nothing was loaded."""


@contextmanager
def _bar(total: int, title: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr when it is a terminal; else a plain line every tenth."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        done = 0
        step = max(1, total // 10)

        def advance_plain() -> None:
            nonlocal done
            done += 1
            if done % step == 0 or done == total:
                progress(f"{title}: {done} of {total} records")

        yield advance_plain
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(title, total=total)
        yield lambda: bar.advance(task)


def _refused(path: Path, problems: list[Any]) -> None:
    from core.commitments.importer import record_of

    for problem in problems:
        print(f"ogp-wg: {path.name}: {problem}", file=sys.stderr)
    records = {record_of(p.where) for p in problems}
    print(
        f"ogp-wg: error: {len(problems)} problem(s) in {len(records)} record(s) of {path.name}; "
        "nothing was loaded",
        file=sys.stderr,
    )
    raise SystemExit(EXIT_REFUSED)


def cmd_commitments_import(args: argparse.Namespace) -> None:
    from core.cli_db import require_migrated
    from core.commitments.importer import FileError, Refused, check, load
    from core.db import Database
    from core.plugins import make_plugin_manager

    settings = command_settings(args)
    plugins = make_plugin_manager(settings)
    path = Path(args.file)

    async def run() -> Any:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
            checked = await check(db, path, args.format)
            progress(f"{path.name}: {len(checked)} records checked, all good")
            if args.dry_run:
                return None
            with _bar(len(checked), f"loading {path.name}") as advance:
                return await load(db, checked, plugins.constraint_errors, advance)
        finally:
            await db.dispose()

    try:
        report = asyncio.run(run())
    except FileError as exc:
        print(f"ogp-wg: error: {exc}; nothing was loaded", file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    except Refused as refused:
        _refused(path, refused.problems)
    if report is None:
        print(f"{path.name}: every record is good (--dry-run: nothing was loaded)")
        return
    print(f"action plans: {report.action_plans}")
    print(f"commitments: {report.commitments}")


def add_commands(sub: Any) -> None:
    """Register `ogp-wg commitments import`."""
    commitments = sub.add_parser("commitments", help="OGP action plans and commitments")
    actions = commitments.add_subparsers(
        dest="commitments_command", required=True, metavar="ACTION"
    )
    command = actions.add_parser(
        "import",
        help="load action plans and commitments from a CSV or JSON file (all or nothing)",
        description="Load action plans and commitments (milestones, themes, working groups, "
        "IRM assessment) from a CSV or JSON file in the format of docs/commitments-import.md. "
        "Every record is checked first; any bad record is reported with its line (CSV) or item "
        "and JSON pointer (JSON) and nothing is loaded. Loading again updates what changed. "
        "Exit status: 0 loaded; 1 could not run (configuration, database); 2 usage; "
        "3 the file was refused, nothing loaded.",
    )
    command.add_argument("file", metavar="FILE", help="the .csv or .json file")
    command.add_argument(
        "--format", choices=("csv", "json"), help="the file's format (default: its extension)"
    )
    command.add_argument("--dry-run", action="store_true", help="check every record, load nothing")
    command.set_defaults(func=cmd_commitments_import)
