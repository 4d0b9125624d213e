"""A document's text judged before it is parsed: length, tokens, bracket nesting."""

from __future__ import annotations

from graphql import GraphQLError, Source, TokenKind
from graphql.language.lexer import Lexer

from core.errors import api_error
from core.limits import Limits

_OPEN = {TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L}
_CLOSE = {TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R}


def check_text(query: str, limits: Limits) -> None:
    """Refuse a document that is too long, has too many tokens or nests brackets too deeply.

    Runs in time linear in min(len(query), max_query_length): the lexer stops at the first
    token over the limit. Raises a GraphQLError with `extensions.code` QUERY_TOO_LONG,
    TOO_MANY_TOKENS or QUERY_TOO_DEEP; a lexical error (an unterminated string...) is left for
    the parser to report, with its location.
    """
    if len(query) > limits.max_query_length:
        raise api_error(
            "QUERY_TOO_LONG",
            f"The query has {len(query)} characters; at most {limits.max_query_length} are "
            "accepted.",
            limit=limits.max_query_length,
        )
    lexer = Lexer(Source(query))
    tokens = nesting = 0
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            tokens += 1
            if tokens > limits.max_tokens:
                raise api_error(
                    "TOO_MANY_TOKENS",
                    f"The query has more than {limits.max_tokens} tokens.",
                    limit=limits.max_tokens,
                )
            if token.kind in _OPEN:
                nesting += 1
                if nesting > limits.max_nesting:
                    raise api_error(
                        "QUERY_TOO_DEEP",
                        f"The query nests brackets more than {limits.max_nesting} deep.",
                        limit=limits.max_depth,
                    )
            elif token.kind in _CLOSE:
                nesting -= 1
            token = lexer.advance()
    except GraphQLError as error:
        if error.extensions and "code" in error.extensions:
            raise
        return  # a syntax error: graphql-core's parser reports it, located
