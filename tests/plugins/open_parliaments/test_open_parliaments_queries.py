"""Open parliaments, read side: Country.legislature, the group type, the root queries with their
filters and pagination, loading a level at a time, and disabling / re-enabling the plugin."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import GraphQLClient, seed_demo

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


LEGISLATURE = """
query($code: String!) {
  country(code: $code) {
    name
    legislature {
      id name chambers
      country { code }
      houses {
        id kind name website
        legislature { name }
        opennessIndicators { indicator status evidenceUrl checkedOn note chamber { kind } }
      }
      monitoringOrganizations { scope website organization { name } legislature { name } }
    }
  }
}"""

LEGISLATURES = """
query($filter: LegislatureFilter, $first: Int, $after: String) {
  legislatures(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { name chambers country { code } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""

ENDORSEMENTS = """
query($filter: DeclarationEndorsementFilter, $first: Int, $after: String) {
  declarationEndorsements(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { id endorsedOn sourceUrl note organization { name country { code } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

MONITORS = """
query($filter: ParliamentaryMonitoringOrganizationFilter, $first: Int, $after: String) {
  parliamentaryMonitoringOrganizations(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { id scope organization { name } legislature { name country { code } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

ALL_LEGISLATURES = [
    ("Congress of the Philippines", "PH"),
    ("Congress of the Union", "MX"),
    ("Congress of the United States", "US"),
    ("Legislative Assembly", "CR"),
    ("National Congress", "BR"),
    ("National Congress", "CL"),
    ("Parliament of Georgia", "GE"),
    ("Parliament of Kenya", "KE"),
    ("Parliament of the Republic of South Africa", "ZA"),
    ("Parliament of the United Kingdom", "GB"),
    ("Riigikogu", "EE"),
]


async def _legislature(client: GraphQLClient, code: str) -> dict[str, Any] | None:
    data = await client.execute(LEGISLATURE, {"code": code})
    return data["country"]["legislature"]


async def test_country_legislature_with_chambers_indicators_and_monitors(
    client: GraphQLClient,
) -> None:
    georgia = await _legislature(client, "GE")
    assert georgia is not None
    assert georgia["name"] == "Parliament of Georgia" and georgia["chambers"] == 1
    assert georgia["country"] == {"code": "GE"}
    (house,) = georgia["houses"]
    assert house["kind"] == "UNICAMERAL" and house["name"] == "Parliament of Georgia"
    assert house["legislature"] == {"name": "Parliament of Georgia"}
    indicators = house["opennessIndicators"]
    # every indicator, in the order of the enumeration, each with evidence and a check date
    assert [i["indicator"] for i in indicators] == [
        "VOTES_PUBLISHED",
        "BILLS_AND_AMENDMENTS_ONLINE",
        "PLENARY_RECORDS",
        "COMMITTEE_RECORDS",
        "OPEN_SESSIONS",
        "MACHINE_READABLE_DATA",
        "API",
    ]
    assert {i["status"] for i in indicators} == {"YES", "PARTIAL", "NO"}
    for item in indicators:
        assert item["evidenceUrl"] == "https://parliament.ge"
        assert item["checkedOn"].startswith("2024-")
        assert "Illustrative" in item["note"]
        assert item["chamber"] == {"kind": "UNICAMERAL"}
    assert georgia["monitoringOrganizations"] == []

    kenya = await _legislature(client, "KE")
    assert kenya is not None and kenya["chambers"] == 2
    assert [(h["kind"], h["name"]) for h in kenya["houses"]] == [
        ("LOWER", "National Assembly"),
        ("UPPER", "Senate"),
    ]
    assert kenya["monitoringOrganizations"] == [
        {
            "scope": "MEMBERS_AND_INSTITUTION",
            "website": None,
            "organization": {"name": "Mzalendo Trust"},
            "legislature": {"name": "Parliament of Kenya"},
        }
    ]
    assert await _legislature(client, "ID") is None  # not recorded


async def test_legislatures_filter_and_pagination(client: GraphQLClient) -> None:
    data = await client.execute(LEGISLATURES, {"first": 100})
    page = data["legislatures"]
    assert page["totalCount"] == len(ALL_LEGISLATURES)
    assert [(n["name"], n["country"]["code"]) for n in page["nodes"]] == ALL_LEGISLATURES

    seen: list[tuple[str, str]] = []
    after = None
    while True:
        page = (await client.execute(LEGISLATURES, {"first": 4, "after": after}))["legislatures"]
        seen += [(n["name"], n["country"]["code"]) for n in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ALL_LEGISLATURES

    for code in ("GE", "geo", " GEO "):
        page = (await client.execute(LEGISLATURES, {"filter": {"country": code}}))["legislatures"]
        assert [n["name"] for n in page["nodes"]] == ["Parliament of Georgia"]
        assert page["totalCount"] == 1
    for code in ("ID", "XX"):
        page = (await client.execute(LEGISLATURES, {"filter": {"country": code}}))["legislatures"]
        assert page["nodes"] == [] and page["totalCount"] == 0

    too_many = await client.errors(LEGISLATURES, {"first": 101})
    assert too_many[0]["extensions"]["code"] == "INVALID_ARGUMENT"
    bad_cursor = await client.errors(LEGISLATURES, {"after": "not-a-cursor"})
    assert bad_cursor[0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_declaration_endorsements_filters_and_pagination(client: GraphQLClient) -> None:
    page = (await client.execute(ENDORSEMENTS))["declarationEndorsements"]
    assert page["totalCount"] == 5
    assert [(n["organization"]["name"], n["endorsedOn"]) for n in page["nodes"]] == [
        ("National Democratic Institute (NDI)", "2012-09-15"),
        ("Sunlight Foundation", "2012-09-15"),
        ("Fundación Ciudadano Inteligente", "2012-09-15"),
        ("Mzalendo Trust", "2012-10-01"),
        ("Parliament of Georgia", "2015-06-30"),
    ]
    assert all("Illustrative" in n["note"] for n in page["nodes"])

    first = (await client.execute(ENDORSEMENTS, {"first": 3}))["declarationEndorsements"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (
        await client.execute(ENDORSEMENTS, {"first": 3, "after": first["pageInfo"]["endCursor"]})
    )["declarationEndorsements"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert first["nodes"] + rest["nodes"] == page["nodes"]

    async def names(filter: dict[str, Any]) -> list[str]:
        data = await client.execute(ENDORSEMENTS, {"filter": filter})
        return [n["organization"]["name"] for n in data["declarationEndorsements"]["nodes"]]

    assert await names({"country": "US"}) == [
        "National Democratic Institute (NDI)",
        "Sunlight Foundation",
    ]
    assert await names({"country": "KEN"}) == ["Mzalendo Trust"]
    assert await names({"since": "2012-10-01"}) == ["Mzalendo Trust", "Parliament of Georgia"]
    assert await names({"since": "2012-10-02", "country": "GE"}) == ["Parliament of Georgia"]
    assert await names({"since": "2012-10-02", "country": "KE"}) == []
    assert await names({"country": "XX"}) == []


async def test_monitoring_organizations_filter_and_pagination(client: GraphQLClient) -> None:
    page = (await client.execute(MONITORS))["parliamentaryMonitoringOrganizations"]
    assert page["totalCount"] == 3
    pairs = [
        (n["organization"]["name"], n["legislature"]["country"]["code"]) for n in page["nodes"]
    ]
    assert pairs == [
        ("Fundación Ciudadano Inteligente", "CL"),
        ("Mzalendo Trust", "KE"),
        ("Sunlight Foundation", "US"),
    ]

    first = (await client.execute(MONITORS, {"first": 2}))["parliamentaryMonitoringOrganizations"]
    rest = (await client.execute(MONITORS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))[
        "parliamentaryMonitoringOrganizations"
    ]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert first["nodes"] + rest["nodes"] == page["nodes"]

    kenya = (await client.execute(MONITORS, {"filter": {"country": "KE"}}))[
        "parliamentaryMonitoringOrganizations"
    ]
    assert [n["organization"]["name"] for n in kenya["nodes"]] == ["Mzalendo Trust"]
    assert kenya["nodes"][0]["scope"] == "MEMBERS_AND_INSTITUTION"
    nothing = (await client.execute(MONITORS, {"filter": {"country": "GE"}}))[
        "parliamentaryMonitoringOrganizations"
    ]
    assert nothing["nodes"] == [] and nothing["totalCount"] == 0


async def test_group_type_fields(client: GraphQLClient) -> None:
    data = await client.execute(
        """{
          workingGroup(slug: "open-parliaments") {
            __typename
            ... on OpenParliamentsGroup {
              declarationUrl declarationLaunchedOn endorsementCount
              memberEndorsements { endorsedOn organization { name } }
            }
          }
          workingGroups(first: 10) {
            nodes { slug ... on OpenParliamentsGroup { endorsementCount } }
          }
        }"""
    )
    group = data["workingGroup"]
    assert group["__typename"] == "OpenParliamentsGroup"
    assert group["declarationUrl"] == "https://www.openingparliament.org/declaration/"
    assert group["declarationLaunchedOn"] == "2012-09-15"
    assert group["endorsementCount"] == 5
    # every endorser of the demo is an anchor (NDI) or a member of the group
    assert [e["organization"]["name"] for e in group["memberEndorsements"]] == [
        "National Democratic Institute (NDI)",
        "Sunlight Foundation",
        "Fundación Ciudadano Inteligente",
        "Mzalendo Trust",
        "Parliament of Georgia",
    ]
    counts = {n["slug"]: n.get("endorsementCount") for n in data["workingGroups"]["nodes"]}
    assert counts["open-parliaments"] == 5
    assert counts["fiscal-openness"] is None  # another theme's type


async def test_relations_load_a_level_at_a_time(client: GraphQLClient) -> None:
    """The statements a nested query runs do not grow with the number of countries."""
    query = """query($region: String) {
      countries(region: $region) {
        legislature {
          houses { opennessIndicators { chamber { name } } legislature { name } }
          monitoringOrganizations { organization { name } legislature { country { code } } }
        }
      }
      workingGroups { nodes { ... on OpenParliamentsGroup {
        memberEndorsements { organization { name } } endorsementCount } } }
    }"""

    async def statements(region: str | None) -> int:
        response = await client.post(query, {"region": region})
        assert response.status_code == 200 and "errors" not in response.json()
        return int(response.headers["x-sql-statements"])

    assert await statements("Americas") == await statements(None)


INTROSPECT = "{ __schema { types { name fields { name } } } }"
PLUGIN_TYPES = {
    "OpenParliamentsGroup",
    "Legislature",
    "ParliamentaryChamber",
    "ChamberOpennessIndicator",
    "DeclarationEndorsement",
    "ParliamentaryMonitoringOrganization",
    "ParliamentaryChamberKind",
    "ParliamentaryOpennessIndicator",
    "ParliamentaryOpennessStatus",
    "ParliamentaryMonitoringScope",
}
ROOT_QUERIES = {"legislatures", "declarationEndorsements", "parliamentaryMonitoringOrganizations"}
ROOT_MUTATIONS = {
    "legislatureRecord",
    "chamberRecord",
    "chamberRemove",
    "opennessIndicatorRecord",
    "endorsementRecord",
    "parliamentaryMonitoringOrganizationRecord",
}
SAMPLE = """{
  country(code: "GE") { legislature { name houses { kind opennessIndicators { status } } } }
  legislatures(first: 100) { totalCount }
  declarationEndorsements(first: 100) { nodes { endorsedOn organization { name } } }
  parliamentaryMonitoringOrganizations { totalCount }
  workingGroup(slug: "open-parliaments") { ... on OpenParliamentsGroup { endorsementCount } }
}"""


def _schema(data: dict[str, Any]) -> tuple[set[str], dict[str, set[str]]]:
    types = data["__schema"]["types"]
    fields = {t["name"]: {f["name"] for f in t["fields"] or []} for t in types}
    return set(fields), fields


async def test_disabling_removes_the_schema_and_enabling_brings_the_data_back(
    demo_db: str, make_client: Any
) -> None:
    before = await make_client(demo_db).execute(SAMPLE)
    assert before["country"]["legislature"]["houses"][0]["opennessIndicators"]

    disabled = make_client(demo_db, plugins={"disabled": ["open_parliaments"]})
    names, fields = _schema(await disabled.execute(INTROSPECT))
    assert not PLUGIN_TYPES & names
    assert "legislature" not in fields["Country"]
    assert not ROOT_QUERIES & fields["Query"]
    assert not ROOT_MUTATIONS & fields["Mutation"]
    hidden = await disabled.execute('{ workingGroup(slug: "open-parliaments") { id } }')
    assert hidden["workingGroup"] is None
    errors = await disabled.errors('{ country(code: "GE") { legislature { name } } }')
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    enabled = make_client(demo_db)
    names, fields = _schema(await enabled.execute(INTROSPECT))
    assert names >= PLUGIN_TYPES
    assert fields["Query"] >= ROOT_QUERIES
    assert fields["Mutation"] >= ROOT_MUTATIONS
    assert await enabled.execute(SAMPLE) == before


async def test_demo_is_idempotent(demo_db: str, make_client: Any) -> None:
    client = make_client(demo_db)
    before = await client.execute(SAMPLE)
    await seed_demo(demo_db)
    assert await client.execute(SAMPLE) == before
