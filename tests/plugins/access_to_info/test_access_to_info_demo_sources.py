"""Issue 13's rule for the access-to-information demo: every row that cites a real source carries
the published value with its source and retrieval date, or says in the data itself that it is
illustrative (laws, ratings and request statistics, as the API returns them)."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # reads are the same for everyone

DEMO = """{
  rtiLaws(first: 100) { nodes { country { code } name sourceUrl retrievedOn illustrative
    ratings { edition series lastUpdated score sourceUrl retrievedOn illustrative } } }
  rtiRequestStatistics(first: 100) { nodes { country { code } year notes sourceUrl retrievedOn
    illustrative } }
}"""


def _sourced_or_illustrative(row: dict[str, Any]) -> None:
    sourced = row["sourceUrl"] is not None and row["retrievedOn"] is not None
    assert row["illustrative"] or sourced, row
    if not row["illustrative"]:  # a published value: where and when it was read
        assert row["sourceUrl"].startswith("https://"), row
        assert row["retrievedOn"] == "2026-11-30", row


async def test_every_demo_row_is_sourced_or_illustrative(client: GraphQLClient) -> None:
    data = await client.execute(DEMO)
    laws = data["rtiLaws"]["nodes"]
    ratings = [(law["country"]["code"], r) for law in laws for r in law["ratings"]]
    statistics = data["rtiRequestStatistics"]["nodes"]
    assert laws and ratings and statistics
    for row in [*laws, *(r for _, r in ratings), *statistics]:
        _sourced_or_illustrative(row)

    # The published ratings: the country pages' "last updated" month, read on rti-rating.org.
    published = {(code, r["edition"]): r for code, r in ratings if not r["illustrative"]}
    assert set(published) == {("MX", "2016"), ("KE", "2016"), ("GB", "2025")}
    assert {code: r["score"] for (code, _), r in published.items()} == {
        "MX": 136,
        "KE": 113,
        "GB": 84,
    }
    for r in published.values():
        assert r["series"] == "COUNTRY_PAGE"
        assert r["sourceUrl"].startswith("https://www.rti-rating.org/country-data/")
    assert {(c, r["lastUpdated"]) for (c, _), r in published.items()} == {
        ("MX", "2016-09"),
        ("KE", "2016-09"),
        ("GB", "2025-08"),
    }
    # Brazil's years were not confirmed: yearly HISTORICAL rows, illustrative in the data.
    brazil = [r for code, r in ratings if code == "BR"]
    assert brazil and all(r["illustrative"] and r["series"] == "HISTORICAL" for r in brazil)
    # Every request statistic is illustrative, and its notes say so.
    for row in statistics:
        assert row["illustrative"] is True, row
        assert "llustrative" in row["notes"], row
