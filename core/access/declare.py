"""Access declarations: what a domain's `access.py` (or a plugin's `ogp_wg_access_rules`) lists.

- `Scope`: how a row of a type relates to groups, people and meetings, as SQL over its table.
  Used to find a mutation target's subject by ID, to turn a rule into a row filter, and (for
  plain columns) to read an object's subject in Python.
- `MutationRule`: who may call a root mutation; `targets` names the input fields holding the IDs
  of the objects it acts on, whose subjects the rule is evaluated against.
- `FieldRule`: who may read a field; others get null (or, with `refuse=True`, an
  UNAUTHENTICATED / FORBIDDEN error: for root fields such as `auditLog`).
- `RowRule`: which rows of a type a viewer may see at all, in lists and through `node(id:)`
  (a hidden row looks exactly like a missing one); `public` names the rows anyone sees
  whatever the rule (a published resource, where only drafts are private).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BindParameter, ColumnClause, Null
from sqlalchemy.sql.visitors import replacement_traverse

from core.access.rules import NOTHING, Rule, Subject

if TYPE_CHECKING:
    from core.auth import Viewer

Column = Any
"""A column of the type's table (`Row.group_id`) or a correlated scalar subquery."""


@dataclass(frozen=True, eq=False)
class Scope:
    """A type's relations as SQL: each a column of its table or a correlated scalar subquery.

    `type_name` is the type's name in global IDs (`Node.node_type`); `pk` its key column.
    `theme` defaults to the theme of `group`; `organization`: the organisation a row is about
    or written for (for the `ORGANIZATION` grant).
    """

    type_name: str
    pk: Column
    group: Column | None = None
    person: Column | None = None
    meeting: Column | None = None
    theme: Column | None = None
    organization: Column | None = None

    def columns(self) -> list[Column]:
        """(group, theme, person, meeting, organization) labelled, for a SELECT that reads a
        subject."""
        from core.models import WorkingGroup

        theme = self.theme
        if theme is None and self.group is not None:
            theme = select(WorkingGroup.theme).where(WorkingGroup.id == self.group)
            theme = theme.correlate_except(WorkingGroup).scalar_subquery()
        parts = (self.group, theme, self.person, self.meeting, self.organization)
        names = ("s_group", "s_theme", "s_person", "s_meeting", "s_organization")
        return [_labelled(part, name) for part, name in zip(parts, names, strict=True)]

    def subject_of(self, obj: Any) -> Subject:
        """An object's subject read from its attributes, for parts that are plain columns of
        its table (`group_id` -> `obj.group_pk`, `id` -> `obj.pk`); other parts are None."""
        return Subject(
            group=_attribute(obj, self.group),
            person=_attribute(obj, self.person),
            meeting=_attribute(obj, self.meeting),
            organization=_attribute(obj, self.organization),
        )


def _labelled(part: Column | None, name: str) -> Column:
    from sqlalchemy import null

    return (part if part is not None else null()).label(name)


def attribute_of(column: Column | None) -> str | None:
    """The object attribute a scope's part is read from (`Scope.subject_of`): `pk` for a plain
    column `id`, `<name>_pk` for `<name>_id`, else the column's name; None for a part that is
    not a plain column of a table (a correlated subquery), which `subject_of` leaves None."""
    clause = getattr(column, "__clause_element__", lambda: column)()
    if not isinstance(clause, ColumnClause) or clause.table is None:
        return None
    name = clause.name
    return "pk" if name == "id" else f"{name[:-3]}_pk" if name.endswith("_id") else name


_PUBLIC_TESTS: dict[Any, Callable[[Any, Any], bool]] = {
    operators.is_: lambda value, _: value is None,
    operators.is_not: lambda value, _: value is not None,
    operators.eq: lambda value, right: value is not None and value == right,
    operators.ne: lambda value, right: value is not None and value != right,
    operators.in_op: lambda value, right: value is not None and value in right,
    operators.not_in_op: lambda value, right: value is not None and value not in right,
}


def _public_parts(public: Any, where: str) -> tuple[ColumnClause[Any], Callable[[Any], bool]]:
    """(the column, a test of its value) of a FieldRule's `public` condition; TypeError for a
    condition that is not one plain column compared with constants: `is_`/`is_not` take only
    None, `==`/`!=` one bound value, `in_`/`not_in` a non-empty list of bound values without
    None (both paths then read the same three-valued logic)."""
    operator = getattr(public, "operator", None)
    test = _PUBLIC_TESTS.get(operator)
    left: Any = getattr(public, "left", None)
    right: Any = getattr(public, "right", None)
    bound = isinstance(right, BindParameter) and right.callable is None
    constant: Any = right.value if bound else None
    if operator in (operators.is_, operators.is_not):
        valid = isinstance(right, Null)
    elif operator in (operators.in_op, operators.not_in_op):
        valid = bound and isinstance(constant, list | tuple) and None not in constant
        valid = valid and len(constant) > 0
    else:
        valid = bound and constant is not None and not right.expanding
    plain = isinstance(left, ColumnClause) and attribute_of(left) is not None
    if test is None or not valid or not plain:
        raise TypeError(
            f"FieldRule {where}: public must compare one column of the type's table with "
            f"constants (is_(None), is_not(None), == v, != v, in_([...]), not_in([...])), "
            f"not {public}"
        )
    return left, lambda value: test(value, constant)


