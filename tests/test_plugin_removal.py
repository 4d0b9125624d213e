"""A partner's plugin package uninstalled after it was migrated (issue 7, point 5).

The example plugin (examples/gender_inclusion) is installed, migrated and given a row, then
"uninstalled": in-process by building the plugin set without it (the `installed=` mapping that
replaces entry-point discovery); for the CLI by running `ogp-wg` in an interpreter whose
site-packages lack the example's files (`site_without_example`), and with it installed either for
real (`make install`) or from a pip target on PYTHONPATH, as tests/test_example_plugin.py does.

Every test runs on the session database (SQLite, and PostgreSQL when configured) and leaves it as
it found it: the drop itself removes the example's objects, and the fixture's clean-up does so
when a test fails half-way (or migrates the example back when it is really installed)."""

from __future__ import annotations

import asyncio
import os
import re
import site
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from core.db import Base, Database
from core.migrate import MigrationError, migration_status, upgrade
from core.plugin_removal import DropRefused, drop_plugin, plan_drop
from core.plugins import PluginSet, discover, make_plugin_manager
from core.testing import settings_for, token_for
from tests.test_example_plugin import (  # noqa: F401  (module fixtures: the pip-installed example)
    EXAMPLE,
    MODULE,
    OGP_WG,
    RECORD,
    TABLE,
    _forget,
    _installed_keys,
    example_site,
    example_src,
)

KEY = "gender_inclusion"
# the head of its (linear) branch: the last `<key>_NNNN_*.py` of its migrations folder
REVISION = max(
    path.name[: len(KEY) + 5]
    for path in (EXAMPLE / "ogp_wg_gender_inclusion" / "migrations").glob(f"{KEY}_[0-9]*.py")
)
DECOY = "gender_inclusion_notes"  # an operator's own table that merely shares the prefix
COMMITMENT = {
    "country": "GB",
    "actionPlanCycle": "2024-2026",
    "title": "Gender pay gap data",
    "genderFocus": True,
    "targetGroup": "WOMEN_AND_GIRLS",
}
REMOVED = {"plugin": KEY, "revisions": [REVISION], "tables": [TABLE]}

Snapshot = dict[str, tuple[list[str], list[str], list[tuple[Any, ...]]]]


@dataclass
class Example:
    url: str
    site: Path
    """Where pip installed it (put on PYTHONPATH for the CLI)."""
    real: bool
    """True when the example is installed in the environment itself (not only by this test)."""

    def with_it(self) -> PluginSet:
        return make_plugin_manager(settings_for(self.url))

    def without_it(self) -> PluginSet:
        return make_plugin_manager(settings_for(self.url), installed=self.others())

    def others(self) -> dict[str, object]:
        return {key: plugin.obj for key, plugin in discover().items() if key != KEY}


@pytest.fixture
def example(
    demo_db: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Example]:
    """The example importable and discoverable; afterwards the database and the metadata are
    as before (its objects gone, or migrated back if it is really installed)."""
    real = KEY in _installed_keys()
    site: Path = request.getfixturevalue("example_site")  # pip-installed, once per module
    if not real:
        _forget()
        monkeypatch.syspath_prepend(str(site))
    yield Example(demo_db, site, real)
    asyncio.run(_clean_up(demo_db, real))
    if not real:
        _forget()
        table = Base.metadata.tables.get(TABLE)
        if table is not None:
            Base.metadata.remove(table)


async def _clean_up(url: str, real: bool) -> None:
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {DECOY}"))
            if not real:
                await conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
                await conn.execute(
                    text("DELETE FROM alembic_version WHERE version_num = :r"), {"r": REVISION}
                )
                await conn.execute(
                    text("DELETE FROM plugin_registry WHERE plugin = :k"), {"k": KEY}
                )
        if real:
            await upgrade(db, make_plugin_manager(settings_for(url)))
    finally:
        await db.dispose()


