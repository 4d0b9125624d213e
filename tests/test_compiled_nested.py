"""The compiled read path (core.compiled) on objects nested in a row and on orders by SQL
expressions: tests/nested_plugin.py's fields answer byte for byte as on the resolver path
(three executors, tests/executors.py), in one statement, with the nested objects null
exactly where their builder gives None (rows with subscores NULL written in), lists and pages
in a CASE's order (rows stored against it), and cursors over that order walked page by page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update

from core.db import Database
from plugins.open_data.models import OdinScore
from tests import nested_plugin
from tests.executors import VIEWERS, Trio

LIST = (
    "query ($code: String!) { country(code: $code) { name nestedOdinScores { edition "
    "overall { value edition } coverage { value } pair { coverage openness note inner "
    "{ value edition __typename } } fixed { value edition } subscores { value edition } } } }"
)
PAGE = (
    "query ($code: String!, $after: String) { country(code: $code) { nestedOdinPageOf("
    "first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor startCursor } "
    "edges { cursor node { edition coverage { value } } } } } }"
)
BACK = (
    "query ($code: String!, $before: String) { country(code: $code) { nestedOdinPageOf("
    "last: 2, before: $before) { totalCount pageInfo { hasPreviousPage startCursor } "
    "edges { cursor node { edition } } } } }"
)


class NestedTrio(Trio):
    """tests/executors.py's three executors with tests/nested_plugin.py installed too."""

    def __init__(self, url: str) -> None:
        from tests import faults_plugin

        original = faults_plugin.installed_with_faults

        def with_nested() -> dict[str, object]:
            return {**original(), nested_plugin.KEY: nested_plugin.plugin}

        faults_plugin.installed_with_faults = with_nested  # type: ignore[assignment]
        try:
            super().__init__(url)
        finally:
            faults_plugin.installed_with_faults = original  # type: ignore[assignment]


@pytest.fixture
def trio(demo_db: str) -> Iterator[Trio]:
    executors = NestedTrio(demo_db)
    yield executors
    executors.close()


REQUIRED = (
    "query ($code: String!) { country(code: $code) { name nestedOdinScores { edition "
    "coverageRequired pairRequired { note coverage } } } }"
)


def _country(url: str, patterns: list[tuple[Any, Any]] | None = None) -> tuple[str, list[int]]:
    """The country with the most ODIN rows; its rows' ids; their subscores varied (each null
    pattern of coverage and openness) and editions set against the id order."""

    async def go() -> tuple[str, list[int]]:
        db = Database(url)
        try:
            async with db.write() as conn:
                most = text(
                    "SELECT c.id, c.alpha2 FROM countries c JOIN open_data_odin_scores o "
                    "ON o.country_id = c.id GROUP BY c.id, c.alpha2 "
                    "ORDER BY count(*) DESC, c.alpha2 LIMIT 1"
                )
                country_id, code = (await conn.execute(most)).one()
                ids = list(
                    (
                        await conn.execute(
                            text(
                                "SELECT id FROM open_data_odin_scores WHERE country_id = :c "
                                "ORDER BY id"
                            ),
                            {"c": country_id},
                        )
                    ).scalars()
                )
                varied = patterns or [(None, None), (12.5, None), (None, 0.1), (100.0, 1e-7)]
                for i, row_id in enumerate(ids):
                    coverage, openness = varied[i % len(varied)]
                    await conn.execute(
                        update(OdinScore)
                        .where(OdinScore.id == row_id)
                        .values(coverage=coverage, openness=openness)
                    )
                return code, ids
        finally:
            await db.dispose()

    return asyncio.run(go())


def test_nested_objects_and_expression_orders_compile(trio: Trio, demo_db: str) -> None:
    code, ids = _country(demo_db)
    assert len(ids) >= 3
    for role in VIEWERS:
        response = trio.compare(LIST, {"code": code}, role)
        body = response.json()
        assert "errors" not in body, body
        listed = body["data"]["country"]["nestedOdinScores"]
        assert len(listed) == len(ids)
        ranks = [nested_plugin.EDITIONS.index(s["edition"]) for s in listed]
        assert ranks == sorted(ranks)  # the CASE's order, not the ids'
        assert {s["coverage"] is None for s in listed} == {True, False}
        assert {s["pair"] is None for s in listed} == {True, False}
        assert all(s["fixed"] == {"value": 100.0, "edition": "all"} for s in listed)
        items = [item for s in listed for item in s["subscores"]]
        assert all(len(s["subscores"]) == 2 for s in listed)
        assert None in items and any(item is not None for item in items)
    (plan,) = trio.plans(LIST, {"code": code})
    assert plan.statement is not None, plan.reason
    _, fast, compiled = trio.answers(LIST, {"code": code})[:3]
    assert compiled.headers["x-sql-statements"] == "1"
    assert int(fast.headers["x-sql-statements"]) > 1


