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

CACHE_SIZE = 512
"""Plans kept (each a few response keys and reasons)."""


@dataclass(frozen=True)
class RootPlan:
    """One root field: `statement` when it compiles, else `reason` (it falls back)."""

    key: str
    field: str
    statement: Select[Any] | None
    reason: str | None


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
                if statement is None:
                    statement = compiler.root(field_def, details)
                    _statements[built] = statement
                    if len(_statements) > CACHE_SIZE:
                        _statements.popitem(last=False)
                else:
                    _statements.move_to_end(built)
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
