"""The compiled read path (core.compiled) answers byte for byte what the resolver path answers.

Three executors over the same database: graphql-core's standard one, the fast resolver path
(core.execution) and the compiled path (`compiled_reads = true`), for generated queries over
the whole schema and for the benchmark's read pages, as anonymous, a signed-in member and staff
(row rules differ). Also: the bench mix's compilable pages take exactly one SQL statement per
compiled root field, argument errors answer as on the resolver path, `ogp-wg explain` prints the
plan.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.compiled.declare import COMPILED_ROOT
from core.loading import STRAWBERRY
from tests.executors import VIEWERS, Trio, aliased, documents

EXAMPLES = 150
QUERIES = Path(__file__).parent.parent / "bench" / "queries"
SLUG = "fiscal-openness"

GROUP_LIST = (QUERIES / "group_list.graphql").read_text()
COMPILED_PAGES = {
    "group_list": (GROUP_LIST, {}),
    "group_header": (
        "query ($slug: String!) { workingGroup(slug: $slug) { __typename id name slug theme "
        "status memberCount anchors { id role organization { id name kind country { code "
        "name } } } } }",
        {"slug": "fiscal-openness"},
    ),
    "filtered": (
        "query ($f: WorkingGroupFilter) { workingGroups(filter: $f, first: 3) { totalCount "
        "pageInfo { hasNextPage hasPreviousPage __typename } nodes { __typename id name "
        "... on WorkingGroup { slug } } } }",
        {"f": {"status": ["ACTIVE", "PILOT"]}},
    ),
    "dates": (
        "{ workingGroups(first: 100) { nodes { createdAt updatedAt anchors { since } "
        "members { joinedAt } } } }",
        {},
    ),
    "countries": (  # a root list, not a connection: its region chosen by a variable
        "query ($r: String) { countries(region: $r, first: 4) { code name organizations(first: "
        "2) { name } } }",
        {"r": "Europe"},
    ),
    "country_groups": (  # groups through a link, each of its theme's type
        '{ country(code: "CL") { workingGroups(first: 2) { __typename name } organizations { '
        "name workingGroups { __typename slug ... on FiscalOpennessGroup { surveyRounds } } } } }",
        {},
    ),
}
"""Read pages that compile whole: the bench mix's group list, and more shapes of the same roots."""


@pytest.mark.parametrize("role", VIEWERS)
def test_compiled_pages_answer_the_same_in_one_statement_each(trio: Trio, role: str | None) -> None:
    for name, (document, variables) in COMPILED_PAGES.items():
        compiled = trio.compare(document, variables, role)
        body = compiled.json()
        assert "errors" not in body, (name, body)
        assert body["data"] and all(v is not None for v in body["data"].values()), name
        # one statement per compiled root field, whatever the lists' lengths (auth aside:
        # a signed-in viewer's token is checked with statements of its own)
        _, fast, _ = trio.answers(document, variables, None)[:3]
        if role is None:
            assert compiled.headers["x-sql-statements"] == "1", name
            assert int(fast.headers["x-sql-statements"]) > 1, name


def test_lists_keep_their_order_with_rows_stored_out_of_order(trio: Trio, demo_db: str) -> None:
    """A list's order comes from SQL, not from the order the rows happen to be stored or read
    in: memberships inserted with their `joinedAt` (the list's order) shuffled against their
    ids, half of them at the same instant (the id decides), come back in order."""
    from sqlalchemy import insert, select

    from core.db import Database
    from core.enums import MembershipRole, OrganizationKind
    from core.groups.models import Membership, WorkingGroup
    from core.people.models import Organization

    rnd = Random(12)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    moments = [
        base + timedelta(hours=rnd.randrange(40), microseconds=rnd.choice([0, 5]))
        for _ in range(80)
    ]

    async def insert_rows() -> None:
        db = Database(demo_db)
        try:
            async with db.write() as conn:
                group = (
                    await conn.execute(select(WorkingGroup.id).where(WorkingGroup.slug == SLUG))
                ).scalar_one()
                for i, moment in enumerate(moments):
                    org = (
                        await conn.execute(
                            insert(Organization)
                            .values(name=f"Org {i:03}", kind=OrganizationKind.CIVIL_SOCIETY)
                            .returning(Organization.id)
                        )
                    ).scalar_one()
                    await conn.execute(
                        insert(Membership).values(
                            group_id=group,
                            organization_id=org,
                            role=MembershipRole.MEMBER,
                            joined_at=moment,
                        )
                    )
        finally:
            await db.dispose()

    trio.loop.run_until_complete(insert_rows())
    document = (
        "query ($slug: String!) { workingGroup(slug: $slug) { members { joinedAt "
        "organization { name } } } }"
    )
    for role in VIEWERS:
        members = trio.compare(document, {"slug": SLUG}, role).json()["data"]["workingGroup"]
        listed = [m["joinedAt"] for m in members["members"]]
        assert len(listed) >= len(moments) and listed == sorted(listed)
    (plan,) = trio.plans(document, {"slug": SLUG})
    assert plan.statement is not None, plan.reason


