"""Every query the test suite writes as a string constant answers the same on the three
executors (issue 12: "the compiled path answers byte for byte what the resolver path answers, on
every test query"). Documents built at run time (f-strings, hypothesis) are not found here: the
generated ones are tests/test_differential.py's.

The queries are found, not listed: every string constant in tests/ (plugins' tests included)
that parses as a GraphQL document of query operations only and validates against the schema the
server serves (with the test-only `faults` plugin). Each runs through graphql-core's standard
executor, the fast resolver path and the compiled path (tests.executors.Trio: status, bytes and
`Content-Language` alike, the compiled path's kept answers too) on the demo data, as anonymous,
a member and staff. A document with variables runs with none: an optional variable is then
absent, and a required one makes each executor refuse it alike (the values its own test sends
are that test's to check; tests/test_differential.py generates argument values for every field).
A new test's query is covered without editing this file.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import graphql

from tests.executors import VIEWERS, Trio

TESTS = Path(__file__).parent


@cache
def _constants() -> tuple[tuple[str, str], ...]:
    """(test file, text) of every string constant of tests/ that parses as GraphQL queries."""
    found: dict[str, str] = {}
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            text = node.value.strip()
            if not text.startswith(("query", "{")) or text in found:
                continue
            try:
                document = graphql.parse(text)
            except graphql.GraphQLError:
                continue
            operations = [
                d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)
            ]
            if operations and all(o.operation is graphql.OperationType.QUERY for o in operations):
                found[text] = str(path.relative_to(TESTS))
    return tuple((where, text) for text, where in found.items())


def _single_operation(text: str) -> bool:
    """A document with one operation: one with several needs an `operationName`, and each
    executor refuses it alike without one (a request error, before any executor runs)."""
    definitions = graphql.parse(text).definitions
    return sum(isinstance(d, graphql.OperationDefinitionNode) for d in definitions) == 1


def test_every_test_query_answers_the_same_on_all_three_executors(trio: Trio) -> None:
    schema = graphql.build_schema(trio.sdl)
    queries = [
        (where, text)
        for where, text in _constants()
        if _single_operation(text) and not graphql.validate(schema, graphql.parse(text))
    ]
    # the suite's queries (about 400 today); fewer means the search above stopped finding them
    assert len(queries) > 300, len(queries)
    for where, text in queries:
        for role in VIEWERS:
            try:
                trio.compare(text, None, role)
            except AssertionError as exc:
                raise AssertionError(f"{where}, as {role or 'anonymous'}:\n{text}") from exc
