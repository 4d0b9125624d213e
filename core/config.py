"""Settings: `ogp-wg.toml` (or the file named by OGP_WG_CONFIG), overridden by OGP_WG_* variables.

Hand-rolled over pydantic rather than pydantic-settings: the contract wants comma-separated lists in
the environment and free-form `[plugins.<key>]` tables validated later by each plugin's own model,
both of which are simpler to state here than to bend pydantic-settings' JSON conventions into.
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

ENV_PREFIX = "OGP_WG_"
OIDC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
"""Signature algorithms `oidc_algorithms` may name: never `none` nor HMAC (the keys are public)."""
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
    # --- database faults (issue 8, point 6): core.db_faults; each well under execution_timeout ---
    database_statement_timeout: float = Field(5.0, gt=0)
    """Seconds one SQL statement may run or wait for a lock (PostgreSQL statement_timeout, the
    SQLite busy timeout) before the request is answered SERVICE_UNAVAILABLE."""
    database_pool_timeout: float = Field(5.0, gt=0)
    """Seconds a request waits for a connection from the pool (then SERVICE_UNAVAILABLE)."""
    database_connect_timeout: float = Field(2.0, gt=0)
    """Seconds to open a PostgreSQL connection (then SERVICE_UNAVAILABLE; /readyz 503)."""
    # --- runtime limits (issue 8, point 3): core.timeouts, core.ratelimit, core.storable ---
    execution_timeout: float = Field(10.0, gt=0)
    """Seconds one GraphQL operation may take (parse, validation, execution); then the answer
    is a TIMEOUT error (HTTP 504) and its database work is cancelled and rolled back."""
    database_connections_per_request: int = Field(4, ge=1)
    """Pool connections one GraphQL operation may hold at once (its loaders wait for them)."""
    text_max_length: int = Field(20_000, ge=1)
    """Characters a text column without a length (descriptions, agendas, notes) takes from a
    write; a `String(n)` column takes n. Longer: user error TOO_LONG, nothing written."""
    rate_limits: bool = True
    """Count requests per client address and per bearer token (429 + Retry-After when spent)."""
    rate_limit_per_ip: int = Field(6_000, ge=1)
    """Points per minute for one client address (a NAT may hide many people)."""
    rate_limit_per_token: int = Field(3_000, ge=1)
    """Points per minute for one bearer token."""
    rate_limit_query_cost: int = Field(1, ge=1)
    """Points every request costs (a query; also a request refused before execution)."""
    rate_limit_mutation_cost: int = Field(10, ge=1)
    """Points a mutation operation costs in all."""
    rate_limit_storage: str | None = None
    """Where the counts live: None counts in this process's memory (one worker); a Redis URL
    (`redis://127.0.0.1:6379`) shares them between workers and hosts."""
    rate_limit_key_prefix: str = "ogp_wg"
    """Prefix of the counters' keys (several deployments may share one Redis)."""
    # --- static limits (issue 8, point 3): core.limits ---
    max_depth: int = Field(10, ge=1)
    """Fields on the longest path of an operation (fragments followed, introspection counted;
    `ofType` below `__Type` is free). Deeper: QUERY_TOO_DEEP, before validation."""
    max_aliases: int = Field(15, ge=0)
    """Aliases in an operation, fragments counted each time they are spread: TOO_MANY_ALIASES."""
    max_tokens: int = Field(2_000, ge=1)
    """Lexical tokens in a document (punctuators, names, values): TOO_MANY_TOKENS."""
    max_directives: int = Field(50, ge=0)
    """Directives in an operation, fragments counted each time they are spread."""
    max_query_length: int = Field(15_000, ge=1)
    """Characters of a document: QUERY_TOO_LONG, before it is even read."""
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    """Bytes of a request body: 413 PAYLOAD_TOO_LARGE."""
    max_nodes: int = Field(50_000, ge=1)
    """Nodes an operation may ask for: the product of page sizes (`first`) along every path,
    summed (GitHub's node limit); more is QUERY_TOO_COSTLY, before execution. The cost is in
    every executed response's `extensions.cost`."""
    unpaginated_list_size: int = Field(20, ge=1)
    """Items a list field of objects without `first` (a plugin's, until it takes `first` or
    declares its size: core.limits.LIST_SIZE) is counted as, in the node limit: a typical page."""
    batching: bool = False
    """Accept a JSON array of operations in one POST (each checked against every limit)."""
    max_batch_operations: int = Field(10, ge=1)
    """Operations in one batch, when batching is on (more: 400 BAD_REQUEST)."""
    production: bool = False
    """Production mode: no introspection, no GraphiQL, no "Did you mean" suggestions, internal
    errors masked (with an incidentId in the log). Refuses to start together with `debug`."""
    # --- integrity (issue 8, point 5): core.idempotency ---
    idempotency_key_retention: float = Field(86_400.0, gt=0)
    """Seconds an `Idempotency-Key` and its first answer are kept (then purged); a retry within
    this time gets that answer instead of running the mutation again. Default: 24 hours."""
    # --- authentication (issue 8, point 1): core.auth; OpenID Connect is off unless the
    # issuer, audience and JWKS URL are all set ---
    oidc_issuer: str | None = None
    """OpenID Connect: accept access tokens (JWTs) whose `iss` is this (exactly)."""
    oidc_audience: str | None = None
    """The `aud` an access token must carry (this API's identifier at the issuer)."""
    oidc_jwks_url: str | None = Field(None, validate_default=True)
    """The issuer's JSON Web Key Set (its discovery document's `jwks_uri`)."""
    oidc_algorithms: list[str] = Field(default_factory=lambda: ["RS256"])
    """Signature algorithms accepted (asymmetric only: RS*, PS*, ES*, EdDSA)."""
    oidc_email_claim: str = "email"
    """The claim naming the person (with `email_verified: true`), matched to people's e-mail."""
    oidc_scopes: list[str] = Field(default_factory=lambda: ["read", "write"])
    """What a person signed in through OpenID Connect may do: `read`, `write`."""
    oidc_leeway_seconds: int = Field(30, ge=0)
    """Clock skew tolerated on `exp` (and `nbf`/`iat`), in seconds."""
    oidc_jwks_cooldown_seconds: float = Field(30.0, ge=0)
    """At most one refetch of the key set per this many seconds when a token names a key id
    that is not in it (key rotation), so made-up key ids cannot hammer the issuer."""
    plugins: PluginsConfig = Field(default_factory=PluginsConfig)

    _split_origins = field_validator("cors_origins", mode="before")(_split)
    _split_oidc = field_validator("oidc_algorithms", "oidc_scopes", mode="before")(_split)

    @field_validator("oidc_jwks_url")
    @classmethod
    def _oidc_all_or_none(cls, value: str | None, info: Any) -> str | None:
        names = ("oidc_issuer", "oidc_audience")
        given = {name: info.data.get(name) for name in names} | {"oidc_jwks_url": value}
        if any(given.values()) and not all(given.values()):
            missing = ", ".join(name for name, v in given.items() if not v)
            raise ValueError(
                f"OpenID Connect needs oidc_issuer, oidc_audience and oidc_jwks_url: set {missing}"
            )
        return value

    @field_validator("oidc_algorithms")
    @classmethod
    def _oidc_asymmetric(cls, value: list[str]) -> list[str]:
        if not value or set(value) - OIDC_ALGORITHMS:
            raise ValueError(f"give some of {', '.join(sorted(OIDC_ALGORITHMS))}")
        return value

    @field_validator("oidc_scopes")
    @classmethod
    def _oidc_known_scopes(cls, value: list[str]) -> list[str]:
        if not value or set(value) - {"read", "write"}:
            raise ValueError("give read, or read and write")
        return value

    @model_validator(mode="after")
    def _production_is_not_debug(self) -> Settings:
        if self.production and self.debug:
            raise ValueError("production and debug exclude each other: set debug = false")
        return self

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
    "database_statement_timeout",
    "database_pool_timeout",
    "database_connect_timeout",
    "oidc_issuer",
    "oidc_audience",
    "oidc_jwks_url",
    "oidc_algorithms",
    "oidc_email_claim",
    "oidc_scopes",
    "oidc_leeway_seconds",
    "oidc_jwks_cooldown_seconds",
    "max_depth",
    "max_aliases",
    "max_tokens",
    "max_directives",
    "max_query_length",
    "max_body_bytes",
    "max_nodes",
    "unpaginated_list_size",
    "batching",
    "max_batch_operations",
    "production",
    "idempotency_key_retention",
    "execution_timeout",
    "database_connections_per_request",
    "text_max_length",
    "rate_limits",
    "rate_limit_per_ip",
    "rate_limit_per_token",
    "rate_limit_query_cost",
    "rate_limit_mutation_cost",
    "rate_limit_storage",
    "rate_limit_key_prefix",
)


