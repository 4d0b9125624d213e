"""Several suspension reasons per EITI status, and Board decision dates known only to the month
or year (extractives_0005): the API, the demo re-run on an existing database, the migration."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select, update

from core import models
from core.db import Database
from core.migrate import alembic_config, upgrade
from core.plugins import make_plugin_manager
from core.testing import ClientFactory, GraphQLClient, seed_demo, settings_for
from plugins.extractives.models import EitiDatePrecision, EitiValidation

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same

MEMBERSHIP = """mutation($input: EitiMembershipRecordInput!) { eitiMembershipRecord(input: $input) {
    eiti { status suspensionReasons suspensionReason
           history { effectiveOn suspensionReasons suspensionReason } }
    userErrors { code field } } }"""
KENYA = {
    "country": "KE",
    "joinedOn": "2020-02-01",
    "sourceUrl": "https://eiti.org/countries/kenya",
    "retrievedOn": "2026-11-30",
}
VALIDATION = """mutation($input: EitiValidationRecordInput!) { eitiValidationRecord(input: $input) {
    validation { decidedOn decidedOnPrecision edition illustrative }
    userErrors { code field } } }"""
GHANA_2021 = {
    "country": "GH",
    "standard": "EITI_2019",
    "stakeholderEngagement": 80,
    "transparency": 70,
    "outcomesAndImpact": 75,
    "overallScore": 75,
    "overallAssessment": "MODERATE",
    "sourceUrl": "https://example.org/eiti/ghana",
    "illustrative": True,
}


async def test_mexico_lists_the_three_reasons_eiti_org_gives(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ country(code: "MX") { eiti { status suspensionReasons sourceUrl retrievedOn
               history { effectiveOn boardDecision suspensionReasons } } } }"""
    )
    eiti = data["country"]["eiti"]
    # eiti.org's country page: inadequate stakeholder engagement; lack of progress; missing
    # reporting deadline.
    assert eiti["status"] == "SUSPENDED"
    assert eiti["suspensionReasons"] == [
        "INADEQUATE_ENGAGEMENT",
        "LACK_OF_PROGRESS",
        "MISSED_DEADLINE",
    ]
    assert (eiti["sourceUrl"], eiti["retrievedOn"]) == (
        "https://eiti.org/countries/mexico",
        "2026-11-30",
    )
    # The 2022 Board decision gives the first two; the dated change carries those.
    suspension, joining = eiti["history"]
    assert (suspension["effectiveOn"], suspension["boardDecision"]) == (
        "2022-06-17",
        "2022-31 / BM-53",
    )
    assert suspension["suspensionReasons"] == ["INADEQUATE_ENGAGEMENT", "LACK_OF_PROGRESS"]
    assert joining["suspensionReasons"] == []


async def test_a_status_holds_several_reasons(client: GraphQLClient) -> None:
    reasons = ["LACK_OF_PROGRESS", "MISSED_DEADLINE"]
    data = await client.execute(
        MEMBERSHIP,
        {
            "input": KENYA
            | {"status": "SUSPENDED", "statusSince": "2024-05-01", "suspensionReasons": reasons}
        },
    )
    payload = data["eitiMembershipRecord"]
    assert payload["userErrors"] == []
    eiti = payload["eiti"]
    assert (eiti["suspensionReasons"], eiti["suspensionReason"]) == (reasons, reasons[0])
    assert eiti["history"][0]["suspensionReasons"] == reasons
    # Recording the change again replaces its reasons (a repeated one counts once).
    again = await client.execute(
        MEMBERSHIP,
        {
            "input": KENYA
            | {
                "status": "SUSPENDED",
                "statusSince": "2024-05-01",
                "suspensionReasons": ["TEMPORARY", "TEMPORARY"],
                "suspensionReason": "MISSED_DEADLINE",
            }
        },
    )
    eiti = again["eitiMembershipRecord"]["eiti"]
    assert eiti["suspensionReasons"] == ["TEMPORARY", "MISSED_DEADLINE"]
    # An older change fills in the history; the current reasons stay the latest change's.
    older = await client.execute(
        MEMBERSHIP,
        {
            "input": KENYA
            | {
                "status": "SUSPENDED",
                "statusSince": "2022-01-01",
                "suspensionReasons": ["INADEQUATE_ENGAGEMENT"],
            }
        },
    )
    eiti = older["eitiMembershipRecord"]["eiti"]
    assert eiti["suspensionReasons"] == ["TEMPORARY", "MISSED_DEADLINE"]
    assert [c["suspensionReasons"] for c in eiti["history"]] == [
        ["TEMPORARY", "MISSED_DEADLINE"],
        ["INADEQUATE_ENGAGEMENT"],
    ]
    # A later change without suspension has no reasons, current or dated.
    lifted = await client.execute(
        MEMBERSHIP, {"input": KENYA | {"status": "IMPLEMENTING", "statusSince": "2025-02-02"}}
    )
    eiti = lifted["eitiMembershipRecord"]["eiti"]
    assert (eiti["status"], eiti["suspensionReasons"], eiti["suspensionReason"]) == (
        "IMPLEMENTING",
        [],
        None,
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "SUSPENDED", "suspensionReasons": []}, "SUSPENSION_REASON_REQUIRED"),
        ({"status": "WITHDRAWN", "suspensionReasons": ["TEMPORARY"]}, "SUSPENSION_REASON_NOT_SUSPENDED"),
    ],
)  # fmt: skip
async def test_reasons_exactly_when_suspended(
    client: GraphQLClient, change: dict[str, Any], code: str
) -> None:
    data = await client.execute(MEMBERSHIP, {"input": KENYA | change})
    payload = data["eitiMembershipRecord"]
    assert payload["eiti"] is None
    assert payload["userErrors"] == [{"code": code, "field": ["input", "suspensionReason"]}]


