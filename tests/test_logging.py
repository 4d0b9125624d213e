"""Logs and request IDs (core.observability.logs), read from the real log output.

Each test routes the process's logging to a string (`configure_logging(settings, stream)`, as
`ogp-wg serve` routes it to stderr) and reads back what an operator would: one JSON object per
line, or readable text. Requests go over HTTP to the ASGI app, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
import logging
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.config import load_settings
from core.migrate import migration_status
from core.observability.logs import RequestContext, configure_logging
from core.testing import ClientFactory, GraphQLClient, token_for
from tests import faults_plugin
from tests.server_process import running_server

BAD_CURSOR = """query Meetings { workingGroup(slug: "open-data") {
    meetings(first: 2, after: "bm90IGEgY3Vyc29y") { nodes { id } } } }"""
TOO_MANY = "query Groups { workingGroups(first: 500) { totalCount } }"
AUDIT = "query Audit { auditLog(first: 1) { totalCount } }"
INTERNAL = "query Lookup { countries(first: 1) { code faultLookup } }"
TWO_INTERNAL = "{ faults { bigInt nanRequired } countries(first: 1) { code } }"
ALLOWED = set(string.ascii_letters + string.digits + "._-")
HEX = set("0123456789abcdef")
CLIENT_LOGGERS = ("httpx", "httpcore")


class Captured:
    """What `configure_logging` wrote to its stream."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        """Every line the server wrote, parsed (JSON mode writes nothing else); the test's own
        HTTP client (httpx) logs its requests too: left out."""
        parsed = [json.loads(line) for line in self.text().splitlines()]
        assert all(isinstance(line, dict) for line in parsed)
        return [line for line in parsed if not line["logger"].startswith(CLIENT_LOGGERS)]

    def of(self, request_id: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line.get("request_id") == request_id]

    def clear(self) -> None:
        self.stream.seek(0)
        self.stream.truncate()


def _capture(log_format: str) -> Iterator[Captured]:
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    config = {"log_format": log_format, "log_level": "INFO"}
    handler = configure_logging(load_settings(environ={}, config=config), stream)
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        logging.getLogger("uvicorn.access").disabled = False
        structlog.reset_defaults()


@pytest.fixture
def json_logs() -> Iterator[Captured]:
    yield from _capture("json")


@pytest.fixture
def text_logs() -> Iterator[Captured]:
    yield from _capture("text")


def _with_faults(make_client: ClientFactory, url: str, **options: Any) -> GraphQLClient:
    return make_client(url, installed=faults_plugin.installed_with_faults(), **options)


async def _post(
    client: GraphQLClient, query: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.http.post("/graphql", json={"query": query}, headers=headers)


def _assert_generated(request_id: str) -> None:
    assert len(request_id) == 32 and set(request_id) <= HEX, request_id


# --- levels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fast_execution", [True, False], ids=["fast", "standard"])
@pytest.mark.parametrize(
    ("query", "code"),
    [
        (BAD_CURSOR, "INVALID_CURSOR"),
        (TOO_MANY, "INVALID_ARGUMENT"),
        (AUDIT, "UNAUTHENTICATED"),
        ("query Broken { workingGroups(first: 1) {", "GRAPHQL_PARSE_FAILED"),
        ("query Unknown { workingGroupz { totalCount } }", "GRAPHQL_VALIDATION_FAILED"),
    ],
    ids=["bad-cursor", "first-500", "unauthenticated", "parse", "validation"],
)
async def test_a_client_mistake_is_one_info_line_without_traceback(
    demo_db: str,
    make_client: ClientFactory,
    json_logs: Captured,
    query: str,
    code: str,
    fast_execution: bool,
) -> None:
    client = make_client(demo_db, fast_execution=fast_execution, production=True)
    response = await _post(client, query, {"x-request-id": "client-mistake"})
    assert response.status_code == 200
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]
    assert response.headers["x-request-id"] == "client-mistake"

    lines = json_logs.lines()
    assert [line["level"] for line in lines] == ["info"], lines  # one line, nothing louder
    [line] = lines
    assert line["event"] == "client error" and line["code"] == code
    assert line["request_id"] == "client-mistake"
    assert "exception" not in line and "Traceback" not in json_logs.text()
    assert line["logger"] == "ogp_wg.errors"  # not Strawberry's ERROR with a traceback


async def test_a_refusal_is_one_info_line(
    demo_db: str, make_client: ClientFactory, json_logs: Captured
) -> None:
    other = make_client(demo_db).with_token(await token_for(demo_db, "other"))
    response = await _post(other, AUDIT, {"x-request-id": "refused"})
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["FORBIDDEN"]
    [line] = json_logs.lines()
    assert (line["level"], line["event"], line["code"]) == ("info", "client error", "FORBIDDEN")
    assert line["request_id"] == "refused" and line["operation"] == "Audit"
    assert "exception" not in line


async def test_client_mistake_in_text_mode(
    demo_db: str, make_client: ClientFactory, text_logs: Captured
) -> None:
    client = make_client(demo_db)
    await _post(client, BAD_CURSOR, {"x-request-id": "readable"})
    [line] = [line for line in text_logs.text().splitlines() if "[httpx" not in line]
    assert "[info" in line and "client error" in line
    assert "code=INVALID_CURSOR" in line and "request_id=readable" in line
    assert "Traceback" not in text_logs.text()


async def test_rate_limited_operations_of_a_batch_are_info_lines(
    empty_db: str, make_client: ClientFactory, json_logs: Captured
) -> None:
    client = make_client(empty_db, access_log=True, rate_limit_per_ip=2, batching=True)
    batch = [{"query": f"query Themes{i} {{ themes {{ key }} }}"} for i in range(4)]
    response = await client.http.post("/graphql", json=batch, headers={"x-request-id": "batch"})
    codes = [r.get("errors", [{}])[0].get("extensions", {}).get("code") for r in response.json()]
    assert codes == [None, None, "RATE_LIMITED", "RATE_LIMITED"]
    lines = json_logs.of("batch")
    assert [(line["level"], line["event"]) for line in lines] == [
        ("info", "client error"),
        ("info", "client error"),
        ("info", "request"),
    ]
    assert [line["code"] for line in lines[:2]] == ["RATE_LIMITED"] * 2
    assert [line["operation"] for line in lines[:2]] == ["Themes2", "Themes3"]
    assert lines[-1]["operation"] == "Themes0,Themes1,Themes2,Themes3"
    assert "exception" not in json_logs.text()


@pytest.mark.parametrize("fast_execution", [True, False], ids=["fast", "standard"])
@pytest.mark.parametrize("production", [True, False], ids=["production", "development"])
async def test_an_internal_error_is_logged_once_with_traceback_and_correlation_id(
    demo_db: str,
    make_client: ClientFactory,
    json_logs: Captured,
    fast_execution: bool,
    production: bool,
) -> None:
    client = _with_faults(
        make_client, demo_db, fast_execution=fast_execution, production=production
    )
    response = await _post(client, INTERNAL)
    [error] = response.json()["errors"]
    request_id = response.headers["x-request-id"]
    _assert_generated(request_id)
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["correlationId"] == request_id

    lines = json_logs.lines()
    assert [line["level"] for line in lines] == ["error"], lines  # once: no second path
    [line] = lines
    assert line["event"] == "internal error" and line["logger"] == "ogp_wg.errors"
    assert line["correlation_id"] == line["request_id"] == request_id
    assert line["path"] == "countries.0.faultLookup" and line["operation"] == "Lookup"
    assert line["exception"].startswith("Traceback (most recent call last)")
    assert "KeyError" in line["exception"] and "fault_lookup" in line["exception"]


@pytest.mark.parametrize("fast_execution", [True, False], ids=["fast", "standard"])
async def test_each_internal_error_once(
    demo_db: str, make_client: ClientFactory, json_logs: Captured, fast_execution: bool
) -> None:
    client = _with_faults(make_client, demo_db, fast_execution=fast_execution)
    response = await _post(client, TWO_INTERNAL, {"x-request-id": "two-faults"})
    paths = sorted(".".join(map(str, e["path"])) for e in response.json()["errors"])
    assert paths == ["faults.bigInt", "faults.nanRequired"]
    lines = json_logs.lines()
    assert {line["level"] for line in lines} == {"error"}
    assert sorted(line["path"] for line in lines) == paths
    assert {line["correlation_id"] for line in lines} == {"two-faults"}


# --- request IDs ------------------------------------------------------------------------------


async def test_request_id_is_echoed_and_on_every_line_of_the_request(
    demo_db: str, make_client: ClientFactory, json_logs: Captured
) -> None:
    client = make_client(demo_db, access_log=True)
    response = await _post(client, BAD_CURSOR, {"x-request-id": "abc-123.x_Y"})
    assert response.headers["x-request-id"] == "abc-123.x_Y"
    lines = json_logs.lines()
    assert [line["event"] for line in lines] == ["client error", "request"]
    assert {line["request_id"] for line in lines} == {"abc-123.x_Y"}
    access = lines[-1]
    assert access["logger"] == "ogp_wg.access" and access["level"] == "info"
    assert (access["method"], access["path"], access["status"]) == ("POST", "/graphql", 200)
    assert access["operation"] == "Meetings"
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0

    # a request without one gets a new one, different each time
    first, second = (await _post(client, TOO_MANY), await _post(client, TOO_MANY))
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    for request_id in ids:
        _assert_generated(request_id)
        assert [line["event"] for line in json_logs.of(request_id)] == ["client error", "request"]
    assert ids[0] != ids[1]


@pytest.mark.parametrize(
    "given",
    ["x" * 65, "a\nb", "a\r\nX-Injected: 1", "two words", '"quoted"', "é", "id;drop", ""],
    ids=["too-long", "newline", "crlf", "space", "quote", "non-ascii", "semicolon", "empty"],
)
async def test_an_unsafe_request_id_is_replaced(
    demo_db: str, make_client: ClientFactory, json_logs: Captured, given: str
) -> None:
    app = make_client(demo_db, access_log=True).app
    # Raw ASGI: httpx would refuse to send a newline in a header; a hand-written client does not.
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/healthz",
        "raw_path": b"/healthz",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test"), (b"x-request-id", given.encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("test", 80),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    assert start["status"] == 200
    [request_id] = [v.decode() for k, v in start["headers"] if k == b"x-request-id"]
    _assert_generated(request_id)
    [line] = json_logs.lines()
    assert line["request_id"] == request_id and line["path"] == "/healthz"
    assert given not in json_logs.text() or not given


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.binary(max_size=80) | st.text(alphabet=sorted(ALLOWED), max_size=70))
def test_a_request_id_is_kept_exactly_when_it_is_a_short_plain_token(
    value: bytes | str,
) -> None:
    """Any header value: kept when it is 1 to 64 letters, digits, `.`, `_`, `-`; else a new
    32-hex-digit one, so a log line never carries a client's control character."""
    raw = value.encode() if isinstance(value, str) else value
    text = raw.decode("latin-1")
    plain = 0 < len(text) <= 64 and set(text) <= ALLOWED

    async def ok(_: Request) -> Response:
        return Response("ok")

    app = RequestContext(Starlette(routes=[Route("/", ok)]))

    async def run() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.get("/", headers=[(b"x-request-id", raw)])
        return response.headers["x-request-id"]

    import asyncio

    echoed = asyncio.run(run())
    if plain:
        assert echoed == text
    else:
        _assert_generated(echoed)


