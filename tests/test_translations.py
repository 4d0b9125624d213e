"""Three languages (issue 9, section 6), over HTTP on both databases.

Each way of choosing a language (the field argument, the `Accept-Language` header with its
q-values, the argument overriding the header), the fallback to the original and how it is told
(`texts`, `originalLanguage`, `Content-Language`), HTTP caching (`Vary`, an ETag per language,
304), who may translate (anchors of the group, staff), every user error, the database's own
refusals, and the staff's list of missing translations. The demo gives the five pilot groups
Spanish and French names (unofficial: the data says so); roles as in core.demo.DEMO_ROLES
(`anchor` anchors the open-data group).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.models import GroupTranslation, Meeting, WorkingGroup
from core.schema.ids import pk_of
from core.testing import GraphQLClient
from core.translations.demo import NAMES, SOURCE
from core.translations.models import PriorityAreaTranslation
from core.translations.negotiation import negotiate, parse_accept_language

ERRORS = "userErrors { code field }"
SET = f"""mutation($input: TranslationSetInput!) {{ translationSet(input: $input) {{
  record {{ id ... on WorkingGroup {{ esName: name(language: ES) }}
               ... on Meeting {{ esTitle: title(language: ES) }} }} {ERRORS} }} }}"""
REMOVE = f"""mutation($input: TranslationRemoveInput!) {{ translationRemove(input: $input) {{
  record {{ id }} {ERRORS} }} }}"""
GROUP = """query($slug: String!) { workingGroup(slug: $slug) {
  name summary originalLanguage texts { field text language isTranslation isOfficial source } } }"""
OD = "Open Data Working Group"


async def _post(client: GraphQLClient, query: str, variables: Any = None, **headers: str) -> Any:
    body = {"query": query, "variables": variables}
    return await client.http.post("/graphql", json=body, headers=headers or None)


async def _ids(client: GraphQLClient) -> dict[str, str]:
    data = await client.execute(
        """{ od: workingGroup(slug: "open-data") { id meetings(first: 1) { nodes { id title } } }
             fo: workingGroup(slug: "fiscal-openness") { id } }"""
    )
    return {
        "group": data["od"]["id"],
        "meeting": data["od"]["meetings"]["nodes"][0]["id"],
        "meetingTitle": data["od"]["meetings"]["nodes"][0]["title"],
        "other": data["fo"]["id"],
    }


# --- negotiation (pure) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es", "es"),
        ("es-MX, fr;q=0.8", "es"),
        ("fr;q=0.9, es;q=0.95", "es"),  # weights, not order
        ("de, fr;q=0.5, es;q=0.4", "fr"),  # the best one we have
        ("es;q=0, fr;q=0.1", "fr"),  # q=0: not this one
        ("EN-gb", "en"),
        ("fr-CA", "fr"),
        ("es;q=abc, fr;q=0.2", "fr"),  # an unreadable weight drops its range
        ("es;q=1.5, fr;q=0.2", "fr"),  # out of range too
        ("de", None),
        ("*", None),
        ("", None),
    ],
)
def test_negotiation(header: str, language: str | None) -> None:
    assert negotiate(header) == language


def test_parse_keeps_the_clients_order_for_equal_weights() -> None:
    assert parse_accept_language("fr, es, de;q=0.5, *;q=0.1") == ["fr", "es", "de"]


# --- choosing, fallback, indication --------------------------------------------------------------


async def test_demo_names_by_argument_unofficial(client: GraphQLClient) -> None:
    data = await client.execute(
        """{ workingGroups(first: 10) { nodes { slug originalLanguage
             en: name(language: EN) es: name(language: ES) fr: name(language: FR)
             texts(language: FR) { field language isTranslation isOfficial source } } } }"""
    )
    groups = {g["slug"]: g for g in data["workingGroups"]["nodes"]}
    assert set(NAMES) <= set(groups)
    for slug, names in NAMES.items():
        group = groups[slug]
        assert group["originalLanguage"] == "EN"
        assert (group["es"], group["fr"]) == (names["es"], names["fr"])
        assert group["en"] not in (names["es"], names["fr"])
        name, summary, description = group["texts"]
        assert name == {
            "field": "NAME",
            "language": "FR",
            "isTranslation": True,
            "isOfficial": False,
            "source": SOURCE,
        }
        # no French summary or description in the demo: the original English, said so
        for text, field in ((summary, "SUMMARY"), (description, "DESCRIPTION")):
            assert text == {
                "field": field,
                "language": "EN",
                "isTranslation": False,
                "isOfficial": True,
                "source": None,
            }


async def test_header_chooses_and_content_language_says(client: GraphQLClient) -> None:
    query = '{ workingGroup(slug: "open-data") { name } }'
    plain = await _post(client, query)
    assert plain.json()["data"]["workingGroup"]["name"] == OD
    assert "content-language" not in plain.headers  # nothing chosen: nothing read, nothing said
    spanish = await _post(client, query, **{"accept-language": "es-MX, fr;q=0.8"})
    assert spanish.json()["data"]["workingGroup"]["name"] == NAMES["open-data"]["es"]
    assert spanish.headers["content-language"] == "es"
    french = await _post(client, query, **{"accept-language": "es;q=0.2, fr"})
    assert french.json()["data"]["workingGroup"]["name"] == NAMES["open-data"]["fr"]
    assert french.headers["content-language"] == "fr"
    german = await _post(client, query, **{"accept-language": "de"})
    assert german.json()["data"]["workingGroup"]["name"] == OD
    assert "content-language" not in german.headers
    english = await _post(client, query, **{"accept-language": "en"})
    assert english.json()["data"]["workingGroup"]["name"] == OD
    assert english.headers["content-language"] == "en"


async def test_argument_overrides_header_and_mixed_languages(client: GraphQLClient) -> None:
    query = """{ workingGroup(slug: "open-data") { name fr: name(language: FR) summary
      texts { field language } } }"""
    response = await _post(client, query, **{"accept-language": "es"})
    group = response.json()["data"]["workingGroup"]
    assert group["name"] == NAMES["open-data"]["es"]
    assert group["fr"] == NAMES["open-data"]["fr"]
    assert group["summary"]  # no Spanish summary: the English one
    assert group["texts"] == [
        {"field": "NAME", "language": "ES"},
        {"field": "SUMMARY", "language": "EN"},
        {"field": "DESCRIPTION", "language": "EN"},
    ]
    assert "content-language" not in response.headers  # es, fr and en went out


async def test_caching_varies_by_language(client: GraphQLClient) -> None:
    query = '{ workingGroup(slug: "open-data") { name } }'
    tags = {}
    for header in ("es", "fr", "en", "de"):
        response = await _post(client, query, **{"accept-language": header})
        assert response.status_code == 200
        assert "Accept-Language" in response.headers["vary"]
        tags[header] = response.headers["etag"]
        again = await _post(
            client, query, **{"accept-language": header, "if-none-match": tags[header]}
        )
        assert again.status_code == 304 and again.content == b""
    assert len({tags["es"], tags["fr"], tags["en"]}) == 3
    # the same English body, once with Content-Language: en and once without: two tags
    assert tags["en"] != tags["de"]
    stale = await _post(client, query, **{"accept-language": "fr", "if-none-match": tags["es"]})
    assert stale.status_code == 200
    assert stale.json()["data"]["workingGroup"]["name"] == NAMES["open-data"]["fr"]


async def test_get_varies_too(client: GraphQLClient) -> None:
    query = '{ workingGroup(slug: "open-data") { name } }'
    tags = []
    for language in ("es", "fr"):
        response = await client.http.get(
            "/graphql", params={"query": query}, headers={"accept-language": language}
        )
        assert response.json()["data"]["workingGroup"]["name"] == NAMES["open-data"][language]
        assert response.headers["content-language"] == language
        assert "Accept-Language" in response.headers["vary"]
        tags.append(response.headers["etag"])
    assert tags[0] != tags[1]


# --- translators ---------------------------------------------------------------------------------


async def test_anchor_translates_a_meeting_then_removes(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    ids = await _ids(client)
    anchor = role_tokens["anchor"]
    texts = [{"field": "TITLE", "text": "Reunión"}, {"field": "AGENDA", "text": "Orden del día"}]
    data = await client.execute(
        SET,
        {"input": {"meetingId": ids["meeting"], "language": "ES", "texts": texts}},
        token=anchor,
    )
    assert data["translationSet"] == {
        "record": {"id": ids["meeting"], "esTitle": "Reunión"},
        "userErrors": [],
    }
    query = """query($id: ID!) { node(id: $id) { ... on Meeting { title originalLanguage
      texts { field text language isTranslation isOfficial source } } } }"""
    response = await client.http.post(
        "/graphql",
        json={"query": query, "variables": {"id": ids["meeting"]}},
        headers={"accept-language": "es"},
    )
    meeting = response.json()["data"]["node"]
    assert meeting["title"] == "Reunión" and meeting["originalLanguage"] == "EN"
    assert meeting["texts"] == [
        {
            "field": "TITLE",
            "text": "Reunión",
            "language": "ES",
            "isTranslation": True,
            "isOfficial": False,
            "source": None,
        },
        {
            "field": "AGENDA",
            "text": "Orden del día",
            "language": "ES",
            "isTranslation": True,
            "isOfficial": False,
            "source": None,
        },
    ]
    assert response.headers["content-language"] == "es"
    # one text removed (null), the flags set; then the whole translation
    official = {
        "meetingId": ids["meeting"],
        "language": "ES",
        "isOfficial": True,
        "source": "https://www.opengovpartnership.org/es/",
        "texts": [{"field": "AGENDA", "text": None}],
    }
    data = await client.execute(SET, {"input": official}, token=anchor)
    assert data["translationSet"]["userErrors"] == []
    texts_now = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on Meeting {
          texts(language: ES) { field language isOfficial source } } } }""",
        {"id": ids["meeting"]},
    )
    assert texts_now["node"]["texts"] == [
        {
            "field": "TITLE",
            "language": "ES",
            "isOfficial": True,
            "source": "https://www.opengovpartnership.org/es/",
        },
        {"field": "AGENDA", "language": "EN", "isOfficial": True, "source": None},
    ]
    removed = await client.execute(
        REMOVE, {"input": {"meetingId": ids["meeting"], "language": "ES"}}, token=anchor
    )
    assert removed["translationRemove"] == {"record": {"id": ids["meeting"]}, "userErrors": []}
    after = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Meeting { title(language: ES) } } }",
        {"id": ids["meeting"]},
    )
    assert after["node"]["title"] == ids["meetingTitle"]
    again = await client.execute(
        REMOVE, {"input": {"meetingId": ids["meeting"], "language": "ES"}}, token=anchor
    )
    assert again["translationRemove"] == {
        "record": None,
        "userErrors": [{"code": "NO_TRANSLATION", "field": ["input", "language"]}],
    }


