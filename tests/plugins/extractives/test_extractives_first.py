"""The extractives plugin's lists take `first` (1..100; issue 8, point 3): beneficial owners,
contract disclosures, the group's EITI countries, a country's EITI history and Validations and
their Requirements."""

from __future__ import annotations

import pytest

from core.testing import ClientFactory
from tests.first_argument import check_first

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


QUERY = """query($n: Int!) {
  workingGroup(slug: "extractive-industries") { ... on ExtractivesGroup {
    eitiCountries(first: $n) { code eiti { status
      history(first: $n) { status effectiveOn }
      validations(first: $n) { decidedOn components { component score }
                               requirements(first: $n) { requirement level } }
      earlierValidations(first: $n) { decidedOn requirements(first: $n) { requirement level } }
  } } } }
  extractiveProjects(first: 10) { nodes { name
    contractDisclosures(first: $n) { title } } }
  beneficialOwnershipDisclosures(first: 10) { nodes { company { name
    beneficialOwners(first: $n) { ownerName disclosedOn } } } }
}"""


async def test_lists_take_first(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    # first: 100 on every nested list is far past the default node limit: raised here
    client = make_client(demo_db, debug=True, max_nodes=10**12).with_token(role_tokens["staff"])
    fields = {
        "eitiCountries",
        "history",
        "validations",
        "requirements",
        "earlierValidations",
        "contractDisclosures",
        "beneficialOwners",
    }
    await check_first(client, QUERY, fields, few=frozenset({"validations"}))  # one each in the demo
