"""pytest fixtures for ogp-working-groups and its plugins: opt in with, in your `conftest.py`,

    pytest_plugins = ["core.testing"]

(it is not registered as an installed pytest plugin: installing ogp-working-groups changes no
other project's test run).

- `database_url`: a database migrated from empty (core + every installed plugin), once per session
  and backend. Every test runs on SQLite, and on PostgreSQL too when `OGP_WG_TEST_DATABASE_URL`
  is set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test).
- `empty_db` / `demo_db`: that database with all tables cleared / with the demo data loaded.
- `make_client(url, config=None, *, plugins=None, **settings) -> GraphQLClient`: a client talking
  HTTP to an app with exactly that configuration. `config` is what `ogp-wg.toml` would hold, as a
  dict or as TOML text; `plugins` is its `[plugins]` table in the same shape, e.g.
  `plugins={"enabled": ["my_theme"], "my_theme": {"max_items": 3}}`; other keywords are
  top-level settings (`debug=True`). Invalid configuration raises `ConfigError`/`PluginError`.
- `client`: the default configuration over the demo data.
- `role_tokens`: the demo data (same database as `demo_db`/`client`) and a new read + write
  bearer token per demo role: `{"staff", "anchor", "member", "other"} -> "ogpwg_..."` (the people
  are `core.demo.DEMO_ROLES`: staff of the Support Unit; an anchor and a member of the Open Data
  Working Group; "other" is signed in with no role anywhere). Send one with
  `await client.execute(query, token=role_tokens["anchor"])` (also `post` and `errors`), or
  `client.with_token(token)` for a client that sends it every time. For other scopes (e.g. a
  read-only token) or another database: `await token_for(url, "member", scopes={"read"})`.
- `assert_migrations_match_models`: `await assert_migrations_match_models("my_theme")` fails,
  listing each difference, unless the plugin's migrations produce exactly its models (its
  tables only) on the session's database.
- `at_revision(url, revision)`: an async context manager for a migration round trip (see
  `core.testing_migrations`): the database migrated to exactly `revision` for the block (insert
  rows of that shape with `old.db`, then `await old.upgrade()` and check them), at head again
  after it whatever happened.

What a test sees never depends on where it runs: an `ogp-wg.toml` in the working directory, and
`OGP_WG_*` variables other than `OGP_WG_TEST_DATABASE_URL` and `OGP_WG_TEST_REQUIRE_POSTGRES`, are
ignored. `async def` tests run in their own event loop (tests marked `anyio` or `asyncio` are
left to those plugins). The session records the backends it ran in
`.pytest_cache/ogp-wg-backends`, so CI can check that PostgreSQL really ran.

Under pytest-xdist (`pytest -n 2`) each worker migrates a PostgreSQL database of its own, named
after the configured one and the worker (`test_gw0`, `test_gw1`, ...), created on first use.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import tomllib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette

from core.app import create_app
from core.config import Settings, load_settings
from core.db import Base, Database
from core.demo import load_demo
from core.migrate import upgrade
from core.plugins import PluginSet, make_plugin_manager
from core.testing_migrations import RoundTrip as RoundTrip  # re-exported for partners' tests
from core.testing_migrations import at_revision as at_revision

PG_URL = os.environ.get("OGP_WG_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgres"] if PG_URL else [])]
BACKENDS_RUN: set[str] = set()
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
"""`gw0`, `gw1`, ... in a pytest-xdist worker; None in a plain run and in xdist's controller."""


