"""Settings and the `ogp-wg` command catching mistakes (issue 11 point 3), run as an operator runs
them: the real console script in a subprocess (or `core.cli.main` in process where many inputs are
generated), on a fresh SQLite file and a fresh PostgreSQL database."""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from importlib.metadata import version
from pathlib import Path
from unittest.mock import patch

import pytest
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from core.cli import main
from core.config import ConfigError, load_settings
from core.migrate import alembic_config
from core.plugins import make_plugin_manager
from core.testing import BACKENDS, BACKENDS_RUN, PG_URL, XDIST_WORKER

OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
README = Path(__file__).parent.parent / "README.md"
UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"  # port 1: nothing listens


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`ogp-wg ARGS` with no terminal on stdin (what a script or CI sees)."""
    return subprocess.run(
        [OGP_WG, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The failure's single stderr line, after checking the exit status and the needles."""
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ogp-wg: error: "), lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


async def _recreate(url: str, create: bool = True) -> None:
    name = make_url(url).database
    engine = create_async_engine(
        make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend, never migrated: a SQLite file, or a PostgreSQL
    database of its own next to the suite's (created here, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    assert PG_URL is not None
    base = make_url(PG_URL)
    url = base.set(database=f"{base.database}_cli_{XDIST_WORKER or 'main'}")
    rendered = url.render_as_string(hide_password=False)
    asyncio.run(_recreate(rendered))
    BACKENDS_RUN.add("postgres")
    yield rendered
    asyncio.run(_recreate(rendered, create=False))


@pytest.fixture
def env(fresh_url: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    return clean | {"OGP_WG_DATABASE_URL": fresh_url}


def heads(database_url: str) -> dict[str, str]:
    """Each installed branch's newest revision, from Alembic's scripts: {revision: branch}."""
    plugins = make_plugin_manager(load_settings(environ={}, config={}, database_url=database_url))
    script = ScriptDirectory.from_config(alembic_config(plugins))
    return {head: head for head in script.get_heads()}


# --- version, configuration ---


def test_version_is_the_installed_distributions(tmp_path: Path, env: dict[str, str]) -> None:
    shown = run(env, tmp_path, "--version")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == f"ogp-wg {version('ogp-working-groups')}"


def test_config_show_masks_secrets_and_names_sources(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "ogp-wg.toml").write_text(
        'host = "0.0.0.0"\n'
        'database_url = "postgresql+asyncpg://app:s3cret-pw@db.example.org/ogp"\n'
        "[plugins]\n"
        'disabled = ["extractives"]\n'
        "[plugins.gender_inclusion]\n"
        'api_token = "tok-123"\n'
    )
    env = {k: v for k, v in env.items() if k != "OGP_WG_DATABASE_URL"}
    env |= {"OGP_WG_PORT": "8123", "OGP_WG_RATE_LIMIT_STORAGE": "redis://:r3dis-pw@127.0.0.1:6379"}
    shown = run(env, tmp_path, "config", "show")
    assert shown.returncode == 0, shown.stderr
    for secret in ("s3cret-pw", "r3dis-pw", "tok-123"):
        assert secret not in shown.stdout
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if " = " in line}
    path = str(tmp_path / "ogp-wg.toml")
    assert lines["database_url"].endswith(f"# {path}")
    assert "app:***@db.example.org/ogp" in lines["database_url"]
    assert lines["rate_limit_storage"] == (
        f"{'rate_limit_storage':<{len(lines['rate_limit_storage'].split(' = ')[0])}} = "
        '"redis://:***@127.0.0.1:6379"  # OGP_WG_RATE_LIMIT_STORAGE'
    )
    assert re.search(r"= 8123  # OGP_WG_PORT$", lines["port"])
    assert lines["host"].endswith(f'= "0.0.0.0"  # {path}')
    assert lines["debug"].endswith("= false  # default")
    assert 'api_token = "***"' in shown.stdout
    assert f"[plugins.gender_inclusion]  # {path}" in shown.stdout
    # the output is TOML: it reads back as the same settings (secrets aside)
    parsed = tomllib.loads(shown.stdout)
    assert parsed["port"] == 8123 and parsed["plugins"]["disabled"] == ["extractives"]


def test_config_show_names_the_command_line(tmp_path: Path, env: dict[str, str]) -> None:
    """Flags are settings too: `config show` takes serve's --host/--port/--workers, shows each as
    from the command line (over the variable), and refuses one out of range in one line."""
    given = env | {"OGP_WG_PORT": "8123", "OGP_WG_WORKERS": "2"}
    shown = run(given, tmp_path, "config", "show", "--port", "9001", "--host", "0.0.0.0")
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if " = " in line}
    assert re.search(r"= 9001  # command line$", lines["port"]), lines["port"]
    assert re.search(r'= "0.0.0.0"  # command line$', lines["host"]), lines["host"]
    assert re.search(r"= 2  # OGP_WG_WORKERS$", lines["workers"]), lines["workers"]
    for flags, needles in [
        (("--port", "84037"), ("port", "65535", "command line", "84037")),
        (("--port", "-1"), ("port", "command line")),
        (("--workers", "0"), ("workers", "command line")),
    ]:
        one_line_error(run(env, tmp_path, "config", "show", *flags), *needles)


