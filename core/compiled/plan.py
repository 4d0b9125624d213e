"""Which root fields of an operation compile, and their statements (`plan_roots`, `explain`).

Per app (`AppState.caches`, so two apps in one process never share an entry), bounded LRUs keyed
by the plan: document, operation name, the viewer's kind (anonymous, signed in, staff: row rules
differ), the negotiated language (a translated text reads it) and the Boolean variables
(`@skip`/`@include`):
- which root fields fall back, and why (a field found not compilable is not tried again);
- per kind of viewer and shape of a root field's rows, its statement compiled once and re-bound to
  each request's values and viewer (core.compiled.template), for root fields whose variables only
  make rows; per viewer when a declaration reads more of the viewer than its kind
  (core.compiled.watch);
- for the other root fields, statements built per viewer and variable values;
- per viewer and variable values, the SQL text and parameters of each compiled root field: a
  request seen before builds nothing again (and binds only a clock's values, `request_now`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from cachetools import LRUCache
from graphql import GraphQLObjectType
from sqlalchemy import Select

from core.compiled.compiler import Compiler
from core.compiled.probe import NotCompilable
from core.compiled.template import Bound, Template, shape_of, variables_only_in_own_arguments
from core.compiled.watch import watched
from core.storable import all_holdable

CACHE_SIZE = 512
"""Plans kept (each a few response keys and reasons)."""
MAX_KEPT_VALUES = 4096
"""Characters of a request's variable values (as `values_key` prints them) beyond which nothing is
kept per values: the caches hold CACHE_SIZE entries whatever their size, and a body may carry a
megabyte of variables."""


def _lru() -> LRUCache[tuple[Any, ...], Any]:
    return LRUCache(CACHE_SIZE)


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
    bound: Bound | None = None
    """With `sql`: the kept statement it comes from (`Bound.now` re-reads its clock)."""


@dataclass
class PlanCaches:
    """One app's caches (bounded LRUs, `CACHE_SIZE` entries each)."""

    fallbacks: LRUCache[tuple[Any, ...], dict[str, str]] = field(default_factory=_lru)
    """Plan key -> {response key: why it falls back}."""
    templates: LRUCache[tuple[Any, ...], Template | None] = field(default_factory=_lru)
    """(plan key, response key, rows' shape) -> its template for every viewer of the plan key's
    kind, or (plan key, viewer, response key, rows' shape) -> its template for that viewer alone
    (core.compiled.watch); None: not re-bindable."""
    own_only: LRUCache[tuple[Any, ...], bool] = field(default_factory=_lru)
    """(plan key, response key) -> `variables_only_in_own_arguments`."""
    statements: LRUCache[tuple[Any, ...], Select[Any]] = field(default_factory=_lru)
    """(plan key, viewer, variable values, response key) -> built statement, until the same
    values come again (`_built`): everything a statement depends on is in that key (the
    document's literals and the bound values)."""
    bound: LRUCache[tuple[Any, ...], tuple[RootPlan, Bound]] = field(default_factory=_lru)
    """(plan key, viewer, variable values, response key) -> its plan with SQL and parameters:
    the same request again builds and binds nothing (it reads the clock, if its statement
    does: `Bound.now`)."""


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


def values_key(values: Any) -> str | None:
    """`values` (variables: JSON's types) as a key: their repr, which is exact (JSON text is not:
    NaN prints as null) and hashable; None when it is longer than `MAX_KEPT_VALUES` characters
    or nested past Python's recursion limit (a client may send either: nothing is kept for it)."""
    try:
        key = repr(values)
    except RecursionError:
        return None
    return key if len(key) <= MAX_KEPT_VALUES else None


def _values(execution: Any) -> str | None:
    """The request's coerced variable values as a key (`values_key`, sorted by name)."""
    return values_key(sorted(execution.variable_values.coerced.items(), key=lambda kv: kv[0]))


def plan_roots(
    ctx: Any, execution: Any, root_type: GraphQLObjectType, grouped: dict[str, Any]
) -> list[RootPlan]:
    """Per root field of `grouped` (response key -> field details), its plan, in order."""
    key = _cache_key(ctx, execution)
    caches = _caches(ctx)
    known = caches.fallbacks.get(key)
    reasons: dict[str, str] = {}
    compiler = Compiler(ctx, execution)
    values = _values(execution)
    keep = values is not None  # whether anything is kept per these values
    plans = []
    for response_key, details in grouped.items():
        name = details[0].node.name.value
        reason = (known or {}).get(response_key)
        built = (key, ctx.viewer, values, response_key)
        ready = caches.bound.get(built) if reason is None and keep else None
        if ready is not None:  # these very values before: their SQL, bound again if need be
            hit, kept = ready
            if kept.clock:  # the clock is read per request
                hit = replace(hit, parameters=kept.now())
            plans.append(hit)
            continue
        if reason is None:
            field_def = root_type.fields.get(name)
            try:
                if field_def is None:
                    raise NotCompilable("introspection")
                if _own_arguments_only(caches, (key, response_key), details, compiler):
                    where = (key, response_key)
                    plan, bound = _templated(ctx, caches, compiler, where, field_def, details)
                else:
                    plan, bound = _built(
                        ctx, caches, compiler, built, field_def, details, keep=keep
                    )
            except NotCompilable as exc:
                reason = str(exc)
                if not exc.by_values:
                    reasons[response_key] = reason
            else:
                if bound is not None and keep:
                    caches.bound[built] = plan, bound
                plans.append(plan)
                continue
        elif known is not None:
            reasons[response_key] = reason
        plans.append(RootPlan(response_key, name, None, reason))
    if known is None:
        caches.fallbacks[key] = reasons
    return plans


