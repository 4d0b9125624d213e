"""Legislatures and chambers follow the source convention (issue 13): each is illustrative or
carries its source and retrieval date, in the API, in the mutations' checks, in the database's
CHECK, in the demo, and across open_parliaments_0004 (existing rows become illustrative, their
chambers' checks and monitoring organisations are kept; downgrade keeps every row)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from core import in_transaction
from core.db import Database
from core.plugins import make_plugin_manager
from core.testing import ClientFactory, GraphQLClient, at_revision, settings_for
from tests.plugins.open_parliaments.migration_seed import georgia_parliament, table

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same

SOURCING = "sourceUrl retrievedOn illustrative"
ERRORS = "userErrors { code field }"
LEGISLATURE = f"""
mutation($input: LegislatureRecordInput!) {{
  legislatureRecord(input: $input) {{ legislature {{ name chambers {SOURCING} }} {ERRORS} }}
}}"""
CHAMBER = f"""
mutation($input: ChamberRecordInput!) {{
  chamberRecord(input: $input) {{ chamber {{ kind name website {SOURCING} }} {ERRORS} }}
}}"""
SNAPSHOT = f"""{{ legislatures(first: 100) {{ totalCount nodes {{ name {SOURCING}
                    houses {{ kind name website {SOURCING} }} }} }} }}"""
IPU = "https://data.ipu.org/parliament/NO"  # a stand-in for the country's Parline page
SOURCE = {"sourceUrl": IPU, "retrievedOn": "2026-11-30"}
IPU_EE = "http://archive.ipu.org/parline-e/reports/2105_D.htm"


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((e["code"], e["field"][-1]) for e in payload["userErrors"])


def _sourcing(record: dict[str, Any]) -> tuple[Any, ...]:
    return (record["sourceUrl"], record["retrievedOn"], record["illustrative"])


async def test_sourced_and_illustrative_records(client: GraphQLClient) -> None:
    norway = {"country": "NO", "name": "Storting", "chambers": 1}
    saved = _payload(await client.execute(LEGISLATURE, {"input": norway | SOURCE}))
    assert saved["userErrors"] == []
    assert _sourcing(saved["legislature"]) == (IPU, "2026-11-30", False)
    chamber = {"country": "NO", "kind": "UNICAMERAL", "name": "Storting"}
    saved = _payload(await client.execute(CHAMBER, {"input": chamber | {"illustrative": True}}))
    assert saved["userErrors"] == []
    assert _sourcing(saved["chamber"]) == (None, None, True)
    # Corrections replace the source too: the legislature becomes illustrative, the chamber
    # sourced.
    change = {"replace": True, "illustrative": True, "sourceUrl": None, "retrievedOn": None}
    corrected = _payload(await client.execute(LEGISLATURE, {"input": norway | change}))
    assert corrected["userErrors"] == []
    assert _sourcing(corrected["legislature"]) == (None, None, True)
    change = {"replace": True, **SOURCE}
    corrected = _payload(await client.execute(CHAMBER, {"input": chamber | change}))
    assert corrected["userErrors"] == []
    assert _sourcing(corrected["chamber"]) == (IPU, "2026-11-30", False)


async def test_a_write_without_source_is_refused_and_writes_nothing(
    client: GraphQLClient,
) -> None:
    before = await client.execute(SNAPSHOT)
    future = (date.today() + timedelta(days=2)).isoformat()
    cases = [
        ({}, [("SOURCE_REQUIRED", "retrievedOn"), ("SOURCE_REQUIRED", "sourceUrl")]),
        ({"illustrative": False, "sourceUrl": IPU}, [("SOURCE_REQUIRED", "retrievedOn")]),
        ({"retrievedOn": "2026-11-30", "sourceUrl": " "}, [("SOURCE_REQUIRED", "sourceUrl")]),
        (SOURCE | {"sourceUrl": "data.ipu.org"}, [("INVALID_URL", "sourceUrl")]),
        (SOURCE | {"retrievedOn": future}, [("DATE_IN_FUTURE", "retrievedOn")]),
    ]
    inputs = [
        (LEGISLATURE, {"country": "NO", "name": "Storting", "chambers": 1}),
        # a correction of a recorded legislature and chamber, and a new chamber
        (LEGISLATURE, {"country": "GE", "name": "Parliament", "chambers": 1, "replace": True}),
        (CHAMBER, {"country": "GE", "kind": "UNICAMERAL", "name": "P", "replace": True}),
        (CHAMBER, {"country": "GB", "kind": "UPPER", "name": "House of Lords", "replace": True}),
    ]
    for mutation, base in inputs:
        for change, errors in cases:
            payload = _payload(await client.execute(mutation, {"input": base | change}))
            assert _codes(payload) == errors, (base, change)
    assert await client.execute(SNAPSHOT) == before


async def test_the_demo_says_what_it_sourced(client: GraphQLClient) -> None:
    legislatures = (await client.execute(SNAPSHOT))["legislatures"]["nodes"]
    chambers = [h for leg in legislatures for h in leg["houses"]]
    assert len(legislatures) == 11 and len(chambers) == 19
    sourced = [leg for leg in legislatures if not leg["illustrative"]]
    # Only Estonia's legislature was confirmed on IPU Parline's page; the rest say they are
    # illustrative, and so does every chamber (their websites were not confirmed).
    assert [(leg["name"], leg["sourceUrl"], leg["retrievedOn"]) for leg in sourced] == [
        ("Riigikogu", IPU_EE, "2026-11-30")
    ]
    for row in [*legislatures, *chambers]:
        assert row["illustrative"] or (row["sourceUrl"] and row["retrievedOn"]), row
    assert all(_sourcing(c) == (None, None, True) for c in chambers)


@pytest.mark.parametrize("table", ["open_parliaments_legislatures", "open_parliaments_chambers"])
async def test_the_database_holds_the_rule(demo_db: str, table: str) -> None:
    """A direct write (no mutation's checks) that is neither illustrative nor sourced fails on
    the CHECK, which the plugin maps to SOURCE_REQUIRED at sourceUrl."""
    db = Database(demo_db)
    ctx = SimpleNamespace(db=db, app=SimpleNamespace(plugins=make_plugin_manager(settings_for(demo_db))))  # fmt: skip
    statements = [
        (f"UPDATE {table} SET illustrative = :no", {"no": False}),
        (f"UPDATE {table} SET illustrative = :no, source_url = :url", {"no": False, "url": IPU}),
        (
            f"UPDATE {table} SET illustrative = :no, retrieved_on = :day",
            {"no": False, "day": date(2026, 11, 30)},
        ),
    ]
    try:
        for statement, values in statements:
            result, errors = await in_transaction(
                ctx, lambda conn, s=statement, v=values: conn.execute(sa.text(s).bindparams(**v))
            )
            assert result is None, statement
            assert [(e.code, e.field) for e in errors] == [("SOURCE_REQUIRED", ["input", "sourceUrl"])]  # fmt: skip
        sourced = f"UPDATE {table} SET illustrative = :no, source_url = :url, retrieved_on = :day"
        _, errors = await in_transaction(
            ctx,
            lambda conn: conn.execute(
                sa.text(sourced).bindparams(no=False, url=IPU, day=date(2026, 11, 30))
            ),
        )
        assert errors == []
    finally:
        await db.dispose()


# --- open_parliaments_0004 carries 0003's rows across, and back ----------------------------------


READ_BACK = f"""{{ country(code: "GE") {{ legislature {{ name chambers {SOURCING}
    houses {{ kind name website {SOURCING} opennessIndicators {{ indicator illustrative }} }}
    monitoringOrganizations {{ scope }} }} }} }}"""
COUNT = (
    "SELECT (SELECT count(*) FROM open_parliaments_legislatures),"
    " (SELECT count(*) FROM open_parliaments_chambers),"
    " (SELECT count(*) FROM open_parliaments_openness_indicators),"
    " (SELECT count(*) FROM open_parliaments_pmos)"
)


async def test_migration_carries_rows_across(empty_db: str, make_client: ClientFactory) -> None:
    async with at_revision(empty_db, "open_parliaments_0003") as old:
        async with old.db.write() as conn:
            await georgia_parliament(conn)
            await conn.execute(
                table(
                    "open_parliaments_openness_indicators",
                    *("id", "chamber_id", "indicator", "status", "evidence_url", "checked_on"),
                    *("source_url", "retrieved_on", "illustrative"),
                )
                .insert()
                .values(
                    id=1, chamber_id=1, indicator="VOTES_PUBLISHED", status="YES",
                    evidence_url="https://parliament.ge/votes", checked_on=date(2024, 3, 4),
                    source_url="https://parliament.ge/votes", retrieved_on=date(2024, 3, 4),
                    illustrative=False,
                )
            )  # fmt: skip
            await conn.execute(
                table(
                    "open_parliaments_pmos",
                    *("id", "organization_id", "legislature_id", "scope", "illustrative"),
                )
                .insert()
                .values(id=1, organization_id=1, legislature_id=1, scope="MEMBERS", illustrative=True)
            )  # fmt: skip
        await old.upgrade("open_parliaments_0004")
        data = await make_client(empty_db).execute(READ_BACK)
        # Kept as they were, with no source recorded: illustrative. The chamber's check and the
        # legislature's monitoring organisation are still there (SQLite rebuilds the tables).
        assert data["country"]["legislature"] == {
            "name": "Parliament of Georgia", "chambers": 1,
            "sourceUrl": None, "retrievedOn": None, "illustrative": True,
            "houses": [{
                "kind": "UNICAMERAL", "name": "Parliament of Georgia",
                "website": "https://parliament.ge",
                "sourceUrl": None, "retrievedOn": None, "illustrative": True,
                "opennessIndicators": [{"indicator": "VOTES_PUBLISHED", "illustrative": False}],
            }],
            "monitoringOrganizations": [{"scope": "MEMBERS"}],
        }  # fmt: skip
        # The migrated database holds the rule.
        for name in ("open_parliaments_legislatures", "open_parliaments_chambers"):
            with pytest.raises(sa.exc.IntegrityError, match=r"(?i)check"):
                async with old.db.write() as conn:
                    await conn.execute(
                        sa.text(f"UPDATE {name} SET illustrative = :no").bindparams(no=False)
                    )
        # Downgrade keeps every row, the chamber's check and the monitoring organisation too.
        await old.downgrade()
        async with old.db.read() as conn:
            assert tuple((await conn.execute(sa.text(COUNT))).one()) == (1, 1, 1, 1)
    # leaving the block upgraded the database to head
