"""Which root fields of an operation compile, and their statements (`plan_roots`, `explain`).

The decision for a root field is cached (bounded LRU) per document, operation name, enabled
plugins and what of the request changes the SQL's shape: the viewer's kind (anonymous, signed
in, staff: row rules differ), the negotiated language (translated texts fall back) and the
Boolean variables (`@skip`/`@include`). A field found not compilable is not tried again for the
same key. The statement itself is built per request from the same declarations (row rules and
variables are bound parameters of it); SQLAlchemy caches its SQL text by the statement's shape.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLObjectType
from sqlalchemy import Select

from core.compiled.compiler import Compiler
from core.compiled.probe import NotCompilable
from core.compiled.template import Template, shape_of, variables_only_in_own_arguments

CACHE_SIZE = 512
"""Plans kept (each a few response keys and reasons)."""


@dataclass(frozen=True)
class RootPlan:
    """One root field: `statement` when it compiles, else `reason` (it falls back)."""

    key: str
    field: str
    statement: Select[Any] | None
    reason: str | None
    sql: str | None = None
    """When set, the driver runs this SQL text with `parameters` instead of `statement`."""
    parameters: Any = None


_templates: OrderedDict[tuple[Any, ...], Template | None] = OrderedDict()
"""Compiled statements by plan key, viewer, response key and shape of the root's rows
(core.compiled.template); None: built, but not re-bindable."""
_own_only: OrderedDict[tuple[Any, ...], bool] = OrderedDict()
_fallbacks: OrderedDict[tuple[Any, ...], dict[str, str]] = OrderedDict()
_statements: OrderedDict[tuple[Any, ...], Select[Any]] = OrderedDict()
"""Built statements by plan key, viewer and variable values: a repeated request (the same
document, viewer and variables) reuses its statement instead of building it again. Everything a
statement depends on is in that key: the app (its schema and visible themes), the viewer (row
rules), the language, the document (literals) and the variables (bound values)."""


def _cache_key(ctx: Any, execution: Any) -> tuple[Any, ...]:
    from core.translations.types import chosen  # the translations domain imports the kernel

    operation = execution.operation
    body = operation.loc.source.body if operation.loc is not None else id(operation)
    name = operation.name.value if operation.name is not None else None
    viewer = ctx.viewer
    kind = "staff" if viewer.is_staff else ("anonymous" if viewer.person_id is None else "person")
    flags = tuple(
        sorted((k, v) for k, v in execution.variable_values.coerced.items() if type(v) is bool)
    )
    return (body, name, ctx.app.visible_themes, id(ctx.app.schema), kind, chosen(ctx, None), flags)


def _values(execution: Any) -> str:
    """The request's variable values as a key (JSON; unhashable values included)."""
    return repr(sorted(execution.variable_values.coerced.items(), key=lambda kv: kv[0]))


def plan_roots(
    ctx: Any, execution: Any, root_type: GraphQLObjectType, grouped: dict[str, Any]
) -> list[RootPlan]:
    """Per root field of `grouped` (response key -> field details), its plan, in order."""
    key = _cache_key(ctx, execution)
    known = _fallbacks.get(key)
    if known is not None:
        _fallbacks.move_to_end(key)
    reasons: dict[str, str] = {}
    compiler = Compiler(ctx, execution)
    plans = []
    for response_key, details in grouped.items():
        name = details[0].node.name.value
        reason = (known or {}).get(response_key)
        statement = None
        if reason is None:
            field_def = root_type.fields.get(name)
            built = (key, ctx.viewer, _values(execution), response_key)
            statement = _statements.get(built)
            try:
                if field_def is None:
                    raise NotCompilable("introspection")
                if statement is not None:
                    _statements.move_to_end(built)
                elif _own_arguments_only(key, response_key, details, compiler):
                    plans.append(_templated(ctx, compiler, key, response_key, field_def, details))
                    continue
                else:
                    statement = compiler.root(field_def, details)
                    _remember(_statements, built, statement)
            except NotCompilable as exc:
                reason = str(exc)
                if not exc.by_values:
                    reasons[response_key] = reason
        elif known is not None:
            reasons[response_key] = reason
        plans.append(RootPlan(response_key, name, statement, reason))
    if known is None:
        _fallbacks[key] = reasons
        if len(_fallbacks) > CACHE_SIZE:
            _fallbacks.popitem(last=False)
    return plans


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def _own_arguments_only(key: Any, response_key: str, details: Any, compiler: Compiler) -> bool:
    """`variables_only_in_own_arguments`, once per plan key and response key."""
    found = _own_only.get((key, response_key))
    if found is None:
        found = variables_only_in_own_arguments(details, compiler.fragments)
        _remember(_own_only, (key, response_key), found)
    return found


def _templated(
    ctx: Any, compiler: Compiler, key: Any, response_key: str, field_def: Any, details: Any
) -> RootPlan:
    """A root field whose variables only make its rows: its kept template re-bound to this
    request's rows, or built (and kept) when its rows have a shape not seen yet. Raises
    NotCompilable as `Compiler.root` does."""
    name = details[0].node.name.value
    shape, values = shape_of(compiler.root_rows(field_def, details), compiler.rows_kind)
    kept = (key, ctx.viewer, response_key, shape)
    seen = kept in _templates
    found = _templates.get(kept)
    if seen:
        _templates.move_to_end(kept)
    if found is not None and values is not None:
        return RootPlan(response_key, name, found.statement, None, *found.bind(values))
    statement = compiler.root(field_def, details)
    if shape is not None and not seen and compiler.rows is not None:
        _remember(_templates, kept, Template.of(statement, compiler.rows, ctx.db.engine.dialect))
    return RootPlan(response_key, name, statement, None)
