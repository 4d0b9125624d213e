"""Prometheus metrics at /metrics (issue 11 point 2), read as Prometheus reads them: requests by
operation and outcome, latency histograms, errors by code, SQL per request, the pool, build info.

Every test runs on both databases. The exposition is parsed with prometheus-client's own parser.
Several workers (`ogp-wg serve --workers 2`): tests/test_metrics_workers.py.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

import core
from core.observability.metrics import LATENCY_BUCKETS
from core.observability.operations import OperationNames
from core.testing import ClientFactory, GraphQLClient
from tests import faults_plugin

GROUP_NAMES = "query GroupNames { workingGroups(first: 3) { edges { node { id name } } } }"
TOO_MANY = "query TooMany($n: Int) { workingGroups(first: $n) { edges { node { id } } } }"
RENAME = """mutation RenameGroup($input: WorkingGroupUpdateInput!) {
  workingGroupUpdate(input: $input) { workingGroup { id name } userErrors { code } }
}"""
GROUP_ID = 'query GroupId { workingGroup(slug: "open-data") { id } }'
NOT_A_CURSOR = "bm90IGEgY3Vyc29y"  # base64 of "not a cursor"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(client: GraphQLClient, **headers: str) -> Samples:
    """Every sample of /metrics: (name, sorted labels) -> value."""
    response = await client.http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


def labelled(samples: Samples, name: str) -> list[dict[str, str]]:
    return [dict(labels) for (found, labels) in samples if found == name]


def requests_of(samples: Samples) -> dict[tuple[str, str, str], float]:
    return {
        (labels["operation"], labels["type"], labels["outcome"]): v
        for (name, pairs), v in samples.items()
        if name == "ogp_wg_graphql_requests_total"
        for labels in [dict(pairs)]
    }


async def test_requests_errors_latency_sql_pool_and_build_info(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    client = make_client(demo_db)
    for _ in range(2):
        await client.execute(GROUP_NAMES)
    # a client's mistake: a page too large (a valid operation, refused before execution)
    (error,) = await client.errors(TOO_MANY, {"n": 500})
    assert error["extensions"]["code"] == "INVALID_ARGUMENT"
    group = (await client.execute(GROUP_ID))["workingGroup"]["id"]
    staff = role_tokens["staff"]
    renamed = await client.execute(
        RENAME, {"input": {"id": group, "name": "Open Data (renamed)"}}, token=staff
    )
    assert renamed["workingGroupUpdate"]["userErrors"] == []
    # refused before any GraphQL runs (the authentication middleware): 401, no operation known
    response = await client.http.post(
        "/graphql", json={"query": GROUP_NAMES}, headers={"authorization": "Bearer nope"}
    )
    assert response.status_code == 401

    samples = await scrape(client)
    assert requests_of(samples) == {
        ("GroupNames", "query", "ok"): 2,
        ("TooMany", "query", "client_error"): 1,
        ("GroupId", "query", "ok"): 1,
        ("RenameGroup", "mutation", "ok"): 1,
        ("unknown", "unknown", "client_error"): 1,  # refused before its document was read
    }
    errors = {labels["code"]: v for labels, v in _by_labels(samples, "ogp_wg_graphql_errors_total")}
    assert errors == {"INVALID_ARGUMENT": 1, "UNAUTHENTICATED": 1}

    # latency: a histogram per operation, with the documented buckets
    duration = "ogp_wg_graphql_request_duration_seconds"
    names = {"operation": "GroupNames", "type": "query"}
    assert value(samples, f"{duration}_count", **names) == 2
    assert value(samples, f"{duration}_sum", **names) > 0
    buckets = {
        float(labels["le"]): v
        for labels, v in _by_labels(samples, f"{duration}_bucket")
        if labels["operation"] == "GroupNames"
    }
    assert sorted(buckets) == [*LATENCY_BUCKETS, float("inf")]
    counts = [buckets[le] for le in sorted(buckets)]
    assert counts == sorted(counts) and counts[-1] == 2  # cumulative, +Inf = count

    # SQL: the compiled path runs one statement per root field; a mutation runs several
    statements = "ogp_wg_graphql_request_sql_statements"
    assert value(samples, f"{statements}_count", **names) == 2
    assert value(samples, f"{statements}_sum", **names) == 2  # built, then run by the driver
    rename = {"operation": "RenameGroup", "type": "mutation"}
    assert value(samples, f"{statements}_sum", **rename) > 1  # token, access, write, read back
    assert value(samples, "ogp_wg_graphql_request_sql_seconds_sum", **names) > 0
    refused = {"operation": "TooMany", "type": "query"}
    assert value(samples, f"{statements}_sum", **refused) == 0  # refused before execution

    # the pool: its size, and nothing in use between requests
    pool = client.app.state.ogp.db.engine.pool
    assert value(samples, "ogp_wg_db_pool_size") == pool.size()
    assert value(samples, "ogp_wg_db_pool_checked_out") == 0
    assert value(samples, "ogp_wg_subscriptions_open") == 0  # the schema has no subscriptions

    # build info: the version and the enabled plugins with theirs (as `ogp-wg plugins list`)
    plugins = client.app.state.ogp.plugins
    (build,) = labelled(samples, "ogp_wg_build_info")
    assert build["version"] == core.__version__
    assert build["plugins"] == ",".join(sorted(plugins.enabled))
    shown = {
        labels["plugin"]: (labels["version"], labels["source"])
        for labels in labelled(samples, "ogp_wg_plugin_info")
    }
    assert shown == {
        key: (plugins.themes[key].version, plugins.installed[key].source) for key in plugins.enabled
    }


def _by_labels(samples: Samples, name: str) -> Iterable[tuple[dict[str, str], float]]:
    return [(dict(labels), v) for (found, labels), v in samples.items() if found == name]


async def test_pool_gauge_counts_connections_in_use(
    empty_db: str, make_client: ClientFactory
) -> None:
    client = make_client(empty_db)
    db = client.app.state.ogp.db
    async with db.read(), db.read():
        assert value(await scrape(client), "ogp_wg_db_pool_checked_out") == 2
    assert value(await scrape(client), "ogp_wg_db_pool_checked_out") == 0


async def test_metrics_is_neither_counted_nor_rate_limited(
    empty_db: str, make_client: ClientFactory
) -> None:
    client = make_client(empty_db, rate_limit_per_ip=2)
    for _ in range(3):
        response = await client.post(GROUP_NAMES)
    assert response.status_code == 429  # the third /graphql request is over the limit
    for _ in range(5):  # /metrics is never limited, and never counted
        samples = await scrape(client)
    assert requests_of(samples) == {
        ("GroupNames", "query", "ok"): 2,
        ("unknown", "unknown", "client_error"): 1,  # refused before its document was read
    }
    errors = {labels["code"]: v for labels, v in _by_labels(samples, "ogp_wg_graphql_errors_total")}
    assert errors == {"RATE_LIMITED": 1}


async def test_server_errors_and_openmetrics(demo_db: str, make_client: ClientFactory) -> None:
    client = make_client(demo_db, execution_timeout=0.000001)  # every operation times out
    response = await client.post(GROUP_NAMES)
    assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
    samples = await scrape(client)
    assert requests_of(samples) == {("GroupNames", "query", "server_error"): 1}
    # the scraper may ask for OpenMetrics (what prometheus-client's encoder offers)
    response = await client.http.get(
        "/metrics", headers={"accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


async def test_metrics_allow_restricts_the_endpoint(
    empty_db: str, make_client: ClientFactory
) -> None:
    # httpx's ASGI transport connects from 127.0.0.1
    refused = make_client(empty_db, metrics_allow="10.0.0.0/8, ::1")
    response = await refused.http.get("/metrics")
    assert response.status_code == 403
    allowed = make_client(empty_db, metrics_allow=["10.0.0.0/8", "127.0.0.0/8"])
    assert (await allowed.http.get("/metrics")).status_code == 200


async def test_metrics_off(empty_db: str, make_client: ClientFactory) -> None:
    client = make_client(empty_db, metrics=False)
    assert (await client.http.get("/metrics")).status_code == 404
    assert client.app.state.metrics is None
    assert OperationNames not in client.app.state.ogp.schema.extensions
    await client.execute(GROUP_NAMES)  # and GraphQL works as before


async def test_the_operation_label_is_the_name_the_request_gives_whatever_became_of_it(
    demo_db: str, make_client: ClientFactory
) -> None:
    """Refused by a limit before it was parsed, refused by validation, failed while executing:
    a named operation is counted under its name, with the outcome saying what became of it."""
    client = make_client(demo_db, installed=faults_plugin.installed_with_faults(), max_depth=4)
    big = "query BigPage { workingGroups(first: 500) { totalCount } }"  # a literal: the limits
    (error,) = await client.errors(big)
    assert error["extensions"]["code"] == "INVALID_ARGUMENT"
    deep = "query Deep { workingGroups(first: 1) { edges { node { meetings(first: 1) { nodes {"
    (error,) = await client.errors(deep + " id } } } } } }")
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    (error,) = await client.errors("query Typo { workingGroupz { id } }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    (error,) = await client.errors("query Unclosed { themes { key }")  # a syntax error after it
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    cursor = f'query Paged {{ workingGroups(first: 1, after: "{NOT_A_CURSOR}") {{ totalCount }} }}'
    (error,) = await client.errors(cursor)  # valid; fails while executing
    assert error["extensions"]["code"] == "INVALID_CURSOR"
    lookup = "query Lookup { countries(first: 1) { code faultLookup } }"
    response = await client.post(lookup)  # valid; an internal error in a resolver
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    # the name given by operationName, for a document that is refused before it is parsed
    response = await client.http.post(
        "/graphql",
        json={"query": f"query First {{ __typename }} {big}", "operationName": "BigPage"},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"
    await client.execute("{ themes { key } }")

    samples = await scrape(client)
    assert requests_of(samples) == {
        ("BigPage", "query", "client_error"): 1,
        ("BigPage", "unknown", "client_error"): 1,  # not the document's first operation
        ("Deep", "query", "client_error"): 1,
        ("Typo", "query", "client_error"): 1,
        ("Unclosed", "query", "client_error"): 1,
        ("Paged", "query", "client_error"): 1,
        ("Lookup", "query", "server_error"): 1,
        ("anonymous", "query", "ok"): 1,
    }


async def test_the_issue_example_is_counted_under_its_name_with_its_error_code(
    demo_db: str, make_client: ClientFactory
) -> None:
    """Issue 11's example: a literal `first: 500` refused before execution is counted under the
    operation's name, as a client error, and its error code is counted."""
    client = make_client(demo_db)
    big = "query Big { workingGroups(first: 500) { edges { node { id name } } } }"
    (error,) = await client.errors(big)
    assert error["extensions"]["code"] == "INVALID_ARGUMENT"
    samples = await scrape(client)
    assert requests_of(samples) == {("Big", "query", "client_error"): 1}
    errors = {labels["code"]: v for labels, v in _by_labels(samples, "ogp_wg_graphql_errors_total")}
    assert errors == {"INVALID_ARGUMENT": 1}
    duration = {"operation": "Big", "type": "query"}
    assert value(samples, "ogp_wg_graphql_request_duration_seconds_count", **duration) == 1


