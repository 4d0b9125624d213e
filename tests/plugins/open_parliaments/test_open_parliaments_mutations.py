"""Open parliaments, write side: every mutation's success, each of its error codes, nothing
half-written, and the invariants the database itself holds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.testing import GraphQLClient

pytestmark = pytest.mark.signed_in("staff")  # the mutations need a role; reads are the same


ERRORS = "userErrors { code message field }"

SOURCE = {"sourceUrl": "https://data.ipu.org/parliament/NO", "retrievedOn": "2026-11-30"}

LEGISLATURE_RECORD = f"""
mutation($input: LegislatureRecordInput!) {{
  legislatureRecord(input: $input) {{
    legislature {{ id name chambers country {{ code }} houses {{ kind }} }}
    {ERRORS}
  }}
}}"""

CHAMBER_RECORD = f"""
mutation($input: ChamberRecordInput!) {{
  chamberRecord(input: $input) {{
    chamber {{ id kind name website legislature {{ name }} }}
    {ERRORS}
  }}
}}"""

CHAMBER_REMOVE = f"""
mutation($input: ChamberRemoveInput!) {{
  chamberRemove(input: $input) {{ chamber {{ id kind name }} {ERRORS} }}
}}"""

INDICATOR_RECORD = f"""
mutation($input: OpennessIndicatorRecordInput!) {{
  opennessIndicatorRecord(input: $input) {{
    opennessIndicator {{ id indicator status evidenceUrl checkedOn note chamber {{ name }} }}
    {ERRORS}
  }}
}}"""

ENDORSEMENT_RECORD = f"""
mutation($input: EndorsementRecordInput!) {{
  endorsementRecord(input: $input) {{
    endorsement {{ id endorsedOn sourceUrl note organization {{ name }} }}
    {ERRORS}
  }}
}}"""

PMO_RECORD = f"""
mutation($input: ParliamentaryMonitoringOrganizationRecordInput!) {{
  parliamentaryMonitoringOrganizationRecord(input: $input) {{
    monitoringOrganization {{ id scope website organization {{ name }} legislature {{ name }} }}
    {ERRORS}
  }}
}}"""

# Everything the mutations can change, to check that a refused one wrote nothing.
SNAPSHOT = """{
  legislatures(first: 100) {
    nodes {
      name chambers country { code }
      houses { id kind name website
               opennessIndicators { indicator status evidenceUrl checkedOn note } }
      monitoringOrganizations { scope website organization { name } }
    }
  }
  declarationEndorsements(first: 100) {
    nodes { endorsedOn sourceUrl note organization { name } }
  }
}"""

FUTURE = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
VOTES = "https://parliament.ge/en/legislation/votes"


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data.values()
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def _run(client: GraphQLClient, mutation: str, **values: Any) -> dict[str, Any]:
    return _payload(await client.execute(mutation, {"input": values}))


async def _refused(
    client: GraphQLClient, mutation: str, code: str, field: list[str] | None, **values: Any
) -> None:
    """The mutation is refused with exactly this error, and returns no object."""
    payload = await _run(client, mutation, **values)
    assert _codes(payload) == [code], payload["userErrors"]
    assert payload["userErrors"][0]["field"] == field
    assert [v for k, v in payload.items() if k != "userErrors"] == [None]


async def _ids(client: GraphQLClient) -> dict[str, str]:
    data = await client.execute(
        """{
          ge: country(code: "GE") { legislature { houses { id } } }
          gb: country(code: "GB") { legislature { houses { id kind } } }
          orgs: organizations(first: 100) { nodes { id name } }
        }"""
    )
    ids = {o["name"]: o["id"] for o in data["orgs"]["nodes"]}
    ids["GE"] = data["ge"]["legislature"]["houses"][0]["id"]
    for house in data["gb"]["legislature"]["houses"]:
        ids[f"GB {house['kind']}"] = house["id"]
    return ids


async def _indicators(client: GraphQLClient, code: str) -> dict[str, dict[str, Any]]:
    data = await client.execute(
        """query($code: String!) { country(code: $code) { legislature { houses {
             opennessIndicators { indicator status evidenceUrl checkedOn note } } } } }""",
        {"code": code},
    )
    houses = data["country"]["legislature"]["houses"]
    return {i["indicator"]: i for h in houses for i in h["opennessIndicators"]}


# --- legislatureRecord, chamberRecord, chamberRemove ---------------------------------------------


async def test_legislature_and_chamber_record(client: GraphQLClient) -> None:
    created = await _run(
        client, LEGISLATURE_RECORD, country="no", name="  Storting  ", chambers=1, **SOURCE
    )
    assert created["userErrors"] == []
    assert created["legislature"] | {"id": None} == {
        "id": None,
        "name": "Storting",
        "chambers": 1,
        "country": {"code": "NO"},
        "houses": [],
    }

    chamber = await _run(
        client,
        CHAMBER_RECORD,
        country="NOR",
        kind="UNICAMERAL",
        name="Storting",
        website="https://www.stortinget.no",
        illustrative=True,
    )
    assert chamber["userErrors"] == []
    assert chamber["chamber"]["kind"] == "UNICAMERAL"
    assert chamber["chamber"]["legislature"] == {"name": "Storting"}

    corrected = await _run(
        client,
        CHAMBER_RECORD,
        country="NO",
        kind="UNICAMERAL",
        name="Stortinget",
        website=None,
        replace=True,
        illustrative=True,
    )
    assert corrected["userErrors"] == []
    assert corrected["chamber"]["id"] == chamber["chamber"]["id"]
    assert (corrected["chamber"]["name"], corrected["chamber"]["website"]) == ("Stortinget", None)

    renamed = await _run(
        client,
        LEGISLATURE_RECORD,
        country="NO",
        name="Stortinget",
        chambers=1,
        replace=True,
        illustrative=True,
    )
    assert renamed["userErrors"] == []
    assert renamed["legislature"]["id"] == created["legislature"]["id"]
    assert renamed["legislature"]["name"] == "Stortinget"
    assert renamed["legislature"]["houses"] == [{"kind": "UNICAMERAL"}]


async def test_changing_the_structure_needs_the_misfit_chambers_removed(
    client: GraphQLClient,
) -> None:
    ids = await _ids(client)
    georgia = {
        "country": "GE",
        "name": "Parliament of Georgia",
        "chambers": 2,
        "replace": True,
        "illustrative": True,
    }
    await _refused(
        client, LEGISLATURE_RECORD, "CHAMBER_KIND_MISMATCH", ["input", "chambers"], **georgia
    )

    removed = await _run(client, CHAMBER_REMOVE, id=ids["GE"])
    assert removed["userErrors"] == []
    assert removed["chamber"]["kind"] == "UNICAMERAL"
    assert await _indicators(client, "GE") == {}  # its indicators went with it

    changed = await _run(client, LEGISLATURE_RECORD, **georgia)
    assert changed["userErrors"] == []
    assert changed["legislature"]["chambers"] == 2 and changed["legislature"]["houses"] == []
    lower = await _run(
        client, CHAMBER_RECORD, country="GE", kind="LOWER", name="Lower house", illustrative=True
    )
    assert lower["userErrors"] == []
    await _refused(
        client,
        CHAMBER_RECORD,
        "CHAMBER_KIND_MISMATCH",
        ["input", "kind"],
        country="GE",
        kind="UNICAMERAL",
        name="Parliament of Georgia",
        illustrative=True,
    )


async def test_legislature_and_chamber_errors_write_nothing(client: GraphQLClient) -> None:
    before = await client.execute(SNAPSHOT)
    ids = await _ids(client)
    norway = {"country": "NO", "name": "Storting", "chambers": 1, "illustrative": True}

    await _refused(
        client,
        LEGISLATURE_RECORD,
        "UNKNOWN_COUNTRY",
        ["input", "country"],
        **(norway | {"country": "XX"}),
    )
    await _refused(
        client,
        LEGISLATURE_RECORD,
        "TOO_MANY_CHAMBERS",
        ["input", "chambers"],
        **(norway | {"chambers": 3}),
    )
    await _refused(
        client,
        LEGISLATURE_RECORD,
        "TOO_FEW_CHAMBERS",
        ["input", "chambers"],
        **(norway | {"chambers": 0}),
    )
    await _refused(
        client, LEGISLATURE_RECORD, "REQUIRED", ["input", "name"], **(norway | {"name": "  "})
    )
    await _refused(
        client, LEGISLATURE_RECORD, "TOO_LONG", ["input", "name"], **(norway | {"name": "x" * 201})
    )
    await _refused(
        client,
        LEGISLATURE_RECORD,
        "DUPLICATE_LEGISLATURE",
        ["input", "country"],
        country="GE",
        name="Parliament",
        chambers=1,
        illustrative=True,
    )

    chamber = {"country": "GB", "kind": "LOWER", "name": "House of Commons", "illustrative": True}
    await _refused(
        client,
        CHAMBER_RECORD,
        "UNKNOWN_COUNTRY",
        ["input", "country"],
        **(chamber | {"country": "XXX"}),
    )
    await _refused(
        client, CHAMBER_RECORD, "NOT_FOUND", ["input", "country"], **(chamber | {"country": "ID"})
    )
    await _refused(
        client,
        CHAMBER_RECORD,
        "CHAMBER_KIND_MISMATCH",
        ["input", "kind"],
        **(chamber | {"kind": "UNICAMERAL"}),
    )
    await _refused(client, CHAMBER_RECORD, "DUPLICATE_CHAMBER", ["input", "kind"], **chamber)
    for bad in ("www.parliament.uk", "ftp://parliament.uk", "https://", "https://a b.uk"):
        await _refused(
            client,
            CHAMBER_RECORD,
            "INVALID_URL",
            ["input", "website"],
            **(chamber | {"website": bad, "replace": True}),
        )
    await _refused(
        client,
        CHAMBER_RECORD,
        "REQUIRED",
        ["input", "name"],
        **(chamber | {"name": "", "replace": True}),
    )

    for bad_id in ("not-an-id", ids["Mzalendo Trust"]):
        await _refused(client, CHAMBER_REMOVE, "NOT_FOUND", ["input", "id"], id=bad_id)

    assert await client.execute(SNAPSHOT) == before


# --- opennessIndicatorRecord --------------------------------------------------------------------


async def test_openness_indicator_record_inserts_corrects_and_rechecks(
    client: GraphQLClient,
) -> None:
    ids = await _ids(client)
    new = await _run(
        client,
        INDICATOR_RECORD,
        chamberId=ids["GB UPPER"],
        indicator="COMMITTEE_RECORDS",
        status="PARTIAL",
        evidenceUrl="https://committees.parliament.uk",
        checkedOn="2024-06-03",
        note="  Oral evidence published; some committees lag.  ",
    )
    assert new["userErrors"] == []
    assert new["opennessIndicator"] | {"id": None} == {
        "id": None,
        "indicator": "COMMITTEE_RECORDS",
        "status": "PARTIAL",
        "evidenceUrl": "https://committees.parliament.uk",
        "checkedOn": "2024-06-03",
        "note": "Oral evidence published; some committees lag.",
        "chamber": {"name": "House of Lords"},
    }

    # a newer check replaces the recorded one (same row)
    newer = await _run(
        client,
        INDICATOR_RECORD,
        chamberId=ids["GE"],
        indicator="API",
        status="YES",
        evidenceUrl="https://parliament.ge/api",
        checkedOn="2024-09-01",
    )
    assert newer["userErrors"] == []
    # a correction on the same day is allowed too
    fixed = await _run(
        client,
        INDICATOR_RECORD,
        chamberId=ids["GE"],
        indicator="API",
        status="PARTIAL",
        evidenceUrl="https://parliament.ge/api",
        checkedOn="2024-09-01",
        note="Only bills are served.",
    )
    assert fixed["userErrors"] == []
    assert fixed["opennessIndicator"]["id"] == newer["opennessIndicator"]["id"]
    georgia = await _indicators(client, "GE")
    assert len(georgia) == 7
    assert georgia["API"] == {
        "indicator": "API",
        "status": "PARTIAL",
        "evidenceUrl": "https://parliament.ge/api",
        "checkedOn": "2024-09-01",
        "note": "Only bills are served.",
    }


async def test_openness_indicator_errors_write_nothing(client: GraphQLClient) -> None:
    before = await client.execute(SNAPSHOT)
    ids = await _ids(client)
    check = {
        "chamberId": ids["GE"],
        "indicator": "VOTES_PUBLISHED",
        "status": "NO",
        "evidenceUrl": VOTES,
        "checkedOn": "2024-06-01",
    }
    for bad_id in ("bm9wZQ", ids["Mzalendo Trust"]):
        await _refused(
            client,
            INDICATOR_RECORD,
            "NOT_FOUND",
            ["input", "chamberId"],
            **(check | {"chamberId": bad_id}),
        )
    for bad in ("parliament.ge/votes", "mailto:info@parliament.ge", ""):
        await _refused(
            client,
            INDICATOR_RECORD,
            "INVALID_URL",
            ["input", "evidenceUrl"],
            **(check | {"evidenceUrl": bad}),
        )
    await _refused(
        client,
        INDICATOR_RECORD,
        "TOO_LONG",
        ["input", "evidenceUrl"],
        **(check | {"evidenceUrl": "https://parliament.ge/" + "v" * 500}),
    )
    await _refused(
        client,
        INDICATOR_RECORD,
        "DATE_IN_FUTURE",
        ["input", "checkedOn"],
        **(check | {"checkedOn": FUTURE}),
    )
    # the demo's check of VOTES_PUBLISHED is of 2024-03-04: an older one cannot replace it
    await _refused(
        client,
        INDICATOR_RECORD,
        "CHECKED_BEFORE_LAST_CHECK",
        ["input", "checkedOn"],
        **(check | {"checkedOn": "2024-03-03"}),
    )
    await _refused(
        client, INDICATOR_RECORD, "TOO_LONG", ["input", "note"], **(check | {"note": "n" * 501})
    )
    assert await client.execute(SNAPSHOT) == before


# --- endorsementRecord --------------------------------------------------------------------------


async def test_endorsement_record_and_correction(client: GraphQLClient) -> None:
    ids = await _ids(client)
    congress = ids["Congress of Chile (Chamber of Deputies)"]
    created = await _run(
        client,
        ENDORSEMENT_RECORD,
        organizationId=congress,
        endorsedOn="2016-01-20",
        sourceUrl="https://www.openingparliament.org/declaration/",
        retrievedOn="2026-11-30",
    )
    assert created["userErrors"] == []
    assert created["endorsement"]["organization"] == {
        "name": "Congress of Chile (Chamber of Deputies)"
    }
    assert (created["endorsement"]["endorsedOn"], created["endorsement"]["note"]) == (
        "2016-01-20",
        None,
    )

    corrected = await _run(
        client,
        ENDORSEMENT_RECORD,
        organizationId=ids["Mzalendo Trust"],
        endorsedOn="2012-09-15",
        note="Endorsed at the launch.",
        illustrative=True,
        replace=True,
    )
    assert corrected["userErrors"] == []
    data = await client.execute(
        """{ declarationEndorsements(filter: {country: "KE"}) {
               nodes { endorsedOn note } totalCount } }"""
    )
    assert data["declarationEndorsements"] == {
        "nodes": [{"endorsedOn": "2012-09-15", "note": "Endorsed at the launch."}],
        "totalCount": 1,
    }
    # the launch day itself is a valid date; so is today
    today = datetime.now(UTC).date().isoformat()
    sunlight = {"organizationId": ids["Sunlight Foundation"], "replace": True, "illustrative": True}
    assert _codes(await _run(client, ENDORSEMENT_RECORD, endorsedOn=today, **sunlight)) == []


async def test_endorsement_errors_write_nothing(client: GraphQLClient) -> None:
    before = await client.execute(SNAPSHOT)
    ids = await _ids(client)
    okf = {
        "organizationId": ids["Open Knowledge Foundation"],
        "endorsedOn": "2013-03-01",
        "illustrative": True,
    }

    for bad_id in ("bm9wZQ", ids["GE"]):
        await _refused(
            client,
            ENDORSEMENT_RECORD,
            "NOT_FOUND",
            ["input", "organizationId"],
            **(okf | {"organizationId": bad_id}),
        )
    # Not illustrative: a source needs its retrieval date.
    await _refused(
        client,
        ENDORSEMENT_RECORD,
        "SOURCE_REQUIRED",
        ["input", "retrievedOn"],
        **(okf | {"illustrative": False, "sourceUrl": "https://www.openingparliament.org/"}),
    )
    await _refused(
        client,
        ENDORSEMENT_RECORD,
        "DATE_IN_FUTURE",
        ["input", "endorsedOn"],
        **(okf | {"endorsedOn": FUTURE}),
    )
    await _refused(
        client,
        ENDORSEMENT_RECORD,
        "INVALID_URL",
        ["input", "sourceUrl"],
        **(okf | {"sourceUrl": "openingparliament.org"}),
    )
    await _refused(
        client,
        ENDORSEMENT_RECORD,
        "DUPLICATE_ENDORSEMENT",
        ["input", "organizationId"],
        organizationId=ids["National Democratic Institute (NDI)"],
        endorsedOn="2013-01-01",
        illustrative=True,
    )
    assert await client.execute(SNAPSHOT) == before


# --- parliamentaryMonitoringOrganizationRecord --------------------------------------------------


async def test_monitoring_organization_record_and_correction(client: GraphQLClient) -> None:
    ids = await _ids(client)
    created = await _run(
        client,
        PMO_RECORD,
        organizationId=ids["Open Knowledge Foundation"],
        country="GB",
        scope="INSTITUTION",
        website="https://www.theyworkforyou.com",
        illustrative=True,
    )
    assert created["userErrors"] == []
    assert created["monitoringOrganization"] | {"id": None} == {
        "id": None,
        "scope": "INSTITUTION",
        "website": "https://www.theyworkforyou.com",
        "organization": {"name": "Open Knowledge Foundation"},
        "legislature": {"name": "Parliament of the United Kingdom"},
    }
    corrected = await _run(
        client,
        PMO_RECORD,
        organizationId=ids["Mzalendo Trust"],
        country="KE",
        scope="MEMBERS",
        illustrative=True,
        replace=True,
    )
    assert corrected["userErrors"] == []
    data = await client.execute(
        """{ parliamentaryMonitoringOrganizations(first: 10) {
               nodes { scope organization { name } } } }"""
    )
    nodes = data["parliamentaryMonitoringOrganizations"]["nodes"]
    assert [(n["organization"]["name"], n["scope"]) for n in nodes] == [
        ("Fundación Ciudadano Inteligente", "MEMBERS"),
        ("Mzalendo Trust", "MEMBERS"),
        ("Open Knowledge Foundation", "INSTITUTION"),
        ("Sunlight Foundation", "MEMBERS_AND_INSTITUTION"),
    ]


async def test_monitoring_organization_errors_write_nothing(client: GraphQLClient) -> None:
    before = await client.execute(SNAPSHOT)
    ids = await _ids(client)
    okf = {"organizationId": ids["Open Knowledge Foundation"], "country": "GB", "scope": "MEMBERS"}
    await _refused(
        client,
        PMO_RECORD,
        "SOURCE_REQUIRED",
        ["input", "sourceUrl"],
        **(okf | {"retrievedOn": "2026-11-30"}),
    )
    okf["illustrative"] = True
    await _refused(
        client,
        PMO_RECORD,
        "NOT_FOUND",
        ["input", "organizationId"],
        **(okf | {"organizationId": "bm9wZQ"}),
    )
    await _refused(
        client, PMO_RECORD, "UNKNOWN_COUNTRY", ["input", "country"], **(okf | {"country": "QQ"})
    )
    await _refused(
        client, PMO_RECORD, "NOT_FOUND", ["input", "country"], **(okf | {"country": "NO"})
    )
    await _refused(
        client,
        PMO_RECORD,
        "INVALID_URL",
        ["input", "website"],
        **(okf | {"website": "javascript:alert(1)"}),
    )
    await _refused(
        client,
        PMO_RECORD,
        "DUPLICATE_PMO",
        ["input", "organizationId"],
        organizationId=ids["Mzalendo Trust"],
        country="KE",
        scope="MEMBERS",
        illustrative=True,
    )
    assert await client.execute(SNAPSHOT) == before


# --- the database holds the invariants on its own -----------------------------------------------


async def test_database_refuses_chambers_that_do_not_fit(demo_db: str) -> None:
    """Even a writer that skips the mutations cannot give a legislature a third chamber, a
    chamber of the wrong kind, or change its structure under its chambers."""
    db = Database(demo_db)
    georgia = """(SELECT l.id FROM open_parliaments_legislatures l
                  JOIN countries c ON c.id = l.country_id WHERE c.alpha2 = 'GE')"""
    kenya = georgia.replace("'GE'", "'KE'")
    statements = [
        # a LOWER chamber in a unicameral legislature
        f"INSERT INTO open_parliaments_chambers (legislature_id, legislature_chambers, kind, name)"
        f" VALUES ({georgia}, 1, 'LOWER', 'x')",
        # ... or claiming the legislature is bicameral when it is not
        f"INSERT INTO open_parliaments_chambers (legislature_id, legislature_chambers, kind, name)"
        f" VALUES ({georgia}, 2, 'LOWER', 'x')",
        # a third chamber
        f"INSERT INTO open_parliaments_chambers (legislature_id, legislature_chambers, kind, name)"
        f" VALUES ({kenya}, 2, 'UNICAMERAL', 'x')",
        # a second lower chamber
        f"INSERT INTO open_parliaments_chambers (legislature_id, legislature_chambers, kind, name)"
        f" VALUES ({kenya}, 2, 'LOWER', 'x')",
        # a bicameral Georgia while its UNICAMERAL chamber is there
        f"UPDATE open_parliaments_legislatures SET chambers = 2 WHERE id = {georgia}",
        "UPDATE open_parliaments_legislatures SET chambers = 3",
        "UPDATE open_parliaments_openness_indicators SET evidence_url = 'ftp://x'",
        # neither illustrative nor sourced (the demo's endorsements and PMOs have no source)
        "UPDATE open_parliaments_endorsements SET illustrative = FALSE",
        "UPDATE open_parliaments_pmos SET illustrative = FALSE",
        "UPDATE open_parliaments_openness_indicators SET illustrative = FALSE, retrieved_on = NULL",
    ]
    try:
        for statement in statements:
            with pytest.raises(IntegrityError):
                async with db.write() as conn:
                    await conn.execute(text(statement))
    finally:
        await db.dispose()


async def test_concurrent_records_of_the_same_thing_make_one(client: GraphQLClient) -> None:
    """Writers racing on the same natural key: one wins, the others get the duplicate error
    (from the check, or from the unique constraint when they raced past it)."""
    ids = await _ids(client)
    endorsement = {
        "organizationId": ids["Open Knowledge Foundation"],
        "endorsedOn": "2014-05-05",
        "illustrative": True,
    }
    legislature = {"country": "NO", "name": "Storting", "chambers": 1, "illustrative": True}
    results = await asyncio.gather(
        *[_run(client, ENDORSEMENT_RECORD, **endorsement) for _ in range(4)],
        *[_run(client, LEGISLATURE_RECORD, **legislature) for _ in range(4)],
    )
    endorsements, legislatures = results[:4], results[4:]
    assert sorted(_codes(p) for p in endorsements) == [[]] + [["DUPLICATE_ENDORSEMENT"]] * 3
    assert sorted(_codes(p) for p in legislatures) == [[]] + [["DUPLICATE_LEGISLATURE"]] * 3
    data = await client.execute(
        """{ declarationEndorsements(filter: {country: "GB"}) { totalCount }
             legislatures(filter: {country: "NO"}) { totalCount } }"""
    )
    assert data["declarationEndorsements"]["totalCount"] == 1
    assert data["legislatures"]["totalCount"] == 1
