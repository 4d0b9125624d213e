"""Settings: `ogp-wg.toml` (or the file named by OGP_WG_CONFIG), overridden by OGP_WG_* variables.

On pydantic-settings: `Settings` is a `BaseSettings`, the environment is read by its
`EnvSettingsSource` (lists comma-separated, not JSON: decoding is off and `_split` parses them) and
the file by its `TomlConfigSettingsSource`. `load_settings` (core.config_load, re-exported here with
the other public names) layers them itself (file < environment <
overrides) rather than through `settings_customise_sources`, so that it can refuse what no field
reads (a misspelled file key or `OGP_WG_` variable) and record where each value came from
(`ogp-wg config show`); `[plugins]` is merged by its own rule (each plugin's table replaced whole).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    IPvAnyNetwork,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from core.config_load import (  # re-exported: the names callers import from here
    CONFIG_FILE as CONFIG_FILE,
)
from core.config_load import DEFAULT as DEFAULT
from core.config_load import ENV_PREFIX as ENV_PREFIX
from core.config_load import load_settings as load_settings
from core.config_load import setting_origins as setting_origins
from core.config_load import unknown_keys as unknown_keys

OIDC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
"""Signature algorithms `oidc_algorithms` may name: never `none` nor HMAC (the keys are public)."""


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


class Settings(BaseSettings):
    """The effective configuration; build it with `load_settings` (which reads the sources)."""

    model_config = SettingsConfigDict(
        extra="forbid", frozen=True, env_prefix=ENV_PREFIX, enable_decoding=False
    )

    database_url: str = "sqlite+aiosqlite:///var/ogp-wg.sqlite3"
    database_replica_url: str | None = None
    """A PostgreSQL read replica of `database_url` (a streaming standby): query operations read
    from it; mutations, subscriptions, migrations and the CLI use the primary (core.replica,
    docs/deploy.md). None (default): everything uses `database_url`."""
    debug: bool = False
    compiled_reads: bool = True
    """The compiled read path (core.compiled, issue 12): a query's root field whose selection
    compiles is answered by one SQL statement building its JSON; the others by resolvers
    (`ogp-wg explain 'QUERY'` shows which). False: every root field by resolvers."""
    graphiql: bool = True
    cors_origins: list[str] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    """Worker processes of `ogp-wg serve` (its `--workers` overrides it); each has its own pool."""
    worker_ready_timeout: int = Field(60, ge=1)
    """Seconds a new worker has to be ready (its start-up done) when a SIGHUP reload replaces the
    workers of `ogp-wg serve --workers N`; later, the reload is abandoned and the old workers keep
    serving. uvicorn's own 5 s is too short on a loaded host. Read when `serve` starts."""
    database_pool_size: int = Field(32, ge=1)
    """PostgreSQL connections kept open per worker (plus half as many more, closed on return):
    concurrent loaders each take one, so a pool that is too small churns. Left unset: 32, or
    less so that every worker's connections fit in `database_max_connections`."""
    database_plan_cache_mode: Literal["auto", "force_generic_plan", "force_custom_plan"] = (
        "force_generic_plan"
    )
    """PostgreSQL's `plan_cache_mode` on this server's connections (ignored on SQLite).
    `force_generic_plan` (the default) plans each statement asyncpg keeps prepared (core.db's
    statement cache) once per connection instead of for each request's values: a compiled
    page's statement costs more to plan than to run (the webinar list's database CPU 1.03 ->
    0.49 ms per request, bench/RESULTS.md, fourteenth run). tests/test_query_plans.py holds the
    generic plans of every root connection (with each filter, and each relation of its nodes,
    the resolver path's batch loads included) and of the benchmark's read pages to the same
    index rules as their custom plans; it does not EXPLAIN relations nested deeper, filtered
    relations, or the statements inside `register_at_once`.
    `auto` is PostgreSQL's own default (custom plans for five executions, then a generic one
    when it seems no costlier); `force_custom_plan` always plans for the values."""
    database_max_connections: int = Field(97, ge=1)
    """Connections this deployment may open on PostgreSQL in all: its `max_connections` (100 by
    default) less its `superuser_reserved_connections` (3) and whatever else connects. Start-up
    is refused when `workers x` (pool + overflow + 1 for cancelling a statement) exceeds it."""
    access_log: bool = False
    """One log line per request (method, path, status, duration_ms, operation, request_id:
    core.observability.logs); off by default (a proxy in front usually logs). uvicorn's own
    access log is always off."""
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
    errors masked (with a correlationId, the request ID, also in the log). Refuses to start
    together with `debug`."""
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
    # --- issue 11: logs and request IDs (core.observability.logs) ---
    log_format: Literal["json", "text"] | None = None
    """`json`: one JSON object per line; `text`: readable lines. Unset: json with `production`,
    text otherwise."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    """The least severe level written (client mistakes are INFO, internal errors ERROR)."""
    # --- issue 11: metrics and tracing (core.observability.metrics, .tracing) ---
    metrics: bool = True
    """Serve Prometheus metrics at GET /metrics (never rate limited, not counted as GraphQL)."""
    metrics_allow: list[IPvAnyNetwork] = Field(default_factory=list)
    """Client networks that may read /metrics (`10.0.0.0/8, 127.0.0.1`); empty: any client.
    Others get 403. Behind a proxy every client has the proxy's address: do not route
    /metrics through it."""
    metrics_operation_names: int = Field(100, ge=0)
    """Distinct operation names one worker labels its metrics with; later ones are `other`
    (names are chosen by clients: this bounds the number of series)."""
    tracing: bool = False
    """OpenTelemetry spans per HTTP request, GraphQL operation and SQL statement; off: nothing
    of OpenTelemetry is installed."""
    tracing_exporter: Literal["otlp", "console"] = "otlp"
    """`otlp`: OTLP over HTTP to `tracing_endpoint`; `console`: one JSON span per line on
    standard output (development)."""
    tracing_endpoint: str = "http://127.0.0.1:4318/v1/traces"
    """The OTLP/HTTP traces endpoint of a collector (Jaeger, Tempo, the OpenTelemetry
    Collector)."""
    tracing_service_name: str = "ogp-wg"
    """`service.name` of the spans."""
    tracing_sample_ratio: float = Field(1.0, ge=0, le=1)
    """Share of requests traced (a child span follows its parent's decision)."""
    # --- issue 11: front ends (CORS request headers; core.app) ---
    cors_allow_headers: list[str] = Field(
        default_factory=lambda: [
            "authorization",
            "content-type",
            "x-request-id",
            "idempotency-key",
            "apollographql-client-name",  # Apollo Client sends its name and version
            "apollographql-client-version",
        ]
    )
    """Request headers a browser page on one of `cors_origins` may send (the preflight's
    `Access-Control-Allow-Headers`; names are case-insensitive). Comma-separated in
    `OGP_WG_CORS_ALLOW_HEADERS`. `X-Request-ID` is always exposed to such pages."""
    _split_cors_headers = field_validator("cors_allow_headers", mode="before")(_split)
    # --- issue 11: trusted documents (core.trusted_documents) ---
    trusted_documents: str | None = None
    """Path of a persisted-documents manifest (Relay's or graphql-codegen's
    `{"<id>": "<document>"}`, or Apollo's manifest): only its documents run, by id or by exact
    text; any other request is 400 `PERSISTED_QUERY_NOT_ALLOWED`. Relative to the working
    directory; read at start-up. None (default): every document runs (APQ as usual)."""
    # --- issue 9: e-mail notifications (core.notifications; `ogp-wg notify send`) ---
    smtp_host: str | None = None
    """The SMTP server e-mail goes out through; None (default): e-mail is off, nothing is
    queued and `ogp-wg notify send` says so."""
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_from: str = "OGP working groups <noreply@localhost>"
    """The `From` of every message."""
    smtp_username: str | None = None
    """Log in with this (and `smtp_password`) when set."""
    smtp_password: str | None = None
    smtp_starttls: bool = True
    """Upgrade the connection with STARTTLS before logging in and sending."""
    smtp_timeout: float = Field(10.0, gt=0)
    """Seconds to connect to the SMTP server or wait for one of its answers."""
    notify_public_url: str = "http://127.0.0.1:8000"
    """Where people reach this API: the links in e-mails start with it."""
    notify_interval: float | None = Field(None, gt=0)
    """Seconds between notification passes run by the server itself (one worker at a time);
    None (default): none, run `ogp-wg notify send` from cron."""
    plugins: PluginsConfig = Field(default_factory=PluginsConfig)
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    _split_origins = field_validator("cors_origins", mode="before")(_split)
    _split_oidc = field_validator("oidc_algorithms", "oidc_scopes", mode="before")(_split)
    _split_metrics = field_validator("metrics_allow", mode="before")(_split)  # issue 11

    @field_validator("database_replica_url")
    @classmethod
    def _replica_of_postgresql(cls, value: str | None, info: Any) -> str | None:
        if not value:  # OGP_WG_DATABASE_REPLICA_URL= (empty) is no replica
            return None
        primary = str(info.data.get("database_url", ""))
        if primary.startswith("sqlite") or value.startswith("sqlite"):
            raise ValueError(
                "a read replica needs PostgreSQL for both database_url and "
                "database_replica_url (SQLite has no replicas): unset database_replica_url"
            )
        return value

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

    @model_validator(mode="before")
    @classmethod
    def _fit_pool_size(cls, data: Any) -> Any:
        """An unset pool size shares `database_max_connections` between the workers (at most
        32 each); read before validation, so an invalid count is left to its own error."""
        if not isinstance(data, Mapping) or data.get("database_pool_size") is not None:
            return data
        try:
            workers = int(data.get("workers", 1))
            budget = int(data.get("database_max_connections", 97))
        except (TypeError, ValueError):
            return data
        if workers < 1 or budget < 1:
            return data
        return {**data, "database_pool_size": fitting_pool_size(workers, budget)}

    @model_validator(mode="after")
    def _connections_fit(self) -> Settings:
        if self.is_sqlite or self.database_connections <= self.database_max_connections:
            return self
        fits = fitting_pool_size(self.workers, self.database_max_connections)
        raise ValueError(
            f"PostgreSQL connections: {self.describe_connections()} exceeds "
            f"database_max_connections {self.database_max_connections}: set database_pool_size "
            f"to {fits} or fewer, run fewer workers, or raise database_max_connections (with "
            f"PostgreSQL's max_connections)"
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # load_settings reads the file and the environment itself (see the module docstring):
        # `Settings(**values)` validates exactly the values it is given.
        return (init_settings,)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def database_connections(self) -> int:
        """PostgreSQL connections all workers may hold at once: per worker the pool, its
        overflow (half as many, core.db) and one more, because a statement cancelled by a
        timeout keeps its backend until the cancel sent on a fresh connection arrives."""
        return self.workers * connections_per_worker(self.database_pool_size)

    def describe_connections(self) -> str:
        """`4 workers x (15 pool + 7 overflow + 1 to cancel) = 92`, for start-up and errors."""
        pool = self.database_pool_size
        return (
            f"{self.workers} worker{'s' if self.workers > 1 else ''} x ({pool} pool + "
            f"{pool // 2} overflow + 1 to cancel) = {self.database_connections}"
        )


def connections_per_worker(pool_size: int) -> int:
    """Connections one worker may hold: the pool, core.db's overflow (half) and one to cancel."""
    return pool_size + pool_size // 2 + 1


def fitting_pool_size(workers: int, max_connections: int, largest: int = 32) -> int:
    """The largest pool size (at most `largest`, at least 1) whose workers fit the budget."""
    size = largest
    while size > 1 and workers * connections_per_worker(size) > max_connections:
        size -= 1
    return size
