"""core/search: the words both databases find alike, over HTTP GraphQL, on SQLite and PostgreSQL.

Letters folded (core/search/terms.py FOLDS on top of the engines' own diacritics folding), stop
words kept, punctuation separating words (hosts, versions, hyphens): each expected answer is
written out once and holds on both databases, so both give the same hits.
"""

from __future__ import annotations

import asyncio
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.search.terms import FOLDS
from core.testing import ClientFactory
from tests.test_search import _hits, _insert_group, _sql

ACCENTED = (
    "áàâäãåÁÀÂÄÃÅéèêëÉÈÊËíìîïÍÌÎÏóòôöõÓÒÔÖÕúùûüÚÙÛÜñÑçÇýÿÝčČšŠžŽřŘěĚůŮőŐűŰąĄęĘśŚźŹżŻćĆńŃğĞşŞİ"
)
"""Letters with diacritics that FTS5 and `unaccent` both fold (a sample of Latin-1 and Latin
Extended-A)."""
ALPHABET = "".join(FOLDS) + ACCENTED


def plain(word: str) -> str:
    """`word` with FOLDS spelled out and diacritics dropped."""
    decomposed = unicodedata.normalize("NFKD", word.translate(str.maketrans(FOLDS)))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


async def test_oeuvre_finds_the_text_written_with_the_ligature(
    demo_db: str, make_client: ClientFactory
) -> None:
    client = make_client(demo_db)
    # the French EITI Requirements' summary: "mettant en œuvre l'ITIE"
    expected = [("RESOURCE", "Exigences de l'ITIE (Norme ITIE 2023)", 1)]
    for query in ("oeuvre", "œuvre", "ŒUVRE", "OEUVRE"):
        found = await _hits(client, query, filter={"kinds": ["RESOURCE"]})
        assert found == expected, query
    data = await client.execute('query { search(query: "oeuvre") { nodes { snippet } } }', {})
    assert "<mark>œuvre</mark>" in data["search"]["nodes"][0]["snippet"]


async def test_stop_words_and_punctuation_are_words_on_both(
    demo_db: str, make_client: ClientFactory
) -> None:
    await _sql(
        demo_db,
        _insert_group("zq-the", "The zorblax", "And the quintor.", "", "open_data"),
        _insert_group(
            "zq-host",
            "Blixor registers",
            "See blixor.org, 2.0 and peer-to-peer; a@b.org",
            "",
            "open_data",
        ),
    )
    client = make_client(demo_db)
    assert await _hits(client, "the zorblax") == [("GROUP", "The zorblax", 5)]
    assert await _hits(client, "THE quintor") == [("GROUP", "The zorblax", 4)]
    assert await _hits(client, "and quintor") == [("GROUP", "The zorblax", 2)]
    for query in ("blixor org", "blixor.org", "peer to", "2 0 blixor", "a b org blixor"):
        found = await _hits(client, query)
        assert [label for _, label, _ in found] == ["Blixor registers"], query


async def test_each_folds_letter_is_found_by_either_spelling(
    demo_db: str, make_client: ClientFactory
) -> None:
    """Every letter of FOLDS, upper and lower case: its word and the ASCII one find each other."""
    words = [f"Zqy{letter}vzq" for letter in FOLDS]
    await _sql(
        demo_db,
        _insert_group("zq-folds", "Folds", " ".join(words), "", "open_data"),
        _insert_group("zq-plain", "Plain", " ".join(plain(w) for w in words), "", "open_data"),
    )
    client = make_client(demo_db)
    both = [("GROUP", "Folds", 1), ("GROUP", "Plain", 1)]
    for word in words:
        assert await _hits(client, word) == both, word
        assert await _hits(client, plain(word)) == both, word
    # a letter neither engine folds stays itself in the query too (Russian й is not и)
    await _sql(demo_db, _insert_group("zq-kept", "Kept", "Zqyйvzq", "", "open_data"))
    assert await _hits(client, "ZQYЙVZQ") == [("GROUP", "Kept", 1)]
    assert await _hits(client, "zqyиvzq") == []


def test_every_folded_letter_is_found_by_either_spelling(
    demo_db: str, make_client: ClientFactory
) -> None:
    """A word written with any of ALPHABET's letters (and digits) is found by its spelling
    without marks, and the other way round: the same hit on both."""
    client = make_client(demo_db)
    loop = asyncio.new_event_loop()
    serial = iter(range(10**6))

    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.text(ALPHABET + "0123456789", min_size=1, max_size=6))
    def check(middle: str) -> None:
        # a fixed prefix and suffix no stemmer changes: the word differs only by its letters
        word = f"Zqx{middle}vzq"
        for indexed, searched in ((word, plain(word)), (plain(word), word)):
            slug = f"zq-fold-{next(serial)}"
            group = _insert_group(slug, indexed, "", "", "open_data")
            loop.run_until_complete(_sql(demo_db, group))
            for query in (searched, indexed):
                found = loop.run_until_complete(_hits(client, query))
                assert found == [("GROUP", indexed, 2)], (indexed, query)
            delete = f"DELETE FROM working_groups WHERE slug = '{slug}'"
            loop.run_until_complete(_sql(demo_db, delete))

    try:
        check()
    finally:
        loop.run_until_complete(client.app.state.ogp.db.dispose())
        loop.close()
