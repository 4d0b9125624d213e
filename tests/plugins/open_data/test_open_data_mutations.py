"""Open data plugin, writes: each mutation's success, each of its error codes, corrections with
`replace`, nothing half-written, and the unique constraints mapped to the same codes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.plugins import make_plugin_manager
from core.testing import GraphQLClient, settings_for
from plugins.open_data.models import (
    CharterAdopter,
    CharterEndorser,
    DataPortal,
    HighValueDataset,
    OdinScore,
)

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code message field }"

ADOPTION = f"""
mutation($input: CharterAdoptionRecordInput!) {{
  charterAdoptionRecord(input: $input) {{
    adopter {{ id government level adoptedOn sourceUrl country {{ code }} }} {ERRORS}
  }}
}}"""

PORTAL_RECORD = f"""
mutation($input: DataPortalRecordInput!) {{
  dataPortalRecord(input: $input) {{
    dataPortal {{ id name url platform hasApi datasetCount checkedOn notes country {{ code }} }}
    {ERRORS}
  }}
}}"""

PORTAL_UPDATE = f"""
mutation($input: DataPortalUpdateInput!) {{
  dataPortalUpdate(input: $input) {{
    dataPortal {{ id name url platform hasApi datasetCount checkedOn notes }} {ERRORS}
  }}
}}"""

DATASET = f"""
mutation($input: DatasetRecordInput!) {{
  datasetRecord(input: $input) {{
    dataset {{ id title category url licence checkedOn lastUpdatedOn opennessElementsMet
               fullyOpen portal {{ name }} country {{ code }} }}
    {ERRORS}
  }}
}}"""

ODIN = f"""
mutation($input: OdinScoreRecordInput!) {{
  odinScoreRecord(input: $input) {{
    odinScore {{ id score coverage openness scaleMax edition methodologyVersion sourceUrl
                 country {{ code }} }}
    {ERRORS}
  }}
}}"""


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def _run(client: GraphQLClient, document: str, values: dict[str, Any]) -> dict[str, Any]:
    return _payload(await client.execute(document, {"input": values}))


async def _count(client: GraphQLClient, field: str) -> int:
    return (await client.execute(f"{{ {field} {{ totalCount }} }}"))[field]["totalCount"]


# --- Charter adoptions ---------------------------------------------------------------------------

ADOPTER = {
    "country": "NZ",
    "government": "Government of New Zealand",
    "level": "NATIONAL",
    "adoptedOn": "2017-03-01",
    "illustrative": True,
}


async def test_charter_adoption_record_and_replace(client: GraphQLClient) -> None:
    created = await _run(client, ADOPTION, ADOPTER)
    assert created["userErrors"] == []
    assert created["adopter"]["country"]["code"] == "NZ"
    assert created["adopter"]["level"] == "NATIONAL"

    city = await _run(
        client,
        ADOPTION,
        {"country": "NZL", "government": "  Wellington  ", "level": "SUBNATIONAL",
         "adoptedOn": "2018-05-01", "sourceUrl": "https://example.org/wellington",
         "retrievedOn": "2024-01-02"},
    )  # fmt: skip
    assert city["userErrors"] == [] and city["adopter"]["government"] == "Wellington"

    corrected = await _run(client, ADOPTION, ADOPTER | {"adoptedOn": "2017-05-02", "replace": True})
    assert corrected["userErrors"] == []
    assert corrected["adopter"]["id"] == created["adopter"]["id"]
    assert corrected["adopter"]["adoptedOn"] == "2017-05-02"

    data = await client.execute(
        '{ country(code: "NZ") { openDataCharter { adoptedOn level adopters { government } } } }'
    )
    charter = data["country"]["openDataCharter"]
    assert charter["adoptedOn"] == "2017-05-02" and charter["level"] == "NATIONAL"
    assert [a["government"] for a in charter["adopters"]] == [
        "Government of New Zealand",
        "Wellington",
    ]


async def test_charter_adoption_errors(client: GraphQLClient) -> None:
    before = await _count(client, "openDataCharterAdopters")
    cases = [
        ({"country": "XX"}, ["UNKNOWN_COUNTRY"], "country"),
        ({"government": "  "}, ["REQUIRED"], "government"),
        ({"government": "g" * 201}, ["TOO_LONG"], "government"),
        ({"adoptedOn": "2013-06-18"}, ["DATE_BEFORE_CHARTER"], "adoptedOn"),
        ({"sourceUrl": "not a url"}, ["INVALID_URL"], "sourceUrl"),
        # documented in the demo: Uruguay's national government adopted in 2015
        ({"country": "UY", "government": "Government of Uruguay"}, ["DUPLICATE_ADOPTION"],
         "government"),
        ({"country": "UY", "government": "Republic of Uruguay"}, ["DUPLICATE_NATIONAL_ADOPTION"],
         "level"),
        ({"country": "UY", "government": "Republic of Uruguay", "replace": True},
         ["DUPLICATE_NATIONAL_ADOPTION"], "level"),
    ]  # fmt: skip
    for change, codes, field in cases:
        payload = await _run(client, ADOPTION, ADOPTER | change)
        assert _codes(payload) == codes, change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["adopter"] is None
    # every problem of one input at once
    payload = await _run(
        client, ADOPTION, ADOPTER | {"country": "XX", "adoptedOn": "2014-01-01", "government": ""}
    )
    assert sorted(_codes(payload)) == ["DATE_BEFORE_CHARTER", "REQUIRED", "UNKNOWN_COUNTRY"]
    assert await _count(client, "openDataCharterAdopters") == before


# --- Data portals --------------------------------------------------------------------------------

PORTAL = {
    "country": "KE",
    "name": "Kenya Open Data",
    "url": "https://opendata.go.ke",
    "platform": "CKAN",
    "hasApi": True,
    "datasetCount": 120,
    "checkedOn": "2024-05-01",
    "illustrative": True,
}


async def test_data_portal_record_and_update(client: GraphQLClient) -> None:
    created = await _run(client, PORTAL_RECORD, PORTAL)
    assert created["userErrors"] == []
    portal = created["dataPortal"]
    assert portal["country"]["code"] == "KE" and portal["notes"] == ""
    assert portal["datasetCount"] == 120

    updated = await _run(
        client,
        PORTAL_UPDATE,
        {"id": portal["id"], "datasetCount": 150, "checkedOn": "2024-07-01", "notes": "Counted."},
    )
    assert updated["userErrors"] == []
    assert updated["dataPortal"]["datasetCount"] == 150
    assert updated["dataPortal"]["checkedOn"] == "2024-07-01"
    assert updated["dataPortal"]["notes"] == "Counted."
    assert updated["dataPortal"]["name"] == "Kenya Open Data"  # left out: unchanged

    cleared = await _run(
        client,
        PORTAL_UPDATE,
        {"id": portal["id"], "datasetCount": None, "platform": "SOCRATA", "hasApi": False},
    )
    assert cleared["dataPortal"]["datasetCount"] is None
    assert cleared["dataPortal"]["platform"] == "SOCRATA"
    assert cleared["dataPortal"]["checkedOn"] == "2024-07-01"

    unchanged = await _run(client, PORTAL_UPDATE, {"id": portal["id"]})
    assert unchanged["userErrors"] == [] and unchanged["dataPortal"]["name"] == "Kenya Open Data"

    data = await client.execute(
        '{ dataPortals(filter: {country: "KE", hasApi: false, platform: [SOCRATA]}) '
        "{ nodes { url } } }"
    )
    assert data["dataPortals"]["nodes"] == [{"url": "https://opendata.go.ke"}]


async def test_data_portal_record_errors(client: GraphQLClient) -> None:
    before = await _count(client, "dataPortals")
    cases = [
        ({"country": "KEN1"}, "UNKNOWN_COUNTRY", "country"),
        ({"name": ""}, "REQUIRED", "name"),
        ({"name": "n" * 201}, "TOO_LONG", "name"),
        ({"url": "ftp://opendata.go.ke"}, "INVALID_URL", "url"),
        ({"url": "opendata.go.ke"}, "INVALID_URL", "url"),
        ({"url": "https://" + "a" * 500 + ".org"}, "TOO_LONG", "url"),
        ({"datasetCount": -1}, "NEGATIVE_COUNT", "datasetCount"),
        ({"notes": "n" * 501}, "TOO_LONG", "notes"),
        ({"url": "https://www.data.gov.uk"}, "DUPLICATE_PORTAL", "url"),
    ]
    for change, code, field in cases:
        payload = await _run(client, PORTAL_RECORD, PORTAL | change)
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["dataPortal"] is None
    assert await _count(client, "dataPortals") == before


async def test_data_portal_update_errors(client: GraphQLClient) -> None:
    data = await client.execute('{ dataPortals(filter: {country: "MX"}) { nodes { id url } } }')
    (portal,) = data["dataPortals"]["nodes"]
    cases = [
        ({"id": "nonsense"}, "NOT_FOUND", "id"),
        ({"id": "T2RpblNjb3JlOjE"}, "NOT_FOUND", "id"),  # an OdinScore ID
        ({"name": None}, "REQUIRED", "name"),
        ({"platform": None}, "REQUIRED", "platform"),
        ({"url": "https://data.gov"}, "DUPLICATE_PORTAL", "url"),
        ({"url": "mailto:datos@example.org"}, "INVALID_URL", "url"),
        ({"datasetCount": -5}, "NEGATIVE_COUNT", "datasetCount"),
    ]
    for change, code, field in cases:
        payload = await _run(client, PORTAL_UPDATE, {"id": portal["id"]} | change)
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
    # several problems, nothing written
    payload = await _run(
        client, PORTAL_UPDATE, {"id": portal["id"], "name": "Renamed", "datasetCount": -1}
    )
    assert _codes(payload) == ["NEGATIVE_COUNT"]
    data = await client.execute('{ dataPortals(filter: {country: "MX"}) { nodes { name url } } }')
    assert data["dataPortals"]["nodes"] == [{"name": "datos.gob.mx", "url": portal["url"]}]


# --- High-value datasets -------------------------------------------------------------------------

DATASET_INPUT = {
    "country": "GB",
    "title": "NaPTAN: National Public Transport Access Nodes",
    "category": "MOBILITY",
    "url": "https://example.org/naptan",
    "machineReadable": True,
    "nonProprietaryFormat": True,
    "metadataAvailable": False,
    "downloadOrApi": True,
    "openLicence": True,
    "checkedOn": "2024-06-10",
    "lastUpdatedOn": "2024-06-01",
    "licence": "Open Government Licence v3.0",
    "illustrative": True,
}


async def _portal_id(client: GraphQLClient, country: str) -> str:
    query = f'{{ dataPortals(filter: {{country: "{country}"}}) {{ nodes {{ id }} }} }}'
    return (await client.execute(query))["dataPortals"]["nodes"][0]["id"]


async def test_dataset_record_and_replace(client: GraphQLClient) -> None:
    portal = await _portal_id(client, "GB")
    created = await _run(client, DATASET, DATASET_INPUT | {"portalId": portal})
    assert created["userErrors"] == []
    dataset = created["dataset"]
    assert dataset["portal"] == {"name": "data.gov.uk"}
    assert dataset["opennessElementsMet"] == 4 and dataset["fullyOpen"] is False

    corrected = await _run(
        client, DATASET, DATASET_INPUT | {"metadataAvailable": True, "replace": True}
    )
    assert corrected["userErrors"] == []
    assert corrected["dataset"]["id"] == dataset["id"]
    assert corrected["dataset"]["fullyOpen"] is True
    assert corrected["dataset"]["portal"] is None  # replaced as given: no portal

    data = await client.execute(
        '{ highValueDatasets(filter: {country: "GB", category: [MOBILITY]}) { nodes { title } } }'
    )
    assert data["highValueDatasets"]["nodes"] == [{"title": DATASET_INPUT["title"]}]


async def test_dataset_record_errors(client: GraphQLClient) -> None:
    before = await _count(client, "highValueDatasets")
    mx_portal = await _portal_id(client, "MX")
    cases = [
        ({"country": "QQ"}, "UNKNOWN_COUNTRY", "country"),
        ({"title": " "}, "REQUIRED", "title"),
        ({"url": "www.example.org/naptan"}, "INVALID_URL", "url"),
        ({"licence": "l" * 201}, "TOO_LONG", "licence"),
        ({"lastUpdatedOn": "2024-06-11"}, "DATES_OUT_OF_ORDER", "lastUpdatedOn"),
        ({"portalId": "nonsense"}, "NOT_FOUND", "portalId"),
        ({"portalId": mx_portal}, "PORTAL_COUNTRY_MISMATCH", "portalId"),
        ({"url": "https://download.companieshouse.gov.uk/en_output.html"}, "DUPLICATE_DATASET",
         "url"),
    ]  # fmt: skip
    for change, code, field in cases:
        payload = await _run(client, DATASET, DATASET_INPUT | change)
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["dataset"] is None
    assert await _count(client, "highValueDatasets") == before


# --- ODIN scores ---------------------------------------------------------------------------------

ODIN_INPUT = {
    "country": "KE",
    "edition": "2022/23",
    "score": 55.5,
    "coverage": 50,
    "openness": 61.2,
    "illustrative": True,
}


async def test_odin_score_record_and_replace(client: GraphQLClient) -> None:
    created = await _run(client, ODIN, ODIN_INPUT)
    assert created["userErrors"] == []
    score = created["odinScore"]
    assert score | {"id": None} == {
        "id": None,
        "score": 55.5,
        "coverage": 50.0,
        "openness": 61.2,
        "scaleMax": 100.0,
        "edition": "2022/23",
        "methodologyVersion": "ODIN 2022/23",
        "sourceUrl": None,  # illustrative, citing no page
        "country": {"code": "KE"},
    }
    corrected = await _run(
        client,
        ODIN,
        ODIN_INPUT
        | {
            "score": 0,
            "coverage": 100,
            "replace": True,
            "sourceUrl": "https://odin.opendatawatch.com/Report/countryProfile/KEN",
            "methodologyVersion": "ODIN 2022/23 (revised)",
        },
    )
    assert corrected["userErrors"] == []
    assert corrected["odinScore"]["id"] == score["id"]
    assert corrected["odinScore"]["score"] == 0 and corrected["odinScore"]["coverage"] == 100
    assert corrected["odinScore"]["methodologyVersion"] == "ODIN 2022/23 (revised)"

    single_year = await _run(client, ODIN, ODIN_INPUT | {"edition": "2017"})
    assert single_year["userErrors"] == []
    data = await client.execute('{ country(code: "KE") { odinScores { edition score } } }')
    assert data["country"]["odinScores"] == [
        {"edition": "2022/23", "score": 0.0},
        {"edition": "2017", "score": 55.5},
    ]


async def test_odin_score_errors(client: GraphQLClient) -> None:
    before = await _count(client, "odinScores")
    cases = [
        ({"score": 100.5}, ["SCORE_OUT_OF_RANGE"], ["score"]),
        ({"coverage": -0.1}, ["SCORE_OUT_OF_RANGE"], ["coverage"]),
        ({"openness": 101}, ["SCORE_OUT_OF_RANGE"], ["openness"]),
        ({"score": -1, "openness": 200}, ["SCORE_OUT_OF_RANGE"] * 2, ["score", "openness"]),
        ({"country": "XK"}, ["UNKNOWN_COUNTRY"], ["country"]),
        ({"edition": "2022/24"}, ["INVALID_EDITION"], ["edition"]),
        ({"edition": "last year"}, ["INVALID_EDITION"], ["edition"]),
        ({"sourceUrl": "odin"}, ["INVALID_URL"], ["sourceUrl"]),
        ({"methodologyVersion": " "}, ["REQUIRED"], ["methodologyVersion"]),
        ({"country": "MX"}, ["DUPLICATE_ODIN_SCORE"], ["edition"]),
    ]
    for change, codes, fields in cases:
        payload = await _run(client, ODIN, ODIN_INPUT | change)
        assert _codes(payload) == codes, change
        assert [e["field"] for e in payload["userErrors"]] == [["input", f] for f in fields]
        assert payload["odinScore"] is None
    assert await _count(client, "odinScores") == before


# --- the database holds the invariants -----------------------------------------------------------


async def _violation(url: str, model: Any, values: dict[str, Any]) -> str:
    db = Database(url)
    try:
        with pytest.raises(IntegrityError) as raised:
            async with db.write() as conn:
                await conn.execute(insert(model).values(**values))
    finally:
        await db.dispose()
    mapped = make_plugin_manager(settings_for(url)).constraint_errors  # the enabled plugins'
    return mapped.user_error(raised.value).code


async def test_constraints_map_to_the_same_codes(demo_db: str) -> None:
    """What a concurrent write could still hit after the checks is reported the same way; the
    CHECK constraints keep out-of-range values out whatever writes them."""
    db = Database(demo_db)
    async with db.read() as conn:
        mx = (
            await conn.execute(select(OdinScore.country_id).where(OdinScore.edition == "2020/21"))
        ).scalar_one()
    await db.dispose()

    adopter = {"country_id": mx, "level": "SUBNATIONAL", "adopted_on": date(2016, 1, 1),
               "illustrative": True}  # fmt: skip
    assert await _violation(demo_db, CharterAdopter, adopter | {"government": "Xalapa"}) == (
        "DUPLICATE_ADOPTION"
    )
    national = adopter | {"government": "Estados Unidos Mexicanos", "level": "NATIONAL"}
    assert await _violation(demo_db, CharterAdopter, national) == "DUPLICATE_NATIONAL_ADOPTION"
    early = adopter | {"government": "Tlaxcala", "adopted_on": date(2015, 9, 30)}
    assert await _violation(demo_db, CharterAdopter, early) == "CONSTRAINT_VIOLATION"

    portal = {"country_id": mx, "name": "x", "url": "https://datos.gob.mx", "platform": "CKAN",
              "has_api": True, "notes": "", "illustrative": True}  # fmt: skip
    assert await _violation(demo_db, DataPortal, portal) == "DUPLICATE_PORTAL"
    negative = portal | {"url": "https://new.example.org", "dataset_count": -1}
    assert await _violation(demo_db, DataPortal, negative) == "CONSTRAINT_VIOLATION"

    dataset = {"country_id": mx, "title": "x", "category": "STATISTICS",
               "url": "https://www.inegi.org.mx/programas/ccpv/2020/", "machine_readable": True,
               "non_proprietary_format": True, "metadata_available": True,
               "download_or_api": True, "open_licence": True, "checked_on": date(2024, 1, 1),
               "notes": "", "illustrative": True}  # fmt: skip
    assert await _violation(demo_db, HighValueDataset, dataset) == "DUPLICATE_DATASET"
    late = dataset | {"url": "https://new.example.org", "last_updated_on": date(2024, 1, 2)}
    assert await _violation(demo_db, HighValueDataset, late) == "CONSTRAINT_VIOLATION"

    odin = {"country_id": mx, "edition": "2020/21", "overall": 1, "coverage": 1, "openness": 1,
            "methodology_version": "x", "source_url": "https://x.org", "notes": "",
            "illustrative": True}  # fmt: skip
    assert await _violation(demo_db, OdinScore, odin) == "DUPLICATE_ODIN_SCORE"
    out_of_range = odin | {"edition": "2030", "openness": 100.5}
    assert await _violation(demo_db, OdinScore, out_of_range) == "CONSTRAINT_VIOLATION"
    for name in ("social", "economic", "environmental"):
        wrong = odin | {"edition": "2030", name: -0.5}
        assert await _violation(demo_db, OdinScore, wrong) == "CONSTRAINT_VIOLATION"

    # A row that is not illustrative carries its source and retrieval date, whatever writes it.
    unsourced = {"illustrative": False, "source_url": "https://x.org", "retrieved_on": None}
    for model, values in (
        (CharterAdopter, adopter | {"government": "Tlaxcala"}),
        (DataPortal, portal | {"url": "https://new.example.org"}),
        (HighValueDataset, dataset | {"url": "https://new.example.org"}),
        (OdinScore, odin | {"edition": "2030"}),
        (CharterEndorser, {"name": "An NGO"}),
    ):
        assert await _violation(demo_db, model, values | unsourced) == "SOURCE_REQUIRED"