async def test_execution_errors_keep_the_name_and_only_unreadable_documents_are_unknown(
    demo_db: str, make_client: ClientFactory
) -> None:
    """With room for one name, the first a worker sees keeps its label although its request
    failed while executing (it is not `other`, and a later valid name is); an unnamed operation is
    `anonymous`, whatever became of it; `unknown` is a document whose operation cannot be read."""
    client = make_client(demo_db, metrics_operation_names=1)
    cursor = f'query Paged {{ workingGroups(first: 1, after: "{NOT_A_CURSOR}") {{ totalCount }} }}'
    for _ in range(2):
        (error,) = await client.errors(cursor)  # valid; fails while executing
        assert error["extensions"]["code"] == "INVALID_CURSOR"
    await client.execute(GROUP_NAMES)  # valid and answered, but the one name is taken
    (error,) = await client.errors(cursor.replace("query Paged ", ""))  # anonymous, failing
    assert error["extensions"]["code"] == "INVALID_CURSOR"
    await client.execute("query { themes { key } }")
    for unreadable in ("{ themes { key }", "}{", "query Paged", '"unterminated'):
        (error,) = await client.errors(unreadable)
        assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED", unreadable
    response = await client.http.post("/graphql", json={"variables": {}})  # no document
    assert response.status_code == 400 or "errors" in response.json()

    samples = await scrape(client)
    assert requests_of(samples) == {
        ("Paged", "query", "client_error"): 3,  # and `query Paged`: its text names it
        ("other", "query", "ok"): 1,
        ("anonymous", "query", "client_error"): 2,  # the failing one and `{ themes { key }`
        ("anonymous", "query", "ok"): 1,
        ("unknown", "unknown", "client_error"): 3,  # `}{`, `"unterminated`, no document
    }
    errors = {labels["code"]: v for labels, v in _by_labels(samples, "ogp_wg_graphql_errors_total")}
    assert errors["INVALID_CURSOR"] == 3 and errors["GRAPHQL_PARSE_FAILED"] == 4


