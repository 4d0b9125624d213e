"""Open data plugin, reads: Country fields, group fields, root queries with every filter and
pagination, the Assessment interface, and the schema without the plugin."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import ClientFactory, GraphQLClient, token_for

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


async def test_country_open_data_charter_summarises_its_adopters(client: GraphQLClient) -> None:
    data = await client.execute(
        """{
          mx: country(code: "MX") { openDataCharter { adoptedOn level
            adopters { government level adoptedOn sourceUrl country { code } } } }
          ar: country(code: "ARG") { openDataCharter { adoptedOn level adopters { government } } }
          no: country(code: "NO") { openDataCharter { level } }
        }"""
    )
    mx = data["mx"]["openDataCharter"]
    assert mx["level"] == "NATIONAL"
    assert mx["adoptedOn"] == "2015-10-29"
    governments = [a["government"] for a in mx["adopters"]]
    assert "Government of Mexico" in governments and "State of Morelos" in governments
    assert {a["country"]["code"] for a in mx["adopters"]} == {"MX"}
    assert all(a["sourceUrl"].startswith("https://webfoundation.org/") for a in mx["adopters"])
    # Only the City of Buenos Aires adopted in Argentina: the country summary says SUBNATIONAL.
    assert data["ar"]["openDataCharter"]["level"] == "SUBNATIONAL"
    assert [a["government"] for a in data["ar"]["openDataCharter"]["adopters"]] == ["Buenos Aires"]
    assert data["no"]["openDataCharter"] is None


async def test_country_portals_and_odin_scores(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ countries { code
               dataPortals { name url platform hasApi datasetCount checkedOn notes }
               odinScores { edition score coverage openness scaleMax } } }"""
    )
    by_code = {c["code"]: c for c in data["countries"]}
    gb = by_code["GB"]
    assert [p["url"] for p in gb["dataPortals"]] == ["https://www.data.gov.uk"]
    assert gb["dataPortals"][0]["platform"] == "CKAN"
    assert "Illustrative" in gb["dataPortals"][0]["notes"]
    mx_editions = [s["edition"] for s in by_code["MX"]["odinScores"]]
    assert mx_editions == ["2022/23", "2020/21", "2016"]  # latest first
    assert by_code["MX"]["odinScores"][0]["scaleMax"] == 100
    assert by_code["NO"]["dataPortals"] == [] and by_code["NO"]["odinScores"] == []


async def test_odin_scores_are_assessments(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ odinScores(filter: {country: "GB"}) { nodes {
               __typename
               ... on Assessment { score scaleMax edition methodologyVersion sourceUrl }
               country { name } notes } } }"""
    )
    (score,) = data["odinScores"]["nodes"]
    assert score["__typename"] == "OdinScore"
    assert score["scaleMax"] == 100
    assert score["edition"] == "2022/23"
    assert score["methodologyVersion"] == "ODIN 2022/23"
    assert score["sourceUrl"] is None  # illustrative and citing no page: no made-up source
    assert score["country"]["name"] == "United Kingdom"
    assert "Illustrative" in score["notes"]


async def test_open_data_group_fields(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroup(slug: "open-data") { __typename ... on OpenDataGroup {
               charterPrinciples
               charterAdopters { government country { code } }
               dataPortals(first: 2) { totalCount nodes { name country { code } }
                                        pageInfo { hasNextPage endCursor } }
               highValueDatasets { nodes { title category } }
               meteo: highValueDatasets(category: [METEOROLOGICAL]) { nodes { title } }
               odinScores { nodes { edition country { code } } }
               latest: odinScores(edition: "2020/21") { nodes { edition } } } } }"""
    )
    group = data["workingGroup"]
    assert group["__typename"] == "OpenDataGroup"
    assert group["charterPrinciples"][0] == "Open by Default"
    assert len(group["charterPrinciples"]) == 6
    # The group's countries: its anchors' and members' (CA, GB, KE, UY, US in the demo).
    adopters = {(a["country"]["code"], a["government"]) for a in group["charterAdopters"]}
    assert ("UY", "Montevideo") in adopters and (
        "GB",
        "Government of the United Kingdom",
    ) in adopters
    assert not any(code == "MX" for code, _ in adopters)
    portals = group["dataPortals"]
    assert portals["pageInfo"]["hasNextPage"] is True
    assert [p["name"] for p in portals["nodes"]] == ["Catálogo de Datos Abiertos", "Data.gov"]
    assert {d["category"] for d in group["highValueDatasets"]["nodes"]} >= {"METEOROLOGICAL"}
    assert [d["title"] for d in group["meteo"]["nodes"]] == [
        "Global Historical Climatology Network daily (GHCNd)"
    ]
    assert {(s["country"]["code"], s["edition"]) for s in group["odinScores"]["nodes"]} == {
        ("GB", "2022/23"),
        ("UY", "2022/23"),
    }
    assert group["latest"]["nodes"] == []


