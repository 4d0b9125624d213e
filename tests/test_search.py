"""core/search: `search(query, filter, first, after)` over HTTP GraphQL, on SQLite and PostgreSQL.

The data: the demo, plus groups written by raw SQL (so the index is shown to follow writes that
skip the services) with made-up words ("zorblax", "quintor") that no stemmer changes differently
on the two databases, so the expected answers are written out once and hold on both.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from core.db import Database
from core.schema.ids import to_global_id
from core.testing import ClientFactory
from tests.server_process import OGP_WG, server_env

SEARCH = """
query Search($query: String!, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { kind score language snippet
      node { __typename id ... on WorkingGroup { name } ... on PriorityArea { title }
        ... on Resource { title status } ... on Expertise { description } } } }
  }
}
"""

GROUPS = (
    # slug, name, summary, description
    ("zq-both-title", "Zorblax and quintor", "A summary.", "Nothing else."),
    ("zq-title-body", "Zorblax registry", "On quintor data.", ""),
    ("zq-body", "Open registers", "Zorblax and quintor in the text only.", ""),
    ("zq-one", "Zorblax alone", "", ""),
    ("zq-accent", "Índice de apertura", "Un índice <script>x</script> & más", ""),
)


async def _sql(url: str, *statements: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.write() as conn:
            rows: list[Any] = []
            for statement in statements:
                result = await conn.execute(text(statement))
                if result.returns_rows:
                    rows = list(result.all())
            return rows
    finally:
        await db.dispose()


def _insert_group(slug: str, name: str, summary: str, description: str, theme: str) -> str:
    q = lambda s: s.replace("'", "''")  # noqa: E731
    return (
        "INSERT INTO working_groups (slug, name, theme, summary, description, status, created_at, "
        f"updated_at) VALUES ('{slug}', '{q(name)}', '{theme}', '{q(summary)}', '{q(description)}', "
        "'PROPOSED', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
    )


async def _world(url: str) -> dict[str, int]:
    """The demo plus the GROUPS (theme open_data); {slug: id}."""
    await _sql(url, *(_insert_group(*g, "open_data") for g in GROUPS))
    rows = await _sql(url, "SELECT slug, id FROM working_groups WHERE slug LIKE 'zq-%'")
    return {slug: pk for slug, pk in rows}


async def _hits(client: Any, query: str, **variables: Any) -> list[tuple[str, str, int]]:
    data = await client.execute(SEARCH, {"query": query, **variables})
    return [
        (e["node"]["kind"], _label(e["node"]["node"]), e["node"]["score"])
        for e in data["search"]["edges"]
    ]


def _label(node: dict[str, Any]) -> str:
    return node.get("name") or node.get("title") or node.get("description") or ""


async def test_ranked_order_is_the_same_on_both_databases(
    demo_db: str, make_client: ClientFactory
) -> None:
    await _world(demo_db)
    client = make_client(demo_db)
    # 2 per word in the name, 1 per word in the text; ties: oldest first
    assert await _hits(client, "zorblax quintor") == [
        ("GROUP", "Zorblax and quintor", 4),
        ("GROUP", "Zorblax registry", 3),
        ("GROUP", "Open registers", 2),
    ]
    assert await _hits(client, "ZORBLAX") == [
        ("GROUP", "Zorblax and quintor", 2),
        ("GROUP", "Zorblax registry", 2),
        ("GROUP", "Zorblax alone", 2),
        ("GROUP", "Open registers", 1),
    ]


async def test_accents_and_case_fold(demo_db: str, make_client: ClientFactory) -> None:
    await _world(demo_db)
    client = make_client(demo_db)
    for query in ("indice", "INDICE", "índice", "Índice"):
        found = await _hits(client, query, filter={"kinds": ["GROUP"]})
        assert found == [("GROUP", "Índice de apertura", 3)], query


async def test_snippets_mark_matches_and_escape_the_rest(
    demo_db: str, make_client: ClientFactory
) -> None:
    await _world(demo_db)
    client = make_client(demo_db)
    data = await client.execute(SEARCH, {"query": "indice mas", "filter": {"kinds": ["GROUP"]}})
    (edge,) = data["search"]["edges"]
    snippet = edge["node"]["snippet"]
    assert "<mark>índice</mark>" in snippet and "<mark>más</mark>" in snippet, snippet
    # the text is escaped (PostgreSQL's ts_headline leaves HTML-like tags out; FTS5 keeps them)
    assert "&amp;" in snippet and "<script>" not in snippet and "</script>" not in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0, snippet
    assert edge["node"]["language"] == "en"


async def test_filters(demo_db: str, make_client: ClientFactory) -> None:
    ids = await _world(demo_db)
    client = make_client(demo_db)
    group = to_global_id("WorkingGroup", ids["zq-title-body"])
    # a priority area of a demo group, retitled by raw SQL; with a country
    area_id, group_id = (
        await _sql(demo_db, "SELECT id, group_id FROM priority_areas ORDER BY id LIMIT 1")
    )[0]
    await _sql(
        demo_db,
        f"UPDATE priority_areas SET title = 'Zorblax commitments' WHERE id = {area_id}",
        "INSERT INTO group_translations (group_id, language, original_language, name, "
        f"is_official, updated_at) VALUES ({ids['zq-one']}, 'es', 'en', 'Zorblax solo', false, "
        "'2024-01-01 00:00:00')",
        f"DELETE FROM priority_area_countries WHERE priority_area_id = {area_id}",
        "INSERT INTO priority_area_countries (priority_area_id, country_id) SELECT "
        f"{area_id}, id FROM countries WHERE alpha2 = 'KE'",
    )
    everything = await _hits(client, "zorblax")
    assert ("PRIORITY_AREA", "Zorblax commitments", 2) in everything
    assert await _hits(client, "zorblax", filter={"kinds": ["PRIORITY_AREA"]}) == [
        ("PRIORITY_AREA", "Zorblax commitments", 2)
    ]
    assert await _hits(client, "zorblax", filter={"groupId": group}) == [
        ("GROUP", "Zorblax registry", 2)
    ]
    area_group = to_global_id("WorkingGroup", group_id)
    assert await _hits(client, "zorblax", filter={"groupId": area_group}) == [
        ("PRIORITY_AREA", "Zorblax commitments", 2)
    ]
    assert await _hits(client, "zorblax", filter={"country": "KEN"}) == [
        ("PRIORITY_AREA", "Zorblax commitments", 2)
    ]
    # the Spanish translation is a document of its own: found in Spanish, one hit per group
    data = await client.execute(SEARCH, {"query": "zorblax", "filter": {"language": "es"}})
    assert [
        (e["node"]["language"], _label(e["node"]["node"])) for e in data["search"]["edges"]
    ] == [("es", "Zorblax alone")]
    assert len(everything) == len({label for _, label, _ in everything})
    for bad in ({"groupId": "nope"}, {"country": "Kenya"}, {"language": "spanish"}):
        errors = await client.errors(SEARCH, {"query": "zorblax", "filter": bad})
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT", bad


async def test_every_page_completes(demo_db: str, make_client: ClientFactory) -> None:
    await _world(demo_db)
    client = make_client(demo_db)
    whole = await client.execute(SEARCH, {"query": "zorblax", "first": 100})
    expected = [e["node"]["node"]["id"] for e in whole["search"]["edges"]]
    for size in (1, 2, 3):
        seen: list[str] = []
        after = None
        while True:
            data = await client.execute(SEARCH, {"query": "zorblax", "first": size, "after": after})
            page = data["search"]
            assert page["totalCount"] == len(expected)
            seen += [e["node"]["node"]["id"] for e in page["edges"]]
            assert len(page["edges"]) == size or not page["pageInfo"]["hasNextPage"]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen == expected, size
    errors = await client.errors(SEARCH, {"query": "zorblax", "after": "forged"})
    assert errors[0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_groups_of_a_disabled_plugin_are_never_found(
    demo_db: str, make_client: ClientFactory
) -> None:
    ids = await _world(demo_db)
    await _sql(demo_db, _insert_group("zq-fiscal", "Zorblax budgets", "", "", "fiscal_openness"))
    assert ids
    enabled = make_client(demo_db)
    assert ("GROUP", "Zorblax budgets", 2) in await _hits(enabled, "zorblax")
    without = make_client(demo_db, plugins={"disabled": ["fiscal_openness"]})
    assert ("GROUP", "Zorblax budgets", 2) not in await _hits(without, "zorblax")
    assert await _hits(without, "budgets zorblax") == []


async def test_the_index_follows_raw_sql(demo_db: str, make_client: ClientFactory) -> None:
    ids = await _world(demo_db)
    client = make_client(demo_db)
    pk = ids["zq-one"]
    await _sql(demo_db, f"UPDATE working_groups SET name = 'Velmora alone' WHERE id = {pk}")
    assert ("GROUP", "Velmora alone", 2) in await _hits(client, "velmora")
    assert ("GROUP", "Velmora alone", 2) not in await _hits(client, "zorblax")
    await _sql(
        demo_db,
        "INSERT INTO group_translations (group_id, language, original_language, description, "
        f"is_official, updated_at) VALUES ({pk}, 'fr', 'en', 'Le grimpleur', false, "
        "'2024-01-01 00:00:00')",
    )
    assert await _hits(client, "grimpleur") == [("GROUP", "Velmora alone", 1)]
    await _sql(
        demo_db, f"UPDATE group_translations SET description = 'Autre' WHERE group_id = {pk}"
    )
    assert await _hits(client, "grimpleur") == []
    await _sql(demo_db, f"DELETE FROM working_groups WHERE id = {pk}")
    assert await _hits(client, "velmora") == []
    assert await _hits(client, "autre") == []


async def test_limits_and_wordless_queries(demo_db: str, make_client: ClientFactory) -> None:
    await _world(demo_db)
    client = make_client(demo_db)
    for query in ("x" * 201, " ".join(f"w{i}" for i in range(9))):
        errors = await client.errors(SEARCH, {"query": query})
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"
    assert await _hits(client, '"*:() -- ^') == []
    errors = await client.errors(SEARCH, {"query": "zorblax", "first": 101})
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


HOSTILE = st.text(
    alphabet=st.sampled_from(list("\"'*:^()-+{}[]\\;%_ \x00\x02\x03NEARORANDNOTzorblaxé€😀")),
    max_size=60,
) | st.text(max_size=60)


def test_no_query_string_gives_a_500(demo_db: str, make_client: ClientFactory) -> None:
    """Every string: an answer (hits or none) or INVALID_ARGUMENT, never a server error."""
    client = make_client(demo_db)
    loop = asyncio.new_event_loop()

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(HOSTILE)
    def check(query: str) -> None:
        response = loop.run_until_complete(client.post(SEARCH, {"query": query}))
        assert response.status_code == 200, response.text
        body = response.json()
        for error in body.get("errors", []):
            assert error["extensions"]["code"] == "INVALID_ARGUMENT", body
        if "errors" not in body:
            assert isinstance(body["data"]["search"]["edges"], list)

    try:
        check()
    finally:
        loop.run_until_complete(client.app.state.ogp.db.dispose())
        loop.close()


DRAFT_WORDS = "quarterly overdue"
"""Words of the demo's draft resource (the open data group's, by Kenya's ICT Authority)."""
NODE = "query Node($id: ID!) { node(id: $id) { id } }"


