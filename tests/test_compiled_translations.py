"""Translatable texts in a chosen language compile (core.translations.types `translated`, and
`texts` as SQL objects; core.compiled.sqljson `served_in`): a group's, meeting's or priority
area's texts asked with an `Accept-Language` header or a `language` argument (literal or
variable) answer from the compiled statement, byte for byte as the resolver path answers,
`Content-Language` included (set when every text went out in one language, absent when they
went out in several).

The demo translates groups' names only (into Spanish and French); meetings and priority areas
get translations here: a meeting's title but not its agenda, a priority area's whole text, so
each text is served translated, or in its original language for want of a translation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from core import to_global_id
from core.compiled.explain import plan_of
from core.context import Context
from tests.executors import VIEWERS

if TYPE_CHECKING:
    from tests.executors import Trio

HEADERS = (None, "es", "fr", "en", "de", "es;q=0.2, fr")
"""`Accept-Language`: none; each of OGP's languages; one it lacks; a preference."""
TEXTS = (
    "name summary description meetings(first: 5) { nodes { title agenda } } "
    "priorityAreas(first: 5) { nodes { title rationale } }"
)
GROUP = to_global_id("WorkingGroup", 1)
DOCUMENTS = (
    f"{{ workingGroups(first: 10) {{ nodes {{ {TEXTS} }} }} }}",
    "{ workingGroups(first: 10) { nodes { name(language: FR) es: name(language: ES) "
    "summary(language: EN) meetings(first: 5) { nodes { title(language: ES) agenda } } } } }",
    "{ workingGroups(first: 10) { nodes { texts { __typename field text language "
    "isTranslation isOfficial source } meetings(first: 5) { nodes { es: texts(language: ES) { "
    "field text language isTranslation isOfficial source } } } priorityAreas(first: 5) { "
    "nodes { texts { ...Served } } } } } } fragment Served on ServedText { field language }",
    # texts alone: every text in one language (`en`) says so, though no text field is asked
    "{ workingGroups(first: 10) { nodes { texts { field } } } }",
    f'{{ node(id: "{GROUP}") {{ ... on WorkingGroup {{ name }} }} }}',
    f'{{ node(id: "{GROUP}") {{ ... on WorkingGroup {{ summary }} }} }}',
)
BY_VARIABLE = (
    "query($l: Language) { workingGroups(first: 10) { nodes { name(language: $l) "
    "texts(language: $l) { text isTranslation } meetings(first: 5) { nodes { "
    "title(language: $l) } } } } }"
)


def _translate(trio: Trio) -> None:
    """Spanish titles (no agenda) for every other meeting; French texts for every priority
    area written in English."""
    trio.write(
        "INSERT INTO meeting_translations (meeting_id, title, language, original_language, "
        "is_official, updated_at) SELECT id, 'Título ' || id, 'es', original_language, false, "
        "starts_at FROM meetings WHERE id % 2 = 0 AND original_language <> 'es'",
        "INSERT INTO priority_area_translations (priority_area_id, title, rationale, language, "
        "original_language, is_official, updated_at) SELECT id, 'Titre ' || id, "
        "'Raison ' || id, 'fr', original_language, false, created_at FROM priority_areas "
        "WHERE original_language = 'en'",
    )


def test_texts_in_a_chosen_language_compile_and_answer_the_same(trio: Trio) -> None:
    _translate(trio)
    state = trio.clients[None][2].app.state.ogp
    spanish = Request({"type": "http", "headers": [(b"accept-language", b"es")]})
    said: set[str | None] = set()
    for document in DOCUMENTS:
        for ctx in (Context(app=state), Context(app=state, request=spanish)):
            for plan in plan_of(ctx, document):
                assert plan.statement is not None, (document, plan.reason)
        for language in HEADERS:
            for role in VIEWERS:
                response = trio.compare(document, None, role, language)
                assert "errors" not in response.json(), response.json()
                said.add(response.headers.get("content-language"))
    for value in (None, "ES", "FR", "EN"):
        for language in (None, "fr"):
            response = trio.compare(BY_VARIABLE, {"l": value}, None, language)
            assert "errors" not in response.json(), response.json()
            said.add(response.headers.get("content-language"))
    # one language served (the header), and several (none said)
    assert {None, "es", "fr", "en"} <= said, said