@pytest.mark.parametrize("flags", [("--port", "84037"), ("--port", "-1"), ("--workers", "0")])
def test_serve_refuses_flags_out_of_range(
    tmp_path: Path, env: dict[str, str], flags: tuple[str, ...]
) -> None:
    """`serve` reads its flags through the same settings: refused in one line before it touches
    the database (never migrated here) or binds a port."""
    refused = run(env, tmp_path, "serve", *flags)
    one_line_error(refused, flags[0].lstrip("-"), "command line", flags[1])
    assert "not migrated" not in refused.stderr and "serving" not in refused.stderr


@pytest.mark.parametrize(
    ("variable", "closest"),
    [("OGP_WG_PROT", "OGP_WG_PORT"), ("OGP_WG_DATABASE_ULR", "OGP_WG_DATABASE_URL"),
     ("OGP_WG_PLUGINS_ENABLE", "OGP_WG_PLUGINS_ENABLED")],
)  # fmt: skip
def test_misspelled_variable_is_refused(
    tmp_path: Path, env: dict[str, str], variable: str, closest: str
) -> None:
    for command in (("config", "show"), ("plugins", "list"), ("db", "upgrade")):
        refused = run(env | {variable: "1"}, tmp_path, *command)
        one_line_error(refused, variable, f"did you mean {closest}?")


def test_misspelled_file_key_is_refused_the_same_way(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "ogp-wg.toml").write_text("prot = 8001\n")
    one_line_error(run(env, tmp_path, "config", "show"), "'prot'", "did you mean port?")