async def test_every_answer_carries_the_request_id(
    empty_db: str, make_client: ClientFactory, json_logs: Captured
) -> None:
    client = make_client(empty_db, access_log=True, max_body_bytes=1024)
    limited = make_client(empty_db, access_log=True, rate_limit_per_ip=1)
    json_body = {"content-type": "application/json"}
    cases: list[tuple[str, int, str, str, dict[str, Any]]] = [
        ("health", 200, "GET", "/healthz", {}),
        ("ready", 200, "GET", "/readyz", {}),
        ("bad-token", 401, "POST", "/graphql", {
            "json": {"query": "{ themes { key } }"},
            "headers": {"authorization": "Bearer ogpwg_nope"},
        }),
        ("too-large", 413, "POST", "/graphql", {
            "content": b'{"query": "' + b" " * 2048 + b'"}', "headers": json_body,
        }),
        ("not-json", 400, "POST", "/graphql", {"content": b"{nope", "headers": json_body}),
        ("get-mutation", 405, "GET", "/graphql", {"params": {"query": "mutation { x }"}}),
    ]  # fmt: skip
    for request_id, status, method, path, options in cases:
        headers = {**options.pop("headers", {}), "x-request-id": request_id}
        response = await client.http.request(method, path, headers=headers, **options)
        assert response.status_code == status, (request_id, response.text)
        assert response.headers["x-request-id"] == request_id
        [access] = [line for line in json_logs.of(request_id) if line["event"] == "request"]
        assert access["status"] == status
    statuses = []
    for _ in range(3):
        response = await limited.http.post(
            "/graphql", json={"query": "{ themes { key } }"}, headers={"x-request-id": "limited"}
        )
        assert response.headers["x-request-id"] == "limited"
        statuses.append(response.status_code)
    assert 429 in statuses
    access_lines = [line for line in json_logs.of("limited") if line["event"] == "request"]
    assert [line["status"] for line in access_lines] == statuses
    assert not [line for line in json_logs.lines() if line["level"] in ("error", "critical")]


