"""The sixth group from outside: examples/gender_inclusion, installed with pip through its entry
point, migrated and served with no file under core/ or plugins/ changed for it.

The package is built from a copy of its folder (so no build/ or *.egg-info lands in the repository)
into a directory of its own, put on sys.path, and found by the normal entry-point discovery. It
gets a FRESH database: the session database is migrated before the plugin is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from core.db import Base, Database
from core.demo import load_demo
from core.migrate import pending, upgrade
from core.plugins import discover, make_plugin_manager
from core.testing import GraphQLClient, settings_for, token_for

EXAMPLE = Path(__file__).parent.parent / "examples" / "gender_inclusion"
MODULE = "ogp_wg_gender_inclusion"
TABLE = "gender_inclusion_commitments"
OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
LATEST = max(p.name[:21] for p in (EXAMPLE / MODULE / "migrations").glob("gender_inclusion_*.py"))


@pytest.fixture(scope="module")
def example_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy of examples/gender_inclusion."""
    src = tmp_path_factory.mktemp("example") / "gender_inclusion"
    ignore = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".*")
    shutil.copytree(EXAMPLE, src, ignore=ignore)
    return src


@pytest.fixture(scope="module")
def example_site(example_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip install --no-deps --no-build-isolation --target DIR examples/gender_inclusion`."""
    site = tmp_path_factory.mktemp("example-site")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    options = ["--no-deps", "--no-build-isolation", "--target", str(site)]
    installed = subprocess.run([*pip, *options, str(example_src)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    return site


@pytest.fixture
def on_path(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path | None]:
    """The example importable and discoverable for one test; forgotten afterwards, so the rest of
    the session (whose database has no table of it) never sees its modules or its table.

    None when it is installed here already (`make install` installs it, so CI runs the whole
    suite with it): the test then runs on that installation, which stays for the session.
    """
    if "gender_inclusion" in _installed_keys():
        yield None
        return
    _forget()
    monkeypatch.syspath_prepend(str(example_site))
    yield example_site
    _forget()
    table = Base.metadata.tables.get(TABLE)
    if table is not None:
        Base.metadata.remove(table)


def _installed_keys() -> set[str]:
    return {ep.name for ep in entry_points(group="ogp_wg.plugins")}


def _forget() -> None:
    for name in [m for m in sys.modules if m == MODULE or m.startswith(f"{MODULE}.")]:
        del sys.modules[name]


def _env(site: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return env | extra


async def _migrate_fresh(url: str) -> None:
    """`ogp-wg db upgrade`, in-process: discovery must find the example."""
    settings = settings_for(url)
    plugins = make_plugin_manager(settings)
    assert "gender_inclusion" in plugins.installed and "gender_inclusion" in plugins.enabled
    db = Database(url)
    try:
        await upgrade(db, plugins)
        assert await pending(db, plugins) == set()
        async with db.engine.connect() as conn:
            heads = set(
                (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars()
            )
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
        assert LATEST in heads
        assert [d for d in diff if TABLE in repr(d)] == []  # its migration matches its model
        # core demo data + this plugin's (the built-in plugins' demo data is theirs to test)
        only_example = make_plugin_manager(
            settings_for(url, plugins={"enabled": ["gender_inclusion"]})
        )
        await load_demo(db, only_example)
        await load_demo(db, only_example)  # idempotent
    finally:
        await db.dispose()


GROUP = """{
  themes { key title version }
  workingGroup(slug: "gender-and-inclusion") {
    __typename theme name
    ... on GenderInclusionGroup {
      priorityGroups
      commitmentSummary { total genderFocused complete }
    }
  }
  country(code: "CA") { genderInclusionCommitments(genderFocus: true) { title status } }
}"""

RECORD = """mutation($input: GenderInclusionCommitmentRecordInput!) {
  genderInclusionCommitmentRecord(input: $input) {
    commitment { id title targetGroup status country { code name } }
    userErrors { code field message }
  }
}"""

UPDATE = """mutation($input: GenderInclusionCommitmentUpdateInput!) {
  genderInclusionCommitmentUpdate(input: $input) {
    commitment { id actionPlanCycle status }
    userErrors { code field }
  }
}"""


async def test_example_plugin_installed_from_outside(
    on_path: Path | None, tmp_path: Path, make_client
) -> None:
    installed = discover()
    assert installed["gender_inclusion"].source == "ogp-wg-gender-inclusion 1.0.0"
    assert installed["fiscal_openness"].source == "built-in"
    if on_path is not None:
        assert Path(sys.modules[MODULE].__file__).is_relative_to(on_path)  # the installed copy

    url = f"sqlite+aiosqlite:///{tmp_path / 'example.sqlite3'}"
    await _migrate_fresh(url)
    # the default configuration: every plugin; signed in as staff (mutations need a rule)
    client: GraphQLClient = make_client(url).with_token(await token_for(url, "staff"))

    # the group type, its domain fields, the field on Country
    data = await client.execute(GROUP)
    themes = {theme["key"]: theme for theme in data["themes"]}
    assert themes["gender_inclusion"] == {
        "key": "gender_inclusion",
        "title": "Gender and inclusion",
        "version": "1.0.0",
    }
    assert data["workingGroup"] == {
        "__typename": "GenderInclusionGroup",
        "theme": "gender_inclusion",
        "name": "Gender and Inclusion",
        "priorityGroups": ["WOMEN_AND_GIRLS", "LGBTQIA_PLUS", "PERSONS_WITH_DISABILITIES"],
        "commitmentSummary": {"total": 6, "genderFocused": 5, "complete": 1},
    }
    assert {c["status"] for c in data["country"]["genderInclusionCommitments"]} == {
        "SUBSTANTIAL",
        "COMPLETE",
    }
    # its settings, read per app (`core.app_constant`): each group once, on both read paths
    # (the compiled one keeps its plans per app, so another app's settings are its own)
    for compiled in (True, False):
        other = make_client(
            url,
            compiled_reads=compiled,
            plugins={"gender_inclusion": {"priority_groups": ["YOUTH", "GENERAL_PUBLIC", "YOUTH"]}},
        )
        answer = (await other.execute(GROUP))["workingGroup"]
        assert answer["priorityGroups"] == ["YOUTH", "GENERAL_PUBLIC"]
        assert answer["commitmentSummary"] == data["workingGroup"]["commitmentSummary"]
    schema = await client.execute(
        '{ __type(name: "GenderInclusionGroup") { interfaces { name } } }'
    )
    assert {"name": "WorkingGroup"} in schema["__type"]["interfaces"]

    # the root query: filter and cursor pagination
    query = """query($after: String) {
      genderInclusionCommitments(filter: {genderFocus: true}, first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { title country { code } } } }"""
    seen, after = [], None
    while True:
        page = (await client.execute(query, {"after": after}))["genderInclusionCommitments"]
        assert page["totalCount"] == 8 and len(page["nodes"]) <= 3
        seen += [(n["country"]["code"], n["title"]) for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 8

    # mutations: record, correct, and userErrors for invalid input
    new = {
        "country": "GB",
        "actionPlanCycle": "2024-2026",
        "title": "Gender pay gap data",
        "genderFocus": True,
        "targetGroup": "WOMEN_AND_GIRLS",
    }
    recorded = (await client.execute(RECORD, {"input": new}))["genderInclusionCommitmentRecord"]
    assert recorded["userErrors"] == []
    assert recorded["commitment"]["country"] == {"code": "GB", "name": "United Kingdom"}
    fix = {"id": recorded["commitment"]["id"], "actionPlanCycle": "2025-2027", "status": "LIMITED"}
    fixed = (await client.execute(UPDATE, {"input": fix}))["genderInclusionCommitmentUpdate"]
    assert fixed == {"commitment": fix, "userErrors": []}
    uk = await client.execute(
        '{ genderInclusionCommitments(filter: {country: "GB"}) { nodes { actionPlanCycle } } }'
    )
    assert uk["genderInclusionCommitments"]["nodes"] == [{"actionPlanCycle": "2025-2027"}]

    bad = {**new, "country": "ZZ", "actionPlanCycle": "2027-2025"}
    rejected = (await client.execute(RECORD, {"input": bad}))["genderInclusionCommitmentRecord"]
    assert rejected["commitment"] is None
    assert {e["code"] for e in rejected["userErrors"]} == {"UNKNOWN_COUNTRY", "CYCLE_ORDER"}
    duplicate = {**new, "actionPlanCycle": "2025-2027"}
    twice = (await client.execute(RECORD, {"input": duplicate}))["genderInclusionCommitmentRecord"]
    assert [e["code"] for e in twice["userErrors"]] == ["DUPLICATE_COMMITMENT"]


def test_plugins_list_shows_the_distribution(example_site: Path, tmp_path: Path) -> None:
    env = _env(example_site, OGP_WG_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    listed = subprocess.run(
        [OGP_WG, "plugins", "list"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line.split() for line in listed.stdout.splitlines()[1:]}
    assert rows["gender_inclusion"][-3:] == ["ogp-wg-gender-inclusion", "1.0.0", "yes"]
    assert "built-in" in rows["open_data"]


def test_example_passes_its_own_tests(example_src: Path, example_site: Path) -> None:
    """Its tests/ run against the installed package with the shipped fixtures (on SQLite)."""
    pytest_ = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:warnings"]
    result = subprocess.run(
        [*pytest_, "--rootdir", str(example_src), str(example_src / "tests")],
        env=_env(example_site),
        cwd=example_site,  # not the source copy: the installed package is the one imported
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
