"""The `ogp-wg` command. Errors are one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

EXIT_ERROR = 1


def _settings(args: argparse.Namespace) -> Any:
    from core.config import load_settings

    flags = ("host", "port", "workers")
    overrides = {k: v for k in flags if (v := getattr(args, k, None)) is not None}
    settings = load_settings(overrides_from="command line", **overrides)
    global _database_url  # one command per process: the database named in error lines
    _database_url = settings.database_url
    return settings


_database_url: str | None = None


def _progress(message: str) -> None:
    print(f"ogp-wg: {message}", file=sys.stderr, flush=True)


progress = _progress  # for core.cli_db and other command modules


def _exit_cleanly(signum: int, _frame: Any) -> None:
    raise SystemExit(0)


def cmd_serve(args: argparse.Namespace) -> None:
    """Check everything that can fail (settings, database, migrations, port) before saying
    "serving": a server that announces itself and then exits misleads whoever watches it."""
    import logging
    import os
    import signal

    import uvicorn
    from uvicorn.supervisors import ChangeReload, Multiprocess

    from core.serve_checks import bind, check_database

    # uvicorn shuts down gracefully on SIGTERM (in-flight requests finish, the socket closes),
    # then restores the handler it found and raises the signal again: with the default one the
    # process would die "killed by SIGTERM" (status -15 / 143) after a clean shutdown. Found,
    # ours turns that into exit status 0, which is what a process manager expects.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    settings = _settings(args)
    check_database(settings)  # before logging is set up: a failure is its one line, nothing else
    from core.observability.logs import configure_logging, uvicorn_log_options

    # From here on every line on stderr is a log line (JSON or text: `log_format`), uvicorn's too.
    configure_logging(settings)
    log = logging.getLogger("ogp_wg.serve")
    from core.app import create_app

    app: Any = create_app(settings)  # what can fail (plugins, schema), before "serving"
    several = settings.workers > 1 or args.reload
    if several:
        # Each worker process builds its own app from the configuration and the environment:
        # the worker count goes with it, so each sizes its pool as this process checked.
        os.environ["OGP_WG_WORKERS"] = str(settings.workers)
        app = "core.app:app_from_environment"
    sock = bind(settings.host, settings.port)
    if not settings.is_sqlite:
        log.info("PostgreSQL connections: up to %s", settings.describe_connections())
    log.info("serving GraphQL on http://%s:%s/graphql", settings.host, settings.port)
    config = uvicorn.Config(
        app, factory=several, host=settings.host, port=settings.port, workers=settings.workers,
        reload=args.reload, **uvicorn_log_options(settings),
    )  # fmt: skip
    server = uvicorn.Server(config)
    from core.observability.metrics import prepare_multiprocess

    # Several workers write their metrics to one fresh directory, made before they start.
    with sock, prepare_multiprocess(settings.metrics and settings.workers > 1):
        if args.reload:
            ChangeReload(config, target=server.run, sockets=[sock]).run()
        elif several:
            Multiprocess(config, sockets=[sock]).run()
        else:
            server.run(sockets=[sock])
    if not several and not server.started:
        raise RuntimeError("the server did not start: see the log lines above")


def cmd_db_drop_plugin(args: argparse.Namespace) -> None:
    """Show what an uninstalled plugin left, ask for its key as confirmation, delete it."""
    from core.db import Database
    from core.plugin_removal import DropRefused, drop_plugin, plan_drop
    from core.plugins import make_plugin_manager

    settings = _settings(args)
    plugins = make_plugin_manager(settings)
    db = Database(settings.database_url)

    async def plan() -> Any:
        try:
            return await plan_drop(db, plugins, args.key, by_prefix=args.by_prefix)
        finally:
            await db.dispose()

    confirmed = asyncio.run(plan())
    print(confirmed.describe(), flush=True)
    if not args.yes:
        try:
            answer = input(f"Type the plugin key '{args.key}' to confirm: ")
        except EOFError:  # no terminal and nothing piped in: not a yes
            print()
            answer = ""
        if answer.strip() != args.key:
            raise DropRefused("not confirmed; nothing was dropped")

    async def run() -> None:
        try:
            await drop_plugin(db, plugins, confirmed)
        finally:
            await db.dispose()

    asyncio.run(run())
    _progress(f"dropped what plugin '{args.key}' left in {_safe_url(settings.database_url)}")


def cmd_db_revision(args: argparse.Namespace) -> None:
    from core.plugins import make_plugin_manager
    from core.revision import RevisionError, generate_revision

    plugins = make_plugin_manager(_settings(args))
    _progress(f"plugin '{args.plugin}': comparing its models with a scratch database at head")
    try:
        created = asyncio.run(generate_revision(plugins, args.plugin, args.message))
    except RevisionError as exc:
        print(f"ogp-wg: error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    if created is None:
        print(f"no changes: plugin '{args.plugin}': its migrations match its models")
        return
    parent = f"revises {created.down_revision}" if created.down_revision else "first of its branch"
    print(f"created {created.path} (revision {created.revision}, {parent})")
    for change in created.changes:
        print(f"  {change}")
    print("next: review it, then `ogp-wg db upgrade`")


def cmd_db_backup(args: argparse.Namespace) -> None:
    from core.backup import backup

    settings = _settings(args)
    _progress(f"backing up {_safe_url(settings.database_url)} to {args.path}")
    done = backup(settings.database_url, args.path)
    _progress(f"wrote {done.path} ({done.size} bytes, {done.backend})")


def cmd_db_restore(args: argparse.Namespace) -> None:
    from core.backup import BackupError, restore

    settings = _settings(args)
    where = _safe_url(settings.database_url)
    if not args.yes:
        print(f"This replaces EVERY table of {where} with the content of {args.path}.")
        try:
            answer = input("Type 'restore' to confirm: ")
        except EOFError:  # no terminal and nothing piped in: not a yes
            print()
            answer = ""
        if answer.strip() != "restore":
            raise BackupError("not confirmed; nothing was restored")
    with _status(f"restoring {where} from {args.path}"):
        done = restore(settings.database_url, args.path)
    _progress(f"restored {where} from {done.path}; run `ogp-wg db upgrade` if the code is newer")


def cmd_demo(args: argparse.Namespace) -> None:
    from core.cli_db import require_migrated
    from core.db import Database
    from core.demo import load_demo
    from core.plugins import make_plugin_manager

    settings = _settings(args)
    plugins = make_plugin_manager(settings)

    async def run() -> dict[str, str]:
        db = Database(settings.database_url)
        try:
            await require_migrated(db, plugins)
            with _status("loading demo data") as step:
                return await load_demo(db, plugins, progress=step, if_empty=args.if_empty)
        finally:
            await db.dispose()

    from core.auth.cli import print_demo_tokens

    print_demo_tokens(asyncio.run(run()))


@contextmanager
def _status(title: str) -> Iterator[Callable[[str], None]]:
    """A rich spinner on stderr while a long step runs; each step's message logged as a line
    (on a terminal with the time taken so far; piped, plain lines)."""
    from rich.console import Console

    console = Console(stderr=True)
    started = time.monotonic()
    with console.status(f"{title}..."):

        def step(message: str) -> None:
            if console.is_terminal:
                console.log(f"{message} [dim]({time.monotonic() - started:.1f} s)[/]")
            else:
                _progress(message)

        yield step


def cmd_plugins_list(args: argparse.Namespace) -> None:
    from core.plugins import make_plugin_manager

    plugins = make_plugin_manager(_settings(args))
    rows = [("KEY", "TITLE", "VERSION", "SOURCE", "ENABLED")]
    for key, plugin in sorted(plugins.installed.items()):
        theme = plugins.themes[key]
        enabled = "yes" if key in plugins.enabled else "no"
        rows.append((key, theme.title, theme.version, plugin.source, enabled))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.ljust(width) for cell, width in cells).rstrip())


def cmd_plugins_new(args: argparse.Namespace) -> None:
    from core.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(args.key, args.dir)
    except ScaffoldError as exc:
        print(f"ogp-wg: error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    print(f"created {path}\nnext: pip install -e {path} && pytest {path}")


def cmd_schema(args: argparse.Namespace) -> None:
    from core.plugins import make_plugin_manager
    from core.schema.build import build_schema

    settings = _settings(args)
    if args.built_in:
        # schema.graphql's configuration: this distribution's plugins, whatever else is
        # installed, and no ogp-wg.toml or OGP_WG_* variable (read from an empty directory)
        import tempfile
        from pathlib import Path

        from core.config import load_settings
        from core.plugins import discover

        keys = sorted(k for k, plugin in discover().items() if plugin.source == "built-in")
        with tempfile.TemporaryDirectory() as empty:
            settings = load_settings(environ={}, cwd=Path(empty), plugins={"enabled": keys})
    built = build_schema(make_plugin_manager(settings))
    if args.possible_types:  # issue 11: what GET /graphql/possible-types serves
        from core.possible_types import possible_types_json

        sys.stdout.write(possible_types_json(built.schema._schema).decode())
        return
    sys.stdout.write(built.schema.as_str() + "\n")


def cmd_db(args: argparse.Namespace) -> None:
    """`db upgrade|current|history|downgrade` (core.cli_db): settings and plugins first."""
    from core.plugins import make_plugin_manager

    settings = _settings(args)
    args.db_func(args, settings, make_plugin_manager(settings))


def cmd_config(args: argparse.Namespace) -> None:
    args.config_func(args, _settings(args))


def _safe_url(url: str) -> str:
    """`core.cli_db.safe_url`, imported only when a command prints a URL (keeps start-up light)."""
    from core.cli_db import safe_url

    return safe_url(url)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ogp-working-groups")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogp-wg",
        description="GraphQL backend for OGP thematic working groups. Configuration: ogp-wg.toml "
        "in the working directory (or $OGP_WG_CONFIG), overridden by OGP_WG_* variables.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the GraphQL API")
    serve.add_argument("--host", help="bind address (default from config: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port, 1-65535 (default from config: 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default from config: 1)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    from core import cli_db

    db_sub.add_parser(
        "upgrade", help="apply the migrations of the core and every installed plugin"
    ).set_defaults(func=cmd_db, db_func=cli_db.cmd_db_upgrade)
    cli_db.add_commands(db_sub)
    for name in ("current", "history", "downgrade"):
        db_sub.choices[name].set_defaults(func=cmd_db)
    drop = db_sub.add_parser(
        "drop-plugin",
        help="delete the tables and version row of an UNINSTALLED plugin (asks first)",
        description="Delete what an uninstalled plugin left: the tables recorded for it by "
        "`db upgrade`, its alembic_version row and its registry rows, in one transaction. "
        "Refused for the core and for installed plugins; nothing else is touched.",
    )
    drop.add_argument("key", metavar="KEY", help="the removed plugin's key")
    drop.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    drop.add_argument(
        "--by-prefix",
        action="store_true",
        help="if no table is recorded for KEY, drop the unclaimed tables named KEY_*",
    )
    drop.set_defaults(func=cmd_db_drop_plugin)
    revision = db_sub.add_parser(
        "revision",
        help="write a plugin's next migration revision from its models (Alembic autogenerate)",
        description="Migrate a scratch SQLite database to every head, compare it with the "
        "models, and write what differs in the plugin's own tables as the next revision of its "
        "branch, in its migrations folder. Nothing is written when they match.",
    )
    revision.add_argument("--plugin", required=True, metavar="KEY", help="the plugin's key")
    revision.add_argument(
        "-m", "--message", required=True, help="what the revision does (its docstring, file name)"
    )
    revision.set_defaults(func=cmd_db_revision)

    backup = db_sub.add_parser(
        "backup",
        help="write a consistent copy of the whole database to PATH, while serving",
        description="SQLite: the online backup API. PostgreSQL: pg_dump --format=custom.",
    )
    backup.add_argument("path", metavar="PATH", help="the backup file to write (replaced)")
    backup.set_defaults(func=cmd_db_backup)
    restore = db_sub.add_parser(
        "restore",
        help="replace the whole database with a backup made by `db backup` (asks first)",
        description="All or nothing: SQLite through the online backup API; PostgreSQL by "
        "dropping and recreating the public schema and replaying the dump in one transaction.",
    )
    restore.add_argument("path", metavar="PATH", help="the backup file to read")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_db_restore)

    demo = sub.add_parser("demo", help="load demo data (idempotent)")
    demo.add_argument(
        "--if-empty", action="store_true", help="only into a database without working groups"
    )
    demo.set_defaults(func=cmd_demo)

    plugins = sub.add_parser("plugins", help="thematic plugins")
    plugins_sub = plugins.add_subparsers(dest="plugins_command", required=True, metavar="ACTION")
    plugins_sub.add_parser(
        "list", help="installed plugins: key, title, version, source, enabled"
    ).set_defaults(func=cmd_plugins_list)
    new = plugins_sub.add_parser("new", help="scaffold a plugin package that passes its own test")
    new.add_argument("key", metavar="KEY", help="plugin key, snake_case (e.g. climate_action)")
    new.add_argument("--dir", default=".", help="where to create ogp-wg-<key>/ (default: .)")
    new.set_defaults(func=cmd_plugins_new)

    schema = sub.add_parser("schema", help="print the GraphQL SDL of the configured schema")
    schema.add_argument(
        "--built-in",
        action="store_true",
        help="only this distribution's own plugins, ignoring the configuration: schema.graphql",
    )
    schema.add_argument(
        "--possible-types",
        action="store_true",
        help="print the interfaces' and unions' concrete types as JSON (Apollo's possibleTypes)",
    )
    schema.set_defaults(func=cmd_schema)

    from core.cli_config import add_commands as add_config_commands

    add_config_commands(sub)
    sub.choices["config"].set_defaults(func=cmd_config)
    from core.auth.cli import add_commands as add_auth_commands

    add_auth_commands(sub)  # token create|list|revoke, staff grant|revoke|list
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], None] = args.func
    try:
        func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader left (`ogp-wg db history | head -1`): not a failure
        # Python would report the pipe again when it flushes stdout at exit (its docs' recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # one line, no traceback: the message says what to change
        from core.cli_errors import describe

        where = _safe_url(_database_url) if _database_url else None
        print(f"ogp-wg: error: {describe(exc, where)}", file=sys.stderr)
        return EXIT_ERROR
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
