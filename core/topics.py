"""Topics: the shared vocabulary that commitments' themes, resources' tags, declared expertise and
assistance requests and offers are matched on (issue 10).

A topic is a lowercase slug (`beneficial-ownership`, `budget-transparency`, `open-contracting`):
ASCII letters and digits in hyphen-separated words, at most 64 characters. Slugs rather than free
text so that "the same topic" is an equality a database index can serve (matching, search
filters, the pilot report), and rather than a closed enum so a new group brings its own topics
without a schema change. Each domain stores a row's topics in a child table
(`<row>_topics(<row>_id, topic)`) with `TOPIC_CHECK` as a CHECK constraint named `topic`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import CheckConstraint

from core.errors import Rejected, user_error

TOPIC = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_LENGTH = 64
MAX_TOPICS = 20
"""At most this many topics on one row: a tag cloud stops helping a reader well before."""

# The same rule for the database. A portable CHECK cannot use a regular expression (SQLite has
# GLOB, PostgreSQL `~`), so each dialect gets its own spelling of the one rule.
TOPIC_CHECKS = {
    "sqlite": (
        f"length(topic) BETWEEN 1 AND {MAX_LENGTH} AND topic NOT GLOB '*[^a-z0-9-]*' "
        "AND topic NOT LIKE '-%' AND topic NOT LIKE '%-' AND topic NOT LIKE '%--%'"
    ),
    "postgresql": f"length(topic) <= {MAX_LENGTH} AND topic ~ '^[a-z0-9]+(-[a-z0-9]+)*$'",
}
"""The SQL of the CHECK constraint named `topic` on a `topic` column, by dialect name; use
`topic_constraints()` in a model. A migration uses a copy frozen when it was written (core_0015's
TOPIC_CHECKS, reused by core_0016 and core_0017), never this one: a change here needs a new
revision."""


def topic_constraints() -> list[CheckConstraint]:
    """The CHECK named `topic` for a model's `__table_args__`, each spelling emitted only on its
    own dialect (SQLAlchemy's `ddl_if`)."""
    return [
        CheckConstraint(sql, name="topic").ddl_if(dialect=dialect)
        for dialect, sql in TOPIC_CHECKS.items()
    ]


def invalid_topics(topics: Iterable[str]) -> list[str]:
    """The topics of `topics` that are not slugs (in the order given); empty when all are."""
    return [t for t in topics if len(t) > MAX_LENGTH or not TOPIC.fullmatch(t)]


def normalise_topics(topics: Iterable[str]) -> list[str]:
    """`topics` stripped, lowercased, deduplicated and sorted, the stored form; validate the
    result with `invalid_topics` (a space inside a topic is not turned into a hyphen: the client
    is told instead, as a userError with code `INVALID_TOPIC`)."""
    return sorted({t.strip().lower() for t in topics})


def checked_topics(values: Iterable[str], field: str, *, required: bool = False) -> list[str]:
    """`values` in their stored form (`normalise_topics`), checked for a write: raises
    `core.errors.Rejected` with the user error REQUIRED (none given, when `required`),
    INVALID_TOPIC (naming the ones that are not slugs) or TOO_MANY (over `MAX_TOPICS`), at the
    input field `field`."""
    topics = normalise_topics(values)
    if required and not topics:
        raise Rejected(user_error("REQUIRED", "name at least one topic", field))
    bad = invalid_topics(topics)
    if bad:
        raise Rejected(user_error("INVALID_TOPIC", f"not topic slugs: {', '.join(bad)}", field))
    if len(topics) > MAX_TOPICS:
        raise Rejected(user_error("TOO_MANY", f"at most {MAX_TOPICS} topics", field))
    return topics
