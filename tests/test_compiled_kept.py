"""Kept operations (core.compiled.kept): a query the compiled path answered from kept statements
is answered again, for the same request, without execution; byte for byte as before, counted in
the metrics under its name, re-reading the clock, charged by the rate limiter, and per viewer,
language and variable values. Both databases. (Every generated document of the differential
tests is asked of the compiled path again too: tests/executors.py `Trio.answers`.)"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson

from core.compiled.kept import kept_operations
from core.testing import ClientFactory, GraphQLClient
from tests.test_meetings_length import _insert_meetings
from tests.test_metrics import requests_of, scrape

GROUP = """query GroupPage($slug: String!) {
  workingGroup(slug: $slug) { name anchors { role organization { name } }
    meetings(first: 5) { totalCount nodes { id title remainingPlaces } } }
}"""
UPCOMING = """query Upcoming($slug: String!) {
  workingGroup(slug: $slug) { meetings(filter: {upcoming: true}, first: 100) { nodes { title } } }
}"""
ANCHORS = """query Anchors($slug: String!) {
  workingGroup(slug: $slug) { slug anchors { role organization { name country { code } } } }
}"""


def answered(client: GraphQLClient) -> int:
    """Requests the client's app answered from kept statements so far."""
    kept = kept_operations(client.app.state.ogp)
    assert kept is not None
    return kept.answered


async def test_a_kept_query_answers_as_the_whole_way_did(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """Sent four times: built, re-bound and kept, then twice answered from kept statements;
    the same body, status, `extensions.cost` and statements every time, counted in the metrics
    under its name each time. Another viewer, language or value is not served a kept answer."""
    client = make_client(demo_db, compiled_reads=True, debug=True)
    body = {"query": GROUP, "variables": {"slug": "open-data"}, "operationName": "GroupPage"}
    first = await client.http.post("/graphql", json=body)
    assert first.status_code == 200 and "errors" not in first.json(), first.text
    assert first.json()["extensions"]["cost"]["requestedNodes"] > 0
    for _ in range(3):
        again = await client.http.post("/graphql", json=body)
        assert (again.status_code, again.text) == (200, first.text)
        assert again.headers["x-sql-statements"] == "1"
    assert answered(client) == 2
    assert requests_of(await scrape(client))[("GroupPage", "query", "ok")] == 4

    # a kept answer is its own request's: not another value's, viewer's or language's
    fiscal = {**body, "variables": {"slug": "fiscal-openness"}}
    other = (await client.http.post("/graphql", json=fiscal)).json()
    assert other["data"]["workingGroup"]["name"] != first.json()["data"]["workingGroup"]["name"]
    # (no translated text: with a language chosen, that falls back to the resolver path)
    anchors = {"query": ANCHORS, "variables": {"slug": "open-data"}}
    staff = client.with_token(role_tokens["staff"])
    for asking in (client, staff):
        for language in ("es", "fr"):
            headers = {"accept-language": language}
            reference = None
            for _ in range(3):
                response = await asking.http.post("/graphql", json=anchors, headers=headers)
                assert response.status_code == 200 and "errors" not in response.json()
                reference = reference or response.text
                assert response.text == reference
    assert answered(client) == 2 + 2 * 2  # once each per viewer and language: the third time


async def test_a_kept_query_reads_the_clock_each_time(
    demo_db: str, make_client: ClientFactory
) -> None:
    """A kept answer's statement reads the clock when it runs (`Bound.now`): a meeting that
    ends between two kept answers is upcoming in the first and not in the next."""
    client = make_client(demo_db, compiled_reads=True)

    async def titles() -> list[str]:
        data = await client.execute(UPCOMING, {"slug": "open-data"})
        return [m["title"] for m in data["workingGroup"]["meetings"]["nodes"]]

    await titles()  # built
    ends = datetime.now(UTC) + timedelta(seconds=3)
    await _insert_meetings(demo_db, ("Ends in three seconds", ends - timedelta(hours=1), ends))
    for _ in range(2):  # re-bound and kept, then answered from what was kept
        assert "Ends in three seconds" in await titles()
    assert answered(client) == 1
    await asyncio.sleep(max(0.0, (ends - datetime.now(UTC)).total_seconds() + 0.2))
    assert "Ends in three seconds" not in await titles()
    assert answered(client) == 2


async def test_a_kept_query_in_a_batch_is_charged_as_an_operation(
    demo_db: str, make_client: ClientFactory
) -> None:
    """With rate limits, each operation of a batch past the first is charged (core.ratelimit),
    a kept one too: 5 points a minute; two single requests (built, then kept: 2 points), a batch
    of two kept queries (its request and its second operation: 4), and another such batch whose
    second operation does not fit (RATE_LIMITED, 429). The same statuses and bodies as the
    resolver path's, which keeps nothing."""
    query = "{ workingGroups(first: 2) { nodes { slug } } }"
    batch = [{"query": query}, {"query": query}]

    async def run(client: GraphQLClient) -> list[tuple[int, str]]:
        answers = [await client.http.post("/graphql", json={"query": query}) for _ in range(2)]
        answers += [await client.http.post("/graphql", json=batch) for _ in range(2)]
        return [(answer.status_code, answer.text) for answer in answers]

    options = {"batching": True, "rate_limits": True, "rate_limit_per_ip": 5}
    compiled = make_client(demo_db, compiled_reads=True, **options)
    resolver = make_client(demo_db, compiled_reads=False, **options)
    answers = await run(compiled)
    assert answers == await run(resolver)
    assert answered(compiled) == 4  # both batches' operations, the refused one too
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    first, second = orjson.loads(answers[-1][1])
    assert "data" in first
    assert second["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
