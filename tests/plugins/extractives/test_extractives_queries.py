"""The extractives plugin's reads over the demo data: Country.eiti with Validations (Assessments),
Organization.beneficialOwners, the group's EITI countries, and the three root queries with each
filter and pagination.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ASSESSMENT = "score scaleMax edition methodologyVersion sourceUrl"


async def test_country_eiti_with_validations(client: GraphQLClient) -> None:
    """Ghana: its scored Validation (2019 Standard, 2024) and its three earlier ones on the
    progress scale of the 2016 Standard, as the EITI Board published them."""
    data = await client.execute(
        f"""{{
          gh: country(code: "GH") {{ eiti {{ status joinedOn
            validations {{
              id decidedOn boardDecision standard overallAssessment overallAssessmentLabel
              effectivenessPoints retrievedOn illustrative {ASSESSMENT}
              country {{ code }} requirements {{ requirement level }}
              components {{ component label {ASSESSMENT} }} }}
            earlierValidations {{
              id decidedOn decidedOnPrecision boardDecision standard overallAssessment overallAssessmentLabel
              sourceUrl retrievedOn illustrative country {{ code }}
              requirements {{ requirement level }} }} }} }}
          ke: country(code: "KE") {{ eiti {{ status }} }}
          us: country(code: "USA") {{ eiti {{ status validations {{ score }} }} }}
        }}"""
    )
    eiti = data["gh"]["eiti"]
    assert (eiti["status"], eiti["joinedOn"]) == ("IMPLEMENTING", "2007-09-27")
    (scored,) = eiti["validations"]
    assert scored["standard"] == "EITI_2019"
    assert scored["boardDecision"] == "2024-18 / BM-59"
    assert (scored["score"], scored["scaleMax"]) == (83, 100)
    assert scored["effectivenessPoints"] == 2.5
    assert (scored["overallAssessment"], scored["overallAssessmentLabel"]) == (
        "MODERATE",
        "Moderate score",
    )
    # The Board's scores and decision; its date is known to the year only (decidedOnPrecision).
    assert scored["illustrative"] is False
    assert scored["methodologyVersion"] == "EITI Standard 2019"
    assert scored["edition"] == scored["decidedOn"][:4]
    assert scored["country"] == {"code": "GH"}
    assert scored["requirements"] == []
    components = scored["components"]
    assert [(c["component"], c["label"], c["score"]) for c in components] == [
        ("STAKEHOLDER_ENGAGEMENT", "Stakeholder engagement", 82.5),
        ("TRANSPARENCY", "Transparency", 78),
        ("OUTCOMES_AND_IMPACT", "Outcomes and impact", 88.5),
    ]
    for component in components:
        assert component["scaleMax"] == 100
        assert component["methodologyVersion"] == scored["methodologyVersion"]
        assert component["sourceUrl"] == scored["sourceUrl"]

    third, second, first = eiti["earlierValidations"]  # latest first
    assert (first["decidedOn"], first["boardDecision"]) == ("2017-03-08", "2017-08")
    assert (second["decidedOn"], second["boardDecision"]) == ("2019-02-27", "2019-16 / BM-42")
    # The third is known to the year only (its decision page gives no day): 2020-01-01.
    assert (third["decidedOn"], third["boardDecision"]) == ("2020-01-01", "2020-85 / BC-299")
    assert third["sourceUrl"] == "https://eiti.org/board-decision/2020-85"
    assert [e["decidedOnPrecision"] for e in (first, second, third)] == ["DAY", "DAY", "YEAR"]
    for earlier in (first, second, third):
        assert earlier["standard"] == "EITI_2016"
        assert earlier["overallAssessment"] == "MEANINGFUL_PROGRESS"
        assert earlier["overallAssessmentLabel"] == "Meaningful progress"
        assert earlier["sourceUrl"].startswith("https://eiti.org/board-decision/")
        assert (earlier["retrievedOn"], earlier["illustrative"]) == ("2026-11-30", False)
        assert earlier["country"] == {"code": "GH"}
    # The 2017 decision lists the Requirements with meaningful progress.
    assert first["requirements"] == [
        {"requirement": r, "level": "MEANINGFUL_PROGRESS"}
        for r in ("2.3", "2.6", "3.2", "3.3", "4.1", "4.2", "4.5", "6.2")
    ]
    assert second["requirements"] == third["requirements"] == []
    assert data["ke"]["eiti"] is None
    assert data["us"]["eiti"] == {"status": "WITHDRAWN", "validations": []}


async def test_validations_are_assessments(client: GraphQLClient) -> None:
    """A front end can chart any index through the shared interface."""
    data = await client.execute(
        """{ country(code: "GH") { eiti { validations {
               ... on Assessment { score scaleMax methodologyVersion }
               components { ... on Assessment { score scaleMax } } } } } }"""
    )
    (validation,) = data["country"]["eiti"]["validations"]
    assert validation["scaleMax"] == 100 and len(validation["components"]) == 3


async def test_group_eiti_countries(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroup(slug: "extractive-industries") {
               __typename
               ... on ExtractivesGroup { eitiStandardUrl
                 eitiCountries { code eiti { status } } } } }"""
    )
    group = data["workingGroup"]
    assert group["__typename"] == "ExtractivesGroup"
    assert group["eitiStandardUrl"] == "https://eiti.org/eiti-standard"
    codes = [c["code"] for c in group["eitiCountries"]]
    # Anchors (GH) and members (NO, GB, MX, ID, US) that joined the EITI; the World Bank has no
    # country, and every listed country has an EITI status.
    assert set(codes) == {"GH", "NO", "GB", "MX", "ID", "US"}
    assert all(c["eiti"] for c in group["eitiCountries"])