@pytest.mark.parametrize("role", ["anonymous", "member", "other", "anchor-elsewhere"])
async def test_who_may_not_translate(
    client: GraphQLClient, role_tokens: dict[str, str], role: str
) -> None:
    ids = await _ids(client)
    target = ids["other"] if role == "anchor-elsewhere" else ids["group"]
    token = {"anonymous": None, "anchor-elsewhere": role_tokens["anchor"]}.get(
        role, role_tokens.get(role)
    )
    texts = [{"field": "NAME", "text": "Nombre"}]
    for query, input in (
        (SET, {"groupId": target, "language": "ES", "texts": texts}),
        (REMOVE, {"groupId": target, "language": "ES"}),
    ):
        errors = await client.errors(query, {"input": input}, token=token)
        code = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
        assert [e["extensions"]["code"] for e in errors] == [code]
    names = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on WorkingGroup { slug name(language: ES) } } }",
        {"id": target},
    )
    assert names["node"]["name"] == NAMES[names["node"]["slug"]]["es"]  # unchanged


@pytest.mark.signed_in("staff")
@pytest.mark.parametrize(
    ("input", "errors"),
    [
        ({"language": "ES"}, [("ONE_RECORD_REQUIRED", ["input", "groupId"])]),
        ({"both": True, "language": "ES"}, [("ONE_RECORD_REQUIRED", ["input", "meetingId"])]),
        ({"language": "EN"}, [("ORIGINAL_LANGUAGE", ["input", "language"])]),
        ({"language": "ES", "texts": []}, [("REQUIRED", ["input", "texts"])]),
        (
            {
                "language": "ES",
                "texts": [
                    {"field": "TITLE", "text": "x"},
                    {"field": "NAME", "text": " "},
                    {"field": "NAME", "text": "y"},
                    {"field": "SUMMARY", "text": "s" * 501},
                ],
            },
            [
                ("NOT_TRANSLATABLE", ["input", "texts", "0", "field"]),
                ("REQUIRED", ["input", "texts", "1", "text"]),
                ("DUPLICATE_FIELD", ["input", "texts", "2", "field"]),
                ("TOO_LONG", ["input", "texts", "3", "text"]),
            ],
        ),
        ({"language": "ES", "source": "s" * 501}, [("TOO_LONG", ["input", "source"])]),
        ({"missing": True, "language": "ES"}, [("NOT_FOUND", ["input", "groupId"])]),
        ({"wrongType": True, "language": "ES"}, [("NOT_FOUND", ["input", "groupId"])]),
    ],
)
async def test_user_errors_change_nothing(
    client: GraphQLClient, demo_db: str, input: dict[str, Any], errors: list[Any]
) -> None:
    ids = await _ids(client)
    variables: dict[str, Any] = {"groupId": ids["group"], "language": input["language"]}
    if input.get("language") == "ES" and "groupId" not in input and len(input) == 1:
        variables.pop("groupId")
    if input.get("both"):
        variables["meetingId"] = ids["meeting"]
    if input.get("missing"):
        variables["groupId"] = "V29ya2luZ0dyb3VwOjk5OTk5"  # WorkingGroup:99999
    if input.get("wrongType"):
        variables["groupId"] = ids["meeting"]
    variables["texts"] = input.get("texts", [{"field": "NAME", "text": "Nuevo nombre"}])
    if "source" in input:
        variables["source"] = input["source"]
    before = await _rows(demo_db)
    data = await client.execute(SET, {"input": variables})
    got = [(e["code"], e["field"]) for e in data["translationSet"]["userErrors"]]
    assert data["translationSet"]["record"] is None and got == errors
    assert await _rows(demo_db) == before


