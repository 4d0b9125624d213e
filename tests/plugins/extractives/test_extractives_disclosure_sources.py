"""Contract disclosures and beneficial owners follow the source convention (issue 13): each is
illustrative or carries its source and retrieval date, in the API, in the mutations' checks, in
the database's CHECK, in the demo, and across extractives_0004 (existing rows become
illustrative; downgrade keeps every row)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import insert, select

from core import in_transaction, models
from core.db import Database
from core.plugins import make_plugin_manager
from core.testing import ClientFactory, GraphQLClient, at_revision, settings_for
from plugins.extractives.models import BeneficialOwnershipDisclosure, ContractDisclosure

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same

SOURCING = "sourceUrl retrievedOn illustrative"
ERRORS = "userErrors { code field }"
CONTRACT = f"""
mutation($input: ExtractiveContractDisclosureRecordInput!) {{
  contractDisclosureRecord(input: $input) {{ contractDisclosure {{ id url {SOURCING} }} {ERRORS} }}
}}"""
OWNER = f"""
mutation($input: BeneficialOwnerRecordInput!) {{
  beneficialOwnerRecord(input: $input) {{ beneficialOwner {{ id ownerName {SOURCING} }} {ERRORS} }}
}}"""
COUNTS = """{ contractDisclosures(first: 100) { totalCount }
              beneficialOwnershipDisclosures(first: 100) { totalCount } }"""
REGISTER = "https://www.gh.example.org/eiti/contracts"  # a stand-in register page
SOURCE = {"sourceUrl": REGISTER, "retrievedOn": "2026-11-30"}


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((e["code"], e["field"][-1]) for e in payload["userErrors"])


async def _inputs(client: GraphQLClient) -> tuple[dict[str, Any], dict[str, Any]]:
    data = await client.execute(
        '{ organizations(filter: {text: "Western Example Gold"}) { nodes { id } } }'
    )
    (company,) = data["organizations"]["nodes"]
    contract = {
        "country": "GH",
        "title": "Petroleum agreement, Example block",
        "kind": "CONTRACT",
        "disclosedOn": "2016-03-01",
        "url": "https://example.org/gh/example-block.pdf",
    }
    owner = {
        "country": "GH",
        "companyId": company["id"],
        "ownerName": "G. Example (illustrative)",
        "politicallyExposedPerson": False,
        "disclosedOn": "2023-06-30",
    }
    return contract, owner


async def test_sourced_and_illustrative_records(client: GraphQLClient) -> None:
    contract, owner = await _inputs(client)
    saved = _payload(await client.execute(CONTRACT, {"input": contract | SOURCE}))
    assert saved["userErrors"] == []
    record = saved["contractDisclosure"]
    # The document and the page that records its disclosure are two things.
    assert (record["url"], record["sourceUrl"]) == (contract["url"], REGISTER)
    assert (record["retrievedOn"], record["illustrative"]) == ("2026-11-30", False)
    # A correction may make it illustrative; the source may then go.
    change = {"id": record["id"], "illustrative": True, "sourceUrl": " ", "retrievedOn": None}
    corrected = _payload(await client.execute(CONTRACT, {"input": contract | change}))
    assert corrected["userErrors"] == []
    assert {k: corrected["contractDisclosure"][k] for k in SOURCING.split()} == {
        "sourceUrl": None,
        "retrievedOn": None,
        "illustrative": True,
    }

    saved = _payload(await client.execute(OWNER, {"input": owner | {"illustrative": True}}))
    assert saved["userErrors"] == []
    assert saved["beneficialOwner"]["illustrative"] is True
    change = {"id": saved["beneficialOwner"]["id"], "illustrative": False, **SOURCE}
    corrected = _payload(await client.execute(OWNER, {"input": owner | change}))
    assert corrected["userErrors"] == []
    assert {k: corrected["beneficialOwner"][k] for k in SOURCING.split()} == {
        "sourceUrl": REGISTER,
        "retrievedOn": "2026-11-30",
        "illustrative": False,
    }


async def test_a_write_without_source_is_refused_and_writes_nothing(
    client: GraphQLClient,
) -> None:
    contract, owner = await _inputs(client)
    before = await client.execute(COUNTS)
    future = (date.today() + timedelta(days=2)).isoformat()
    cases = [
        ({}, [("SOURCE_REQUIRED", "retrievedOn"), ("SOURCE_REQUIRED", "sourceUrl")]),
        ({"illustrative": False, "sourceUrl": REGISTER}, [("SOURCE_REQUIRED", "retrievedOn")]),
        ({"retrievedOn": "2026-11-30"}, [("SOURCE_REQUIRED", "sourceUrl")]),
        (SOURCE | {"sourceUrl": "register"}, [("INVALID_URL", "sourceUrl")]),
        (SOURCE | {"retrievedOn": future}, [("DATE_IN_FUTURE", "retrievedOn")]),
    ]
    for mutation, base in ((CONTRACT, contract), (OWNER, owner)):
        for change, errors in cases:
            payload = _payload(await client.execute(mutation, {"input": base | change}))
            assert _codes(payload) == errors, (mutation, change)
            assert [v for k, v in payload.items() if k != "userErrors"] == [None]
    assert await client.execute(COUNTS) == before


DEMO = f"""{{
  contractDisclosures(first: 100) {{ nodes {{ title url {SOURCING} }} }}
  beneficialOwnershipDisclosures(first: 100) {{ nodes {{ ownerName {SOURCING} }} }}
}}"""


async def test_the_demo_says_its_disclosures_are_illustrative(client: GraphQLClient) -> None:
    data = await client.execute(DEMO)
    contracts = data["contractDisclosures"]["nodes"]
    owners = data["beneficialOwnershipDisclosures"]["nodes"]
    assert len(contracts) == 4 and len(owners) == 4
    # Invented documents and people: marked in the data, never with a source.
    for row in contracts + owners:
        assert (row["illustrative"], row["sourceUrl"], row["retrievedOn"]) == (True, None, None)
    assert all(c["url"].startswith("https://example.org/") for c in contracts)


@pytest.mark.parametrize("model", [ContractDisclosure, BeneficialOwnershipDisclosure])
@pytest.mark.parametrize(
    "change",
    [
        {"illustrative": False, "source_url": None, "retrieved_on": None},
        {"illustrative": False, "source_url": REGISTER, "retrieved_on": None},
        {"illustrative": False, "source_url": None, "retrieved_on": date(2026, 11, 30)},
    ],
)
async def test_the_database_holds_the_rule(demo_db: str, model: Any, change: Any) -> None:
    """A direct insert (no mutation's checks) that is neither illustrative nor sourced fails
    on the CHECK, which the plugin maps to SOURCE_REQUIRED at sourceUrl."""
    db = Database(demo_db)
    plugins = make_plugin_manager(settings_for(demo_db))
    try:
        async with db.read() as conn:
            stmt = select(*model.__table__.c).order_by(model.id).limit(1)
            row = dict((await conn.execute(stmt)).one()._mapping)
        row.pop("id")
        key = "url" if model is ContractDisclosure else "owner_name"
        values = row | {key: f"https://example.org/{model.__name__}"} | change
        ctx = SimpleNamespace(db=db, app=SimpleNamespace(plugins=plugins))
        result, errors = await in_transaction(
            ctx, lambda conn: conn.execute(insert(model).values(**values))
        )
        assert result is None
        assert [(e.code, e.field) for e in errors] == [("SOURCE_REQUIRED", ["input", "sourceUrl"])]
        # The same row, sourced, goes in.
        sourced = values | {"source_url": REGISTER, "retrieved_on": date(2026, 11, 30)}
        result, errors = await in_transaction(
            ctx, lambda conn: conn.execute(insert(model).values(**sourced))
        )
        assert errors == []
    finally:
        await db.dispose()


# --- extractives_0004 carries 0003's rows across, and back ---------------------------------------

_contracts = sa.table(
    "extractives_contract_disclosures",
    *(sa.column(c) for c in ("id", "country_id", "title", "kind", "disclosed_on", "url")),
)
_owners = sa.table(
    "extractives_beneficial_owners",
    *(sa.column(c) for c in ("id", "country_id", "company_id", "owner_name")),
    *(sa.column(c) for c in ("politically_exposed", "disclosed_on", "source_url")),
)
READ_BACK = f"""{{
  contractDisclosures {{ nodes {{ title url {SOURCING} }} }}
  beneficialOwnershipDisclosures {{ nodes {{ ownerName {SOURCING} }} }}
}}"""


async def test_migration_carries_rows_across(empty_db: str, make_client: ClientFactory) -> None:
    async with at_revision(empty_db, "extractives_0003") as old:
        async with old.db.write() as conn:
            await conn.execute(
                models.Country.__table__.insert().values(
                    id=1, alpha2="GH", alpha3="GHA", name="Ghana", region="Africa and Middle East"
                )
            )
            await conn.execute(
                models.Organization.__table__.insert().values(
                    id=1, name="Example Gold", kind="PRIVATE_SECTOR", country_id=1
                )
            )
            await conn.execute(
                _contracts.insert().values(
                    id=1, country_id=1, title="Mining lease", kind="LICENSE",
                    disclosed_on=date(2016, 3, 1), url="https://example.org/gh/lease.pdf",
                )
            )  # fmt: skip
            await conn.execute(
                _owners.insert(),
                [
                    {"id": 1, "country_id": 1, "company_id": 1, "owner_name": "A. Owner",
                     "politically_exposed": False, "disclosed_on": date(2022, 6, 30),
                     "source_url": "https://example.org/gh/bo/1"},
                    {"id": 2, "country_id": 1, "company_id": 1, "owner_name": "B. Owner",
                     "politically_exposed": True, "disclosed_on": date(2022, 6, 30),
                     "source_url": None},
                ],
            )  # fmt: skip
        await old.upgrade("extractives_0004")
        client = make_client(empty_db)
        data = await client.execute(READ_BACK)
        # Kept as they were; none had a retrieval date, so they are marked illustrative (an
        # owner keeps its source URL).
        assert data["contractDisclosures"]["nodes"] == [
            {"title": "Mining lease", "url": "https://example.org/gh/lease.pdf",
             "sourceUrl": None, "retrievedOn": None, "illustrative": True}
        ]  # fmt: skip
        assert sorted(
            data["beneficialOwnershipDisclosures"]["nodes"], key=lambda o: o["ownerName"]
        ) == [
            {"ownerName": "A. Owner", "sourceUrl": "https://example.org/gh/bo/1",
             "retrievedOn": None, "illustrative": True},
            {"ownerName": "B. Owner", "sourceUrl": None, "retrievedOn": None,
             "illustrative": True},
        ]  # fmt: skip
        # The migrated database holds the rule.
        with pytest.raises(sa.exc.IntegrityError, match=r"(?i)check"):
            async with old.db.write() as conn:
                await conn.execute(
                    sa.text("UPDATE extractives_contract_disclosures SET illustrative = :no")
                    .bindparams(no=False)
                )  # fmt: skip
        # Downgrade keeps every row.
        await old.downgrade()
        async with old.db.read() as conn:
            kept = (await conn.execute(select(sa.func.count()).select_from(_owners))).scalar()
            titles = (await conn.execute(select(_contracts.c.title))).scalars().all()
        assert (kept, titles) == (2, ["Mining lease"])
    # leaving the block upgraded the database to head
