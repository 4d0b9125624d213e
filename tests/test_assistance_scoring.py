"""The score of a suggested match (core/assistance/scoring.py), as a pure function with
generated facts: deterministic, the score the sum of the points, the reasons in the documented
order, and the topic and language components symmetric. The reasons over HTTP and the demo's
match: tests/test_assistance.py.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.assistance import scoring

TOPICS = st.frozensets(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=5)
LANGS = st.frozensets(st.sampled_from(["en", "es", "fr", "pt"]), max_size=4)


@st.composite
def pairs(draw: Any) -> tuple[scoring.RequestFacts, scoring.OfferFacts, scoring.Completions]:
    themes = {1: "x", 2: "x", 3: "y"}
    group = draw(st.sampled_from([1, 2, 3]))
    request = scoring.RequestFacts(
        1, draw(st.sampled_from([1, 2])), group, themes[group], draw(TOPICS), draw(LANGS)
    )
    groups = draw(st.frozensets(st.sampled_from([1, 2, 3])))
    offer = scoring.OfferFacts(
        2,
        draw(st.sampled_from([2, 3])),
        {g: themes[g] for g in groups},
        draw(TOPICS),
        draw(LANGS),
        draw(st.frozensets(st.sampled_from([10, 11]))),
    )
    done = draw(
        st.dictionaries(
            st.tuples(st.sampled_from([10, 11, 12]), st.sampled_from(["a", "b", "c", "d", "e"])),
            st.builds(scoring.Completion, st.integers(1, 99), st.integers(2012, 2024)),
        )
    )
    return request, offer, done


@settings(max_examples=300, deadline=None, database=None)
@given(pairs())
def test_scoring_is_a_documented_deterministic_sum(
    pair: tuple[scoring.RequestFacts, scoring.OfferFacts, scoring.Completions],
) -> None:
    request, offer, done = pair
    found = scoring.reasons(request, offer, done)
    assert found == scoring.reasons(request, offer, dict(reversed(list(done.items()))))
    assert scoring.score(found) == sum(scoring.POINTS[r.code] for r in found)
    shared = sorted(request.topics & offer.topics)
    if request.organization_id == offer.organization_id or not shared:
        assert found == []
        return
    codes = [r.code for r in found]
    assert codes == sorted(codes, key=scoring.CODES.index)  # the documented order
    assert [r.topic for r in found if r.code == scoring.SHARED_TOPIC] == shared
    assert [r.language for r in found if r.code == scoring.SHARED_LANGUAGE] == sorted(
        request.languages & offer.languages
    )
    assert (scoring.SAME_GROUP in codes) == (request.group_id in offer.groups)
    assert (scoring.SAME_THEME in codes) == (
        request.group_id not in offer.groups and request.theme in offer.groups.values()
    )
    peers = [
        (r.country_id, r.topic, r.commitment_id, r.year)
        for r in found
        if r.code == "PEER_COMPLETED"
    ]
    expected = [
        (c, t, done[(c, t)].commitment_id, done[(c, t)].year)
        for c in sorted(offer.countries)
        for t in sorted(request.topics)
        if (c, t) in done
    ]
    assert peers == expected[: scoring.MAX_PEER_REASONS]  # the first five count


@settings(max_examples=200, deadline=None, database=None)
@given(TOPICS, TOPICS, LANGS, LANGS)
def test_topic_and_language_components_are_symmetric(
    t1: frozenset[str], t2: frozenset[str], l1: frozenset[str], l2: frozenset[str]
) -> None:
    def shared(
        req_t: frozenset[str], req_l: frozenset[str], off_t: frozenset[str], off_l: frozenset[str]
    ) -> list[tuple[str, str | None, str | None, int]]:
        request = scoring.RequestFacts(1, 1, 1, "x", req_t, req_l)
        offer = scoring.OfferFacts(2, 2, {}, off_t, off_l, frozenset())
        return [
            (r.code, r.topic, r.language, r.points)
            for r in scoring.reasons(request, offer, {})
            if r.code in (scoring.SHARED_TOPIC, scoring.SHARED_LANGUAGE)
        ]

    assert shared(t1, l1, t2, l2) == shared(t2, l2, t1, l1)
