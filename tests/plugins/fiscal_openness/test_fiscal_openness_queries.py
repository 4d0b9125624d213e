"""Reading the fiscal openness data: Country fields, root queries with filters and pagination,
the group's commitments and GIFT principle coverage, and a flat statement count."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


SURVEY_FIELDS = """
  id edition methodologyVersion sourceUrl note sufficientTransparency transparencyLevel
  transparency { score scaleMax edition methodologyVersion sourceUrl measure }
  participation { score measure }
  oversight { score measure }
  legislativeOversight { score measure }
  auditOversight { score measure }
  retrievedOn illustrative
  country { code }
"""


async def test_country_open_budget_survey_latest_and_by_edition(client: GraphQLClient) -> None:
    data = await client.execute(
        f"""{{
          br: country(code: "BR") {{
            latest: openBudgetSurvey {{ {SURVEY_FIELDS} }}
            old: openBudgetSurvey(edition: 2019) {{ edition transparency {{ score }} }}
            missing: openBudgetSurvey(edition: 2008) {{ edition }}
          }}
          no: country(code: "NO") {{ openBudgetSurvey {{ edition }} }}
        }}"""
    )
    latest = data["br"]["latest"]
    assert latest["edition"] == 2023
    assert latest["country"] == {"code": "BR"}
    assert latest["transparency"] == {
        "score": 81.0,
        "scaleMax": 100.0,
        "edition": "2023",
        "methodologyVersion": "OBS 2023",
        "sourceUrl": None,  # an illustrative row citing no page: no made-up source
        "measure": "TRANSPARENCY",
    }
    assert latest["participation"] == {"score": 39.0, "measure": "PARTICIPATION"}
    assert latest["oversight"] is None  # OBS 2023 publishes no composite: the two scores
    assert latest["legislativeOversight"] == {"score": 71.0, "measure": "LEGISLATIVE_OVERSIGHT"}
    assert latest["auditOversight"] == {"score": 90.0, "measure": "AUDIT_OVERSIGHT"}
    assert (latest["sourceUrl"], latest["retrievedOn"], latest["illustrative"]) == (
        None,
        None,
        True,
    )
    assert latest["sufficientTransparency"] is True
    assert latest["transparencyLevel"] == "EXTENSIVE"
    assert "Illustrative" in latest["note"]
    assert data["br"]["old"] == {"edition": 2019, "transparency": {"score": 81.0}}
    assert data["br"]["missing"] is None
    assert data["no"]["openBudgetSurvey"] is None


async def test_transparency_levels_and_the_sufficiency_benchmark(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ openBudgetSurveys(filter: {edition: 2023}, first: 50) {
              nodes { country { code } transparency { score } sufficientTransparency
                      transparencyLevel } } }"""
    )
    by_code = {n["country"]["code"]: n for n in data["openBudgetSurveys"]["nodes"]}
    assert by_code["KE"]["transparencyLevel"] == "LIMITED"  # 51
    assert by_code["KE"]["sufficientTransparency"] is False
    assert by_code["GB"]["transparencyLevel"] == "SUBSTANTIAL"  # 67
    assert by_code["GB"]["sufficientTransparency"] is True


async def test_open_budget_surveys_filters(client: GraphQLClient) -> None:
    query = """query($filter: OpenBudgetSurveyFilter) {
      openBudgetSurveys(filter: $filter, first: 100) {
        totalCount nodes { edition country { code name } transparency { score } }
      }
    }"""

    async def run(**filter: Any) -> list[dict[str, Any]]:
        data = await client.execute(query, {"filter": filter})
        page = data["openBudgetSurveys"]
        assert page["totalCount"] == len(page["nodes"])
        return page["nodes"]

    everything = await run()
    assert len(everything) == 16
    keys = [(n["country"]["name"], n["edition"]) for n in everything]
    assert keys == sorted(keys)  # by country name, then edition

    assert {n["country"]["code"] for n in await run(edition=2021)} == {"BR", "PH", "MX", "ZA"}
    assert [n["edition"] for n in await run(country="PH")] == [2015, 2017, 2019, 2021, 2023]
    assert [n["edition"] for n in await run(country="phl")] == [2015, 2017, 2019, 2021, 2023]
    assert await run(country="ZZ") == []
    strong = await run(minTransparency=82)
    assert {(n["country"]["code"], n["edition"]) for n in strong} == {
        ("BR", 2021),
        ("MX", 2021),
        ("ZA", 2021),
        ("ZA", 2023),
    }
    combined = await run(edition=2023, minTransparency=61, country="GB")
    assert [(n["country"]["code"], n["transparency"]["score"]) for n in combined] == [("GB", 67.0)]


