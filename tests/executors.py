"""Three executors over one database, for tests that require byte-identical answers from
graphql-core's standard executor, the fast resolver path (core.execution) and the compiled read
path (core.compiled), as anonymous, a signed-in member and staff (`VIEWERS`, what the tests sweep
over; the other demo roles can be asked for too); and the generated inputs those tests share
(hypothesis strategies for dates, random aliases)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from random import Random
from typing import Any

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import from_schema
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from core.compiled.explain import plan_of
from core.context import Context
from core.testing import ROLES, ClientFactory, GraphQLClient, token_for
from tests import faults_plugin

HEADERS = {"x-request-id": "differential"}  # internal errors carry it: the same in every run
VIEWERS = (None, "member", "staff")
EVERY_VIEWER = (*VIEWERS, *(role for role in ROLES if role not in VIEWERS))
"""Anonymous and every demo role: several persons of one kind (anchor, member, other)."""


def date_nodes(kind: str) -> st.SearchStrategy[graphql.StringValueNode]:
    """Dates and times as GraphQL literals: valid ones around the demo data, and nonsense."""
    moments = st.datetimes(
        min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    )
    valid = moments.map(lambda m: m.date().isoformat() if kind == "Date" else m.isoformat())
    values = st.one_of(valid, st.text(max_size=12))
    return values.map(lambda v: graphql.StringValueNode(value=v))


def documents(sdl: str, roots: list[str]) -> st.SearchStrategy[graphql.DocumentNode]:
    """Valid query documents of `sdl` (hypothesis-graphql), each selecting ONE of `roots`, with
    dates and times from `date_nodes` (sibling root fields that fail at once race in graphql-core
    itself, so there would be no one answer to match)."""
    scalars = {"Date": date_nodes("Date"), "DateTime": date_nodes("DateTime")}
    return st.sampled_from(roots).flatmap(
        lambda root: from_schema(
            sdl,
            fields=[root],
            custom_scalars=scalars,
            print_ast=lambda document: document,
            allow_x00=False,  # tests/test_bad_input.py covers what the database cannot hold
        )
    )


def aliased(document: graphql.DocumentNode, rnd: Random) -> str:
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


class Trio:
    """graphql-core, the fast resolver path and the compiled path, over one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        installed = faults_plugin.installed_with_faults()
        self.factory = ClientFactory()
        standard = self.factory(url, installed=installed, fast_execution=False, debug=True)
        fast = self.factory(url, installed=installed, debug=True, compiled_reads=False)
        compiled = self.factory(url, installed=installed, debug=True, compiled_reads=True)
        self.clients: dict[str | None, list[GraphQLClient]] = {}
        for role in EVERY_VIEWER:
            token = None if role is None else self.loop.run_until_complete(token_for(url, role))
            self.clients[role] = [c.with_token(token) for c in (standard, fast, compiled)]
        self.sdl = self.loop.run_until_complete(self._sdl(fast))

    async def _sdl(self, client: GraphQLClient) -> str:
        response = await client.http.post(
            "/graphql", json={"query": graphql.get_introspection_query()}
        )
        return graphql.print_schema(graphql.build_client_schema(response.json()["data"]))

    def write(self, *statements: str | tuple[str, dict[str, Any]]) -> None:
        """Run SQL statements (each text, or text and parameters) on the database in one
        transaction: data the demo lacks, written the way no mutation would."""

        async def run() -> None:
            engine = create_async_engine(self.url)
            try:
                async with engine.begin() as conn:
                    for statement in statements:
                        sql, parameters = (
                            (statement, {}) if isinstance(statement, str) else statement
                        )
                        await conn.execute(text(sql), parameters)
            finally:
                await engine.dispose()

        self.loop.run_until_complete(run())

    def answers(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        role: str | None = None,
        language: str | None = None,
    ) -> list[Any]:
        """The three executors' answers, then the compiled path's again while it answers
        without errors, up to twice: a request answered from kept statements is kept, and
        answered again without execution (core.compiled.kept). `language`: the request's
        `Accept-Language`."""
        headers = HEADERS if language is None else {**HEADERS, "accept-language": language}

        async def all_three() -> list[Any]:
            body = {"query": document, "variables": variables or {}}
            clients = self.clients[role]
            answers = [
                await client.http.post("/graphql", json=body, headers=headers) for client in clients
            ]
            for _ in range(2):
                if answers[-1].status_code != 200 or "errors" in answers[-1].json():
                    break
                answers.append(await clients[2].http.post("/graphql", json=body, headers=headers))
            return answers

        return self.loop.run_until_complete(all_three())

    def compare(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        role: str | None = None,
        language: str | None = None,
    ) -> Any:
        """Every answer of `answers` byte for byte the same as graphql-core's (status and
        `Content-Language` too); the compiled path's first answer."""
        standard, fast, compiled, *again = self.answers(document, variables, role, language)
        assert standard.status_code < 500, standard.text
        for other in (fast, compiled, *again):
            assert other.status_code == standard.status_code
            assert other.text == standard.text
            assert other.headers.get("content-language") == standard.headers.get(
                "content-language"
            ), (document, language)
        return compiled

    def plans(self, document: str, variables: dict[str, Any] | None = None) -> list[Any]:
        """The compiled path's plan of `document` for an anonymous viewer."""
        state = self.clients[None][2].app.state.ogp
        try:
            return plan_of(Context(app=state), document, variables)
        except graphql.GraphQLError:
            return []

    def close(self) -> None:
        self.loop.run_until_complete(self.factory.close())
        self.loop.close()