async def _rows(url: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            table = GroupTranslation.__table__
            return list((await conn.execute(sa.select(table).order_by(table.c.id))).all())
    finally:
        await db.dispose()


# --- the database's own refusals -----------------------------------------------------------------


async def test_database_refuses_what_the_checks_catch(client: GraphQLClient, demo_db: str) -> None:
    ids = await _ids(client)
    group = pk_of(ids["group"], "WorkingGroup")
    meeting = pk_of(ids["meeting"], "Meeting")
    table = GroupTranslation.__table__
    base = {
        "group_id": group,
        "original_language": "en",
        "is_official": False,
        "updated_at": sa.func.now(),
    }
    bad = [
        {**base, "language": "en", "name": "x"},  # the original language
        {**base, "language": "de", "name": "x"},  # not one of OGP's
        {**base, "language": "es", "original_language": "fr", "name": "x"},  # not its original
        {**base, "language": "fr", "name": "x"},  # a second French translation
        {**base, "language": "es", "name": None},  # no text ... (es exists: unique first)
    ]
    db = Database(demo_db)
    try:
        for values in bad:
            with pytest.raises(IntegrityError):
                async with db.write() as conn:
                    await conn.execute(sa.insert(table).values(**values))
        # no text at all, a blank text: on a group without a Spanish name
        async with db.write() as conn:
            await conn.execute(sa.delete(table).where(table.c.group_id == group))
        for values in ({**base, "language": "es"}, {**base, "language": "es", "name": "  "}):
            with pytest.raises(IntegrityError):
                async with db.write() as conn:
                    await conn.execute(sa.insert(table).values(**values))
        async with db.write() as conn:
            await conn.execute(sa.insert(table).values(**base, language="es", name="Datos"))
        # the original language cannot move onto an existing translation (cascaded CHECK)...
        with pytest.raises(IntegrityError):
            async with db.write() as conn:
                await conn.execute(
                    sa.update(WorkingGroup.__table__)
                    .where(WorkingGroup.id == group)
                    .values(original_language="es")
                )
        with pytest.raises(IntegrityError):  # ... nor to a language OGP does not work in
            async with db.write() as conn:
                await conn.execute(
                    sa.update(Meeting.__table__)
                    .where(Meeting.id == meeting)
                    .values(original_language="de")
                )
        # ... but to one without a translation it can, and the translations follow
        async with db.write() as conn:
            await conn.execute(
                sa.update(WorkingGroup.__table__)
                .where(WorkingGroup.id == group)
                .values(original_language="fr")
            )
        async with db.read() as conn:
            originals = set(
                await conn.scalars(
                    sa.select(table.c.original_language).where(table.c.group_id == group)
                )
            )
        assert originals == {"fr"}
    finally:
        await db.dispose()
    served = await client.execute(
        """query($id: ID!) { node(id: $id) { ... on WorkingGroup { originalLanguage
          en: name(language: EN) es: name(language: ES) fr: name(language: FR) } } }""",
        {"id": ids["group"]},
    )
    # French is now the original: the stored name is served for fr, and for en as the fallback
    assert served["node"] == {"originalLanguage": "FR", "en": OD, "es": "Datos", "fr": OD}


# --- what is left to translate -------------------------------------------------------------------

MISSING = """query($language: Language!, $first: Int, $after: String) {
  missingTranslations(language: $language, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { language fields record { __typename id
      ... on WorkingGroup { slug } ... on Meeting { title } } } } }"""


@pytest.mark.parametrize("role", ["anonymous", "member", "anchor"])
async def test_missing_translations_is_for_staff(
    client: GraphQLClient, role_tokens: dict[str, str], role: str
) -> None:
    token = None if role == "anonymous" else role_tokens[role]
    response = await client.post(MISSING, {"language": "ES", "first": 5}, token=token)
    body = response.json()
    assert body["data"] == {"missingTranslations": None}
    code = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


@pytest.mark.signed_in("staff")
async def test_missing_translations_pages_and_shrinks(client: GraphQLClient) -> None:
    ids = await _ids(client)
    seen: list[Any] = []
    after = None
    while True:
        data = await client.execute(MISSING, {"language": "FR", "first": 7, "after": after})
        page = data["missingTranslations"]
        seen.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] > 7
    assert all(node["language"] == "FR" for node in seen)
    order = {"Meeting": 1, "PriorityArea": 2}  # groups (any theme's type) first
    kinds = [order.get(node["record"]["__typename"], 0) for node in seen]
    assert kinds == sorted(kinds) and set(kinds) == {0, 1, 2}
    by_id = {node["record"]["id"]: node for node in seen}
    # the demo translated the names only: summary and description are left
    assert by_id[ids["group"]]["fields"] == ["SUMMARY", "DESCRIPTION"]
    assert by_id[ids["group"]]["record"]["slug"] == "open-data"
    assert by_id[ids["meeting"]]["fields"][0] == "TITLE"
    assert by_id[ids["meeting"]]["record"]["title"] == ids["meetingTitle"]
    texts = [
        {"field": "SUMMARY", "text": "Résumé"},
        {"field": "DESCRIPTION", "text": "Description en français"},
    ]
    data = await client.execute(
        SET, {"input": {"groupId": ids["group"], "language": "FR", "texts": texts}}
    )
    assert data["translationSet"]["userErrors"] == []
    everything = await client.execute(MISSING, {"language": "FR", "first": 100})
    listed = {node["record"]["id"] for node in everything["missingTranslations"]["nodes"]}
    assert ids["group"] not in listed and ids["meeting"] in listed
    assert everything["missingTranslations"]["totalCount"] == len(seen) - 1
    # English is every demo record's original: nothing is missing in it
    english = await client.execute(MISSING, {"language": "EN", "first": 1})
    assert english["missingTranslations"]["totalCount"] == 0


