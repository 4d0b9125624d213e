"""The extractives plugin's mutations: success, correction (with `id`), each error code, and
nothing half-written.
"""

from __future__ import annotations

from typing import Any

import pytest

from core import to_global_id
from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code message field }"

MEMBERSHIP = f"""
mutation($input: EitiMembershipRecordInput!) {{
  eitiMembershipRecord(input: $input) {{ eiti {{ status joinedOn validations {{ score }} }} {ERRORS} }}
}}"""

VALIDATION = f"""
mutation($input: EitiValidationRecordInput!) {{
  eitiValidationRecord(input: $input) {{
    validation {{ id decidedOn standard score scaleMax edition methodologyVersion sourceUrl
                 overallAssessment overallAssessmentLabel country {{ code }}
                 components {{ component score }} }}
    {ERRORS}
  }}
}}"""

PROJECT = f"""
mutation($input: ExtractiveProjectRecordInput!) {{
  projectRecord(input: $input) {{
    project {{ id name commodity licenseReference location country {{ code }}
              operator {{ name }} }}
    {ERRORS}
  }}
}}"""

CONTRACT = f"""
mutation($input: ExtractiveContractDisclosureRecordInput!) {{
  contractDisclosureRecord(input: $input) {{
    contractDisclosure {{ id title kind signedOn disclosedOn url eitiRequirement
                         country {{ code }} project {{ name }} }}
    {ERRORS}
  }}
}}"""

OWNER = f"""
mutation($input: BeneficialOwnerRecordInput!) {{
  beneficialOwnerRecord(input: $input) {{
    beneficialOwner {{ id ownerName politicallyExposedPerson ownershipPercent interestSince
                      disclosedOn sourceUrl eitiRequirement country {{ code }} company {{ name }} }}
    {ERRORS}
  }}
}}"""

COUNTS = """{
  countries { code eiti { status joinedOn validations { id score } } }
  extractiveProjects(first: 100) { totalCount nodes { name country { code } commodity } }
  contractDisclosures(first: 100) { totalCount nodes { title url } }
  beneficialOwnershipDisclosures(first: 100) { totalCount nodes { ownerName } }
}"""


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def _org(client: GraphQLClient, text: str) -> str:
    data = await client.execute(
        "query($t: String!) { organizations(filter: {text: $t}) { nodes { id } } }", {"t": text}
    )
    (org,) = data["organizations"]["nodes"]
    return org["id"]


async def _project(client: GraphQLClient, name: str) -> str:
    data = await client.execute("{ extractiveProjects(first: 100) { nodes { id name } } }")
    return next(p["id"] for p in data["extractiveProjects"]["nodes"] if p["name"] == name)


async def _expect_errors(
    client: GraphQLClient, mutation: str, base: dict[str, Any], cases: list[Any]
) -> None:
    """Each (change, codes) case is rejected with exactly those codes, and writes nothing."""
    before = await client.execute(COUNTS)
    for change, codes in cases:
        payload = _payload(await client.execute(mutation, {"input": base | change}))
        assert _codes(payload) == codes, (change, payload["userErrors"])
        assert all(e["field"][0] == "input" for e in payload["userErrors"])
        (saved,) = (v for k, v in payload.items() if k != "userErrors")
        assert saved is None
    assert await client.execute(COUNTS) == before


# --- EITI membership -----------------------------------------------------------------------------


async def test_membership_record_and_correct(client: GraphQLClient) -> None:
    base = {
        "country": "KE",
        "status": "IMPLEMENTING",
        "joinedOn": "2024-03-01",
        "sourceUrl": "https://eiti.org/countries/kenya",
        "retrievedOn": "2026-11-30",
    }
    created = _payload(await client.execute(MEMBERSHIP, {"input": base}))
    assert created["userErrors"] == []
    assert created["eiti"] == {
        "status": "IMPLEMENTING",
        "joinedOn": "2024-03-01",
        "validations": [],
    }

    corrected = _payload(
        await client.execute(
            MEMBERSHIP,
            {
                "input": base
                | {"country": "KEN", "status": "SUSPENDED", "suspensionReason": "TEMPORARY"}
            },
        )
    )
    assert corrected["eiti"]["status"] == "SUSPENDED"
    data = await client.execute('{ country(code: "KE") { eiti { status joinedOn } } }')
    assert data["country"]["eiti"] == {"status": "SUSPENDED", "joinedOn": "2024-03-01"}

    await _expect_errors(
        client,
        MEMBERSHIP,
        base,
        [
            ({"country": "ZZ"}, ["UNKNOWN_COUNTRY"]),
            # Ghana's Validation of 2017 cannot precede its joining the EITI.
            ({"country": "GH", "joinedOn": "2024-01-01"}, ["DATES_OUT_OF_ORDER"]),
        ],
    )


