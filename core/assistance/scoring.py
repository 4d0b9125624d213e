"""How well an offer fits a request: a documented, explainable sum of weighted components.

A pure function over facts already loaded (core/assistance/suggest.py loads them for every pair
in a fixed number of statements): no I/O, no clock, no randomness, so the same facts always give
the same reasons in the same order and the same score. Each reason is ONE component with its
points; the score is the sum of the points. The components, in the order a match lists them:

| code             | points       | when                                                        |
|------------------|--------------|-------------------------------------------------------------|
| SAME_GROUP       | 30           | the offer serves the request's group                        |
| SAME_THEME       | 15           | it does not, but serves another group of the same theme      |
| SHARED_TOPIC     | 20 per topic | a topic both the request and the offer name                  |
| SHARED_LANGUAGE  | 10 per lang. | a language both work in                                      |
| PEER_COMPLETED   | 25 per pair  | a country of the offerer (its own, or one it worked in)     |
|                  |              | completed a commitment on one of the request's topics       |
|                  |              | (IRM completion COMPLETE; the latest, by the plan's end)    |

At most MAX_PEER_REASONS peer reasons count (the first in that order), so a list of reasons stays
short enough to read (and to ask for in one query): at most 1 + 20 topics + 10 languages + 5.

A pair is suggested only when it shares at least one topic (`SHARED_TOPIC`): without one no
other component makes it relevant. An organisation is never matched with itself, and only OPEN
requests and offers are matched (the caller filters those).

Topics, languages and groups are compared by equality, so those components are symmetric: they
do not change when the two sides' sets are swapped (tests/test_assistance.py checks it with
generated sets). Reasons are ordered by component, then by their parameter (topic, language,
country id, topic), so the order never depends on the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SAME_GROUP, SAME_THEME = "SAME_GROUP", "SAME_THEME"
SHARED_TOPIC, SHARED_LANGUAGE, PEER_COMPLETED = "SHARED_TOPIC", "SHARED_LANGUAGE", "PEER_COMPLETED"

POINTS: dict[str, int] = {
    SAME_GROUP: 30,
    SAME_THEME: 15,
    SHARED_TOPIC: 20,
    SHARED_LANGUAGE: 10,
    PEER_COMPLETED: 25,
}
"""Points per component (each reason earns its code's points once)."""
CODES = tuple(POINTS)
MAX_PEER_REASONS = 5
"""The components in the order a match lists its reasons."""


@dataclass(frozen=True)
class RequestFacts:
    id: int
    organization_id: int
    group_id: int
    theme: str
    topics: frozenset[str]
    languages: frozenset[str]


@dataclass(frozen=True)
class OfferFacts:
    id: int
    organization_id: int
    groups: Mapping[int, str]
    """The groups it serves: group id -> the group's theme."""
    topics: frozenset[str]
    languages: frozenset[str]
    countries: frozenset[int]
    """Its organisation's country and the countries it worked in (country ids)."""


@dataclass(frozen=True)
class Completion:
    """A country's latest completed commitment on a topic (from core/commitments' tables)."""

    commitment_id: int
    year: int
    """The year the action plan it belongs to ended (`action_plans.cycle_end`)."""


@dataclass(frozen=True)
class Reason:
    """One component: its code, its points, and the parameters the code uses (others None)."""

    code: str
    points: int
    group_id: int | None = None
    theme: str | None = None
    topic: str | None = None
    language: str | None = None
    country_id: int | None = None
    commitment_id: int | None = None
    year: int | None = None


Completions = Mapping[tuple[int, str], Completion]
"""(country id, topic) -> that country's latest completed commitment on the topic."""


def reasons(request: RequestFacts, offer: OfferFacts, completions: Completions) -> list[Reason]:
    """The reasons the offer fits the request, in the documented order; [] when the pair is not
    to be suggested (no shared topic, or the same organisation on both sides)."""
    if request.organization_id == offer.organization_id:
        return []
    topics = sorted(request.topics & offer.topics)
    if not topics:
        return []
    found: list[Reason] = []
    if request.group_id in offer.groups:
        found.append(Reason(SAME_GROUP, POINTS[SAME_GROUP], group_id=request.group_id))
    else:
        same_theme = sorted(g for g, theme in offer.groups.items() if theme == request.theme)
        if same_theme:
            found.append(
                Reason(
                    SAME_THEME,
                    POINTS[SAME_THEME],
                    group_id=same_theme[0],
                    theme=request.theme,
                )
            )
    found += [Reason(SHARED_TOPIC, POINTS[SHARED_TOPIC], topic=t) for t in topics]
    found += [
        Reason(SHARED_LANGUAGE, POINTS[SHARED_LANGUAGE], language=language)
        for language in sorted(request.languages & offer.languages)
    ]
    peers = 0
    for country in sorted(offer.countries):
        for topic in sorted(request.topics):
            done = completions.get((country, topic))
            if done is not None and peers < MAX_PEER_REASONS:
                peers += 1
                found.append(
                    Reason(
                        PEER_COMPLETED,
                        POINTS[PEER_COMPLETED],
                        topic=topic,
                        country_id=country,
                        commitment_id=done.commitment_id,
                        year=done.year,
                    )
                )
    return found


def score(found: list[Reason]) -> int:
    """The match's score: the sum of its reasons' points."""
    return sum(reason.points for reason in found)
