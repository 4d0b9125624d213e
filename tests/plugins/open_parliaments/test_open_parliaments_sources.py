"""The Declaration as written: its four sections and the provisions on culture, members' assets,
conflicts of interest and parliament's budget as indicators; the group's own indicators marked;
endorsements before the launch; the source convention; the demo marked; the migration that
carries 0002's rows across."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.testing import ClientFactory, GraphQLClient, at_revision
from tests.plugins.open_parliaments.migration_seed import georgia_parliament, table

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code field }"
INDICATOR_RECORD = f"""
mutation($input: OpennessIndicatorRecordInput!) {{
  opennessIndicatorRecord(input: $input) {{
    opennessIndicator {{ indicator section provision groupOwn evidenceUrl checkedOn sourceUrl
                         retrievedOn illustrative }}
    {ERRORS}
  }}
}}"""
ENDORSEMENT_RECORD = f"""
mutation($input: EndorsementRecordInput!) {{
  endorsementRecord(input: $input) {{
    endorsement {{ endorsedOn endorsedBeforeLaunch sourceUrl retrievedOn illustrative }}
    {ERRORS}
  }}
}}"""


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


async def _org(client: GraphQLClient, name: str) -> str:
    data = await client.execute("{ organizations(first: 100) { nodes { id name } } }")
    return next(o["id"] for o in data["organizations"]["nodes"] if o["name"] == name)


async def test_indicators_follow_the_declaration(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroup(slug: "open-parliaments") { ... on OpenParliamentsGroup {
               opennessIndicators { indicator section provision groupOwn } } } }"""
    )
    info = {i["indicator"]: i for i in data["workingGroup"]["opennessIndicators"]}
    # The group's own indicator is marked as such, not as a provision of the Declaration.
    assert info["API"] == {"indicator": "API", "section": None, "provision": None, "groupOwn": True}
    assert [i for i, v in info.items() if v["groupOwn"]] == ["API"]
    # The sections and provisions the earlier indicators skipped.
    assert {v["section"] for v in info.values()} == {
        "CULTURE_OF_OPENNESS",
        "TRANSPARENCY",
        "EASING_ACCESS",
        "ELECTRONIC_COMMUNICATION",
        None,
    }
    assert info["PUBLIC_OWNERSHIP"]["provision"] == (
        "Recognizing Public Ownership of Parliamentary Information"
    )
    assert info["OPENNESS_LEGISLATION"]["section"] == "CULTURE_OF_OPENNESS"
    assert info["MEMBERS_ASSETS_DISCLOSED"]["section"] == "TRANSPARENCY"
    assert "Conflicts of Interest" in info["CONFLICTS_OF_INTEREST_DISCLOSED"]["provision"]
    assert info["PARLIAMENT_BUDGET_PUBLISHED"]["provision"] == "Providing Budget Information"
    for indicator, value in info.items():
        assert value["groupOwn"] or (value["section"] and value["provision"]), indicator


async def test_a_check_of_a_new_provision_with_its_source(client: GraphQLClient) -> None:
    data = await client.execute('{ country(code: "GE") { legislature { houses { id } } } }')
    chamber = data["country"]["legislature"]["houses"][0]["id"]
    check = {
        "chamberId": chamber,
        "indicator": "PARLIAMENT_BUDGET_PUBLISHED",
        "status": "PARTIAL",
        "evidenceUrl": "https://parliament.ge/en/budget",
        "checkedOn": "2025-01-15",
    }
    payload = _payload(await client.execute(INDICATOR_RECORD, {"input": check}))
    assert payload["userErrors"] == []
    # By default the source is the evidence page, read on the day of the check.
    assert payload["opennessIndicator"] == {
        "indicator": "PARLIAMENT_BUDGET_PUBLISHED",
        "section": "TRANSPARENCY",
        "provision": "Providing Budget Information",
        "groupOwn": False,
        "evidenceUrl": "https://parliament.ge/en/budget",
        "checkedOn": "2025-01-15",
        "sourceUrl": "https://parliament.ge/en/budget",
        "retrievedOn": "2025-01-15",
        "illustrative": False,
    }
    refused = _payload(
        await client.execute(
            INDICATOR_RECORD, {"input": check | {"indicator": "API", "sourceUrl": "nope"}}
        )
    )
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID_URL", ["input", "sourceUrl"])
    ]
    assert refused["opennessIndicator"] is None