def test_a_page_in_an_expression_order_walked_by_cursor(trio: Trio, demo_db: str) -> None:
    code, ids = _country(demo_db)
    after, seen = None, []
    while True:
        variables: dict[str, Any] = {"code": code, "after": after}
        page = trio.compare(PAGE, variables).json()["data"]["country"]["nestedOdinPageOf"]
        (plan,) = trio.plans(PAGE, variables)
        assert plan.statement is not None, plan.reason
        seen += [edge["node"]["edition"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == len(ids)
    ranks = [nested_plugin.EDITIONS.index(e) for e in seen]
    assert ranks == sorted(ranks)


def test_a_page_in_an_expression_order_walked_backwards(trio: Trio, demo_db: str) -> None:
    """`last`/`before` over a CASE's order (and the id) compile, and walk back to the start."""
    code, ids = _country(demo_db)
    before, seen = None, []
    while True:
        variables: dict[str, Any] = {"code": code, "before": before}
        page = trio.compare(BACK, variables).json()["data"]["country"]["nestedOdinPageOf"]
        (plan,) = trio.plans(BACK, variables)
        assert plan.statement is not None, plan.reason
        seen = [edge["node"]["edition"] for edge in page["edges"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert len(seen) == page["totalCount"] == len(ids)
    ranks = [nested_plugin.EDITIONS.index(e) for e in seen]
    assert ranks == sorted(ranks)


def test_a_null_for_a_non_null_field_is_answered_by_the_resolver_path(
    trio: Trio, demo_db: str
) -> None:
    """A non-null field read from a nullable column, or holding an object its builder may not
    build, compiles; where the row has NULL, the statement fails on purpose and the resolver
    path answers (the same error, byte for byte)."""
    code, _ = _country(demo_db, [(12.5, None), (3.0, 0.1)])
    compiled = trio.compare(REQUIRED, {"code": code})
    assert "errors" not in compiled.json()
    assert compiled.headers["x-sql-statements"] == "1"
    (plan,) = trio.plans(REQUIRED, {"code": code})
    assert plan.statement is not None, plan.reason
    for patterns in ([(None, 0.1), (3.0, 0.1)], [(1.0, 2.0), (None, None)]):
        _country(demo_db, patterns)
        for role in VIEWERS:
            answered = trio.compare(REQUIRED, {"code": code}, role)
            assert "Cannot return null for non-nullable field" in answered.text


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ("presentSubscores", "longer or shorter"),
        ("gated", "decides on coverage, a column it does not read"),
        ("gatedList", "decides on values where openness is null"),  # a list then shorter
    ],
)
def test_objects_their_builder_decides_on_other_columns_fall_back(
    trio: Trio, demo_db: str, field: str, reason: str
) -> None:
    """An object, or a list of them, that the builder makes or leaves out by another column
    than those the object reads (a list with its NULLs dropped; an object or a list gated on
    another column's NULL) is not compiled: the root field falls back, saying why, and
    answers as the resolver path does, on rows with and without those NULLs."""
    code, _ = _country(demo_db)
    query = (
        "query ($code: String!) { country(code: $code) { nestedOdinScores { "
        f"{field} {{ value }} }} }} }}"
    )
    (plan,) = trio.plans(query, {"code": code})
    assert plan.statement is None and reason in str(plan.reason), plan.reason
    listed = trio.compare(query, {"code": code}).json()["data"]["country"]["nestedOdinScores"]
    assert len({repr(s[field]) for s in listed}) > 1  # (None, None), (12.5, None)...


def test_rows_through_a_link_holding_a_pair_twice_are_listed_once(trio: Trio, demo_db: str) -> None:
    """`through=` a link holding each (parent, child) pair twice: the same list as without
    the link, on all three executors, compiled into one statement."""
    code, ids = _country(demo_db)
    query = (
        "query ($code: String!) { country(code: $code) { "
        "nestedOdinScores { edition overall { value } } nestedOdinLinkedTwice { edition overall { value } } } }"
    )
    body = trio.compare(query, {"code": code}).json()
    assert "errors" not in body, body
    country = body["data"]["country"]
    assert len(country["nestedOdinScores"]) == len(ids) >= 3
    assert country["nestedOdinLinkedTwice"] == country["nestedOdinScores"]
    (plan,) = trio.plans(query, {"code": code})
    assert plan.statement is not None, plan.reason


def test_a_derived_table_ordered_by_a_correlated_count_compiles(trio: Trio, demo_db: str) -> None:
    """A declaration over a derived table (a subquery) ordered by a scalar subquery correlated
    to the derived table's row: compiled into one statement, correlated to each row (latest
    edition first, as the resolver path orders), the same three ways."""
    code, ids = _country(demo_db)
    query = (
        "query ($code: String!) { country(code: $code) { nestedDerivedScores { edition value } } }"
    )
    (plan,) = trio.plans(query, {"code": code})
    assert plan.statement is not None, plan.reason
    for role in VIEWERS:
        body = trio.compare(query, {"code": code}, role).json()
        assert "errors" not in body, body
        editions = [s["edition"] for s in body["data"]["country"]["nestedDerivedScores"]]
        assert len(editions) == len(ids) >= 3
        assert editions == sorted(editions, reverse=True)


def test_a_link_through_a_table_with_row_rules_is_refused(trio: Trio) -> None:
    """`through=` a subquery reading registrations (row rules) is refused on both read paths,
    as a summary of such a table is."""
    query = '{ country(code: "KE") { nestedGovernedLink { edition } } }'
    (plan,) = trio.plans(query)
    assert plan.statement is None and "registrations has row rules" in str(plan.reason)
    for role in VIEWERS:
        body = trio.compare(query, None, role).json()
        assert body["data"]["country"] is None or not body["data"]["country"].get(
            "nestedGovernedLink"
        )
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", body


def test_a_summary_of_a_table_with_row_rules_is_refused(trio: Trio) -> None:
    """A declaration reading a table with row rules (registrations) through a subquery (a
    GROUP BY summary) could sum up rows its viewer may not see: it is refused on both read
    paths, for every viewer, as a programming error (an internal error, no data)."""
    query = '{ country(code: "KE") { nestedGovernedSummary { count } } }'
    (plan,) = trio.plans(query)
    assert plan.statement is None and "registrations has row rules" in str(plan.reason)
    for role in VIEWERS:
        body = trio.compare(query, None, role).json()
        assert body["data"]["country"]["nestedGovernedSummary"] is None
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", body


PERSONS = ("anchor", "member", "other")
MEETING_PAGE = Path(__file__).parent.parent / "bench" / "queries" / "meeting_page.graphql"
CHOSEN_BY_VIEWER = [
    f"query ($code: String!) {{ country(code: $code) {{ nestedScores{way[0].upper()}{way[1:]} "
    "{ edition value } } }"
    for way in nested_plugin.VIEWER_READS
]


def _templates(trio: Trio, document: str) -> list[tuple[Any, ...]]:
    """The keys of the compiled path's kept templates of `document` (core.compiled.plan): a
    (plan key, response key, shape) serves every viewer of the plan key's kind; a (plan key,
    viewer, response key, shape) its viewer alone."""
    caches = trio.clients[None][2].app.state.ogp.caches["core.compiled.plan"]
    return [key for key in caches.templates if key[0][0] == document]


def test_a_statement_kept_for_one_person_serves_another_only_as_themself(
    trio: Trio, demo_db: str
) -> None:
    """The row rules bind the viewer's person id as one parameter, so a statement kept for one
    signed-in person is re-bound for the next instead of built per person (the meeting page:
    who registered is shown to the meeting's group, not to others). A plugin's declaration
    whose SQL depends on the viewer otherwise keeps its statement to that person, whichever way
    it gets at the viewer (tests/nested_plugin.py `VIEWER_READS`: its id, the request's scope, a
    comparison). Each person, in turn and again, is answered as themself, three ways."""
    code, _ = _country(demo_db)
    listing = trio.compare(
        "{ workingGroups(first: 100) { nodes { meetings(first: 20) { nodes { id "
        "registrations(first: 1) { totalCount } } } } } }",
        None,
        "staff",
    ).json()["data"]["workingGroups"]["nodes"]
    meetings = [m["id"] for g in listing for m in g["meetings"]["nodes"]]
    requests = [(MEETING_PAGE.read_text(), {"id": id_}) for id_ in meetings]
    told_apart = 0  # meetings whose registrations some of the persons see and others do not
    chosen = [(document, {"code": code}) for document in CHOSEN_BY_VIEWER]
    for document, variables in [*requests, *chosen]:
        answers: dict[str, str] = {}
        # the first round builds (the first person) and re-binds (the others) what is kept; the
        # second is answered from each viewer's own request seen before
        for role in (*PERSONS, *PERSONS):
            text_ = trio.compare(document, variables, role).text
            assert answers.setdefault(role, text_) == text_, role
        told_apart += len(set(answers.values())) > 1
    assert told_apart >= 2  # the rules tell the persons apart: a leak would show
    shared = [key for key in _templates(trio, requests[0][0]) if key[0][2] == "person"]
    assert shared and all(len(key) == 3 for key in shared), shared  # one for every person
    for document in CHOSEN_BY_VIEWER:  # each way of reading the viewer keeps it per person
        own = [key for key in _templates(trio, document) if key[0][2] == "person"]
        assert len(own) == len(PERSONS) and all(len(key) == 4 for key in own), (document, own)