def _backends_file(config: pytest.Config) -> Path:
    return config.rootpath / ".pytest_cache" / "ogp-wg-backends"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "signed_in(role): the `client` fixture sends a bearer token of that demo role"
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("OGP_WG_TEST_REQUIRE_POSTGRES") and not PG_URL:
        raise pytest.UsageError("OGP_WG_TEST_REQUIRE_POSTGRES is set but no database URL is")
    if XDIST_WORKER is None:  # a plain run, or xdist's controller before its workers start
        _backends_file(session.config).unlink(missing_ok=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Record which backends ran, so CI can fail when PostgreSQL silently did not. Appended:
    each xdist worker adds its own lines (the controller runs no test and adds none)."""
    path = _backends_file(session.config)
    path.parent.mkdir(exist_ok=True)
    with path.open("a") as backends:
        backends.write("".join(f"{name}\n" for name in sorted(BACKENDS_RUN)))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop; dispose the apps they built in that loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    if any(pyfuncitem.get_closest_marker(name) for name in ("anyio", "asyncio")):
        return None  # the project's own async plugin runs these
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    factory = pyfuncitem.funcargs.get("make_client")

    async def run() -> None:
        try:
            await pyfuncitem.obj(**args)
        finally:
            if isinstance(factory, ClientFactory):
                await factory.close()

    asyncio.run(run())
    return True


async def _reset_schema(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as conn:
        if db.is_sqlite:
            return await db.dispose()
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()


async def _worker_database(url: str) -> str:
    """`url` with the database `<name>_<worker>`, created if missing: xdist workers never share
    a PostgreSQL database (each drops and migrates its own schema)."""
    base = make_url(url)
    name = f"{base.database}_{XDIST_WORKER}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            found = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated from empty by the same code as `ogp-wg db upgrade`."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        assert PG_URL
        url = PG_URL if XDIST_WORKER is None else asyncio.run(_worker_database(PG_URL))

    async def migrate() -> None:
        await _reset_schema(url)
        db = Database(url)
        try:
            await upgrade(db, make_plugin_manager(settings_for(url)))
        finally:
            await db.dispose()

    asyncio.run(migrate())
    BACKENDS_RUN.add(request.param)
    return url


TEST_EXECUTION_TIMEOUT = 60.0
"""Seconds: the execution timeout of apps built by `settings_for` unless the test sets one."""

Config = Mapping[str, Any] | str
"""The content of an `ogp-wg.toml`: a dict of that shape, or the TOML text itself."""


def settings_for(url: str, config: Config | None = None, **overrides: Any) -> Settings:
    """Settings for a test: `config` (never a local ogp-wg.toml, never OGP_WG_* variables), then
    `overrides` (same shape; `plugins=` is the [plugins] table), on the database `url`."""
    table = tomllib.loads(config) if isinstance(config, str) else dict(config or {})
    # A test that is not about the execution timeout must not fail because a loaded 2-core CI
    # machine ran it slowly; the tests of the timeout set their own (core/timeouts.py).
    table.setdefault("execution_timeout", TEST_EXECUTION_TIMEOUT)
    return load_settings(environ={}, config=table, **{**overrides, "database_url": url})


async def clear(url: str) -> None:
    db = Database(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with db.write() as conn:
        if db.is_sqlite:
            # Emptying every table passes through states no single change may reach (a PILOT
            # group without its anchors: core_0006's CHECKs; a resource without its home group:
            # core_0016's guard trigger); TRUNCATE skips them on PostgreSQL. Here the CHECKs are
            # ignored and the guards (the triggers that only RAISE) dropped, then made again.
            await conn.execute(text("PRAGMA ignore_check_constraints = ON"))
            triggers = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            guards = [t for t in (await conn.execute(triggers)).all() if "RAISE(" in t.sql.upper()]
            for guard in guards:
                await conn.execute(text(f'DROP TRIGGER "{guard.name}"'))
            for table in tables:
                await conn.execute(text(f'DELETE FROM "{table}"'))
            for guard in guards:
                await conn.exec_driver_sql(guard.sql)
            await conn.execute(text("PRAGMA ignore_check_constraints = OFF"))
        else:
            quoted = ", ".join(f'"{t}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    await db.dispose()


async def seed_demo(url: str) -> None:
    db = Database(url)
    try:
        await load_demo(db, make_plugin_manager(settings_for(url)))
    finally:
        await db.dispose()


async def migrations_match_models(database_url: str, plugin_key: str) -> None:
    """Fail unless `plugin_key`'s revisions, applied from empty (the `database_url` fixture),
    produce exactly the tables of its models, and its branch has the documented shape (one head,
    ids `<key>_NNNN`, the branch label on the first). Only the plugin's own tables are compared.
    The fix for a difference is usually `ogp-wg db revision --plugin <key> -m "..."`.
    """
    from core.revision import migration_problems

    plugins = make_plugin_manager(settings_for(database_url))
    db = Database(database_url)
    try:
        problems = await migration_problems(db, plugins, plugin_key)
    finally:
        await db.dispose()
    fix = f'ogp-wg db revision --plugin {plugin_key} -m "..."'
    assert not problems, f"plugin '{plugin_key}': {'; '.join(problems)} (to fix: {fix})"


@pytest.fixture
def assert_migrations_match_models(database_url: str) -> Callable[[str], Awaitable[None]]:
    """`await assert_migrations_match_models("my_theme")`: `migrations_match_models` on the
    session's database (each backend)."""
    return partial(migrations_match_models, database_url)


@pytest.fixture
def empty_db(database_url: str) -> str:
    asyncio.run(clear(database_url))
    return database_url


@pytest.fixture
def demo_db(database_url: str) -> str:
    async def reset() -> None:
        await clear(database_url)
        await seed_demo(database_url)

    asyncio.run(reset())
    return database_url


class GraphQLClient:
    """Sends GraphQL over HTTP to the ASGI app, as a front end would."""

    def __init__(self, http: httpx.AsyncClient, app: Starlette) -> None:
        self.http = http
        self.app = app

    def with_token(self, token: str | None) -> GraphQLClient:
        """A client of the same app sending `Authorization: Bearer <token>` (None: anonymous)."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        transport = httpx.ASGITransport(app=self.app)
        return GraphQLClient(
            httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers),
            self.app,
        )

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> httpx.Response:
        """POST the document; `token`: sent as `Authorization: Bearer <token>`."""
        headers = {"authorization": f"Bearer {token}"} if token else None
        body = {"query": query, "variables": variables}
        return await self.http.post("/graphql", json=body, headers=headers)

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """Run a document that must succeed; return its data."""
        response = await self.post(query, variables, token=token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]  # JSON: the shape is the query's
        return data

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> list[Any]:
        response = await self.post(query, variables, token=token)
        body = response.json()
        assert body.get("errors"), body
        errors: list[Any] = body["errors"]
        return errors


class ClientFactory:
    """Builds clients for apps with exactly the configuration (and plugins) a test wants."""

    def __init__(self) -> None:
        self.apps: list[Starlette] = []

    def __call__(
        self,
        url: str,
        config: Config | None = None,
        *,
        installed: dict[str, object] | None = None,
        fast_execution: bool = True,
        **overrides: Any,
    ) -> GraphQLClient:
        """A client for an app on `url` configured by `config` (ogp-wg.toml's shape, as a dict
        or TOML text) and `overrides`; `installed` replaces plugin discovery."""
        settings = settings_for(url, config, **overrides)
        plugins: PluginSet = make_plugin_manager(settings, installed=installed)
        app = create_app(settings, plugins, fast_execution=fast_execution)
        self.apps.append(app)
        transport = httpx.ASGITransport(app=app)
        return GraphQLClient(httpx.AsyncClient(transport=transport, base_url="http://test"), app)

    async def close(self) -> None:
        for app in self.apps:
            await app.state.ogp.db.dispose()


@pytest.fixture
def make_client() -> ClientFactory:
    return ClientFactory()


@pytest.fixture
def client(
    request: pytest.FixtureRequest, demo_db: str, make_client: ClientFactory
) -> GraphQLClient:
    """The default configuration (every installed plugin) over the demo data: anonymous, or
    signed in as a demo role when the test (or its module: `pytestmark`) is marked
    `@pytest.mark.signed_in("staff")` (a role of ROLES)."""
    plain = make_client(demo_db, debug=True)
    marker = request.node.get_closest_marker("signed_in")
    if marker is None:
        return plain
    return plain.with_token(asyncio.run(token_for(demo_db, *marker.args)))


ROLES = ("staff", "anchor", "member", "other")
"""The demo roles `role_tokens` / `token_for` sign in as (anonymous: send no token)."""


async def token_for(
    url: str, role: str, *, scopes: Iterable[str] = ("read", "write"), days: int = 1
) -> str:
    """A new bearer API token for the demo person of `role` (one of ROLES) on the database
    `url`, which must hold the demo data; `scopes` a subset of {"read", "write"}, valid `days`."""
    from datetime import timedelta

    from core.auth.staff import find_person
    from core.auth.tokens import issue_token
    from core.db import utcnow
    from core.demo import DEMO_ROLES

    db = Database(url)
    try:
        async with db.write() as conn:
            person_id, _ = await find_person(conn, DEMO_ROLES[role])
            expires_at = utcnow() + timedelta(days=days)
            name = f"test: {role}"
            issued = await issue_token(
                conn, person_id, scopes=frozenset(scopes), expires_at=expires_at, name=name
            )
    finally:
        await db.dispose()
    return issued.token


@pytest.fixture
def role_tokens(demo_db: str) -> dict[str, str]:
    """{"staff", "anchor", "member", "other"} -> a new read + write bearer token on `demo_db`."""

    async def make() -> dict[str, str]:
        return {role: await token_for(demo_db, role) for role in ROLES}

    return asyncio.run(make())


@pytest.fixture
def cli_env(tmp_path: Any) -> Iterator[dict[str, str]]:
    """Environment for running the real `ogp-wg` console script in an empty directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env["OGP_WG_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    yield env