async def test_the_graphiql_page_is_not_a_graphql_request(
    empty_db: str, make_client: ClientFactory
) -> None:
    for graphiql in (True, False):
        client = make_client(empty_db, graphiql=graphiql)
        for accept in ("text/html,application/xhtml+xml", "*/*"):  # a browser's, curl's
            page = await client.http.get("/graphql", headers={"accept": accept})
            assert page.status_code == (200 if graphiql else 404)
            if graphiql:
                assert page.headers["content-type"].startswith("text/html")
        response = await client.http.get("/graphql", params={"query": "query Q { __typename }"})
        assert response.json()["data"] == {"__typename": "Query"}
        assert requests_of(await scrape(client)) == {("Q", "query", "ok"): 1}


NAMES = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,20}", fullmatch=True)
KINDS: dict[str, tuple[str, str]] = {  # a document with {name}, and the outcome it has
    "ok": ("query {name} {{ __typename }}", "ok"),
    "invalid": ("query {name} {{ noSuchField }}", "client_error"),
    "page": ("query {name} {{ workingGroups(first: 500) {{ totalCount }} }}", "client_error"),
    "deep": (  # 4 fields deep; the test's max_depth is 3
        "query {name} {{ workingGroups(first: 1) {{ edges {{ node {{ id }} }} }} }}",
        "client_error",
    ),
    "syntax": ("query {name} {{ __typename", "client_error"),
    "cursor": (
        f'query {{name}} {{{{ workingGroups(first: 1, after: "{NOT_A_CURSOR}") '
        "{{{{ totalCount }}}} }}}}",
        "client_error",
    ),
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batches=st.lists(st.lists(st.tuples(NAMES, st.sampled_from(sorted(KINDS))), max_size=6)))
def test_operation_labels_are_the_names_sent_up_to_the_cap(
    empty_db: str, make_client: ClientFactory, batches: list[list[tuple[str, str]]]
) -> None:
    """Whatever Name a client gives its operation, and whether the request is answered or
    refused (validation, a limit, a syntax error, a failure while executing), it is counted
    under that name, as long as fewer than `metrics_operation_names` other names are taken on
    this worker (the first ones seen), else under `other`; unnamed ones under `anonymous`."""
    cap = 3
    loop = asyncio.new_event_loop()
    client = make_client(empty_db, metrics_operation_names=cap, max_depth=3)
    expected: Counter[tuple[str, str, str]] = Counter()
    admitted: list[str] = []

    async def run() -> Samples:
        for batch in batches:
            for name, kind in batch:
                template, result = KINDS[kind]
                response = await client.post(template.format(name=name))
                assert ("errors" in response.json()) == (result == "client_error")
                if name not in admitted and len(admitted) < cap:
                    admitted.append(name)
                label = name if name in admitted else "other"
                expected[(label, "query", result)] += 1
            await client.post("{ __typename }")
            expected[("anonymous", "query", "ok")] += 1
        return await scrape(client)

    try:
        samples = loop.run_until_complete(run())
        loop.run_until_complete(client.app.state.ogp.db.dispose())
    finally:
        loop.close()
    assert requests_of(samples) == dict(expected)
