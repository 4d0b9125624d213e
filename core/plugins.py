"""Discovery (entry points), enable/disable by configuration, and collecting what plugins give.

Every installed plugin is registered with pluggy (so `check_pending()` catches misspelled hooks
everywhere and `db upgrade` migrates disabled plugins too); only enabled plugins contribute to the
schema, loaders and demo data.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from core import hookspecs
from core.config import ConfigError, Settings, unknown_keys
from core.conventions import by_convention
from core.transactions import (
    ConstraintErrors,
    ConstraintMapError,
    core_constraint_errors,
)

ENTRY_POINT_GROUP = "ogp_wg.plugins"
DISTRIBUTION = "ogp-working-groups"


class PluginError(Exception):
    """A plugin failed to load or broke a rule; the message names the plugin and the hook."""


@dataclass(frozen=True)
class Theme:
    """A thematic area, as a front end shows it in its navigation."""

    key: str
    title: str
    summary: str
    version: str


@dataclass(frozen=True)
class InstalledPlugin:
    key: str
    obj: object
    source: str
    """'built-in' for this distribution's own plugins, else '<distribution> <version>'."""


def discover() -> dict[str, InstalledPlugin]:
    """Import every plugin registered under the `ogp_wg.plugins` entry-point group."""
    found: dict[str, InstalledPlugin] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        dist = getattr(ep, "dist", None)
        name = dist.metadata["Name"] if dist is not None else "?"
        source = "built-in" if name == DISTRIBUTION else f"{name} {dist.version if dist else ''}"
        if ep.name in found:
            raise PluginError(
                f"plugin key '{ep.name}' is registered twice ({found[ep.name].source}, {source})"
            )
        try:
            obj = ep.load()
        except Exception as exc:
            raise PluginError(
                f"plugin '{ep.name}' failed to import ({ep.value}): {type(exc).__name__}: {exc}"
            ) from exc
        found[ep.name] = InstalledPlugin(ep.name, obj, source.strip())
    return found