async def test_readiness_probes_log_no_alembic_lines(
    empty_db: str, make_client: ClientFactory, json_logs: Captured
) -> None:
    """A probe every few seconds: its access line and nothing of Alembic's. Reading the applied
    revisions elsewhere (`ogp-wg db current`, an upgrade) still logs Alembic's INFO lines."""
    client = make_client(empty_db, access_log=True)
    for probe in ("probe-1", "probe-2"):
        response = await client.http.get("/readyz", headers={"x-request-id": probe})
        assert response.json() == {"status": "ready"}
    lines = json_logs.lines()
    assert [(line["event"], line["request_id"]) for line in lines] == [
        ("request", "probe-1"),
        ("request", "probe-2"),
    ]
    state = client.app.state.ogp
    await migration_status(state.db, state.plugins)  # the same read, outside a probe
    alembic = [line["event"] for line in json_logs.lines() if line["logger"].startswith("alembic")]
    assert alembic and alembic[0].startswith("Context impl")


async def test_an_unanswered_exception_is_a_500_logged_once(json_logs: Captured) -> None:
    async def broken(_: Request) -> Response:
        raise RuntimeError("a bug in a route")

    # Where create_app puts it: the first of the app's middleware, inside Starlette's own
    # ServerErrorMiddleware, which would answer a plain-text 500 and raise again (uvicorn then
    # logs the traceback a second time).
    middleware = [Middleware(RequestContext, access_log=True)]
    app = Starlette(routes=[Route("/broken", broken)], middleware=middleware)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/broken")
    request_id = response.headers["x-request-id"]
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "Internal server error",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "correlationId": request_id},
            }
        ]
    }
    error, access = json_logs.of(request_id)
    assert error["level"] == "error" and error["correlation_id"] == request_id
    assert "RuntimeError: a bug in a route" in error["exception"]
    assert (access["event"], access["status"]) == ("request", 500)
    assert len(json_logs.lines()) == 2


