"""Fields a FieldRule guards (private fields: `Meeting.onlineUrl`, `Person.email`, ...) compile
with their rule as SQL (core.compiled.guarded) and answer byte for byte what the resolver path
answers, for anonymous and every demo role (anchor, member, other, staff: different people,
so the rule's relations differ), through node(id:) of the first rows of each type; so does
`originalLanguage` (a column no other field reads), in each of the three languages.

The fields are the access policy's, not listed here: a new private field is covered without
editing this file. One whose value cannot compile for another reason (a Python resolver) may
still fall back, but never because of its rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import GraphQLSchema, get_named_type, is_abstract_type, is_composite_type

from core import to_global_id
from core.auth import Viewer
from core.compiled.explain import plan_of
from core.context import Context
from core.limits import Limits
from tests.executors import EVERY_VIEWER, VIEWERS
from tests.query_plans import roots, walks

if TYPE_CHECKING:
    from tests.executors import Trio

ROWS = 6
"""node(id:) of the rows 1..ROWS of each type (the demo data's first meetings and people)."""


def _guarded_fields(trio: Trio) -> list[tuple[str, str, str]]:
    """(type, field, selection) of every non-refusing FieldRule of the app's policy."""
    state = trio.clients[None][2].app.state.ogp
    schema = state.schema._schema
    out = []
    for (type_name, field), declared in sorted(state.schema.access_policy.fields.items()):
        if declared.refuse:
            continue  # root fields answering an error: tests/test_access_matrix.py
        field_type = schema.type_map[type_name].fields[field].type
        selection = (
            f"{field} {{ __typename }}" if is_composite_type(get_named_type(field_type)) else field
        )
        out.append((type_name, field, selection))
    return out


def _document(type_name: str, selection: str) -> str:
    roots = [
        f'n{pk}: node(id: "{to_global_id(type_name, pk)}") {{ id ... on {type_name} '
        f"{{ {selection} }} }}"
        for pk in range(1, ROWS + 1)
    ]
    return "{ " + " ".join(roots) + " }"


def test_guarded_fields_compile_and_answer_the_same_for_every_viewer(trio: Trio) -> None:
    fields = _guarded_fields(trio)
    assert {("Meeting", "onlineUrl"), ("Person", "email")} <= {(t, f) for t, f, _ in fields}
    state = trio.clients[None][2].app.state.ogp
    # a signed-in person who is not staff: the rule is a CASE on the row (staff: true,
    # anonymous: false, which print none)
    person = Context(app=state, viewer=Viewer(person_id=2, scopes=frozenset({"read"})))
    for type_name, field, selection in fields:
        document = _document(type_name, selection)
        for plan in plan_of(person, document):
            assert "guarded" not in (plan.reason or ""), (type_name, field, plan.reason)
        seen: set[bool] = set()
        for role in EVERY_VIEWER:
            data: dict[str, Any] = trio.compare(document, None, role).json()["data"]
            seen |= {node[field] is None for node in data.values() if node is not None}
        if (type_name, field) in {("Meeting", "onlineUrl"), ("Person", "email")}:
            # the demo rows have both: the rule hides some from someone, shows some to someone
            assert seen == {True, False}, (type_name, field, seen)


def test_a_hidden_comments_body_compiles_and_answers_the_same_for_every_viewer(
    trio: Trio,
) -> None:
    """`Comment.body`'s rule has a `public` condition (a visible comment's body is everyone's):
    with half the demo comments hidden, their bodies answer the same three ways for every
    viewer, compiled; anonymous viewers read null for every hidden one, staff read them all, and
    a hidden comment's author or anchor reads some."""

    trio.write(
        "UPDATE comments SET hidden_at = created_at, hidden_by_id = 1, "
        "hidden_reason = 'Off topic' WHERE id % 2 = 0"
    )
    document = (
        "{ workingGroups(first: 20) { nodes { comments(first: 50) { nodes { id body isHidden "
        "replies(first: 20) { nodes { id body isHidden } } } } } } }"
    )
    state = trio.clients[None][2].app.state.ogp
    person = Context(app=state, viewer=Viewer(person_id=2, scopes=frozenset({"read"})))
    (plan,) = plan_of(person, document)
    assert plan.statement is not None, plan.reason
    read: dict[str | None, list[bool]] = {}
    for role in EVERY_VIEWER:
        body = trio.compare(document, None, role).json()
        assert "errors" not in body, body
        data = body["data"]
        comments = [
            comment
            for group in data["workingGroups"]["nodes"]
            for top in group["comments"]["nodes"]
            for comment in (top, *top["replies"]["nodes"])
        ]
        assert all(c["body"] is not None for c in comments if not c["isHidden"]), role
        read[role] = [c["body"] is not None for c in comments if c["isHidden"]]
    assert read[None] and not any(read[None])
    assert all(read["staff"])
    assert any(any(seen) for role, seen in read.items() if role not in (None, "staff"))


def _depth(text: str) -> int:
    """How many fields deep a document's text opens (a `{` after a field; fragments open none)."""
    return text.count("{") - text.count("... on")


def deepest_paths(schema: GraphQLSchema, max_depth: int) -> dict[str, tuple[str, str]]:
    """Object type name -> (text before, text after) of the deepest path a query takes to its
    objects (`query_plans.walks` from each root, breadth first, one path per type and depth)
    leaving two levels of `max_depth` for a field and its `__typename`."""
    deepest: dict[str, tuple[str, str]] = {}
    layer = {
        t.name: (
            t,
            f"{name}({arguments}) {{ {before}" if arguments else f"{name} {{ {before}",
            f"{after} }}",
        )
        for name, arguments, t, before, after in reversed(list(roots(schema)))
    }
    while layer:
        following: dict[str, tuple[Any, str, str]] = {}
        for name, (type_, before, after) in layer.items():
            if name not in deepest or _depth(before) > _depth(deepest[name][0]):
                deepest[name] = (before, after)
            for step_before, step_after, target in walks(schema, type_):
                if _depth(before + step_before) + 2 <= max_depth:
                    following.setdefault(
                        target.name, (target, before + step_before, step_after + after)
                    )
        layer = following
    return deepest


def test_guarded_fields_at_the_deepest_answer_the_same_for_every_viewer(trio: Trio) -> None:
    """Each guarded field (`_guarded_fields`) at the deepest path a query may take to its type
    within the depth limit (`deepest_paths`): the compiled statement nests its rule's CASE
    deepest there (SQLite refuses some as too deep, core.compiled.sqljson.TOO_DEEP: the resolver
    path answers those). Asked three ways (then kept) as anonymous (the rule a constant), a
    member (a CASE on the row) and staff; no errors."""
    schema = trio.clients[None][2].app.state.ogp.schema._schema
    deepest = deepest_paths(schema, Limits().max_depth)
    asked = 0
    for type_name, _field, selection in _guarded_fields(trio):
        holders = [type_name] + [
            t.name
            for t in schema.type_map.values()
            if is_abstract_type(t) and schema.is_sub_type(t, schema.type_map[type_name])
        ]
        found = [deepest[name] for name in holders if name in deepest]
        assert found, (type_name, "reached by no query")
        before, after = max(found, key=lambda texts: _depth(texts[0]))
        document = f"{{ {before}... on {type_name} {{ {selection} }}{after} }}"
        for role in VIEWERS:
            body = trio.compare(document, None, role).json()
            assert "errors" not in body, (document, role, body)
        asked += 1
    assert asked >= 5


DEEP = (
    # a guarded field deep down: SQLite's parser refuses the compiled statement as too deep
    # (core.compiled.sqljson.TOO_DEEP), from the first request for some viewers and from the
    # kept one (wrapped in its token check) for others; the resolver path answers it
    "{ workingGroups(first: 20) { nodes { priorityAreas(first: 10) { nodes { comments(first: "
    "10) { nodes { hiddenBy { email } } } } } } } }",
    "{ workingGroups(first: 10) { nodes { meetings(first: 10) { nodes { comments(first: 5) { "
    "nodes { replies(first: 5) { nodes { hiddenBy { email } author { email } } } } } } } } } }",
)


def test_statements_too_deep_for_the_database_are_answered_by_the_resolver_path(
    trio: Trio,
) -> None:
    for document in DEEP:
        for role in EVERY_VIEWER:
            # compare: the three executors, then the compiled path twice more (kept)
            body = trio.compare(document, None, role).json()
            assert "errors" not in body and body["data"]["workingGroups"]["nodes"], (role, body)


def test_original_language_answers_the_same_in_every_language(trio: Trio) -> None:
    """`originalLanguage` compiles to the record's column (core.translations.types): records
    written in each of the three languages (the demo's are all English) answer the same three
    ways, by list and by node(id:)."""
    tables = {"working_groups": "group_id", "meetings": "meeting_id"}
    translations = {"working_groups": "group_translations", "meetings": "meeting_translations"}

    # a record keeps no translation into its own original language (CHECK)
    trio.write(
        *(
            (
                f"UPDATE {table} SET original_language = :l WHERE id % 3 = :r AND "
                f"NOT EXISTS (SELECT 1 FROM {translations[table]} t WHERE "
                f"t.{key} = {table}.id AND t.language = :l)",
                {"l": language, "r": remainder},
            )
            for table, key in tables.items()
            for language, remainder in (("es", 1), ("fr", 2))
        )
    )
    document = (
        "{ workingGroups(first: 100) { nodes { id originalLanguage meetings(first: 100) { "
        "nodes { originalLanguage } } } } }"
    )
    found: set[str] = set()
    for role in (None, "staff"):
        data = trio.compare(document, None, role).json()["data"]
        for group in data["workingGroups"]["nodes"]:
            found.add(group["originalLanguage"])
            found |= {m["originalLanguage"] for m in group["meetings"]["nodes"]}
            node = (
                f'{{ node(id: "{group["id"]}") {{ ... on WorkingGroup {{ originalLanguage }} }} }}'
            )
            trio.compare(node, None, role)
    assert found == {"EN", "ES", "FR"}
    (plan,) = plan_of(Context(app=trio.clients[None][2].app.state.ogp), document)
    assert plan.statement is not None, plan.reason
