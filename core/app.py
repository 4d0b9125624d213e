"""`create_app(settings)`: the Starlette application serving GraphQL, health and readiness."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import orjson
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from core import db_faults
from core.activity.bus import Bus
from core.activity.websocket import VIEW_OPTIONS, SubscriptionsView
from core.auth.middleware import (
    Authentication,
    Unauthenticated,
    confirm,
    provisional_of,
    refusal,
    viewer_of,
)
from core.auth.oidc import OIDCVerifier
from core.compiled.execute import CompiledExecutionContext
from core.compiled.kept import keep_operations, kept_operations, speculating
from core.config import ConfigError, Settings
from core.context import AppState, Context
from core.db import Database, statement_counter
from core.disconnect import CancelOnDisconnect
from core.errors import classify
from core.graphiql import graphiql_page, graphiql_routes
from core.graphql_http import GraphQLView
from core.http_cache import HTTPCache
from core.idempotency import Idempotency
from core.limits import Limits, hide_suggestions
from core.meetings.calendar import routes as calendar_routes
from core.migrate import migration_status
from core.notifications.loop import start_loop as notifications_loop
from core.observability.logs import (
    RequestContext,
    configure_logging,
    current_request_id,
    quiet_alembic,
)
from core.observability.metrics import Metrics, MetricsMiddleware, not_graphql, note_errors
from core.observability.operations import OperationNames
from core.persisted_queries import PersistedQueries
from core.pilot.export import routes as pilot_report_routes
from core.plugins import PluginSet, make_plugin_manager
from core.possible_types import possible_types_endpoint
from core.ratelimit import MutationCost, RateLimiter, RateLimits
from core.replica import ReplicaReads
from core.replica import probe as probe_replica
from core.schema.build import build_schema
from core.timeouts import OperationBudget
from core.trusted_documents import TrustedDocuments, TrustedDocumentsError

log = logging.getLogger("ogp_wg")


class GraphQLApp(SubscriptionsView, GraphQLView):
    """Strawberry's ASGI view with our context, error codes and orjson encoding (request errors:
    `core.graphql_http`; subscriptions over WebSocket: `core.activity.websocket`)."""

    def __init__(self, state: AppState, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.debug = settings.debug
        self.production = settings.production
        self.budget = OperationBudget(
            settings.execution_timeout, settings.database_connections_per_request
        )

    async def get_context(self, request: Any, response: Any) -> Context:
        if self.is_websocket_request(request):  # one context per connection
            return self.subscription_context(self.state, request, response)
        # resolved by core.auth.middleware.Authentication; a provisional one is confirmed
        # before anything executes (`execute_operation`, `execute_single`)
        provisional = provisional_of(request)
        viewer = viewer_of(request) if provisional is None else provisional.known.viewer
        return Context(app=self.state, request=request, response=response, viewer=viewer)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Strawberry's run; a provisional viewer whose token is no longer usable is answered
        401, as core.auth.middleware.Authentication answers it when it looks it up at once."""
        try:
            return await super().run(request, context, root_value)
        except Unauthenticated as exc:
            return refusal(request.scope, 401, "UNAUTHENTICATED", str(exc), exc.error)

    async def execute_operation(
        self,
        request: Any,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        """A batch, or an operation streamed (a transport that bypasses `execute_single`),
        runs for a confirmed viewer (core.auth.middleware.Provisional)."""
        if isinstance(request_data, list) or self._get_stream_transport(request_data.protocol):
            await confirm(context)
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        """One operation within the execution timeout and its share of the connection pool
        (`core.timeouts`): past the deadline, a TIMEOUT error and HTTP 504. A query answered
        before from kept compiled statements is answered again by them (core.compiled.kept)."""
        run = super().execute_single

        async def work() -> ExecutionResult:
            if not speculating():  # else its first statement confirms it (core.compiled.kept)
                await confirm(context)
            return await run(
                request, request_adapter, sub_response, context, root_value, request_data
            )

        kept = kept_operations(self.state)  # made by `create_app` when reads are compiled
        if kept is None or self.is_websocket_request(request):
            return await self.budget.run(work, sub_response)
        return await self.budget.run(lambda: kept.serve(request_data, context, work), sub_response)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:  # a database that failed is SERVICE_UNAVAILABLE, never internal
            result.errors = [db_faults.unavailable(error) for error in result.errors]
        # A request error (parse, validation, variables) has no `data` entry at all; nor has a
        # request the database could not serve at all (503).
        request_error = result.data is None and all(e.path is None for e in result.errors or ())
        request_error = request_error or db_faults.nothing_served(result)
        data: GraphQLHTTPResponse = {} if request_error and result.errors else {"data": result.data}
        if result.errors:
            errors: list[object] = []
            for error in result.errors:
                formatted = classify(error, debug=self.debug)
                if self.production:
                    formatted["message"] = hide_suggestions(formatted["message"])
                if formatted["extensions"]["code"] == "INTERNAL_SERVER_ERROR":
                    # The request ID finds the log line (and traceback) the schema's
                    # process_errors wrote for it (core.observability.logs), once.
                    formatted["extensions"]["correlationId"] = current_request_id()
                errors.append(formatted)
            data["errors"] = errors
            note_errors(errors)  # counted by code in /metrics (core.observability.metrics)
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A browser's GET of /graphql (no `query`, `Accept` HTML or anything): the GraphiQL
        page, or 404 with it off; either way no GraphQL request for the metrics."""
        ide = super().should_render_graphql_ide(request)
        if ide:
            not_graphql()
        return ide

    async def render_graphql_ide(self, request: Any) -> Response:
        """GraphiQL from the package's own files (`core.graphiql`), never from a CDN."""
        return graphiql_page()


class StatementCounter:
    """With `debug`, report the SQL statements a request ran in `x-sql-statements`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        counter = [0]
        token = statement_counter.set(counter)

        async def send_with_count(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-sql-statements", str(counter[0]).encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_count)
        finally:
            statement_counter.reset(token)


def create_app(
    settings: Settings,
    plugins: PluginSet | None = None,
    *,
    fast_execution: bool = True,
    span_exporter: Any = None,
) -> Starlette:
    """Build everything that can fail (plugins, schema) before serving a single request.
    `span_exporter`: where spans go instead of `tracing_exporter`, when `tracing` is on
    (tests: the OpenTelemetry SDK's InMemorySpanExporter)."""
    plugins = plugins or make_plugin_manager(settings)
    built = build_schema(
        plugins,
        fast_execution=fast_execution,
        limits=Limits.from_settings(settings),
        max_batch_operations=settings.max_batch_operations if settings.batching else None,
    )
    db = Database(
        settings.database_url,
        pool_size=settings.database_pool_size,
        timeouts=db_faults.Timeouts(
            statement=settings.database_statement_timeout,
            pool=settings.database_pool_timeout,
            connect=settings.database_connect_timeout,
        ),
        text_max_length=settings.text_max_length,
        replica_url=settings.database_replica_url,  # issue 12: queries read from it
        plan_cache_mode=settings.database_plan_cache_mode,
    )
    if settings.compiled_reads and fast_execution:  # issue 12: root fields as one SQL each
        built.schema.execution_context_class = CompiledExecutionContext
    if db.replica_engine is not None:  # first: around every other extension's execution
        built.schema.extensions = (ReplicaReads, *built.schema.extensions)
    if settings.rate_limits:  # an operation's own cost, once its type is known
        built.schema.extensions = (*built.schema.extensions, MutationCost)
    # --- issue 11: metrics and tracing (core.observability) ---
    metrics = Metrics.create(settings, db, plugins) if settings.metrics else None
    if settings.access_log or metrics is not None:  # each operation's name and type
        built.schema.extensions = (*built.schema.extensions, OperationNames)
    tracing = None
    if settings.tracing:  # off: OpenTelemetry is not even imported
        from core.observability.tracing import Tracing

        tracing = Tracing.create(settings, span_exporter)
        db.raw_statements = False  # every statement a span, from SQLAlchemy's events
        tracing.instrument_engine(db.engine.sync_engine)
        if db.replica_engine is not None:
            tracing.instrument_engine(db.replica_engine.sync_engine)
        built.schema.extensions = (*built.schema.extensions, tracing.extension())
    state = AppState(
        db=db,
        plugins=plugins,
        loaders=built.loaders,
        group_types=built.group_types,
        schema=built.schema,
    )
    graphiql = settings.graphiql and not settings.production
    graphql = GraphQLApp(
        state,
        settings,
        schema=built.schema,
        graphql_ide="graphiql" if graphiql else None,
        allow_queries_via_get=True,
        allowed_origins=settings.cors_origins,  # WebSocket handshakes from other pages
        **VIEW_OPTIONS,  # subscriptions over graphql-transport-ws: core.activity.websocket
    )
    # subscriptions: signals from every worker (core.activity.bus), the gauge of open ones
    graphql.bus = Bus(db)
    graphql.subscriptions_gauge = metrics.subscriptions if metrics is not None else None
    if built.schema.execution_context_class is CompiledExecutionContext and tracing is None:
        keep_operations(state)  # a query answered again by its kept statements

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        """200 when the database is reachable and every INSTALLED plugin's (and the core's)
        migrations are applied. What an uninstalled plugin left is a warning, not a reason to
        take the instance out of rotation: {"status", "pendingMigrations"?, "staleRevisions"?,
        "warnings"?: [sentence], "removedPlugins"?: [{"plugin", "revisions", "tables"}]}.
        A database that is down, hung or unusable: 503 {"status": "unavailable", "database":
        "unavailable"} within the connect timeout, naming nothing of it (the cause is logged).
        With `database_replica_url`, also "replica": `core.replica.probe`'s state (its lag is
        reported, never a reason for 503); a replica that does not answer: 503 {"status":
        "unavailable", "replica": "unavailable"}.
        """
        try:
            with anyio.fail_after(settings.database_connect_timeout):
                async with db.read() as conn:
                    await conn.execute(text("SELECT 1"))
                with quiet_alembic():  # a probe every few seconds: no INFO lines of Alembic's
                    state = await migration_status(db, plugins)
        except Exception as exc:
            log.warning("readyz: database unavailable: %r", exc)
            unavailable = {"status": "unavailable", "database": "unavailable"}
            return JSONResponse(unavailable, status_code=503, headers={"retry-after": "2"})
        try:
            with anyio.fail_after(settings.database_connect_timeout):
                replica = await probe_replica(db)
        except Exception as exc:
            log.warning("readyz: replica unavailable: %r", exc)
            unavailable = {"status": "unavailable", "replica": "unavailable"}
            return JSONResponse(unavailable, status_code=503, headers={"retry-after": "2"})
        body: dict[str, Any] = {"status": "ready" if state.ready else "unavailable"}
        if replica is not None:
            body["replica"] = replica
        if state.pending:
            body["pendingMigrations"] = sorted(state.pending)
        if state.stale:
            body["staleRevisions"] = list(state.stale)
        if state.removed:
            body["warnings"] = [removed.message() for removed in state.removed]
            body["removedPlugins"] = [removed.as_json() for removed in state.removed]
        return JSONResponse(body, status_code=200 if state.ready else 503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # when notify_interval is set; the digests apply the schema's row rules
        rows = built.policy.rows if built.policy is not None else None
        notifier = notifications_loop(db, settings, plugins.enabled, rows)
        yield
        if notifier is not None:
            await notifier.stop()  # the pass under way finishes first
        await graphql.bus.close()
        await db.dispose()
        if metrics is not None:
            metrics.close()
        if tracing is not None:
            tracing.shutdown()

    # Outermost of all: the request ID, on every answer and every log line (access line too).
    # Then: a request whose client is gone is cancelled (its transaction rolls back).
    middleware = [
        Middleware(RequestContext, access_log=settings.access_log, debug=settings.debug),
        Middleware(CancelOnDisconnect),
    ]
    if tracing is not None:  # the HTTP request's span, around everything below
        middleware.append(tracing.middleware())
    if metrics is not None:  # /graphql requests counted and timed, 429s and 401s included
        middleware.append(Middleware(MetricsMiddleware, metrics=metrics))
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=settings.cors_allow_headers,
                expose_headers=["x-request-id"],  # a page can quote it when reporting an error
            )
        )
    # Points per client address and token, before anything else is spent on a request (429).
    if settings.rate_limits:
        middleware.append(Middleware(RateLimits, limiter=RateLimiter(settings)))
    # A database fault outside GraphQL (e.g. a middleware's own query) is a 503, not a 500.
    middleware.append(Middleware(db_faults.AnswerFaults))
    # Who is asking, before anything reads the body: a bad token is a 401 at once.
    oidc = OIDCVerifier(settings) if settings.oidc_issuer else None
    middleware.append(Middleware(Authentication, db=db, oidc=oidc))
    graphql.authentication = Authentication(graphql, db=db, oidc=oidc)  # at connection_init
    # Outermost first: APQ restores the document, then ETag / 304 judges and tags the response.
    # Idempotency-Key sits between them: per viewer, over the document that runs, mutations only.
    middleware += [
        Middleware(PersistedQueries, max_body=settings.max_body_bytes, trusted=_trusted(settings)),
        Middleware(Idempotency, db=db, retention=settings.idempotency_key_retention),
        Middleware(HTTPCache),
    ]
    if settings.debug:
        middleware.append(Middleware(StatementCounter))
    app = Starlette(
        debug=settings.debug,
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),  # subscriptions: core.activity.websocket
            Route("/graphql/possible-types", possible_types_endpoint),  # issue 11: front ends
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *([Route("/metrics", metrics.endpoint)] if metrics is not None else ()),
            *(graphiql_routes() if graphiql else ()),  # the files GraphiQL's page loads
            *calendar_routes(state),  # issue 9: the meetings' iCalendar feeds
            *pilot_report_routes(state),  # issue 10: the pilot report as CSV
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.ogp = state
    app.state.metrics, app.state.tracing = metrics, tracing
    return app


def _trusted(settings: Settings) -> TrustedDocuments | None:
    """The allow-list of `trusted_documents`, or None; ConfigError if it cannot be used."""
    if settings.trusted_documents is None:
        return None
    try:
        return TrustedDocuments.load(settings.trusted_documents)
    except TrustedDocumentsError as exc:
        raise ConfigError(str(exc)) from None


def app_from_environment() -> Starlette:
    """Factory for `ogp-wg serve --workers N` / `--reload`: each process reads the same config."""
    from core.config import load_settings

    settings = load_settings()
    configure_logging(settings)  # a worker process: configured before it logs anything
    app = create_app(settings)
    settle_heap()
    return app


GC_THRESHOLDS = (10_000, 20, 100)
"""gc.set_threshold's: a young collection per 10,000 allocations (CPython's default: 700), a
middle one per 20 of them (10), a full one per 100 middle ones (10), and still only when the
long-lived objects grew by a quarter since the last (CPython's rule)."""


def settle_heap() -> None:
    """Take what the app built at start (schema, plugins' types, SQLAlchemy metadata: most of a
    worker's objects, and all long-lived) out of the cyclic garbage collector's sight
    (`gc.freeze`): a full collection then walks only what requests left behind. For the process
    that serves, once its app is built (`ogp-wg serve`).

    Then the collector runs less often (`GC_THRESHOLDS`): a request leaves almost no cycles
    (measured: tens of objects a second at 1,400 requests/s, mostly the cancelled disconnect
    listener's traceback), while each full collection stopped every request in flight for
    10-50 ms, a dozen times in 8 s of load: the p99.

    Measured (bench: group page, wrk -c32 on one core, PostgreSQL "large" data, 3 interleaved
    runs each): p99 236-254 ms -> 70-74 ms, 588-679 -> 846-896 requests/s (the freeze); with
    the thresholds (issue 12, `python -m bench.run ... --servers ours --pages
    group_page,country_page --duration 8 --rounds 2`): group page 1,152-1,243 -> 1,414-1,442
    requests/s, p99 69-79 -> 34-61 ms; country page p99 94-122 -> 75-89 ms."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
