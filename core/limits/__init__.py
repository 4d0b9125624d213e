"""Static limits on GraphQL documents (issue 8, point 3): what a query may ask for, judged before
anything runs.

In the order they are checked, each refusal a GraphQL error with this `extensions.code`:

- the document's length in characters: QUERY_TOO_LONG (before it is read);
- its tokens (counted by graphql-core's lexer, stopping at the limit): TOO_MANY_TOKENS;
- its nesting of `{`, `(` and `[` (so the parser's recursion stays shallow): QUERY_TOO_DEEP;
- per operation, fragments followed (each spread counted as often as it is spread, each
  fragment analysed once): depth (QUERY_TOO_DEEP), aliases (TOO_MANY_ALIASES), directives
  (TOO_MANY_DIRECTIVES); a fragment that spreads itself is refused here
  (GRAPHQL_VALIDATION_FAILED) rather than walked;
- graphql-core's validation, with its `MaxIntrospectionDepthRule` added;
- before execution, with the request's variables: every `first` within 1..100
  (INVALID_ARGUMENT) and the operation's requested nodes (the product of page sizes along each
  path, summed, as GitHub counts) within `max_nodes` (QUERY_TOO_COSTLY).

An executed (or cost-refused) operation's response carries
`extensions.cost = {"requestedNodes": int, "limit": int}`.

Settings (core.config): max_depth, max_aliases, max_tokens, max_directives, max_query_length,
max_nodes, unpaginated_list_size; `production` also hides suggestions (`hide_suggestions`).
Fragments are told apart by what they are (definitions, spreads), never by their names, so a
fragment named `__schema` or `__typename` is counted like any other (graphql-armor's
CVE-2025 bypasses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.config import Settings

MAX_PAGE_SIZE = 100
"""The largest `first` any list or connection accepts."""

LIST_SIZE = "ogp_wg_max_items"
"""Field metadata key: the most items a list field without `first` can return, e.g.
`strawberry.field(metadata={LIST_SIZE: 2})`; such a list counts that many nodes, not
`unpaginated_list_size`."""

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


@dataclass(frozen=True)
class Limits:
    """The static limits of one application (see the module docstring)."""

    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2_000
    max_directives: int = 50
    max_query_length: int = 15_000
    max_nodes: int = 50_000
    unpaginated_list_size: int = 20
    production: bool = False

    @property
    def max_nesting(self) -> int:
        """Brackets a document may nest: room for an inline fragment and an argument object at
        every level of the deepest allowed query, and still far from Python's recursion limit."""
        return max(3 * self.max_depth + 10, 32)

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_directives=settings.max_directives,
            max_query_length=settings.max_query_length,
            max_nodes=settings.max_nodes,
            unpaginated_list_size=settings.unpaginated_list_size,
            production=settings.production,
        )


def hide_suggestions(message: str) -> str:
    """`message` without graphql-core's "Did you mean ...?" hints (they map the schema for
    anyone who misspells on purpose)."""
    return _SUGGESTION.sub("", message) if "Did you mean" in message else message


__all__ = ["LIST_SIZE", "MAX_PAGE_SIZE", "Limits", "hide_suggestions"]