async def _all_pages(client: GraphQLClient, query: str, field: str, **variables: Any) -> list[Any]:
    nodes: list[Any] = []
    after = None
    while True:
        data = await client.execute(query, {**variables, "first": 2, "after": after})
        page = data[field]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


PROJECTS = """
query($filter: ExtractiveProjectFilter, $first: Int!, $after: String) {
  extractiveProjects(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name commodity licenseReference location country { code }
            operator { name kind } contractDisclosures { title project { name } } }
  }
}"""


async def test_extractive_projects_filters_and_pages(client: GraphQLClient) -> None:
    everything = await _all_pages(client, PROJECTS, "extractiveProjects")
    names = [p["name"] for p in everything]
    assert names == sorted(names) and len(names) == len(set(names)) == 6
    jubilee = next(p for p in everything if p["name"] == "Jubilee Field")
    assert jubilee["country"] == {"code": "GH"}
    assert jubilee["operator"] == {"name": "Tullow Oil plc", "kind": "PRIVATE_SECTOR"}
    assert len(jubilee["contractDisclosures"]) == 2
    assert {d["project"]["name"] for d in jubilee["contractDisclosures"]} == {"Jubilee Field"}

    async def names_for(filter: dict[str, Any]) -> list[str]:
        data = await client.execute(PROJECTS, {"filter": filter, "first": 100})
        return [p["name"] for p in data["extractiveProjects"]["nodes"]]

    assert await names_for({"country": "GH"}) == ["Jubilee Field"]
    assert await names_for({"country": "nor"}) == ["Johan Sverdrup"]
    assert await names_for({"commodity": ["OIL"]}) == ["Johan Sverdrup", "Jubilee Field"]
    assert await names_for({"commodity": "COPPER"}) == ["Grasberg"]  # a single value is a list
    assert await names_for({"commodity": ["GAS", "COAL"]}) == ["Cerrejón", "Malampaya"]
    assert await names_for({"country": "GH", "commodity": ["GAS"]}) == []
    assert await names_for({"country": "ZZ"}) == []


CONTRACTS = """
query($filter: ExtractiveContractDisclosureFilter, $first: Int!, $after: String) {
  contractDisclosures(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id title kind signedOn disclosedOn url eitiRequirement country { code }
            project { name } }
  }
}"""