# --- Validations ---------------------------------------------------------------------------------

VALIDATION_INPUT = {
    "country": "MX",
    "decidedOn": "2021-10-13",
    "standard": "EITI_2019",
    "stakeholderEngagement": 80,
    "transparency": 60.5,
    "outcomesAndImpact": 55,
    "overallScore": 65,
    "overallAssessment": "MODERATE",
    "sourceUrl": "https://eiti.org/countries/mexico",
    "retrievedOn": "2026-11-30",
}


async def test_validation_record_and_correct(client: GraphQLClient) -> None:
    created = _payload(await client.execute(VALIDATION, {"input": VALIDATION_INPUT}))
    assert created["userErrors"] == []
    validation = created["validation"]
    assert validation["country"] == {"code": "MX"}
    assert (validation["score"], validation["scaleMax"]) == (65, 100)
    assert validation["edition"] == "2021"
    assert validation["methodologyVersion"] == "EITI Standard 2019"
    assert validation["overallAssessmentLabel"] == "Moderate score"
    assert [c["score"] for c in validation["components"]] == [80, 60.5, 55]

    change = {"id": validation["id"], "transparency": 62.5, "overallScore": 66}
    corrected = _payload(await client.execute(VALIDATION, {"input": VALIDATION_INPUT | change}))
    assert corrected["userErrors"] == []
    assert corrected["validation"]["id"] == validation["id"]
    assert corrected["validation"]["score"] == 66
    data = await client.execute('{ country(code: "MX") { eiti { validations { score } } } }')
    assert data["country"]["eiti"]["validations"] == [{"score": 66}]

    # A correction may keep its own date: only another Validation's date is a duplicate.
    again = _payload(await client.execute(VALIDATION, {"input": VALIDATION_INPUT | change}))
    assert again["userErrors"] == []


async def test_validation_record_errors(client: GraphQLClient) -> None:
    data = await client.execute('{ country(code: "GH") { eiti { validations { id } } } }')
    ghana_validation = data["country"]["eiti"]["validations"][0]["id"]
    project = await _project(client, "Jubilee Field")
    cases = [
        ({"transparency": 100.5}, ["SCORE_OUT_OF_RANGE"]),
        ({"stakeholderEngagement": -1, "overallScore": 101}, ["SCORE_OUT_OF_RANGE"] * 2),
        ({"outcomesAndImpact": 1000}, ["SCORE_OUT_OF_RANGE"]),
        ({"sourceUrl": "eiti.org/countries/mexico"}, ["INVALID_URL"]),
        ({"sourceUrl": "ftp://eiti.org/x"}, ["INVALID_URL"]),
        ({"country": "ZZZ"}, ["UNKNOWN_COUNTRY"]),
        ({"country": "KE"}, ["NOT_AN_EITI_COUNTRY"]),  # an OGP country outside the EITI
        ({"decidedOn": "2016-05-01"}, ["DATES_OUT_OF_ORDER"]),  # before Mexico joined (2017)
        ({"country": "GH", "decidedOn": "2024-01-01"}, ["DUPLICATE_VALIDATION"]),
        ({"id": "not-an-id"}, ["NOT_FOUND"]),
        ({"id": project}, ["NOT_FOUND"]),  # an ID of another type
        ({"id": to_global_id("EitiValidation", 999_999)}, ["NOT_FOUND"]),
    ]
    await _expect_errors(client, VALIDATION, VALIDATION_INPUT, cases)

    # Correcting Ghana's Validation onto the date of another of Ghana's: a duplicate too.
    other = VALIDATION_INPUT | {"country": "GH", "decidedOn": "2020-01-15"}
    assert _codes(_payload(await client.execute(VALIDATION, {"input": other}))) == []
    clash = other | {"id": ghana_validation}
    payload = _payload(await client.execute(VALIDATION, {"input": clash}))
    assert _codes(payload) == ["DUPLICATE_VALIDATION"]
    assert payload["userErrors"][0]["field"] == ["input", "decidedOn"]


async def test_validation_field_paths(client: GraphQLClient) -> None:
    payload = _payload(
        await client.execute(
            VALIDATION, {"input": VALIDATION_INPUT | {"transparency": 120, "sourceUrl": "x"}}
        )
    )
    assert [e["field"] for e in payload["userErrors"]] == [
        ["input", "transparency"],
        ["input", "sourceUrl"],
    ]


# --- Projects ------------------------------------------------------------------------------------


