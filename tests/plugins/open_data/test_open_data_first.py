"""The open data plugin's lists that can grow take `first` (1..100; issue 8, point 3): a
country's portals, ODIN scores and Charter adopters, a portal's high-value datasets, the group's
Charter adopters and endorsers."""

from __future__ import annotations

import pytest

from core.testing import ClientFactory
from tests.first_argument import check_first

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


QUERY = """query($n: Int!) {
  countries { code
    dataPortals(first: $n) { name highValueDatasets(first: $n) { title } }
    odinScores(first: $n) { edition }
    openDataCharter { level adopters(first: $n) { adoptedOn level } } }
  workingGroup(slug: "open-data") { ... on OpenDataGroup {
    charterAdopters(first: $n) { adoptedOn }
    charterEndorsers(first: $n) { name } } }
}"""


async def test_lists_take_first(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    # first: 100 on every nested list is far past the default node limit: raised here
    client = make_client(demo_db, debug=True, max_nodes=10**12).with_token(role_tokens["staff"])
    fields = {
        "dataPortals",
        "highValueDatasets",
        "odinScores",
        "adopters",
        "charterAdopters",
        "charterEndorsers",
    }
    # the demo has one portal per country, one dataset per portal, one endorser in the group:
    # for those only the argument is checked
    few = frozenset({"dataPortals", "highValueDatasets", "charterEndorsers"})
    await check_first(client, QUERY, fields, few)