# --- priority areas ------------------------------------------------------------------------------

AREAS = """{ workingGroup(slug: "open-data") { priorityAreas(first: 5) {
  nodes { id title rationale originalLanguage } } } }"""


async def test_priority_areas_translate_like_the_rest(
    client: GraphQLClient, role_tokens: dict[str, str], demo_db: str
) -> None:
    areas = (await client.execute(AREAS))["workingGroup"]["priorityAreas"]["nodes"]
    area = areas[0]
    assert area["originalLanguage"] == "EN" and area["title"] and area["rationale"]
    staff = role_tokens["staff"]
    missing = await client.execute(MISSING, {"language": "FR", "first": 100}, token=staff)
    listed = {n["record"]["id"]: n for n in missing["missingTranslations"]["nodes"]}
    assert listed[area["id"]]["fields"] == ["TITLE", "RATIONALE"]
    assert listed[area["id"]]["record"]["__typename"] == "PriorityArea"
    assert [n["record"]["__typename"] for n in missing["missingTranslations"]["nodes"]][-1] == (
        "PriorityArea"  # groups, then meetings, then priority areas
    )
    texts = [
        {"field": "TITLE", "text": "Titre en français"},
        {"field": "RATIONALE", "text": "Pourquoi c'est important"},
    ]
    data = await client.execute(
        f"""mutation($input: TranslationSetInput!) {{ translationSet(input: $input) {{
          record {{ id ... on PriorityArea {{ title(language: FR) }} }} {ERRORS} }} }}""",
        {"input": {"priorityAreaId": area["id"], "language": "FR", "texts": texts}},
        token=role_tokens["anchor"],
    )
    assert data["translationSet"] == {
        "record": {"id": area["id"], "title": "Titre en français"},
        "userErrors": [],
    }
    response = await _post(client, AREAS, **{"accept-language": "fr-FR"})
    served = response.json()["data"]["workingGroup"]["priorityAreas"]["nodes"][0]
    assert served == {
        "id": area["id"],
        "title": "Titre en français",
        "rationale": "Pourquoi c'est important",
        "originalLanguage": "EN",
    }
    # the group's other areas went out in English: two languages, no Content-Language
    assert response.headers.get("content-language") == ("fr" if len(areas) == 1 else None)
    # a member proposes, an anchor translates: the member may not
    errors = await client.errors(
        REMOVE,
        {"input": {"priorityAreaId": area["id"], "language": "FR"}},
        token=role_tokens["member"],
    )
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
    # the database refuses the original language here too
    db = Database(demo_db)
    try:
        with pytest.raises(IntegrityError):
            async with db.write() as conn:
                await conn.execute(
                    sa.insert(PriorityAreaTranslation.__table__).values(
                        priority_area_id=pk_of(area["id"], "PriorityArea"),
                        original_language="en",
                        language="en",
                        title="x",
                        is_official=False,
                        updated_at=sa.func.now(),
                    )
                )
    finally:
        await db.dispose()


