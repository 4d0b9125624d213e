"""`ogp-wg explain 'QUERY'`: which root fields compile, why the others fall back, and the SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.collect_fields import FragmentDetails, collect_fields
from graphql.execution.values import VariableValues, get_variable_values

from core.compiled.plan import RootPlan, plan_roots


@dataclass
class _Execution:
    """What the compiler reads of an execution context."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variable_values: VariableValues
    operation: OperationDefinitionNode


def plan_of(
    ctx: Any, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
) -> list[RootPlan]:
    """The plan of a query operation for the viewer of `ctx`. Raises GraphQLError for a
    document that does not parse or validate, or variables that do not coerce."""
    schema: GraphQLSchema = ctx.app.schema._schema
    document = parse(query)
    errors = validate(schema, document)
    if errors:
        raise errors[0]
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation.value != "query":
        raise GraphQLError("explain takes one query operation (name it with --operation)")
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        raise coerced[0]
    fragments = {
        d.name.value: FragmentDetails(d, None)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    execution = _Execution(schema, fragments, coerced, operation)
    query_type = schema.query_type
    assert query_type is not None
    grouped = collect_fields(schema, fragments, coerced, query_type, operation).grouped_field_set
    return plan_roots(ctx, execution, query_type, grouped)


def describe(plans: list[RootPlan], dialect: Any) -> str:
    """The plan as text: per root field `key: compiled` and its SQL, or `key: fallback (why)`."""
    lines = []
    for plan in plans:
        if plan.statement is None:
            lines.append(f"{plan.key}: fallback ({plan.reason})")
            continue
        sql = plan.statement.compile(dialect=dialect)
        lines.append(f"{plan.key}: compiled (1 SQL statement, {len(sql.params)} parameters)")
        lines.append(str(sql))
        lines.append("")
    return "\n".join(lines)
