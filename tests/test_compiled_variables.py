"""A compiled statement kept per plan answers every request of that plan right, whatever its
variables' values (core.compiled.template).

For each root field that declares what it reads (found from the schema), hypothesis writes
documents (hypothesis-graphql) whose root arguments are then turned into variables; each
document is sent with its own values and with other values generated from the arguments'
GraphQL input types (valid ones, drawn from the demo data, and nonsense), so the second and later
requests of a document re-bind the statement the first one built. Three executors (graphql-core,
the resolver path, the compiled path) must answer byte for byte alike, as anonymous and each
demo role (three persons of one kind among them), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import graphql
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.compiled.declare import COMPILED_ROOT
from core.loading import STRAWBERRY
from core.schema.ids import to_global_id
from tests.executors import EVERY_VIEWER, VIEWERS, Trio, documents

EXAMPLES = 150
"""Documents in all, over every compiled root field (about 30): enough for twenty and more
re-bindings of kept statements, bounded however many roots compile."""
PAGING = {"first", "after", "last", "before"}


def _as_variables(
    document: graphql.DocumentNode, root_type: graphql.GraphQLObjectType
) -> tuple[str, dict[str, Any]]:
    """`document` with its root field's non-paging literal arguments as variables, and their
    values (as JSON)."""
    (operation,) = document.definitions
    assert isinstance(operation, graphql.OperationDefinitionNode)
    (field,) = operation.selection_set.selections
    assert isinstance(field, graphql.FieldNode)
    definitions, arguments, values = [], [], {}
    for argument in field.arguments:
        name = argument.name.value
        if name in PAGING or isinstance(argument.value, graphql.VariableNode):
            arguments.append(argument)
            continue
        gtype = root_type.fields[field.name.value].args[name].type
        variable = graphql.VariableNode(name=graphql.NameNode(value=f"v_{name}"))
        definitions.append(
            graphql.VariableDefinitionNode(
                variable=variable, type=graphql.parse_type(str(gtype)), directives=()
            )
        )
        arguments.append(replace(argument, value=variable))
        values[f"v_{name}"] = graphql.value_from_ast_untyped(argument.value)
    field = replace(field, arguments=tuple(arguments))
    operation = replace(
        operation,
        variable_definitions=tuple(definitions),
        selection_set=replace(operation.selection_set, selections=(field,)),
    )
    return graphql.print_ast(replace(document, definitions=(operation,))), values


def _values_of(gtype: Any, known: dict[str, list[Any]], depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON values of a GraphQL input type: known values of the demo data for strings and IDs
    (slugs, codes, global IDs) mixed with nonsense, enums' names, nested input objects."""
    if isinstance(gtype, graphql.GraphQLNonNull):
        return _values_of(gtype.of_type, known, depth)
    nullable = st.none()
    if isinstance(gtype, graphql.GraphQLList):
        return nullable | st.lists(_values_of(gtype.of_type, known, depth + 1), max_size=3)
    if isinstance(gtype, graphql.GraphQLEnumType):
        return nullable | st.sampled_from(sorted(gtype.values))
    if isinstance(gtype, graphql.GraphQLInputObjectType):
        if depth > 2:
            return nullable
        fields = {name: _values_of(f.type, known, depth + 1) for name, f in gtype.fields.items()}
        return nullable | st.fixed_dictionaries({}, optional=fields)
    if gtype in (graphql.GraphQLString, graphql.GraphQLID):
        return (
            nullable
            | st.sampled_from(known["strings"])
            | st.text(max_size=8)
            | _unholdable(known["node_types"])
        )
    if gtype is graphql.GraphQLInt:
        return nullable | st.integers(-3, 3000)
    if gtype is graphql.GraphQLBoolean:
        return nullable | st.booleans()
    return nullable  # Date/DateTime and other scalars: covered by the literal examples


def _unholdable(node_types: list[str]) -> st.SearchStrategy[str]:
    """Values no database compares as they are (core.storable: the guard must rewrite the
    statement): text holding a NUL, and the global ID of every Node type with a key past every
    integer column's range."""
    past_range = st.integers(min_value=2**63) | st.integers(max_value=-(2**63) - 1)
    return st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=3), st.text(max_size=3)) | (
        st.builds(to_global_id, st.sampled_from(node_types), past_range)
    )


def test_a_kept_statement_answers_every_value_of_its_variables(trio: Trio) -> None:
    schema = trio.clients[None][2].app.state.ogp.schema._schema
    root_type = schema.query_type
    roots = sorted(
        name
        for name, field in root_type.fields.items()
        if COMPILED_ROOT in getattr((field.extensions or {}).get(STRAWBERRY), "metadata", {})
    )
    listing = trio.compare(
        "{ workingGroups(first: 100) { nodes { id slug anchors { organization { id country "
        "{ code } } } meetings(first: 20) { nodes { id } } } } }"
    ).json()["data"]["workingGroups"]["nodes"]
    strings = sorted(
        {g["slug"] for g in listing}
        | {g["id"] for g in listing}
        | {m["id"] for g in listing for m in g["meetings"]["nodes"]}
        | {a["organization"]["id"] for g in listing for a in g["anchors"]}
        | {
            a["organization"]["country"]["code"]
            for g in listing
            for a in g["anchors"]
            if a["organization"]["country"]
        }
    )
    node_types = sorted(
        name
        for name, gtype in schema.type_map.items()
        if isinstance(gtype, graphql.GraphQLObjectType)
        and any(interface.name == "Node" for interface in gtype.interfaces)
    )
    known = {"strings": strings, "node_types": node_types}
    generated = documents(trio.sdl, roots)
    kept = {"rebound": 0}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    # every demo role: persons of one kind share a kept statement, re-bound to each of them
    @given(document=generated, data=st.data(), role=st.sampled_from(EVERY_VIEWER))
    def check(document: graphql.DocumentNode, data: st.DataObject, role: str | None) -> None:
        text, values = _as_variables(document, root_type)
        field = root_type.fields[document.definitions[0].selection_set.selections[0].name.value]
        others = [
            {
                f"v_{name}": data.draw(_values_of(field.args[name].type, known))
                for name in (v[2:] for v in values)
            }
            for _ in range(3)
        ]
        for variables in (values, *others, values):
            trio.compare(text, variables, role)
            plans = trio.plans(text, variables) if role is None else []
            kept["rebound"] += sum(p.sql is not None for p in plans)

    check()
    assert kept["rebound"] >= 20  # the kept statements were re-bound, not only built


