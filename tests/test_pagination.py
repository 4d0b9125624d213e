"""Every connection of the schema pages completely, on both databases (issue 7, point 2).

Generic: the connections are found by introspecting the live schema over HTTP (core, the installed
plugins and tests/pagination_plugin.py, whose connections sort descending and in mixed
directions), so a new connection is covered without editing this file. For each one, root or
nested, with and without generated argument values, pages of 1, 2 and 3 items followed through
`pageInfo.endCursor` must give exactly the items of one big page (`first: 100`), in the same
order, with `hasNextPage` false exactly on the last page and `totalCount` the number of items over
all pages. Backwards too (`last`/`before`, issue 11): `last: 100` gives the items of `first: 100`,
and pages of 1, 2 and 3 followed through `pageInfo.startCursor` give them again, each page in the
forward order. Forged and ill-typed cursors must be refused with `INVALID_CURSOR` by every
connection.
The paging machinery is in tests/paging.py, the schema walking in tests/schema_walk.py.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.testing import ClientFactory, GraphQLClient, token_for
from tests.paging import PAGE, check, client_with_sorted_views, fetch_pages, walk
from tests.schema_walk import Target, introspect, targets


async def test_every_root_connection_pages_completely(
    demo_db: str, make_client: ClientFactory
) -> None:
    walked, problems = await walk(
        client_with_sorted_views(
            make_client, demo_db, await token_for(demo_db, "staff"), compiled_reads=False
        ),
        nested=False,
    )
    assert walked >= 19 and problems == []


async def test_every_root_connection_pages_completely_with_generated_filters(
    demo_db: str, make_client: ClientFactory
) -> None:
    walked, problems = await walk(
        client_with_sorted_views(
            make_client, demo_db, await token_for(demo_db, "staff"), compiled_reads=False
        ),
        nested=False,
        variants_under=1,
    )
    assert walked >= 70 and problems == []


async def test_every_nested_connection_pages_completely(
    demo_db: str, make_client: ClientFactory
) -> None:
    """Under every parent reached from a root field, by `node(id:)` or through the root path."""
    walked, problems = await walk(
        client_with_sorted_views(
            make_client, demo_db, await token_for(demo_db, "staff"), compiled_reads=False
        ),
        nested=True,
    )
    assert walked >= 60 and problems == []


async def test_every_nested_connection_pages_completely_with_generated_arguments(
    demo_db: str, make_client: ClientFactory
) -> None:
    walked, problems = await walk(
        client_with_sorted_views(
            make_client, demo_db, await token_for(demo_db, "staff"), compiled_reads=False
        ),
        nested=True,
        variants_under=3,
    )
    assert walked >= 50 and problems == []


@pytest.mark.parametrize(
    ("nested", "variants_under", "at_least"),
    [(False, 0, 19), (False, 1, 70), (True, 0, 60), (True, 3, 50)],
    ids=["root", "root-generated-filters", "nested", "nested-generated-arguments"],
)
async def test_every_connection_pages_completely_on_the_compiled_path(
    demo_db: str,
    make_client: ClientFactory,
    nested: bool,
    variants_under: int,
    at_least: int,
) -> None:
    """The same four walks with `compiled_reads` (issue 12, section 3): the connections whose
    field compiles page in SQL-built pages, the others fall back; either way every item once,
    in order, with generated filters and arguments too."""
    token = await token_for(demo_db, "staff")
    client = client_with_sorted_views(make_client, demo_db, token, compiled_reads=True)
    walked, problems = await walk(client, nested=nested, variants_under=variants_under)
    assert walked >= at_least and problems == []


# --- forged cursors ------------------------------------------------------------------------------

EXAMPLES = 20
"""Forged cursors tried per connection (about 30 connections: a few seconds each)."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _json(value: Any) -> str:
    return _b64(json.dumps(value).encode())


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
CONTAINERS = st.lists(SCALARS, max_size=2) | st.dictionaries(
    st.text(max_size=4), SCALARS, max_size=2
)
BY_JSON_TYPE = {
    type(None): st.none(),
    bool: st.booleans(),
    int: st.integers() | st.floats(),  # an integer key never comes as a float, and vice versa
    float: st.floats() | st.integers(),
    str: st.text(max_size=12),
}
BEYOND_64_BITS = st.integers(min_value=2**63) | st.integers(max_value=-(2**63) - 1)
"""Beyond any integer column (ids are 32-bit INTEGER: tested apart, as the key's type is unknown
here)."""
OUT_OF_RANGE_INSTANTS = st.sampled_from(["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])


def _other_type(value: Any) -> st.SearchStrategy[Any]:
    """JSON values that cannot stand where `value` stood: another JSON type, or beyond 64 bits
    for an integer, or a naive or overflowing instant for a timestamp with a UTC offset."""
    kind = type(value)
    options = [
        s for t, s in BY_JSON_TYPE.items() if t is not kind and not ({t, kind} <= {int, float})
    ] + [CONTAINERS]
    if kind is int:
        options += [BEYOND_64_BITS, st.floats()]
    if kind is str and _is_instant(value):
        naive = st.datetimes().map(lambda d: d.isoformat())
        options += [naive, OUT_OF_RANGE_INSTANTS]
    return st.one_of(options)


def _is_instant(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None and "T" in value
    except ValueError:
        return False


def forged_cursors(valid: str | None) -> st.SearchStrategy[str]:
    """Cursors no connection hands out; with one `valid` cursor of the connection, also that
    cursor truncated, one value longer or shorter, or with one value of the wrong type."""
    options = [
        st.text(max_size=40),  # mostly not base64 at all
        st.binary(max_size=48).map(_b64),  # base64 of anything
        (SCALARS | st.dictionaries(st.text(max_size=4), SCALARS, max_size=3)).map(_json),
        st.lists(st.none() | CONTAINERS, max_size=4).map(
            _json
        ),  # no sort key is null or a container
    ]
    if valid is not None:
        values = json.loads(base64.urlsafe_b64decode(valid + "=" * (-len(valid) % 4)))
        options += [
            st.integers(0, len(valid) - 1).map(lambda k: valid[:k]),
            SCALARS.map(lambda extra: _json([*values, extra])),
            st.just(_json(values[:-1])),
            st.integers(0, len(values) - 1).flatmap(
                lambda i: _other_type(values[i]).map(
                    lambda bad: _json([*values[:i], bad, *values[i + 1 :]])
                )
            ),
        ]
    return st.one_of(options)


@contextmanager
def _running(url: str) -> Iterator[tuple[Callable[[Any], Any], GraphQLClient]]:
    """A client and a `run(awaitable)` on an event loop of this test's own (Hypothesis drives
    the examples synchronously)."""
    loop = asyncio.new_event_loop()
    factory = ClientFactory()
    try:
        staff = loop.run_until_complete(token_for(url, "staff"))
        yield loop.run_until_complete, client_with_sorted_views(factory, url, staff)
    finally:
        loop.run_until_complete(factory.close())
        loop.close()


async def _codes(client: GraphQLClient, target: Target, cursor: str) -> list[str]:
    query = f"query($after: String) {{ {target.select('c', '2', '$after')} }}"
    response = await client.post(query, {"after": cursor})
    assert response.status_code == 200, response.text
    return [e.get("extensions", {}).get("code") for e in response.json().get("errors") or []]


def test_forged_cursors_are_invalid_cursor_on_every_connection(demo_db: str) -> None:
    """Random text, base64 of random bytes or of JSON that is not a list of sort keys, and a real
    cursor truncated, lengthened, shortened or with one value of another type or range: every
    connection (root, and nested under its fullest parent) answers `INVALID_CURSOR` alone."""
    with _running(demo_db) as (run, client):
        schema = run(introspect(client))
        root = run(targets(client, schema, PAGE, nested=False))
        nested = run(targets(client, schema, PAGE, nested=True))
        sizes = run(check(client, root + nested, follow=False))[0]
        fullest = {t.conn: t for t in sorted(nested, key=lambda t: sizes.get(t, 0))}
        pages = run(fetch_pages(client, [(t, 1, None) for t in [*root, *fullest.values()]]))
        assert len(pages) >= 25
        for target, page in zip([*root, *fullest.values()], pages, strict=True):
            assert not isinstance(page, str), page
            _refuses_forged(run, client, target, page["pageInfo"]["endCursor"])


def _refuses_forged(
    run: Callable[[Any], Any], client: GraphQLClient, target: Target, valid: str | None
) -> None:
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None)
    @given(cursor=forged_cursors(valid))
    def refused(cursor: str) -> None:
        codes = run(_codes(client, target, cursor))
        assert codes and set(codes) == {"INVALID_CURSOR"}, (target.label, codes)

    refused()


# --- what the generic walk cannot see ------------------------------------------------------------


async def test_nested_total_count_is_over_all_pages_from_one_grouped_count(
    demo_db: str, make_client: ClientFactory
) -> None:
    """`totalCount` under a list of parents: each parent's total, for ONE more statement (on
    the resolver path; the compiled one counts in its root field's statement)."""
    # staff: registrations are private (an anonymous caller's pages are empty)
    client = make_client(demo_db, debug=True, compiled_reads=False)
    client = client.with_token(await token_for(demo_db, "staff"))
    for outer, inner in (("workingGroups", "meetings"), ("meetings", "registrations")):
        shape = "{ %s(first: 100) { nodes { %s(first: %d) { %s nodes { id } } } } }"
        plain = await client.post(shape % (outer, inner, 1, ""))
        counted = await client.post(shape % (outer, inner, 1, "totalCount"))
        full = await client.execute(shape % (outer, inner, 100, ""))
        totals = [node[inner]["totalCount"] for node in counted.json()["data"][outer]["nodes"]]
        assert totals == [len(node[inner]["nodes"]) for node in full[outer]["nodes"]]
        assert max(totals) > 1  # so a page of one would not pass for the total
        statements = int(counted.headers["x-sql-statements"]) - int(
            plain.headers["x-sql-statements"]
        )
        assert statements == 1, (outer, inner)


async def test_descending_and_mixed_keys_order_the_pages(
    demo_db: str, make_client: ClientFactory
) -> None:
    """The test plugin's keys are honoured: latest first, and by kind then latest first."""
    client = client_with_sorted_views(make_client, demo_db)
    data = await client.execute(
        """{ latest: sortedMeetingsLatestFirst(first: 100) { nodes { kind startsAt meetingId } }
             byKind: sortedMeetingsByKind(first: 100) { nodes { kind startsAt meetingId } }
             sortedGroups { meetingsByKind(first: 100) { nodes { kind startsAt meetingId } } } }"""
    )

    def key(node: dict[str, Any]) -> tuple[str, float, int]:
        return node["kind"], datetime.fromisoformat(node["startsAt"]).timestamp(), node["meetingId"]

    latest = [key(n) for n in data["latest"]["nodes"]]
    assert len(latest) >= 20
    assert latest == sorted(latest, key=lambda k: (k[1], k[2]), reverse=True)
    lists = [data["byKind"]["nodes"], *(g["meetingsByKind"]["nodes"] for g in data["sortedGroups"])]
    assert sum(1 for nodes in lists if len({n["kind"] for n in nodes}) > 1) >= 2
    for nodes in lists:
        by_kind = [key(n) for n in nodes]
        assert by_kind == sorted(by_kind, key=lambda k: (k[0], -k[1], k[2]))


async def test_cursor_numbers_beyond_the_key_column_are_invalid_cursor(
    demo_db: str, make_client: ClientFactory
) -> None:
    """An id beyond the column (INTEGER: 32 bits, on both databases) or an instant without its
    UTC offset is refused, never sent to the database; the cursor's own values are accepted."""
    client = make_client(demo_db, debug=True)
    page = await client.execute("{ meetings(first: 1) { pageInfo { endCursor } } }")
    cursor = page["meetings"]["pageInfo"]["endCursor"]
    starts_at, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    query = "query($after: String) { meetings(first: 1, after: $after) { nodes { id } } }"

    async def codes(values: list[Any]) -> list[str]:
        body = (await client.post(query, {"after": _json(values)})).json()
        return [e["extensions"]["code"] for e in body.get("errors") or []]

    assert await codes([starts_at, pk]) == []
    assert await codes([starts_at, 2**31 - 1]) == []
    assert await codes([starts_at, -(2**31)]) == []
    assert await codes([starts_at, 2**31]) == ["INVALID_CURSOR"]
    assert await codes([starts_at, -(2**31) - 1]) == ["INVALID_CURSOR"]
    assert await codes([starts_at, 2**63]) == ["INVALID_CURSOR"]
    assert await codes([starts_at, True]) == ["INVALID_CURSOR"]
    assert await codes([starts_at[:19], pk]) == ["INVALID_CURSOR"]  # no offset
    assert await codes([starts_at[:10], pk]) == ["INVALID_CURSOR"]  # a date
    assert await codes(["9999-12-31T23:59:59-05:00", pk]) == ["INVALID_CURSOR"]


# --- backwards: what the walk does not ask (issue 11, point 4) -----------------------------------

WINDOW = """query($first: Int, $after: String, $last: Int, $before: String) {
  meetings(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


async def test_page_size_defaults_and_refusals(demo_db: str, make_client: ClientFactory) -> None:
    """Neither `first` nor `last` (or both null): the first 20. Both, or either outside 0..100:
    INVALID_ARGUMENT, whether written in the document or passed as variables."""
    client = make_client(demo_db, debug=True)
    everything = await client.execute(WINDOW, {"first": 100})
    ids = [edge["node"]["id"] for edge in everything["meetings"]["edges"]]
    assert len(ids) > 20
    for variables in ({}, {"first": None}, {"first": None, "last": None}):
        page = (await client.execute(WINDOW, variables))["meetings"]
        assert [edge["node"]["id"] for edge in page["edges"]] == ids[:20]
        assert page["pageInfo"]["hasNextPage"] and not page["pageInfo"]["hasPreviousPage"]
    refused = [
        {"first": 1, "last": 1},
        {"last": 101},
        {"last": -1},
        {"first": 101},
    ]
    for variables in refused:
        codes = [e["extensions"]["code"] for e in await client.errors(WINDOW, variables)]
        assert codes == ["INVALID_ARGUMENT"], variables
    for literal in ("first: 1, last: 1", "last: 101", "last: -1"):
        errors = await client.errors(f"{{ meetings({literal}) {{ nodes {{ id }} }} }}")
        assert [e["extensions"]["code"] for e in errors] == ["INVALID_ARGUMENT"], literal


async def test_after_and_before_together_bound_a_window(
    demo_db: str, make_client: ClientFactory
) -> None:
    """As the Relay specification's algorithm: both cursors cut the list, then `first` takes
    from its start or `last` from its end; the edges always in the connection's order."""
    client = make_client(demo_db, debug=True)
    edges = (await client.execute(WINDOW, {"first": 100}))["meetings"]["edges"]
    ids, cursors = [e["node"]["id"] for e in edges], [e["cursor"] for e in edges]
    window = {"after": cursors[2], "before": cursors[9]}
    for size, expected in ((100, ids[3:9]), (2, ids[3:5])):
        page = (await client.execute(WINDOW, window | {"first": size}))["meetings"]
        assert [e["node"]["id"] for e in page["edges"]] == expected
        assert page["pageInfo"]["hasNextPage"] is (size == 2)
        assert page["pageInfo"]["hasPreviousPage"] is True  # `after` was given
    for size, expected in ((100, ids[3:9]), (2, ids[7:9])):
        page = (await client.execute(WINDOW, window | {"last": size}))["meetings"]
        assert [e["node"]["id"] for e in page["edges"]] == expected
        assert page["pageInfo"]["hasPreviousPage"] is (size == 2)
        assert page["pageInfo"]["hasNextPage"] is True  # `before` was given
    # a cursor's own row is never on the page, in either direction
    back = (await client.execute(WINDOW, {"last": 100, "before": cursors[0]}))["meetings"]
    assert back["edges"] == [] and back["pageInfo"]["hasPreviousPage"] is False
