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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.sql.elements import ColumnClause

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
    `Scope` (plain columns). Others read null, or an error when `refuse` is set."""

    type_name: str
    field: str
    rule: Rule
    refuse: bool = False


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
