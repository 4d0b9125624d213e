"""The access to information plugin's lists that can grow take `first` (1..100; issue 8,
point 3): the group's member country laws, a law's ratings and request statistics."""

from __future__ import annotations

import pytest

from core.testing import GraphQLClient
from tests.first_argument import check_first

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


QUERY = """query($n: Int!) {
  workingGroup(slug: "access-to-information") { ... on AccessToInfoGroup {
    memberCountryLaws(first: $n) { country { code }
      ratings(first: $n) { edition score }
      requestStatistics(first: $n) { year } } } }
}"""


async def test_lists_take_first(client: GraphQLClient) -> None:
    fields = {"memberCountryLaws", "ratings", "requestStatistics"}
    await check_first(client, QUERY, fields)
