"""The fiscal openness plugin's lists that can grow take `first` (1..100; issue 8, point 3): a
country's budget documents and transparency trend, the group's commitments and country surveys."""

from __future__ import annotations

import pytest

from core.testing import GraphQLClient
from tests.first_argument import check_first

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


QUERY = """query($n: Int!) {
  countries { code
    budgetDocuments(first: $n) { fiscalYear kind }
    openBudgetTransparencyTrend(first: $n) { edition score change } }
  workingGroup(slug: "fiscal-openness") { ... on FiscalOpennessGroup {
    commitments(first: $n) { title principles }
    countrySurveys(first: $n) { edition country { code } } } }
}"""


async def test_lists_take_first(client: GraphQLClient) -> None:
    fields = {"budgetDocuments", "openBudgetTransparencyTrend", "commitments", "countrySurveys"}
    await check_first(client, QUERY, fields)