def _attribute(obj: Any, column: Column | None) -> Any:
    attr = attribute_of(column)
    return None if attr is None else getattr(obj, attr, None)


def subject_from_row(row: Any) -> Subject:
    """The subject a `Scope.columns()` SELECT read."""
    return Subject(
        group=row.s_group,
        theme=row.s_theme,
        person=row.s_person,
        meeting=row.s_meeting,
        organization=row.s_organization,
    )


@dataclass(frozen=True)
class MutationRule:
    """Who may call the root mutation `mutation` (its GraphQL name, e.g. `meetingSchedule`).

    `targets`: input field (GraphQL name, inside `input`) -> type name of the object whose
    global ID it holds, e.g. `{"meetingId": "Meeting", "personId": "Person"}`. The rule is
    evaluated against the union of their subjects (`ANCHOR` of the meeting's group, `SELF` the
    person). An ID that names no object (or a hidden one) contributes nothing, so only
    rules that hold without it (staff) pass: a missing object and a forbidden one answer alike.
    No targets: a plugin's mutation is evaluated against its theme; a core one against nothing.
    """

    mutation: str
    rule: Rule
    targets: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldRule:
    """Who may read `type_name.field` (GraphQL names). The object's subject comes from the type's
    `Scope` (plain columns). Others read null, or an error when `refuse` is set.

    `public`: the objects whose field everyone reads whatever the rule, as a comparison of one
    plain column of the type's table with constants: `column.is_(None)`, `.is_not(None)`,
    `== v`, `!= v`, `.in_([...])`, `.not_in([...])` (`Comment.hidden_at.is_(None)`: a
    comment's body is public until it is hidden). The resolver path evaluates it on the
    object's attribute (`attribute_of`), the compiled path in SQL; a NULL column passes only
    `is_(None)` (SQL's three-valued logic on both paths). TypeError for any other condition
    (a list empty or holding None, a SQL constant); a column of another table than the
    Scope's stops start-up (core.access.policy).
    """

    type_name: str
    field: str
    rule: Rule
    refuse: bool = False
    public: Column | None = None
    # (`dataclasses.field`: `field` is a name of this class)
    _public: tuple[ColumnClause[Any], Callable[[Any], bool]] | None = dataclasses.field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.public is not None:  # checked once, read per object (is_public)
            parts = _public_parts(self.public, f"{self.type_name}.{self.field}")
            object.__setattr__(self, "_public", parts)

    def public_column(self) -> ColumnClause[Any] | None:
        """The column `public` compares; None without `public`."""
        return None if self._public is None else self._public[0]

    def public_on(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """`public` comparing `column` instead (its column as read by a compiled statement)."""
        compared = self.public_column()

        def swap(element: Any, **_: Any) -> Any:
            return column if element is compared else None

        assert self.public is not None, "public_on: a rule without public"
        public: ColumnElement[bool] = self.public
        return replacement_traverse(public, {}, swap)

    def is_public(self, obj: Any) -> bool:
        """Whether `public` holds for `obj`, read through its attribute (False without it)."""
        if self._public is None:
            return False
        column, test = self._public
        return test(getattr(obj, attribute_of(column) or "", None))


@dataclass(frozen=True)
class RowRule:
    """Which rows of `scope.type_name` a viewer sees: the rule as a SQL condition on `scope`,
    or `public`, a SQL condition on the type's table naming the rows everyone sees (e.g.
    `Resource.status == "PUBLISHED"`: drafts follow the rule, published resources are public)."""

    scope: Scope
    rule: Rule
    public: Column | None = None

    def condition(self, viewer: Viewer) -> ColumnElement[bool]:
        """The rows of the type `viewer` sees, as a SQL condition (`true()` for everyone under
        a public rule, and for staff)."""
        from sqlalchemy import or_

        from core.access.sql import condition

        allowed = condition(self.rule, viewer, self.scope)
        if self.public is None or self.rule.is_public or viewer.is_staff:
            return allowed
        return or_(self.public, allowed)

    @property
    def type_name(self) -> str:
        return self.scope.type_name


Declaration = MutationRule | FieldRule | RowRule | Scope

__all__ = [
    "NOTHING",
    "Declaration",
    "FieldRule",
    "MutationRule",
    "RowRule",
    "Scope",
    "subject_from_row",
]
