"""Declared expertise (issue 10, section 1), over HTTP on both databases: declared by a person
or an organisation (one holder, once), found by topic, language, group and country, updated and
withdrawn, each with its user errors and refusals. Resources: tests/test_knowledge.py.
"""

from __future__ import annotations

from core.testing import GraphQLClient
from tests.test_knowledge import ERRORS, GROUP, NODE, ok, person_of, refused, tokens

DECLARE = f"""mutation($i: ExpertiseDeclareInput!) {{ expertiseDeclare(input: $i) {{
  expertise {{ id description topics languages countries {{ code }} person {{ name }}
  organization {{ name }} }} {ERRORS} }} }}"""
EXPERTISE_UPDATE = f"""mutation($i: ExpertiseUpdateInput!) {{ expertiseUpdate(input: $i) {{
  expertise {{ id description topics languages countries {{ code }} }} {ERRORS} }} }}"""
WITHDRAW = f"""mutation($id: ID!) {{ expertiseWithdraw(input: {{id: $id}}) {{
  withdrawnExpertiseId {ERRORS} }} }}"""
FIND = """query($f: ExpertiseFilter) { expertise(filter: $f, first: 100) {
  totalCount nodes { id person { name } organization { name } } } }"""


async def test_expertise(client: GraphQLClient, demo_db: str) -> None:
    t = await tokens(demo_db)
    person = await person_of(demo_db, "member")
    declared = {
        "personId": person,
        "description": "Open data portals",
        "topics": ["open-data", "Open-Contracting"],
        "languages": ["en", "SW"],
        "countries": ["ke", "KE"],
    }
    made = ok(
        (await client.execute(DECLARE, {"i": declared}, token=t["member"]))["expertiseDeclare"]
    )
    expertise = made["expertise"]
    assert expertise["topics"] == ["open-contracting", "open-data"]
    assert expertise["languages"] == ["en", "sw"] and expertise["countries"] == [{"code": "KE"}]
    assert expertise["person"] == {"name": "Wanjiru Kamau"} and expertise["organization"] is None
    again = (await client.execute(DECLARE, {"i": declared}, token=t["member"]))["expertiseDeclare"]
    refused(again, "EXPERTISE_DECLARED", "personId")
    both = declared | {"organizationId": "T3JnYW5pemF0aW9uOjE"}
    answer = (await client.execute(DECLARE, {"i": both}, token=t["staff"]))["expertiseDeclare"]
    refused(answer, "ONE_HOLDER_REQUIRED", "personId")
    no_topic = declared | {"topics": []}
    answer = (await client.execute(DECLARE, {"i": no_topic}, token=t["staff"]))["expertiseDeclare"]
    refused(answer, "REQUIRED", "topics")
    # for another person, or another organisation: refused
    body = (await client.post(DECLARE, {"i": declared}, token=t["other"])).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # the person and the organisation appear on their own types, and are found
    data = await client.execute(
        "query($p: ID!) { node(id: $p) { ... on Person { expertise { id } } } }", {"p": person}
    )
    assert data["node"]["expertise"] == {"id": expertise["id"]}
    found = await client.execute(FIND, {"f": {"topic": "open-contracting", "language": "en"}})
    names = {n["person"]["name"] for n in found["expertise"]["nodes"] if n["person"]}
    assert names == {"Wanjiru Kamau", "Martin Pereira"}
    group = (await client.execute(GROUP))["workingGroup"]["id"]
    found = await client.execute(FIND, {"f": {"group": group, "country": "KE"}})
    assert {n["organization"]["name"] if n["organization"] else n["person"]["name"]
            for n in found["expertise"]["nodes"]} == {
        "Government of Kenya (ICT Authority)", "Wanjiru Kamau"
    }  # fmt: skip
    changed = {"id": expertise["id"], "description": "Portals and contracts", "languages": []}
    updated = await client.execute(EXPERTISE_UPDATE, {"i": changed}, token=t["member"])
    updated = ok(updated["expertiseUpdate"])["expertise"]
    assert updated["description"] == "Portals and contracts" and updated["languages"] == []
    assert updated["topics"] == ["open-contracting", "open-data"]
    body = (await client.post(WITHDRAW, {"id": expertise["id"]}, token=t["other"])).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    gone = await client.execute(WITHDRAW, {"id": expertise["id"]}, token=t["member"])
    assert ok(gone["expertiseWithdraw"])["withdrawnExpertiseId"] == expertise["id"]
    assert (await client.execute(NODE, {"id": expertise["id"]}))["node"] is None
