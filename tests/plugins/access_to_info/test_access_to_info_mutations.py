"""Recording and correcting RTI laws, ratings and request statistics: success, each error code,
nothing half-written, and the database constraints that hold the same rules."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code message field }"

LAW_RECORD = f"""
mutation($input: RtiLawRecordInput!) {{
  rtiLawRecord(input: $input) {{
    law {{ id name yearAdopted lastAmended oversightBody url country {{ code }} rating {{ score }} }}
    {ERRORS}
  }}
}}"""

LAW_UPDATE = f"""
mutation($input: RtiLawUpdateInput!) {{
  rtiLawUpdate(input: $input) {{ law {{ name yearAdopted lastAmended oversightBody url }} {ERRORS} }}
}}"""

RATING_RECORD = f"""
mutation($input: RtiRatingRecordInput!) {{
  rtiRatingRecord(input: $input) {{
    rating {{
      id score scaleMax edition methodologyVersion sourceUrl
      categories {{ category score scaleMax }}
      law {{ country {{ code }} }}
    }}
    {ERRORS}
  }}
}}"""

STATISTICS_RECORD = f"""
mutation($input: RtiRequestStatisticsRecordInput!) {{
  rtiRequestStatisticsRecord(input: $input) {{
    statistics {{
      id year coverage requestsReceived answeredInTime grantedInFull grantedInPart refused
      informationNotHeld internalReviews appeals appealsFavouringBody appealsFavouringRequester
      medianResponseDays sourceUrl notes grantedRate country {{ code }}
    }}
    {ERRORS}
  }}
}}"""

LAW_OF = """query($code: String!) { country(code: $code) { rightToInformation {
  id name yearAdopted lastAmended ratings { edition score } requestStatistics { year } } } }"""

# South Africa's published RTI Rating (rti-rating.org country data): unrated in the demo data.
ZA_SCORES = {
    "rightOfAccess": 6,
    "scope": 22,
    "requestingProcedures": 21,
    "exceptionsAndRefusals": 23,
    "appeals": 29,
    "sanctionsAndProtections": 6,
    "promotionalMeasures": 12,
}


SOURCED = {"sourceUrl": "https://www.rti-rating.org/country-data/", "retrievedOn": "2026-11-30"}


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def _law(client: GraphQLClient, code: str) -> dict[str, Any] | None:
    return (await client.execute(LAW_OF, {"code": code}))["country"]["rightToInformation"]


async def _law_id(client: GraphQLClient, code: str) -> str:
    law = await _law(client, code)
    assert law is not None
    return law["id"]


# --- rtiLawRecord / rtiLawUpdate -----------------------------------------------------------------

NEW_LAW = {
    "country": "CL",
    "name": "Law 20,285 on Access to Public Information",
    "yearAdopted": 2008,
    "oversightBody": "Council for Transparency",
    "sourceUrl": "https://www.rti-rating.org/country-data/Chile/",
    "retrievedOn": "2026-11-30",
}


async def test_law_record(client: GraphQLClient) -> None:
    payload = _payload(await client.execute(LAW_RECORD, {"input": NEW_LAW | {"country": "chl"}}))
    assert payload["userErrors"] == []
    law = payload["law"]
    assert law["country"] == {"code": "CL"}
    assert (law["name"], law["yearAdopted"], law["lastAmended"]) == (NEW_LAW["name"], 2008, None)
    assert law["rating"] is None
    assert (await _law(client, "CL"))["id"] == law["id"]


async def test_law_record_errors(client: GraphQLClient) -> None:
    cases = [
        ({"country": "XK"}, "UNKNOWN_COUNTRY", "country"),
        ({"country": "MX"}, "DUPLICATE_LAW", "country"),
        ({"lastAmended": 2001}, "DATES_OUT_OF_ORDER", "lastAmended"),
        ({"yearAdopted": 1700}, "INVALID_YEAR", "yearAdopted"),
        ({"yearAdopted": 2999}, "INVALID_YEAR", "yearAdopted"),
        ({"name": "  "}, "REQUIRED", "name"),
        ({"name": "n" * 301}, "TOO_LONG", "name"),
        ({"url": "ftp://example.org/law"}, "INVALID_URL", "url"),
    ]
    for change, code, field in cases:
        payload = _payload(await client.execute(LAW_RECORD, {"input": NEW_LAW | change}))
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["law"] is None
    assert await _law(client, "CL") is None  # nothing written


async def test_law_record_reports_every_problem_at_once(client: GraphQLClient) -> None:
    bad = NEW_LAW | {"name": "", "yearAdopted": 1600, "url": "nope"}
    payload = _payload(await client.execute(LAW_RECORD, {"input": bad}))
    assert _codes(payload) == ["REQUIRED", "INVALID_YEAR", "INVALID_URL"]


async def test_concurrent_records_of_one_law_give_one_law(client: GraphQLClient) -> None:
    results = await asyncio.gather(
        *(client.execute(LAW_RECORD, {"input": NEW_LAW}) for _ in range(4))
    )
    codes = sorted(tuple(_codes(_payload(r))) for r in results)
    assert codes == [(), ("DUPLICATE_LAW",), ("DUPLICATE_LAW",), ("DUPLICATE_LAW",)]


async def test_law_update(client: GraphQLClient) -> None:
    law_id = await _law_id(client, "MX")
    changes = {"id": law_id, "lastAmended": 2025, "oversightBody": "Transparency for the People"}
    payload = _payload(await client.execute(LAW_UPDATE, {"input": changes}))
    assert payload["userErrors"] == []
    law = payload["law"]
    assert (law["yearAdopted"], law["lastAmended"]) == (2002, 2025)  # left out: unchanged
    assert law["oversightBody"] == "Transparency for the People"

    cleared = _payload(
        await client.execute(LAW_UPDATE, {"input": {"id": law_id, "lastAmended": None}})
    )
    assert cleared["law"]["lastAmended"] is None
    assert cleared["law"]["oversightBody"] == "Transparency for the People"


async def test_law_update_errors(client: GraphQLClient) -> None:
    law_id = await _law_id(client, "MX")  # adopted 2002, never amended (replaced in 2025)
    cases = [
        ({"id": "bm9wZQ"}, "NOT_FOUND", "id"),
        ({"id": "UnRpUmF0aW5nOjE"}, "NOT_FOUND", "id"),  # an RtiRating ID
        ({"id": "UmlnaHRUb0luZm9ybWF0aW9uTGF3Ojk5OTk"}, "NOT_FOUND", "id"),  # no such law
        (
            {"id": law_id, "yearAdopted": 2016, "lastAmended": 2015},
            "DATES_OUT_OF_ORDER",
            "lastAmended",
        ),
        ({"id": law_id, "lastAmended": 1999}, "DATES_OUT_OF_ORDER", "lastAmended"),
        ({"id": law_id, "yearAdopted": None}, "REQUIRED", "yearAdopted"),
        ({"id": law_id, "name": None}, "REQUIRED", "name"),
    ]
    for change, code, field in cases:
        payload = _payload(await client.execute(LAW_UPDATE, {"input": change}))
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
    law = await _law(client, "MX")
    assert (law["yearAdopted"], law["lastAmended"]) == (2002, None)  # unchanged


# --- rtiRatingRecord -----------------------------------------------------------------------------


async def test_rating_record_and_correct(client: GraphQLClient) -> None:
    law_id = await _law_id(client, "ZA")
    values = {"lawId": law_id, "lastUpdated": "2024-09", "total": 119} | ZA_SCORES | SOURCED
    payload = _payload(await client.execute(RATING_RECORD, {"input": values}))
    assert payload["userErrors"] == []
    rating = payload["rating"]
    assert (rating["score"], rating["scaleMax"], rating["edition"]) == (119, 150, "2024")
    assert rating["methodologyVersion"] == "2010"
    assert rating["sourceUrl"] == "https://www.rti-rating.org/country-data/"
    assert rating["law"] == {"country": {"code": "ZA"}}
    assert [c["score"] for c in rating["categories"]] == list(ZA_SCORES.values())

    duplicate = _payload(await client.execute(RATING_RECORD, {"input": values}))
    assert _codes(duplicate) == ["DUPLICATE_RATING"]
    assert duplicate["userErrors"][0]["field"] == ["input", "edition"]

    corrected = values | {"scope": 21, "total": 118, "replace": True}
    payload = _payload(await client.execute(RATING_RECORD, {"input": corrected}))
    assert payload["userErrors"] == []
    assert payload["rating"]["id"] == rating["id"]  # the same edition, corrected
    assert (await _law(client, "ZA"))["ratings"] == [{"edition": "2024", "score": 118}]


async def test_rating_record_errors(client: GraphQLClient) -> None:
    law_id = await _law_id(client, "ZA")
    base = {"lawId": law_id, "lastUpdated": "2024-09", "total": 119} | ZA_SCORES | SOURCED
    cases = [
        ({"lawId": "bm9wZQ"}, ["NOT_FOUND"], "lawId"),
        ({"rightOfAccess": 7, "total": 120}, ["SCORE_OUT_OF_RANGE"], "rightOfAccess"),
        (
            {"sanctionsAndProtections": 9, "total": 122},
            ["SCORE_OUT_OF_RANGE"],
            "sanctionsAndProtections",
        ),
        ({"promotionalMeasures": -1, "total": 106}, ["SCORE_OUT_OF_RANGE"], "promotionalMeasures"),
        ({"total": 151}, ["SCORE_OUT_OF_RANGE"], "total"),
        ({"total": 120}, ["TOTAL_MISMATCH"], "total"),
        ({"edition": 2023}, ["EDITION_MISMATCH"], "edition"),
        ({"lastUpdated": "2010-09"}, ["INVALID_YEAR"], "edition"),
        ({"lastUpdated": "2024-13"}, ["INVALID_MONTH"], "lastUpdated"),
        ({"lastUpdated": "Sept 2024"}, ["INVALID_MONTH"], "lastUpdated"),
        ({"lastUpdated": None}, ["LAST_UPDATED_REQUIRED"], "lastUpdated"),
        ({"series": "HISTORICAL", "edition": 2024}, ["LAST_UPDATED_NOT_IN_SERIES"], "lastUpdated"),
        ({"series": "HISTORICAL", "lastUpdated": None}, ["REQUIRED"], "edition"),
        ({"retrievedOn": None}, ["SOURCE_REQUIRED"], "retrievedOn"),
        ({"retrievedOn": "2999-01-01"}, ["DATE_IN_FUTURE"], "retrievedOn"),
        ({"sourceUrl": "rti-rating.org"}, ["INVALID_URL"], "sourceUrl"),
        ({"methodologyVersion": " "}, ["REQUIRED"], "methodologyVersion"),
    ]
    for change, codes, field in cases:
        payload = _payload(await client.execute(RATING_RECORD, {"input": base | change}))
        assert _codes(payload) == codes, change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["rating"] is None

    both = base | {"scope": 31, "appeals": 31, "total": 121}
    payload = _payload(await client.execute(RATING_RECORD, {"input": both}))
    assert [e["field"][-1] for e in payload["userErrors"]] == ["scope", "appeals"]
    assert (await _law(client, "ZA"))["ratings"] == []  # nothing written


async def test_rating_correction_that_fails_keeps_the_recorded_edition(
    client: GraphQLClient,
) -> None:
    law_id = await _law_id(client, "MX")
    scores = ZA_SCORES | {"scope": 30}
    bad = {"lawId": law_id, "lastUpdated": "2016-09", "total": 1, "replace": True} | scores
    bad |= SOURCED
    payload = _payload(await client.execute(RATING_RECORD, {"input": bad}))
    assert _codes(payload) == ["TOTAL_MISMATCH"]
    assert (await _law(client, "MX"))["ratings"] == [{"edition": "2016", "score": 136}]


# --- rtiRequestStatisticsRecord ------------------------------------------------------------------

STATS = {
    "country": "ZA",
    "year": 2024,
    "requestsReceived": 1000,
    "answeredInTime": 700,
    "grantedInFull": 400,
    "grantedInPart": 200,
    "refused": 150,
    "informationNotHeld": 50,
    "internalReviews": 80,
    "appeals": 40,
    "appealsFavouringBody": 25,
    "appealsFavouringRequester": 10,
    "medianResponseDays": 21.5,
    "sourceUrl": "https://example.org/annual-report-2024",
    "retrievedOn": "2026-11-30",
    "notes": "Test figures.",
}


async def test_statistics_record_and_correct(client: GraphQLClient) -> None:
    payload = _payload(await client.execute(STATISTICS_RECORD, {"input": STATS}))
    assert payload["userErrors"] == []
    stats = payload["statistics"]
    assert stats["country"] == {"code": "ZA"}
    assert stats["coverage"] == "ALL_PUBLIC_BODIES"  # the default
    assert (stats["requestsReceived"], stats["medianResponseDays"]) == (1000, 21.5)
    assert stats["grantedRate"] == 0.6
    first_id = stats["id"]

    duplicate = _payload(await client.execute(STATISTICS_RECORD, {"input": STATS}))
    assert _codes(duplicate) == ["DUPLICATE_REQUEST_STATISTICS"]

    # replace: the year's figures become exactly the input's (left out: unknown)
    corrected = {
        "country": "ZAF",
        "year": 2024,
        "coverage": "CENTRAL_GOVERNMENT",
        "requestsReceived": 1200,
        "illustrative": True,
        "replace": True,
    }
    payload = _payload(await client.execute(STATISTICS_RECORD, {"input": corrected}))
    assert payload["userErrors"] == []
    stats = payload["statistics"]
    assert stats["id"] == first_id  # the same year, corrected
    assert (stats["coverage"], stats["requestsReceived"], stats["answeredInTime"]) == (
        "CENTRAL_GOVERNMENT",
        1200,
        None,
    )
    assert stats["grantedRate"] is None
    assert (await _law(client, "ZA"))["requestStatistics"] == [{"year": 2024}]


async def test_statistics_record_errors(client: GraphQLClient) -> None:
    cases = [
        ({"country": "ZZZ"}, "UNKNOWN_COUNTRY", "country"),
        ({"country": "GB", "year": 2023}, "DUPLICATE_REQUEST_STATISTICS", "year"),
        ({"year": 2999}, "INVALID_YEAR", "year"),
        ({"refused": -1}, "NEGATIVE_VALUE", "refused"),
        ({"medianResponseDays": -0.5}, "NEGATIVE_VALUE", "medianResponseDays"),
        ({"answeredInTime": 1001}, "INCONSISTENT_COUNTS", "answeredInTime"),
        ({"informationNotHeld": 251}, "INCONSISTENT_COUNTS", "requestsReceived"),
        ({"appealsFavouringRequester": 16}, "INCONSISTENT_COUNTS", "appeals"),
        ({"retrievedOn": None}, "SOURCE_REQUIRED", "retrievedOn"),
        ({"appeals": None}, "INCONSISTENT_COUNTS", "appeals"),
        ({"sourceUrl": "example.org"}, "INVALID_URL", "sourceUrl"),
        ({"notes": "n" * 2001}, "TOO_LONG", "notes"),
    ]
    for change, code, field in cases:
        payload = _payload(await client.execute(STATISTICS_RECORD, {"input": STATS | change}))
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["statistics"] is None
    assert (await _law(client, "ZA"))["requestStatistics"] == []  # nothing written


async def test_statistics_correction_that_fails_keeps_the_recorded_year(
    client: GraphQLClient,
) -> None:
    bad = {"country": "GB", "year": 2023, "requestsReceived": 10, "refused": 11}
    bad |= {"illustrative": True, "replace": True}
    payload = _payload(await client.execute(STATISTICS_RECORD, {"input": bad}))
    assert _codes(payload) == ["INCONSISTENT_COUNTS"]
    data = await client.execute(
        '{ rtiRequestStatistics(filter: {country: "GB", year: 2023}) { nodes { requestsReceived } } }'
    )
    assert data["rtiRequestStatistics"]["nodes"] == [{"requestsReceived": 52000}]


# --- The database holds the same rules ----------------------------------------------------------

RATING_INSERT = """INSERT INTO access_to_info_rti_ratings (law_id, series, edition, last_updated,
  methodology_version, source_url, retrieved_on, illustrative, right_of_access, scope,
  requesting_procedures, exceptions_and_refusals, appeals, sanctions_and_protections,
  promotional_measures, total)
  VALUES (:law, :series, :edition, :month, '2010', 'https://www.rti-rating.org/', :retrieved,
  :illustrative, :roa, 30, 20, 20, 20, :sp, 10, :total)"""

STATS_INSERT = """INSERT INTO access_to_info_request_statistics (country_id, year, coverage,
  requests_received, granted_in_full, refused, appeals, appeals_favouring_body, source_url,
  retrieved_on, illustrative, notes)
  VALUES (:country, 2000, :coverage, :received, :full, :refused, :appeals, :upheld, :source,
  :retrieved, :illustrative, '')"""


async def test_database_constraints(demo_db: str) -> None:
    engine = create_async_engine(demo_db)

    async def violates(sql: str, **values: Any) -> bool:
        try:
            async with engine.begin() as conn:
                await conn.execute(text(sql), values)
        except IntegrityError:
            return True
        return False

    try:
        async with engine.connect() as conn:
            law = (
                await conn.execute(
                    text(
                        "SELECT l.id FROM access_to_info_rti_laws l JOIN countries c "
                        "ON c.id = l.country_id WHERE c.alpha2 = 'ZA'"
                    )
                )
            ).scalar_one()
            country = (
                await conn.execute(text("SELECT id FROM countries WHERE alpha2 = 'ZA'"))
            ).scalar_one()
        rating = {"law": law, "series": "HISTORICAL", "edition": 2020, "month": None}
        rating |= {"retrieved": date(2026, 11, 30), "illustrative": False}
        rating |= {"roa": 6, "sp": 8, "total": 114}
        assert await violates(RATING_INSERT, **rating | {"roa": 7, "total": 115})  # above 6
        assert await violates(RATING_INSERT, **rating | {"sp": 9, "total": 115})  # above 8
        assert await violates(RATING_INSERT, **rating | {"total": 113})  # not the sum
        assert await violates(RATING_INSERT, **rating | {"edition": 2009})
        # A country-page rating is dated by its month; a historical one by its year only.
        assert await violates(RATING_INSERT, **rating | {"series": "COUNTRY_PAGE"})
        assert await violates(RATING_INSERT, **rating | {"month": date(2020, 9, 1)})
        # Not illustrative: the retrieval date is required.
        assert await violates(RATING_INSERT, **rating | {"retrieved": None})
        assert not await violates(RATING_INSERT, **rating)
        assert await violates(RATING_INSERT, **rating)  # the same edition twice

        stats = {"country": country, "coverage": "PARTIAL", "received": 10, "full": 5}
        stats |= {"refused": 5, "appeals": 2, "upheld": 2}
        stats |= {"source": None, "retrieved": None, "illustrative": True}
        # Neither illustrative nor sourced: refused by the database too.
        assert await violates(STATS_INSERT, **stats | {"illustrative": False})
        assert await violates(STATS_INSERT, **stats | {"refused": 6})  # outcomes > received
        assert await violates(STATS_INSERT, **stats | {"upheld": 3})  # more than the appeals
        assert await violates(STATS_INSERT, **stats | {"appeals": None})  # outcomes, no appeals
        assert await violates(STATS_INSERT, **stats | {"full": -1, "refused": 0})
        assert await violates(STATS_INSERT, **stats | {"coverage": "EVERYONE"})
        assert not await violates(STATS_INSERT, **stats)
        assert await violates(STATS_INSERT, **stats)  # the same year twice

        amended = "UPDATE access_to_info_rti_laws SET last_amended = 1999 WHERE id = :law"
        assert await violates(amended, law=law)  # adopted 2000
    finally:
        await engine.dispose()
