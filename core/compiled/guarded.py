"""Fields a `FieldRule` guards, compiled (issue 12, section 3: "the permission rules ... are
enforced in the compiled SQL from the same declarations the resolver path uses").

On the resolver path `core.access.guards.FieldGuard` reads the object's subject from its
attributes (`Scope.subject_of`) and answers null to a viewer the rule does not allow. Here the
same rule becomes the SQL condition the row rules use (`core.access.sql.condition`: true exactly
for the rows whose subject the rule allows the viewer), its subject read from the columns the
object's attributes hold (where `subject_of` reads it): the field is `CASE WHEN allowed THEN
value ELSE null END`, with the rule's `public` condition (`FieldRule.public`) OR-ed in on the
row's column. A staff viewer's or a public rule's condition is `true` and an anonymous viewer's
`false` (without `public`), which print no CASE; a person's id is the bound `VIEWER_PERSON`
parameter, so a plan kept for the viewer's role serves every person of it
(core.compiled.template). A refusing rule (an error, not null) and a field guarded any other
way are not compiled.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import GraphQLNonNull
from sqlalchemy import case, or_
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import False_, True_

from core.access.declare import Scope, attribute_of
from core.access.guards import FieldGuard
from core.access.sql import condition
from core.compiled.probe import Col, NotCompilable
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
        raise NotCompilable(f"{where}: a field extension besides its guard")
    (guard,) = guards
    if guard.declared.refuse or guard.scope is None or isinstance(field_type, GraphQLNonNull):
        raise NotCompilable(f"{where}: guarded by a permission")
    return guard


def guarded(
    where: str, guard: FieldGuard, viewer: Any, value: ColumnElement[str], obj: Any, sub: Any
) -> ColumnElement[str]:
    """`value` (the field's JSON) where the guard's rule allows `viewer` the object `obj` built
    from a row of `sub`, else JSON null."""
    assert guard.scope is not None  # field_guard's
    allowed = condition(guard.declared.rule, viewer, _row_scope(where, guard.scope, obj, sub))
    public = guard.declared.public_column()
    if public is not None and not isinstance(allowed, True_):
        # the same comparison on the column of `sub` the object's attribute holds (is_public)
        column = getattr(obj, attribute_of(public) or "", None)
        if not isinstance(column, Col):
            raise NotCompilable(f"{where}: guarded by a public condition not on a column")
        allowed = or_(guard.declared.public_on(sub.c[column.name]), allowed)
    if isinstance(allowed, True_):
        return value
    if isinstance(allowed, False_):
        return raw("null")
    return case((allowed, value), else_=raw("null"))


def _row_scope(where: str, scope: Scope, obj: Any, sub: Any) -> Scope:
    """`scope` with each part read as the resolver path reads the subject (`Scope.subject_of`):
    a plain column of the type's table through the object's attribute (`group_id` ->
    `obj.group_pk`), here the column of `sub` the probe found in that attribute; a part that is
    no plain column, or an attribute the object lacks, None (no grant through it, as there).
    NotCompilable for an attribute its builder computed."""
    parts: dict[str, Any] = {}
    for part in ("group", "person", "meeting", "organization"):
        attribute = attribute_of(getattr(scope, part))
        value = None if attribute is None else getattr(obj, attribute, None)
        if isinstance(value, Col):
            parts[part] = sub.c[value.name]
        elif value is None:
            parts[part] = None
        else:
            raise NotCompilable(f"{where}: guarded by a rule reading {attribute}, not a column")
    return replace(scope, **parts)
