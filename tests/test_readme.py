"""The README is true when pasted (issue 11): every ```graphql block runs against the demo data
over HTTP without errors and answers what the README says it answers, every calendar feed's
curl line answers an iCalendar file the `icalendar` library parses back, every ```toml block
configures a server that starts, and every operation is written so a normalised client cache
(Apollo, urql's graphcache, Relay) can update from it. Conventions: tests/readme_blocks.py.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    parse,
    print_ast,
    print_schema,
    validate,
    visit,
)
from graphql.type import GraphQLInterfaceType, GraphQLNamedType, GraphQLObjectType
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from core.config import load_settings
from core.plugins import make_plugin_manager
from core.schema.build import build_schema as build_app_schema
from core.testing import ClientFactory, GraphQLClient
from tests.readme_blocks import README, Block, Example, blocks, examples, toml_blocks

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"
EXAMPLES = examples()
README_LINES = README.read_text().splitlines()
_WORKING_TOGETHER_AT = README_LINES.index("## Working together") + 1
_AFTER_WORKING_TOGETHER = next(
    number
    for number, line in enumerate(README_LINES, start=1)
    if number > _WORKING_TOGETHER_AT and line.startswith("## ")
)
WORKING_TOGETHER = [
    example
    for example in EXAMPLES
    if _WORKING_TOGETHER_AT < example.block.line < _AFTER_WORKING_TOGETHER
]
"""The examples of the README's "Working together" section, in the README's order: a reader
follows them top to bottom on one demo, so each answer shown is the one after the ones above."""
ALONE = [example for example in EXAMPLES if example not in WORKING_TOGETHER]
"""The other examples: each runs on the demo as `ogp-wg demo` leaves it."""
CONFIGS = [block for block in toml_blocks() if "file" not in block.directives]
OTHER_TOML = [block for block in toml_blocks() if "file" in block.directives]


ELIDED = "..."
"""An answer block marks an elision explicitly with `"..."`: as a list's last item it stands for
any further items (the ones shown come first, in order), as an object's key (any value) for any
further keys, as a value for any value (one that changes with each run: a time, a new token)."""


def occurs(expected: Any, actual: Any) -> bool:
    """True when `expected` matches `actual` or one of its sub-trees (see `matches`)."""
    if matches(expected, actual):
        return True
    children = actual.values() if isinstance(actual, dict) else actual
    if isinstance(actual, dict | list):
        return any(occurs(expected, child) for child in children)
    return False


def matches(expected: Any, actual: Any) -> bool:
    """Exact, unless elided: an object has the keys shown and no others, a list the items shown
    in the order answered and no others, anything else is equal (of the same type). A key
    `"..."` allows further keys, a last item `"..."` further items, a value `"..."` any value
    (see `ELIDED`)."""
    if expected == ELIDED:
        return True
    if isinstance(expected, dict):
        shown = {key: value for key, value in expected.items() if key != ELIDED}
        if not isinstance(actual, dict) or not shown.keys() <= actual.keys():
            return False
        if ELIDED not in expected and shown.keys() != actual.keys():
            return False
        return all(matches(value, actual[key]) for key, value in shown.items())
    if isinstance(expected, list):
        elided = bool(expected) and expected[-1] == ELIDED
        items = expected[:-1] if elided else expected
        if not isinstance(actual, list) or len(actual) < len(items):
            return False
        if not elided and len(actual) != len(items):
            return False
        return all(matches(item, candidate) for item, candidate in zip(items, actual, strict=False))
    return bool(expected == actual and type(expected) is type(actual))


def test_answers_are_compared_exactly() -> None:
    """A shown answer missing an item or a key fails (the README once showed 2 of 3 priority
    areas and passed); an elision passes only where it is marked."""
    answered = {"areas": [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]}
    assert occurs(answered, {"data": answered})
    assert not matches({"areas": answered["areas"][1:]}, answered)
    assert not matches({"areas": [{"id": "a"}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]}, answered)
    assert not matches({"areas": list(reversed(answered["areas"]))}, answered)
    assert matches({"areas": [{"id": "a", "n": 1}, ELIDED]}, answered)
    assert matches({"areas": [{"id": "a", ELIDED: ELIDED}, ELIDED]}, answered)
    assert not matches({"areas": [{"id": "b", "n": 2}, ELIDED]}, answered)
    assert not matches({"areas": [], "more": 1}, answered)
    assert matches({"areas": [{"id": "a", "n": ELIDED}, ELIDED]}, answered)
    assert not matches({"areas": [{"id": "a", "n": ELIDED}]}, answered)


def test_the_readme_has_examples() -> None:
    """The parser finds the README's examples (a renamed fence would silently skip them)."""
    assert len(EXAMPLES) >= 4, [example.name for example in EXAMPLES]
    assert any(example.role for example in EXAMPLES), "no example runs with a demo token"
    assert any(req.answers for example in EXAMPLES for req in example.requests)
    assert CONFIGS, "no ogp-wg.toml example"


