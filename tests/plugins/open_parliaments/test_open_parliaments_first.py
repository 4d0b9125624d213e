"""The open parliaments plugin's lists that can grow take `first` (1..100; issue 8, point 3):
a legislature's monitoring organisations and the group's member endorsements."""

from __future__ import annotations

import pytest

from core.testing import GraphQLClient
from tests.first_argument import check_first

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


QUERY = """query($n: Int!) {
  legislatures(first: 50) { nodes { name
    monitoringOrganizations(first: $n) { scope organization { name } } } }
  workingGroup(slug: "open-parliaments") { ... on OpenParliamentsGroup {
    memberEndorsements(first: $n) { endorsedOn organization { name } } } }
}"""


async def test_lists_take_first(client: GraphQLClient) -> None:
    # one monitoring organisation per legislature at most in the demo: its argument is checked
    few = frozenset({"monitoringOrganizations"})
    await check_first(client, QUERY, {"monitoringOrganizations", "memberEndorsements"}, few)