async def _snapshot(url: str) -> Snapshot:
    """Every table: its columns, its indexes and all its rows."""

    def read(sync: Connection) -> Snapshot:
        inspector = inspect(sync)
        found: Snapshot = {}
        for name in inspector.get_table_names():
            columns = [column["name"] for column in inspector.get_columns(name)]
            indexes = sorted(str(index["name"]) for index in inspector.get_indexes(name))
            rows = sync.execute(text(f'SELECT * FROM "{name}"')).all()
            found[name] = (columns, indexes, sorted((tuple(row) for row in rows), key=repr))
        return found

    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            return await conn.run_sync(read)
    finally:
        await db.dispose()


def _without_example(snapshot: Snapshot) -> Snapshot:
    """`snapshot` minus exactly the example's table, version row and registry rows."""
    expected = {name: found for name, found in snapshot.items() if name != TABLE}
    columns, indexes, rows = expected["alembic_version"]
    expected["alembic_version"] = (columns, indexes, [r for r in rows if r != (REVISION,)])
    columns, indexes, rows = expected["plugin_registry"]
    expected["plugin_registry"] = (columns, indexes, [r for r in rows if r[2] != KEY])
    return expected


async def _sql(url: str, *statements: str) -> list[list[Any]]:
    """Run statements in one transaction; the rows each returns ([] for DDL and DML)."""
    db = Database(url)
    results: list[list[Any]] = []
    try:
        async with db.engine.begin() as conn:
            for statement in statements:
                result = await conn.execute(text(statement))
                results.append([tuple(row) for row in result] if result.returns_rows else [])
    finally:
        await db.dispose()
    return results


async def _migrate(url: str, plugins: PluginSet) -> list[dict[str, Any]]:
    db = Database(url)
    try:
        return [removed.as_json() for removed in await upgrade(db, plugins)]
    finally:
        await db.dispose()


async def _installed_and_migrated(example: Example, make_client: Any) -> int:
    """Migrate with the example, record one commitment through GraphQL; return how many rows its
    table has (1, or more when the example is really installed and its demo data loaded)."""
    assert await _migrate(example.url, example.with_it()) == []
    client = make_client(example.url).with_token(await token_for(example.url, "staff"))
    recorded = await client.execute(RECORD, {"input": COMMITMENT})
    assert recorded["genderInclusionCommitmentRecord"]["userErrors"] == []
    assert (await client.http.get("/readyz")).json() == {"status": "ready"}
    [[(rows,)]] = await _sql(example.url, f"SELECT count(*) FROM {TABLE}")
    return int(rows)


async def test_readiness_and_upgrade_after_uninstall_then_reinstall(
    example: Example, make_client: Any
) -> None:
    rows = await _installed_and_migrated(example, make_client)

    # uninstalled: ready (everything installed is current), with a warning that says what to do
    gone = make_client(example.url, installed=example.others())
    ready = await gone.http.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["removedPlugins"] == [REMOVED]
    [warning] = body["warnings"]
    assert f"plugin '{KEY}' is not installed" in warning and TABLE in warning
    assert f"ogp-wg db drop-plugin {KEY}" in warning and "Reinstall" in warning
    assert "genderInclusionCommitments" not in str(
        await gone.execute("{ __schema { queryType { fields { name } } } }")
    )

    # `db upgrade` still migrates, reports the same, and keeps the version row and the table
    assert await _migrate(example.url, example.without_it()) == [REMOVED]
    [[(count,)], [(version,)]] = await _sql(
        example.url,
        f"SELECT count(*) FROM {TABLE}",
        f"SELECT version_num FROM alembic_version WHERE version_num = '{REVISION}'",
    )
    assert (count, version) == (rows, REVISION)

    # reinstalled: nothing to migrate again (the row was kept), the data is back, no warning
    assert await _migrate(example.url, example.with_it()) == []
    back = make_client(example.url)
    assert (await back.http.get("/readyz")).json() == {"status": "ready"}
    found = await back.execute(
        "{ genderInclusionCommitments { nodes { title country { code } } } }"
    )
    assert {"title": "Gender pay gap data", "country": {"code": "GB"}} in found[
        "genderInclusionCommitments"
    ]["nodes"]