async def test_project_record_and_correct(client: GraphQLClient) -> None:
    tullow = await _org(client, "Tullow")
    base = {
        "country": "GH",
        "name": "TEN fields",
        "commodity": "OIL",
        "operatorId": tullow,
        "licenseReference": " Deepwater Tano ",
        "location": "Offshore, Western Region",
        "illustrative": True,
    }
    created = _payload(await client.execute(PROJECT, {"input": base}))
    assert created["userErrors"] == []
    project = created["project"]
    assert project["operator"] == {"name": "Tullow Oil plc"}
    assert project["licenseReference"] == "Deepwater Tano"  # trimmed
    assert project["country"] == {"code": "GH"}

    change = {"id": project["id"], "commodity": "GAS", "operatorId": None, "licenseReference": ""}
    corrected = _payload(await client.execute(PROJECT, {"input": base | change}))
    assert corrected["userErrors"] == []
    assert corrected["project"]["id"] == project["id"]
    assert corrected["project"]["commodity"] == "GAS"
    assert corrected["project"]["operator"] is None
    assert corrected["project"]["licenseReference"] is None

    data = await client.execute(
        '{ extractiveProjects(filter: {country: "GH"}) { nodes { name commodity } } }'
    )
    assert {"name": "TEN fields", "commodity": "GAS"} in data["extractiveProjects"]["nodes"]


async def test_project_record_errors(client: GraphQLClient) -> None:
    pwyp = await _org(client, "Publish What You Pay")
    jubilee = await _project(client, "Jubilee Field")
    base = {"country": "GH", "name": "Sankofa", "commodity": "GAS", "illustrative": True}
    cases = [
        ({"country": "XX"}, ["UNKNOWN_COUNTRY"]),
        ({"name": "Jubilee Field"}, ["DUPLICATE_PROJECT"]),
        ({"name": "   "}, ["REQUIRED"]),
        ({"name": "n" * 301}, ["TOO_LONG"]),
        ({"location": "l" * 301, "licenseReference": "r" * 101}, ["TOO_LONG", "TOO_LONG"]),
        ({"operatorId": pwyp}, ["INVALID_OPERATOR"]),  # a civil-society organisation
        ({"operatorId": to_global_id("Organization", 999_999)}, ["NOT_FOUND"]),
        ({"id": to_global_id("ExtractiveProject", 999_999)}, ["NOT_FOUND"]),
        # Jubilee's contracts are Ghana's: the project cannot move to another country alone.
        ({"id": jubilee, "name": "Jubilee Field", "country": "NG"}, ["PROJECT_COUNTRY_MISMATCH"]),
    ]
    await _expect_errors(client, PROJECT, base, cases)


async def test_unknown_commodity_is_rejected_by_the_schema(client: GraphQLClient) -> None:
    errors = await client.errors(
        PROJECT, {"input": {"country": "GH", "name": "X", "commodity": "UNOBTAINIUM"}}
    )
    assert errors[0]["extensions"]["code"] == "INVALID_ENUM_VALUE"
    literal = await client.errors(
        "{ extractiveProjects(filter: {commodity: [UNOBTAINIUM]}) { totalCount } }"
    )
    assert literal[0]["extensions"]["code"] == "INVALID_ENUM_VALUE"


# --- Contract disclosures ------------------------------------------------------------------------


async def test_contract_disclosure_record_and_correct(client: GraphQLClient) -> None:
    jubilee = await _project(client, "Jubilee Field")
    base = {
        "country": "GH",
        "title": "Unitisation agreement, Jubilee field",
        "kind": "CONTRACT",
        "projectId": jubilee,
        "signedOn": "2009-07-13",
        "disclosedOn": "2015-01-30",
        "url": "https://example.org/gh/jubilee-unitisation.pdf",
        "illustrative": True,  # an invented document (example.org)
    }
    created = _payload(await client.execute(CONTRACT, {"input": base}))
    assert created["userErrors"] == []
    disclosure = created["contractDisclosure"]
    assert disclosure["eitiRequirement"] == "2.4"
    assert disclosure["project"] == {"name": "Jubilee Field"}

    change = {"id": disclosure["id"], "projectId": None, "kind": "LICENSE", "signedOn": None}
    corrected = _payload(await client.execute(CONTRACT, {"input": base | change}))
    assert corrected["userErrors"] == []
    assert corrected["contractDisclosure"]["project"] is None
    assert corrected["contractDisclosure"]["kind"] == "LICENSE"
    data = await client.execute(
        '{ contractDisclosures(filter: {since: "2015-01-30"}) { nodes { title } } }'
    )
    assert {"title": base["title"]} in data["contractDisclosures"]["nodes"]