async def test_open_budget_surveys_pagination(client: GraphQLClient) -> None:
    query = """query($after: String) {
      openBudgetSurveys(first: 5, after: $after) {
        totalCount nodes { id } pageInfo { hasNextPage endCursor }
      }
    }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await client.execute(query, {"after": after}))["openBudgetSurveys"]
        assert page["totalCount"] == 16
        seen.extend(n["id"] for n in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 16
    errors = await client.errors("{ openBudgetSurveys(first: 101) { totalCount } }")
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_country_budget_documents(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ country(code: "GH") {
              all: budgetDocuments { fiscalYear kind }
              budgetDocuments(fiscalYear: 2023) {
                id fiscalYear kind title status publishedOn url note metTimeliness
                timelinessRule country { code }
              }
              none: budgetDocuments(fiscalYear: 2019) { kind }
        } }"""
    )
    country = data["country"]
    documents = country["budgetDocuments"]
    assert [d["kind"] for d in documents] == [
        "PRE_BUDGET_STATEMENT",
        "EXECUTIVES_BUDGET_PROPOSAL",
        "ENACTED_BUDGET",
        "CITIZENS_BUDGET",
        "IN_YEAR_REPORTS",
        "MID_YEAR_REVIEW",
        "YEAR_END_REPORT",
        "AUDIT_REPORT",
    ]  # the budget cycle's order
    assert len(country["all"]) == 8
    assert country["none"] == []
    by_kind = {d["kind"]: d for d in documents}
    proposal = by_kind["EXECUTIVES_BUDGET_PROPOSAL"]
    assert proposal["title"] == "Executive's Budget Proposal"
    assert proposal["status"] == "PUBLICLY_AVAILABLE"
    assert proposal["metTimeliness"] is True
    assert proposal["publishedOn"] == "2022-11-24"
    assert proposal["url"].startswith("https://example.org/illustrative/")
    assert "before it is approved" in proposal["timelinessRule"]
    assert by_kind["IN_YEAR_REPORTS"]["metTimeliness"] is False  # published late
    internal = by_kind["PRE_BUDGET_STATEMENT"]
    assert (internal["status"], internal["metTimeliness"], internal["url"]) == (
        "INTERNAL_USE_ONLY",
        None,
        None,
    )
    assert by_kind["YEAR_END_REPORT"]["status"] == "NOT_PRODUCED"
    assert "18 months" in by_kind["AUDIT_REPORT"]["timelinessRule"]


