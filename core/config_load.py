"""Reading the settings' sources for core.config: the TOML file, the environment, overrides.

pydantic-settings' `TomlConfigSettingsSource` reads the file and its `EnvSettingsSource` (over a
given mapping) the environment; layered here, file < environment < overrides, so that what no
field reads is refused (a typo would otherwise keep its default silently) and each value's source
is recorded. core.config re-exports the public names; this module imports core.config inside its
functions only, so either may be imported first.
"""

from __future__ import annotations

import copy
import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import AliasChoices, BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, TomlConfigSettingsSource

if TYPE_CHECKING:
    from core.config import Settings

ENV_PREFIX = "OGP_WG_"
CONFIG_FILE = "ogp-wg.toml"
NOT_SETTINGS = frozenset({f"{ENV_PREFIX}CONFIG"})
"""`OGP_WG_` variables that are not settings (the file's name)."""
NOT_SETTINGS_PREFIXES = (f"{ENV_PREFIX}TEST_", f"{ENV_PREFIX}FUZZ_")
"""Prefixes of the test suite's own variables (`OGP_WG_TEST_DATABASE_URL`...)."""
PLUGIN_LISTS = {
    f"{ENV_PREFIX}PLUGINS_ENABLED": "enabled",
    f"{ENV_PREFIX}PLUGINS_DISABLED": "disabled",
}
DEFAULT = "default"


class _Environment(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of `os.environ`."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {key.lower(): value for key, value in self._environ.items()}


def env_name(key: str) -> str:
    """The environment variable for a top-level setting: `port` -> `OGP_WG_PORT`."""
    return f"{ENV_PREFIX}{key.upper()}"


def _closest(name: str, known: list[str]) -> str:
    match = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {match[0]}?)" if match else ""


def _refuse_unknown(environ: Mapping[str, str], data: Mapping[str, Any], where: str) -> None:
    """What no setting reads is a mistake (a typo keeps the default silently): refuse it."""
    from core.config import ConfigError, Settings

    fields = [name for name in Settings.model_fields if name != "plugins"]
    for key in data:
        if key not in Settings.model_fields:
            raise ConfigError(
                f"{where}: unknown setting '{key}'{_closest(key, fields)}; "
                f"`ogp-wg config show` lists them all"
            )
    known = sorted({env_name(name) for name in fields} | NOT_SETTINGS | set(PLUGIN_LISTS))
    for name in environ:
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper.startswith(NOT_SETTINGS_PREFIXES):
            continue
        if upper not in known:
            raise ConfigError(
                f"unknown environment variable {name}{_closest(upper, known)}: "
                f"unset it or correct its name (`ogp-wg config show` lists the settings)"
            )


def load_settings(
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    overrides_from: str = "arguments",
    **overrides: Any,
) -> Settings:
    """Read the file, then the environment, then explicit overrides (tests, CLI flags).

    `config` is the file's content as a dict (the shape of `ogp-wg.toml`) and replaces reading
    any file: tests pass it, so a local `ogp-wg.toml` never changes what they see. `overrides`
    take the same shape; `plugins=` is the `[plugins]` table, e.g.
    `{"enabled": ["open_data"], "open_data": {"some_setting": 1}}`: `enabled` and `disabled` are
    the lists, every other key is one plugin's `[plugins.<key>]` table (replacing it whole).
    `overrides_from` labels the overrides in `setting_origins` (the CLI: "command line").
    Raises ConfigError naming what to fix: an unknown key or `OGP_WG_` variable (with the
    closest known name), a value out of range (with where it came from).
    """
    from core.config import ConfigError, Settings

    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    named = environ.get(f"{ENV_PREFIX}CONFIG")
    path = Path(named or cwd / CONFIG_FILE)
    data: dict[str, Any] = {}
    where = "configuration"
    if config is not None:
        data = copy.deepcopy(dict(config))
    elif path.is_file():
        where = str(path)
        try:
            data = TomlConfigSettingsSource(Settings, toml_file=path).toml_data
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    elif named:
        raise ConfigError(f"OGP_WG_CONFIG names {path}, which does not exist")
    _refuse_unknown(environ, data, where)

    origins = {name: DEFAULT for name in Settings.model_fields if name != "plugins"}
    origins |= {key: where for key in data if key != "plugins"}
    plugins = _plugins_table(data.pop("plugins", None))
    origins |= {f"plugins.{key}": where for key in plugins.pop("given")}
    from_env = _Environment(Settings, environ)()
    from_env.pop("plugins", None)  # not a variable: OGP_WG_PLUGINS_ENABLED / _DISABLED are
    data |= from_env
    origins |= {key: env_name(key) for key in from_env}
    for variable, key in PLUGIN_LISTS.items():
        if (value := environ.get(variable)) is not None:
            plugins[key] = value
            origins[f"plugins.{key}"] = variable
    data.update({k: v for k, v in overrides.items() if k != "plugins"})
    origins |= {key: overrides_from for key in overrides if key != "plugins"}
    if "plugins" in overrides:
        given = _plugins_table(overrides["plugins"], defaults=False)
        origins |= {f"plugins.{key}": overrides_from for key in given.pop("given")}
        plugins["settings"] = {**plugins["settings"], **given.pop("settings")}
        plugins.update(given)
    data["plugins"] = plugins
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc, data, origins)) from exc
    settings._origins = origins  # a private attribute: frozen fields, copied by model_copy
    return _resolve_sqlite_path(settings, cwd)


