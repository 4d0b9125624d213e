"""Where a record comes from: the source convention of the thematic plugins.

Every record that cites a source carries `source_url` (the publisher's page the value was read
on), `retrieved_on` (the day it was read there: publishers revise published figures) and
`illustrative` (True: not a published value, e.g. demo data; never cite it). The database holds
the rule, whatever the client: CHECK `sourced_or_illustrative`,
`illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)`. Mutations check it
first (`check_sourcing`), so a client gets `userErrors`, never a constraint failure.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core import ConstraintError, UserErrors

SOURCED_OR_ILLUSTRATIVE = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
CHECK_NAME = "sourced_or_illustrative"

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


def sourced_check() -> CheckConstraint:
    """The table's CHECK `ck_<table>_sourced_or_illustrative`."""
    return CheckConstraint(SOURCED_OR_ILLUSTRATIVE, name=CHECK_NAME)


class Sourced:
    """Mixin: the three columns of the convention (add `sourced_check()` to `__table_args__`)."""

    source_url: Mapped[str | None] = mapped_column(String(500))
    retrieved_on: Mapped[date | None]
    illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())


def sourcing_error(table: str) -> dict[str, ConstraintError]:
    """`CONSTRAINT_ERRORS` entry for a table's CHECK (a write that slipped past the checks)."""
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
    """Check an input's `sourceUrl`, `retrievedOn` and `illustrative`; returns the URL to store
    (stripped; None for blank). Errors: `INVALID_URL` / `TOO_LONG` (sourceUrl);
    `SOURCE_REQUIRED` at sourceUrl and/or retrievedOn when the record is not illustrative and
    lacks one; `DATE_IN_FUTURE` for a retrieval date after today (UTC)."""
    url = source_url.strip() if source_url is not None else None
    url = errors.url(url or None, "sourceUrl")
    if not illustrative:
        if url is None:
            errors.add(
                "SOURCE_REQUIRED",
                "sourceUrl is required unless the record is illustrative",
                "sourceUrl",
            )
        if retrieved_on is None:
            errors.add(
                "SOURCE_REQUIRED",
                "retrievedOn is required unless the record is illustrative",
                "retrievedOn",
            )
    if retrieved_on is not None and retrieved_on > (today or date.today()):
        errors.add("DATE_IN_FUTURE", f"retrievedOn {retrieved_on} is in the future", "retrievedOn")
    return url
