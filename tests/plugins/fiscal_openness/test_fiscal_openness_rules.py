"""The Open Budget Survey's own rules (issue 13): editions are the survey's rounds, oversight is
split into legislative and audit oversight (the composite kept where it was published), every
score has IBP's benchmark of 61, the comparable transparency series gives a trend, a document in
print only is not publicly available, and every row is sourced or marked illustrative."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code field }"
SURVEY = """id edition sourceUrl retrievedOn illustrative
  transparency { score benchmark meetsBenchmark measure illustrative retrievedOn sourceUrl }
  participation { score benchmark meetsBenchmark }
  legislativeOversight { score benchmark meetsBenchmark measure }
  auditOversight { score benchmark meetsBenchmark measure }
  oversight { score }
  comparableTransparency { score methodologyVersion measure }
  adequateParticipation adequateLegislativeOversight adequateAuditOversight sufficientTransparency"""
SURVEY_RECORD = f"""mutation($input: OpenBudgetSurveyRecordInput!) {{
  openBudgetSurveyRecord(input: $input) {{ openBudgetSurvey {{ {SURVEY} }} {ERRORS} }} }}"""
SURVEY_CORRECT = f"""mutation($input: OpenBudgetSurveyCorrectInput!) {{
  openBudgetSurveyCorrect(input: $input) {{ openBudgetSurvey {{ {SURVEY} }} {ERRORS} }} }}"""
DOCUMENT = """id status publishedOn url publiclyAvailable metTimeliness sourceUrl retrievedOn
  illustrative"""
DOCUMENT_RECORD = f"""mutation($input: BudgetDocumentRecordInput!) {{
  budgetDocumentRecord(input: $input) {{ budgetDocument {{ {DOCUMENT} }} {ERRORS} }} }}"""
DOCUMENT_CORRECT = f"""mutation($input: BudgetDocumentCorrectInput!) {{
  budgetDocumentCorrect(input: $input) {{ budgetDocument {{ {DOCUMENT} }} {ERRORS} }} }}"""
ROUNDS = [2006, 2008, 2010, 2012, 2015, 2017, 2019, 2021, 2023]
SOURCE = {"sourceUrl": "https://example.org/obs/ke", "retrievedOn": "2024-06-01"}


async def _run(client: GraphQLClient, mutation: str, values: dict[str, Any]) -> dict[str, Any]:
    (payload,) = (await client.execute(mutation, {"input": values})).values()
    return payload


def _errors(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["code"], e["field"][-1]) for e in payload["userErrors"]]


async def _count(client: GraphQLClient) -> tuple[int, int]:
    data = await client.execute(
        "{ openBudgetSurveys { totalCount } budgetDocuments { totalCount } }"
    )
    return data["openBudgetSurveys"]["totalCount"], data["budgetDocuments"]["totalCount"]


async def test_editions_are_the_survey_rounds(client: GraphQLClient) -> None:
    this_year = date.today().year
    for edition in range(2000, this_year + 3):
        later_round = edition > 2023 and edition % 2 == 1 and edition <= this_year
        expected = edition in ROUNDS or later_round
        values = {"country": "NO", "edition": edition, "transparencyScore": 50, **SOURCE}
        payload = await _run(client, SURVEY_RECORD, values)
        if expected:
            assert payload["userErrors"] == [], edition
        else:
            assert _errors(payload) == [("INVALID_EDITION", "edition")], edition
            assert payload["openBudgetSurvey"] is None
    group = await client.execute(
        '{ workingGroup(slug: "fiscal-openness") { ... on FiscalOpennessGroup { surveyRounds '
        "adequacyThreshold sufficientTransparencyThreshold } } }"
    )
    assert group["workingGroup"] == {
        "surveyRounds": ROUNDS,
        "adequacyThreshold": 61,
        "sufficientTransparencyThreshold": 61,
    }


async def test_oversight_split_and_benchmarks(client: GraphQLClient) -> None:
    values = {
        "country": "KE",
        "edition": 2021,
        "transparencyScore": 61,
        "participationScore": 60,
        "legislativeOversightScore": 60,
        "auditOversightScore": 61,
        **SOURCE,
    }
    payload = await _run(client, SURVEY_RECORD, values)
    assert payload["userErrors"] == []
    survey = payload["openBudgetSurvey"]
    assert survey["legislativeOversight"] == {
        "score": 60.0,
        "benchmark": 61,
        "meetsBenchmark": False,
        "measure": "LEGISLATIVE_OVERSIGHT",
    }
    assert survey["auditOversight"] == {
        "score": 61.0,
        "benchmark": 61,
        "meetsBenchmark": True,
        "measure": "AUDIT_OVERSIGHT",
    }
    assert survey["oversight"] is None  # no composite given: none invented
    assert survey["participation"] == {"score": 60.0, "benchmark": 61, "meetsBenchmark": False}
    assert (
        survey["adequateParticipation"],
        survey["adequateLegislativeOversight"],
        survey["adequateAuditOversight"],
        survey["sufficientTransparency"],
    ) == (False, False, True, True)
    assert survey["transparency"]["meetsBenchmark"] is True
    assert survey["comparableTransparency"] is None

    for field in ("legislativeOversightScore", "auditOversightScore"):
        wrong = await _run(client, SURVEY_CORRECT, {"id": survey["id"], field: 101})
        assert _errors(wrong) == [("SCORE_OUT_OF_RANGE", field)]
    cleared = await _run(
        client,
        SURVEY_CORRECT,
        {"id": survey["id"], "participationScore": None, "oversightScore": 70},
    )
    assert cleared["userErrors"] == []
    assert cleared["openBudgetSurvey"]["adequateParticipation"] is None
    assert cleared["openBudgetSurvey"]["oversight"] == {"score": 70.0}
    assert cleared["openBudgetSurvey"]["legislativeOversight"]["score"] == 60.0  # unchanged


async def test_comparable_series_gives_a_trend(client: GraphQLClient) -> None:
    query = """query($code: String!) { country(code: $code) {
      openBudgetTransparencyTrend { edition score change sourceUrl retrievedOn illustrative } } }"""
    brazil = (await client.execute(query, {"code": "BR"}))["country"]
    assert [
        (p["edition"], p["score"], p["change"]) for p in brazil["openBudgetTransparencyTrend"]
    ] == [
        (2019, 77, None),
        (2021, 80, 3),
        (2023, 78, -2),
    ]
    assert all(p["illustrative"] for p in brazil["openBudgetTransparencyTrend"])

    for edition, score in ((2023, 50), (2017, 42), (2019, 40)):
        values = {
            "country": "KE",
            "edition": edition,
            "transparencyScore": score + 1,
            "comparableTransparencyScore": score,
            "illustrative": True,
        }
        if edition == 2023:  # Kenya's 2023 row is in the demo: correct it
            data = await client.execute('{ country(code: "KE") { openBudgetSurvey { id } } }')
            the_id = data["country"]["openBudgetSurvey"]["id"]
            payload = await _run(
                client, SURVEY_CORRECT, {"id": the_id, "comparableTransparencyScore": score}
            )
        else:
            payload = await _run(client, SURVEY_RECORD, values)
        assert payload["userErrors"] == []
        comparable = payload["openBudgetSurvey"]["comparableTransparency"]
        assert comparable == {
            "score": float(score),
            "methodologyVersion": "IBP comparable transparency series",
            "measure": "COMPARABLE_TRANSPARENCY",
        }
    kenya = (await client.execute(query, {"code": "KE"}))["country"]
    assert [
        (p["edition"], p["score"], p["change"]) for p in kenya["openBudgetTransparencyTrend"]
    ] == [
        (2017, 42, None),
        (2019, 40, -2),
        (2023, 50, 10),
    ]
    nothing = (await client.execute(query, {"code": "GB"}))["country"]
    assert nothing["openBudgetTransparencyTrend"] == []


async def test_print_only_is_not_publicly_available(client: GraphQLClient) -> None:
    base = {
        "country": "KE",
        "fiscalYear": 2023,
        "kind": "AUDIT_REPORT",
        "status": "PRINT_ONLY",
        "publishedOn": "2024-05-02",
        **SOURCE,
    }
    before = await _count(client)
    with_url = await _run(client, DOCUMENT_RECORD, base | {"url": "https://example.org/a"})
    assert _errors(with_url) == [("NOT_PUBLISHED", "url")]
    assert await _count(client) == before

    payload = await _run(client, DOCUMENT_RECORD, base)
    assert payload["userErrors"] == []
    document = payload["budgetDocument"]
    assert (document["status"], document["publishedOn"], document["url"]) == (
        "PRINT_ONLY",
        "2024-05-02",
        None,
    )
    assert (document["publiclyAvailable"], document["metTimeliness"]) == (False, None)

    online = await _run(
        client,
        DOCUMENT_CORRECT,
        {"id": document["id"], "status": "PUBLICLY_AVAILABLE", "url": "https://example.org/a"},
    )
    assert online["userErrors"] == []
    assert (
        online["budgetDocument"]["publiclyAvailable"],
        online["budgetDocument"]["metTimeliness"],
    ) == (True, True)
    back = await _run(client, DOCUMENT_CORRECT, {"id": document["id"], "status": "PRINT_ONLY"})
    assert _errors(back) == [("NOT_PUBLISHED", "url")]  # still online: clear the URL too

    data = await client.execute(
        "{ budgetDocuments(filter: {status: [PRINT_ONLY]}) { nodes { country { code } kind "
        "publiclyAvailable } } }"
    )
    nodes = data["budgetDocuments"]["nodes"]  # Kenya's is publicly available again: not listed
    assert [(n["country"]["code"], n["kind"], n["publiclyAvailable"]) for n in nodes] == [
        ("GH", "AUDIT_REPORT", False)
    ]


async def test_a_row_is_sourced_or_illustrative(client: GraphQLClient) -> None:
    before = await _count(client)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    survey = {"country": "KE", "edition": 2019, "transparencyScore": 45}
    document = {
        "country": "KE",
        "fiscalYear": 2023,
        "kind": "ENACTED_BUDGET",
        "status": "NOT_PRODUCED",
    }
    for mutation, base in ((SURVEY_RECORD, survey), (DOCUMENT_RECORD, document)):
        cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
            ({}, [("SOURCE_REQUIRED", "sourceUrl"), ("SOURCE_REQUIRED", "retrievedOn")]),
            ({"sourceUrl": "https://example.org/x"}, [("SOURCE_REQUIRED", "retrievedOn")]),
            ({"retrievedOn": "2024-01-01"}, [("SOURCE_REQUIRED", "sourceUrl")]),
            (
                {"sourceUrl": "  ", "retrievedOn": "2024-01-01"},
                [("SOURCE_REQUIRED", "sourceUrl")],
            ),
            ({**SOURCE, "retrievedOn": tomorrow}, [("DATE_IN_FUTURE", "retrievedOn")]),
            ({"sourceUrl": "nope", "retrievedOn": "2024-01-01"}, [("INVALID_URL", "sourceUrl")]),
            ({"illustrative": True, "retrievedOn": tomorrow}, [("DATE_IN_FUTURE", "retrievedOn")]),
        ]
        for change, expected in cases:
            payload = await _run(client, mutation, base | change)
            assert _errors(payload) == expected, (mutation, change)
        assert await _count(client) == before

    # A correction cannot make an illustrative row look sourced without its source and date.
    data = await client.execute('{ country(code: "KE") { openBudgetSurvey { id } } }')
    the_id = data["country"]["openBudgetSurvey"]["id"]
    payload = await _run(client, SURVEY_CORRECT, {"id": the_id, "illustrative": False})
    assert _errors(payload) == [
        ("SOURCE_REQUIRED", "sourceUrl"),
        ("SOURCE_REQUIRED", "retrievedOn"),
    ]
    payload = await _run(client, SURVEY_CORRECT, {"id": the_id, "illustrative": None})
    assert _errors(payload) == [("REQUIRED", "illustrative")]
    payload = await _run(client, SURVEY_CORRECT, {"id": the_id, "illustrative": False, **SOURCE})
    assert payload["userErrors"] == []
    assert payload["openBudgetSurvey"]["illustrative"] is False
    assert payload["openBudgetSurvey"]["transparency"]["illustrative"] is False
    assert payload["openBudgetSurvey"]["transparency"]["sourceUrl"] == SOURCE["sourceUrl"]
    cleared = await _run(client, SURVEY_CORRECT, {"id": the_id, "sourceUrl": None})
    assert _errors(cleared) == [("SOURCE_REQUIRED", "sourceUrl")]


async def test_demo_rows_are_published_values_or_illustrative(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ openBudgetSurveys(first: 100) { nodes { country { code } edition sourceUrl
               retrievedOn illustrative note transparency { score sourceUrl } participation { score }
               legislativeOversight { score } auditOversight { score } oversight { score } } }
             budgetDocuments(first: 100) { nodes { sourceUrl retrievedOn illustrative } }
             workingGroup(slug: "fiscal-openness") { ... on FiscalOpennessGroup {
               commitments { sourceUrl retrievedOn illustrative } } } }"""
    )
    surveys = data["openBudgetSurveys"]["nodes"]
    commitments = data["workingGroup"]["commitments"]
    assert commitments and all(c["illustrative"] for c in commitments)
    rows = surveys + data["budgetDocuments"]["nodes"] + commitments
    for row in rows:
        sourced = row["sourceUrl"] is not None and row["retrievedOn"] is not None
        assert row["illustrative"] or sourced, row
        if row["illustrative"]:  # an illustrative row cites no source of its own
            assert row["sourceUrl"] is None, row

    def scores(s: dict[str, Any]) -> tuple[Any, ...]:
        names = (
            "transparency",
            "participation",
            "legislativeOversight",
            "auditOversight",
            "oversight",
        )
        return tuple(None if s[n] is None else int(s[n]["score"]) for n in names)

    published = {(s["country"]["code"], s["edition"]): s for s in surveys if not s["illustrative"]}
    assert set(published) == {("PH", 2015), ("PH", 2017), ("PH", 2019)}
    assert scores(published["PH", 2015]) == (64, 67, 36, 92, None)
    assert scores(published["PH", 2017]) == (67, 41, None, None, 65)
    assert scores(published["PH", 2019]) == (76, 31, None, None, 74)
    # The rows say themselves why their split is null: IBP's pages show the composite only.
    assert published["PH", 2015]["note"] == ""
    for edition in (2017, 2019):
        assert "composite" in published["PH", edition]["note"]
        assert "not recorded (null)" in published["PH", edition]["note"]
    for survey in published.values():
        assert "internationalbudget.org" in survey["sourceUrl"]
        assert survey["transparency"]["sourceUrl"] == survey["sourceUrl"]
        assert survey["retrievedOn"] == "2026-11-30"