async def test_drop_plugin_removes_exactly_what_the_plugin_left(
    example: Example, make_client: Any
) -> None:
    rows = await _installed_and_migrated(example, make_client)
    db = Database(example.url)
    try:
        # refused while it is installed, and for the core, whatever the database holds
        with pytest.raises(DropRefused, match="is installed"):
            await plan_drop(db, example.with_it(), KEY)
        with pytest.raises(DropRefused, match="not a plugin"):
            await plan_drop(db, example.without_it(), "core")
        with pytest.raises(DropRefused, match=r"plugin 'open_data' is installed \(built-in\)"):
            await plan_drop(db, example.with_it(), "open_data")

        without = example.without_it()
        # a table of someone else that references the plugin's table: refused, nothing dropped
        await _sql(
            example.url,
            f"CREATE TABLE {DECOY} (id INTEGER PRIMARY KEY, "
            f"commitment_id INTEGER REFERENCES {TABLE} (id))",
        )
        with pytest.raises(DropRefused, match=f"table {DECOY}, which is not the plugin's"):
            await plan_drop(db, without, KEY)
        # the same table without the reference: left alone, although it has the plugin's prefix
        await _sql(
            example.url, f"DROP TABLE {DECOY}", f"CREATE TABLE {DECOY} (id INTEGER PRIMARY KEY)"
        )
        before = await _snapshot(example.url)
        plan = await plan_drop(db, without, KEY)
        assert (plan.tables, plan.revisions, plan.by_prefix) == (
            ((TABLE, rows),),
            (REVISION,),
            False,
        )
        assert f"table {TABLE}: {rows} row" in plan.describe()
        await drop_plugin(db, without, plan)

        assert await _snapshot(example.url) == _without_example(before)
        state = await migration_status(db, without)
        assert (state.ready, state.removed) == (True, ())
        gone = make_client(example.url, installed=example.others())
        assert (await gone.http.get("/readyz")).json() == {"status": "ready"}
        with pytest.raises(DropRefused, match="nothing of a plugin"):
            await plan_drop(db, without, KEY)
    finally:
        await db.dispose()


async def test_tables_found_by_name_only_when_nothing_was_recorded_and_asked(
    example: Example, make_client: Any
) -> None:
    """A plugin uninstalled before any `db upgrade` wrote the registry: its version row is there,
    no table is recorded. Names are then the only clue, used only with `by_prefix`."""
    rows = await _installed_and_migrated(example, make_client)
    await _sql(
        example.url,
        f"DELETE FROM plugin_registry WHERE plugin = '{KEY}'",
        f"CREATE TABLE {DECOY} (id INTEGER PRIMARY KEY)",
    )
    without = example.without_it()
    db = Database(example.url)
    try:
        with pytest.raises(DropRefused, match="no table is recorded") as refused:
            await plan_drop(db, without, KEY)
        assert f"'{KEY}_*': {TABLE}, {DECOY}. " in str(refused.value)
        assert "--by-prefix" in str(refused.value)
        plan = await plan_drop(db, without, KEY, by_prefix=True)
        assert (plan.by_prefix, plan.revisions) == (True, (REVISION,))
        assert sorted(plan.tables) == [(TABLE, rows), (DECOY, 0)]
        assert "(found by the name prefix, not recorded)" in plan.describe()
        await drop_plugin(db, without, plan)
        [[], []] = await _sql(
            example.url,
            f"SELECT 1 FROM alembic_version WHERE version_num = '{REVISION}'",
            f"SELECT 1 FROM plugin_registry WHERE plugin = '{KEY}'",
        )
        async with db.engine.connect() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        assert TABLE not in names and DECOY not in names and "open_data_portals" in names
    finally:
        await db.dispose()


