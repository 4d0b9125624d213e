"""A search string made into terms: what both databases can match the same way, and never a
syntax error.

The string is composed (Unicode NFC), its FOLDS letters spelled out ("œuvre" -> "oeuvre"), and
split into runs of letters and digits; everything else (quotes, operators, brackets, `*`, `:`,
`-`, control characters) separates terms. So no input reaches FTS5's or PostgreSQL's query
syntax: each term is bound as a parameter (FTS5: a double-quoted string; PostgreSQL:
`plainto_tsquery`). A string over MAX_QUERY_LENGTH characters, or with more than MAX_TERMS
distinct terms, is the GraphQL error `INVALID_ARGUMENT`; a string with no term answers no hit.

Case and the other diacritics are folded by the engines themselves, alike: FTS5's `unicode61
remove_diacritics 2` and PostgreSQL's `unaccent` agree on every Latin letter (U+00C0..U+024F,
U+1E00..U+1EFF) but the FOLDS letters, which `unaccent` spells out and FTS5 leaves alone, those
FOLDS names as a gap, and U+1E9B (long s with dot, FTS5 only). The index's text goes through
the same FOLDS on SQLite (core/search/ddl.py `sqlite_fold`) and the query's here, so a word is
found by either spelling on both databases (tests/test_search_folding.py checks every letter of
FOLDS, both ways).
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


def _without_marks(letter: str) -> str:
    decomposed = unicodedata.normalize("NFD", letter)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


FOLDS: dict[str, str] = {
    **{"Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ĳ": "IJ", "ĳ": "ij"},
    **{"ẞ": "SS", "ß": "ss", "Þ": "TH", "þ": "th", "Ð": "D", "ð": "d", "Đ": "D", "đ": "d"},
    **{"Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Ŀ": "L", "ŀ": "l", "Ħ": "H", "ħ": "h"},
    **{"Ŧ": "T", "ŧ": "t", "Ŋ": "N", "ŋ": "n", "\u0131": "i"},  # \u0131: dotless i
    # Greek's accented vowels (tonos, dialytika) and Russian's ё: their letter without the mark
    **{c: _without_marks(c) for c in "ΆΈΉΊΌΎΏΪΫάέήίόύώΐΰϊϋЁё"},
}
"""Letters PostgreSQL's `unaccent` spells out and FTS5's `remove_diacritics` keeps, with
`unaccent`'s spelling (letters of European languages: French œ, Nordic æ ø, German ß, Polish ł,
Croatian đ, Icelandic ð þ, Maltese ħ, Sami ŧ ŋ, Turkish dotless i, Dutch ĳ, Catalan ŀ; Greek's
accented vowels; Russian's ё). The other letters where the two differ are not folded on SQLite,
a known gap: Latin Extended-B's hooks and strokes (ƀ, ɇ...) and polytonic Greek
(U+1F00..U+1FFF) fold on PostgreSQL only; FTS5 alone folds the final sigma ς into the medial one."""
_FOLDS = str.maketrans(FOLDS)


def fold(text: str) -> str:
    """`text` composed (NFC) with its FOLDS letters spelled out: "Œuvre" -> "OEuvre". Case and
    other accents are left to the engines (both fold them alike, in the index and the query)."""
    return unicodedata.normalize("NFC", text).translate(_FOLDS)


def terms_of(query: str) -> list[str]:
    """The distinct terms of `query`, in order of first appearance (at most MAX_TERMS).

    Raises the GraphQL error INVALID_ARGUMENT for a string too long or with too many terms."""
    if len(query) > MAX_QUERY_LENGTH:
        raise api_error(
            "INVALID_ARGUMENT", f"`query`: at most {MAX_QUERY_LENGTH} characters, got {len(query)}"
        )
    first_of: dict[str, str] = {}  # "Budget budget" is one term (the engines fold case)
    for term in _TERM.findall(fold(query)):
        first_of.setdefault(term.lower(), term)
    found = list(first_of.values())
    if len(found) > MAX_TERMS:
        raise api_error(
            "INVALID_ARGUMENT", f"`query`: at most {MAX_TERMS} distinct words, got {len(found)}"
        )
    return found


def fts5_phrase(term: str) -> str:
    """One term as an FTS5 string (a term has no double quote; quoted all the same)."""
    return '"' + term.replace('"', '""') + '"'