def load_settings(
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> Settings:
    """Read the file, then the environment, then explicit overrides (tests, CLI flags).

    `config` is the file's content as a dict (the shape of `ogp-wg.toml`) and replaces reading
    any file: tests pass it, so a local `ogp-wg.toml` never changes what they see. `overrides`
    take the same shape; `plugins=` is the `[plugins]` table, e.g.
    `{"enabled": ["open_data"], "open_data": {"some_setting": 1}}`: `enabled` and `disabled` are
    the lists, every other key is one plugin's `[plugins.<key>]` table (replacing it whole).
    Raises ConfigError naming what to fix.
    """
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    path = Path(environ.get(f"{ENV_PREFIX}CONFIG") or cwd / CONFIG_FILE)
    data: dict[str, Any] = {}
    if config is not None:
        data = copy.deepcopy(dict(config))
    elif path.is_file():
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    elif environ.get(f"{ENV_PREFIX}CONFIG"):
        raise ConfigError(f"OGP_WG_CONFIG names {path}, which does not exist")

    plugins = _plugins_table(data.pop("plugins", None))
    for key in _TOP_LEVEL:
        if (value := environ.get(f"{ENV_PREFIX}{key.upper()}")) is not None:
            data[key] = value
    for key in ("enabled", "disabled"):
        if (value := environ.get(f"{ENV_PREFIX}PLUGINS_{key.upper()}")) is not None:
            plugins[key] = value
    data.update({k: v for k, v in overrides.items() if k != "plugins"})
    if "plugins" in overrides:
        given = _plugins_table(overrides["plugins"], defaults=False)
        plugins["settings"] = {**plugins["settings"], **given.pop("settings")}
        plugins.update(given)
    data["plugins"] = plugins
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        where = "configuration" if config is not None else f"{path.name}/environment"
        raise ConfigError(f"invalid configuration ({where}): {problems}") from exc
    return _resolve_sqlite_path(settings, cwd)


def _plugins_table(table: Any, *, defaults: bool = True) -> dict[str, Any]:
    """`[plugins]` as written (lists + one table per plugin key) -> PluginsConfig's fields."""
    if table is None:
        table = {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"[plugins] must be a table, not {type(table).__name__}")
    rest = dict(table)
    lists = {key: rest.pop(key) for key in ("enabled", "disabled") if key in rest}
    if defaults:
        lists = {"enabled": None, "disabled": [], **lists}
    return {**lists, "settings": rest}


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
