"""Differential test: generated queries over the whole live schema, both executors, same bytes.

hypothesis-graphql writes valid operations from the schema the server serves (core and every
installed plugin, with the test-only `faults` plugin whose fields fail in every way a field can),
with random arguments, aliases and nesting. Each one runs through graphql-core's standard
executor and through the fast one (core.execution) on the demo data; the HTTP responses must be
byte-identical, errors, their paths and null propagation included. New fields and plugins are
covered without editing this test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from random import Random
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from core.testing import ClientFactory, GraphQLClient
from tests import faults_plugin

HEADERS = {"x-request-id": "differential"}  # internal errors carry it: the same in both runs
EXAMPLES = 150


def _date_nodes(kind: str) -> st.SearchStrategy[graphql.StringValueNode]:
    """Dates and times as GraphQL literals: valid ones around the demo data, and nonsense."""
    moments = st.datetimes(
        min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    )
    valid = moments.map(lambda m: m.date().isoformat() if kind == "Date" else m.isoformat())
    values = st.one_of(valid, st.text(max_size=12))
    return values.map(lambda v: graphql.StringValueNode(value=v))


class Pair:
    """Both executors over one database, driven from synchronous hypothesis examples."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        installed = faults_plugin.installed_with_faults()
        self.factory = ClientFactory()
        self.standard: GraphQLClient = self.factory(url, installed=installed, fast_execution=False)
        self.fast: GraphQLClient = self.factory(url, installed=installed)
        self.sdl = self.loop.run_until_complete(self._sdl())

    async def _sdl(self) -> str:
        response = await self.fast.http.post(
            "/graphql", json={"query": graphql.get_introspection_query()}
        )
        return graphql.print_schema(graphql.build_client_schema(response.json()["data"]))

    def compare(self, document: str) -> None:
        async def both() -> tuple[Any, Any]:
            body = {"query": document}
            expected = await self.standard.http.post("/graphql", json=body, headers=HEADERS)
            actual = await self.fast.http.post("/graphql", json=body, headers=HEADERS)
            return expected, actual

        expected, actual = self.loop.run_until_complete(both())
        assert expected.status_code < 500, expected.text
        assert actual.status_code == expected.status_code
        assert actual.text == expected.text

    def close(self) -> None:
        self.loop.run_until_complete(self.factory.close())
        self.loop.close()


@pytest.fixture
def pair(demo_db: str) -> Iterator[Pair]:
    executors = Pair(demo_db)
    yield executors
    executors.close()


def _aliased(document: graphql.DocumentNode, rnd: Random) -> str:
    """`document` with random aliases, and some fields selected twice under two aliases (the
    second copy completes the same objects, which is where shared-object bugs live)."""

    def visit(node: Any, index: int, out: list[Any]) -> None:
        selection_set = node.selection_set
        if selection_set is not None:
            children: list[Any] = []
            root = isinstance(node, graphql.OperationDefinitionNode)
            for i, child in enumerate(selection_set.selections):
                visit(child, -1 if root else i, children)
            node = replace(node, selection_set=replace(selection_set, selections=tuple(children)))
        if isinstance(node, graphql.FieldNode) and index >= 0:
            if rnd.random() < 0.3:
                node = replace(node, alias=graphql.NameNode(value=f"a{index}"))
            if rnd.random() < 0.2:
                out.append(replace(node, alias=graphql.NameNode(value=f"twin{index}")))
        out.append(node)

    operations: list[Any] = []
    for definition in document.definitions:
        visit(definition, -1, operations)  # -1: no alias, no twin
    return graphql.print_ast(replace(document, definitions=tuple(operations)))


def test_generated_queries_answer_the_same_on_both_executors(pair: Pair) -> None:
    schema = graphql.build_schema(pair.sdl)
    # One root field per document: sibling root fields that fail at once race in graphql-core
    # itself (which error wins depends on database timing), so there is no one answer to match.
    roots = sorted(set(schema.query_type.fields) - {"node", "nodes"})  # type: ignore[union-attr]
    scalars = {"Date": _date_nodes("Date"), "DateTime": _date_nodes("DateTime")}
    documents = st.sampled_from(roots).flatmap(
        lambda root: from_schema(
            pair.sdl,
            fields=[root],
            custom_scalars=scalars,
            print_ast=lambda document: document,
            allow_x00=False,  # tests/test_bad_input.py covers what the database cannot hold
        )
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(document=documents, rnd=st.randoms(use_true_random=False))
    def check(document: graphql.DocumentNode, rnd: Random) -> None:
        pair.compare(_aliased(document, rnd))

    check()
