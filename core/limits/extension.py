"""The limits as one Strawberry schema extension: checked text and parse (cached), the static totals
before validation, graphql-core's introspection rules, validation (cached), the cost before
execution, `extensions.cost`.

It replaces Strawberry's `ParserCache` and `ValidationCache` (a document is read, parsed, analysed
and validated once, then served from bounded LRUs by its text), so nothing over a limit reaches
graphql-core's validation, whose rules are not all linear in the document's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    IntValueNode,
    MaxIntrospectionDepthRule,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from core.errors import api_error
from core.limits import Limits
from core.limits.analysis import Analyser, Totals
from core.limits.document import check_text

CACHE_SIZE = 1024


class Guard:
    """The limits of one schema, with its cache of read documents; shared by its requests."""

    def __init__(self, limits: Limits, cache_size: int = CACHE_SIZE) -> None:
        self.limits = limits
        self._read: LRUCache[str, tuple[DocumentNode, dict[str | None, Totals]]] = LRUCache(
            cache_size
        )
        self._validated: LRUCache[tuple[str, tuple[Any, ...]], list[GraphQLError]] = LRUCache(
            cache_size
        )
        self._analyser: Analyser | None = None

    def analyser(self, schema: GraphQLSchema) -> Analyser:
        if self._analyser is None or self._analyser.schema is not schema:
            self._analyser = Analyser(schema, self.limits)
        return self._analyser

    def read(
        self, query: str, schema: GraphQLSchema
    ) -> tuple[DocumentNode, dict[str | None, Totals]]:
        """The parsed document and each operation's static totals; raises the first limit's
        GraphQLError (or graphql-core's syntax error)."""
        known = self._read.get(query)
        if known is not None:
            return known
        check_text(query, self.limits)
        document = parse(query)
        totals = self.analyser(schema).analyse(document)
        for found in totals.values():
            self.check(found)
        self._read[query] = (document, totals)
        return document, totals

    def validated(
        self, query: str, document: DocumentNode, schema: GraphQLSchema, rules: tuple[Any, ...]
    ) -> list[GraphQLError]:
        """graphql-core's validation errors of `document` (the parse of `query`) under `rules`,
        once per text and rules. Keyed by the text, whose hash Python keeps: Strawberry's
        ValidationCache keys by the parsed document, whose hash walks every node per request."""
        key = (query, rules)
        errors = self._validated.get(key)
        if errors is None:
            errors = self._validated[key] = validate(schema, document, rules)
        return errors

    def check(self, totals: Totals) -> None:
        """Refuse an operation over the depth, alias or directive limit."""
        limits = self.limits
        if totals.depth > limits.max_depth:
            raise api_error(
                "QUERY_TOO_DEEP",
                f"The query is {totals.depth} fields deep; at most {limits.max_depth} are "
                "accepted.",
                limit=limits.max_depth,
            )
        if totals.aliases > limits.max_aliases:
            raise api_error(
                "TOO_MANY_ALIASES",
                f"The query has {totals.aliases} aliases; at most {limits.max_aliases} are "
                "accepted.",
                limit=limits.max_aliases,
            )
        if totals.directives > limits.max_directives:
            raise api_error(
                "TOO_MANY_DIRECTIVES",
                f"The query has {totals.directives} directives; at most "
                f"{limits.max_directives} are accepted.",
                limit=limits.max_directives,
            )


class IntrospectionDepthRule(MaxIntrospectionDepthRule):
    """graphql-core's limit on nested introspection lists (`fields`, `interfaces`,
    `possibleTypes`, `inputFields`: fewer than 3 deep), reported as QUERY_TOO_DEEP."""

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), "code": "QUERY_TOO_DEEP"}
        super().report_error(error)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def _with_defaults(
    operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
) -> dict[str, Any]:
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and isinstance(definition.default_value, IntValueNode):
            values[name] = int(definition.default_value.value)
    return values


class QueryLimits(SchemaExtension):
    """Per request: see the module docstring. `guard` is shared by every request of a schema."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.static: dict[str | None, Totals] | None = None
        self.cost: int | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        rules = [
            IntrospectionDepthRule if rule is MaxIntrospectionDepthRule else rule
            for rule in context.validation_rules
        ]
        if self.guard.limits.production:
            rules.append(NoSchemaIntrospectionCustomRule)
        context.validation_rules = tuple(rules)
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            schema = context.schema._schema
            context.graphql_document, self.static = self.guard.read(context.query, schema)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.static is not None and context.query and context.graphql_document is not None:
            # read by this request from the guard: the document is the parse of `query`
            schema, rules = context.schema._schema, tuple(context.validation_rules)
            errors = self.guard.validated(context.query, context.graphql_document, schema, rules)
            context.pre_execution_errors = errors
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = None if document is None else _operation(document, context.operation_name)
        if document is not None and operation is not None:
            analyser = self.guard.analyser(context.schema._schema)
            name = operation.name.value if operation.name else None
            static = self.static if self.static is not None else analyser.analyse(document)
            totals = static.get(name) or Totals()
            if totals.variable_pages:
                variables = _with_defaults(operation, context.variables)
                totals = analyser.analyse(document, variables).get(name) or totals
            self.cost = totals.nodes
            limit = self.guard.limits.max_nodes
            if totals.nodes > limit:
                raise api_error(
                    "QUERY_TOO_COSTLY",
                    f"The query asks for up to {totals.nodes} nodes; at most {limit} are "
                    "accepted. Ask for smaller pages (`first`) or fewer nested lists.",
                    cost={"requestedNodes": totals.nodes, "limit": limit},
                )
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requestedNodes": self.cost, "limit": self.guard.limits.max_nodes}}
