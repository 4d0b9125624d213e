"""`ogp-wg config show`: the effective settings, secrets masked, and where each came from.

One line per setting, in TOML (so a line can be pasted into `ogp-wg.toml`), then a comment naming
its source: `default`, the file's path, the environment variable, or `command line`.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.config import DEFAULT, Settings, setting_origins

MASK = "***"
SECRET_NAME = re.compile(r"secret|passw|credential|private_key|api_key|token$|authorization", re.I)
"""Names whose text values are secrets whatever they hold (an OIDC client secret, a token);
numbers and booleans (`rate_limit_per_token`) are never secret."""
HEADERS = re.compile(r"headers$", re.I)
"""A table of HTTP headers to send (an exporter's): its values may carry credentials."""


def mask_url(value: str) -> str:
    """`postgresql://app:s3cret@db/ogp` -> `postgresql://app:***@db/ogp`; others unchanged."""
    if "://" not in value or "@" not in value:
        return value
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        return value
    if not password:
        return value
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def masked(name: str, value: Any) -> Any:
    """`value` with what is secret in it replaced by `***` (tables and lists walked)."""
    if isinstance(value, Mapping):
        if HEADERS.search(name):
            return {k: MASK for k in value}
        return {k: masked(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(name, v) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    if SECRET_NAME.search(name) and str(value):
        return MASK
    return mask_url(str(value)) if isinstance(value, str) else str(value)


def _toml(value: Any) -> str:
    return json.dumps(value, default=str)


def lines(settings: Settings) -> list[str]:
    """The `config show` output: `key = value  # source`, then `[plugins]` and its tables."""
    origins = setting_origins(settings)
    data = settings.model_dump(mode="json", exclude={"plugins"})
    width = max(len(key) for key in data)
    out = []
    for key, value in data.items():
        source = origins.get(key, DEFAULT)
        if value is None:  # TOML has no null: a comment, so the output stays valid TOML
            out.append(f"# {key:<{width - 2}} = (unset)  # {source}")
            continue
        out.append(f"{key:<{width}} = {_toml(masked(key, value))}  # {source}")
    plugins = settings.plugins
    out.append("")
    out.append("[plugins]")
    for key in ("enabled", "disabled"):
        value = getattr(plugins, key)
        text = "every installed plugin" if value is None else json.dumps(value)
        source = origins.get(f"plugins.{key}", DEFAULT)
        out.append(f"{key} = {text}  # {source}" if value is not None else f"# {key}: {text}")
    for key, table in sorted(plugins.settings.items()):
        out.append("")
        out.append(f"[plugins.{key}]  # {origins.get(f'plugins.{key}', DEFAULT)}")
        out += [f"{name} = {_toml(masked(name, v))}" for name, v in table.items()]
    return out


def cmd_config_show(args: argparse.Namespace, settings: Settings) -> None:
    print("\n".join(lines(settings)), flush=True)


def add_commands(sub: Any) -> None:
    """Register `config show` on the main parser's sub-parsers."""
    config = sub.add_parser("config", help="the configuration")
    config_sub = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    show = config_sub.add_parser(
        "show",
        help="effective settings (secrets masked) and where each came from",
        description="Every setting as a TOML line, then its source: default, the file, an "
        "OGP_WG_ variable or the command line. Passwords in URLs and secret settings show ***. "
        "--host, --port and --workers are `serve`'s: what that command line would run with.",
    )
    # The flags `serve` takes are settings too; given here they are checked and shown as
    # `command line`, so an operator sees what `serve --port ...` would run with, and why.
    show.add_argument("--host", help="as `serve --host`")
    show.add_argument("--port", type=int, help="as `serve --port`")
    show.add_argument("--workers", type=int, help="as `serve --workers`")
    show.set_defaults(config_func=cmd_config_show)
