"""Reading the access to information data: Country.rightToInformation, the root queries with
their filters and pagination, the group type, and disabling the plugin."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


RATING = """
  score scaleMax edition methodologyVersion sourceUrl series lastUpdated ratedLaw retrievedOn
  illustrative categories { category name score scaleMax edition }
"""

COUNTRY = f"""
query($code: String!, $year: Int) {{
  country(code: $code) {{
    name
    rightToInformation {{
      id name yearAdopted lastAmended oversightBody url inForceSince sourceUrl retrievedOn
      illustrative rtiRating country {{ code }}
      rating {{ {RATING} }}
      ratings {{ edition score }}
      requestStatistics(year: $year) {{
        year coverage requestsReceived answeredInTime grantedInFull grantedInPart refused
        informationNotHeld internalReviews appeals appealsFavouringBody appealsFavouringRequester
        appealsUpheld appealsOverturned medianResponseDays answeredInTimeRate grantedRate notes
        sourceUrl retrievedOn illustrative country {{ code }}
      }}
    }}
  }}
}}"""

LAWS = """
query($filter: RtiLawFilter, $first: Int = 20, $after: String) {
  rtiLaws(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { country { code } rating { score } }
  }
}"""

STATISTICS = """
query($filter: RtiRequestStatisticsFilter, $first: Int = 20, $after: String) {
  rtiRequestStatistics(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { country { code } year requestsReceived }
  }
}"""


async def _law_codes(client: GraphQLClient, **filter: Any) -> list[str]:
    data = await client.execute(LAWS, {"filter": filter})
    return [n["country"]["code"] for n in data["rtiLaws"]["nodes"]]


async def test_country_right_to_information(client: GraphQLClient) -> None:
    data = await client.execute(COUNTRY, {"code": "MX"})
    law = data["country"]["rightToInformation"]
    # The law in force since March 2025 (INAI dissolved); the Rating rated the 2015 General Act.
    assert law["name"] == "General Law of Transparency and Access to Public Information (2025)"
    assert (law["yearAdopted"], law["lastAmended"]) == (2002, None)
    assert law["inForceSince"] == "2025-03-21"
    assert law["oversightBody"].startswith("Transparencia para el Pueblo")
    assert "INAI was dissolved" in law["oversightBody"]
    assert (law["retrievedOn"], law["illustrative"]) == ("2026-11-30", False)
    assert law["sourceUrl"].startswith("https://")
    assert law["country"] == {"code": "MX"}
    assert law["rtiRating"] == 136  # deprecated, kept for old clients

    rating = law["rating"]
    assert (rating["score"], rating["scaleMax"], rating["edition"]) == (136, 150, "2016")
    # Dated by the country page's "RTI Rating last updated" month, not a yearly snapshot.
    assert (rating["series"], rating["lastUpdated"]) == ("COUNTRY_PAGE", "2016-09")
    assert rating["ratedLaw"].startswith("General Act of Transparency")
    assert (rating["retrievedOn"], rating["illustrative"]) == ("2026-11-30", False)
    assert rating["methodologyVersion"] == "2010"
    assert rating["sourceUrl"] == "https://www.rti-rating.org/country-data/Mexico/"
    categories = {c["category"]: c for c in rating["categories"]}
    assert [c["category"] for c in rating["categories"]] == [
        "RIGHT_OF_ACCESS",
        "SCOPE",
        "REQUESTING_PROCEDURES",
        "EXCEPTIONS_AND_REFUSALS",
        "APPEALS",
        "SANCTIONS_AND_PROTECTIONS",
        "PROMOTIONAL_MEASURES",
    ]
    assert [c["scaleMax"] for c in rating["categories"]] == [6, 30, 30, 30, 30, 8, 16]
    assert categories["SCOPE"]["name"] == "Scope" and categories["SCOPE"]["score"] == 30
    assert sum(c["score"] for c in rating["categories"]) == rating["score"]
    assert {c["edition"] for c in rating["categories"]} == {"2016"}

    statistics = law["requestStatistics"]
    assert [s["year"] for s in statistics] == [2023, 2024]
    first = statistics[0]
    assert first["coverage"] == "CENTRAL_GOVERNMENT"
    assert first["internalReviews"] is None  # not reported
    assert first["answeredInTimeRate"] == first["answeredInTime"] / first["requestsReceived"]
    assert "Illustrative" in first["notes"]
    assert (first["illustrative"], first["sourceUrl"], first["retrievedOn"]) == (True, None, None)
    # Who won an appeal is in the name; the old names are deprecated aliases of the same figures.
    assert first["appealsFavouringBody"] == first["appealsUpheld"] is not None
    assert first["appealsFavouringRequester"] == first["appealsOverturned"] is not None
    assert first["country"] == {"code": "MX"}

    one_year = await client.execute(COUNTRY, {"code": "MX", "year": 2024})
    assert [s["year"] for s in one_year["country"]["rightToInformation"]["requestStatistics"]] == [
        2024
    ]


async def test_rating_history_and_unrated_and_lawless_countries(client: GraphQLClient) -> None:
    brazil = (await client.execute(COUNTRY, {"code": "BRA"}))["country"]["rightToInformation"]
    assert brazil["ratings"] == [
        {"edition": "2012", "score": 110},
        {"edition": "2022", "score": 108},
    ]
    assert brazil["rating"]["edition"] == "2022"  # the latest edition
    # The yearly historical data has no "last updated" month; these years are not confirmed.
    assert brazil["rating"]["series"] == "HISTORICAL"
    assert (brazil["rating"]["lastUpdated"], brazil["rating"]["illustrative"]) == (None, True)

    south_africa = (await client.execute(COUNTRY, {"code": "ZA"}))["country"]
    law = south_africa["rightToInformation"]
    assert law["rating"] is None and law["ratings"] == [] and law["rtiRating"] is None

    philippines = (await client.execute(COUNTRY, {"code": "PH"}))["country"]
    assert philippines["rightToInformation"] is None  # no national RTI law


async def test_rti_laws_filters(client: GraphQLClient) -> None:
    assert await _law_codes(client) == ["BR", "KE", "MX", "ZA", "GB"]  # by country name
    assert await _law_codes(client, minRating=110) == ["KE", "MX"]  # BR's latest is 108
    assert await _law_codes(client, minRating=0) == ["BR", "KE", "MX", "GB"]  # ZA unrated
    assert await _law_codes(client, region="Americas") == ["BR", "MX"]
    assert await _law_codes(client, country="GBR") == ["GB"]
    assert await _law_codes(client, country="gb", minRating=100) == []
    assert await _law_codes(client, country="XX") == []


async def test_rti_laws_pagination(client: GraphQLClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        data = (await client.execute(LAWS, {"first": 2, "after": after}))["rtiLaws"]
        assert data["totalCount"] == 5
        seen += [n["country"]["code"] for n in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == ["BR", "KE", "MX", "ZA", "GB"]
    errors = await client.errors(LAWS, {"first": 101})
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_rti_request_statistics_filters_and_pagination(client: GraphQLClient) -> None:
    data = (await client.execute(STATISTICS))["rtiRequestStatistics"]
    rows = [(n["country"]["code"], n["year"]) for n in data["nodes"]]
    assert rows == [("KE", 2024), ("MX", 2023), ("MX", 2024), ("GB", 2023), ("GB", 2024)]

    by_country = await client.execute(STATISTICS, {"filter": {"country": "MEX"}})
    assert [n["year"] for n in by_country["rtiRequestStatistics"]["nodes"]] == [2023, 2024]
    by_year = await client.execute(STATISTICS, {"filter": {"year": 2024}})
    assert by_year["rtiRequestStatistics"]["totalCount"] == 3
    both = await client.execute(STATISTICS, {"filter": {"country": "GB", "year": 2023}})
    assert [n["requestsReceived"] for n in both["rtiRequestStatistics"]["nodes"]] == [52000]

    page = (await client.execute(STATISTICS, {"first": 3}))["rtiRequestStatistics"]
    assert page["pageInfo"]["hasNextPage"]
    rest = await client.execute(STATISTICS, {"first": 3, "after": page["pageInfo"]["endCursor"]})
    rest_rows = [(n["country"]["code"], n["year"]) for n in rest["rtiRequestStatistics"]["nodes"]]
    assert rest_rows == [("GB", 2023), ("GB", 2024)]


async def test_group_type_fields(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroup(slug: "access-to-information") {
               __typename
               ... on AccessToInfoGroup {
                 rtiRatingMaximum
                 rtiRatingCategories { category name maximum }
                 memberCountryLaws { country { code } rating { score } }
               } } }"""
    )
    group = data["workingGroup"]
    assert group["__typename"] == "AccessToInfoGroup"
    assert group["rtiRatingMaximum"] == 150
    assert sum(c["maximum"] for c in group["rtiRatingCategories"]) == 150
    assert group["rtiRatingCategories"][3] == {
        "category": "EXCEPTIONS_AND_REFUSALS",
        "name": "Exceptions and Refusals",
        "maximum": 30,
    }
    # Anchors and members come from Mexico, the UK, South Africa, Brazil... (core demo data).
    codes = [law["country"]["code"] for law in group["memberCountryLaws"]]
    assert codes == sorted(set(codes), key=codes.index)  # no duplicates
    assert {"MX", "BR", "GB"} <= set(codes)


