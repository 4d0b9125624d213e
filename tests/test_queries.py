"""Every root query and filter, over the demo data, through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.plugins import discover
from core.testing import GraphQLClient

PILOT = {
    "fiscal-openness",
    "open-data",
    "open-parliaments",
    "extractive-industries",
    "access-to-information",
}
BUILT_IN = ["access_to_info", "extractives", "fiscal_openness", "open_data", "open_parliaments"]
# enabled explicitly where a test counts the pilot groups: other installed plugins (a partner's,
# the example in CI) add groups of their own to the default configuration
PILOT_PLUGINS = {"plugins": {"enabled": BUILT_IN}}


async def test_themes_lists_enabled_plugins(client: GraphQLClient) -> None:
    data = await client.execute("{ themes { key title summary version } }")
    keys = [t["key"] for t in data["themes"]]
    assert keys == sorted(discover())  # the default: every installed plugin, by key
    assert set(BUILT_IN) <= set(keys)
    assert all(t["title"] and t["version"] for t in data["themes"])


async def test_working_groups_are_the_five_pilots(demo_db: str, make_client) -> None:
    client = make_client(demo_db, **PILOT_PLUGINS)
    data = await client.execute(
        # the five pilots; the demo's proposals (status PROPOSED, issue 9) are not groups at work
        """{ workingGroups(first: 50, filter: {status: [PILOT, ACTIVE]}) {
              totalCount
              nodes { slug name status theme __typename
                      anchors { role organization { kind country { code } } }
                      memberCount }
           } }"""
    )
    groups = data["workingGroups"]
    assert groups["totalCount"] == 5
    assert {g["slug"] for g in groups["nodes"]} == PILOT
    names = [g["name"] for g in groups["nodes"]]
    assert names == sorted(names)
    for group in groups["nodes"]:
        assert group["__typename"].endswith("Group") and group["__typename"] != "WorkingGroup"
        roles = {a["role"]: a["organization"]["kind"] for a in group["anchors"]}
        assert roles == {"GOVERNMENT": "GOVERNMENT", "CIVIL_SOCIETY": "CIVIL_SOCIETY"}
        assert group["memberCount"] > 0


async def test_working_groups_pagination(demo_db: str, make_client) -> None:
    client = make_client(demo_db, **PILOT_PLUGINS)
    seen: list[str] = []
    after = None
    while True:
        data = await client.execute(
            """query($after: String) { workingGroups(first: 2, after: $after,
                 filter: {status: [PILOT, ACTIVE]}) {
                 edges { cursor node { slug } } pageInfo { hasNextPage endCursor } } }""",
            {"after": after},
        )
        page = data["workingGroups"]
        seen += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 5 and set(seen) == PILOT


async def test_page_size_and_cursor_are_checked(client: GraphQLClient) -> None:
    too_many = await client.errors("{ workingGroups(first: 101) { totalCount } }")
    assert too_many[0]["extensions"]["code"] == "INVALID_ARGUMENT"
    bad_cursor = await client.errors('{ workingGroups(after: "zzz") { totalCount } }')
    assert bad_cursor[0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_working_group_filters(client: GraphQLClient) -> None:
    async def slugs(filter_: str) -> set[str]:
        data = await client.execute(
            f"{{ workingGroups(filter: {filter_}) {{ nodes {{ slug }} }} }}"
        )
        return {g["slug"] for g in data["workingGroups"]["nodes"]}

    assert await slugs('{theme: "open_data"}') == {"open-data"}
    assert await slugs("{status: [PILOT]}") == PILOT
    assert await slugs("{status: [RETIRED]}") == set()
    assert await slugs('{text: "PARLIAMENT"}') == {"open-parliaments"}
    assert await slugs('{text: "100%_"}') == set()  # LIKE wildcards are literal

    data = await client.execute(
        '{ workingGroup(slug: "open-data") { anchors { organization { country { code alpha3 } } } } }'
    )
    country = data["workingGroup"]["anchors"][0]["organization"]["country"]
    by_alpha2 = await slugs(f'{{country: "{country["code"]}"}}')
    assert "open-data" in by_alpha2
    assert await slugs(f'{{country: "{country["alpha3"].lower()}"}}') == by_alpha2


async def test_working_group_by_slug_and_node(client: GraphQLClient) -> None:
    data = await client.execute(
        '{ workingGroup(slug: "fiscal-openness") { id name theme } nope: workingGroup(slug: "x") { id } }'
    )
    group = data["workingGroup"]
    assert group["theme"] == "fiscal_openness"
    assert data["nope"] is None
    node = await client.execute(
        "query($id: ID!) { node(id: $id) { id ... on WorkingGroup { name } } }", {"id": group["id"]}
    )
    assert node["node"] == {"id": group["id"], "name": group["name"]}
    missing = await client.execute('{ node(id: "garbage") { id } }')
    assert missing["node"] is None


async def test_countries_and_country(client: GraphQLClient) -> None:
    data = await client.execute(
        "{ countries { code alpha3 name region ogpMemberSince actionPlanCycle } }"
    )
    countries = data["countries"]
    assert len(countries) >= 10
    assert [c["name"] for c in countries] == sorted(c["name"] for c in countries)
    uk = next(c for c in countries if c["code"] == "GB")
    assert uk["alpha3"] == "GBR" and uk["ogpMemberSince"] == "2011-09-20"

    region = uk["region"]
    regional = await client.execute(
        "query($r: String!) { countries(region: $r) { region } }", {"r": region}
    )
    assert {c["region"] for c in regional["countries"]} == {region}

    one = await client.execute(
        '{ a: country(code: "gb") { name organizations { name } workingGroups { slug } }'
        ' b: country(code: "GBR") { name } c: country(code: "ZZ") { name } }'
    )
    assert one["a"]["name"] == one["b"]["name"] == uk["name"]
    assert one["c"] is None


async def test_organizations_filters(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ all: organizations(first: 100) { totalCount nodes { kind country { code } } }
             gov: organizations(filter: {kind: [GOVERNMENT]}, first: 100) { nodes { kind } }
             gb: organizations(filter: {country: "GB"}, first: 100) { nodes { country { code } } }
           }"""
    )
    assert data["all"]["totalCount"] == len(data["all"]["nodes"]) > 0
    assert {o["kind"] for o in data["gov"]["nodes"]} == {"GOVERNMENT"}
    assert {o["country"]["code"] for o in data["gb"]["nodes"]} == {"GB"}

    orgs = await client.execute(
        """{ organizations(filter: {kind: [CIVIL_SOCIETY]}, first: 1) {
              nodes { name workingGroups { slug } people { name } } } }"""
    )
    org = orgs["organizations"]["nodes"][0]
    found = await client.execute(
        "query($t: String!) { organizations(filter: {text: $t}) { nodes { name } } }",
        {"t": org["name"][:6].lower()},
    )
    assert org["name"] in [o["name"] for o in found["organizations"]["nodes"]]


