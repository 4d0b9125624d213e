"""Settings: `ogp-wg.toml` (or the file named by OGP_WG_CONFIG), overridden by OGP_WG_* variables.

Hand-rolled over pydantic rather than pydantic-settings: the contract wants comma-separated lists in
the environment and free-form `[plugins.<key>]` tables validated later by each plugin's own model,
both of which are simpler to state here than to bend pydantic-settings' JSON conventions into.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "OGP_WG_"
CONFIG_FILE = "ogp-wg.toml"


class ConfigError(Exception):
    """A configuration problem the operator must fix; the message says what to change."""


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class PluginsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: list[str] | None = None
    """None means every installed plugin."""
    disabled: list[str] = Field(default_factory=list)
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Raw `[plugins.<key>]` tables, validated by the model each plugin declares."""

    _split_enabled = field_validator("enabled", "disabled", mode="before")(_split)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/ogp-wg.sqlite3"
    debug: bool = False
    graphiql: bool = True
    cors_origins: list[str] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8000
    database_pool_size: int = 32
    """PostgreSQL connections kept open per worker: concurrent loaders each take one, and a
    connection opened beyond the pool is closed on return, so a pool that is too small churns."""
    access_log: bool = False
    """uvicorn's line per request; off by default (a proxy in front usually logs)."""
    plugins: PluginsConfig = Field(default_factory=PluginsConfig)

    _split_origins = field_validator("cors_origins", mode="before")(_split)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_TOP_LEVEL = (
    "database_url",
    "debug",
    "graphiql",
    "cors_origins",
    "host",
    "port",
    "access_log",
    "database_pool_size",
)


def load_settings(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None, **overrides: Any
) -> Settings:
    """Read the file, then the environment, then explicit overrides (tests, CLI flags)."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    path = Path(environ.get(f"{ENV_PREFIX}CONFIG") or cwd / CONFIG_FILE)
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    elif environ.get(f"{ENV_PREFIX}CONFIG"):
        raise ConfigError(f"OGP_WG_CONFIG names {path}, which does not exist")

    raw_plugins = dict(data.pop("plugins", {}) or {})
    plugins: dict[str, Any] = {
        "enabled": raw_plugins.pop("enabled", None),
        "disabled": raw_plugins.pop("disabled", []),
        "settings": raw_plugins,
    }
    for key in _TOP_LEVEL:
        if (value := environ.get(f"{ENV_PREFIX}{key.upper()}")) is not None:
            data[key] = value
    for key in ("enabled", "disabled"):
        if (value := environ.get(f"{ENV_PREFIX}PLUGINS_{key.upper()}")) is not None:
            plugins[key] = value
    data.update({k: v for k, v in overrides.items() if k != "plugins"})
    if "plugins" in overrides:
        plugins.update(overrides["plugins"])
    data["plugins"] = plugins
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration ({path.name}/environment): {problems}") from exc
    return _resolve_sqlite_path(settings, cwd)


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
