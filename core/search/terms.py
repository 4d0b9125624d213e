"""A search string made into terms: what both databases can match the same way, and never a
syntax error.

The string is folded (NFKC, case folded, diacritics removed: "Índice" -> "indice") and split
into runs of letters and digits; everything else (quotes, operators, brackets, `*`, `:`, `-`,
control characters) separates terms. So no input reaches FTS5's or PostgreSQL's query syntax:
each term is bound as a parameter (FTS5: a double-quoted string; PostgreSQL:
`plainto_tsquery`). A string over MAX_QUERY_LENGTH characters, or with more than MAX_TERMS
distinct terms, is the GraphQL error `INVALID_ARGUMENT`; a string with no term answers no hit.
"""

from __future__ import annotations

import re
import unicodedata

from core.errors import api_error

MAX_QUERY_LENGTH = 200
"""Characters of `query`."""
MAX_TERMS = 8
"""Distinct terms of `query` (each costs two matches per document scored)."""

_TERM = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case and diacritics folded, as FTS5's `unicode61 remove_diacritics 2` and PostgreSQL's
    `unaccent` fold them (for the letters of the languages OGP works in)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms_of(query: str) -> list[str]:
    """The distinct terms of `query`, in order of first appearance (at most MAX_TERMS).

    Raises the GraphQL error INVALID_ARGUMENT for a string too long or with too many terms."""
    if len(query) > MAX_QUERY_LENGTH:
        raise api_error(
            "INVALID_ARGUMENT", f"`query`: at most {MAX_QUERY_LENGTH} characters, got {len(query)}"
        )
    found = list(dict.fromkeys(_TERM.findall(fold(query))))
    if len(found) > MAX_TERMS:
        raise api_error(
            "INVALID_ARGUMENT", f"`query`: at most {MAX_TERMS} distinct words, got {len(found)}"
        )
    return found


def fts5_phrase(term: str) -> str:
    """One term as an FTS5 string (a term has no double quote; quoted all the same)."""
    return '"' + term.replace('"', '""') + '"'
