"""Where a row's values come from (the convention of issue 13, shared by the five areas): the
publisher's page (`source_url`), the day the values were read there (`retrieved_on`: publishers
revise published results), or `illustrative` (made up or unverified: demo data, examples).

The database holds the rule (CHECK `sourced_or_illustrative`): a row that is not illustrative
carries both its source and its retrieval date. Mutations check it first (`check_provenance`)
so that the user gets every problem at once as `userErrors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core import ConstraintError, UserErrors

SOURCED_OR_ILLUSTRATIVE = "illustrative OR (source_url IS NOT NULL AND retrieved_on IS NOT NULL)"
FIELDS = ("source_url", "retrieved_on", "illustrative")

# The same texts in every area (plugins/extractives/sourcing.py: *_HELP).
SOURCE_URL = "The publisher's page the value was read on (null only for an illustrative record)."
RETRIEVED_ON = (
    "The day the value was read on that page (publishers revise published figures); null only "
    "for an illustrative record."
)
ILLUSTRATIVE = (
    "True: not a published value (demo or example data, or a value that could not be "
    "confirmed with its publisher); do not cite it."
)


class Provenance:
    """Mixin of a table whose rows cite a source: the three columns (add `sourced_or_illustrative()`
    to its `__table_args__`)."""

    source_url: Mapped[str | None] = mapped_column(String(500))
    retrieved_on: Mapped[date | None]
    illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())


def sourced_or_illustrative() -> CheckConstraint:
    return CheckConstraint(SOURCED_OR_ILLUSTRATIVE, name="sourced_or_illustrative")


def constraint_error(table: str) -> dict[str, ConstraintError]:
    """The `ogp_wg_constraint_errors` entry of a table's CHECK (writes slipping past checks)."""
    return {
        f"ck_{table}_sourced_or_illustrative": ConstraintError(
            "SOURCE_REQUIRED",
            "a record that is not illustrative needs sourceUrl and retrievedOn",
            "sourceUrl",
        )
    }


def check_provenance(values: Mapping[str, Any], problems: UserErrors, today: date) -> str | None:
    """Check a row's `source_url`, `retrieved_on` and `illustrative` (as every area does):
    INVALID_URL / TOO_LONG (sourceUrl; blank counts as none), SOURCE_REQUIRED at sourceUrl and/or
    retrievedOn on a row that is not illustrative and lacks one, DATE_IN_FUTURE for a retrieval
    after today. Returns the source URL to store (stripped; None for blank)."""
    source_url, retrieved_on = values.get("source_url"), values.get("retrieved_on")
    url = source_url.strip() if isinstance(source_url, str) else None
    url = problems.url(url or None, "sourceUrl")
    if not values.get("illustrative"):
        for field, value in (("sourceUrl", url), ("retrievedOn", retrieved_on)):
            if value is None:
                problems.add(
                    "SOURCE_REQUIRED",
                    f"{field} is required unless the record is illustrative",
                    field,
                )
    if retrieved_on is not None and retrieved_on > today:
        problems.add(
            "DATE_IN_FUTURE", f"retrievedOn {retrieved_on} is in the future", "retrievedOn"
        )
    return url