async def test_endorsements_before_the_launch_are_storable(client: GraphQLClient) -> None:
    """The text circulated before its launch on 15 September 2012."""
    source = {"sourceUrl": "https://www.openingparliament.org/", "retrievedOn": "2026-11-30"}
    okf = await _org(client, "Open Knowledge Foundation")
    payload = _payload(
        await client.execute(
            ENDORSEMENT_RECORD,
            {"input": {"organizationId": okf, "endorsedOn": "2012-05-02"} | source},
        )
    )
    assert payload["userErrors"] == []
    assert payload["endorsement"] == {
        "endorsedOn": "2012-05-02",
        "endorsedBeforeLaunch": True,
        "sourceUrl": "https://www.openingparliament.org/",
        "retrievedOn": "2026-11-30",
        "illustrative": False,
    }
    launch = {"organizationId": okf, "endorsedOn": "2012-09-15", "replace": True} | source
    payload = _payload(await client.execute(ENDORSEMENT_RECORD, {"input": launch}))
    assert payload["endorsement"]["endorsedBeforeLaunch"] is False


DEMO = """{
  legislatures(first: 100) { nodes { houses { opennessIndicators {
    sourceUrl retrievedOn illustrative note } }
    monitoringOrganizations { sourceUrl retrievedOn illustrative } } }
  declarationEndorsements(first: 100) { nodes { sourceUrl retrievedOn illustrative note } }
}"""


async def test_every_demo_row_is_sourced_or_illustrative(client: GraphQLClient) -> None:
    data = await client.execute(DEMO)
    legislatures = data["legislatures"]["nodes"]
    checks = [i for leg in legislatures for h in leg["houses"] for i in h["opennessIndicators"]]
    monitors = [m for leg in legislatures for m in leg["monitoringOrganizations"]]
    endorsements = data["declarationEndorsements"]["nodes"]
    assert checks and monitors and endorsements
    for row in [*checks, *monitors, *endorsements]:
        assert row["illustrative"] or (row["sourceUrl"] and row["retrievedOn"]), row
    # The demo's checks and endorsements are illustrative, and say so in the data.
    assert all(row["illustrative"] for row in [*checks, *endorsements, *monitors])


# --- The migration carries 0002's rows across ---------------------------------------------------


async def test_migration_carries_rows_across(empty_db: str, make_client: ClientFactory) -> None:
    checks = table(
        "open_parliaments_openness_indicators",
        *("id", "chamber_id", "indicator", "status", "evidence_url", "checked_on", "note"),
    )
    async with at_revision(empty_db, "open_parliaments_0002") as old, old.db.write() as conn:
        await georgia_parliament(conn)
        await conn.execute(
            checks.insert(),
            [
                {"id": 1, "chamber_id": 1, "indicator": "VOTES_PUBLISHED", "status": "YES",
                 "evidence_url": "https://parliament.ge/votes",
                 "checked_on": date(2024, 3, 4), "note": None},
                {"id": 2, "chamber_id": 1, "indicator": "API", "status": "NO",
                 "evidence_url": "https://parliament.ge",
                 "checked_on": date(2024, 3, 5), "note": "(Illustrative demo data.)"},
            ],
        )  # fmt: skip
        await conn.execute(
            table("open_parliaments_endorsements", "id", "organization_id", "endorsed_on")
            .insert()
            .values(id=1, organization_id=1, endorsed_on=date(2013, 1, 1))
        )
        await conn.execute(
            table("open_parliaments_pmos", "id", "organization_id", "legislature_id", "scope")
            .insert()
            .values(id=1, organization_id=1, legislature_id=1, scope="MEMBERS")
        )
    # leaving the block upgraded the database to head

    client = make_client(empty_db)
    data = await client.execute(
        """{ country(code: "GE") { legislature { houses { opennessIndicators {
               indicator sourceUrl retrievedOn illustrative } }
             monitoringOrganizations { scope illustrative } } }
             declarationEndorsements { nodes { endorsedOn illustrative } } }"""
    )
    legislature = data["country"]["legislature"]
    (house,) = legislature["houses"]
    # A check's source is its evidence page, read on the day of the check; the demo's are marked.
    assert house["opennessIndicators"] == [
        {"indicator": "VOTES_PUBLISHED", "sourceUrl": "https://parliament.ge/votes",
         "retrievedOn": "2024-03-04", "illustrative": False},
        {"indicator": "API", "sourceUrl": "https://parliament.ge",
         "retrievedOn": "2024-03-05", "illustrative": True},
    ]  # fmt: skip
    assert legislature["monitoringOrganizations"] == [{"scope": "MEMBERS", "illustrative": True}]
    assert data["declarationEndorsements"]["nodes"] == [
        {"endorsedOn": "2013-01-01", "illustrative": True}
    ]