async def test_persisted_query_answers_per_language(client: GraphQLClient) -> None:
    """An APQ hash names the document, not the answer: the header still chooses, per request."""
    query = 'query PilotName { workingGroup(slug: "open-data") { name } }'
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    stored = await client.http.post("/graphql", json={"query": query, "extensions": extensions})
    assert stored.json()["data"]["workingGroup"]["name"] == OD
    tags = []
    for language in ("es", "fr"):
        response = await client.http.get(
            "/graphql",
            params={"extensions": json.dumps(extensions)},
            headers={"accept-language": language},
        )
        assert response.json()["data"]["workingGroup"]["name"] == NAMES["open-data"][language]
        assert response.headers["content-language"] == language
        assert "Accept-Language" in response.headers["vary"]
        tags.append(response.headers["etag"])
    assert tags[0] != tags[1]


@pytest.mark.signed_in("staff")
async def test_missing_translations_without_a_language_lists_each(client: GraphQLClient) -> None:
    query = """{ missingTranslations(first: 100) { totalCount
      nodes { language record { id } } } }"""
    data = (await client.execute(query))["missingTranslations"]
    french = await client.execute(MISSING, {"language": "FR", "first": 1})
    spanish = await client.execute(MISSING, {"language": "ES", "first": 1})
    total = french["missingTranslations"]["totalCount"]
    assert data["totalCount"] == total + spanish["missingTranslations"]["totalCount"]
    assert {node["language"] for node in data["nodes"]} <= {"ES", "FR"}
