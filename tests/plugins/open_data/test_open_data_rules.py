"""The sources' own rules (issue 13): ODIN's editions are its rounds and it publishes social,
economic and environmental subscores, revised after publication (the retrieval date says when);
the dataset checks are the group's own, not ODIN's; the EU's high-value categories bind only EU
(and, as incorporated, EEA EFTA) bodies; organisations endorse the Charter, governments adopt it;
and every row is sourced or marked illustrative."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code field }"
ODIN = f"""mutation($input: OdinScoreRecordInput!) {{ odinScoreRecord(input: $input) {{
  odinScore {{ id edition score coverage openness social economic environmental sourceUrl
               retrievedOn illustrative methodologyVersion }} {ERRORS} }} }}"""
ENDORSE = f"""mutation($input: CharterEndorsementRecordInput!) {{
  charterEndorsementRecord(input: $input) {{
    endorser {{ id name endorsedOn sourceUrl retrievedOn illustrative
               organization {{ name }} country {{ code }} }} {ERRORS} }} }}"""
ADOPTION = f"""mutation($input: CharterAdoptionRecordInput!) {{
  charterAdoptionRecord(input: $input) {{ adopter {{ id }} {ERRORS} }} }}"""
PORTAL = f"""mutation($input: DataPortalRecordInput!) {{
  dataPortalRecord(input: $input) {{ dataPortal {{ id }} {ERRORS} }} }}"""
PORTAL_UPDATE = f"""mutation($input: DataPortalUpdateInput!) {{
  dataPortalUpdate(input: $input) {{ dataPortal {{ id illustrative sourceUrl }} {ERRORS} }} }}"""
DATASET = f"""mutation($input: DatasetRecordInput!) {{
  datasetRecord(input: $input) {{ dataset {{ id euRegulation opennessCheckedBy }} {ERRORS} }} }}"""
ROUNDS = ["2015", "2016", "2017", "2018/19", "2020/21", "2022/23", "2024/25"]
SOURCE = {"sourceUrl": "https://example.org/source", "retrievedOn": "2024-06-01"}


async def _run(client: GraphQLClient, mutation: str, values: dict[str, Any]) -> dict[str, Any]:
    (payload,) = (await client.execute(mutation, {"input": values})).values()
    return payload


def _errors(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["code"], e["field"][-1]) for e in payload["userErrors"]]


async def test_odin_editions_are_its_rounds(client: GraphQLClient) -> None:
    this_year = date.today().year
    later = [f"{y}/{(y + 1) % 100:02d}" for y in range(2026, this_year + 1, 2)]
    refused = ["2014", "2018", "2019", "2019/20", "2021/22", "2024", "2023/24", "2024/26",
               f"{this_year + 2 - this_year % 2}/{(this_year + 3 - this_year % 2) % 100:02d}",
               "2022-23", " "]  # fmt: skip
    for edition in ROUNDS + later:
        values = {"country": "KE", "edition": edition, "score": 40, **SOURCE}
        payload = await _run(client, ODIN, values)
        assert payload["userErrors"] == [], edition
    for edition in refused:
        values = {"country": "NZ", "edition": edition, "score": 40, **SOURCE}
        payload = await _run(client, ODIN, values)
        assert _errors(payload) == [("INVALID_EDITION", "edition")], edition


async def test_odin_subscores_and_revisions(client: GraphQLClient) -> None:
    values = {
        "country": "KE",
        "edition": "2022/23",
        "score": 55.5,
        "social": 60,
        "economic": 52.5,
        "environmental": 40,
        "sourceUrl": "https://odin.opendatawatch.com/Report/countryProfile/KEN",
        "retrievedOn": "2023-04-01",
    }
    created = await _run(client, ODIN, values)
    assert created["userErrors"] == []
    assert created["odinScore"] | {"id": None} == {
        "id": None,
        "edition": "2022/23",
        "score": 55.5,
        "coverage": None,  # not recorded: not invented
        "openness": None,
        "social": 60.0,
        "economic": 52.5,
        "environmental": 40.0,
        "sourceUrl": "https://odin.opendatawatch.com/Report/countryProfile/KEN",
        "retrievedOn": "2023-04-01",
        "illustrative": False,
        "methodologyVersion": "ODIN 2022/23",
    }
    for name in ("social", "economic", "environmental", "coverage", "openness"):
        wrong = await _run(client, ODIN, values | {name: 100.5, "replace": True})
        assert _errors(wrong) == [("SCORE_OUT_OF_RANGE", name)]

    # Open Data Watch revised the edition: the revision replaces the scores, with its date.
    revised = await _run(
        client, ODIN, values | {"score": 57.0, "retrievedOn": "2024-02-01", "replace": True}
    )
    assert revised["userErrors"] == []
    assert revised["odinScore"]["id"] == created["odinScore"]["id"]
    assert (revised["odinScore"]["score"], revised["odinScore"]["retrievedOn"]) == (
        57.0,
        "2024-02-01",
    )
    unsourced = await _run(client, ODIN, values | {"retrievedOn": None, "replace": True})
    assert _errors(unsourced) == [("SOURCE_REQUIRED", "retrievedOn")]


async def test_dataset_checks_are_the_groups_and_eu_scope(client: GraphQLClient) -> None:
    base = {
        "title": "Register",
        "category": "COMPANIES_AND_COMPANY_OWNERSHIP",
        "machineReadable": True,
        "nonProprietaryFormat": True,
        "metadataAvailable": True,
        "downloadOrApi": True,
        "openLicence": True,
        "checkedOn": "2024-06-01",
        "illustrative": True,
    }
    expected = {"EE": "EU_MEMBER_STATE", "NO": "EEA_EFTA_STATE", "KE": "NOT_BOUND",
                "GB": "NOT_BOUND"}  # fmt: skip
    for code, scope in expected.items():
        url = f"https://example.org/{code.lower()}/register"
        payload = await _run(client, DATASET, base | {"country": code, "url": url})
        assert payload["userErrors"] == [], code
        assert payload["dataset"]["euRegulation"] == scope, code
        assert payload["dataset"]["opennessCheckedBy"] == "WORKING_GROUP"
    data = await client.execute(
        "{ highValueDatasets(first: 100) { nodes { country { code } euRegulation "
        "opennessCheckedBy } } }"
    )
    for node in data["highValueDatasets"]["nodes"]:
        assert node["opennessCheckedBy"] == "WORKING_GROUP"
        if node["country"]["code"] in ("GB", "US", "CA", "MX"):  # the demo's: none is bound
            assert node["euRegulation"] == "NOT_BOUND"


async def test_endorsers_are_organisations(client: GraphQLClient) -> None:
    group = await client.execute(
        """{ workingGroup(slug: "open-data") { ... on OpenDataGroup {
              charterEndorsers { name illustrative organization { id name } } } } }"""
    )
    endorsers = group["workingGroup"]["charterEndorsers"]
    assert [e["name"] for e in endorsers] == ["Open Knowledge Foundation"]
    assert endorsers[0]["illustrative"] is True
    organization = endorsers[0]["organization"]

    created = await _run(
        client,
        ENDORSE,
        {"name": "  Civic Data Lab  ", "country": "ke", "endorsedOn": "2019-03-01", **SOURCE},
    )
    assert created["userErrors"] == []
    assert created["endorser"] | {"id": None} == {
        "id": None,
        "name": "Civic Data Lab",
        "endorsedOn": "2019-03-01",
        "sourceUrl": SOURCE["sourceUrl"],
        "retrievedOn": SOURCE["retrievedOn"],
        "illustrative": False,
        "organization": None,
        "country": {"code": "KE"},
    }
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    base = {"name": "Another NGO", "illustrative": True}
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        ({"name": " "}, [("REQUIRED", "name")]),
        ({"name": "n" * 201}, [("TOO_LONG", "name")]),
        ({"name": "Civic Data Lab"}, [("DUPLICATE_ENDORSEMENT", "name")]),
        ({"endorsedOn": "2015-09-30"}, [("DATE_BEFORE_CHARTER", "endorsedOn")]),
        ({"endorsedOn": tomorrow}, [("DATE_IN_FUTURE", "endorsedOn")]),
        ({"organizationId": "nonsense"}, [("NOT_FOUND", "organizationId")]),
        ({"country": "QQ"}, [("UNKNOWN_COUNTRY", "country")]),
        ({"illustrative": False}, [("SOURCE_REQUIRED", "sourceUrl"),
                                   ("SOURCE_REQUIRED", "retrievedOn")]),
    ]  # fmt: skip
    for change, expected in cases:
        payload = await _run(client, ENDORSE, base | change)
        assert _errors(payload) == expected, change
        assert payload["endorser"] is None
    linked = await _run(
        client,
        ENDORSE,
        {"name": "Open Knowledge Foundation", "organizationId": organization["id"],
         "replace": True, **SOURCE},
    )  # fmt: skip
    assert linked["userErrors"] == []
    assert linked["endorser"]["organization"] == {"name": organization["name"]}
    assert linked["endorser"]["illustrative"] is False
    page = await client.execute("{ openDataCharterEndorsers { totalCount nodes { name } } }")
    assert [n["name"] for n in page["openDataCharterEndorsers"]["nodes"]] == [
        "Civic Data Lab",
        "Open Knowledge Foundation",
    ]
    # The adopters are governments, recorded apart: no endorser among them.
    adopters = await client.execute(
        "{ openDataCharterAdopters(first: 100) { nodes { government } } }"
    )
    names = {a["government"] for a in adopters["openDataCharterAdopters"]["nodes"]}
    assert not names & {"Civic Data Lab", "Open Knowledge Foundation"}


async def test_a_row_is_sourced_or_illustrative(client: GraphQLClient) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    inputs = {
        ADOPTION: {"country": "NZ", "government": "Government of New Zealand",
                   "level": "NATIONAL", "adoptedOn": "2017-03-01"},
        PORTAL: {"country": "KE", "name": "Kenya Open Data", "url": "https://opendata.go.ke",
                 "platform": "CKAN", "hasApi": True},
        DATASET: {"country": "KE", "title": "Census", "category": "STATISTICS",
                  "url": "https://example.org/ke/census", "machineReadable": True,
                  "nonProprietaryFormat": True, "metadataAvailable": True,
                  "downloadOrApi": True, "openLicence": True, "checkedOn": "2024-06-01"},
        ODIN: {"country": "KE", "edition": "2020/21", "score": 50},
        ENDORSE: {"name": "An NGO"},
    }  # fmt: skip
    counts = """{ openDataCharterAdopters { totalCount } dataPortals { totalCount }
      highValueDatasets { totalCount } odinScores { totalCount }
      openDataCharterEndorsers { totalCount } }"""
    before = await client.execute(counts)
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        ({}, [("SOURCE_REQUIRED", "sourceUrl"), ("SOURCE_REQUIRED", "retrievedOn")]),
        ({"sourceUrl": "https://example.org/x"}, [("SOURCE_REQUIRED", "retrievedOn")]),
        ({"retrievedOn": "2024-01-01"}, [("SOURCE_REQUIRED", "sourceUrl")]),
        ({**SOURCE, "retrievedOn": tomorrow}, [("DATE_IN_FUTURE", "retrievedOn")]),
        ({"sourceUrl": "nope", "retrievedOn": "2024-01-01"}, [("INVALID_URL", "sourceUrl")]),
        ({"illustrative": True, "retrievedOn": tomorrow}, [("DATE_IN_FUTURE", "retrievedOn")]),
    ]
    for mutation, base in inputs.items():
        for change, expected in cases:
            payload = await _run(client, mutation, base | change)
            assert _errors(payload) == expected, (mutation, change)
    assert await client.execute(counts) == before

    # An update cannot make an illustrative portal look sourced without its source and date.
    data = await client.execute('{ dataPortals(filter: {country: "MX"}) { nodes { id } } }')
    portal_id = data["dataPortals"]["nodes"][0]["id"]
    payload = await _run(client, PORTAL_UPDATE, {"id": portal_id, "illustrative": False})
    assert _errors(payload) == [
        ("SOURCE_REQUIRED", "sourceUrl"),
        ("SOURCE_REQUIRED", "retrievedOn"),
    ]
    payload = await _run(client, PORTAL_UPDATE, {"id": portal_id, "illustrative": None})
    assert _errors(payload) == [("REQUIRED", "illustrative")]
    payload = await _run(
        client,
        PORTAL_UPDATE,
        {"id": portal_id, "illustrative": False, "sourceUrl": " https://datos.gob.mx ",
         "retrievedOn": "2024-06-01"},
    )  # fmt: skip
    assert payload["userErrors"] == []
    assert payload["dataPortal"] | {"id": None} == {
        "id": None,
        "illustrative": False,
        "sourceUrl": "https://datos.gob.mx",
    }
    cleared = await _run(client, PORTAL_UPDATE, {"id": portal_id, "retrievedOn": None})
    assert _errors(cleared) == [("SOURCE_REQUIRED", "retrievedOn")]


async def test_demo_rows_are_published_values_or_illustrative(client: GraphQLClient) -> None:
    fields = "sourceUrl retrievedOn illustrative"
    data = await client.execute(
        f"""{{ openDataCharterAdopters(first: 100) {{ nodes {{ government {fields} }} }}
              openDataCharterEndorsers(first: 100) {{ nodes {{ name {fields} }} }}
              dataPortals(first: 100) {{ nodes {{ name {fields} }} }}
              highValueDatasets(first: 100) {{ nodes {{ title {fields} }} }}
              odinScores(first: 100) {{ nodes {{ edition score country {{ code }} {fields}
                                               ... on Assessment {{ sourceUrl }} }} }} }}"""
    )
    for kind, page in data.items():
        for row in page["nodes"]:
            if kind == "odinScores":
                # an Assessment's sourceUrl is required: ODIN's site for an illustrative row
                assert row["illustrative"] or row["retrievedOn"] is not None, row
                continue
            sourced = row["sourceUrl"] is not None and row["retrievedOn"] is not None
            assert row["illustrative"] or sourced, (kind, row)
            if row["illustrative"]:
                assert row["sourceUrl"] is None, (kind, row)
    adopters = data["openDataCharterAdopters"]["nodes"]
    assert len(adopters) == 10 and not any(a["illustrative"] for a in adopters)
    assert {a["sourceUrl"] for a in adopters} == {
        "https://webfoundation.org/2015/10/"
        "seventeen-governments-adopt-the-new-international-open-data-charter/"
    }
    published = {
        (s["country"]["code"], s["edition"]): s
        for s in data["odinScores"]["nodes"]
        if not s["illustrative"]
    }
    assert {key: s["score"] for key, s in published.items()} == {
        ("MX", "2016"): 67.0,
        ("MN", "2016"): 61.0,
    }
    for score in published.values():
        assert score["sourceUrl"] == "https://opendatawatch.com/open-data-inventory-2016/"
        assert score["retrievedOn"] == "2026-11-30"
    for page in ("dataPortals", "highValueDatasets", "openDataCharterEndorsers"):
        assert all(row["illustrative"] for row in data[page]["nodes"]), page