@pytest.mark.parametrize(
    ("decided_on", "precision", "errors"),
    [
        ("2021-10-13", "DAY", []),
        ("2021-10-01", "MONTH", []),
        ("2021-01-01", "YEAR", []),
        ("2021-10-13", "MONTH", ["DATE_PRECISION_MISMATCH"]),
        ("2021-10-01", "YEAR", ["DATE_PRECISION_MISMATCH"]),
        ("2021-01-13", "YEAR", ["DATE_PRECISION_MISMATCH"]),
    ],
)
async def test_a_decision_date_known_to_the_month_or_year(
    client: GraphQLClient, decided_on: str, precision: str, errors: list[str]
) -> None:
    data = await client.execute(
        VALIDATION,
        {"input": GHANA_2021 | {"decidedOn": decided_on, "decidedOnPrecision": precision}},
    )
    payload = data["eitiValidationRecord"]
    assert [e["code"] for e in payload["userErrors"]] == errors
    if errors:
        assert payload["userErrors"][0]["field"] == ["input", "decidedOn"]
        assert payload["validation"] is None
    else:
        assert payload["validation"] == {
            "decidedOn": decided_on,
            "decidedOnPrecision": precision,
            "edition": "2021",
            "illustrative": True,
        }


async def test_ghana_2024_is_sourced_and_known_to_the_year(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ country(code: "GH") { eiti { validations { decidedOn decidedOnPrecision
               boardDecision score sourceUrl retrievedOn illustrative } } } }"""
    )
    (ghana,) = data["country"]["eiti"]["validations"]
    assert ghana == {
        "decidedOn": "2024-01-01",
        "decidedOnPrecision": "YEAR",
        "boardDecision": "2024-18 / BM-59",
        "score": 83,
        "sourceUrl": "https://api.eiti.org/ru/node/27112",
        "retrievedOn": "2026-11-30",
        "illustrative": False,
    }


async def _validations(url: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            stmt = select(
                EitiValidation.country_id,
                EitiValidation.decided_on,
                EitiValidation.decided_on_precision,
                EitiValidation.illustrative,
            ).order_by(EitiValidation.country_id, EitiValidation.decided_on)
            return list(await conn.execute(stmt))
    finally:
        await db.dispose()


async def test_demo_replaces_the_placeholder_instead_of_adding_a_row(demo_db: str) -> None:
    loaded = await _validations(demo_db)
    # A database loaded before: Ghana's 2024 Validation was an illustrative placeholder dated
    # 1 January 2024 to the day.
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            await conn.execute(
                update(EitiValidation)
                .where(EitiValidation.decided_on == date(2024, 1, 1))
                .values(illustrative=True, decided_on_precision=EitiDatePrecision.DAY)
            )
    finally:
        await db.dispose()
    await seed_demo(demo_db)  # the demo again, twice
    await seed_demo(demo_db)
    again = await _validations(demo_db)
    assert len(again) == len(loaded) == 5  # Ghana 2017, 2019, 2020, 2024; the Philippines 2017
    assert again == loaded
    ghana_2024 = [row for row in again if row.decided_on == date(2024, 1, 1)]
    assert [(r.decided_on_precision, r.illustrative) for r in ghana_2024] == [
        (EitiDatePrecision.YEAR, False)
    ]


# --- The migration carries 0004's rows across ---------------------------------------------------

_status = sa.table(
    "extractives_eiti_status",
    *(sa.column(c) for c in ("id", "country_id", "status", "suspension_reason", "joined_on")),
    *(sa.column(c) for c in ("source_url", "retrieved_on", "illustrative")),
)
_history = sa.table(
    "extractives_eiti_status_history",
    *(sa.column(c) for c in ("id", "country_id", "status", "suspension_reason", "effective_on")),
    *(sa.column(c) for c in ("source_url", "retrieved_on", "illustrative")),
)
_validations_0004 = sa.table(
    "extractives_validations",
    *(sa.column(c) for c in ("id", "country_id", "decided_on", "standard", "overall_assessment")),
    *(sa.column(c) for c in ("source_url", "retrieved_on", "illustrative")),
)
_assessments = sa.table(
    "extractives_requirement_assessments",
    *(sa.column(c) for c in ("id", "validation_id", "requirement", "level")),
)


async def test_migration_carries_rows_across(empty_db: str, make_client: ClientFactory) -> None:
    plugins = make_plugin_manager(settings_for(empty_db))
    config = alembic_config(plugins)
    db = Database(empty_db)
    sourced = {
        "source_url": "https://eiti.org/countries/kenya",
        "retrieved_on": date(2026, 11, 30),
        "illustrative": False,
    }

    def downgrade(connection: Any) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "extractives_0004")

    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(downgrade)
        async with db.write() as conn:
            await conn.execute(
                models.Country.__table__.insert().values(
                    id=1, alpha2="KE", alpha3="KEN", name="Kenya", region="Africa and Middle East"
                )
            )
            await conn.execute(
                _status.insert().values(
                    id=1, country_id=1, status="SUSPENDED", suspension_reason="MISSED_DEADLINE",
                    joined_on=date(2020, 2, 1), **sourced,
                )
            )  # fmt: skip
            await conn.execute(
                _history.insert(),
                [
                    {"id": 1, "country_id": 1, "status": "IMPLEMENTING", "suspension_reason": None,
                     "effective_on": date(2020, 2, 1), **sourced},
                    {"id": 2, "country_id": 1, "status": "SUSPENDED",
                     "suspension_reason": "MISSED_DEADLINE", "effective_on": date(2024, 5, 1),
                     **sourced},
                ],
            )  # fmt: skip
            await conn.execute(
                _validations_0004.insert().values(
                    id=1, country_id=1, decided_on=date(2019, 5, 5), standard="EITI_2016",
                    overall_assessment="MEANINGFUL_PROGRESS", **sourced,
                )
            )  # fmt: skip
            await conn.execute(
                _assessments.insert().values(
                    id=1, validation_id=1, requirement="1.3", level="MEANINGFUL_PROGRESS"
                )
            )
    finally:
        await upgrade(db, plugins)  # the session's database is left at head whatever happened
        await db.dispose()

    client = make_client(empty_db)
    data = await client.execute(
        """{ country(code: "KE") { eiti { status suspensionReasons suspensionReason
               history { effectiveOn suspensionReasons }
               earlierValidations { decidedOn decidedOnPrecision requirements { requirement } } }
             } }"""
    )
    eiti = data["country"]["eiti"]
    assert (eiti["status"], eiti["suspensionReasons"], eiti["suspensionReason"]) == (
        "SUSPENDED",
        ["MISSED_DEADLINE"],
        "MISSED_DEADLINE",
    )
    assert eiti["history"] == [
        {"effectiveOn": "2024-05-01", "suspensionReasons": ["MISSED_DEADLINE"]},
        {"effectiveOn": "2020-02-01", "suspensionReasons": []},
    ]
    assert eiti["earlierValidations"] == [
        {
            "decidedOn": "2019-05-05",
            "decidedOnPrecision": "DAY",
            "requirements": [{"requirement": "1.3"}],
        }
    ]
    db = Database(empty_db)
    try:
        async with db.read() as conn:
            count = (await conn.execute(select(func.count()).select_from(_history))).scalar()
        assert count == 2
    finally:
        await db.dispose()
