"""Where a record's values come from: the source convention every thematic area follows, and any
partner plugin can (`from core import provenance`).

Every record that cites a source carries `source_url` (the publisher's page the value was read
on), `retrieved_on` (the day it was read there: publishers revise published figures) and
`illustrative` (True: not a published value, e.g. demo data or a value that could not be
confirmed with its publisher; never cite it). The database holds the rule, whatever the client:
CHECK `ck_<table>_sourced_or_illustrative`,
`illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)`. Mutations check it
first (`check_sourcing`), so a client gets every problem at once as `userErrors`, never a
constraint failure.

A model::

    class Thing(provenance.Sourced, Base):
        __tablename__ = "my_theme_things"
        __table_args__ = (provenance.sourced_check(),)

Migrations must not import this module: a revision keeps its own copy of the CHECK text, so
that a later change here never rewrites history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core.transactions import ConstraintError
from core.validation import UserErrors

SOURCED_OR_ILLUSTRATIVE = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
CHECK_NAME = "sourced_or_illustrative"
FIELDS = ("source_url", "retrieved_on", "illustrative")
"""The convention's column names (and input attribute names), in that order."""

SOURCE_URL_HELP = (
    "The publisher's page the value was read on (null only for an illustrative record)."
)
RETRIEVED_ON_HELP = (
    "The day the value was read on that page (publishers revise published figures); null only "
    "for an illustrative record."
)
ILLUSTRATIVE_HELP = (
    "True: not a published value (demo or example data, or a value that could not be "
    "confirmed with its publisher); do not cite it."
)
"""The GraphQL descriptions of `sourceUrl`, `retrievedOn` and `illustrative`, the same in every
area (types and inputs)."""


def sourced_check() -> CheckConstraint:
    """The table's CHECK `ck_<table>_sourced_or_illustrative` (put it in `__table_args__`)."""
    return CheckConstraint(SOURCED_OR_ILLUSTRATIVE, name=CHECK_NAME)


class Sourced:
    """Mixin: the three columns of the convention (add `sourced_check()` to `__table_args__`):
    `source_url` (up to 500 characters), `retrieved_on` (a date), `illustrative` (default
    false, also on the server)."""

    source_url: Mapped[str | None] = mapped_column(String(500))
    retrieved_on: Mapped[date | None]
    illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())


def sourcing_error(table: str) -> dict[str, ConstraintError]:
    """The `ogp_wg_constraint_errors` entry of `table`'s CHECK: `SOURCE_REQUIRED` at `sourceUrl`
    (for a write that slipped past `check_sourcing`)."""
    return {
        f"ck_{table}_{CHECK_NAME}": ConstraintError(
            "SOURCE_REQUIRED",
            "a record that is not illustrative needs sourceUrl and retrievedOn",
            "sourceUrl",
        )
    }


def check_sourcing(
    errors: UserErrors,
    source_url: str | None,
    retrieved_on: date | None,
    illustrative: bool,
    *,
    today: date | None = None,
) -> str | None:
    """Check an input's `sourceUrl`, `retrievedOn` and `illustrative`, adding to `errors`:
    `INVALID_URL` / `TOO_LONG` (sourceUrl; blank counts as none); `SOURCE_REQUIRED` at
    sourceUrl and/or retrievedOn when the record is not illustrative and lacks one;
    `DATE_IN_FUTURE` for a retrieval date after `today` (default: today in UTC). Returns the URL
    to store (stripped; None for blank)."""
    url = source_url.strip() if source_url is not None else None
    url = errors.url(url or None, "sourceUrl")
    if not illustrative:
        for field, value in (("sourceUrl", url), ("retrievedOn", retrieved_on)):
            if value is None:
                errors.add(
                    "SOURCE_REQUIRED",
                    f"{field} is required unless the record is illustrative",
                    field,
                )
    if retrieved_on is not None and retrieved_on > (today or datetime.now(UTC).date()):
        errors.add("DATE_IN_FUTURE", f"retrievedOn {retrieved_on} is in the future", "retrievedOn")
    return url


def check_values(
    errors: UserErrors, values: Mapping[str, Any], *, today: date | None = None
) -> str | None:
    """`check_sourcing` on a row's values (keys of FIELDS; missing ones count as None/False)."""
    return check_sourcing(
        errors,
        values.get("source_url"),
        values.get("retrieved_on"),
        bool(values.get("illustrative")),
        today=today,
    )