async def test_json_lines_of_every_logger(json_logs: Captured) -> None:
    """uvicorn's, SQLAlchemy's, structlog's and our own records: one JSON object per line."""
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").info("should not appear: ours replaces it")
    logging.getLogger("sqlalchemy.pool").warning("a pool message\nover two lines")
    structlog.get_logger("plugin").info("a plugin's event", items=3)
    lines = json_logs.lines()
    assert [(line["logger"], line["event"]) for line in lines] == [
        ("uvicorn.error", "Started server process [42]"),
        ("sqlalchemy.pool", "a pool message\nover two lines"),
        ("plugin", "a plugin's event"),
    ]
    assert lines[-1]["items"] == 3
    assert all(line["timestamp"].endswith("Z") for line in lines)
    assert len(json_logs.text().splitlines()) == 3  # the newline stayed inside its line


# --- a real server ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_real_server_writes_json_lines_with_request_ids(
    demo_db: str, tmp_path: Path, workers: int
) -> None:
    """`ogp-wg serve` (one process, and workers built by the app factory): every line on its
    stderr is a JSON object, uvicorn's own included; each request's lines carry its ID; one
    access line per request, none of uvicorn's."""
    with running_server(
        demo_db, tmp_path, workers=workers, log_format="json", access_log="true"
    ) as server:
        body = {"query": BAD_CURSOR, "operationName": "Meetings"}
        headers = {"x-request-id": f"live-{workers}"}
        response = httpx.post(server.graphql, json=body, headers=headers, timeout=30)
        assert response.headers["x-request-id"] == f"live-{workers}"
        assert server.terminate() == 0, server.output()
    lines = [json.loads(line) for line in server.output().splitlines()]
    assert all(isinstance(line, dict) and "level" in line for line in lines)
    ours = [line for line in lines if line.get("request_id") == f"live-{workers}"]
    assert [(line["event"], line["level"]) for line in ours] == [
        ("client error", "info"),
        ("request", "info"),
    ]
    assert ours[-1]["operation"] == "Meetings" and ours[-1]["status"] == 200
    health = [line for line in lines if line.get("path") == "/healthz"]
    assert health and all(len(line["request_id"]) == 32 for line in health)
    loggers = {line["logger"] for line in lines}
    assert "uvicorn.error" in loggers and "uvicorn.access" not in loggers
    assert any(line["event"].startswith("serving GraphQL on http://") for line in lines)
    assert not [line for line in lines if line["level"] in ("error", "critical")]