async def _all_pages(client: GraphQLClient, field: str, selection: str, **args: Any) -> list[Any]:
    filter_arg = args.get("filter", "{}")
    nodes: list[Any] = []
    after = None
    while True:
        data = await client.execute(
            f"""query($after: String) {{ {field}(filter: {filter_arg}, first: 2, after: $after) {{
                  totalCount nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}""",
            {"after": after},
        )
        page = data[field]
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(nodes)
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_charter_adopters_query(client: GraphQLClient) -> None:
    everyone = await _all_pages(client, "openDataCharterAdopters", "government level")
    assert len(everyone) == 10
    national = await _all_pages(
        client, "openDataCharterAdopters", "government", filter="{level: NATIONAL}"
    )
    assert len(national) == 5
    uy = await _all_pages(client, "openDataCharterAdopters", "government", filter='{country: "UY"}')
    assert sorted(a["government"] for a in uy) == ["Government of Uruguay", "Montevideo"]
    both = await _all_pages(
        client,
        "openDataCharterAdopters",
        "government",
        filter='{country: "URY", level: SUBNATIONAL}',
    )
    assert both == [{"government": "Montevideo"}]


async def test_data_portals_query(client: GraphQLClient) -> None:
    names = [p["name"] for p in await _all_pages(client, "dataPortals", "name")]
    assert len(names) == 6 and "datos.gob.mx" in names  # by name, in the database's collation
    mx = await _all_pages(client, "dataPortals", "url", filter='{country: "MX"}')
    assert mx == [{"url": "https://datos.gob.mx"}]
    assert await _all_pages(client, "dataPortals", "url", filter="{platform: [SOCRATA]}") == []
    assert len(await _all_pages(client, "dataPortals", "url", filter="{platform: [CKAN]}")) == 6
    assert len(await _all_pages(client, "dataPortals", "url", filter="{hasApi: true}")) == 6
    assert await _all_pages(client, "dataPortals", "url", filter="{hasApi: false}") == []
    assert await _all_pages(client, "dataPortals", "url", filter='{country: "ZZ"}') == []


async def test_high_value_datasets_query(client: GraphQLClient) -> None:
    titles = [d["title"] for d in await _all_pages(client, "highValueDatasets", "title")]
    assert titles == sorted(titles) and len(titles) == 4
    stats = await _all_pages(
        client, "highValueDatasets", "title category", filter="{category: [STATISTICS]}"
    )
    assert stats == [{"title": "Censo de Población y Vivienda 2020", "category": "STATISTICS"}]
    us = await _all_pages(
        client,
        "highValueDatasets",
        "title portal { url } country { code } opennessElementsMet fullyOpen",
        filter='{country: "US", category: [METEOROLOGICAL, MOBILITY]}',
    )
    assert us == [
        {
            "title": "Global Historical Climatology Network daily (GHCNd)",
            "portal": {"url": "https://data.gov"},
            "country": {"code": "US"},
            "opennessElementsMet": 5,
            "fullyOpen": True,
        }
    ]
    open_ = await _all_pages(client, "highValueDatasets", "fullyOpen", filter="{fullyOpen: true}")
    closed = await _all_pages(
        client, "highValueDatasets", "fullyOpen opennessElementsMet", filter="{fullyOpen: false}"
    )
    assert len(open_) == 2 and all(d["fullyOpen"] for d in open_)
    assert len(closed) == 2 and all(d["opennessElementsMet"] == 4 for d in closed)


async def test_odin_scores_query(client: GraphQLClient) -> None:
    everything = await _all_pages(client, "odinScores", "edition country { name }")
    assert len(everything) == 8
    names = [s["country"]["name"] for s in everything]
    assert names == sorted(names)  # by country name, then edition
    latest = await _all_pages(client, "odinScores", "edition", filter='{edition: "2022/23"}')
    assert len(latest) == 5
    mx = await _all_pages(client, "odinScores", "edition", filter='{country: "MEX"}')
    assert [s["edition"] for s in mx] == ["2016", "2020/21", "2022/23"]
    one = await _all_pages(
        client, "odinScores", "score", filter='{country: "MX", edition: "2020/21"}'
    )
    assert len(one) == 1