@dataclass
class PluginSet:
    """The installed plugins, which of them are enabled, and everything the enabled ones give."""

    settings: Settings
    installed: dict[str, InstalledPlugin]
    enabled: list[str]
    pm: pluggy.PluginManager
    themes: dict[str, Theme] = field(default_factory=dict)
    plugin_settings: dict[str, BaseModel | None] = field(default_factory=dict)
    constraint_errors: ConstraintErrors = field(default_factory=ConstraintErrors)
    """Constraint name -> user error, from the core and the enabled plugins."""

    def call(self, hook: str, *, only_enabled: bool = True, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call one hook on each plugin separately, so a failure names its plugin and hook."""
        results: list[tuple[str, Any]] = []
        impls = getattr(self.pm.hook, hook).get_hookimpls()
        for impl in sorted(impls, key=lambda i: i.plugin_name):
            key = impl.plugin_name
            if only_enabled and key not in self.enabled:
                continue
            try:
                result = impl.function(*(kwargs[arg] for arg in impl.argnames))
            except Exception as exc:
                raise PluginError(
                    f"plugin '{key}' raised in hook {hook}: {type(exc).__name__}: {exc}"
                ) from exc
            if result is not None:
                results.append((key, result))
        # A package that leaves out ogp_wg_models / ogp_wg_migrations: found by its layout
        keys = [k for k in self.installed if not only_enabled or k in self.enabled]
        implemented = {impl.plugin_name for impl in impls}
        results += by_convention(hook, self.installed, implemented, keys)
        return sorted(results, key=lambda result: result[0])

    def migration_dirs(self) -> list[Path]:
        """Every installed plugin's revisions, enabled or not: disabling never strands a table."""
        return [Path(d) for _, d in self.call("ogp_wg_migrations", only_enabled=False)]

    def settings_for(self, key: str) -> BaseModel | None:
        return self.plugin_settings.get(key)


def make_plugin_manager(
    settings: Settings, installed: Mapping[str, object] | None = None
) -> PluginSet:
    """Build the plugin set. `installed` replaces entry-point discovery (tests, embedding)."""
    plugins = (
        discover()
        if installed is None
        else {k: InstalledPlugin(k, obj, "in-process") for k, obj in installed.items()}
    )
    enabled = _enabled_keys(settings, plugins)
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for key, plugin in plugins.items():
        try:
            pm.register(plugin.obj, name=key)
        except pluggy.PluginValidationError as exc:  # e.g. an argument the hook does not have
            raise PluginError(f"plugin '{key}': {exc}") from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        key = pm.get_name(exc.plugin) or "?"
        raise PluginError(f"plugin '{key}': {exc}") from exc
    _refuse_hook_options(pm)

    plugin_set = PluginSet(settings, dict(plugins), enabled, pm)
    themes = dict(plugin_set.call("ogp_wg_theme", only_enabled=False))
    for key in plugins:
        theme = themes.get(key)
        if not isinstance(theme, Theme):
            raise PluginError(f"plugin '{key}' must implement ogp_wg_theme() returning core.Theme")
        if theme.key != key:
            raise PluginError(
                f"plugin '{key}': ogp_wg_theme() returned key '{theme.key}', "
                f"which must equal the entry-point name '{key}'"
            )
    plugin_set.themes = themes
    plugin_set.plugin_settings = _validate_plugin_settings(plugin_set)
    _check_table_names(plugin_set)
    plugin_set.constraint_errors = _constraint_errors(plugin_set)
    return plugin_set


# Options pluggy honours only when it calls a hook itself. The core calls each implementation on
# its own (so a failure names its plugin, and results stay attributed and in plugin-key order),
# which is cleaner for hooks that only collect contributions than pluggy's one-list call, but
# means these would be silently ignored: refuse them instead.
REFUSED_OPTIONS = ("wrapper", "hookwrapper", "tryfirst", "trylast")


def _refuse_hook_options(pm: pluggy.PluginManager) -> None:
    for hook_name, caller in vars(pm.hook).items():
        if not isinstance(caller, pluggy.HookCaller):
            continue
        for impl in caller.get_hookimpls():
            used = [option for option in REFUSED_OPTIONS if getattr(impl, option, False)]
            if used:
                raise PluginError(
                    f"plugin '{impl.plugin_name}' (hook {hook_name}): "
                    f"@hookimpl({', '.join(f'{o}=True' for o in used)}) is not supported; "
                    "the core calls every plugin's implementation once, in plugin-key order, "
                    "and collects the results, so remove the option"
                )


def _constraint_errors(plugin_set: PluginSet) -> ConstraintErrors:
    from core.db import Base  # the models are imported by now (core's and every plugin's)

    contributions = [*core_constraint_errors(), *plugin_set.call("ogp_wg_constraint_errors")]
    try:
        return ConstraintErrors.build(contributions, Base.metadata)
    except ConstraintMapError as exc:
        raise PluginError(str(exc)) from exc


def _installed_list(plugins: Iterable[str]) -> str:
    return ", ".join(sorted(plugins)) or "(none)"


def _enabled_keys(settings: Settings, plugins: Mapping[str, object]) -> list[str]:
    cfg = settings.plugins
    for origin, keys in (
        ("enabled", cfg.enabled or []),
        ("disabled", cfg.disabled),
        ("settings table", cfg.settings),
    ):
        for key in keys:
            if key not in plugins:
                raise ConfigError(
                    f"unknown plugin '{key}' in plugins {origin}; "
                    f"installed plugins: {_installed_list(plugins)}"
                )
    wanted = list(plugins) if cfg.enabled is None else cfg.enabled
    return sorted(k for k in wanted if k not in cfg.disabled)


def _validate_plugin_settings(plugin_set: PluginSet) -> dict[str, BaseModel | None]:
    models: dict[str, Any] = dict(plugin_set.call("ogp_wg_settings_model", only_enabled=False))
    raw = plugin_set.settings.plugins.settings
    validated: dict[str, BaseModel | None] = {}
    for key in plugin_set.installed:
        model = models.get(key)
        if model is None:
            if raw.get(key):
                raise ConfigError(
                    f"plugin '{key}' takes no settings, but [plugins.{key}] sets "
                    f"{', '.join(sorted(raw[key]))}"
                )
            validated[key] = None
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise PluginError(
                f"plugin '{key}' (hook ogp_wg_settings_model) must return a pydantic model "
                f"class, not {model!r}"
            )
        unknown = unknown_keys(model, raw.get(key, {}))
        if unknown:
            raise ConfigError(
                f"unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"for plugin '{key}' in [plugins.{key}]; its settings: "
                f"{', '.join(model.model_fields) or '(none)'}"
            )
        try:
            validated[key] = model.model_validate(raw.get(key, {}))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(
                f"invalid settings for plugin '{key}' ([plugins.{key}]): {problems}; "
                f"installed plugins: {_installed_list(plugin_set.installed)}"
            ) from exc
    return validated


def _check_table_names(plugin_set: PluginSet) -> None:
    for key, models in plugin_set.call("ogp_wg_models", only_enabled=False):
        for model in models:
            table = getattr(model, "__tablename__", "")
            if not table.startswith(f"{key}_"):
                raise PluginError(
                    f"plugin '{key}' (hook ogp_wg_models): table '{table}' "
                    f"must be named '{key}_...'"
                )


def merge_unique(
    contributions: Iterable[tuple[str, Mapping[str, Any]]], what: str
) -> dict[str, tuple[str, Any]]:
    """Merge name -> value maps from several plugins; the same name twice stops start-up."""
    merged: dict[str, tuple[str, Any]] = {}
    for key, mapping in contributions:
        for name, value in mapping.items():
            if name in merged:
                raise PluginError(
                    f"plugins '{merged[name][0]}' and '{key}' both define {what} '{name}'"
                )
            merged[name] = (key, value)
    return merged


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