def test_a_root_connection_walked_by_cursor_compiles_page_after_page(trio: Trio) -> None:
    """`edges { cursor node }`, `pageInfo`'s cursors and `after` compile: the cursors built in
    SQL are core.schema.cursors' own (the resolver path takes them back, and hands out the same)."""
    document = (
        "query ($after: String) { workingGroups(first: 2, after: $after) { totalCount "
        "edges { cursor __typename node { id name } } pageInfo { hasNextPage hasPreviousPage "
        "startCursor endCursor } } }"
    )
    for role in VIEWERS:
        after, seen = None, []
        while True:
            variables = {"after": after}
            body = trio.compare(document, variables, role).json()["data"]["workingGroups"]
            (plan,) = trio.plans(document, variables)
            assert plan.statement is not None, plan.reason
            seen += [edge["node"]["name"] for edge in body["edges"]]
            info = body["pageInfo"]
            assert info["hasPreviousPage"] is (after is not None)
            if not info["hasNextPage"]:
                break
            assert info["endCursor"] == body["edges"][-1]["cursor"]
            after = info["endCursor"]
        assert len(seen) == body["totalCount"] > 2


def test_a_connection_walked_backwards_compiles_page_after_page(trio: Trio) -> None:
    """`last`/`before` compile, on a root connection and a nested one (a group's decisions,
    paged per group): pages of 2 from the end back to the start, each in the connection's
    order, `hasPreviousPage` false exactly on the first; then the page between two cursors
    (`after` and `before` together), forwards and backwards. Each the same three ways."""
    root = (
        "query ($before: String, $after: String, $last: Int, $first: Int) { workingGroups("
        "last: $last, before: $before, after: $after, first: $first) { totalCount edges { "
        "cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor "
        "} } }"
    )
    nested = (
        "query ($before: String, $after: String, $last: Int, $first: Int) { workingGroups("
        "first: 10) { nodes { meetings(last: $last, before: $before, after: $after, first: "
        "$first) { totalCount nodes { title } edges { cursor } pageInfo { hasNextPage "
        "hasPreviousPage startCursor endCursor } } } } }"
    )

    def page(document: str, variables: dict[str, Any], role: str | None) -> dict[str, Any]:
        body = trio.compare(document, variables, role).json()["data"]["workingGroups"]
        (plan,) = trio.plans(document, variables)
        assert plan.statement is not None, plan.reason
        return (
            body
            if document is root
            else max((n["meetings"] for n in body["nodes"]), key=lambda m: m["totalCount"])
        )

    for document in (root, nested):
        for role in VIEWERS:
            before, cursors = None, []
            while True:
                body = page(document, {"last": 2, "before": before}, role)
                info = body["pageInfo"]
                assert info["hasNextPage"] is (before is not None)
                cursors = [edge["cursor"] for edge in body["edges"]] + cursors
                if not info["hasPreviousPage"]:
                    break
                assert info["startCursor"] == body["edges"][0]["cursor"]
                before = info["startCursor"]
            assert len(cursors) == body["totalCount"] > 3
            between = {"after": cursors[0], "before": cursors[-1]}
            expected = {100: cursors[1:-1], 1: cursors[-2:-1]}  # (a root refuses `last: 0`)
            for size in ({"first": 100}, {"last": 100}, {"last": 1}):
                inside = page(document, between | size, role)
                want = expected[size.get("last", 100)]
                assert [edge["cursor"] for edge in inside["edges"]] == want


