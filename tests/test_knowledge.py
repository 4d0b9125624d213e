"""Resources (issue 10, section 1), over HTTP on both databases.

Drafts: seen by their authors (the person who shared it, their organisation's people), the
group's anchors and staff; for everyone else absent from every list and count, and `node(id:)`
answers null as for an ID that names nothing. Published resources are public. Each mutation's
success, user errors and refusal. Declared expertise: tests/test_knowledge_expertise.py; the
database's own guards: tests/test_knowledge_database.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from core.auth.staff import find_person
from core.auth.tokens import issue_token
from core.db import Database, utcnow
from core.demo import DEMO_ROLES
from core.errors import Rejected
from core.knowledge import checks
from core.knowledge.demo_data import RESOURCES
from core.knowledge.vocabulary import LICENCES
from core.schema.ids import to_global_id
from core.testing import GraphQLClient, token_for

ERRORS = "userErrors { code field message }"
FIELDS = """id title status kind languages tags url body licence source publishedAt illustrative
  countries { code } commitments { reference } groups { slug } group { slug }
  organization { name } createdBy { name }"""
CREATE = f"""mutation($i: ResourceCreateInput!) {{ resourceCreate(input: $i) {{
  resource {{ {FIELDS} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($i: ResourceUpdateInput!) {{ resourceUpdate(input: $i) {{
  resource {{ {FIELDS} }} {ERRORS} }} }}"""
PUBLISH = f"""mutation($id: ID!) {{ resourcePublish(input: {{id: $id}}) {{
  resource {{ id status publishedAt }} {ERRORS} }} }}"""
DELETE = f"""mutation($id: ID!) {{ resourceDelete(input: {{id: $id}}) {{
  deletedResourceId {ERRORS} }} }}"""
LIST = """query($f: ResourceFilter) { resources(filter: $f, first: 100) {
  totalCount nodes { id title status } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Resource { title status } } }"
GROUP = """{ workingGroup(slug: "open-data") { id resources(first: 100) {
  totalCount nodes { id title status } } } }"""
DRAFT = next(r.title for r in RESOURCES if r.published is None)
PUBLISHED = sum(1 for r in RESOURCES if r.published is not None)


async def person_of(url: str, role: str) -> str:
    """The global ID of the demo person of `role`."""
    db = Database(url)
    try:
        async with db.read() as conn:
            pk, _ = await find_person(conn, DEMO_ROLES[role])
    finally:
        await db.dispose()
    return to_global_id("Person", pk)


async def tokens(url: str) -> dict[str, str]:
    return {role: await token_for(url, role) for role in ("staff", "anchor", "member", "other")}


PEER = "oliver.hughes@example.org"
"""A person of another member organisation of the open data group (the Open Knowledge
Foundation, core/demo.py), neither of the draft's authors nor of its anchors."""


async def token_of(url: str, email: str) -> tuple[str, str]:
    """A new bearer token (read + write, a day) for the demo person with `email`, and the
    person's global ID."""
    db = Database(url)
    try:
        async with db.write() as conn:
            pk, _ = await find_person(conn, email)
            expires_at = utcnow() + timedelta(days=1)
            issued = await issue_token(conn, pk, expires_at=expires_at, name="test: peer")
    finally:
        await db.dispose()
    return issued.token, to_global_id("Person", pk)


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def refused(payload: dict[str, Any], code: str, field: str) -> None:
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, ["input", field])]
    assert all(v is None for k, v in payload.items() if k != "userErrors"), payload


async def draft_id(client: GraphQLClient, token: str) -> str:
    data = await client.execute(LIST, {"f": {"status": "DRAFT"}}, token=token)
    return str(next(n["id"] for n in data["resources"]["nodes"] if n["title"] == DRAFT))


async def test_a_draft_is_seen_by_its_authors_and_anchors_only(
    client: GraphQLClient, demo_db: str
) -> None:
    t = await tokens(demo_db)
    draft = await draft_id(client, t["member"])  # Kenya's ICT Authority, shared by Wanjiru Kamau
    # the peer's organisation is a member of the draft's group, not one of its anchors
    t["peer"], peer = await token_of(demo_db, PEER)
    who_is = await client.execute(
        """query($p: ID!) { node(id: $p) { ... on Person { organization { name } } }
             workingGroup(slug: "open-data") { members(first: 100) { role organization { name } }
             anchors { organization { name } } } }""",
        {"p": peer},
        token=t["peer"],
    )
    peer_organisation = who_is["node"]["organization"]["name"]
    assert peer_organisation == "Open Knowledge Foundation"
    group_of = who_is["workingGroup"]
    assert {"role": "MEMBER", "organization": {"name": peer_organisation}} in group_of["members"]
    assert peer_organisation not in [a["organization"]["name"] for a in group_of["anchors"]]
    for who in ("member", "anchor", "staff"):
        data = await client.execute(LIST, token=t[who])
        assert data["resources"]["totalCount"] == PUBLISHED + 1, who
        assert draft in [n["id"] for n in data["resources"]["nodes"]]
        assert (await client.execute(NODE, {"id": draft}, token=t[who]))["node"]["status"] == (
            "DRAFT"
        )
        group = (await client.execute(GROUP, token=t[who]))["workingGroup"]["resources"]
        assert draft in [n["id"] for n in group["nodes"]] and group["totalCount"] == 3
    missing = (await client.execute(NODE, {"id": "UmVzb3VyY2U6OTk5OTk"}))["node"]
    for who in (None, "other", "peer"):
        token = t[who] if who else None
        data = await client.execute(LIST, token=token)
        assert data["resources"]["totalCount"] == PUBLISHED, who
        assert all(n["status"] == "PUBLISHED" for n in data["resources"]["nodes"])
        assert draft not in [n["id"] for n in data["resources"]["nodes"]]
        assert (await client.execute(NODE, {"id": draft}, token=token))["node"] == missing is None
        group = (await client.execute(GROUP, token=token))["workingGroup"]["resources"]
        assert draft not in [n["id"] for n in group["nodes"]] and group["totalCount"] == 2
        drafts = await client.execute(LIST, {"f": {"status": "DRAFT"}}, token=token)
        assert drafts["resources"] == {"totalCount": 0, "nodes": []}
    # the draft's authors and the anchors may act on it; anyone else is refused as if it were
    # not there, whatever the mutation
    for who in ("other", "peer"):
        body = (await client.post(PUBLISH, {"id": draft}, token=t[who])).json()
        assert body["data"] == {"resourcePublish": None}
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = (await client.post(DELETE, {"id": draft})).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_filters(client: GraphQLClient) -> None:
    async def titles(**f: Any) -> set[str]:
        data = await client.execute(LIST, {"f": f})
        return {n["title"] for n in data["resources"]["nodes"]}

    assert await titles(language="es") == {
        r.title for r in RESOURCES if "es" in r.languages and r.published
    }
    assert await titles(language="FR") == {"Exigences de l'ITIE (Norme ITIE 2023)"}
    assert await titles(kind="DATASET") == {"Global Right to Information Rating"}
    assert await titles(tag="beneficial-ownership") == {
        "The EITI Requirements (2023 EITI Standard)",
        "Exigences de l'ITIE (Norme ITIE 2023)",
    }
    assert await titles(country="MN") == {
        "Star Reforms in the Open Government Partnership (2016)",
        "Star Reforms in the Open Government Partnership, second edition (2018)",
    }
    group = (await client.execute(GROUP))["workingGroup"]["id"]
    assert await titles(group=group) == {
        "International Open Data Charter: the six principles",
        "Star Reforms in the Open Government Partnership (2016)",  # shared with other groups
    }
    assert await titles(group="V29ya2luZ0dyb3VwOjk5OTk5") == set()
    kenya = await client.execute(
        """{ commitments(filter: {country: "KE"}, first: 10) { nodes { reference
             resources(first: 5) { totalCount nodes { title } } } } }"""
    )
    linked = {n["reference"]: n["resources"] for n in kenya["commitments"]["nodes"]}
    assert linked["KE0018"] == {
        "totalCount": 1,
        "nodes": [{"title": "The EITI Requirements (2023 EITI Standard)"}],
    }
    # and the other way: the commitments a resource concerns
    eiti = await client.execute(
        """{ resources(filter: {tag: "beneficial-ownership"}) { nodes { title
             commitments { id reference } } } }"""
    )
    concerned = {
        n["title"]: [c["reference"] for c in n["commitments"]] for n in eiti["resources"]["nodes"]
    }
    assert concerned == {
        "The EITI Requirements (2023 EITI Standard)": ["KE0018"],
        "Exigences de l'ITIE (Norme ITIE 2023)": [],
    }
    data = await client.execute(
        """{ resources(filter: {kind: DATASET}) { nodes { licence url source languages
             organization { name } countries { code } groups { slug } } } }"""
    )
    assert data["resources"]["nodes"] == [
        {
            "licence": "CC-BY-NC-SA-3.0",
            "url": "https://www.rti-rating.org/",
            "source": next(r.source for r in RESOURCES if r.kind.value == "DATASET"),
            "languages": ["en"],
            "organization": {"name": "Access Info Europe"},
            "countries": [{"code": "MX"}, {"code": "ES"}, {"code": "GB"}],
            "groups": [{"slug": "access-to-information"}],
        }
    ]


async def test_create_update_publish_delete(client: GraphQLClient, demo_db: str) -> None:
    t = await tokens(demo_db)
    group = (await client.execute(GROUP))["workingGroup"]["id"]
    plans = await client.execute(
        """{ commitments(filter: {country: "CL"}, first: 10) { nodes { id reference } } }"""
    )
    chile = {n["reference"]: n["id"] for n in plans["commitments"]["nodes"]}
    new = {
        "groupId": group,
        "kind": "LESSON_LEARNED",
        "title": " Portal lessons ",
        "summary": "What we learnt",
        "licence": "cc-by-4.0",
        "languages": ["EN", "es", "en"],
        "tags": ["Open-Data", "open-data"],
        "countries": ["ke"],
        "commitmentIds": [chile["CL0033"], chile["CL0061"], chile["CL0033"]],
        "body": "Name an owner for each dataset.",
    }
    created = ok((await client.execute(CREATE, {"i": new}, token=t["member"]))["resourceCreate"])
    resource = created["resource"]
    assert resource["status"] == "DRAFT" and resource["publishedAt"] is None
    assert (resource["title"], resource["licence"]) == ("Portal lessons", "CC-BY-4.0")
    assert (resource["languages"], resource["tags"]) == (["en", "es"], ["open-data"])
    assert resource["countries"] == [{"code": "KE"}] and resource["url"] is None
    # the commitments it concerns, the newest cycle first (Chile's 2018-2020 plan, then 2016-2018), once each
    assert resource["commitments"] == [{"reference": "CL0061"}, {"reference": "CL0033"}]
    assert resource["organization"] == {"name": "Government of Kenya (ICT Authority)"}
    assert resource["createdBy"] == {"name": "Wanjiru Kamau"}
    assert resource["groups"] == [{"slug": "open-data"}] == [resource["group"]]
    rid = resource["id"]
    assert (await client.execute(NODE, {"id": rid}, token=t["other"]))["node"] is None

    # the group's anchor edits it (a link added, the text removed, another group)
    fiscal = await client.execute('{ workingGroup(slug: "fiscal-openness") { id } }')
    edit = {
        "id": rid,
        "url": "https://example.org/lessons",
        "body": "",
        "groupIds": [fiscal["workingGroup"]["id"]],
        "tags": [],
        "commitmentIds": [chile["CL0040"]],
    }
    updated = ok((await client.execute(UPDATE, {"i": edit}, token=t["anchor"]))["resourceUpdate"])
    assert updated["resource"]["body"] is None and updated["resource"]["tags"] == []
    assert updated["resource"]["url"] == "https://example.org/lessons"
    assert updated["resource"]["commitments"] == [{"reference": "CL0040"}]
    assert [g["slug"] for g in updated["resource"]["groups"]] == ["open-data", "fiscal-openness"]
    refused(
        (await client.execute(UPDATE, {"i": {"id": rid, "url": ""}}, token=t["member"]))[
            "resourceUpdate"
        ],
        "LINK_OR_BODY_REQUIRED",
        "url",
    )

    answer = await client.execute(PUBLISH, {"id": rid}, token=t["member"])
    published = ok(answer["resourcePublish"])["resource"]
    assert published["status"] == "PUBLISHED" and published["publishedAt"]
    assert (await client.execute(NODE, {"id": rid}))["node"]["status"] == "PUBLISHED"
    feed = await client.execute(
        '{ workingGroup(slug: "open-data") { activity(first: 1) { nodes { verb summary } } } }'
    )
    assert feed["workingGroup"]["activity"]["nodes"] == [
        {"verb": "RESOURCE_PUBLISHED", "summary": "Resource 'Portal lessons' was published"}
    ]
    again = (await client.execute(PUBLISH, {"id": rid}, token=t["member"]))["resourcePublish"]
    refused(again, "ALREADY_PUBLISHED", "id")
    # its authors no longer remove it; the group's anchors do
    gone = (await client.execute(DELETE, {"id": rid}, token=t["member"]))["resourceDelete"]
    refused(gone, "RESOURCE_PUBLISHED", "id")
    gone = (await client.execute(DELETE, {"id": rid}, token=t["anchor"]))["resourceDelete"]
    assert ok(gone)["deletedResourceId"] == rid
    assert (await client.execute(NODE, {"id": rid}, token=t["staff"]))["node"] is None
    gone = (await client.execute(DELETE, {"id": rid}, token=t["staff"]))["resourceDelete"]
    refused(gone, "NOT_FOUND", "id")
    # a draft its author deletes
    created = ok((await client.execute(CREATE, {"i": new}, token=t["member"]))["resourceCreate"])
    draft = created["resource"]["id"]
    gone = (await client.execute(DELETE, {"id": draft}, token=t["member"]))["resourceDelete"]
    assert ok(gone)["deletedResourceId"] == draft


async def test_create_user_errors_and_refusals(client: GraphQLClient, demo_db: str) -> None:
    t = await tokens(demo_db)
    group = (await client.execute(GROUP))["workingGroup"]["id"]
    base = {
        "groupId": group,
        "kind": "GUIDE",
        "title": "Guide",
        "summary": "Summary",
        "licence": "CC0-1.0",
        "languages": ["en"],
        "url": "https://example.org/guide",
    }
    cases = [
        ({"licence": "All rights reserved"}, "INVALID_LICENCE", "licence"),
        ({"url": None}, "LINK_OR_BODY_REQUIRED", "url"),
        ({"url": "ftp://example.org/guide"}, "INVALID_URL", "url"),
        ({"languages": []}, "REQUIRED", "languages"),
        ({"languages": ["english"]}, "UNKNOWN_LANGUAGE", "languages"),
        ({"tags": ["open data"]}, "INVALID_TOPIC", "tags"),
        ({"countries": ["XX"]}, "UNKNOWN_COUNTRY", "countries"),
        ({"commitmentIds": ["Q29tbWl0bWVudDo5OTk5OQ"]}, "NOT_FOUND", "commitmentIds"),
        ({"title": "  "}, "REQUIRED", "title"),
        ({"groupId": "V29ya2luZ0dyb3VwOjk5OTk5"}, "NOT_FOUND", "groupId"),
    ]
    for change, code, field in cases:
        answer = await client.execute(CREATE, {"i": base | change}, token=t["staff"])
        refused(answer["resourceCreate"], code, field)
    total = (await client.execute(LIST, token=t["staff"]))["resources"]["totalCount"]
    assert total == PUBLISHED + 1  # nothing written
    # someone of no member organisation of the group, and anonymous
    body = (await client.post(CREATE, {"i": base}, token=t["other"])).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] == {"resourceCreate": None}
    body = (await client.post(CREATE, {"i": base})).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # a member shares only for their own organisation
    other_org = await client.execute("{ organizations(first: 1) { nodes { id } } }")
    named = base | {"organizationId": other_org["organizations"]["nodes"][0]["id"]}
    body = (await client.post(CREATE, {"i": named}, token=t["member"])).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@given(st.text(max_size=20))
def test_a_licence_is_accepted_exactly_when_spdx_lists_it(text: str) -> None:
    known = {code.lower(): code for code in LICENCES}
    try:
        accepted = checks.licence(text)
    except Rejected as rejected:
        assert text.strip().lower() not in known
        assert rejected.errors[0].code == "INVALID_LICENCE"
    else:
        assert accepted == known[text.strip().lower()]


async def test_a_resource_at_home_in_a_disabled_plugins_group_is_hidden_everywhere(
    demo_db: str, make_client: Any
) -> None:
    """A resource whose home group is a disabled plugin's group is hidden as `node(id:)` hides
    it from every list that reaches it: another group's resources, a commitment's."""
    db = Database(demo_db)
    try:
        async with db.engine.begin() as conn:
            (resource,), *_ = (
                await conn.execute(
                    text(
                        "SELECT r.id FROM resources r JOIN working_groups g ON "
                        "g.id = r.group_id WHERE g.theme = 'open_data' AND r.status = "
                        "'PUBLISHED' ORDER BY r.id"
                    )
                )
            ).all()
            (other,) = (
                await conn.execute(
                    text("SELECT min(id) FROM working_groups WHERE theme <> 'open_data'")
                )
            ).one()
            await conn.execute(
                text("INSERT INTO resource_groups (resource_id, group_id) VALUES (:r, :g)"),
                {"r": resource, "g": other},
            )
            commitment = (await conn.execute(text("SELECT min(id) FROM commitments"))).scalar_one()
            await conn.execute(
                text(
                    "INSERT INTO resource_commitments (resource_id, commitment_id) "
                    "SELECT :r, :c WHERE NOT EXISTS (SELECT 1 FROM resource_commitments "
                    "WHERE resource_id = :r AND commitment_id = :c)"
                ),
                {"r": resource, "c": commitment},
            )
    finally:
        await db.dispose()
    query = """query($g: ID!, $c: ID!, $r: ID!) {
      group: node(id: $g) { ... on WorkingGroup { resources(first: 100) { totalCount nodes { id } } } }
      commitment: node(id: $c) { ... on Commitment { resources(first: 100) { totalCount nodes { id } } } }
      resource: node(id: $r) { id } }"""
    ids = {
        "g": to_global_id("WorkingGroup", other),
        "c": to_global_id("Commitment", commitment),
        "r": to_global_id("Resource", resource),
    }
    gid = ids["r"]
    seen = await make_client(demo_db).execute(query, ids)
    assert seen["resource"] == {"id": gid}
    for parent in ("group", "commitment"):
        assert gid in {n["id"] for n in seen[parent]["resources"]["nodes"]}, parent
    hidden = await make_client(demo_db, plugins={"disabled": ["open_data"]}).execute(query, ids)
    assert hidden["resource"] is None
    for parent in ("group", "commitment"):
        nodes = hidden[parent]["resources"]["nodes"]
        assert gid not in {n["id"] for n in nodes}, parent
        assert (
            hidden[parent]["resources"]["totalCount"]
            == len(nodes)
            == (seen[parent]["resources"]["totalCount"] - 1)
        )
