"""Every fiscal openness mutation: success, each of its error codes, nothing half-written."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest

from core import to_global_id
from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code message field }"

SURVEY = """id edition methodologyVersion sourceUrl retrievedOn illustrative note
  transparency { score edition } participation { score } oversight { score }
  legislativeOversight { score } country { code }"""
SURVEY_RECORD = f"""mutation($input: OpenBudgetSurveyRecordInput!) {{
  openBudgetSurveyRecord(input: $input) {{ openBudgetSurvey {{ {SURVEY} }} {ERRORS} }}
}}"""
SURVEY_CORRECT = f"""mutation($input: OpenBudgetSurveyCorrectInput!) {{
  openBudgetSurveyCorrect(input: $input) {{ openBudgetSurvey {{ {SURVEY} }} {ERRORS} }}
}}"""

DOCUMENT = """id fiscalYear kind status publishedOn url note metTimeliness publiclyAvailable
  sourceUrl retrievedOn illustrative country { code }"""
DOCUMENT_RECORD = f"""mutation($input: BudgetDocumentRecordInput!) {{
  budgetDocumentRecord(input: $input) {{ budgetDocument {{ {DOCUMENT} }} {ERRORS} }}
}}"""
DOCUMENT_CORRECT = f"""mutation($input: BudgetDocumentCorrectInput!) {{
  budgetDocumentCorrect(input: $input) {{ budgetDocument {{ {DOCUMENT} }} {ERRORS} }}
}}"""

COMMITMENT = """id kind title reference url principles country { code } sourceUrl retrievedOn
  illustrative"""
COMMITMENT_RECORD = f"""mutation($input: FiscalCommitmentRecordInput!) {{
  fiscalCommitmentRecord(input: $input) {{ fiscalCommitment {{ {COMMITMENT} }} {ERRORS} }}
}}"""
COMMITMENT_CORRECT = f"""mutation($input: FiscalCommitmentCorrectInput!) {{
  fiscalCommitmentCorrect(input: $input) {{ fiscalCommitment {{ {COMMITMENT} }} {ERRORS} }}
}}"""

GROUP = """{ workingGroup(slug: "fiscal-openness") { id ... on FiscalOpennessGroup {
  commitments { id title kind principles country { code } }
  principleCoverage { principle commitmentCount } } } }"""


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def _run(client: GraphQLClient, mutation: str, values: dict[str, Any]) -> dict[str, Any]:
    return _payload(await client.execute(mutation, {"input": values}))


async def _surveys(client: GraphQLClient) -> list[Any]:
    data = await client.execute(
        """{ openBudgetSurveys(first: 100) { nodes {
              id edition country { code } transparency { score } participation { score }
              oversight { score } methodologyVersion sourceUrl note } } }"""
    )
    return data["openBudgetSurveys"]["nodes"]


async def _documents(client: GraphQLClient) -> list[Any]:
    data = await client.execute(f"{{ budgetDocuments(first: 100) {{ nodes {{ {DOCUMENT} }} }} }}")
    return data["budgetDocuments"]["nodes"]


async def _survey_id(client: GraphQLClient, code: str, edition: int) -> str:
    data = await client.execute(
        f'{{ country(code: "{code}") {{ openBudgetSurvey(edition: {edition}) {{ id }} }} }}'
    )
    return data["country"]["openBudgetSurvey"]["id"]


async def _document(client: GraphQLClient, code: str, year: int, kind: str) -> dict[str, Any]:
    data = await client.execute(
        f'{{ country(code: "{code}") {{ budgetDocuments(fiscalYear: {year}) {{ {DOCUMENT} }} }} }}'
    )
    return next(d for d in data["country"]["budgetDocuments"] if d["kind"] == kind)


# --- Open Budget Survey results ------------------------------------------------------------------


async def test_survey_record(client: GraphQLClient) -> None:
    payload = await _run(
        client,
        SURVEY_RECORD,
        {
            "country": "ken",
            "edition": 2021,
            "transparencyScore": 50,
            "oversightScore": 49,
            "illustrative": True,
        },
    )
    assert payload["userErrors"] == []
    survey = payload["openBudgetSurvey"]
    assert survey["country"] == {"code": "KE"}
    assert survey["edition"] == 2021
    assert survey["transparency"] == {"score": 50.0, "edition": "2021"}
    assert survey["participation"] is None
    assert survey["oversight"] == {"score": 49.0}
    assert survey["methodologyVersion"] == "OBS 2021"
    assert (survey["sourceUrl"], survey["retrievedOn"], survey["illustrative"]) == (
        None,
        None,
        True,
    )
    assert survey["note"] == ""

    full = await _run(
        client,
        SURVEY_RECORD,
        {
            "country": "NO",
            "edition": 2023,
            "transparencyScore": 0,
            "participationScore": 100,
            "oversightScore": 61,
            "methodologyVersion": "OBS 2023 questionnaire",
            "sourceUrl": " https://internationalbudget.org/open-budget-survey/country-results ",
            "retrievedOn": "2024-06-01",
            "note": "Test value.",
        },
    )
    assert full["userErrors"] == []
    assert full["openBudgetSurvey"]["methodologyVersion"] == "OBS 2023 questionnaire"
    assert (
        full["openBudgetSurvey"]["sourceUrl"],
        full["openBudgetSurvey"]["retrievedOn"],
        full["openBudgetSurvey"]["illustrative"],
    ) == ("https://internationalbudget.org/open-budget-survey/country-results", "2024-06-01", False)
    data = await client.execute('{ country(code: "NO") { openBudgetSurvey { edition } } }')
    assert data["country"]["openBudgetSurvey"] == {"edition": 2023}


async def test_survey_record_errors(client: GraphQLClient) -> None:
    before = await _surveys(client)
    base = {"country": "KE", "edition": 2021, "transparencyScore": 50, "illustrative": True}
    next_year = date.today().year + 1
    cases: list[tuple[dict[str, Any], list[str], list[str] | None]] = [
        ({"transparencyScore": 101}, ["SCORE_OUT_OF_RANGE"], ["input", "transparencyScore"]),
        ({"participationScore": -1}, ["SCORE_OUT_OF_RANGE"], ["input", "participationScore"]),
        ({"oversightScore": 140}, ["SCORE_OUT_OF_RANGE"], ["input", "oversightScore"]),
        ({"country": "XX"}, ["UNKNOWN_COUNTRY"], ["input", "country"]),
        ({"country": "BR", "edition": 2023}, ["DUPLICATE_SURVEY"], ["input", "edition"]),
        ({"edition": 2005}, ["INVALID_EDITION"], ["input", "edition"]),
        ({"edition": next_year}, ["INVALID_EDITION"], ["input", "edition"]),
        ({"edition": 2020}, ["INVALID_EDITION"], ["input", "edition"]),  # not a round
        ({"edition": 2014}, ["INVALID_EDITION"], ["input", "edition"]),
        ({"sourceUrl": "ftp://example.org/obs"}, ["INVALID_URL"], ["input", "sourceUrl"]),
        ({"methodologyVersion": "  "}, ["REQUIRED"], ["input", "methodologyVersion"]),
        ({"note": "n" * 501}, ["TOO_LONG"], ["input", "note"]),
    ]
    for change, codes, field in cases:
        payload = await _run(client, SURVEY_RECORD, base | change)
        assert _codes(payload) == codes, change
        assert payload["userErrors"][0]["field"] == field
        assert payload["openBudgetSurvey"] is None
    every = await _run(
        client,
        SURVEY_RECORD,
        {
            "country": "XX",
            "edition": 1999,
            "transparencyScore": 200,
            "oversightScore": -5,
            "illustrative": True,
        },
    )
    assert _codes(every) == [
        "UNKNOWN_COUNTRY",
        "INVALID_EDITION",
        "SCORE_OUT_OF_RANGE",
        "SCORE_OUT_OF_RANGE",
    ]
    assert await _surveys(client) == before


async def test_survey_record_race_records_one(client: GraphQLClient) -> None:
    values = {"country": "CL", "edition": 2023, "transparencyScore": 60, "illustrative": True}
    results = await asyncio.gather(*(_run(client, SURVEY_RECORD, values) for _ in range(4)))
    codes = sorted(_codes(r) for r in results)
    assert codes == [[], ["DUPLICATE_SURVEY"], ["DUPLICATE_SURVEY"], ["DUPLICATE_SURVEY"]]
    chile = [s for s in await _surveys(client) if s["country"]["code"] == "CL"]
    assert len(chile) == 1


async def test_survey_correct(client: GraphQLClient) -> None:
    survey_id = await _survey_id(client, "BR", 2021)
    payload = await _run(
        client,
        SURVEY_CORRECT,
        {"id": survey_id, "transparencyScore": 74, "participationScore": None, "note": "Fixed."},
    )
    assert payload["userErrors"] == []
    survey = payload["openBudgetSurvey"]
    assert survey["id"] == survey_id
    assert survey["transparency"]["score"] == 74.0
    assert survey["participation"] is None  # null clears it
    assert survey["legislativeOversight"] == {"score": 72.0}  # left out: unchanged
    assert survey["note"] == "Fixed."

    moved = await _run(
        client, SURVEY_CORRECT, {"id": survey_id, "edition": 2017, "methodologyVersion": "OBS 2017"}
    )
    assert moved["openBudgetSurvey"]["edition"] == 2017
    assert moved["openBudgetSurvey"]["transparency"]["edition"] == "2017"
    unchanged = await _run(client, SURVEY_CORRECT, {"id": survey_id})
    assert unchanged["openBudgetSurvey"] == moved["openBudgetSurvey"]


async def test_survey_correct_errors(client: GraphQLClient) -> None:
    survey_id = await _survey_id(client, "BR", 2021)
    before = await _surveys(client)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"id": "nonsense"}, "NOT_FOUND", "id"),
        ({"id": to_global_id("BudgetDocument", 1)}, "NOT_FOUND", "id"),  # another type's ID
        ({"id": survey_id, "edition": 2023}, "DUPLICATE_SURVEY", "edition"),  # the constraint
        ({"id": survey_id, "oversightScore": 101}, "SCORE_OUT_OF_RANGE", "oversightScore"),
        ({"id": survey_id, "transparencyScore": None}, "REQUIRED", "transparencyScore"),
        ({"id": survey_id, "edition": 2001}, "INVALID_EDITION", "edition"),
        ({"id": survey_id, "sourceUrl": "not a url"}, "INVALID_URL", "sourceUrl"),
    ]
    for values, code, field in cases:
        payload = await _run(client, SURVEY_CORRECT, values)
        assert _codes(payload) == [code], values
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["openBudgetSurvey"] is None
    assert await _surveys(client) == before


# --- Key budget documents ------------------------------------------------------------------------


async def test_document_record(client: GraphQLClient) -> None:
    published = {
        "country": "BRA",
        "fiscalYear": 2023,
        "kind": "EXECUTIVES_BUDGET_PROPOSAL",
        "status": "PUBLISHED_LATE",
        "publishedOn": "2022-12-20",
        "url": "https://example.org/br/2023/ebp",
        "sourceUrl": "https://example.org/br/2023/budget-library",
        "retrievedOn": "2024-02-01",
    }
    payload = await _run(client, DOCUMENT_RECORD, published)
    assert payload["userErrors"] == []
    document = payload["budgetDocument"]
    assert document["country"] == {"code": "BR"}
    assert (document["status"], document["metTimeliness"]) == ("PUBLISHED_LATE", False)
    assert document["publishedOn"] == "2022-12-20"
    assert (document["sourceUrl"], document["retrievedOn"], document["illustrative"]) == (
        "https://example.org/br/2023/budget-library",
        "2024-02-01",
        False,
    )

    hidden = {
        "country": "BR",
        "fiscalYear": 2023,
        "kind": "AUDIT_REPORT",
        "status": "NOT_PRODUCED",
        "illustrative": True,
    }
    payload = await _run(client, DOCUMENT_RECORD, hidden)
    assert payload["userErrors"] == []
    assert payload["budgetDocument"]["metTimeliness"] is None
    data = await client.execute('{ country(code: "BR") { budgetDocuments { kind } } }')
    kinds = [d["kind"] for d in data["country"]["budgetDocuments"]]
    assert kinds == ["EXECUTIVES_BUDGET_PROPOSAL", "AUDIT_REPORT"]


async def test_document_record_errors(client: GraphQLClient) -> None:
    before = await _documents(client)
    base = {
        "country": "BR",
        "fiscalYear": 2023,
        "kind": "YEAR_END_REPORT",
        "status": "PUBLICLY_AVAILABLE",
        "publishedOn": "2024-03-30",
        "illustrative": True,
    }
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"country": "Brazil"}, "UNKNOWN_COUNTRY", "country"),
        ({"country": "PH"}, "DUPLICATE_BUDGET_DOCUMENT", "kind"),
        (
            {"publishedOn": tomorrow, "fiscalYear": date.today().year},
            "DATE_IN_FUTURE",
            "publishedOn",
        ),
        ({"publishedOn": "2022-12-31"}, "DATES_OUT_OF_ORDER", "publishedOn"),  # before FY end
        (
            {"kind": "EXECUTIVES_BUDGET_PROPOSAL", "publishedOn": "2024-01-15"},
            "DATES_OUT_OF_ORDER",  # a proposal published after its fiscal year
            "publishedOn",
        ),
        (
            {"kind": "ENACTED_BUDGET", "publishedOn": "2020-01-15"},
            "DATES_OUT_OF_ORDER",
            "publishedOn",
        ),
        ({"status": "INTERNAL_USE_ONLY"}, "NOT_PUBLISHED", "publishedOn"),
        (
            {"status": "NOT_PRODUCED", "publishedOn": None, "url": "https://x.org"},
            "NOT_PUBLISHED",
            "url",
        ),
        ({"fiscalYear": 1989, "publishedOn": None}, "INVALID_FISCAL_YEAR", "fiscalYear"),
        (
            {"fiscalYear": date.today().year + 3, "publishedOn": None},
            "INVALID_FISCAL_YEAR",
            "fiscalYear",
        ),
        ({"url": "www.example.org/report"}, "INVALID_URL", "url"),
        ({"note": "n" * 501}, "TOO_LONG", "note"),
    ]
    for change, code, field in cases:
        payload = await _run(client, DOCUMENT_RECORD, base | change)
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["budgetDocument"] is None
    assert await _documents(client) == before


async def test_document_correct(client: GraphQLClient) -> None:
    document = await _document(client, "GH", 2023, "IN_YEAR_REPORTS")
    payload = await _run(
        client,
        DOCUMENT_CORRECT,
        {"id": document["id"], "status": "PUBLICLY_AVAILABLE", "url": None, "note": None},
    )
    assert payload["userErrors"] == []
    corrected = payload["budgetDocument"]
    assert (corrected["status"], corrected["metTimeliness"]) == ("PUBLICLY_AVAILABLE", True)
    assert corrected["url"] is None  # cleared
    assert corrected["note"] == ""
    assert corrected["publishedOn"] == document["publishedOn"]  # left out: unchanged

    withdrawn = await _run(
        client,
        DOCUMENT_CORRECT,
        {"id": document["id"], "status": "INTERNAL_USE_ONLY", "publishedOn": None},
    )
    assert withdrawn["userErrors"] == []
    assert withdrawn["budgetDocument"]["publishedOn"] is None

    moved = await _run(
        client, DOCUMENT_CORRECT, {"id": document["id"], "fiscalYear": 2022, "kind": "AUDIT_REPORT"}
    )
    assert (moved["budgetDocument"]["fiscalYear"], moved["budgetDocument"]["kind"]) == (
        2022,
        "AUDIT_REPORT",
    )


async def test_document_correct_errors(client: GraphQLClient) -> None:
    document = await _document(client, "PH", 2023, "AUDIT_REPORT")
    before = await _documents(client)
    the_id = document["id"]
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"id": to_global_id("OpenBudgetSurvey", 1)}, "NOT_FOUND", "id"),  # another type's ID
        ({"id": the_id, "kind": "YEAR_END_REPORT"}, "DUPLICATE_BUDGET_DOCUMENT", "kind"),
        ({"id": the_id, "status": "NOT_PRODUCED", "url": None}, "NOT_PUBLISHED", "publishedOn"),
        ({"id": the_id, "status": None}, "REQUIRED", "status"),
        ({"id": the_id, "fiscalYear": 2025}, "DATES_OUT_OF_ORDER", "publishedOn"),
        ({"id": the_id, "publishedOn": "2099-01-01"}, "DATE_IN_FUTURE", "publishedOn"),
    ]
    for values, code, field in cases:
        payload = await _run(client, DOCUMENT_CORRECT, values)
        assert _codes(payload) == [code], values
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["budgetDocument"] is None
    both = await _run(client, DOCUMENT_CORRECT, {"id": the_id, "status": "NOT_PRODUCED"})
    assert [(e["code"], e["field"]) for e in both["userErrors"]] == [
        ("NOT_PUBLISHED", ["input", "publishedOn"]),
        ("NOT_PUBLISHED", ["input", "url"]),
    ]
    assert await _documents(client) == before


# --- Commitments and GIFT principles -------------------------------------------------------------


async def test_commitment_record_and_coverage(client: GraphQLClient) -> None:
    group = (await client.execute(GROUP))["workingGroup"]
    payload = await _run(
        client,
        COMMITMENT_RECORD,
        {
            "groupId": group["id"],
            "kind": "ACTION_PLAN_COMMITMENT",
            "title": "Publish the audit follow-up reports",
            "country": "za",
            "principles": ["SUPREME_AUDIT_INSTITUTION", "RULE_OF_LAW", "RULE_OF_LAW"],
            "reference": "ZA0042",
            "url": "https://example.org/za/nap/audit",
            "sourceUrl": "https://example.org/za/nap",
            "retrievedOn": "2024-05-01",
        },
    )
    assert payload["userErrors"] == []
    commitment = payload["fiscalCommitment"]
    assert commitment["principles"] == ["RULE_OF_LAW", "SUPREME_AUDIT_INSTITUTION"]  # GIFT order
    assert commitment["country"] == {"code": "ZA"}
    assert commitment["reference"] == "ZA0042"
    assert (commitment["sourceUrl"], commitment["retrievedOn"], commitment["illustrative"]) == (
        "https://example.org/za/nap",
        "2024-05-01",
        False,
    )

    area = await _run(
        client,
        COMMITMENT_RECORD,
        {
            "groupId": group["id"],
            "kind": "PRIORITY_AREA",
            "title": "Fiscal risks of public-private partnerships",
            "principles": ["PRIVATE_SECTOR_RELATIONSHIPS"],
            "illustrative": True,
        },
    )
    assert area["userErrors"] == []
    assert area["fiscalCommitment"]["country"] is None

    after = (await client.execute(GROUP))["workingGroup"]
    assert len(after["commitments"]) == len(group["commitments"]) + 2
    counts = {c["principle"]: c["commitmentCount"] for c in after["principleCoverage"]}
    before = {c["principle"]: c["commitmentCount"] for c in group["principleCoverage"]}
    assert counts["RULE_OF_LAW"] == before["RULE_OF_LAW"] + 1
    assert counts["PRIVATE_SECTOR_RELATIONSHIPS"] == before["PRIVATE_SECTOR_RELATIONSHIPS"] + 1


async def test_commitment_record_errors(client: GraphQLClient) -> None:
    group = (await client.execute(GROUP))["workingGroup"]
    other = await client.execute('{ workingGroup(slug: "open-data") { id } }')
    base = {
        "groupId": group["id"],
        "kind": "ACTION_PLAN_COMMITMENT",
        "title": "A commitment",
        "country": "MX",
        "principles": ["PUBLIC_PARTICIPATION"],
        "illustrative": True,
    }
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"groupId": "nonsense"}, "NOT_FOUND", "groupId"),
        ({"groupId": to_global_id("WorkingGroup", 99999)}, "NOT_FOUND", "groupId"),
        ({"groupId": other["workingGroup"]["id"]}, "WRONG_THEME", "groupId"),
        ({"country": "QQ"}, "UNKNOWN_COUNTRY", "country"),
        ({"country": None}, "REQUIRED", "country"),  # an action plan belongs to a country
        ({"title": " "}, "REQUIRED", "title"),
        ({"title": "t" * 301}, "TOO_LONG", "title"),
        ({"principles": []}, "REQUIRED", "principles"),
        ({"reference": "r" * 51}, "TOO_LONG", "reference"),
        ({"url": "javascript:alert(1)"}, "INVALID_URL", "url"),
        ({"illustrative": False, "retrievedOn": "2024-01-01"}, "SOURCE_REQUIRED", "sourceUrl"),
    ]
    for change, code, field in cases:
        payload = await _run(client, COMMITMENT_RECORD, base | change)
        assert _codes(payload) == [code], change
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["fiscalCommitment"] is None
    assert (await client.execute(GROUP))["workingGroup"] == group


async def test_commitment_correct(client: GraphQLClient) -> None:
    group = (await client.execute(GROUP))["workingGroup"]
    mexico = next(c for c in group["commitments"] if c["country"] == {"code": "MX"})
    payload = await _run(
        client,
        COMMITMENT_CORRECT,
        {"id": mexico["id"], "principles": ["AGGREGATE_FISCAL_POLICY", "CLARITY_OF_ROLES"]},
    )
    assert payload["userErrors"] == []
    corrected = payload["fiscalCommitment"]
    assert corrected["principles"] == ["AGGREGATE_FISCAL_POLICY", "CLARITY_OF_ROLES"]
    assert corrected["title"] == mexico["title"]
    assert corrected["country"] == {"code": "MX"}

    regional = await _run(
        client,
        COMMITMENT_CORRECT,
        {
            "id": mexico["id"],
            "kind": "PRIORITY_AREA",
            "country": None,
            "title": "Open public works",
        },
    )
    assert regional["userErrors"] == []
    assert regional["fiscalCommitment"]["country"] is None
    assert regional["fiscalCommitment"]["principles"] == corrected["principles"]  # unchanged

    after = (await client.execute(GROUP))["workingGroup"]
    counts = {c["principle"]: c["commitmentCount"] for c in after["principleCoverage"]}
    before = {c["principle"]: c["commitmentCount"] for c in group["principleCoverage"]}
    assert counts["CLARITY_OF_ROLES"] == before["CLARITY_OF_ROLES"] + 1
    assert counts["PRIVATE_SECTOR_RELATIONSHIPS"] == before["PRIVATE_SECTOR_RELATIONSHIPS"] - 1


async def test_commitment_correct_errors(client: GraphQLClient) -> None:
    group = (await client.execute(GROUP))["workingGroup"]
    plan = next(c for c in group["commitments"] if c["kind"] == "ACTION_PLAN_COMMITMENT")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"id": to_global_id("FiscalCommitment", 99999)}, "NOT_FOUND", "id"),
        ({"id": plan["id"], "country": None}, "REQUIRED", "country"),
        ({"id": plan["id"], "country": "ABC"}, "UNKNOWN_COUNTRY", "country"),
        ({"id": plan["id"], "principles": []}, "REQUIRED", "principles"),
        ({"id": plan["id"], "principles": None}, "REQUIRED", "principles"),
        ({"id": plan["id"], "title": None}, "REQUIRED", "title"),
        ({"id": plan["id"], "title": "", "principles": ["RULE_OF_LAW"]}, "REQUIRED", "title"),
        ({"id": plan["id"], "illustrative": None}, "REQUIRED", "illustrative"),
        (
            {"id": plan["id"], "illustrative": False, "sourceUrl": "https://example.org/p"},
            "SOURCE_REQUIRED",
            "retrievedOn",
        ),
    ]
    for values, code, field in cases:
        payload = await _run(client, COMMITMENT_CORRECT, values)
        assert _codes(payload) == [code], values
        assert payload["userErrors"][0]["field"] == ["input", field]
        assert payload["fiscalCommitment"] is None
    assert (await client.execute(GROUP))["workingGroup"] == group