@pytest.mark.parametrize("role", VIEWERS)
def test_the_bench_read_pages_compile_whole(trio: Trio, role: str | None) -> None:
    """Every read page of bench/queries: the same answer three ways, and ONE statement (the
    compiled root field's) for an anonymous viewer, whatever the lists' lengths."""
    found = trio.compare(
        "query ($slug: String!) { workingGroup(slug: $slug) { meetings(first: 100) { nodes "
        "{ id registrations(first: 1) { totalCount } } } } }",
        {"slug": SLUG},
        "staff",
    ).json()["data"]["workingGroup"]["meetings"]["nodes"]
    busiest = max(found, key=lambda m: m["registrations"]["totalCount"])
    pages = {
        name: (QUERIES / f"{name}.graphql").read_text()
        for name in ("group_list", "group_page", "meeting_page", "country_page")
    }
    variables = {
        "group_page": {"slug": SLUG},
        "meeting_page": {"id": busiest["id"]},
        "country_page": {"code": "MX"},  # a demo country with rows in every plugin
    }
    for name, document in pages.items():
        compiled = trio.compare(document, variables.get(name), role)
        body = compiled.json()
        assert "errors" not in body and all(body["data"].values()), (name, body)
        (plan,) = trio.plans(document, variables.get(name))
        assert plan.statement is not None, (name, plan.reason)
        if role is None:
            assert compiled.headers["x-sql-statements"] == "1", name


def test_the_group_list_has_data(trio: Trio) -> None:
    body = trio.compare(GROUP_LIST).json()
    nodes = body["data"]["workingGroups"]["nodes"]
    assert nodes and any(n["anchors"] for n in nodes)
    assert any(a["organization"]["country"] for n in nodes for a in n["anchors"])


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        ("{ workingGroups(first: 500) { nodes { name } } }", None),
        ("{ workingGroups(first: -1) { totalCount } }", None),
        ('{ workingGroups(after: "bogus") { nodes { name } } }', None),
        ("query ($n: Int) { workingGroups(first: $n) { nodes { id } } }", {"n": 101}),
        ("{ workingGroups(first: 2, last: 2) { nodes { id } } }", None),
        ('{ workingGroups(filter: {country: "??"}) { nodes { id } } }', None),
        ('{ workingGroup(slug: "no-such-group") { id name } }', None),
        ("{ a: workingGroups(first: 1) { nodes { name } } b: themes { key } }", None),
    ],
)
def test_argument_errors_and_mixed_roots_answer_the_same(
    trio: Trio, document: str, variables: dict[str, Any] | None
) -> None:
    trio.compare(document, variables)


def test_generated_queries_answer_the_same_three_ways(trio: Trio) -> None:
    # every root that declares a RootRead (node(id:) included), found from the schema (the
    # others fall back whole: tests/test_differential.py)
    query_type = trio.clients[None][2].app.state.ogp.schema._schema.query_type
    roots = sorted(
        name
        for name, field in query_type.fields.items()
        if COMPILED_ROOT in getattr((field.extensions or {}).get(STRAWBERRY), "metadata", {})
    )
    assert {"workingGroups", "workingGroup", "node"} <= set(roots)
    generated = documents(trio.sdl, roots)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        document=generated,
        rnd=st.randoms(use_true_random=False),
        role=st.sampled_from(VIEWERS),
    )
    def check(document: graphql.DocumentNode, rnd: Random, role: str | None) -> None:
        text = aliased(document, rnd)
        trio.compare(text, None, role)
        plans = trio.plans(text)
        seen["compiled"] += sum(p.statement is not None for p in plans)
        for plan in plans:
            if plan.reason:
                reasons[plan.reason.split(":")[0]] = reasons.get(plan.reason.split(":")[0], 0) + 1

    seen = {"compiled": 0}
    reasons: dict[str, int] = {}
    check()
    print("compiled root fields:", seen["compiled"], "fallbacks:", sorted(reasons.items()))
    assert seen["compiled"] >= 10  # the generated documents do reach the compiler