async def test_contract_disclosures_filters_and_pages(client: GraphQLClient) -> None:
    everything = await _all_pages(client, CONTRACTS, "contractDisclosures")
    assert len(everything) == 4
    dates = [d["disclosedOn"] for d in everything]
    assert dates == sorted(dates)  # oldest first
    assert {d["eitiRequirement"] for d in everything} == {"2.4"}
    licence = next(d for d in everything if d["kind"] == "LICENSE")
    assert licence["project"] is None and licence["signedOn"] is None

    data = await client.execute(CONTRACTS, {"filter": {"country": "GH"}, "first": 10})
    ghana = data["contractDisclosures"]
    assert ghana["totalCount"] == 2
    assert {d["country"]["code"] for d in ghana["nodes"]} == {"GH"}

    data = await client.execute(CONTRACTS, {"filter": {"since": "2019-02-14"}, "first": 10})
    recent = data["contractDisclosures"]["nodes"]
    assert {d["country"]["code"] for d in recent} == {"PH", "MX"}
    assert all(d["disclosedOn"] >= "2019-02-14" for d in recent)

    data = await client.execute(
        CONTRACTS, {"filter": {"country": "GH", "since": "2015-01-01"}, "first": 10}
    )
    assert data["contractDisclosures"]["totalCount"] == 0


OWNERS = """
query($filter: BeneficialOwnershipDisclosureFilter, $first: Int!, $after: String) {
  beneficialOwnershipDisclosures(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id ownerName politicallyExposedPerson ownershipPercent interestSince disclosedOn
            sourceUrl eitiRequirement country { code } company { name kind } }
  }
}"""


async def test_beneficial_ownership_disclosures_filters_and_pages(client: GraphQLClient) -> None:
    everything = await _all_pages(client, OWNERS, "beneficialOwnershipDisclosures")
    assert len(everything) == 4
    assert {o["eitiRequirement"] for o in everything} == {"2.5"}
    assert all("(illustrative)" in o["ownerName"] for o in everything)

    data = await client.execute(OWNERS, {"filter": {"pepOnly": True}, "first": 10})
    peps = data["beneficialOwnershipDisclosures"]["nodes"]
    assert len(peps) == 2 and all(o["politicallyExposedPerson"] for o in peps)

    data = await client.execute(OWNERS, {"filter": {"country": "GH"}, "first": 10})
    ghana = data["beneficialOwnershipDisclosures"]["nodes"]
    assert len(ghana) == 2 and {o["country"]["code"] for o in ghana} == {"GH"}

    data = await client.execute(
        OWNERS, {"filter": {"country": "GHA", "pepOnly": True}, "first": 10}
    )
    (pep,) = data["beneficialOwnershipDisclosures"]["nodes"]
    assert pep["ownershipPercent"] == 40 and pep["company"]["kind"] == "PRIVATE_SECTOR"


async def test_organization_beneficial_owners(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ organizations(filter: {text: "Western Example Gold"}) { nodes {
               name
               beneficialOwners { ownerName politicallyExposedPerson disclosedOn }
               peps: beneficialOwners(pepOnly: true) { ownerName } } }
             other: organizations(filter: {text: "Tullow"}) { nodes { beneficialOwners {
               ownerName } } } }"""
    )
    (company,) = data["organizations"]["nodes"]
    owners = company["beneficialOwners"]
    assert [o["ownerName"] for o in owners] == [
        "A. Mensah (illustrative)",
        "K. Boateng (illustrative)",
    ]
    assert [o["ownerName"] for o in company["peps"]] == ["K. Boateng (illustrative)"]
    assert data["other"]["nodes"][0]["beneficialOwners"] == []


async def test_statement_count_does_not_grow_with_the_page(demo_db: str, make_client: Any) -> None:
    client: GraphQLClient = make_client(demo_db, debug=True)
    query = """query($first: Int!) { extractiveProjects(first: $first) { nodes {
                 name country { code eiti { status validations { score } } }
                 operator { name beneficialOwners { ownerName company { name } } }
                 contractDisclosures { title project { name } country { code } } } } }"""

    async def statements(first: int) -> int:
        response = await client.post(query, {"first": first})
        body = response.json()
        assert "errors" not in body, body
        assert len(body["data"]["extractiveProjects"]["nodes"]) == first
        return int(response.headers["x-sql-statements"])

    # One statement per relation level (10 here) whatever the number of rows; the first four
    # projects already reach every level that has rows.
    assert await statements(4) == await statements(6) <= 10
