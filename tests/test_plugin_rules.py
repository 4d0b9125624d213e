"""Start-up refuses what would otherwise be silently ignored: pluggy ordering and wrapping options
the core cannot honour (it calls each plugin's implementation itself), and a `[plugins.<key>]`
key the plugin's settings model has no field for (pydantic ignores unknown keys by default).
"""

from __future__ import annotations

import types as pytypes
from typing import Any

import pytest
import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

import core
from core.config import ConfigError
from core.plugins import PluginError, make_plugin_manager
from core.testing import settings_for


def _plugin(key: str, **hooks: Any) -> pytypes.ModuleType:
    module = pytypes.ModuleType(f"test_plugin_{key}")
    theme = core.Theme(key=key, title=key.title(), summary="test", version="9.9")
    module.ogp_wg_theme = core.hookimpl(lambda: theme)  # type: ignore[attr-defined]
    for name, fn in hooks.items():
        setattr(module, name, fn if hasattr(fn, "ogp_wg_impl") else core.hookimpl(fn))
    return module


def _types() -> list[type]:
    return []


def _wrapper() -> Any:
    return (yield)


@pytest.mark.parametrize(
    ("options", "function"),
    [
        ({"tryfirst": True}, _types),
        ({"trylast": True}, _types),
        ({"wrapper": True}, _wrapper),
        ({"hookwrapper": True}, _wrapper),
    ],
)
def test_ordering_and_wrapping_options_are_refused(
    database_url: str, options: dict[str, bool], function: Any
) -> None:
    plugin = _plugin("ordered_theme", ogp_wg_types=core.hookimpl(**options)(function))
    with pytest.raises(PluginError) as excinfo:
        make_plugin_manager(settings_for(database_url), installed={"ordered_theme": plugin})
    message = str(excinfo.value)
    option = next(iter(options))
    assert "'ordered_theme'" in message and "ogp_wg_types" in message
    assert f"{option}=True" in message and "not supported" in message


def test_an_argument_the_hook_does_not_have_names_the_plugin(database_url: str) -> None:
    plugin = _plugin("argued_theme", ogp_wg_types=lambda conn: [])
    with pytest.raises(PluginError) as excinfo:
        make_plugin_manager(settings_for(database_url), installed={"argued_theme": plugin})
    assert "'argued_theme'" in str(excinfo.value) and "conn" in str(excinfo.value)


def test_plain_hooks_still_work(database_url: str) -> None:
    group = strawberry.type(type("PlainGroup", (core.types.WorkingGroup,), {}))
    plugin = _plugin("plain_theme", ogp_wg_group_type=lambda: group)
    plugins = make_plugin_manager(settings_for(database_url), installed={"plain_theme": plugin})
    assert plugins.call("ogp_wg_group_type") == [("plain_theme", group)]


# --- strict settings ----------------------------------------------------------------------------


class Window(BaseModel):
    days: int = 7


class Limits(BaseModel):
    """A model that, like most, says nothing about extra keys (pydantic then ignores them)."""

    max_items: int = 10
    window: Window = Window()
    windows: list[Window] = []
    by_region: dict[str, Window] = {}
    label: str | None = Field(default=None, alias="displayLabel")
    source: str = Field(default="", validation_alias=AliasChoices("source", "origin"))


class Permissive(BaseModel):
    model_config = ConfigDict(extra="allow")

    max_items: int = 10


def _limited(model: type[BaseModel] = Limits) -> dict[str, object]:
    return {"limited_theme": _plugin("limited_theme", ogp_wg_settings_model=lambda: model)}


def _start(url: str, table: dict[str, Any], model: type[BaseModel] = Limits) -> Any:
    settings_ = settings_for(url, plugins={"limited_theme": table})
    return make_plugin_manager(settings_, installed=_limited(model)).settings_for("limited_theme")


@pytest.mark.parametrize(
    ("table", "unknown"),
    [
        ({"max_itmes": 3}, "max_itmes"),
        ({"max_items": 3, "maxItems": 3}, "maxItems"),
        ({"window": {"dayz": 3}}, "window.dayz"),
        ({"windows": [{"days": 1}, {"dayz": 3}]}, "windows[1].dayz"),
        ({"by_region": {"africa": {"dayz": 3}}}, "by_region.africa.dayz"),
        ({"label": "x"}, "label"),  # the field is read under its alias only
    ],
)
def test_unknown_setting_stops_start_up(database_url: str, table: dict, unknown: str) -> None:
    with pytest.raises(ConfigError) as excinfo:
        _start(database_url, table)
    message = str(excinfo.value)
    assert f"unknown setting {unknown} " in message
    assert "plugin 'limited_theme'" in message and "[plugins.limited_theme]" in message


def test_known_settings_pass(database_url: str) -> None:
    table = {
        "max_items": 3,
        "window": {"days": 2},
        "windows": [{"days": 1}],
        "by_region": {"africa": {"days": 5}},
        "displayLabel": "x",
        "origin": "y",
    }
    validated = _start(database_url, table)
    assert (validated.max_items, validated.label, validated.source) == (3, "x", "y")
    assert validated.by_region["africa"].days == 5


def test_even_a_permissive_model_is_strict(database_url: str) -> None:
    assert _start(database_url, {"max_items": 3}, Permissive).max_items == 3
    with pytest.raises(ConfigError, match="unknown setting max_itmes "):
        _start(database_url, {"max_itmes": 3}, Permissive)


def test_settings_model_must_be_a_pydantic_model(database_url: str) -> None:
    plugin = _plugin("limited_theme", ogp_wg_settings_model=lambda: dict)
    with pytest.raises(PluginError, match=r"'limited_theme'.*ogp_wg_settings_model"):
        make_plugin_manager(settings_for(database_url), installed={"limited_theme": plugin})


FIELDS = sorted(Limits.model_fields.keys() - {"label", "source"})
KEYS = st.sampled_from([*FIELDS, "displayLabel", "origin"]) | st.from_regex(
    r"[a-z_]{1,12}", fullmatch=True
)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(keys=st.sets(KEYS, max_size=4))
def test_refused_exactly_when_a_key_is_unknown(keys: set[str]) -> None:
    """Generated top-level keys (values valid for their fields): start-up fails iff some key is
    not a field name or alias, and the message names exactly those keys."""
    known = {*FIELDS, "displayLabel", "origin"}
    values = {"max_items": 1, "window": {}, "windows": [], "by_region": {}}
    table = {key: values.get(key, "x") for key in keys}
    url = "sqlite+aiosqlite://"  # nothing is opened: settings are checked before any connection
    unknown = sorted(keys - known)
    if unknown:
        with pytest.raises(ConfigError) as excinfo:
            _start(url, table)
        named = str(excinfo.value).split("unknown setting")[1].split(" for plugin")[0]
        assert sorted(named.removeprefix("s").strip().split(", ")) == unknown
    else:
        _start(url, table)