def test_explain_prints_the_plan(
    demo_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.cli import main

    monkeypatch.setenv("OGP_WG_DATABASE_URL", demo_db)
    query = "query ($n: Int) { workingGroups(first: $n) { nodes { id name } } themes { key } }"
    assert main(["explain", query, "--variables", '{"n": 2}']) == 0
    out = capsys.readouterr().out
    assert "workingGroups: compiled (1 SQL statement" in out
    assert "themes: fallback (no RootRead declaration" in out
    assert "SELECT" in out and "working_groups" in out
    assert main(["explain", "{ nope }"]) == 1  # a document that does not validate: one line
    assert "Cannot query field 'nope'" in capsys.readouterr().err


def test_a_kept_statement_reads_the_clock_when_it_runs(database_url: str) -> None:
    """core.rows.request_now: the `upcoming` filter of a statement the plan keeps (core.compiled.
    plan) compares with the time of each run, not of the build."""
    import time

    from sqlalchemy import select

    from core.db import Database
    from core.rows import request_now

    async def twice() -> list[datetime]:
        db = Database(database_url)
        statement = select(request_now(), request_now(-timedelta(days=14)))
        try:
            found = []
            for _ in range(2):
                async with db.read() as conn:
                    found += list((await conn.execute(statement)).one())
                time.sleep(0.01)
            return found
        finally:
            await db.dispose()

    first, first_since, second, second_since = asyncio.run(twice())
    assert first.tzinfo is not None and first < second <= datetime.now(UTC)
    # each parameter reads the clock (microseconds apart): a filter must not need them equal
    for now, since in ((first, first_since), (second, second_since)):
        assert abs(now - since - timedelta(days=14)) < timedelta(seconds=1)


def test_an_integer_outside_32_bits_is_answered_as_the_resolver_path_answers(
    trio: Trio, demo_db: str
) -> None:
    """SQLite's INTEGER holds 64 bits, GraphQL's Int 32: an Int read from an integer column
    beyond 32 bits fails the compiled statement on purpose, and the resolver path answers the
    field's error (core.compiled.leaves). PostgreSQL's integer column refuses such a value: the
    database keeps the invariant. (A Float read from an integer column has the same guard; no
    column the API reads that way is unbounded today, so only the Int is written here.)"""
    from sqlalchemy import exc, select, text

    from core.db import Database
    from core.groups.models import WorkingGroup
    from core.meetings.models import Meeting

    query = (
        "query ($slug: String!) { workingGroup(slug: $slug) { meetings(first: 100) "
        "{ nodes { title capacity } } } }"
    )
    assert "errors" not in trio.compare(query, {"slug": SLUG}).json()
    big = 2**40

    async def set_capacity() -> None:
        db = Database(demo_db)
        try:
            async with db.write() as conn:
                group = select(WorkingGroup.id).where(WorkingGroup.slug == SLUG)
                first = select(Meeting.id).where(Meeting.group_id == group.scalar_subquery())
                meeting = (await conn.execute(first.limit(1))).scalar_one()
                # as SQL text: the API and core.storable's guard refuse the value on both
                stored = text("UPDATE meetings SET capacity = :big WHERE id = :id")
                await conn.execute(stored, {"big": big, "id": meeting})
        finally:
            await db.dispose()

    if not demo_db.startswith("sqlite"):
        with pytest.raises(exc.DBAPIError):
            asyncio.run(set_capacity())
        return
    asyncio.run(set_capacity())
    for role in VIEWERS:
        answered = trio.compare(query, {"slug": SLUG}, role)
        assert f"Int cannot represent non 32-bit signed integer value: {big}" in answered.text


@pytest.mark.parametrize(
    "document",
    [
        "{}",
        "{ __typename @skip(if: true) }",
        "{ ...F } fragment F on Query { workingGroups(first: 1) @include(if: false) { totalCount } }",
    ],
    ids=["empty", "skipped", "excluded-in-fragment"],
)
def test_an_operation_with_no_root_field_to_run_answers_alike(trio: Trio, document: str) -> None:
    """Nothing to compile and nothing to fall back to: `{}` (graphql-core parses it) and
    operations whose every root field is skipped answer `{"data": {}}` on every path (the
    compiled path failed on `{}` before: an IndexError, answered INTERNAL_SERVER_ERROR)."""
    for role in VIEWERS:
        assert trio.compare(document, None, role).json()["data"] == {}
