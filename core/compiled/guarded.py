"""Fields a `FieldRule` guards, compiled (issue 12, section 3: "the permission rules ... are
enforced in the compiled SQL from the same declarations the resolver path uses").

On the resolver path `core.access.guards.FieldGuard` reads the object's subject from its
attributes (`Scope.subject_of`) and answers null to a viewer the rule does not allow. Here the
same rule becomes the SQL condition the row rules use (`core.access.sql.condition`: true exactly
for the rows whose subject the rule allows the viewer), read on the row's own columns: the field
is `CASE WHEN allowed THEN value ELSE null END`. A staff viewer's or a public rule's condition is
`true` and an anonymous viewer's `false`, which print no CASE; a person's id is the bound
`VIEWER_PERSON` parameter, so a plan kept for the viewer's role serves every person of it
(core.compiled.template). A refusing rule (an error, not null) and a field guarded any other
way are not compiled.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull
from sqlalchemy import Select, case
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import ColumnClause, False_, True_
from sqlalchemy.sql.visitors import replacement_traverse

from core.access.guards import FieldGuard
from core.access.sql import condition
from core.compiled.probe import NotCompilable
from core.compiled.sqljson import raw


def field_guard(where: str, definition: Any, field_type: Any) -> FieldGuard | None:
    """The FieldGuard of a Strawberry field definition, None when it has none; NotCompilable
    for any other extension or permission class, a refusing rule, a rule without a scope or a
    non-null field (which null would fail)."""
    if definition.permission_classes:
        raise NotCompilable(f"{where}: guarded by a permission class")
    if not definition.extensions:
        return None
    guards = [e for e in definition.extensions if isinstance(e, FieldGuard)]
    if len(guards) != len(definition.extensions):
        raise NotCompilable(f"{where}: a field extension")
    (guard,) = guards
    if guard.declared.refuse or guard.scope is None or isinstance(field_type, GraphQLNonNull):
        raise NotCompilable(f"{where}: guarded by a permission")
    return guard


def guarded(
    where: str, guard: FieldGuard, viewer: Any, value: ColumnElement[str], sub: Any
) -> ColumnElement[str]:
    """`value` (the field's JSON) where the guard's rule allows `viewer` the row of `sub`, else
    JSON null."""
    assert guard.scope is not None  # field_guard's
    allowed = condition(guard.declared.rule, viewer, guard.scope)
    if isinstance(allowed, True_):
        return value
    if isinstance(allowed, False_):
        return raw("null")
    return case((_on_row(where, allowed, guard.scope.pk, sub), value), else_=raw("null"))


def _on_row(where: str, allowed: Any, pk: Any, sub: Any) -> Any:
    """`allowed` (a condition on the scope's table) reading `sub`'s columns instead. Only the
    scope table's columns are replaced, in correlated subqueries too (a scope's part may be
    one); a subquery reading the scope's table itself is its own and left whole."""
    table = getattr(pk, "__clause_element__", lambda: pk)().table
    missing: list[str] = []

    def replace(element: Any, **kw: Any) -> Any:
        if isinstance(element, Select) and table in element.get_final_froms():
            return element
        if isinstance(element, ColumnClause) and element.table is table:
            mapped = sub.corresponding_column(element)
            if mapped is None:
                missing.append(element.name)
            return mapped
        return None

    adapted = replacement_traverse(allowed, {}, replace)
    if missing:
        raise NotCompilable(f"{where}: its rule reads {missing[0]}, not a column of the rows")
    return adapted