@pytest.mark.parametrize("example", ALONE, ids=lambda example: example.name)
async def test_graphql_example_runs_on_the_demo(
    example: Example, demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """Each request of the example, in order, with the role's token: no errors, and each answer
    the README shows is a sub-tree of the data, exactly (`matches`)."""
    await run_example(make_client(demo_db), example, role_tokens)


async def test_working_together_runs_in_order_on_one_demo(
    demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """The "Working together" section followed top to bottom on one demo database, as a reader
    pasting its requests would: each answer shown is the one its request gets after all the
    requests above it (a change that only works on a fresh demo fails here)."""
    assert len(WORKING_TOGETHER) > 20, [example.name for example in WORKING_TOGETHER]
    client = make_client(demo_db)
    for example in WORKING_TOGETHER:
        await run_example(client, example, role_tokens)


async def run_example(client: GraphQLClient, example: Example, tokens: dict[str, str]) -> None:
    """Send each request of `example`, in order, with its role's token (from `tokens`): no
    errors, and each answer the README shows is a sub-tree of the data, exactly (`matches`)."""
    token = tokens[example.role] if example.role else None
    where = f"README.md line {example.block.line} ({example.name})"
    for request in example.requests:
        payload = {"query": example.block.text, "variables": request.variables}
        if request.extensions is not None:  # e.g. a persisted query's hash
            payload["extensions"] = request.extensions
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await client.http.post("/graphql", json=payload, headers=headers)
        assert response.status_code == 200, f"{where}: {response.text}"
        body = response.json()
        assert "errors" not in body, f"{where}, variables {request.variables}: {body['errors']}"
        for answer in request.answers:
            assert occurs(answer, body["data"]), f"{where}: {answer} not in {body['data']}"


# --- Response headers a curl -i line shows (issue 9, section 6) ---------------------------------

_CURL_BODY = re.compile(r"-d '(\{.*?\})'", re.S)
_HEADER_SENT = re.compile(r"-H '([\w-]+): ([^']*)'")
_HEADER_SHOWN = re.compile(r"^# ([a-z][a-z-]*): (.+)$", re.M)
HEADER_CURLS = [
    block
    for block in blocks()
    if block.lang == "sh" and "curl -si" in block.text and _HEADER_SHOWN.search(block.text)
]


def test_the_readme_shows_a_negotiated_language() -> None:
    """The Accept-Language curl line is among those checked (a changed fence would skip it)."""
    assert any("Accept-Language" in block.text for block in HEADER_CURLS), HEADER_CURLS


@pytest.mark.parametrize("block", HEADER_CURLS, ids=lambda block: f"line{block.line}")
async def test_curl_response_headers_are_as_shown(
    block: Block, demo_db: str, make_client: ClientFactory
) -> None:
    """A `curl -si` POST to /graphql, sent with the headers of its `-H` options: no errors, and
    each response header the block shows as `# name: value` is answered with that value (a
    comma-separated one as the same set of tokens, in any case)."""
    client = make_client(demo_db)
    where = f"README.md line {block.line}"
    body = _CURL_BODY.search(block.text)
    assert body is not None, where
    headers = dict(_HEADER_SENT.findall(block.text))
    response = await client.http.post("/graphql", content=body.group(1), headers=headers)
    assert response.status_code == 200, f"{where}: {response.text}"
    assert "errors" not in response.json(), f"{where}: {response.text}"
    for name, shown in _HEADER_SHOWN.findall(block.text):
        answered = response.headers.get(name)
        assert answered is not None, f"{where}: no {name} header in {dict(response.headers)}"
        tokens = {token.strip().lower() for token in answered.split(",")}
        assert tokens == {token.strip().lower() for token in shown.split(",")}, (
            f"{where}: {name}: {answered!r}, the README shows {shown!r}"
        )


# --- The calendar feeds' curl lines (issue 9, section 2) -----------------------------------------

_ICS_CURL = re.compile(r"^curl\s+(?:-\w+\s+)*(\"\$FEED_URL\"|\S+\.ics)(?=\s|$)", re.M)
ICS_LINES = [
    (block.line, match.group(1))
    for block in blocks()
    if block.lang == "sh"
    for match in _ICS_CURL.finditer(block.text)
]
FEED_TOKEN = """mutation CalendarFeedTokenCreateMutation {
  calendarFeedTokenCreate { url token userErrors { code field message } } }"""


def test_the_readme_shows_each_calendar_feed() -> None:
    """A group's feed, one meeting's and the personal feed each have a curl line."""
    targets = [target for _, target in ICS_LINES]
    assert any("/groups/" in t for t in targets), targets
    assert any("/meetings/" in t for t in targets), targets
    assert '"$FEED_URL"' in targets, targets


@pytest.mark.parametrize("line,target", ICS_LINES, ids=[t for _, t in ICS_LINES])
async def test_calendar_feed_curl_runs_on_the_demo(
    line: int, target: str, demo_db: str, make_client: ClientFactory, role_tokens: dict[str, str]
) -> None:
    """The README's .ics curl line, sent to the app over the demo data (`$FEED_URL`: the url the
    demo member's `calendarFeedTokenCreate` answers): an RFC 5545 calendar the `icalendar`
    library parses back, each VEVENT with a stable UID, its times in a zone the feed defines in a
    VTIMEZONE, a SEQUENCE and a STATUS."""
    client = make_client(demo_db)
    where = f"README.md line {line} ({target})"
    if target == '"$FEED_URL"':
        payload = await client.execute(FEED_TOKEN, token=role_tokens["member"])
        url = payload["calendarFeedTokenCreate"]["url"]
    else:
        url = target
    response = await client.http.get(urlsplit(url).path)
    assert response.status_code == 200, f"{where}: {response.text}"
    assert response.headers["content-type"].startswith("text/calendar"), where
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR" and str(calendar["version"]) == "2.0", where
    events = list(calendar.walk("VEVENT"))
    assert events, f"{where}: no VEVENT"
    zones = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    for event in events:
        assert re.fullmatch(r"meeting-\d+@ogp-working-groups", str(event["uid"])), where
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is not None and start < end, where
        tzid = event["dtstart"].params.get("TZID")
        assert tzid is None or tzid in zones, f"{where}: {tzid} has no VTIMEZONE"
        assert int(event["sequence"]) >= 0, where
        assert str(event["status"]) in {"CONFIRMED", "CANCELLED"}, where
    if "/meetings/" in url:  # one meeting: the one the README names, by its global ID
        [event] = events
        meeting_id = url.rsplit("/", 1)[1].removesuffix(".ics")
        query = "query M($id: ID!) { node(id: $id) { id ... on Meeting { title } } }"
        meeting = (await client.execute(query, {"id": meeting_id}))["node"]
        assert str(event["summary"]) == meeting["title"], where
    if "/groups/" in url:  # the group's meetings, each once
        uids = [str(event["uid"]) for event in events]
        assert len(uids) == len(set(uids)) > 1, where


# --- The pilot report's CSV curl line (issue 10, section 4) ----------------------------------------

_PILOT_CSV_CURL = re.compile(r"^curl\s+(?:-\w+\s+)*'(\S+/reports/pilot\.csv\?\S*)'", re.M)


def _pilot_csv_lines() -> list[tuple[int, str, list[str]]]:
    """(line, URL, the lines of the ```csv block after it) for each pilot-report curl line."""
    found = []
    every = blocks()
    for index, block in enumerate(every):
        if block.lang != "sh":
            continue
        for match in _PILOT_CSV_CURL.finditer(block.text):
            shown = next(later for later in every[index + 1 :] if later.lang == "csv")
            found.append((block.line, match.group(1), shown.text.splitlines()))
    return found


PILOT_CSV_LINES = _pilot_csv_lines()


def lines_shown(shown: list[str], actual: list[str]) -> bool:
    """The shown lines are the actual ones, in order; a line `...` stands for any lines left
    out (none, or several), and nothing else is left out."""
    position, gap = 0, False
    for line in shown:
        if line == ELIDED:
            gap = True
            continue
        if gap:
            while position < len(actual) and actual[position] != line:
                position += 1
        if position >= len(actual) or actual[position] != line:
            return False
        position, gap = position + 1, False
    return gap or position == len(actual)


def test_the_readme_shows_the_pilot_report_csv() -> None:
    assert PILOT_CSV_LINES, "no curl line of /reports/pilot.csv followed by a csv block"
    assert lines_shown(["a", "...", "c"], ["a", "b", "b", "c"])
    assert not lines_shown(["a", "c"], ["a", "b", "c"])
    assert not lines_shown(["a", "..."], ["b"])


@pytest.mark.parametrize("line,url,shown", PILOT_CSV_LINES, ids=[u for _, u, _ in PILOT_CSV_LINES])
async def test_pilot_report_csv_curl_runs_on_the_demo(
    line: int,
    url: str,
    shown: list[str],
    demo_db: str,
    make_client: ClientFactory,
    role_tokens: dict[str, str],
) -> None:
    """The README's /reports/pilot.csv curl line, sent to the app over the demo data after the
    "Working together" requests above it (a reader follows them in order): a CSV whose lines are
    those the README shows after it, in order (`...`: lines left out)."""
    client = make_client(demo_db)
    for example in WORKING_TOGETHER:
        if example.block.line < line:
            await run_example(client, example, role_tokens)
    parts = urlsplit(url)
    response = await client.http.get(f"{parts.path}?{parts.query}")
    where = f"README.md line {line} ({url})"
    assert response.status_code == 200, f"{where}: {response.text}"
    assert response.headers["content-type"] == "text/csv; charset=utf-8", where
    actual = response.text.splitlines()
    assert lines_shown(shown, actual), f"{where}: {shown} not in\n" + "\n".join(actual[:40])


@pytest.mark.parametrize("block", CONFIGS, ids=lambda block: f"line{block.line}")
async def test_configuration_example_starts_a_server(
    block: Block, demo_db: str, make_client: ClientFactory
) -> None:
    """The block as an `ogp-wg.toml`: the real settings loader and plugin checks accept it as
    written (start-up), and an app configured by it (on the test's database) answers."""
    where = f"README.md line {block.line}"
    settings = load_settings(environ={}, config=tomllib.loads(block.text))
    make_plugin_manager(settings)  # unknown plugin keys and invalid plugin settings raise here
    client = make_client(demo_db, block.text)
    response = await client.post("query Themes { themes { key } }")
    assert response.status_code == 200, f"{where}: {response.text}"
    assert "errors" not in response.json(), f"{where}: {response.json()}"


@pytest.mark.parametrize("block", OTHER_TOML, ids=lambda block: f"line{block.line}")
def test_other_toml_example_parses(block: Block) -> None:
    """A toml block naming another file (`<!-- file: pyproject.toml -->`) is valid TOML; a
    pyproject.toml registers its plugin in the entry-point group `ogp_wg.plugins`."""
    table = tomllib.loads(block.text)
    if block.directives["file"] == "pyproject.toml":
        assert table["project"]["entry-points"]["ogp_wg.plugins"], f"line {block.line}"


# --- issue 11 point 4: documents a normalised client cache can use -----------------------------


@pytest.fixture(scope="module")
def running_schema() -> GraphQLSchema:
    """The schema the code builds now, default configuration (every installed plugin)."""
    settings = load_settings(environ={}, config={})
    return build_schema(build_app_schema(make_plugin_manager(settings)).schema.as_str())


@pytest.fixture(scope="module", params=["schema.graphql", "running"])
def schema(request: pytest.FixtureRequest, running_schema: GraphQLSchema) -> GraphQLSchema:
    """The committed SDL front ends generate code from, and the running schema (schema.graphql
    lags behind it until `make schema`)."""
    if request.param == "schema.graphql":
        return build_schema(SCHEMA_FILE.read_text())
    return running_schema


def _has_id(type_: GraphQLNamedType | None) -> bool:
    return isinstance(type_, GraphQLObjectType | GraphQLInterfaceType) and "id" in type_.fields


def _selects_id(selection_set: SelectionSetNode) -> bool:
    return any(
        isinstance(selection, FieldNode) and selection.name.value == "id" and not selection.alias
        for selection in selection_set.selections
    )


def cache_problems(document: str, schema: GraphQLSchema) -> list[str]:
    """What keeps a normalised cache from updating from `document`: unnamed operations, and
    selection sets on a type with an `id` that do not select it (as `id`, unaliased). An inline
    fragment needs its own `id` only under a field whose type has none (a union)."""
    ast = parse(document)
    problems = [str(error) for error in validate(schema, ast)]
    type_info = TypeInfo(schema)
    # The type of each field's selection set, innermost last: an inline fragment on a type with
    # an id is covered by the enclosing field's `id` when that field's type has one.
    outer: list[GraphQLNamedType | None] = []

    class Check(Visitor):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            if node.name is None:
                problems.append(f"line {node.loc and node.loc.start_token.line}: unnamed operation")

        def enter_selection_set(
            self, node: SelectionSetNode, _key: Any, parent: Any, *_: Any
        ) -> None:
            type_ = get_named_type(type_info.get_parent_type())
            if isinstance(parent, FieldNode):
                outer.append(type_)
            covered = isinstance(parent, InlineFragmentNode) and outer and _has_id(outer[-1])
            if _has_id(type_) and not covered and not _selects_id(node):
                what = parent.name.value if isinstance(parent, FieldNode) else "fragment"
                line = node.loc and node.loc.start_token.line
                problems.append(f"line {line}: {what} ({type_}) does not select id")

        def leave_selection_set(
            self, _node: SelectionSetNode, _key: Any, parent: Any, *_: Any
        ) -> None:
            if isinstance(parent, FieldNode):
                outer.pop()

    visit(ast, TypeInfoVisitor(type_info, Check()))
    return problems


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_graphql_example_suits_a_normalised_cache(example: Example, schema: GraphQLSchema) -> None:
    """Against the schema: valid, every operation named, `id` on every object that has one
    (so Apollo, urql's graphcache and Relay update what a mutation returns)."""
    problems = cache_problems(example.block.text, schema)
    assert not problems, f"README.md line {example.block.line} ({example.name}): {problems}"


def test_cache_check_finds_what_breaks_a_cache(schema: GraphQLSchema) -> None:
    """The check itself: it reports an unnamed operation, a missing id (in a list's items and in
    a mutation's payload), and accepts an inline fragment covered by its field's id."""
    assert cache_problems("{ themes { key } }", schema) == ["line 1: unnamed operation"]
    bad = """
    query Q { workingGroups { nodes { name } } }
    mutation M($m: ID!, $p: ID!) {
      registrationCreate(input: {meetingId: $m, personId: $p}) {
        registration { id meeting { remainingPlaces } }
      }
    }
    """
    assert cache_problems(bad, schema) == [
        "line 2: nodes (WorkingGroup) does not select id",
        "line 5: meeting (Meeting) does not select id",
    ]
    good = """query Q { workingGroups { nodes { id ... on FiscalOpennessGroup { name } } } }"""
    assert cache_problems(good, schema) == []


def _with_ids(document: DocumentNode, schema: GraphQLSchema) -> DocumentNode:
    """`document` with its operations named and `id` added to every selection set (of a field
    or an inline fragment) on a type that has one."""
    type_info = TypeInfo(schema)

    class AddIds(Visitor):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
            return replace(node, name=NameNode(value="Generated")) if node.name is None else None

        def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> Any:
            type_ = get_named_type(type_info.get_parent_type())
            if _has_id(type_) and not _selects_id(node):
                id_field = FieldNode(name=NameNode(value="id"))
                return replace(node, selections=(id_field, *node.selections))
            return None

    added: DocumentNode = visit(document, TypeInfoVisitor(type_info, AddIds()))
    return added


def _id_fields(document: DocumentNode) -> list[tuple[str, SelectionSetNode]]:
    """Each field's selection set that selects `id`, with the field's name."""
    found: list[tuple[str, SelectionSetNode]] = []

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.selection_set is not None and _selects_id(node.selection_set):
                found.append((node.name.value, node.selection_set))

    visit(document, Collect())
    return found


def _without_id(document: DocumentNode, target: SelectionSetNode) -> DocumentNode:
    class Drop(Visitor):
        def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> Any:
            if node is not target:
                return None
            kept = [
                s
                for s in node.selections
                if not (isinstance(s, FieldNode) and s.name.value == "id")
            ]
            return replace(node, selections=tuple(kept))

    dropped: DocumentNode = visit(document, Drop())
    return dropped


def test_cache_check_over_generated_queries(running_schema: GraphQLSchema) -> None:
    """Over queries generated from the whole schema: with `id` on every object that has one the
    check finds nothing, and without the `id` of any one field's object it finds exactly that."""
    schema = running_schema
    sdl = print_schema(schema)
    scalars = {"Date": st.just(StringValueNode(value="2026-01-01"))}
    scalars["DateTime"] = st.just(StringValueNode(value="2026-01-01T00:00:00Z"))
    documents = from_schema(sdl, custom_scalars=scalars, print_ast=lambda document: document)

    @settings(max_examples=40, derandomize=True, deadline=None, database=None)
    @given(document=documents, data=st.data())
    def check(document: DocumentNode, data: st.DataObject) -> None:
        complete = _with_ids(document, schema)
        assert cache_problems(print_ast(complete), schema) == []
        candidates = [(name, node) for name, node in _id_fields(complete)]
        if not candidates:
            return
        name, target = data.draw(st.sampled_from(candidates))
        problems = cache_problems(print_ast(_without_id(complete, target)), schema)
        assert len(problems) == 1 and f": {name} (" in problems[0], problems

    check()
