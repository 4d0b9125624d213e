"""The plugin system: enable/disable round trip, configuration errors, broken and clashing plugins,
and a plugin installed from outside the repository through the entry point.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types as pytypes
from pathlib import Path
from typing import Any

import pytest
import strawberry
from pydantic import BaseModel

import core
from core.config import ConfigError
from core.plugins import PluginError, discover, make_plugin_manager
from core.testing import GraphQLClient, settings_for

INTROSPECT = "{ __schema { types { name fields { name } } } }"


def _schema_names(data: dict[str, Any]) -> tuple[set[str], dict[str, set[str]]]:
    types_ = data["__schema"]["types"]
    return (
        {t["name"] for t in types_},
        {t["name"]: {f["name"] for f in t["fields"] or []} for t in types_},
    )


async def test_disable_then_enable_round_trip(demo_db: str, make_client) -> None:
    everything = make_client(demo_db)
    before = await everything.execute(
        """{ workingGroup(slug: "fiscal-openness") { id name memberCount }
             all: workingGroups { totalCount }
             fiscal: workingGroups(filter: {theme: "fiscal_openness"}) { totalCount }
             country(code: "PH") { openBudgetSurvey { edition transparency { score } } } }"""
    )
    assert before["workingGroup"] and before["country"]["openBudgetSurvey"]
    # the pilot group, and the demo's proposal filed under the same theme (issue 9)
    assert before["fiscal"]["totalCount"] >= 1
    group_id = before["workingGroup"]["id"]

    disabled = make_client(demo_db, plugins={"disabled": ["fiscal_openness"]})
    names, fields = _schema_names(await disabled.execute(INTROSPECT))
    assert "FiscalOpennessGroup" not in names and "OpenBudgetSurvey" not in names
    assert "openBudgetSurvey" not in fields["Country"]
    hidden = await disabled.execute(
        """query($id: ID!) { workingGroup(slug: "fiscal-openness") { id }
             node(id: $id) { id }
             workingGroups(filter: {theme: "fiscal_openness"}) { totalCount }
             all: workingGroups { totalCount }
             themes { key }
             meetings(filter: {group: "fiscal-openness"}) { totalCount } }""",
        {"id": group_id},
    )
    assert hidden["workingGroup"] is None and hidden["node"] is None
    assert hidden["workingGroups"]["totalCount"] == 0
    # whatever is installed: all but the theme's groups
    assert (
        hidden["all"]["totalCount"] == before["all"]["totalCount"] - before["fiscal"]["totalCount"]
    )
    assert "fiscal_openness" not in {t["key"] for t in hidden["themes"]}
    assert hidden["meetings"]["totalCount"] == 0
    errors = await disabled.errors('{ country(code: "PH") { openBudgetSurvey { edition } } }')
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    enabled_again = make_client(demo_db)
    after = await enabled_again.execute(
        """{ workingGroup(slug: "fiscal-openness") { id name memberCount }
             all: workingGroups { totalCount }
             fiscal: workingGroups(filter: {theme: "fiscal_openness"}) { totalCount }
             country(code: "PH") { openBudgetSurvey { edition transparency { score } } } }"""
    )
    assert after == before


async def test_enabled_list_limits_the_schema(demo_db: str, make_client) -> None:
    only = make_client(demo_db, plugins={"enabled": ["open_data"]})
    data = await only.execute("{ themes { key } workingGroups { nodes { slug } } }")
    assert [t["key"] for t in data["themes"]] == ["open_data"]
    assert [g["slug"] for g in data["workingGroups"]["nodes"]] == ["open-data"]


def test_unknown_plugin_key_stops_start_up(database_url: str) -> None:
    for plugins in ({"enabled": ["open_dta"]}, {"disabled": ["nope"]}):
        with pytest.raises(ConfigError) as excinfo:
            make_plugin_manager(settings_for(database_url, plugins=plugins))
        message = str(excinfo.value)
        assert "unknown plugin" in message
        assert "open_data" in message and "fiscal_openness" in message  # lists installed


def test_env_lists_are_comma_separated(database_url: str) -> None:
    from core.config import load_settings

    settings = load_settings(
        config={},
        environ={
            "OGP_WG_PLUGINS_ENABLED": "access_to_info,open_data, extractives ,fiscal_openness",
            "OGP_WG_PLUGINS_DISABLED": "open_data, extractives",
            "OGP_WG_DATABASE_URL": database_url,
        },
    )
    assert make_plugin_manager(settings).enabled == ["access_to_info", "fiscal_openness"]


# --- plugins built in the test ------------------------------------------------------------------


def _plugin(key: str, **hooks: Any) -> pytypes.ModuleType:
    module = pytypes.ModuleType(f"test_plugin_{key}")
    theme = core.Theme(key=key, title=key.title(), summary="test", version="9.9")
    module.ogp_wg_theme = core.hookimpl(lambda: theme)  # type: ignore[attr-defined]
    for name, fn in hooks.items():
        setattr(module, name, core.hookimpl(fn))
    return module


def _group_type(name: str) -> type:
    return strawberry.type(type(name, (core.types.WorkingGroup,), {}))


def test_plugin_raising_names_plugin_and_hook(database_url: str) -> None:
    def boom() -> type:
        raise RuntimeError("kaboom")

    bad = _plugin("bad_theme", ogp_wg_group_type=boom)
    with pytest.raises(PluginError) as excinfo:
        from core.schema.build import build_schema

        build_schema(make_plugin_manager(settings_for(database_url), installed={"bad_theme": bad}))
    assert "'bad_theme'" in str(excinfo.value) and "ogp_wg_group_type" in str(excinfo.value)
    assert "kaboom" in str(excinfo.value)


def test_misspelled_hook_is_an_error(database_url: str) -> None:
    typo = _plugin("typo_theme")
    typo.ogp_wg_grup_type = core.hookimpl(lambda: None)  # type: ignore[attr-defined]
    with pytest.raises(PluginError) as excinfo:
        make_plugin_manager(settings_for(database_url), installed={"typo_theme": typo})
    assert "typo_theme" in str(excinfo.value) and "ogp_wg_grup_type" in str(excinfo.value)


def test_two_plugins_same_field_on_core_type(database_url: str) -> None:
    from core.schema.build import build_schema

    @strawberry.field
    def flag(root: core.types.Country) -> str:
        return "x"

    a = _plugin(
        "a_theme",
        ogp_wg_group_type=lambda: _group_type("AGroup"),
        ogp_wg_type_fields=lambda: {"Country": [flag]},
    )
    b = _plugin(
        "b_theme",
        ogp_wg_group_type=lambda: _group_type("BGroup"),
        ogp_wg_type_fields=lambda: {"Country": [flag]},
    )
    plugins = make_plugin_manager(
        settings_for(database_url), installed={"a_theme": a, "b_theme": b}
    )
    with pytest.raises(PluginError) as excinfo:
        build_schema(plugins)
    message = str(excinfo.value)
    assert "'a_theme'" in message and "'b_theme'" in message and "Country.flag" in message


def test_two_plugins_same_type_name(database_url: str) -> None:
    from core.schema.build import build_schema

    a = _plugin("a_theme", ogp_wg_group_type=lambda: _group_type("SameGroup"))
    b = _plugin("b_theme", ogp_wg_group_type=lambda: _group_type("SameGroup"))
    plugins = make_plugin_manager(
        settings_for(database_url), installed={"a_theme": a, "b_theme": b}
    )
    with pytest.raises(PluginError) as excinfo:
        build_schema(plugins)
    assert "SameGroup" in str(excinfo.value)
    assert "a_theme" in str(excinfo.value) and "b_theme" in str(excinfo.value)


def test_invalid_plugin_settings_stop_start_up(database_url: str) -> None:
    class Limits(BaseModel):
        max_items: int = 10

    limited = _plugin("limited_theme", ogp_wg_settings_model=lambda: Limits)
    ok = make_plugin_manager(
        settings_for(database_url, plugins={"limited_theme": {"max_items": 3}}),
        installed={"limited_theme": limited},
    )
    assert ok.settings_for("limited_theme") == Limits(max_items=3)
    with pytest.raises(ConfigError) as excinfo:
        make_plugin_manager(
            settings_for(database_url, plugins={"limited_theme": {"max_items": "many"}}),
            installed={"limited_theme": limited},
        )
    assert "limited_theme" in str(excinfo.value) and "max_items" in str(excinfo.value)


# --- a partner's package, installed through the entry point ------------------------------------
# (not named like the example plugin, which may be installed here too: CI installs it)

PARTNER_PLUGIN = '''
"""A partner's plugin: a civic space working group (test package)."""
import strawberry
from core import Theme, hookimpl, types