async def test_meetings_filters(client: GraphQLClient) -> None:
    now = datetime.now(UTC)
    data = await client.execute(
        """{ upcoming: meetings(filter: {upcoming: true}, first: 100) {
               totalCount nodes { startsAt endsAt group { slug } } }
             past: meetings(filter: {upcoming: false}, first: 100) { nodes { endsAt } }
             summit: meetings(filter: {summit: true}, first: 100) {
               nodes { kind isSummit timezone location startsAt } }
             webinars: meetings(filter: {kind: [WEBINAR]}, first: 100) { nodes { kind } }
             open: meetings(filter: {group: "open-data"}, first: 100) { nodes { group { slug } } }
             y2013: meetings(filter: {from: "2013-01-01T00:00:00Z", to: "2014-01-01T00:00:00Z"},
                             first: 100) { nodes { startsAt } }
           }"""
    )
    upcoming = data["upcoming"]["nodes"]
    assert upcoming, "demo data always has upcoming meetings"
    assert all(datetime.fromisoformat(m["endsAt"]) >= now for m in upcoming)
    assert [m["startsAt"] for m in upcoming] == sorted(m["startsAt"] for m in upcoming)
    assert all(datetime.fromisoformat(m["endsAt"]) < now for m in data["past"]["nodes"])
    summit = data["summit"]["nodes"]
    assert summit and all(m["isSummit"] and m["kind"] == "IN_PERSON" for m in summit)
    assert any(
        m["startsAt"].startswith("2013-10") and m["timezone"] == "Europe/London" for m in summit
    )
    assert {m["kind"] for m in data["webinars"]["nodes"]} <= {"WEBINAR"}
    assert {m["group"]["slug"] for m in data["open"]["nodes"]} == {"open-data"}
    assert all(m["startsAt"].startswith("2013") for m in data["y2013"]["nodes"])
    assert data["y2013"]["nodes"]
    naive = await client.errors(
        '{ meetings(filter: {from: "2013-01-01T00:00:00"}) { totalCount } }'
    )
    assert naive[0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.signed_in("staff")  # registrations are private
async def test_group_meetings_and_registrations(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroups { nodes { slug
              meetings(filter: {upcoming: true}, first: 2) {
                nodes { title startsAt remainingPlaces capacity registeredCount
                        registrations(first: 100) { totalCount nodes { status person { name organization { name } } } } }
                pageInfo { hasNextPage } } } } }"""
    )
    for group in data["workingGroups"]["nodes"]:
        meetings = group["meetings"]["nodes"]
        assert len(meetings) <= 2
        assert [m["startsAt"] for m in meetings] == sorted(m["startsAt"] for m in meetings)
        for meeting in meetings:
            if meeting["capacity"] is not None:
                assert (
                    meeting["remainingPlaces"] == meeting["capacity"] - meeting["registeredCount"]
                )
            taken = [
                r
                for r in meeting["registrations"]["nodes"]
                if r["status"] in ("REGISTERED", "ATTENDED")
            ]
            assert len(taken) == meeting["registeredCount"]


async def test_person_email_is_never_public(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    """Anonymous callers get null for every e-mail; staff see them (who else does, and why:
    tests/test_access.py)."""
    query = "{ organizations { nodes { people { email } } } }"

    def emails(data: dict) -> list:
        return [p["email"] for o in data["organizations"]["nodes"] for p in o["people"]]

    anonymous = emails(await client.execute(query))
    assert anonymous and all(email is None for email in anonymous)
    staff = emails(await client.execute(query, token=role_tokens["staff"]))
    assert len(staff) == len(anonymous) and any(email is not None for email in staff)


async def test_get_requests_serve_queries_only(client: GraphQLClient) -> None:
    ok = await client.http.get("/graphql", params={"query": "{ themes { key } }"})
    assert ok.status_code == 200 and ok.json()["data"]["themes"]
    refused = await client.http.get(
        "/graphql",
        params={
            "query": 'mutation { anchorRemove(input: {groupId: "x", role: GOVERNMENT}) { anchor { role } } }'
        },
    )
    assert refused.status_code in (400, 405)


async def test_health_and_readiness(client: GraphQLClient) -> None:
    assert (await client.http.get("/healthz")).json() == {"status": "ok"}
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_readyz_reports_pending_migrations(empty_db: str, make_client, tmp_path) -> None:
    fresh = make_client(f"sqlite+aiosqlite:///{tmp_path / 'unmigrated.sqlite3'}")
    response = await fresh.http.get("/readyz")
    assert response.status_code == 503
    assert "core_0003" in response.json()["pendingMigrations"]


async def test_graphiql_page(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_request_errors_have_no_data_entry(client: GraphQLClient) -> None:
    response = await client.post("{ workingGroups { nope } }")
    body = response.json()
    assert "data" not in body and body["errors"]


async def test_cors_from_settings(demo_db: str, make_client) -> None:
    origin = "https://front.example.org"
    client = make_client(demo_db, cors_origins=[origin])
    preflight = await client.http.options(
        "/graphql",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.headers["access-control-allow-origin"] == origin
    other = await client.http.options(
        "/graphql",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.signed_in("staff")  # registrations are private
async def test_node_resolves_every_node_type(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroup(slug: "open-data") {
              id anchors { id organization { id country { id } people { id } } }
              members { id }
              meetings(first: 50) { nodes { id registrations { nodes { id } } } } } }"""
    )
    group = data["workingGroup"]
    anchor = group["anchors"][0]
    meeting = next(m for m in group["meetings"]["nodes"] if m["registrations"]["nodes"])
    ids = [
        group["id"],
        anchor["id"],
        anchor["organization"]["id"],
        anchor["organization"]["country"]["id"],
        anchor["organization"]["people"][0]["id"],
        group["members"][0]["id"],
        meeting["id"],
        meeting["registrations"]["nodes"][0]["id"],
    ]
    for global_id in ids:
        found = await client.execute(
            "query($id: ID!) { node(id: $id) { id __typename } }", {"id": global_id}
        )
        assert found["node"]["id"] == global_id, found
