"""The shipped fixtures (`core.testing`) are opt-in, take the configuration in `ogp-wg.toml`'s own
shape, and give every test the same view wherever it runs: no local `ogp-wg.toml` and no
`OGP_WG_*` variable changes what a test sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
import types as pytypes
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import strawberry
from pydantic import BaseModel

import core

ROOT = Path(__file__).parent.parent
THEMES = "{ themes { key } }"


def test_no_pytest_plugin_is_installed() -> None:
    assert "pytest11" not in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get(
        "entry-points", {}
    )
    assert [ep for ep in entry_points(group="pytest11") if ep.value.startswith("core")] == []


FOREIGN_TEST = """
import sys


def test_not_loaded():
    assert "core.testing" not in sys.modules


async def test_async():
    raise AssertionError("claimed by core.testing")
"""


def test_another_project_is_left_alone(tmp_path: Path) -> None:
    """A project that has ogp-working-groups installed but does not opt in: its async tests are
    not run by core.testing and nothing of ours lands in its .pytest_cache."""
    (tmp_path / "test_foreign.py").write_text(FOREIGN_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "test_foreign.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "PASSED test_foreign.py::test_not_loaded" in result.stdout, result.stdout
    assert "claimed by core.testing" not in result.stdout
    assert not (tmp_path / ".pytest_cache" / "ogp-wg-backends").exists()


async def test_local_config_and_environment_are_ignored(
    demo_db: str, make_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = await make_client(demo_db).execute(THEMES)
    assert len(expected["themes"]) >= 5  # every installed plugin

    broken = '[plugins]\nenabled = ["no_such_plugin"]\ndebug = "not a bool"\n'
    (tmp_path / "ogp-wg.toml").write_text(broken)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OGP_WG_CONFIG", str(tmp_path / "ogp-wg.toml"))
    monkeypatch.setenv("OGP_WG_PLUGINS_DISABLED", "open_data,fiscal_openness")
    monkeypatch.setenv("OGP_WG_PLUGINS_ENABLED", "open_data")
    monkeypatch.setenv("OGP_WG_GRAPHIQL", "maybe")
    assert await make_client(demo_db).execute(THEMES) == expected


class EchoSettings(BaseModel):
    greeting: str = "hello"


@strawberry.field
def echo_greeting(info: strawberry.Info) -> str:
    return info.context.plugin_settings("echo_theme").greeting


def _echo_plugin() -> pytypes.ModuleType:
    module = pytypes.ModuleType("test_plugin_echo_theme")
    theme = core.Theme(key="echo_theme", title="Echo", summary="test", version="9.9")
    group = strawberry.type(type("EchoGroup", (core.types.WorkingGroup,), {}))
    hooks = {
        "ogp_wg_theme": lambda: theme,
        "ogp_wg_group_type": lambda: group,
        "ogp_wg_settings_model": lambda: EchoSettings,
        "ogp_wg_query_fields": lambda: [echo_greeting],
    }
    for name, fn in hooks.items():
        setattr(module, name, core.hookimpl(fn))
    return module


async def test_configuration_in_its_own_shape(database_url: str, make_client) -> None:
    def greeting(*args: Any, **kwargs: Any) -> Any:
        client = make_client(
            database_url, *args, installed={"echo_theme": _echo_plugin()}, **kwargs
        )
        return client.execute("{ echoGreeting }")

    assert await greeting() == {"echoGreeting": "hello"}
    # [plugins.echo_theme] as a dict, as TOML text, and as the `plugins=` table
    as_dict = {
        "debug": True,
        "plugins": {"enabled": ["echo_theme"], "echo_theme": {"greeting": "hi"}},
    }
    assert await greeting(as_dict) == {"echoGreeting": "hi"}
    as_toml = textwrap.dedent(
        """
        debug = true

        [plugins.echo_theme]
        greeting = "hej"
        """
    )
    assert await greeting(as_toml) == {"echoGreeting": "hej"}
    assert await greeting(plugins={"echo_theme": {"greeting": "hola"}}) == {"echoGreeting": "hola"}
    # `plugins=` on top of `config` replaces that plugin's table, keeps the rest
    merged = await greeting(as_dict, plugins={"echo_theme": {"greeting": "salut"}})
    assert merged == {"echoGreeting": "salut"}


def test_configuration_errors_name_the_setting(database_url: str, make_client) -> None:
    from core.config import ConfigError

    with pytest.raises(ConfigError, match=r"unknown setting greting .*'echo_theme'"):
        make_client(
            database_url,
            plugins={"echo_theme": {"greting": "hi"}},
            installed={"echo_theme": _echo_plugin()},
        )
    with pytest.raises(ConfigError, match="debug"):
        make_client(database_url, {"debug": "not a bool"})
