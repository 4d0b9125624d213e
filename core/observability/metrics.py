"""Prometheus metrics at `GET /metrics`, in prometheus-client's own exposition format.

What is measured (names prefixed `ogp_wg_`; `operation` and `type` as below):

- `graphql_requests_total{operation, type, outcome}`: POST/GET requests to /graphql. `outcome`:
  `ok` (no error), `client_error` (a 4xx, or errors that are all the client's: validation,
  bad input, FORBIDDEN, RATE_LIMITED...), `server_error` (a 5xx, or an INTERNAL_SERVER_ERROR,
  SERVICE_UNAVAILABLE or TIMEOUT error), `cancelled` (the client left before an answer).
- `graphql_request_duration_seconds{operation, type}`: histogram of the whole HTTP exchange.
- `graphql_errors_total{code}`: each error of a response by its `extensions.code`, refusals
  before GraphQL (400, 401, 413, 429...) included. Codes are the server's, never the client's.
- `graphql_request_sql_statements{operation, type}`, `graphql_request_sql_seconds{operation,
  type}`: histograms of the SQL statements one request ran and the time they took (SQLAlchemy's
  cursor events on the app's engine; the token lookup of the authentication counts too).
- `db_pool_checked_out`, `db_pool_size`: connections in use, and kept open, per engine (summed
  over live workers).
- `subscriptions_open`: GraphQL subscriptions being served (over WebSocket, summed over live
  workers; core/activity/subscriptions.py counts each from its start to its end).
- `build_info{version, python, plugins}` and `plugin_info{plugin, version, source}`: 1 each, for
  the distribution and each enabled plugin.

`operation` is the name of the operation the request asks for, whatever became of it (answered,
refused by a limit, by validation or by its arguments, failed while executing): the request's
`operationName`, else the name of its document's first operation, read from the document's text
even when a limit refused it before it was parsed (`core.observability.operations`). It is
`anonymous` when that operation has no name (`{ ... }`, `query { ... }`), `unknown` when no
operation can be read: a document that does not parse and whose text names none (a syntax error
before the name, text that cannot be tokenised), no document, a request refused before its body
was read (401, 413, 429). It is `other` once the worker labels `metrics_operation_names` other
names already (names are chosen by clients and each multiplies the series of every histogram; a
front end has a fixed set, and the first ones seen keep their label, whatever became of their
requests), `batch` for a batch of operations. `type`: that operation's `query`,
`mutation` or `subscription`, `unknown` when it cannot be read, or `batch`. `outcome` says what
became of it. Only GraphQL requests count: not the GraphiQL page a browser gets at /graphql.

With several workers (`ogp-wg serve --workers N`) each process writes its values to files in
`PROMETHEUS_MULTIPROC_DIR` (prometheus-client's multiprocess mode; `prepare_multiprocess`
makes the directory fresh before the workers start) and whichever worker answers /metrics
reads them all: counters and histograms summed, gauges summed over live workers. A worker
marks itself dead when it stops; one that was killed is marked dead by the next scrape (its
process is gone), so its connections and build info stop counting.

/metrics itself is never rate limited (the limits apply to /graphql only), is not counted, and
may be restricted to some client networks (`metrics_allow`).
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from sqlalchemy import event
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.observability.exchange import Exchange, outcome, watch_statements
from core.observability.exchange import MetricsMiddleware as MetricsMiddleware
from core.observability.exchange import not_graphql as not_graphql
from core.observability.exchange import note_errors as note_errors
from core.observability.operations import UNKNOWN
from core.observability.workers import MULTIPROC_ENV, mark_dead_workers
from core.observability.workers import prepare_multiprocess as prepare_multiprocess

if TYPE_CHECKING:
    from core.config import Settings
    from core.db import Database
    from core.plugins import PluginSet

ANONYMOUS, OTHER, BATCH = "anonymous", "other", "batch"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds; the execution timeout is 10 s by default."""
STATEMENT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
"""SQL statements per request: the compiled path runs one per root field."""
SQL_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)


