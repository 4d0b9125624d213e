"""Issue 8, point 3, over a real `ogp-wg serve` process: every abuse case is refused in under a
second (the issue's bound: a refusal, not a benchmark) and the server is healthy right after."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson

from tests.live_server import live_server

NESTED_LEVEL = "meetings(first: 100) { nodes { group { %s } } }"


def _nested_meetings(levels: int) -> str:
    text = "slug"
    for _ in range(levels):
        text = NESTED_LEVEL % text
    return f"{{ workingGroups(first: 100) {{ nodes {{ {text} }} }} }}"


def _json(query: str, **extra: Any) -> bytes:
    return orjson.dumps({"query": query, **extra})


CASES: list[tuple[str, bytes, int, str]] = [
    # (what, request body, status, error code)
    (
        "20,000 aliases",
        _json("{ " + " ".join(f"a{i}: __typename" for i in range(20_000)) + " }"),
        200,
        "QUERY_TOO_LONG",
    ),
    (
        "1,200 aliases through a fragment spread twice",
        _json(
            "{ ...F ... on Query { ...F } } fragment F on Query { "
            + " ".join(f"a{i}: __typename" for i in range(600))
            + " }"
        ),
        200,
        "TOO_MANY_ALIASES",
    ),
    (
        "depth 200",
        _json("{ " + "meetings(first: 1) { nodes { group { " * 67 + "slug" + " } } }" * 67 + " }"),
        200,
        "QUERY_TOO_DEEP",
    ),
    ("300,000 tokens", _json("{ " + "x " * 300_000 + "}"), 200, "QUERY_TOO_LONG"),
    ("2,001 tokens", _json("{ " + "x " * 2_001 + "}"), 200, "TOO_MANY_TOKENS"),
    (
        "an 8 MiB body",
        _json("{ __typename }", variables={"x": "y" * (8 * 1024 * 1024)}),
        413,
        "PAYLOAD_TOO_LARGE",
    ),
    (
        "directive flooding",
        _json("{ __typename " + "@skip(if: false) " * 50_000 + "}"),
        200,
        "QUERY_TOO_LONG",
    ),
    (
        "51 directives",
        _json("{ __typename " + "@skip(if: false) " * 51 + "}"),
        200,
        "TOO_MANY_DIRECTIVES",
    ),
    (
        "a fragment cycle",
        _json("{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }"),
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "2**100 fragment paths",
        _json(
            "{ ...F0 } "
            + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(100))
            + " fragment F100 on Query { x: __typename }"
        ),
        200,
        "TOO_MANY_ALIASES",
    ),
    (
        "the nested meetings/groups query, 8 levels",
        _json(_nested_meetings(8)),
        200,
        "QUERY_TOO_DEEP",
    ),
    (
        "the nested meetings/groups query, 3 levels",
        _json(_nested_meetings(2)),
        200,
        "QUERY_TOO_COSTLY",
    ),
    (
        "first: 100000",
        _json("{ workingGroups(first: 100000) { nodes { slug } } }"),
        200,
        "INVALID_ARGUMENT",
    ),
    ("one field 1,000 times", _json("{ " + "__typename " * 1_000 + "}"), 200, "QUERY_TOO_COSTLY"),
    ("JSON nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, 400, "BAD_REQUEST"),
]

HEALTHY = _json("{ workingGroups(first: 2) { nodes { slug } } }")


def _post(http: httpx.Client, body: bytes) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = http.post("/graphql", content=body, headers={"content-type": "application/json"})
    return response, time.monotonic() - started


def test_every_abuse_case_is_refused_at_once_and_the_server_stays_healthy(demo_db: str) -> None:
    with live_server(demo_db) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        _post(http, HEALTHY)  # the first request warms the process up (imports, pool)
        for what, body, status, code in CASES:
            response, took = _post(http, body)
            assert response.status_code == status, (what, response.text[:500])
            answer = response.json()
            assert "data" not in answer, what
            assert [e["extensions"]["code"] for e in answer["errors"]] == [code], (what, answer)
            assert took < 1.0, f"{what}: refused after {took:.2f} s"
            assert http.get("/healthz").status_code == 200, what
            healthy, took = _post(http, HEALTHY)
            assert healthy.status_code == 200 and took < 1.0, (what, healthy.text)
            assert len(healthy.json()["data"]["workingGroups"]["nodes"]) == 2, what
        assert server.process.poll() is None