async def test_a_draft_is_found_only_by_who_may_read_it(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """For every viewer: the draft is a hit exactly when `node(id:)` answers it to them."""
    client = make_client(demo_db)
    (draft_id,) = (await _sql(demo_db, "SELECT id FROM resources WHERE status = 'DRAFT'"))[0]
    gid = to_global_id("Resource", draft_id)
    seen_by = {}
    for role in (None, *role_tokens):
        viewer = client.with_token(role_tokens[role] if role else None)
        data = await viewer.execute(SEARCH, {"query": DRAFT_WORDS})
        ids = [e["node"]["node"]["id"] for e in data["search"]["edges"]]
        readable = (await viewer.execute(NODE, {"id": gid}))["node"] is not None
        assert (gid in ids) == readable, role
        assert data["search"]["totalCount"] == len(ids)
        seen_by[role] = readable
    assert seen_by == {
        None: False,
        "staff": True,
        "anchor": True,
        "member": True,
        "other": False,
    }


async def test_resources_and_expertise(demo_db: str, make_client: ClientFactory) -> None:
    client = make_client(demo_db)
    # the demo's resources, in their languages (one hit per resource, the best language)
    found = await _hits(client, "star reforms", filter={"kinds": ["RESOURCE"]})
    assert [label for _, label, _ in found] == [
        "Star Reforms in the Open Government Partnership (2016)",
        "Star Reforms in the Open Government Partnership, second edition (2018)",
    ]
    # in English and Spanish: its English text is also indexed as Spanish (the score of that
    # document is left out: PostgreSQL stems it with the Spanish stemmer, SQLite with Porter's)
    spanish = await _hits(client, "star reforms", filter={"language": "es"})
    assert [label for _, label, _ in spanish] == [
        "Star Reforms in the Open Government Partnership (2016)"
    ]
    assert await _hits(client, "star reforms", filter={"resourceKinds": ["DATASET"]}) == []
    # accents fold in French: "en français ... qui y opèrent", searched without them
    assert await _hits(client, "FRANCAIS operent") == [
        ("RESOURCE", "Exigences de l'ITIE (Norme ITIE 2023)", 2)
    ]
    # expertise: found by its description and its holder's name
    expertise = await _hits(client, "fiscal transparency", filter={"kinds": ["EXPERTISE"]})
    assert [kind for kind, _, _ in expertise] == ["EXPERTISE"]
    assert expertise[0][1].startswith("Peer learning on fiscal transparency")


async def test_resource_index_follows_raw_sql(demo_db: str, make_client: ClientFactory) -> None:
    client = make_client(demo_db)
    (pk,) = (await _sql(demo_db, "SELECT id FROM resources WHERE title LIKE 'Star Reforms%2016)'"))[
        0
    ]
    await _sql(
        demo_db, f"INSERT INTO resource_languages (resource_id, language) VALUES ({pk}, 'fr')"
    )
    assert [lang for lang in await _languages(client, "star reforms 2016", "fr")] == ["fr"]
    await _sql(demo_db, f"UPDATE resources SET title = 'Velmora reforms' WHERE id = {pk}")
    assert await _hits(client, "velmora") == [("RESOURCE", "Velmora reforms", 2)]
    await _sql(demo_db, f"DELETE FROM resource_languages WHERE resource_id = {pk}")
    assert await _languages(client, "velmora", None) == ["und"]
    await _sql(demo_db, f"DELETE FROM resources WHERE id = {pk}")
    assert await _hits(client, "velmora") == []


async def _languages(client: Any, query: str, language: str | None) -> list[str]:
    variables: dict[str, Any] = {"query": query}
    if language:
        variables["filter"] = {"language": language}
    data = await client.execute(SEARCH, variables)
    return [e["node"]["language"] for e in data["search"]["edges"]]


async def test_rebuild_restores_an_index_emptied_behind_its_back(
    demo_db: str, make_client: ClientFactory, tmp_path: Path
) -> None:
    """`ogp-wg search rebuild`, as an operator runs it, after rows were written without the
    index (its documents deleted behind its back)."""
    client = make_client(demo_db)
    before = await _hits(client, "open data charter")
    assert before
    await _sql(demo_db, "DELETE FROM search_documents")
    assert await _hits(client, "open data charter") == []
    done = subprocess.run(
        [OGP_WG, "search", "rebuild"],
        cwd=tmp_path,
        env=server_env(demo_db),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    count = (await _sql(demo_db, "SELECT count(*) FROM search_documents"))[0][0]
    assert count > 0
    assert done.stderr.strip().endswith(f"search index rebuilt: {count} document(s)")
    assert await _hits(client, "open data charter") == before


async def test_expertise_index_follows_raw_sql(demo_db: str, make_client: ClientFactory) -> None:
    """The holder's name is the title: renaming the person re-indexes their expertise."""
    client = make_client(demo_db)
    pk, person = (
        await _sql(demo_db, "SELECT id, person_id FROM expertise WHERE person_id IS NOT NULL")
    )[0]
    await _sql(demo_db, f"UPDATE people SET name = 'Quintor Velmora' WHERE id = {person}")
    found = await _hits(client, "quintor velmora")
    assert [(kind, score) for kind, _, score in found] == [("EXPERTISE", 4)]
    await _sql(demo_db, f"UPDATE expertise SET description = 'Grimpleur work' WHERE id = {pk}")
    assert await _hits(client, "grimpleur velmora") == [("EXPERTISE", "Grimpleur work", 3)]
    await _sql(demo_db, f"DELETE FROM expertise_languages WHERE expertise_id = {pk}")
    assert await _languages(client, "grimpleur", None) == ["und"]
    await _sql(demo_db, f"DELETE FROM expertise WHERE id = {pk}")
    assert await _hits(client, "grimpleur") == []
