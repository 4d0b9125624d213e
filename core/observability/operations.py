"""Which operation a GraphQL request asked for: the one place that names it, for the access line
and error lines (`core.observability.logs`) and the metrics' labels (`core.observability.exchange`).

The rule (`describe`): the operation's name is the request's `operationName`, else the name of the
document's first operation (`None`: an anonymous operation, or nothing readable); its type is that
operation's `query`, `mutation` or `subscription`, or `unknown` when no such operation can be read.
The document is read even when it was refused before parsing completed (a limit on its length,
tokens, depth, aliases or page sizes, a syntax error after its first operation): then its tokens
are scanned (`first_operation`) up to that operation, so a refusal keeps the name its client gave.

`OperationNames` (a schema extension) notes each operation of a request once it is over, into every
list that a layer opened with `collecting()` for the request (a batch notes several).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from graphql import GraphQLError, OperationDefinitionNode, Source, TokenKind
from graphql.language.lexer import Lexer
from strawberry.extensions import SchemaExtension

UNKNOWN = "unknown"
"""The type of an operation that cannot be read from the request."""
MAX_SCAN_TOKENS = 2_000
"""Tokens scanned for the first operation of a document graphql-core did not parse (the default
`max_tokens`: beyond it, the operation counts as unreadable)."""
_KEYWORDS = frozenset({"query", "mutation", "subscription"})


class Operation(NamedTuple):
    """One operation of a request: `name` (None: anonymous or unreadable) and `type`."""

    name: str | None
    type: str


_collecting: ContextVar[tuple[list[Operation], ...]] = ContextVar("ogp_wg_operations", default=())


@contextmanager
def collecting() -> Iterator[list[Operation]]:
    """A list that receives each operation the current request runs (in the current context and
    the tasks it starts), in the order they end; nested collectors each receive all of them."""
    noted: list[Operation] = []
    token = _collecting.set((*_collecting.get(), noted))
    try:
        yield noted
    finally:
        _collecting.reset(token)


def first_operation(query: str, max_tokens: int = MAX_SCAN_TOKENS) -> Operation | None:
    """The first operation definition of `query`'s text, from its tokens at the top level (a
    `{` opening a definition is an anonymous query; fragments are skipped); None when there is
    none within `max_tokens` tokens or the text cannot be tokenised before it. Runs in time
    linear in the tokens scanned, without recursion, whatever the document's nesting."""
    lexer = Lexer(Source(query))
    depth = 0  # of braces and parentheses together
    starting = True  # at the top level, where a definition starts
    keyword: str | None = None  # the operation keyword just read, its name may follow
    try:
        for _ in range(max_tokens):
            token = lexer.advance()
            kind = token.kind
            if keyword is not None:
                named = kind == TokenKind.NAME
                return Operation(token.value if named else None, keyword)
            if kind == TokenKind.EOF:
                return None
            if depth == 0 and starting:
                if kind == TokenKind.BRACE_L:
                    return Operation(None, "query")  # the shorthand `{ ... }`
                if kind == TokenKind.NAME and token.value in _KEYWORDS:
                    keyword = token.value
                    continue
                starting = False  # a fragment (or something no operation)
            if kind in (TokenKind.BRACE_L, TokenKind.PAREN_L):
                depth += 1
            elif kind in (TokenKind.BRACE_R, TokenKind.PAREN_R):
                depth -= 1
                starting = depth == 0 and kind == TokenKind.BRACE_R
    except GraphQLError:  # a character or string the lexer refuses
        return None
    return None


def describe(context: Any) -> Operation:
    """The operation a Strawberry `ExecutionContext` runs (see the module docstring)."""
    document = context.graphql_document
    requested = context.operation_name  # operationName; with a document, else its first's name
    if document is not None:
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and (
                requested is None or (definition.name and definition.name.value == requested)
            ):
                return Operation(requested, str(definition.operation.value))
        return Operation(requested, UNKNOWN)
    first = first_operation(context.query) if isinstance(context.query, str) else None
    if requested is None:
        return first or Operation(None, UNKNOWN)
    kind = first.type if first is not None and first.name == requested else UNKNOWN
    return Operation(requested, kind)


class OperationNames(SchemaExtension):
    """Notes each operation (`describe`) into the request's collectors, once it is over."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            if _collecting.get():
                note(describe(self.execution_context))


def note(operation: Operation) -> None:
    """Note one operation of the current request into its collectors (`collecting`)."""
    for noted in _collecting.get():
        noted.append(operation)