async def test_contract_disclosure_record_errors(client: GraphQLClient) -> None:
    jubilee = await _project(client, "Jubilee Field")
    existing = "https://example.org/eiti-demo/gh/deepwater-tano-petroleum-agreement.pdf"
    base = {
        "country": "GH",
        "title": "Petroleum agreement",
        "kind": "CONTRACT",
        "disclosedOn": "2016-03-01",
        "url": "https://example.org/gh/new-agreement.pdf",
        "illustrative": True,
    }
    cases = [
        ({"country": "QQ"}, ["UNKNOWN_COUNTRY"]),
        ({"signedOn": "2016-03-02"}, ["DATES_OUT_OF_ORDER"]),
        ({"url": "not a url"}, ["INVALID_URL"]),
        ({"url": existing}, ["DUPLICATE_CONTRACT_DISCLOSURE"]),
        ({"title": ""}, ["REQUIRED"]),
        ({"projectId": to_global_id("ExtractiveProject", 999_999)}, ["NOT_FOUND"]),
        ({"projectId": jubilee, "country": "NO"}, ["PROJECT_COUNTRY_MISMATCH"]),
        ({"id": "bogus"}, ["NOT_FOUND"]),
    ]
    await _expect_errors(client, CONTRACT, base, cases)
    # The same document may be published by two countries.
    payload = _payload(
        await client.execute(CONTRACT, {"input": base | {"country": "NG", "url": existing}})
    )
    assert payload["userErrors"] == []


# --- Beneficial owners ---------------------------------------------------------------------------


async def test_beneficial_owner_record_and_correct(client: GraphQLClient) -> None:
    company = await _org(client, "Western Example Gold")
    base = {
        "country": "GH",
        "companyId": company,
        "ownerName": "  E. Owusu (illustrative) ",
        "politicallyExposedPerson": False,
        "ownershipPercent": 12.5,
        "interestSince": "2020-01-01",
        "disclosedOn": "2023-06-30",
        "sourceUrl": "https://example.org/gh/bo-register/123",
        "illustrative": True,  # an invented owner
    }
    created = _payload(await client.execute(OWNER, {"input": base}))
    assert created["userErrors"] == []
    owner = created["beneficialOwner"]
    assert owner["ownerName"] == "E. Owusu (illustrative)"
    assert owner["eitiRequirement"] == "2.5"
    assert owner["company"]["name"] == "Western Example Gold Ltd (illustrative)"

    change = {"id": owner["id"], "politicallyExposedPerson": True, "sourceUrl": None}
    corrected = _payload(await client.execute(OWNER, {"input": base | change}))
    assert corrected["userErrors"] == []
    assert corrected["beneficialOwner"]["politicallyExposedPerson"] is True
    assert corrected["beneficialOwner"]["sourceUrl"] is None

    data = await client.execute(
        '{ peps: beneficialOwnershipDisclosures(filter: {country: "GH", pepOnly: true}) {'
        " nodes { id } } }"
    )
    assert {"id": owner["id"]} in data["peps"]["nodes"]


async def test_beneficial_owner_record_errors(client: GraphQLClient) -> None:
    company = await _org(client, "Western Example Gold")
    ngo = await _org(client, "Publish What You Pay")
    base = {
        "country": "GH",
        "companyId": company,
        "ownerName": "F. Example (illustrative)",
        "politicallyExposedPerson": True,
        "disclosedOn": "2023-06-30",
        "illustrative": True,
    }
    cases = [
        ({"country": "ZZ"}, ["UNKNOWN_COUNTRY"]),
        ({"ownershipPercent": 0}, ["PERCENT_OUT_OF_RANGE"]),
        ({"ownershipPercent": 150}, ["PERCENT_OUT_OF_RANGE"]),
        ({"interestSince": "2023-07-01"}, ["DATES_OUT_OF_ORDER"]),
        ({"ownerName": " "}, ["REQUIRED"]),
        ({"sourceUrl": "javascript:alert(1)"}, ["INVALID_URL"]),
        ({"companyId": ngo}, ["INVALID_COMPANY"]),
        ({"companyId": to_global_id("Organization", 999_999)}, ["NOT_FOUND"]),
        ({"companyId": "nope"}, ["NOT_FOUND"]),
        (
            {"ownerName": "A. Mensah (illustrative)", "disclosedOn": "2022-06-30"},
            ["DUPLICATE_BENEFICIAL_OWNER"],
        ),
        ({"id": to_global_id("BeneficialOwnershipDisclosure", 999_999)}, ["NOT_FOUND"]),
    ]
    await _expect_errors(client, OWNER, base, cases)