async def test_portal_datasets_relation(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ dataPortals(filter: {country: "US"}) { nodes { highValueDatasets { title } } } }"""
    )
    (portal,) = data["dataPortals"]["nodes"]
    assert [d["title"] for d in portal["highValueDatasets"]] == [
        "Global Historical Climatology Network daily (GHCNd)"
    ]


async def test_bad_first_is_an_api_error(client: GraphQLClient) -> None:
    errors = await client.errors("{ dataPortals(first: 101) { totalCount } }")
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_disabling_the_plugin_removes_its_schema_and_keeps_its_data(
    demo_db: str, make_client: ClientFactory
) -> None:
    disabled = make_client(demo_db, plugins={"disabled": ["open_data"]})
    errors = await disabled.errors('{ country(code: "MX") { openDataCharter { level } } }')
    assert "openDataCharter" in errors[0]["message"]
    for document in (
        "{ dataPortals { totalCount } }",
        "{ highValueDatasets { totalCount } }",
        "{ odinScores { totalCount } }",
        "{ openDataCharterAdopters { totalCount } }",
        'mutation { odinScoreRecord(input: {country: "MX", edition: "2017", score: 1, '
        "coverage: 1, openness: 1}) { userErrors { code } } }",
    ):
        await disabled.errors(document)
    data = await disabled.execute('{ workingGroup(slug: "open-data") { name } }')
    assert data["workingGroup"] is None

    enabled = make_client(demo_db)
    data = await enabled.execute(
        '{ country(code: "MX") { openDataCharter { level } } odinScores { totalCount } }'
    )
    assert data["country"]["openDataCharter"]["level"] == "NATIONAL"
    assert data["odinScores"]["totalCount"] == 8


COUNTRY_PAGE = """{ countries { code
  openDataCharter { level adopters(first: 10) { government country { code } } }
  dataPortals(first: 10) {
    name highValueDatasets(first: 10) { title portal { name } country { code } } }
  odinScores(first: 10) { score country { code } } } }"""

GROUP_PAGE = """{ workingGroups(first: 10) { nodes { name ... on OpenDataGroup {
  charterAdopters(first: 10) { government country { name } }
  dataPortals { nodes { name country { code } highValueDatasets(first: 10) { title } } }
  highValueDatasets { nodes { title portal { name } } }
  odinScores { nodes { score country { code } } } } } } }"""


async def _statements(client: GraphQLClient, document: str) -> int:
    response = await client.post(document)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return int(response.headers["x-sql-statements"])


async def test_statements_do_not_grow_with_rows(demo_db: str, make_client: ClientFactory) -> None:
    """One statement per selected relation and level, however many rows there are (the resolver
    path's loading: a root field that compiles is one statement)."""
    client = make_client(demo_db, debug=True, compiled_reads=False)
    client = client.with_token(await token_for(demo_db, "staff"))
    country_page = await _statements(client, COUNTRY_PAGE)
    group_page = await _statements(client, GROUP_PAGE)
    assert country_page == 10  # countries + 9 relations (the Charter summary and its adopters: 2)
    for code in ("KE", "CA", "NZ", "EE"):
        portal = await client.execute(
            """mutation($input: DataPortalRecordInput!) { dataPortalRecord(input: $input) {
                 dataPortal { id } } }""",
            {"input": {"country": code, "name": f"Portal {code}", "platform": "OTHER",
                       "url": f"https://data.{code.lower()}.example.org", "hasApi": False,
                       "illustrative": True}},
        )  # fmt: skip
        await client.execute(
            """mutation($input: DatasetRecordInput!) { datasetRecord(input: $input) {
                 userErrors { code } } }""",
            {"input": {"country": code, "title": f"Census {code}", "category": "STATISTICS",
                       "url": f"https://data.{code.lower()}.example.org/census",
                       "portalId": portal["dataPortalRecord"]["dataPortal"]["id"],
                       "machineReadable": True, "nonProprietaryFormat": True,
                       "metadataAvailable": True, "downloadOrApi": True, "openLicence": True,
                       "checkedOn": "2024-01-01", "illustrative": True}},
        )  # fmt: skip
        await client.execute(
            """mutation($input: OdinScoreRecordInput!) { odinScoreRecord(input: $input) {
                 userErrors { code } } }""",
            {"input": {"country": code, "edition": "2024/25", "score": 50, "coverage": 50,
                       "openness": 50, "illustrative": True}},
        )  # fmt: skip
    assert await _statements(client, COUNTRY_PAGE) == country_page
    assert await _statements(client, GROUP_PAGE) == group_page