UNHOLDABLE = [
    "a\x00b",  # no database compares a NUL: the guard's rewrite must run (core.storable)
    to_global_id("Meeting", 2**70),  # an ID past every integer column's range
    to_global_id("WorkingGroup", -(2**63) - 1),
]


SWEEPS = {
    "slugs": "query ($v: String!) { workingGroup(slug: $v) { __typename id name anchors { role "
    "organization { name } } meetings(first: 3) { totalCount nodes { id title } } } }",
    "ids": "query ($v: ID!) { node(id: $v) { __typename id ... on Meeting { title "
    "remainingPlaces registrations(first: 3) { nodes { status } } } ... on WorkingGroup { name "
    "} } }",
    "codes": "query ($v: String!) { country(code: $v) { name organizations { name } } }",
}


def test_one_document_swept_over_every_value_answers_each_right(trio: Trio) -> None:
    """One document per compiled root, sent with every slug, ID and country code of the demo
    data (and values naming nothing) in turn: each answer is its own value's, three ways."""
    listing = trio.compare(
        "{ workingGroups(first: 100) { nodes { id slug anchors { organization { id country "
        "{ code } } } meetings(first: 20) { nodes { id } } } } }"
    ).json()["data"]["workingGroups"]["nodes"]
    values = {
        "slugs": [g["slug"] for g in listing],
        "ids": [m["id"] for g in listing for m in g["meetings"]["nodes"]]
        + [g["id"] for g in listing]
        + [a["organization"]["id"] for g in listing for a in g["anchors"]],
        "codes": sorted(
            {
                a["organization"]["country"]["code"]
                for g in listing
                for a in g["anchors"]
                if a["organization"]["country"]
            }
        ),
    }
    for kind, document in SWEEPS.items():
        for role in VIEWERS:
            answers = {
                trio.compare(document, {"v": value}, role).text
                for value in [*values[kind], "nope", "", *UNHOLDABLE, *values[kind][:2]]
            }
            # different values, different answers: no request got another's rows
            assert len(answers) >= min(4, len(values[kind])), (kind, role)
        (plan,) = trio.plans(document, {"v": values[kind][-1]})
        assert plan.sql is not None, (kind, plan.reason)  # re-bound, not built again


def test_a_statement_built_per_values_answers_alike_when_they_come_again(trio: Trio) -> None:
    """A root field with a variable in its selection (a nested page's size and cursor) is built
    for each set of values; the same values again run its kept SQL (core.compiled.plan._built,
    then `bound`). Each page of a nested walk, sent twice, answers alike three ways, and the third
    sight of a page's values is planned as SQL text, not built again."""
    document = (
        "query ($n: Int, $a: String) { workingGroups(first: 5) { nodes { slug "
        "meetings(first: $n, after: $a) { totalCount edges { cursor node { id title startsAt } } "
        "pageInfo { hasNextPage endCursor } } } } }"
    )
    after: str | None = None
    pages = 0
    while True:
        variables = {"n": 2, "a": after}
        first = trio.compare(document, variables).text
        assert trio.compare(document, variables).text == first
        (plan,) = trio.plans(document, variables)
        assert plan.sql is not None, plan.reason
        groups = orjson.loads(first)["data"]["workingGroups"]["nodes"]
        pages += 1
        infos = [
            g["meetings"]["pageInfo"] for g in groups if g["meetings"]["pageInfo"]["hasNextPage"]
        ]
        if not infos or pages > 30:
            break
        after = infos[0]["endCursor"]  # the cursor of the first group still paging
    assert pages >= 3  # a walk, not one page


def test_large_variable_values_are_answered_but_not_kept(trio: Trio) -> None:
    """The per-values caches hold a bounded number of entries whatever their size: values past
    MAX_KEPT_VALUES (a body may carry a megabyte of variables) are answered, never kept."""
    from core.compiled.plan import MAX_KEPT_VALUES

    document = "query ($v: String!) { workingGroup(slug: $v) { name } }"
    large = "x" * (MAX_KEPT_VALUES + 1)
    for variables in ({"v": large}, {"v": large}, {"v": "a-slug"}, {"v": "a-slug"}):
        assert trio.compare(document, variables).json()["data"] == {"workingGroup": None}
    caches = trio.clients[None][2].app.state.ogp.caches["core.compiled.plan"]
    kept = [key for key in caches.bound if key[0][0] == document]
    assert [len(key[2]) <= MAX_KEPT_VALUES for key in kept] == [True]  # the small one only
