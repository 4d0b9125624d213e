"""OpenTelemetry tracing, off by default (`tracing = true`): one span per HTTP request, per
GraphQL operation and per SQL statement, exported over OTLP/HTTP or printed to the console.

The spans come from the well-kept instrumentations, each on this application only:

- HTTP: opentelemetry-instrumentation-asgi's `OpenTelemetryMiddleware` (a SERVER span
  `POST /graphql`, with the W3C `traceparent` of the caller as its parent when one is sent);
  /metrics, /healthz and /readyz are not traced (probes and scrapes would drown the rest);
- GraphQL: Strawberry's `OpenTelemetryExtension` (the operation span, named `GraphQL Query:
  <name>`, with its parsing and validation spans), made the current span while the operation
  runs, so that its SQL spans are its children; no span per resolver (one per field would cost
  more than the request and hide the SQL);
- SQL: opentelemetry-instrumentation-sqlalchemy's `EngineTracer` on the app's engine (its
  synchronous core, which the async engine drives): a CLIENT span per statement with
  `db.statement`. Its instrumentor is not used, because it also patches `create_engine` for the
  whole process.

The spans go to this app's own `TracerProvider` (never the global one), through a
`BatchSpanProcessor` to the configured exporter, or to the exporter given to `Tracing.create`
(tests pass the SDK's `InMemorySpanExporter`). With tracing off, `core.app` never imports this
module: nothing of OpenTelemetry is loaded or installed.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import suppress
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Status, StatusCode
from starlette.middleware import Middleware
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

if TYPE_CHECKING:
    from core.config import Settings

NOT_TRACED = "/metrics,/healthz,/readyz"
"""Paths the HTTP middleware leaves out (regular expressions searched in the URL)."""


def exporter_for(settings: Settings) -> SpanExporter:
    """The exporter `tracing_exporter` names: OTLP/HTTP to `tracing_endpoint`, or console."""
    if settings.tracing_exporter == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(endpoint=settings.tracing_endpoint)


class OperationSpan(OpenTelemetryExtension):
    """Strawberry's OpenTelemetry extension, with the operation's span current while the
    operation runs (its SQL statements become its children), its outcome recorded on it, and
    no span per resolver."""

    resolve = SchemaExtension.resolve  # type: ignore[assignment]  # Strawberry's: per field

    def on_operation(self) -> Generator[None, None, None]:
        spans = super().on_operation()
        next(spans)  # Strawberry's extension starts the operation's span
        span = self._span_holder[LifecycleStep.OPERATION]
        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            yield
        except BaseException as exc:
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            otel_context.detach(token)
            self._describe(span)
            next(spans, None)  # Strawberry's extension names the span and ends it

    def _describe(self, span: Any) -> None:
        context = self.execution_context
        if context.graphql_document is not None:
            with suppress(RuntimeError):  # raised when the named operation is not there
                span.set_attribute("graphql.operation.type", context.operation_type.value)
        if context.operation_name:
            span.set_attribute("graphql.operation.name", context.operation_name)
        result = context.result
        errors = context.pre_execution_errors or (result.errors if result is not None else None)
        if errors:
            span.set_status(Status(StatusCode.ERROR, errors[0].message[:200]))


class Tracing:
    """Tracing of one application: its provider and how to instrument its parts."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider

    @classmethod
    def create(cls, settings: Settings, exporter: SpanExporter | None = None) -> Tracing:
        """A provider named after `tracing_service_name`, sampling `tracing_sample_ratio` of
        the traces that start here (following the caller's decision otherwise), exporting in
        batches to `exporter`, or by default to the one the settings name."""
        try:
            own = version("ogp-working-groups")
        except PackageNotFoundError:
            own = "0.0.0+unknown"
        resource = Resource.create(
            {SERVICE_NAME: settings.tracing_service_name, SERVICE_VERSION: own}
        )
        sampler = ParentBased(TraceIdRatioBased(settings.tracing_sample_ratio))
        provider = TracerProvider(resource=resource, sampler=sampler)
        provider.add_span_processor(BatchSpanProcessor(exporter or exporter_for(settings)))
        return cls(provider)

    def middleware(self) -> Middleware:
        """The HTTP span: put it outside everything it should time."""
        return Middleware(
            OpenTelemetryMiddleware,
            tracer_provider=self.provider,
            meter_provider=NoOpMeterProvider(),
            excluded_urls=NOT_TRACED,
            exclude_spans=["receive", "send"],  # no span per ASGI message
        )

    def extension(self) -> Any:
        """A factory of the operation's extension, for the schema's `extensions`."""
        provider = self.provider
        return lambda: OperationSpan(tracer_provider=provider)

    def instrument_engine(self, engine: Any) -> None:
        """A span per SQL statement of `engine` (the async engine's `sync_engine`)."""
        tracer = trace.get_tracer("ogp_wg.sql", tracer_provider=self.provider)
        meter = NoOpMeterProvider().get_meter("ogp_wg.sql")
        usage = meter.create_up_down_counter("db.client.connections.usage")  # not exported
        EngineTracer(tracer, engine, usage)  # type: ignore[no-untyped-call]

    def shutdown(self) -> None:
        """Export what is buffered and stop (the app's shutdown)."""
        self.provider.shutdown()
