"""Kept mutations (issue 12): a mutation document the whole way answered is run again with its
one root field executed as graphql-core executes it, without Strawberry's operation machinery
and graphql-core's walk of the operation.

Kept, by document text and operation name: a POST request's mutation operation that the whole
way answered with `data` (so it parsed, was valid and within its limits: facts of the text and
the schema alone) and whose shape leaves nothing else to do:
- one root field, no fragment, no directive anywhere (nothing depends on `@skip`/`@include`);
- arguments on the root field alone, which takes no `first`/`last` and returns an object or
  null (so the operation's `extensions.cost`, core.limits, counts no page that a variable
  sizes: it is the whole way's, kept with the plan);
- a nullable root field (every mutation's: core.access.guards.MutationGuard makes it so), so a
  failure nulls the field, never `data`;
- no schema extension that wraps resolvers (Strawberry's middleware: tracing, which turns the
  kept path off anyway).

Each kept request builds a fresh executor of the schema's class, as graphql-core's `execute`
does (the variables coerced, refused with the same errors), and runs the root field as its
`execute_field` does (`KeptMutations._field`: the same resolve info, argument values, resolver
with its guard, audit and transaction, error handling); the response is the executor's
`build_response`. Two steps are shortened where the plan knows the answer:
- a payload whose fields are all read directly (an attribute, a plain method) is completed by
  the plan (`_completion`: core.execution's getters and leaf completers); anything it is not
  sure of (a null where none may be, an unexpected type, a failure) graphql-core completes;
- such a payload's `prefetch` (core.loading) returns at once: no relation is selected and no
  resolver of its own runs, so it would load nothing.
What the skipped layers did, done here alike:
- the rate limiter charges the operation (as a mutation) before it runs: a refusal answers the
  same 429 (core.ratelimit);
- the operation's name and type are noted for the access log and the metrics
  (core.observability.operations);
- errors are logged once, as the schema's `process_errors` logs them;
- mutations read and write the primary (core.replica: `replica_reads` stays unset).
A GET request (where the whole way refuses a mutation with 405) and a request over WebSocket are
never served here. tests/test_kept_mutations.py plays every mutation both ways, with its real
input, refused and with wrong variables, and requires the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    OperationType,
    get_named_type,
    get_operation_ast,
    parse,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.values import get_argument_values
from graphql.language import (
    ArgumentNode,
    DirectiveNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.language.visitor import BREAK, Visitor, visit
from graphql.pyutils import Path
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.types import ExecutionResult

from core.execution import MISSING, Getter, leaf_completer, plain_getter
from core.loading import nothing_selected
from core.observability.logs import log_graphql_errors
from core.observability.operations import Operation, note
from core.ratelimit import charge_operation, charged_already

KEPT_SIZE = 256
"""Mutation documents kept per app (each: its parsed document and plan; None for a document
looked at and not kept, so it is parsed once)."""
NO_PAGES = frozenset({"first", "last"})


@dataclass(frozen=True)
class KeptMutation:
    """A kept mutation: its document, its one root field (response key, field
    details, field definition), the operation's name as noted and the whole way's
    `extensions` (its cost)."""

    document: DocumentNode
    key: str
    details: tuple[FieldDetails, ...]
    name: str | None
    extensions: dict[str, Any] | None
    complete: Completion | None
    """The payload's completion when every field selected is read directly (`_completion`),
    else None (graphql-core's, through the executor). With it, the payload's `prefetch` has
    nothing to load (no relation is selected, no resolver of its own runs):
    core.loading.nothing_selected."""


Completion = Callable[[Any], Any]
"""A payload -> its completed value, or MISSING for anything the plan is not sure of (None in
a non-null position, an unexpected type, a failure): graphql-core then completes it."""


def _completion(field_type: Any, selection: SelectionSetNode | None) -> Completion | None:
    """The completion of a value of `field_type` with `selection`, or None when a field in it
    is not read directly (core.execution's plain getters: an attribute or a method of `self`)
    or a response key repeats. Leaves complete as core.execution's do (graphql-core's values:
    tests/test_execution.py)."""
    if isinstance(field_type, GraphQLNonNull):
        inner = _completion(field_type.of_type, selection)
        if inner is None:
            return None

        def non_null(value: Any) -> Any:
            return MISSING if value is None else inner(value)

        return non_null
    nullable = _nullable_completion(field_type, selection)
    if nullable is None:
        return None
    return lambda value: None if value is None else nullable(value)


def _nullable_completion(field_type: Any, selection: SelectionSetNode | None) -> Completion | None:
    if isinstance(field_type, GraphQLScalarType | GraphQLEnumType):
        leaf = leaf_completer(field_type)

        def complete_leaf(value: Any) -> Any:
            try:
                return leaf(value, None)  # type: ignore[arg-type]  # a leaf reads no path
            except Exception:  # graphql-core reports it, at its path
                return MISSING

        return complete_leaf
    if isinstance(field_type, GraphQLList):
        item = _completion(field_type.of_type, selection)
        if item is None:
            return None

        def complete_list(value: Any) -> Any:
            if not isinstance(value, list | tuple):
                return MISSING
            items = [item(element) for element in value]
            return MISSING if any(i is MISSING for i in items) else items

        return complete_list
    if not isinstance(field_type, GraphQLObjectType) or selection is None:
        return None
    fields: list[tuple[str, Getter | None, Completion | str]] = []
    for node in selection.selections:
        assert isinstance(node, FieldNode)  # `_Unkeepable` saw to that
        key = node.alias.value if node.alias else node.name.value
        if key in (k for k, _, _ in fields):
            return None
        if node.name.value == "__typename":
            fields.append((key, None, field_type.name))
            continue
        field = field_type.fields[node.name.value]
        getter, completion = plain_getter(field), _completion(field.type, node.selection_set)
        if getter is None or completion is None:
            return None
        fields.append((key, getter, completion))
    is_type_of = field_type.is_type_of

    def complete_object(value: Any) -> Any:
        # Strawberry's is_type_of is an isinstance check that ignores `info` (core.execution)
        if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
            return MISSING
        out: dict[str, Any] = {}
        for key, getter, completion in fields:
            if getter is None:
                out[key] = completion  # __typename
                continue
            try:
                raw = getter(value)
            except Exception:  # a plain method that fails: graphql-core reports it
                return MISSING
            done = MISSING if raw is MISSING else completion(raw)  # type: ignore[operator]
            if done is MISSING:
                return MISSING
            out[key] = done
        return out

    return complete_object


class _Unkeepable(Visitor):
    """Finds what a kept mutation cannot have below its root field: a fragment, a directive,
    an argument."""

    found = False

    def enter(self, node: Any, *_: Any) -> Any:
        if isinstance(node, FragmentSpreadNode | InlineFragmentNode | DirectiveNode | ArgumentNode):
            self.found = True
            return BREAK
        return None


def plan_of(schema: Any, query: str, name: str | None, extensions: Any) -> KeptMutation | None:
    """The plan of `query`'s operation `name` (Strawberry `schema`), or None when it is not
    kept (see the module docstring)."""
    graphql_schema: GraphQLSchema = schema._schema
    mutation_type = graphql_schema.mutation_type
    if mutation_type is None or any(e._implements_resolve() for e in schema.get_extensions()):
        return None
    document = parse(query)
    operation = get_operation_ast(document, name)
    if operation is None or operation.operation is not OperationType.MUTATION:
        return None
    if len(document.definitions) != 1 or operation.directives:
        return None
    (root, *others) = operation.selection_set.selections
    if others or not isinstance(root, FieldNode) or root.directives:
        return None
    field = mutation_type.fields.get(root.name.value)
    if field is None or isinstance(field.type, GraphQLNonNull) or NO_PAGES & set(field.args):
        return None
    if not isinstance(get_named_type(field.type), GraphQLObjectType):
        return None
    unkeepable = _Unkeepable()
    if root.selection_set is not None:
        visit(root.selection_set, unkeepable)
    if unkeepable.found:
        return None
    noted = name if name is not None else (operation.name.value if operation.name else None)
    key = root.alias.value if root.alias else root.name.value
    details = (FieldDetails(root, None),)  # no @defer: no defer usage
    complete = _completion(field.type, root.selection_set)
    return KeptMutation(document, key, details, noted, extensions, complete)


class KeptMutations:
    """One app's kept mutations (held by core.compiled.kept.KeptOperations)."""

    def __init__(self, size: int = KEPT_SIZE) -> None:
        self._kept: LRUCache[tuple[str, str | None], KeptMutation | None] = LRUCache(size)
        self.answered = 0
        """Mutations run here so far, refusals included (the tests' evidence of this path)."""

    def get(self, request: Any, context: Any) -> KeptMutation | None:
        """The kept plan for `request` (Strawberry's GraphQLRequestData), if any."""
        key = _key(request, context)
        return None if key is None else self._kept.get(key)

    def consider(self, request: Any, context: Any, result: ExecutionResult) -> None:
        """After the whole way answered `request` with `result`: keep its plan if it qualifies
        (looked at once per document and name)."""
        key = _key(request, context)
        if key is None or key in self._kept or result.data is None:
            return
        query, name = key
        if "mutation" not in query:  # cheap: a query's text (a keyword or a field may say it)
            return
        self._kept[key] = plan_of(context.app.schema, query, name, result.extensions)

    async def run(self, kept: KeptMutation, request: Any, context: Any) -> ExecutionResult:
        """`kept` run for `request` (see the module docstring)."""
        try:
            refused = await charge_operation(context, is_mutation=True)
            if refused is not None:
                log_graphql_errors([refused], operation=kept.name)
                self.answered += 1
                return ExecutionResult(None, [refused], extensions=kept.extensions)
            with charged_already():
                result = await self._execute(kept, request, context)
            self.answered += 1
            return result
        finally:
            note(Operation(kept.name, "mutation"))

    async def _execute(self, kept: KeptMutation, request: Any, context: Any) -> ExecutionResult:
        schema = context.app.schema
        graphql_schema: GraphQLSchema = schema._schema
        executor = schema.execution_context_class.build(
            graphql_schema,
            kept.document,
            None,  # the root value: the view's (Strawberry's default) for every operation
            context,
            request.variables,
            request.operation_name,
            is_awaitable=optimized_is_awaitable,
            operation_extensions=request.extensions,
        )
        if isinstance(executor, list):  # the variables' errors, as graphql-core answers them
            log_graphql_errors(executor, operation=kept.name)
            return ExecutionResult(None, executor, extensions=kept.extensions)
        mutation_type = graphql_schema.mutation_type
        path = Path(None, kept.key, mutation_type.name if mutation_type else None)
        token = nothing_selected.set(kept.complete is not None)
        try:
            value = await self._field(kept, executor, path)
        finally:
            nothing_selected.reset(token)
        result = executor.build_response({kept.key: value})
        errors: list[GraphQLError] | None = result.errors
        if errors:
            log_graphql_errors(errors, operation=kept.name)
        return ExecutionResult(result.data, errors, extensions=kept.extensions)

    @staticmethod
    async def _field(kept: KeptMutation, executor: Any, path: Path) -> Any:
        """The root field's completed value, as graphql-core's `execute_field` makes it (its
        resolve info, argument values, resolver, completion and error handling), completed by
        the plan where it can."""
        (detail,) = kept.details
        node, parent = detail.node, executor.schema.mutation_type
        field = parent.fields[node.name.value]
        details, return_type = list(kept.details), field.type
        info = executor.build_resolve_info(field, [node], parent, path)
        try:
            arguments = (
                get_argument_values(
                    field, node, executor.variable_values, None, executor.hide_suggestions
                )
                if field.args or node.arguments
                else {}
            )
            result = (field.resolve or executor.field_resolver)(None, info, **arguments)
            if optimized_is_awaitable(result):
                result = await result
            completed = MISSING if kept.complete is None else kept.complete(result)
            if completed is MISSING:
                completed = executor.complete_value(return_type, details, info, path, result, None)
                if optimized_is_awaitable(completed):
                    completed = await completed
        except Exception as raw_error:
            executor.handle_field_error(raw_error, return_type, details, path)
            completed = None
        return completed


def _key(request: Any, context: Any) -> tuple[str, str | None] | None:
    """(document text, operation name) of a POST request, else None (never kept)."""
    http = context.request
    if http is None or http.method != "POST":
        return None
    query, name = request.query, request.operation_name
    if not isinstance(query, str) or not (name is None or isinstance(name, str)):
        return None
    return query, name