def _main(args: list[str], environ: dict[str, str]) -> tuple[int, str, str]:
    """`core.cli.main(args)` with exactly `environ`'s OGP_WG_ variables; (status, out, err)."""
    out, err = io.StringIO(), io.StringIO()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    with (
        patch.dict(os.environ, clean | environ, clear=True),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


RANGES = {
    "port": (1, 65535),
    "workers": (1, None),
    "database_pool_size": (1, None),
    "database_max_connections": (1, None),
    "database_connections_per_request": (1, None),
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.sampled_from(sorted(RANGES)),
    value=st.integers(min_value=-(10**12), max_value=10**12),
)
def test_integer_ranges_are_checked(tmp_path: Path, key: str, value: int) -> None:
    """Every value of an integer setting either shows as given or is refused in one line that
    names the setting and the variable it came from."""
    low, high = RANGES[key]
    environ = {
        "OGP_WG_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'ranges.sqlite3'}",
        f"OGP_WG_{key.upper()}": str(value),
    }
    status, out, err = _main(["config", "show"], environ)
    if value < low or (high is not None and value > high):
        assert status != 0
        assert len(err.strip().splitlines()) == 1 and key in err and f"OGP_WG_{key.upper()}" in err
    else:
        assert status == 0, err
        assert re.search(rf"^{key} +\= {value}  # OGP_WG_{key.upper()}$", out, re.M), out


@settings(max_examples=80, deadline=None)
@given(
    workers=st.integers(1, 200), budget=st.integers(1, 2000), pool=st.none() | st.integers(1, 80)
)
def test_workers_never_exceed_the_connection_budget(
    workers: int, budget: int, pool: int | None
) -> None:
    """On PostgreSQL, whatever the workers, budget and pool size: the settings fit the budget,
    or they are refused naming database_max_connections; left unset, the pool is fitted."""
    given_pool = {} if pool is None else {"database_pool_size": pool}
    config = {
        "database_url": "postgresql+asyncpg://app@db.example.org/ogp",
        "workers": workers,
        "database_max_connections": budget,
        **given_pool,
    }
    try:
        fitted = load_settings(environ={}, config=config)
    except ConfigError as exc:
        assert "database_max_connections" in str(exc)
        smallest = workers * 2  # pool 1: 1 + 0 overflow + 1 to cancel
        assert pool is not None or smallest > budget
        return
    per_worker = fitted.database_pool_size + fitted.database_pool_size // 2 + 1
    assert fitted.database_connections == workers * per_worker <= budget
    if pool is not None:
        assert fitted.database_pool_size == pool


def test_the_readme_multi_worker_example_fits_postgresql_defaults() -> None:
    """The README's PostgreSQL section, pasted, stays under PostgreSQL's default max_connections
    (100 less 3 reserved): its worker count, with the default settings."""
    section = README.read_text().split("## Running on PostgreSQL", 1)[1].split("\n## ", 1)[0]
    workers = int(re.search(r"serve .*--workers (\d+)", section)[1])  # type: ignore[index]
    assert "db upgrade" in section and "demo" in section  # it ends with a database to use
    config = {"database_url": "postgresql+asyncpg://app@h/db", "workers": workers}
    fitted = load_settings(environ={}, config=config)
    assert fitted.database_connections <= 97


# --- database: unreachable, not migrated, migrations ---


@pytest.mark.parametrize("command", [("demo",), ("db", "upgrade"), ("db", "current"), ("serve",)])
def test_unreachable_database_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env |= {"OGP_WG_DATABASE_URL": UNREACHABLE, "OGP_WG_DATABASE_CONNECT_TIMEOUT": "2"}
    failed = run(env, tmp_path, *command)
    line = one_line_error(
        failed, "cannot reach the database", "127.0.0.1:1/nowhere", "database_url"
    )
    assert "serving" not in failed.stderr and "sqlalche.me" not in line


@pytest.mark.skipif(PG_URL is None, reason="needs PostgreSQL (OGP_WG_TEST_DATABASE_URL)")
def test_missing_postgresql_database_says_create_it(tmp_path: Path) -> None:
    assert PG_URL is not None
    missing = make_url(PG_URL).set(database="ogp_wg_no_such_database")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env["OGP_WG_DATABASE_URL"] = missing.render_as_string(hide_password=False)
    one_line_error(run(env, tmp_path, "db", "upgrade"), "does not exist", "createdb")


@pytest.mark.parametrize("command", [("demo",), ("serve", "--port", "65000")])
def test_not_migrated_says_run_db_upgrade(
    tmp_path: Path, env: dict[str, str], command: tuple[str, ...]
) -> None:
    failed = run(env, tmp_path, *command)
    one_line_error(failed, "not migrated", "run `ogp-wg db upgrade` first")
    assert "serving" not in failed.stderr


def test_db_upgrade_says_what_it_applied(tmp_path: Path, env: dict[str, str]) -> None:
    first = run(env, tmp_path, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    applied = re.findall(r"^applied (\S+) \((\S+)\): ", first.stdout, re.M)
    history = run(env, tmp_path, "db", "history")
    every = [line.split()[1] for line in history.stdout.splitlines()]
    assert sorted(rev for rev, _ in applied) == sorted(every)
    assert set(heads(env["OGP_WG_DATABASE_URL"])) <= {rev for rev, _ in applied}
    assert f"database migrated: {len(every)} revisions applied" in first.stdout
    assert "up to date" not in first.stdout + first.stderr

    again = run(env, tmp_path, "db", "upgrade")
    assert again.returncode == 0, again.stderr
    assert "applied" not in again.stdout.replace("nothing to apply", "")
    assert "database already up to date: nothing to apply" in again.stdout

    demo = run(env, tmp_path, "demo")  # now it loads
    assert demo.returncode == 0, demo.stderr
    assert "working groups: " in demo.stderr


def _current(env: dict[str, str], cwd: Path) -> dict[str, str]:
    shown = run(env, cwd, "db", "current")
    assert shown.returncode == 0, shown.stderr
    return dict(line.split(": ", 1) for line in shown.stdout.splitlines())


def test_db_current_history_and_downgrade(tmp_path: Path, env: dict[str, str]) -> None:
    before = _current(env, tmp_path)
    assert before and all(state.startswith("not migrated") for state in before.values())
    assert run(env, tmp_path, "db", "upgrade").returncode == 0
    current = _current(env, tmp_path)
    # one line per branch owner; the core has a head per domain since issue 9 (core/<domain>/
    # migrations), and its line names the newest applied
    newest = {state.split()[0] for state in current.values()}
    assert len(newest) == len(current) and newest <= set(heads(env["OGP_WG_DATABASE_URL"]))
    assert all(state.endswith("(head)") for state in current.values())

    history = [line.split() for line in run(env, tmp_path, "db", "history").stdout.splitlines()]
    assert all(row[2] == "applied" for row in history)
    open_data = [row[1] for row in history if row[0] == "open_data"]
    assert len(open_data) >= 2
    target = open_data[0]

    # no terminal, no --yes: the plan is shown, nothing changes
    refused = run(env, tmp_path, "db", "downgrade", target)
    one_line_error(refused, "not a terminal", "--yes")
    assert all(f"  {rev} (open_data)" in refused.stdout for rev in open_data[1:])
    assert _current(env, tmp_path) == current

    done = run(env, tmp_path, "db", "downgrade", target, "--yes")
    assert done.returncode == 0, done.stderr
    assert re.findall(r"^unapplied (\S+)", done.stdout, re.M) == list(reversed(open_data[1:]))
    after = _current(env, tmp_path)
    assert after["open_data"].startswith(f"{target} ({len(open_data) - 1} to apply")
    assert {k: v for k, v in after.items() if k != "open_data"} == {
        k: v for k, v in current.items() if k != "open_data"
    }
    pending = run(env, tmp_path, "db", "history").stdout
    assert {line.split()[1] for line in pending.splitlines() if " pending " in line} == set(
        open_data[1:]
    )
    not_ready = run(env, tmp_path, "demo")  # a branch behind is not migrated either
    one_line_error(not_ready, "run `ogp-wg db upgrade` first")

    again = run(env, tmp_path, "db", "upgrade")
    assert sorted(re.findall(r"^applied (\S+)", again.stdout, re.M)) == sorted(open_data[1:])
    assert _current(env, tmp_path) == current

    one_line_error(run(env, tmp_path, "db", "downgrade", "no_such_0001", "--yes"), "db history")


# --- serve: the port, the connection total ---


def _migrated(env: dict[str, str], cwd: Path) -> None:
    upgraded = run(env, cwd, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr


def test_port_taken_is_refused_before_serving(tmp_path: Path, env: dict[str, str]) -> None:
    _migrated(env, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            failed = run(env, tmp_path, "serve", "--port", str(port), "--workers", workers)
            one_line_error(failed, f"port {port}", "already in use", "--port")
            assert "serving" not in failed.stderr


def test_serve_says_serving_once_bound_and_logs_connections(
    tmp_path: Path, env: dict[str, str]
) -> None:
    _migrated(env, tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [OGP_WG, "serve", "--port", str(port)], env=env | {"OGP_WG_PLUGINS_ENABLED": "open_data"},
        cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert server.stderr is not None
        said = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = server.stderr.readline()
            said.append(line)
            if "serving GraphQL" in line or not line:
                break
        assert f"serving GraphQL on http://127.0.0.1:{port}/graphql" in said[-1], said
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # bound and listening when it says so
        total = (
            "PostgreSQL connections: up to 1 worker x (32 pool + 16 overflow + 1 to cancel) = 49"
        )
        logged = [line for line in said if total in line]
        assert len(logged) == (1 if env["OGP_WG_DATABASE_URL"].startswith("postgresql") else 0)
    finally:
        server.terminate()
        server.wait(timeout=60)