async def test_statement_count_does_not_grow_with_the_page(client: GraphQLClient) -> None:
    query = """query($first: Int!) { rtiLaws(first: $first) { nodes {
        country { name } rating { score categories { score } } ratings { edition }
        requestStatistics { year country { code } } } } }"""

    async def statements(first: int) -> int:
        response = await client.post(query, {"first": first})
        assert "errors" not in response.json()
        return int(response.headers["x-sql-statements"])

    assert await statements(2) == await statements(5)  # from 2: each level has rows


async def test_disabling_the_plugin_removes_its_schema(demo_db: str, make_client) -> None:
    query = """{ country(code: "KE") { rightToInformation { rating { score } } }
                 rtiLaws { totalCount } }"""
    before = await make_client(demo_db).execute(query)
    assert before["country"]["rightToInformation"]["rating"]["score"] == 113

    disabled = make_client(demo_db, plugins={"disabled": ["access_to_info"]})
    schema = await disabled.execute("{ __schema { types { name fields { name } } } }")
    names = {t["name"] for t in schema["__schema"]["types"]}
    fields = {
        t["name"]: {f["name"] for f in t["fields"] or []} for t in schema["__schema"]["types"]
    }
    assert not names & {"RightToInformationLaw", "RtiRating", "AccessToInfoGroup"}
    assert "rightToInformation" not in fields["Country"]
    assert not {"rtiLaws", "rtiRequestStatistics"} & fields["Query"]
    assert not {"rtiLawRecord", "rtiRatingRecord"} & fields["Mutation"]
    errors = await disabled.errors(query)
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    assert await make_client(demo_db).execute(query) == before


async def test_demo_data_is_idempotent(demo_db: str, make_client) -> None:
    from core.testing import seed_demo

    query = """{ rtiLaws { totalCount nodes { ratings { edition } } }
                 rtiRequestStatistics { totalCount } }"""
    before = await make_client(demo_db).execute(query)
    await seed_demo(demo_db)
    assert await make_client(demo_db).execute(query) == before
