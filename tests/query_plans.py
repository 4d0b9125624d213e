"""EXPLAIN every statement the server runs for each root connection, filter and order (issue 12,
section 4): the cases come from the schema, the values from the data, the verdict from the plans.

`connection_cases(schema)` walks the Query type: every root field whose type has `pageInfo` is a
connection; each argument other than the paging ones (each input field of a `filter` input, or
the argument itself) gives one case per value (`values_for`), and the field with no filter one
more. `run_cases` requests each case through the ASGI app three ways (the first page, the page
after its end cursor, the last page: the order's index read forwards, resumed, and backwards),
captures the SQL with a `before_cursor_execute` listener on every engine, and `problems` reads
each statement's `EXPLAIN (FORMAT JSON)`:

- a Seq Scan of a table above LARGE rows (`pg_class.reltuples`) grows with the data;
- a Sort over more than SORT_SMALL input rows (the planner's estimate) means the order is not
  delivered by an index: every page sorts the whole filtered table again (a top-N heapsort
  included). Smaller sorts (a country's 25 organisations, 80 countries) are left alone.

`nested_cases(schema, viewer, data)` adds each relation field of each root connection's node type
and of each root list's item type (and of their possible types, for an interface), asked below
the first page, unfiltered and once per value of each of its filter arguments.

A new root connection or list, a new relation, or a new filter field of a known name or type, is
covered without editing this file; a filter field of a new name whose type gives no value fails
in `values_for`, naming it.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
)
from sqlalchemy import event
from sqlalchemy.engine import Engine

from core.loading import RELATION, STRAWBERRY
from core.schema.ids import to_global_id

LARGE = 10_000
"""Rows: a sequential scan of a bigger table grows with the data (bench/explain.py's bound)."""
SORT_SMALL = 500
"""Rows: a sort of at most this many is cheap whatever the page; above it an index must order."""
WALK = 500
"""Rows a scan may read and drop by its filter before a page's rows are found."""
PAGE = 10
INNER = 3
"""Rows of each relation on the way to a type nested deeper (`nested_cases`)."""
PAGING = ("first", "after", "last", "before")

# Filter fields whose value is a reference or a code: SQL drawing one from the data ("large"),
# by field name. A literal is used where the data has no such column (the free text).
FROM_DATA: dict[str, str] = {
    "country": "SELECT alpha2 FROM countries WHERE id = "
    "(SELECT country_id FROM organizations GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)",
    "region": "SELECT region FROM countries GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    "theme": "SELECT theme FROM working_groups ORDER BY id LIMIT 1",
    "group:String": "SELECT slug FROM working_groups ORDER BY id LIMIT 1",
    "group:ID": "SELECT 'WorkingGroup', min(id) FROM working_groups",
    "groupId": "SELECT 'WorkingGroup', min(id) FROM working_groups",
    "personId": "SELECT 'Person', min(id) FROM people",
    "actionPlan": "SELECT 'ActionPlan', max(id) FROM action_plans",
    "cohort": "SELECT cohort FROM action_plans GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    "topic": "SELECT coalesce((SELECT topic FROM commitment_topics LIMIT 1), 'open-contracting')",
    "tag": "SELECT coalesce((SELECT topic FROM resource_topics LIMIT 1), 'open-contracting')",
    "language": "SELECT coalesce((SELECT language FROM resource_languages LIMIT 1), 'en')",
    # the plugins' years and editions: what bench.generate draws (a plugin may be absent here)
    "year": "SELECT 2020",
    "edition:Int": "SELECT 2019",
    "edition:String": "SELECT '2020/21'",
    "fiscalYear": "SELECT 2022",
    "mutation": "SELECT 'registrationCreate'",
    "outcome": "SELECT 'OK'",
    "text": "SELECT 'budget'",
    "minRating": "SELECT 60",
    "minTransparency": "SELECT 61",
    "since": "SELECT DATE '2016-01-01'",
}
UNKNOWN: dict[str, Any] = {"String": "-", "Int": 0, "Float": 0, "Date": "2020-01-01"}
DATA_DAY = datetime(2026, 11, 1, tzinfo=UTC)  # bench.generate's FIXED_TODAY
SEARCH_QUERY = "budget"  # search(query:) is required: a word the generated texts hold


@dataclass(frozen=True)
class Case:
    """One request: `field(arguments)` where `arguments` is GraphQL argument text; `label` says
    which filter field and value it exercises."""

    field: str
    arguments: str
    label: str

    def document(self, paging: str) -> str:
        args = ", ".join(a for a in (self.arguments, paging) if a)
        return (
            f"query Plans {{ {self.field}({args}) {{ edges {{ cursor }} "
            "pageInfo { startCursor endCursor hasNextPage } } }"
        )


@dataclass
class Captured:
    """The statements a request ran, as the driver received them (SQL, parameters)."""

    statements: list[tuple[str, Any]] = field(default_factory=list)

    def __call__(self, _c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        self.statements.append((statement, parameters))


def root_connections(schema: GraphQLSchema) -> dict[str, Any]:
    """Query field name -> field, for every field whose type is a connection (has pageInfo)."""
    assert schema.query_type is not None
    return {
        name: f
        for name, f in schema.query_type.fields.items()
        if isinstance(t := get_named_type(f.type), GraphQLObjectType) and "pageInfo" in t.fields
    }


def _literal(value: Any) -> str:
    """A GraphQL literal of a Python value (enum values pass as `Enum(name)`)."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


@dataclass(frozen=True)
class Enum:
    name: str


def values_for(name: str, type_: Any, data: dict[str, Any]) -> list[Any]:
    """The values a case tries for input field `name` of GraphQL type `type_`: both booleans,
    an enum's first value (alone, or as a one-item list), instants around the data's day, else
    what FROM_DATA drew (`data`, by `name:Type` or `name`). Raises LookupError when none fits."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    listed = isinstance(inner, GraphQLList)
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        first = Enum(next(iter(named.values)))
        return [[first] if listed else first]
    assert isinstance(named, GraphQLScalarType)
    if named.name == "Boolean":
        return [True, False]
    if named.name == "DateTime":
        return [DATA_DAY.isoformat().replace("+00:00", "Z")]
    for key in (f"{name}:{named.name}", name):
        if key in data:
            return [data[key]]
    if named.name in UNKNOWN:  # a field of a name not met yet (a partner plugin's): the plan
        return [UNKNOWN[named.name]]  # of a value no row holds still shows scans and sorts
    raise LookupError(f"no value for the filter field {name!r} ({named.name}): add to FROM_DATA")


async def draw_values(conn: asyncpg.Connection) -> dict[str, Any]:
    """FROM_DATA's values on this database (a global ID for `('Type', pk)` rows)."""
    out: dict[str, Any] = {}
    for key, sql in FROM_DATA.items():
        row = await conn.fetchrow(sql)
        assert row is not None and row[-1] is not None, f"{key}: nothing in the data ({sql})"
        out[key] = to_global_id(row[0], row[1]) if len(row) == 2 else row[0]
        if hasattr(out[key], "isoformat"):
            out[key] = out[key].isoformat()
    return out


def connection_cases(schema: GraphQLSchema, data: dict[str, Any]) -> Iterator[Case]:
    """Every root connection unfiltered, then once per filter field and value; required
    arguments (search's `query`) always given."""
    for name, f in root_connections(schema).items():
        required = _required_arguments(f)
        yield Case(name, required, "no filter")
        for arguments, label in _filters(f, data):
            yield Case(name, ", ".join(x for x in (required, arguments) if x), label)


def _filters(f: Any, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(argument text, label) once per filter field of `f` (each input field of a `filter`
    input, or the argument itself) and value (`values_for`); paging and required arguments
    are not filters."""
    for arg, a in f.args.items():
        if arg in PAGING or isinstance(a.type, GraphQLNonNull):
            continue
        named = get_named_type(a.type)
        is_input = isinstance(named, GraphQLInputObjectType)
        fields = named.fields if is_input else {arg: a}
        for sub, s in fields.items():
            # a required field of the filter input (pepOnly: Boolean!) rides along
            others = [
                f"{o}: {_literal(values_for(o, t.type, data)[0])}"
                for o, t in fields.items()
                if o != sub and isinstance(t.type, GraphQLNonNull)
            ]
            for value in values_for(sub, s.type, data):
                text = ", ".join([f"{sub}: {_literal(value)}", *others])
                yield (f"{arg}: {{{text}}}" if is_input else text), f"{arg}.{sub}={_literal(value)}"


def _relation_fields(schema: GraphQLSchema, type_: Any) -> Iterator[tuple[str, str, Any]]:
    """(fragment, name, field) of each relation field (`core.loading.relation`) of a node type
    that takes no required argument: its own (fragment ""), then a possible type's own ones
    (fragment: the type's name, asked in `... on T`: a group's plugin fields)."""
    owners = [(type_, "")]
    if is_abstract_type(type_):
        owners += [(t, t.name) for t in schema.get_possible_types(type_)]
    for owner, fragment in owners:
        for name, f in owner.fields.items():
            definition = (f.extensions or {}).get(STRAWBERRY)
            if RELATION not in getattr(definition, "metadata", {}) or any(
                _required(a) for a in f.args.values()
            ):
                continue
            if fragment and name in getattr(type_, "fields", {}):
                continue  # the interface's own field: asked once, without a fragment
            yield fragment, name, f


def _relations(
    schema: GraphQLSchema, type_: Any, data: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    """(label, selection) of each relation field of a node type (`_relation_fields`): a list or
    object as `__typename`, a connection as its count and first nodes, a leaf (a list of
    values, a count) as itself; unfiltered, then once per filter field and value
    (`_filters`)."""
    for fragment, name, f in _relation_fields(schema, type_):
        named = get_named_type(f.type)
        if is_leaf_type(named):
            shape = ""
        elif "pageInfo" in getattr(named, "fields", {}):
            shape = " { totalCount nodes { __typename } }"
        else:
            shape = " { __typename }"
        label = f"{fragment or type_.name}.{name}"
        for arguments, suffix in [("", ""), *_filters(f, data)]:
            selection = f"{name}({arguments}){shape}" if arguments else f"{name}{shape}"
            inside = f"... on {fragment} {{ {selection} }}" if fragment else selection
            yield f"{label} {suffix}".rstrip(), inside


def root_lists(schema: GraphQLSchema) -> dict[str, Any]:
    """Query field name -> field, for every root field listing objects (not a connection)
    that takes no required argument (`countries`)."""
    assert schema.query_type is not None
    return {
        name: f
        for name, f in schema.query_type.fields.items()
        if isinstance(get_nullable_type(f.type), GraphQLList)
        and not is_leaf_type(get_named_type(f.type))
        and not any(_required(a) for a in f.args.values())
    }


def _required(argument: Any) -> bool:
    return isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined


def _required_arguments(f: Any) -> str:
    """The argument text a field needs (search's `query`), empty when it needs none."""
    return ", ".join(
        f"{arg}: {json.dumps(SEARCH_QUERY)}" for arg, a in f.args.items() if _required(a)
    )


def walks(schema: GraphQLSchema, type_: Any) -> Iterator[tuple[str, str, Any]]:
    """(text before, text after, target type) of each relation of `type_` (`_relation_fields`)
    that leads to objects: the selection to put between the two texts is asked of its first
    INNER rows (a connection's nodes, a list's items, an object)."""
    for fragment, name, f in _relation_fields(schema, type_):
        named = get_named_type(f.type)
        if is_leaf_type(named):
            continue
        if "pageInfo" in getattr(named, "fields", {}):
            target = get_named_type(named.fields["nodes"].type)
            before, after = f"{name}(first: {INNER}) {{ nodes {{ ", " } }"
        else:
            target = named
            first = f"(first: {INNER})" if "first" in f.args else ""
            before, after = f"{name}{first} {{ ", " }"
        if fragment:
            before, after = f"... on {fragment} {{ {before}", f"{after} }}"
        yield before, after, target


def roots(schema: GraphQLSchema) -> Iterator[tuple[str, str, Any, str, str]]:
    """(root field, its arguments, item type, text before, text after) of each root connection
    (its first PAGE nodes, between `nodes { ` and ` }`) and root list (`root_lists`)."""
    for name, f in root_connections(schema).items():
        nodes = get_named_type(get_named_type(f.type).fields["nodes"].type)
        arguments = ", ".join(a for a in (_required_arguments(f), f"first: {PAGE}") if a)
        yield name, arguments, nodes, "nodes { ", " }"
    for name, f in root_lists(schema).items():
        arguments = f"first: {PAGE}" if "first" in f.args else ""
        yield name, arguments, get_named_type(f.type), "", ""


def nested_cases(
    schema: GraphQLSchema, viewer: str, data: dict[str, Any]
) -> Iterator[tuple[Case, str]]:
    """Each relation (`_relations`: unfiltered, and with each filter argument's values drawn
    from `data` as `values_for` does) of every object type a query can reach: each root
    connection's nodes below its first PAGE rows, each root list's items (`root_lists`), and
    then, breadth first, each type their relations lead to (a meeting's registrations, a
    registration's person...), once, below the first INNER rows of the shortest path to it:
    (case, document), labelled with the `viewer` the test asks as. Its plan is the relation's
    (a correlated subquery of the compiled statement, or the resolver path's batch load)."""
    queue = deque(roots(schema))
    seen = {item_type.name for _, _, item_type, _, _ in queue}
    while queue:
        name, arguments, item_type, before, after = queue.popleft()
        called = f"{name}({arguments})" if arguments else name
        for label, selection in _relations(schema, item_type, data):
            document = f"query Plans {{ {called} {{ {before}{selection}{after} }} }}"
            yield Case(name, arguments, f"nested {viewer} {label}"), document
        for step_before, step_after, target in walks(schema, item_type):
            if target.name not in seen:
                seen.add(target.name)
                queue.append((name, arguments, target, before + step_before, step_after + after))


def scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every node of a plan tree."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from scans(child)


def _actual(node: dict[str, Any], key: str) -> float:
    """A figure of EXPLAIN ANALYZE over all of the node's loops."""
    return float(node.get(key, 0)) * float(node.get("Actual Loops", 1))


def judge(plan: dict[str, Any], sizes: dict[str, int]) -> list[str]:
    """What is wrong with one statement's EXPLAIN ANALYZE plan: a Seq Scan of a large table, a
    Sort of more than SORT_SMALL rows, an index scan (the order's) that walks past more than
    WALK rows its filter drops (an index on the filter's columns and the order would skip them).
    A Seq Scan of a small table is the planner's choice (a few probes cost more), not a fault."""
    found = []
    for node in scans(plan):
        kind, table = node.get("Node Type"), node.get("Relation Name", "")
        if kind == "Seq Scan" and sizes.get(table, 0) > LARGE:
            found.append(f"Seq Scan on {table} ({sizes[table]:,} rows)")
        if kind == "Sort":
            rows = sum(_actual(c, "Actual Rows") for c in node.get("Plans", ()))
            if rows > SORT_SMALL:
                found.append(f"Sort of {rows:,.0f} rows by {', '.join(node.get('Sort Key', []))}")
        walked = _actual(node, "Rows Removed by Filter")
        if kind in ("Index Scan", "Index Only Scan") and walked > WALK:
            found.append(f"{kind} on {table} walks past {walked:,.0f} rows ({node.get('Filter')})")
    return found


@dataclass
class Outcome:
    """One case, one paging: the statements and their problems (empty: every plan is fine)."""

    case: Case
    paging: str
    problems: list[tuple[str, list[str]]]
    statements: int


PLANS = ("force_custom_plan", "force_generic_plan")
"""Both plans a server's prepared statement may run with: a custom one (planned for the values;
`auto`'s first five executions) and a generic one (planned once for any value: always under
`force_generic_plan`, and under `auto` once PostgreSQL finds it no costlier than the custom
ones), whatever `database_plan_cache_mode` this test's server has."""


async def explain_all(
    conn: asyncpg.Connection, statements: Sequence[tuple[str, Any]], sizes: dict[str, int]
) -> list[tuple[str, list[str]]]:
    """(statement, problems) for each statement with problems, each problem named by its plan
    (PLANS). A statement is EXPLAINed as the server runs it, a prepared statement executed with
    its values: `EXPLAIN <statement>` with parameters would plan for the values every time,
    whatever `plan_cache_mode` says, and never show a generic plan."""
    bad = []
    for sql, args in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        found = []
        for mode in PLANS:
            await conn.execute(f"SET plan_cache_mode = {mode}")
            await conn.execute(f"PREPARE explained AS {sql}")
            try:
                types = await conn.fetchval(
                    "SELECT parameter_types::text[] FROM pg_prepared_statements "
                    "WHERE name = 'explained'"
                )
                # EXECUTE takes no bound parameters: each value as the database quotes it
                literals = [
                    await conn.fetchval(f"SELECT quote_nullable($1::{t})", value)
                    for t, value in zip(types, args or (), strict=True)
                ]
                values = ", ".join(f"{v}::{t}" for v, t in zip(literals, types, strict=True))
                execute = f"EXECUTE explained({values})" if types else "EXECUTE explained"
                raw = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {execute}")
            finally:
                await conn.execute("DEALLOCATE explained")
            plan = json.loads(raw) if isinstance(raw, str) else raw
            found += [f"{mode}: {p}" for p in judge(plan[0]["Plan"], sizes)]
        if found:
            bad.append((" ".join(sql.split()), found))
    return bad


async def table_sizes(conn: asyncpg.Connection) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT relname, reltuples::bigint AS n FROM pg_class "
        "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
    )
    return {r["relname"]: r["n"] for r in rows}


async def run_request(
    client: httpx.AsyncClient, captured: Captured, document: str, variables: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:  # fmt: skip
    """The answer and the statements one request ran (every engine's, through `captured`)."""
    captured.statements.clear()
    response = await client.post(
        "/graphql", json={"query": document, "variables": variables or {}}, headers=headers
    )
    answer = response.json()
    ran = list(captured.statements)
    counted = int(response.headers.get("x-sql-statements", len(ran)))
    assert counted <= len(ran), f"{counted} statements ran, {len(ran)} seen: {document}"
    return answer, ran


def listening() -> Captured:
    """A capture of every SQLAlchemy engine's statements (the primary, a replica if any)."""
    captured = Captured()
    event.listen(Engine, "before_cursor_execute", captured)
    return captured


def stop_listening(captured: Captured) -> None:
    event.remove(Engine, "before_cursor_execute", captured)


def _refused(answer: dict[str, Any]) -> bool:
    """Whether the viewer may not read the field at all (UNAUTHENTICATED, FORBIDDEN)."""
    codes = {e.get("extensions", {}).get("code") for e in answer.get("errors", ())}
    return bool(codes) and codes <= {"UNAUTHENTICATED", "FORBIDDEN"}


async def run_cases(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    cases: Sequence[Case],
    headers: dict[str, str],
) -> list[Outcome]:
    """Each case's first page, the page after its end cursor, and its last page, explained."""
    sizes = await table_sizes(conn)
    captured = listening()
    out = []
    try:
        for case in cases:
            pagings = [f"first: {PAGE}", f"last: {PAGE}"]
            answer, ran = await run_request(client, captured, case.document(pagings[0]), None,
                                            headers)  # fmt: skip
            if _refused(answer):
                continue  # not for this viewer (staff only): nothing is read
            assert "errors" not in answer, f"{case}: {answer['errors']}"
            out.append(Outcome(case, pagings[0], await explain_all(conn, ran, sizes), len(ran)))
            page = next(iter(answer["data"].values()))
            if page and page["pageInfo"]["hasNextPage"]:
                after = f"first: {PAGE}, after: {json.dumps(page['pageInfo']['endCursor'])}"
                pagings.insert(1, after)
            for paging in pagings[1:]:
                answer, ran = await run_request(client, captured, case.document(paging), None,
                                                headers)  # fmt: skip
                assert "errors" not in answer, f"{case} {paging}: {answer['errors']}"
                out.append(Outcome(case, paging, await explain_all(conn, ran, sizes), len(ran)))
    finally:
        stop_listening(captured)
    return out


async def run_documents(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    documents: Sequence[tuple[Case, str, dict[str, Any]]],
    headers: dict[str, str] | None = None,
    refusable: bool = False,
) -> list[Outcome]:
    """Each (case, document, variables) requested once and explained as `run_cases` does: the
    benchmark's read pages (a group's upcoming meetings, a meeting's registrations) and the
    nested relations (`nested_cases`); with `refusable`, a document the viewer may not read
    (staff only) is skipped, else its refusal fails."""
    sizes = await table_sizes(conn)
    captured = listening()
    out = []
    try:
        for case, document, variables in documents:
            answer, ran = await run_request(client, captured, document, variables, headers)
            if refusable and _refused(answer):
                continue
            assert "errors" not in answer, f"{case}: {answer['errors']}"
            out.append(Outcome(case, "", await explain_all(conn, ran, sizes), len(ran)))
    finally:
        stop_listening(captured)
    return out
