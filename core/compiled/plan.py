"""Which root fields of an operation compile, and their statements (`plan_roots`, `explain`).

Per app (`AppState.caches`, so two apps in one process never share an entry), bounded LRUs keyed
by the plan: document, operation name, the viewer's kind (anonymous, signed in, staff: row rules
differ), the negotiated language (translated texts fall back) and the Boolean variables
(`@skip`/`@include`):
- which root fields fall back, and why (a field found not compilable is not tried again);
- per viewer and shape of a root field's rows, its statement compiled once and re-bound to each
  request's values (core.compiled.template), for root fields whose variables only make rows;
- for the other root fields, built statements per viewer and variable values.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
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


@dataclass
class PlanCaches:
    """One app's caches (bounded LRUs, `CACHE_SIZE` entries each)."""

    fallbacks: OrderedDict[tuple[Any, ...], dict[str, str]] = field(default_factory=OrderedDict)
    """Plan key -> {response key: why it falls back}."""
    templates: OrderedDict[tuple[Any, ...], Template | None] = field(default_factory=OrderedDict)
    """(plan key, viewer, response key, rows' shape) -> its template (None: not re-bindable)."""
    own_only: OrderedDict[tuple[Any, ...], bool] = field(default_factory=OrderedDict)
    """(plan key, response key) -> `variables_only_in_own_arguments`."""
    statements: OrderedDict[tuple[Any, ...], Select[Any]] = field(default_factory=OrderedDict)
    """(plan key, viewer, variable values, response key) -> built statement: everything a
    statement depends on is in that key (the document's literals and the bound values)."""


def _caches(ctx: Any) -> PlanCaches:
    caches: PlanCaches | None = ctx.app.caches.get(__name__)
    if caches is None:
        caches = ctx.app.caches[__name__] = PlanCaches()
    return caches


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
    return (body, name, kind, chosen(ctx, None), flags)


def _values(execution: Any) -> str:
    """The request's variable values as a key (JSON; unhashable values included)."""
    return repr(sorted(execution.variable_values.coerced.items(), key=lambda kv: kv[0]))


def plan_roots(
    ctx: Any, execution: Any, root_type: GraphQLObjectType, grouped: dict[str, Any]
) -> list[RootPlan]:
    """Per root field of `grouped` (response key -> field details), its plan, in order."""
    key = _cache_key(ctx, execution)
    caches = _caches(ctx)
    known = caches.fallbacks.get(key)
    if known is not None:
        caches.fallbacks.move_to_end(key)
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
            statement = caches.statements.get(built)
            try:
                if field_def is None:
                    raise NotCompilable("introspection")
                if statement is not None:
                    caches.statements.move_to_end(built)
                elif _own_arguments_only(caches, (key, response_key), details, compiler):
                    where = (key, response_key)
                    plans.append(_templated(ctx, caches, compiler, where, field_def, details))
                    continue
                else:
                    statement = compiler.root(field_def, details)
                    _remember(caches.statements, built, statement)
            except NotCompilable as exc:
                reason = str(exc)
                if not exc.by_values:
                    reasons[response_key] = reason
        elif known is not None:
            reasons[response_key] = reason
        plans.append(RootPlan(response_key, name, statement, reason))
    if known is None:
        _remember(caches.fallbacks, key, reasons)
    return plans


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def _own_arguments_only(
    caches: PlanCaches, key: tuple[Any, str], details: Any, compiler: Compiler
) -> bool:
    """`variables_only_in_own_arguments`, once per plan key and response key."""
    found = caches.own_only.get(key)
    if found is None:
        found = variables_only_in_own_arguments(details, compiler.fragments)
        _remember(caches.own_only, key, found)
    return found


def _templated(
    ctx: Any,
    caches: PlanCaches,
    compiler: Compiler,
    key: tuple[Any, str],
    field_def: Any,
    details: Any,
) -> RootPlan:
    """A root field whose variables only make its rows: its kept template re-bound to this
    request's rows, or built (and kept) when its rows have a shape not seen yet. Raises
    NotCompilable as `Compiler.root` does."""
    (plan_key, response_key), name = key, details[0].node.name.value
    shape, values = shape_of(compiler.root_rows(field_def, details), compiler.rows_kind)
    kept = (plan_key, ctx.viewer, response_key, shape)
    seen = kept in caches.templates
    found = caches.templates.get(kept)
    if seen:
        caches.templates.move_to_end(kept)
    if found is not None and values is not None:
        return RootPlan(response_key, name, found.statement, None, *found.bind(values))
    statement = compiler.root(field_def, details)
    if shape is not None and not seen and compiler.rows is not None:
        template = Template.of(statement, compiler.rows, ctx.db.engine.dialect)
        _remember(caches.templates, kept, template)
    return RootPlan(response_key, name, statement, None)
