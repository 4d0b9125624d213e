"""The `ogp-wg` command. Errors are one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

EXIT_ERROR = 1


def command_settings(args: argparse.Namespace) -> Any:
    """The effective `Settings`, with the command's --host/--port/--workers as the source
    "command line"; remembers the database URL for `main`'s error line. Raises ConfigError."""
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


progress = _progress  # for core.cli_db, core.cli_data and other command modules


def _exit_cleanly(signum: int, _frame: Any) -> None:
    raise SystemExit(0)


def reloading_supervisor(
    config: uvicorn.Config, sockets: list[socket.socket], ready_timeout: int
) -> Multiprocess:
    """uvicorn's supervisor of several workers, giving each new worker of a SIGHUP reload
    `ready_timeout` seconds (the `worker_ready_timeout` setting) to be ready instead of uvicorn's
    5. Ready is what uvicorn polls the worker for: its server started (lifespan done, socket
    served), not a fixed delay; past the timeout the reload is abandoned and the old workers keep
    serving. Running workers' liveness pings keep uvicorn's timeout: a hung worker is still
    replaced within seconds."""
    from uvicorn.supervisors import Multiprocess

    class Reloading(Multiprocess):
        def restart_all(self) -> None:
            liveness = self.config.timeout_worker_healthcheck  # restart_all's ready wait too
            self.config.timeout_worker_healthcheck = ready_timeout
            try:
                super().restart_all()
            finally:
                self.config.timeout_worker_healthcheck = liveness

    return Reloading(config, sockets=sockets)


def cmd_serve(args: argparse.Namespace) -> None:
    """Check everything that can fail (settings, database, migrations, port) before saying
    "serving": a server that announces itself and then exits misleads whoever watches it."""
    import logging
    import os
    import signal

    import uvicorn
    from uvicorn.supervisors import ChangeReload

    from core.serve_checks import bind, check_database

    # uvicorn shuts down gracefully on SIGTERM (in-flight requests finish, the socket closes),
    # then restores the handler it found and raises the signal again: with the default one the
    # process would die "killed by SIGTERM" (status -15 / 143) after a clean shutdown. Found,
    # ours turns that into exit status 0, which is what a process manager expects.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    settings = command_settings(args)
    check_database(settings)  # before logging is set up: a failure is its one line, nothing else
    from core.observability.logs import configure_logging, uvicorn_log_options

    # From here on every line on stderr is a log line (JSON or text: `log_format`), uvicorn's too.
    configure_logging(settings)
    log = logging.getLogger("ogp_wg.serve")
    from core.app import create_app, settle_heap

    app: Any = create_app(settings)  # what can fail (plugins, schema), before "serving"
    several = settings.workers > 1 or args.reload
    if several:
        # Each worker process builds its own app from the configuration and the environment:
        # the worker count goes with it, so each sizes its pool as this process checked.
        os.environ["OGP_WG_WORKERS"] = str(settings.workers)
        app = "core.app:app_from_environment"
    sock = bind(settings.host, settings.port)
    if not several:
        settle_heap()  # this process serves: its app is built (workers: app_from_environment)
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
            reloading_supervisor(config, [sock], settings.worker_ready_timeout).run()
        else:
            server.run(sockets=[sock])
    if not several and not server.started:
        raise RuntimeError("the server did not start: see the log lines above")


def cmd_plugins_list(args: argparse.Namespace) -> None:
    from core.plugins import make_plugin_manager

    plugins = make_plugin_manager(command_settings(args))
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

    settings = command_settings(args)
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

    settings = command_settings(args)
    args.db_func(args, settings, make_plugin_manager(settings))


def cmd_config(args: argparse.Namespace) -> None:
    args.config_func(args, command_settings(args))


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
    from core import cli_data  # drop-plugin, revision, backup, restore; demo

    cli_data.add_db_commands(db_sub)
    cli_data.add_demo_command(sub)
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
    from core.notifications.cli import add_commands as add_notify_commands

    add_notify_commands(sub)  # notify send
    from core.cli_commitments import add_commands as add_commitments_commands

    add_commitments_commands(sub)  # commitments import
    from core.search.cli import add_commands as add_search_commands

    add_search_commands(sub)  # search rebuild
    from core.cli_explain import add_commands as add_explain_commands

    add_explain_commands(sub)  # explain 'QUERY' (core.compiled)
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