def setting_origins(settings: Settings) -> dict[str, str]:
    """`{"port": "OGP_WG_PORT", "debug": "default", "plugins.open_data": "/srv/ogp-wg.toml"}`
    for a Settings from `load_settings`: "default", the file's path (or "configuration" when
    given as a dict), the variable's name, or the overrides' label. Empty for any other."""
    return dict(settings._origins)


def _one_line(exc: ValidationError, data: Mapping[str, Any], origins: Mapping[str, str]) -> str:
    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        key = loc[0] if loc else ""
        if key == "plugins" and len(loc) > 1:
            key = f"plugins.{loc[1]}"
        origin = origins.get(key, "")
        shown = (
            f" (from {origin}: {data.get(loc[0])!r})" if loc and origin not in ("", DEFAULT) else ""
        )
        message = err["msg"].removeprefix("Value error, ")
        problems.append(f"{'.'.join(loc) or 'settings'}: {message}{shown}")
    return "invalid configuration: " + "; ".join(problems)


def _plugins_table(table: Any, *, defaults: bool = True) -> dict[str, Any]:
    """`[plugins]` as written (lists + one table per plugin key) -> PluginsConfig's fields."""
    from core.config import ConfigError

    if table is None:
        table = {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"[plugins] must be a table, not {type(table).__name__}")
    rest = dict(table)
    given = list(rest)
    lists = {key: rest.pop(key) for key in ("enabled", "disabled") if key in rest}
    if defaults:
        lists = {"enabled": None, "disabled": [], **lists}
    return {**lists, "settings": rest, "given": given}


def unknown_keys(model: type[BaseModel], raw: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the keys in `raw` that `model` has no field for, nested models included.

    pydantic ignores unknown keys unless a model says `extra="forbid"`, so a misspelled setting
    would silently keep its default; the core applies this to every plugin's settings model,
    whatever its own `extra`. A key is known by the name pydantic validates it under: the field's
    alias (or validation alias) if it has one, its name if it has none or the model also
    validates by name.
    """
    if not isinstance(raw, Mapping):
        return []
    by_name = bool(
        model.model_config.get("populate_by_name") or model.model_config.get("validate_by_name")
    )
    accepted: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        aliases = _aliases(info)
        if not aliases or by_name:
            accepted[name] = info.annotation
        for alias in aliases:
            accepted[alias] = info.annotation
    found: list[str] = []
    for key, value in raw.items():
        path = f"{prefix}{key}"
        if key not in accepted:
            found.append(path)
            continue
        for nested, item, suffix in _nested_models(accepted[key], value):
            found += unknown_keys(nested, item, f"{path}{suffix}.")
    return found


def _aliases(info: FieldInfo) -> list[str]:
    names = [info.alias] if isinstance(info.alias, str) else []
    validation = info.validation_alias
    if isinstance(validation, str):
        names.append(validation)
    elif isinstance(validation, AliasChoices):
        names += [c for c in validation.choices if isinstance(c, str)]
    return names


def _nested_models(annotation: Any, value: Any) -> list[tuple[type[BaseModel], Any, str]]:
    """(model, raw value, path suffix) for each nested model that `value` is validated as:
    `Model`, `Model | None`, `list[Model]`, `dict[str, Model]` and their combinations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, value, "")] if isinstance(value, Mapping) else []
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType, Annotated):
        for arg in args if origin is not Annotated else args[:1]:
            if found := _nested_models(arg, value):
                return found
    elif origin in (list, tuple, set, frozenset) and isinstance(value, list) and args:
        return [
            (model, item, f"[{i}]{suffix}")
            for i, raw in enumerate(value)
            for model, item, suffix in _nested_models(args[0], raw)
        ]
    elif origin is dict and isinstance(value, Mapping) and len(args) == 2:
        return [
            (model, item, f".{key}{suffix}")
            for key, raw in value.items()
            for model, item, suffix in _nested_models(args[1], raw)
        ]
    return []


def _resolve_sqlite_path(settings: Settings, cwd: Path) -> Settings:
    """Relative SQLite paths are relative to the working directory, which must exist."""
    prefix = "sqlite+aiosqlite:///"
    url = settings.database_url
    if not url.startswith(prefix) or url == prefix or ":memory:" in url:
        return settings
    file = Path(url.removeprefix(prefix))
    if not file.is_absolute():
        file = cwd / file
    file.parent.mkdir(parents=True, exist_ok=True)
    return settings.model_copy(update={"database_url": f"{prefix}{file}"})