def _own_arguments_only(
    caches: PlanCaches, key: tuple[Any, str], details: Any, compiler: Compiler
) -> bool:
    """`variables_only_in_own_arguments`, once per plan key and response key."""
    found = caches.own_only.get(key)
    if found is None:
        found = variables_only_in_own_arguments(details, compiler.fragments)
        caches.own_only[key] = found
    return found


def _built(
    ctx: Any,
    caches: PlanCaches,
    compiler: Compiler,
    built: tuple[Any, ...],
    field_def: Any,
    details: Any,
    *,
    keep: bool,
) -> tuple[RootPlan, Bound | None]:
    """A root field built for this request's variable values (kept for them when `keep`,
    `MAX_KEPT_VALUES`). The first time, its statement,
    which SQLAlchemy compiles once per shape (a cursor walk sends new values on every page:
    compiling each whole statement anew would cost more than it saves). The second time with the
    same values, its SQL (a `Template`, then kept in `bound` by `plan_roots`) unless a value
    cannot be compared as it is (`core.storable.guard` must rewrite the statement). Raises
    NotCompilable as `Compiler.root` does."""
    response_key, name = built[-1], details[0].node.name.value
    statement = caches.statements.get(built)
    if statement is None:
        statement = compiler.root(field_def, details)
        if keep:
            caches.statements[built] = statement
        return RootPlan(response_key, name, statement, None), None
    template = Template.of(statement, None, ctx.db.engine.dialect)
    if template is None:
        return RootPlan(response_key, name, statement, None), None
    del caches.statements[built]  # from now on in `bound`
    bound = template.bind()
    return _as_sql(response_key, name, statement, bound), bound


def _templated(
    ctx: Any,
    caches: PlanCaches,
    compiler: Compiler,
    key: tuple[Any, str],
    field_def: Any,
    details: Any,
) -> tuple[RootPlan, Bound | None]:
    """A root field whose variables only make its rows: its kept template re-bound to this
    request's rows, or built (and kept) when its rows have a shape not seen yet, or hold a value
    that cannot be compared as it is (`core.storable.all_holdable`: the statement then runs
    through the guard's rewrite). Raises NotCompilable as `Compiler.root` does."""
    (plan_key, response_key), name = key, details[0].node.name.value
    shape, values = shape_of(compiler.root_rows(field_def, details), compiler.rows_kind)
    if values is not None and not all_holdable(values.bindparams):
        return RootPlan(response_key, name, compiler.root(field_def, details), None), None
    # kept for this viewer alone, or for every person (core.compiled.watch)
    own, shared = (plan_key, ctx.viewer, response_key, shape), (plan_key, response_key, shape)
    kept = next((k for k in (own, shared) if k in caches.templates), None)
    if kept is not None:
        found = caches.templates[kept]
        if found is not None and values is not None:
            bound = found.bind(values.bindparams, ctx.viewer.person_id)
            return _as_sql(response_key, name, found.statement, bound), bound
    if shape is None or kept is not None:
        return RootPlan(response_key, name, compiler.root(field_def, details), None), None
    # Anonymous viewers are all alike: theirs is kept under the viewer; a person's, for every
    # person when its build read nothing of the viewer but its kind (core.compiled.watch)
    signed_in = ctx.viewer.person_id is not None
    build_ctx, watch = watched(ctx) if signed_in else (ctx, None)
    builder = Compiler(build_ctx, compiler.execution)
    statement = builder.root(field_def, details)
    if builder.rows is not None:
        template = Template.of(statement, builder.rows, ctx.db.engine.dialect)
        personal = watch is None or watch.personal or (template is not None and template.foreign)
        caches.templates[own if personal else shared] = template
    return RootPlan(response_key, name, statement, None), None


def _as_sql(key: str, name: str, statement: Select[Any], bound: Bound) -> RootPlan:
    """A compiled root field run as its kept SQL text with these parameters."""
    return RootPlan(key, name, statement, None, bound.sql, bound.parameters, bound)