@dataclass
class _Series:
    """The label children of one (operation, type), cached: `labels()` takes a lock."""

    duration: Any
    statements: Any
    sql_seconds: Any


class Metrics:
    """The metrics of one application; `Metrics.create(settings, db, plugins)` builds them,
    registers the SQL and pool listeners on `db`'s engine and sets the build info."""

    def __init__(
        self,
        *,
        operation_names: int = 100,
        allow: Iterable[IPv4Network | IPv6Network] = (),
        multiprocess_dir: str | None = None,
    ) -> None:
        self.max_names = operation_names
        self.allow = tuple(allow)
        self.multiprocess_dir = multiprocess_dir
        self._names: set[str] = set()
        self._series: dict[tuple[str, str], _Series] = {}
        self._requests: dict[tuple[str, str, str], Any] = {}
        self._errors: dict[str, Any] = {}
        self._pools: list[Any] = []
        # Multiprocess: values live in the directory's files, read by a MultiProcessCollector;
        # the metric objects then belong to no registry (each process has its own objects).
        self.registry = CollectorRegistry()
        own = None if multiprocess_dir else self.registry
        if multiprocess_dir:
            multiprocess.MultiProcessCollector(self.registry, path=multiprocess_dir)  # type: ignore[no-untyped-call]
        by_operation = ["operation", "type"]
        self.requests = Counter(
            "ogp_wg_graphql_requests",
            "GraphQL HTTP requests by operation name (operationName, else the document's first"
            " operation's, refused or not; anonymous: unnamed; unknown: none could be read; other"
            " beyond the per-worker cap), operation"
            " type and outcome (ok, client_error, server_error, cancelled).",
            [*by_operation, "outcome"],
            registry=own,
        )
        self.duration = Histogram(
            "ogp_wg_graphql_request_duration_seconds",
            "Seconds to answer a GraphQL HTTP request.",
            by_operation,
            buckets=LATENCY_BUCKETS,
            registry=own,
        )
        self.errors = Counter(
            "ogp_wg_graphql_errors",
            "Errors in GraphQL responses (and refusals of /graphql requests) by extensions.code.",
            ["code"],
            registry=own,
        )
        self.statements = Histogram(
            "ogp_wg_graphql_request_sql_statements",
            "SQL statements run by one GraphQL HTTP request.",
            by_operation,
            buckets=STATEMENT_BUCKETS,
            registry=own,
        )
        self.sql_seconds = Histogram(
            "ogp_wg_graphql_request_sql_seconds",
            "Seconds the SQL statements of one GraphQL HTTP request took (cursor execution).",
            by_operation,
            buckets=SQL_BUCKETS,
            registry=own,
        )
        # Gauges: summed over the live workers (a dead one's values are dropped).
        self.pool_checked_out = Gauge(
            "ogp_wg_db_pool_checked_out",
            "Database connections in use.",
            multiprocess_mode="livesum",
            registry=own,
        )
        self.pool_size = Gauge(
            "ogp_wg_db_pool_size",
            "Database connections the pool keeps open.",
            multiprocess_mode="livesum",
            registry=own,
        )
        self.subscriptions = Gauge(
            "ogp_wg_subscriptions_open",
            "GraphQL subscriptions being served.",
            multiprocess_mode="livesum",
            registry=own,
        )
        self.build_info = Gauge(
            "ogp_wg_build_info",
            "1: the running version of ogp-working-groups and its enabled plugins.",
            ["version", "python", "plugins"],
            multiprocess_mode="livemax",
            registry=own,
        )
        self.plugin_info = Gauge(
            "ogp_wg_plugin_info",
            "1 per enabled plugin: its key, version and source.",
            ["plugin", "version", "source"],
            multiprocess_mode="livemax",
            registry=own,
        )

    @classmethod
    def create(cls, settings: Settings, db: Database, plugins: PluginSet) -> Metrics:
        """The app's metrics, multiprocess when PROMETHEUS_MULTIPROC_DIR is set."""
        metrics = cls(
            operation_names=settings.metrics_operation_names,
            allow=settings.metrics_allow,
            multiprocess_dir=os.environ.get(MULTIPROC_ENV) or None,
        )
        metrics.watch_engine(db.engine.sync_engine)
        metrics.set_build_info(plugins)
        return metrics

    # --- what is recorded -----------------------------------------------------------------

    def watch_engine(self, engine: Any) -> None:
        """Count statements and their time per request, and the pool's connections."""
        watch_statements(engine)
        pool = engine.pool
        self._pools.append(pool)
        size = getattr(pool, "size", None)
        self.pool_size.inc(size() if callable(size) else 0)
        checked_out = self.pool_checked_out
        event.listen(pool, "checkout", lambda *_: checked_out.inc())
        event.listen(pool, "checkin", lambda *_: checked_out.dec())

    def set_build_info(self, plugins: PluginSet) -> None:
        try:
            own = version("ogp-working-groups")
        except PackageNotFoundError:  # a source tree that was never installed
            own = "0.0.0+unknown"
        enabled = sorted(plugins.enabled)
        self.build_info.labels(own, platform.python_version(), ",".join(enabled)).set(1)
        for key in enabled:
            theme = plugins.themes.get(key)
            installed = plugins.installed.get(key)
            self.plugin_info.labels(
                key,
                theme.version if theme is not None else "",
                installed.source if installed is not None else "",
            ).set(1)

    def operation_label(self, name: str | None, kind: str = "query") -> str:
        """The `operation` label of an operation's name and type (see the module docstring):
        `anonymous` for an unnamed one, `unknown` when none could be read (type `unknown`)."""
        if name is None:
            return UNKNOWN if kind == UNKNOWN else ANONYMOUS
        if name in self._names:
            return name
        if len(self._names) < self.max_names:
            self._names.add(name)
            return name
        return OTHER

    def observe(self, exchange: Exchange, status: int, codes: list[str], seconds: float) -> None:
        """Record one finished /graphql request."""
        operations = exchange.operations
        if len(operations) == 1:
            name, kind = operations[0]
            operation = self.operation_label(name, kind)
        elif operations:
            operation = kind = BATCH
        else:  # refused before any GraphQL ran (401, 413, 429; a body that is no request)
            operation = kind = UNKNOWN
        key = (operation, kind)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = _Series(
                self.duration.labels(operation, kind),
                self.statements.labels(operation, kind),
                self.sql_seconds.labels(operation, kind),
            )
        series.duration.observe(seconds)
        series.statements.observe(exchange.statements)
        series.sql_seconds.observe(exchange.sql_seconds)
        counted = (operation, kind, outcome(status, codes))
        requests = self._requests.get(counted)
        if requests is None:
            requests = self._requests[counted] = self.requests.labels(*counted)
        requests.inc()
        for code in codes:
            errors = self._errors.get(code)
            if errors is None:
                errors = self._errors[code] = self.errors.labels(code)
            errors.inc()

    # --- the endpoint -------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        """GET /metrics: the exposition format the scraper asks for (Prometheus text, or
        OpenMetrics by `Accept`); 403 for a client outside `metrics_allow`."""
        if self.allow and not self._allowed(request):
            return PlainTextResponse("/metrics is not served to this address\n", 403)
        for pool in self._pools:  # exact for this process, whatever the events missed
            checked_out = getattr(pool, "checkedout", None)
            if callable(checked_out):
                self.pool_checked_out.set(checked_out())
        if self.multiprocess_dir:
            mark_dead_workers(self.multiprocess_dir)
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(self.registry), headers={"content-type": content_type})

    def _allowed(self, request: Request) -> bool:
        if request.client is None:
            return False
        try:
            address = ip_address(request.client.host)
        except ValueError:
            return False
        return any(address in network for network in self.allow)

    def close(self) -> None:
        """At shutdown: a worker's gauges stop counting (its counters stay in the sums)."""
        if self.multiprocess_dir:
            multiprocess.mark_process_dead(os.getpid(), self.multiprocess_dir)  # type: ignore[no-untyped-call]