@strawberry.type
class CivicSpaceGroup(types.WorkingGroup):
    @strawberry.field
    def focus(self) -> str:
        return "civic space in action plans"


@strawberry.field
def civic_space_hello() -> str:
    return "hello from a partner package"


@hookimpl
def ogp_wg_theme():
    return Theme(key="civic_space", title="Civic space", summary="Test.",
                 version="0.3.0")


@hookimpl
def ogp_wg_group_type():
    return CivicSpaceGroup


@hookimpl
def ogp_wg_query_fields():
    return [civic_space_hello]
'''


@pytest.fixture(scope="session")
def partner_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build and install a partner package with pip into a directory of its own."""
    src = tmp_path_factory.mktemp("partner-src")
    (src / "ogp_wg_civic_space").mkdir()
    (src / "ogp_wg_civic_space" / "__init__.py").write_text(PARTNER_PLUGIN)
    (src / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"
            [project]
            name = "ogp-wg-civic-space"
            version = "0.3.0"
            [project.entry-points."ogp_wg.plugins"]
            civic_space = "ogp_wg_civic_space"
            """
        )
    )
    site = tmp_path_factory.mktemp("partner-site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(src),
        ],
        check=True,
    )
    return site


async def _staff_token(url: str) -> str:
    """A read + write token of a new staff person on `url` (creating a group takes staff)."""
    from sqlalchemy import insert

    from core import models
    from core.auth.staff import grant_staff
    from core.auth.tokens import issue_token
    from core.db import Database

    db = Database(url)
    try:
        async with db.write() as conn:
            person = await conn.scalar(
                insert(models.Person).values(name="Staff").returning(models.Person.id)
            )
            assert person is not None
            await grant_staff(conn, person, granted_by="test")
            return (await issue_token(conn, person)).token
    finally:
        await db.dispose()


async def test_partner_plugin_from_entry_point(
    partner_site: Path, empty_db: str, make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(partner_site))
    installed = discover()
    assert installed["civic_space"].source == "ogp-wg-civic-space 0.3.0"
    assert installed["open_data"].source == "built-in"

    client: GraphQLClient = make_client(empty_db).with_token(await _staff_token(empty_db))
    data = await client.execute(
        """mutation { workingGroupCreate(input: {slug: "civic-space", name: "Civic space",
                                                 theme: "civic_space"}) {
             workingGroup { __typename ... on CivicSpaceGroup { focus } } userErrors { code } } }"""
    )
    created = data["workingGroupCreate"]
    assert created["workingGroup"] == {
        "__typename": "CivicSpaceGroup",
        "focus": "civic space in action plans",
    }
    hello = await client.execute("{ civicSpaceHello themes { key } }")
    assert hello["civicSpaceHello"] == "hello from a partner package"
    assert "civic_space" in {t["key"] for t in hello["themes"]}
    sys.modules.pop("ogp_wg_civic_space", None)
