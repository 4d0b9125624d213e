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

SOURCE_URL = "The publisher's page the values were read from (null only on an illustrative row)."
RETRIEVED_ON = (
    "When the values were read from `sourceUrl`: publishers revise published results, so the "
    "values are as of this date."
)
ILLUSTRATIVE = (
    "True when the values are made up or unverified (demo data, examples): not to be cited. A "
    "row that is not illustrative carries `sourceUrl` and `retrievedOn`."
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
            "a row that is not illustrative needs its sourceUrl and retrievedOn",
            "sourceUrl",
        )
    }


def check_provenance(values: Mapping[str, Any], problems: UserErrors, today: date) -> str | None:
    """SOURCE_REQUIRED for a missing source or date on a row that is not illustrative,
    INVALID_URL, DATE_IN_FUTURE (a retrieval after today). Returns the source URL stripped (the
    form to store)."""
    source_url, retrieved_on = values.get("source_url"), values.get("retrieved_on")
    stripped = problems.url(source_url, "sourceUrl")
    if retrieved_on is not None and retrieved_on > today:
        problems.add("DATE_IN_FUTURE", "retrievedOn is in the future", "retrievedOn")
    if values.get("illustrative"):
        return stripped
    for field, value in (("sourceUrl", source_url), ("retrievedOn", retrieved_on)):
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.add(
                "SOURCE_REQUIRED",
                f"{field} is required unless the row is illustrative (illustrative: true)",
                field,
            )
    return stripped
