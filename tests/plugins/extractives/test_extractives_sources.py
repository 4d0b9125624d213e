"""What the EITI publishes, held as published: statuses with their dated history (delisted,
suspension reasons), the earlier progress-model Validations, per-Requirement assessments, the
source convention (a record is illustrative or carries its source and retrieval date), the demo
data as the EITI Board published it, and the migration that carries 0002's rows across.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import insert, select

from core import in_transaction, models
from core.db import Database
from core.testing import ClientFactory, GraphQLClient, at_revision
from plugins.extractives.models import EitiStatusChange, EitiValidation

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code field }"
SOURCE = {"sourceUrl": "https://eiti.org/countries/kenya", "retrievedOn": "2026-11-30"}

MEMBERSHIP = f"""
mutation($input: EitiMembershipRecordInput!) {{
  eitiMembershipRecord(input: $input) {{
    eiti {{ status suspensionReason joinedOn sourceUrl retrievedOn illustrative
            history {{ status suspensionReason effectiveOn boardDecision sourceUrl retrievedOn
                       illustrative }} }}
    {ERRORS}
  }}
}}"""

VALIDATION = f"""
mutation($input: EitiValidationRecordInput!) {{
  eitiValidationRecord(input: $input) {{
    validation {{ id score retrievedOn illustrative requirements {{ requirement level }} }}
    earlierValidation {{ id decidedOn boardDecision standard overallAssessment
                         overallAssessmentLabel sourceUrl retrievedOn illustrative
                         requirements {{ requirement level }} }}
    {ERRORS}
  }}
}}"""

EARLIER = {
    "country": "MX",
    "decidedOn": "2019-05-01",
    "boardDecision": "2019-99 / BM-00",
    "standard": "EITI_2016",
    "overallAssessment": "MEANINGFUL_PROGRESS",
    "requirements": [
        {"requirement": "2.5", "level": "INADEQUATE_PROGRESS"},
        {"requirement": "1.3", "level": "BEYOND"},
    ],
    "sourceUrl": "https://eiti.org/board-decision/example",
    "retrievedOn": "2026-11-30",
}


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["code"], e["field"][-1]) for e in payload["userErrors"]]


# --- Statuses: delisted, suspension reasons, a dated history ------------------------------------


async def test_status_history_with_suspension_and_delisting(client: GraphQLClient) -> None:
    base = {"country": "KE", "joinedOn": "2020-02-01", "status": "IMPLEMENTING"} | SOURCE

    async def record(**change: Any) -> dict[str, Any]:
        return _payload(await client.execute(MEMBERSHIP, {"input": base | change}))

    assert (await record())["userErrors"] == []
    suspended = await record(
        status="SUSPENDED",
        suspensionReason="MISSED_DEADLINE",
        statusSince="2023-01-10",
        boardDecision="2023-01 / BC-1",
    )
    assert suspended["userErrors"] == []
    assert (suspended["eiti"]["status"], suspended["eiti"]["suspensionReason"]) == (
        "SUSPENDED",
        "MISSED_DEADLINE",
    )
    delisted = await record(status="DELISTED", statusSince="2024-06-01")
    eiti = delisted["eiti"]
    assert (eiti["status"], eiti["suspensionReason"]) == ("DELISTED", None)
    assert [(h["status"], h["effectiveOn"]) for h in eiti["history"]] == [
        ("DELISTED", "2024-06-01"),
        ("SUSPENDED", "2023-01-10"),
        ("IMPLEMENTING", "2020-02-01"),
    ]
    assert eiti["history"][1]["boardDecision"] == "2023-01 / BC-1"
    assert eiti["history"][1]["suspensionReason"] == "MISSED_DEADLINE"

    # An older change fills in the history; the current status stays the latest one.
    older = await record(status="SUSPENDED", suspensionReason="TEMPORARY", statusSince="2021-03-03")
    assert older["userErrors"] == []
    assert (older["eiti"]["status"], older["eiti"]["suspensionReason"]) == ("DELISTED", None)
    assert len(older["eiti"]["history"]) == 4

    cases = [
        ({"status": "SUSPENDED", "statusSince": "2025-01-01"}, "SUSPENSION_REASON_REQUIRED"),
        ({"suspensionReason": "TEMPORARY", "statusSince": "2025-01-01"}, "SUSPENSION_REASON_NOT_SUSPENDED"),
        ({"statusSince": "2019-12-31"}, "DATES_OUT_OF_ORDER"),  # before joining
        ({"joinedOn": "2022-01-01", "statusSince": "2022-01-01"}, "DATES_OUT_OF_ORDER"),
    ]  # fmt: skip
    for change, code in cases:
        payload = await record(**change)
        assert [c for c, _ in _codes(payload)] == [code], change
        assert payload["eiti"] is None
    data = await client.execute('{ country(code: "KE") { eiti { status history { status } } } }')
    assert data["country"]["eiti"]["status"] == "DELISTED"
    assert len(data["country"]["eiti"]["history"]) == 4  # nothing written by the refusals


async def test_mexico_status_follows_the_board(client: GraphQLClient) -> None:
    """Suspended after its 2022 Validation (Board decision 2022-31 / BM-53), joined 2017."""
    data = await client.execute(
        """{ country(code: "MX") { eiti { status suspensionReasons joinedOn illustrative
               history { status suspensionReasons effectiveOn boardDecision sourceUrl
                         retrievedOn illustrative } } } }"""
    )
    eiti = data["country"]["eiti"]
    assert (eiti["status"], len(eiti["suspensionReasons"])) == ("SUSPENDED", 3)
    assert (eiti["joinedOn"], eiti["illustrative"]) == ("2017-10-25", False)
    suspension, joining = eiti["history"]
    assert suspension == {
        "status": "SUSPENDED",
        "suspensionReasons": ["INADEQUATE_ENGAGEMENT", "LACK_OF_PROGRESS"],
        "effectiveOn": "2022-06-17",
        "boardDecision": "2022-31 / BM-53",
        "sourceUrl": "https://eiti.org/news/mexico-achieves-low-score-eiti-implementation",
        "retrievedOn": "2026-11-30",
        "illustrative": False,
    }
    assert (joining["status"], joining["effectiveOn"]) == ("IMPLEMENTING", "2017-10-25")


async def test_joined_on_says_what_it_means(client: GraphQLClient) -> None:
    data = await client.execute('{ __type(name: "EitiStatus") { fields { name description } } }')
    fields = {f["name"]: f["description"] for f in data["__type"]["fields"]}
    assert "admitted" in fields["joinedOn"] and "for every country" in fields["joinedOn"]


# --- Validations: the earlier progress model, per-Requirement assessments ----------------------


async def test_earlier_validation_with_requirements(client: GraphQLClient) -> None:
    created = _payload(await client.execute(VALIDATION, {"input": EARLIER}))
    assert created["userErrors"] == [] and created["validation"] is None
    earlier = created["earlierValidation"]
    assert earlier["overallAssessmentLabel"] == "Meaningful progress"
    assert earlier["boardDecision"] == "2019-99 / BM-00"
    # by number, whatever the input's order
    assert earlier["requirements"] == [
        {"requirement": "1.3", "level": "BEYOND"},
        {"requirement": "2.5", "level": "INADEQUATE_PROGRESS"},
    ]
    # a correction (by its own ID) replaces the assessments
    change = {"id": earlier["id"], "requirements": [{"requirement": "4.1", "level": "NO_PROGRESS"}]}
    corrected = _payload(await client.execute(VALIDATION, {"input": EARLIER | change}))
    assert corrected["earlierValidation"]["id"] == earlier["id"]
    assert corrected["earlierValidation"]["requirements"] == [
        {"requirement": "4.1", "level": "NO_PROGRESS"}
    ]
    node = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on EitiEarlierValidation { decidedOn } } }",
        {"id": earlier["id"]},
    )
    assert node["node"] == {"decidedOn": "2019-05-01"}

    scored = {
        "country": "MX",
        "decidedOn": "2022-06-17",
        "standard": "EITI_2019",
        "stakeholderEngagement": 52.5,
        "transparency": 50,
        "outcomesAndImpact": 45.5,
        "overallScore": 49.5,
        "overallAssessment": "LOW",
        "requirements": [{"requirement": "1.3", "level": "PARTLY_MET"}],
        "sourceUrl": "https://eiti.org/board-decision/2022-31",
        "illustrative": True,
    }
    payload = _payload(await client.execute(VALIDATION, {"input": scored}))
    assert payload["userErrors"] == [] and payload["earlierValidation"] is None
    validation = payload["validation"]
    assert (validation["score"], validation["illustrative"], validation["retrievedOn"]) == (
        49.5,
        True,
        None,
    )
    assert validation["requirements"] == [{"requirement": "1.3", "level": "PARTLY_MET"}]


async def test_validation_scales_are_kept_apart(client: GraphQLClient) -> None:
    req = [{"requirement": "1.3", "level": "PARTLY_MET"}]
    cases = [
        ({"overallScore": 50}, [("SCORES_NOT_IN_MODEL", "overallScore")]),
        ({"effectivenessPoints": 2}, [("SCORES_NOT_IN_MODEL", "effectivenessPoints")]),
        ({"overallAssessment": "MODERATE", "requirements": []}, [("REQUIRED", f) for f in
          ("stakeholderEngagement", "transparency", "outcomesAndImpact", "overallScore")]
         + [("ASSESSMENT_SCALE_MISMATCH", "overallAssessment")]),
        ({"standard": "EITI_2019"}, [("ASSESSMENT_SCALE_MISMATCH", "overallAssessment")]),
        ({"requirements": req}, [("ASSESSMENT_SCALE_MISMATCH", "level")]),
        ({"requirements": [{"requirement": "1.x", "level": "BEYOND"}]},
         [("INVALID_REQUIREMENT", "requirement")]),
        ({"requirements": [{"requirement": "2.5", "level": "BEYOND"}] * 2},
         [("DUPLICATE_REQUIREMENT", "1")]),
    ]  # fmt: skip
    for change, errors in cases:
        payload = _payload(await client.execute(VALIDATION, {"input": EARLIER | change}))
        assert _codes(payload) == errors, change
        assert payload["validation"] is None and payload["earlierValidation"] is None
    data = await client.execute(
        '{ country(code: "MX") { eiti { validations { id } earlierValidations { id } } } }'
    )
    assert data["country"]["eiti"] == {"validations": [], "earlierValidations": []}


# --- The source convention ----------------------------------------------------------------------


async def test_a_record_is_illustrative_or_sourced(client: GraphQLClient) -> None:
    future = (date.today() + timedelta(days=2)).isoformat()
    base = {"country": "KE", "joinedOn": "2020-02-01", "status": "IMPLEMENTING"}
    cases = [
        ({}, [("SOURCE_REQUIRED", "sourceUrl"), ("SOURCE_REQUIRED", "retrievedOn")]),
        ({"sourceUrl": SOURCE["sourceUrl"]}, [("SOURCE_REQUIRED", "retrievedOn")]),
        ({"retrievedOn": "2026-11-30", "sourceUrl": " "}, [("SOURCE_REQUIRED", "sourceUrl")]),
        (SOURCE | {"sourceUrl": "eiti.org"}, [("INVALID_URL", "sourceUrl")]),
        (SOURCE | {"retrievedOn": future}, [("DATE_IN_FUTURE", "retrievedOn")]),
    ]
    for change, errors in cases:
        payload = _payload(await client.execute(MEMBERSHIP, {"input": base | change}))
        assert _codes(payload) == errors, change
    # illustrative: no source needed, and the API says so
    payload = _payload(await client.execute(MEMBERSHIP, {"input": base | {"illustrative": True}}))
    assert payload["userErrors"] == []
    assert (payload["eiti"]["illustrative"], payload["eiti"]["sourceUrl"]) == (True, None)
    assert payload["eiti"]["history"][0]["illustrative"] is True

    validation = EARLIER | {"retrievedOn": None}
    payload = _payload(await client.execute(VALIDATION, {"input": validation}))
    assert _codes(payload) == [("SOURCE_REQUIRED", "retrievedOn")]
    project = """mutation($input: ExtractiveProjectRecordInput!) {
      projectRecord(input: $input) { project { id } userErrors { code field } } }"""
    payload = _payload(
        await client.execute(
            project,
            {"input": {"country": "GH", "name": "Sankofa", "commodity": "GAS", "operatorSince": "2020-01-01"}},
        )
    )  # fmt: skip
    assert _codes(payload) == [
        ("OPERATOR_REQUIRED", "operatorSince"),
        ("SOURCE_REQUIRED", "sourceUrl"),
        ("SOURCE_REQUIRED", "retrievedOn"),
    ]


DEMO = """{
  countries { code eiti { sourceUrl retrievedOn illustrative
    history(first: 20) { sourceUrl retrievedOn illustrative }
    validations(first: 20) { sourceUrl retrievedOn illustrative components { sourceUrl } }
    earlierValidations(first: 20) { sourceUrl retrievedOn illustrative } } }
  extractiveProjects(first: 100) { nodes { name operator { name } operatorSince sourceUrl
                                           retrievedOn illustrative } }
  contractDisclosures(first: 100) { nodes { title url sourceUrl retrievedOn illustrative } }
  beneficialOwnershipDisclosures(first: 100) { nodes { ownerName sourceUrl retrievedOn
                                                       illustrative } }
}"""


def _sourced_or_illustrative(row: dict[str, Any]) -> bool:
    return row["illustrative"] or bool(row["sourceUrl"] and row["retrievedOn"])


async def test_every_demo_row_is_sourced_or_illustrative(client: GraphQLClient) -> None:
    data = await client.execute(DEMO)
    rows: list[dict[str, Any]] = []
    for country in data["countries"]:
        eiti = country["eiti"]
        if eiti:
            rows += [eiti, *eiti["history"], *eiti["validations"], *eiti["earlierValidations"]]
    rows += data["extractiveProjects"]["nodes"]
    rows += data["contractDisclosures"]["nodes"] + data["beneficialOwnershipDisclosures"]["nodes"]
    assert len(rows) > 20
    assert all(_sourced_or_illustrative(row) for row in rows), [
        row for row in rows if not _sourced_or_illustrative(row)
    ]
    # The published results cite the Board's own pages; no illustrative row cites a Board
    # decision without saying so.
    for country in data["countries"]:
        for v in (country["eiti"] or {}).get("earlierValidations", []):
            assert v["sourceUrl"].startswith("https://eiti.org/board-decision/")
    # The invented disclosures are marked, and say it in their text too, on example.org.
    for contract in data["contractDisclosures"]["nodes"]:
        assert "(illustrative)" in contract["title"] and contract["illustrative"]
        assert contract["url"].startswith("https://example.org/")
    for owner in data["beneficialOwnershipDisclosures"]["nodes"]:
        assert "(illustrative)" in owner["ownerName"] and owner["sourceUrl"] is None
        assert owner["illustrative"]
    # An operator that changed hands carries its date and its source.
    (malampaya,) = [p for p in data["extractiveProjects"]["nodes"] if p["name"] == "Malampaya"]
    assert malampaya["operator"] == {"name": "Prime Energy Resources Development B.V."}
    assert (malampaya["operatorSince"], malampaya["illustrative"]) == ("2022-11-02", False)
    assert malampaya["sourceUrl"].startswith("https://")


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (EitiValidation, {"illustrative": False, "retrieved_on": None}),
        (EitiValidation, {"overall_assessment": "MEANINGFUL_PROGRESS"}),  # scores on that scale
        (EitiStatusChange, {"illustrative": False, "source_url": None}),
    ],
)
async def test_database_holds_the_new_rules(demo_db: str, model: Any, change: Any) -> None:
    db = Database(demo_db)
    try:
        async with db.read() as conn:
            stmt = select(*model.__table__.c).order_by(model.id)
            if model is EitiValidation:
                stmt = stmt.where(EitiValidation.overall_score.is_not(None))
            row = dict((await conn.execute(stmt.limit(1))).one()._mapping)
        row.pop("id")
        key = "decided_on" if model is EitiValidation else "effective_on"
        row[key] = date(2030, 1, 1)
        values = row | change
        result, errors = await in_transaction(
            SimpleNamespace(db=db), lambda conn: conn.execute(insert(model).values(**values))
        )
        assert result is None and [e.code for e in errors] == ["CONSTRAINT_VIOLATION"], values
    finally:
        await db.dispose()


# --- The migration carries 0002's rows across ---------------------------------------------------

_status = sa.table(
    "extractives_eiti_status",
    *(sa.column(c) for c in ("id", "country_id", "status", "joined_on")),
)
_validations = sa.table(
    "extractives_validations",
    *(sa.column(c) for c in ("id", "country_id", "decided_on", "standard", "overall_assessment")),
    *(sa.column(c) for c in ("stakeholder_engagement", "transparency", "outcomes_and_impact")),
    *(sa.column(c) for c in ("overall_score", "source_url")),
)
_projects = sa.table(
    "extractives_projects", *(sa.column(c) for c in ("id", "country_id", "name", "commodity"))
)


async def test_migration_carries_rows_across(empty_db: str, make_client: ClientFactory) -> None:
    async with at_revision(empty_db, "extractives_0002") as old, old.db.write() as conn:
        await conn.execute(
            models.Country.__table__.insert().values(
                id=1, alpha2="KE", alpha3="KEN", name="Kenya", region="Africa and Middle East"
            )
        )
        await conn.execute(
            _status.insert().values(
                id=1, country_id=1, status="SUSPENDED", joined_on=date(2020, 2, 1)
            )
        )
        await conn.execute(
            _validations.insert().values(
                id=1, country_id=1, decided_on=date(2022, 5, 5), standard="EITI_2019",
                overall_assessment="MODERATE", stakeholder_engagement=70, transparency=60,
                outcomes_and_impact=65, overall_score=65,
                source_url="https://eiti.org/countries/kenya",
            )
        )  # fmt: skip
        await conn.execute(
            _projects.insert().values(id=1, country_id=1, name="Turkana", commodity="OIL")
        )
    # leaving the block upgraded the database to head

    client = make_client(empty_db)
    data = await client.execute(
        """{ country(code: "KE") { eiti { status suspensionReason joinedOn illustrative history
               { status } validations { score sourceUrl retrievedOn illustrative
                 components { score } } } }
             extractiveProjects { nodes { name illustrative sourceUrl operatorSince } } }"""
    )
    eiti = data["country"]["eiti"]
    # Kept as they were; no retrieval date was recorded, so they are marked illustrative.
    assert (eiti["status"], eiti["suspensionReason"], eiti["joinedOn"]) == (
        "SUSPENDED",
        None,
        "2020-02-01",
    )
    assert (eiti["illustrative"], eiti["history"]) == (True, [])
    (validation,) = eiti["validations"]
    assert validation == {
        "score": 65,
        "sourceUrl": "https://eiti.org/countries/kenya",
        "retrievedOn": None,
        "illustrative": True,
        "components": [{"score": 70}, {"score": 60}, {"score": 65}],
    }
    assert data["extractiveProjects"]["nodes"] == [
        {"name": "Turkana", "illustrative": True, "sourceUrl": None, "operatorSince": None}
    ]