async def test_database_ahead_of_the_installed_code_is_not_ready(
    empty_db: str, make_client: Any
) -> None:
    """A revision the installed core or plugin does not know is not a removed plugin."""
    await _sql(empty_db, "INSERT INTO alembic_version (version_num) VALUES ('open_data_0099')")
    try:
        response = await make_client(empty_db).http.get("/readyz")
        assert response.status_code == 503
        [stale] = response.json()["staleRevisions"]
        assert "open_data_0099 of plugin 'open_data'" in stale and "newer version" in stale
        with pytest.raises(MigrationError, match="open_data_0099"):
            await _migrate(empty_db, make_plugin_manager(settings_for(empty_db)))
    finally:
        await _sql(empty_db, "DELETE FROM alembic_version WHERE version_num = 'open_data_0099'")


# `ogp-wg` in an interpreter whose only site directory is `argv[1]` (site-packages without the
# example): the console script's own entry point, `core.cli.main`, with the arguments that follow.
WITHOUT_EXAMPLE = (
    "import site, sys; site.addsitedir(sys.argv.pop(1)); from core.cli import main; "
    "raise SystemExit(main(sys.argv[1:]))"
)


@pytest.fixture(scope="module")
def site_without_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This environment's site-packages as `pip uninstall ogp-wg-gender-inclusion` leaves it:
    a folder of links to every entry but the example's (its package, dist-info, editable hook),
    so the shared environment is never changed, whether or not the example is installed in it.
    """
    shadow = tmp_path_factory.mktemp("site-without-example")
    for folder in dict.fromkeys(Path(p).resolve() for p in site.getsitepackages()):
        for entry in folder.iterdir():
            link = shadow / entry.name
            if MODULE not in entry.name.replace("-", "_").lower() and not link.exists():
                link.symlink_to(entry)
    return shadow


def _ogp_wg(
    example: Example, *args: str, installed: bool, without: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `ogp-wg ARGS` with the example installed (really, or from its pip target on
    PYTHONPATH) or uninstalled (an interpreter on `without`, see `site_without_example`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env.pop("PYTHONPATH", None)
    env["OGP_WG_DATABASE_URL"] = example.url
    if installed and not example.real:
        env["PYTHONPATH"] = str(example.site)
    command = (
        [OGP_WG, *args]
        if installed
        else [sys.executable, "-S", "-c", WITHOUT_EXAMPLE, str(without), *args]
    )
    return subprocess.run(
        command, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


async def test_cli_upgrade_warns_and_drop_plugin_asks_first(
    example: Example, site_without_example: Path
) -> None:
    without = site_without_example
    migrated = _ogp_wg(example, "db", "upgrade", installed=True, without=without)
    assert migrated.returncode == 0, migrated.stderr
    before = await _snapshot(example.url)

    upgraded = _ogp_wg(example, "db", "upgrade", installed=False, without=without)
    assert upgraded.returncode == 0, upgraded.stderr  # was: Can't locate revision
    assert f"warning: plugin '{KEY}' is not installed" in upgraded.stderr
    assert f"`ogp-wg db drop-plugin {KEY}`" in upgraded.stderr

    refused = _ogp_wg(
        example, "db", "drop-plugin", "core", "--yes", installed=False, without=without
    )
    assert refused.returncode == 1, refused.stderr
    assert (
        refused.stderr
        == "ogp-wg: error: 'core' is not a plugin: the core's tables are never dropped\n"
    )
    declined = _ogp_wg(
        example, "db", "drop-plugin", KEY, installed=False, without=without, stdin="yes\n"
    )
    assert declined.returncode == 1 and "nothing was dropped" in declined.stderr, declined.stderr
    assert re.search(rf"^  table {TABLE}: \d+ rows?$", declined.stdout, re.M), declined.stdout
    assert f"  row {REVISION} of alembic_version" in declined.stdout
    assert await _snapshot(example.url) == before

    dropped = _ogp_wg(
        example, "db", "drop-plugin", KEY, installed=False, without=without, stdin=f"{KEY}\n"
    )
    assert dropped.returncode == 0, dropped.stderr
    assert await _snapshot(example.url) == _without_example(before)
    db = Database(example.url)
    try:
        state = await migration_status(db, example.without_it())
    finally:
        await db.dispose()
    assert (state.ready, state.removed) == (True, ())