async def test_budget_documents_filters_and_pagination(client: GraphQLClient) -> None:
    query = """query($filter: BudgetDocumentFilter, $after: String, $first: Int!) {
      budgetDocuments(filter: $filter, first: $first, after: $after) {
        totalCount nodes { id fiscalYear kind status country { code name } }
        pageInfo { hasNextPage endCursor }
      }
    }"""

    async def run(**filter: Any) -> list[dict[str, Any]]:
        data = await client.execute(query, {"filter": filter, "first": 100})
        return data["budgetDocuments"]["nodes"]

    everything = await run()
    assert len(everything) == 24
    keys = [(n["country"]["name"], n["fiscalYear"]) for n in everything]
    assert keys == sorted(keys)
    assert {n["country"]["code"] for n in await run(country="ZAF")} == {"ZA"}
    assert {n["fiscalYear"] for n in await run(fiscalYear=2024)} == {2024}
    assert len(await run(fiscalYear=2024)) == 8
    audits = await run(kind=["AUDIT_REPORT", "YEAR_END_REPORT"])
    assert len(audits) == 6
    hidden = await run(status=["INTERNAL_USE_ONLY", "NOT_PRODUCED"])
    assert {(n["country"]["code"], n["kind"]) for n in hidden} == {
        ("GH", "PRE_BUDGET_STATEMENT"),
        ("GH", "YEAR_END_REPORT"),
    }
    late = await run(status=["PUBLISHED_LATE"], country="PH", fiscalYear=2023)
    assert [n["kind"] for n in late] == ["MID_YEAR_REVIEW"]
    assert await run(country="NO") == []

    seen: list[str] = []
    after = None
    while True:
        data = await client.execute(query, {"filter": None, "first": 7, "after": after})
        page = data["budgetDocuments"]
        assert page["totalCount"] == 24
        seen.extend(n["id"] for n in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [n["id"] for n in everything]


GROUP = """query($principle: GiftPrinciple, $kind: FiscalCommitmentKind) {
  workingGroup(slug: "fiscal-openness") {
    __typename
    ... on FiscalOpennessGroup {
      sufficientTransparencyThreshold
      commitments(principle: $principle, kind: $kind) {
        id kind title reference url principles country { code }
      }
      principleCoverage { principle number title commitmentCount }
    }
  }
}"""


async def test_group_commitments_and_principle_coverage(client: GraphQLClient) -> None:
    group = (await client.execute(GROUP))["workingGroup"]
    assert group["__typename"] == "FiscalOpennessGroup"
    assert group["sufficientTransparencyThreshold"] == 61
    commitments = group["commitments"]
    titles = [c["title"] for c in commitments]
    assert len(titles) == 4 and titles == sorted(titles)
    hearings = next(c for c in commitments if c["title"].startswith("Participatory"))
    assert hearings["kind"] == "ACTION_PLAN_COMMITMENT"
    assert hearings["country"] == {"code": "PH"}
    assert hearings["principles"] == ["OBJECTIVES_OUTPUTS_OUTCOMES", "PUBLIC_PARTICIPATION"]
    area = next(c for c in commitments if c["kind"] == "PRIORITY_AREA")
    assert area["country"] is None

    coverage = group["principleCoverage"]
    assert [c["number"] for c in coverage] == list(range(1, 11))
    first = coverage[0]
    assert first == {
        "principle": "RIGHT_TO_FISCAL_INFORMATION",
        "number": 1,
        "title": "A citizen right to fiscal information",
        "commitmentCount": 1,
    }
    counts = {c["principle"]: c["commitmentCount"] for c in coverage}
    assert counts["PUBLIC_PARTICIPATION"] == 2
    assert counts["HIGH_QUALITY_FISCAL_INFORMATION"] == 2
    assert counts["RULE_OF_LAW"] == 0  # a gap
    assert coverage[9]["title"].startswith("A citizen right to direct public participation")

    participation = await client.execute(GROUP, {"principle": "PUBLIC_PARTICIPATION"})
    assert len(participation["workingGroup"]["commitments"]) == 2
    plans = await client.execute(GROUP, {"kind": "ACTION_PLAN_COMMITMENT"})
    codes = {c["country"]["code"] for c in plans["workingGroup"]["commitments"]}
    assert codes == {"PH", "MX"}
    both = await client.execute(GROUP, {"kind": "PRIORITY_AREA", "principle": "RULE_OF_LAW"})
    assert both["workingGroup"]["commitments"] == []


async def test_commitments_through_the_working_groups_list(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroups(first: 20) { nodes {
              slug ... on FiscalOpennessGroup { commitments { title } } } } }"""
    )
    fiscal = [n for n in data["workingGroups"]["nodes"] if n["slug"] == "fiscal-openness"]
    assert len(fiscal[0]["commitments"]) == 4


COUNTRIES = """query($region: String) {
  countries(region: $region) {
    code
    openBudgetSurvey { edition transparency { score } country { code } }
    budgetDocuments { kind country { code } }
  }
}"""


async def test_statement_count_does_not_grow_with_countries(client: GraphQLClient) -> None:
    async def statements(region: str | None) -> tuple[int, int]:
        response = await client.post(COUNTRIES, {"region": region})
        body = response.json()
        assert "errors" not in body, body
        return len(body["data"]["countries"]), int(response.headers["x-sql-statements"])

    few, few_statements = await statements("Africa and Middle East")
    many, many_statements = await statements(None)
    assert many > few
    assert few_statements == many_statements


async def test_group_country_surveys(client: GraphQLClient) -> None:
    query = """query($edition: Int) { workingGroup(slug: "fiscal-openness") {
      ... on FiscalOpennessGroup {
        countrySurveys(edition: $edition) { edition country { code name } transparency { score } }
      } } }"""
    latest = (await client.execute(query))["workingGroup"]["countrySurveys"]
    # Anchors and members from PH, US, ZA, ID, MX, BR (the US has no survey in the demo).
    assert [s["country"]["code"] for s in latest] == ["BR", "ID", "MX", "PH", "ZA"]
    assert {s["edition"] for s in latest} == {2023}
    older = (await client.execute(query, {"edition": 2021}))["workingGroup"]["countrySurveys"]
    assert [s["country"]["code"] for s in older] == ["BR", "MX", "PH", "ZA"]


FAST_VS_STANDARD = [
    """{ countries { code
         openBudgetSurvey { id edition sufficientTransparency transparencyLevel note
           transparency { score scaleMax edition methodologyVersion sourceUrl measure
                          benchmark meetsBenchmark retrievedOn illustrative }
           comparableTransparency { score methodologyVersion }
           participation { score measure } oversight { score } country { code }
           legislativeOversight { score meetsBenchmark } auditOversight { score }
           adequateParticipation adequateLegislativeOversight adequateAuditOversight
           sourceUrl retrievedOn illustrative }
         openBudgetTransparencyTrend { edition score change sourceUrl retrievedOn illustrative }
         old: openBudgetSurvey(edition: 2019) { edition }
         budgetDocuments { id fiscalYear kind title status publishedOn url metTimeliness
           publiclyAvailable sourceUrl retrievedOn illustrative
           timelinessRule country { name } } } }""",
    """{ workingGroups { nodes { slug ... on FiscalOpennessGroup {
         sufficientTransparencyThreshold adequacyThreshold surveyRounds
         countrySurveys { edition country { code } }
         commitments { id kind title reference url principles country { code } }
         p: commitments(principle: PUBLIC_PARTICIPATION) { title }
         principleCoverage { principle number title commitmentCount } } } } }""",
    """{ openBudgetSurveys(first: 7) { totalCount pageInfo { hasNextPage endCursor }
         edges { cursor node { edition country { code } transparency { score } } } }
       budgetDocuments(first: 9, filter: {status: [PUBLICLY_AVAILABLE]}) {
         totalCount nodes { kind country { code } } } }""",
]


async def test_fast_executor_matches_standard(demo_db: str, make_client: Any) -> None:
    standard = make_client(demo_db, fast_execution=False)
    fast = make_client(demo_db, compiled_reads=False)
    for document in FAST_VS_STANDARD:
        expected = await standard.post(document)
        assert "errors" not in expected.json(), expected.json()
        assert (await fast.post(document)).text == expected.text
