"""OpenTelemetry tracing (issue 11 point 2): a span per HTTP request, per GraphQL operation and
per SQL statement, parented HTTP > operation > SQL, in one trace, on both databases.

The spans are caught by the SDK's `InMemorySpanExporter`, given to `create_app` in place of the
configured exporter (the rest is the code path `tracing = true` takes). The OTLP exporter is
tested against a real HTTP endpoint that decodes what it receives; tracing off is tested in a
fresh interpreter, where no OpenTelemetry module may even be imported.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from core.app import create_app
from core.testing import GraphQLClient, settings_for, token_for

GROUP_NAMES = "query GroupNames { workingGroups(first: 3) { edges { node { id name } } } }"
RENAME = """mutation RenameGroup($input: WorkingGroupUpdateInput!) {
  workingGroupUpdate(input: $input) { workingGroup { id name } userErrors { code } }
}"""


class Traced:
    """An app with tracing on, its spans exported to memory."""

    def __init__(self, url: str, **settings: Any) -> None:
        self.exporter = InMemorySpanExporter()
        self.app = create_app(
            settings_for(url, tracing=True, **settings), span_exporter=self.exporter
        )
        transport = httpx.ASGITransport(app=self.app)
        self.client = GraphQLClient(
            httpx.AsyncClient(transport=transport, base_url="http://test"), self.app
        )

    def spans(self) -> list[ReadableSpan]:
        self.app.state.tracing.provider.force_flush()
        return list(self.exporter.get_finished_spans())

    async def close(self) -> None:
        await self.app.state.ogp.db.dispose()
        self.app.state.tracing.shutdown()


def children(spans: list[ReadableSpan], parent: ReadableSpan) -> list[ReadableSpan]:
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


def one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    (found,) = [s for s in spans if s.name == name]
    return found


async def test_request_operation_and_sql_spans(demo_db: str) -> None:
    traced = Traced(demo_db)
    try:
        await traced.client.execute(GROUP_NAMES)
        spans = traced.spans()
    finally:
        await traced.close()
    http = one(spans, "POST /graphql")
    assert http.kind == SpanKind.SERVER and http.parent is None
    assert http.attributes is not None
    operation = one(spans, "GraphQL Query: GroupNames")
    assert operation.parent is not None and operation.parent.span_id == http.context.span_id
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "GroupNames"
    assert operation.attributes["graphql.operation.type"] == "query"
    assert {s.name for s in children(spans, operation)} >= {"GraphQL Parsing", "GraphQL Validation"}
    sql = [s for s in spans if s.kind == SpanKind.CLIENT]
    assert sql, [s.name for s in spans]
    for statement in sql:  # each statement a child of the operation, in the request's trace
        assert (
            statement.parent is not None and statement.parent.span_id == operation.context.span_id
        )
        assert statement.context.trace_id == http.context.trace_id
        assert statement.attributes is not None
        assert "SELECT" in str(statement.attributes.get("db.statement"))
    assert len({s.context.trace_id for s in spans}) == 1


async def test_mutation_spans_and_errors(demo_db: str) -> None:
    traced = Traced(demo_db)
    staff = await token_for(demo_db, "staff")
    try:
        group = await traced.client.execute('{ workingGroup(slug: "open-data") { id } }')
        variables = {"input": {"id": group["workingGroup"]["id"], "name": "Renamed"}}
        await traced.client.execute(RENAME, variables, token=staff)
        await traced.client.errors("query Broken { noSuchField }")
        spans = traced.spans()
    finally:
        await traced.close()
    mutation = one(spans, "GraphQL Query: RenameGroup")
    assert mutation.attributes is not None
    assert mutation.attributes["graphql.operation.type"] == "mutation"
    statements = [
        s.attributes["db.statement"]
        for s in children(spans, mutation)
        if s.attributes and s.kind == SpanKind.CLIENT
    ]
    assert any("UPDATE" in str(sql) for sql in statements), statements
    # the token lookup happens before GraphQL runs: a child of the HTTP span
    (http,) = [s for s in spans if s.context.span_id == mutation.parent.span_id]  # type: ignore[union-attr]
    assert any(s.kind == SpanKind.CLIENT for s in children(spans, http))
    broken = one(spans, "GraphQL Query: Broken")
    assert broken.status.status_code == StatusCode.ERROR


async def test_the_callers_trace_is_continued(empty_db: str) -> None:
    traced = Traced(empty_db)
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    try:
        response = await traced.client.http.post(
            "/graphql",
            json={"query": GROUP_NAMES},
            headers={"traceparent": f"00-{trace_id}-{parent_id}-01"},
        )
        assert response.status_code == 200
        spans = traced.spans()
    finally:
        await traced.close()
    http = one(spans, "POST /graphql")
    assert http.parent is not None and http.parent.span_id == int(parent_id, 16)
    assert all(s.context.trace_id == int(trace_id, 16) for s in spans)


async def test_probes_and_metrics_are_not_traced(empty_db: str) -> None:
    traced = Traced(empty_db)
    try:
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await traced.client.http.get(path)).status_code == 200
        spans = traced.spans()
    finally:
        await traced.close()
    assert not [s for s in spans if s.kind == SpanKind.SERVER]


class Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP traces endpoint: decodes each export and keeps its spans' names."""

    received: list[str] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        export = ExportTraceServiceRequest()
        export.ParseFromString(body)
        for resource_spans in export.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                self.received += [f"{service['service.name']}: {s.name}" for s in scope.spans]
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


def collector() -> Iterator[tuple[HTTPServer, list[str]]]:
    Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, Collector.received
    finally:
        server.shutdown()
        server.server_close()


async def test_otlp_exporter_sends_to_the_endpoint(empty_db: str) -> None:
    for server, received in collector():
        endpoint = f"http://127.0.0.1:{server.server_port}/v1/traces"
        settings = settings_for(
            empty_db, tracing=True, tracing_endpoint=endpoint, tracing_service_name="ogp-test"
        )
        app = create_app(settings)  # the exporter the settings name: OTLP over HTTP
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert (await http.post("/graphql", json={"query": GROUP_NAMES})).status_code == 200
        await app.state.ogp.db.dispose()
        app.state.tracing.shutdown()  # what the app's shutdown does: export what is left
        assert "ogp-test: POST /graphql" in received
        assert "ogp-test: GraphQL Query: GroupNames" in received


TRACING_OFF = """
import asyncio, sys, httpx
from core.app import create_app
from core.testing import settings_for
app = create_app(settings_for(sys.argv[1]))
async def main():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.post("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 200, response.text
    await app.state.ogp.db.dispose()
asyncio.run(main())
assert app.state.tracing is None
loaded = sorted(name for name in sys.modules if name.startswith("opentelemetry"))
print(loaded)
"""


def test_tracing_off_installs_nothing(empty_db: str) -> None:
    """The default: not a module of OpenTelemetry imported, no middleware, no extension."""
    done = subprocess.run(
        [sys.executable, "-c", TRACING_OFF, empty_db], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
