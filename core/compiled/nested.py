"""Objects nested in a row: a field the builder (`make(row)`, `from_row`) fills with an OBJECT
made from the same row (`transparency=BudgetScore(score=row.transparency_score)`) compiles as
that object's JSON, its fields read from the row's columns as the parent's are.

When is it null? The builder decides (`None if value is None else BudgetScore(...)`), and only
by which of the columns the object reads are NULL (these probes use strict markers, which
refuse to be compared or tested for truth: `core.compiled.probe.StrictCol`). So the row is
probed again with every subset of those nullable columns set to None: the subsets where the
field is None become the SQL condition of `null`; where it is an object, that object must be
the probed one with those columns' values None (the same fields, types and constants), or the
field is not compiled.

A LIST of such objects (`categories=[Score(category=c, score=getattr(row, c.value)) for c in
...]`) compiles as the JSON array of its items, each as one object nested in the row: the
builder must make a list of the same length for every NULL pattern (`item`).

A builder may decide on nothing but the NULLs of the columns an object reads: each other
nullable column of the row is also set to None in turn, and the field must not change
(`null_condition` says what this does not see).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations
from typing import TYPE_CHECKING, Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type
from sqlalchemy import and_, case, or_
from sqlalchemy.sql import ColumnElement
from strawberry.types.base import StrawberryObjectDefinition

from core.compiled.probe import Col, NotCompilable, table_columns
from core.compiled.sqljson import Dialect, json_list, raw

MAX_NULLABLE = 5
"""Nullable columns an object may read (2^n probes of the builder decide when it is null)."""

Reprobe = Callable[[dict[str, Any]], Any]
"""Builds the parent object again from the probe row with these columns' values fixed."""
Pick = Callable[[Any], Any]
"""The nested value in a parent object built again (its attribute, or an item of one)."""


def item(attribute: str, index: int, length: int) -> Pick:
    """Picks item `index` of the list in `attribute`; NotCompilable when the builder made a
    list of another length (it decided on a value)."""

    def pick(parent: Any) -> Any:
        items = getattr(parent, attribute, None)
        if not isinstance(items, list) or len(items) != length:
            raise NotCompilable(f"{attribute}: a list its builder makes longer or shorter")
        return items[index]

    return pick


def is_object(value: Any) -> bool:
    """A Strawberry object (not a scalar or an enum value: an enum's members reach its
    definition too) a builder put into a field."""
    definition = getattr(value, "__strawberry_definition__", None)
    return isinstance(definition, StrawberryObjectDefinition) and not isinstance(value, type)


def null_condition(
    where: str, pick: Pick, value: Any, reprobe: Reprobe, sub: Any, known: set[str]
) -> tuple[ColumnElement[bool] | None, set[str]]:
    """The SQL condition under which the builder puts None into the field (`pick`) instead of the
    object `value` (built from markers), or None when it never does; and the columns the
    object exists only when they are NOT NULL (its fields may read them as non-null).

    The builder may decide on the NULL columns the object reads, no other: each other nullable
    column of the row (but those `known` NOT NULL where the field is built: an enclosing
    object's) is set to None in turn, and the field must come out the same (an object of the
    same shape, a list as long). Not seen: a decision on two of those other columns being NULL
    together, or on one of them and one the object reads (`None if r.a is None and r.c is None
    else Obj(c=r.c)`), nor one on `strawberry.Private` fields' columns; such a builder is
    compiled wrongly: keep builders to the rule."""
    read = sorted({col.name: col for col in _markers(value)}.items())
    nullable = [name for name, col in read if getattr(col.column, "nullable", True)]
    others = [
        name
        for name, col in table_columns(sub).items()
        if getattr(col, "nullable", True) and name not in known and name not in dict(read)
    ]
    if len(nullable) > MAX_NULLABLE:
        raise NotCompilable(f"{where}: an object reading over {MAX_NULLABLE} nullable columns")
    null_when: list[ColumnElement[bool]] = []
    made: dict[frozenset[str], bool] = {}
    try:  # strict markers: a builder deciding on anything but NULL is refused here
        again = pick(reprobe({}))
    except NotCompilable as exc:
        raise NotCompilable(f"{where}: its builder decides on a value, not on NULL") from exc
    if _shape(again) != _shape(value):
        raise NotCompilable(f"{where}: its object is built differently on a second probe")
    for size in range(1, len(nullable) + 1):
        for nulls in combinations(nullable, size):
            built = pick(reprobe(dict.fromkeys(nulls)))
            made[frozenset(nulls)] = built is not None
            if built is None:
                pattern = [
                    sub.c[n].is_(None) if n in nulls else sub.c[n].is_not(None) for n in nullable
                ]
                null_when.append(and_(*pattern))
            elif _shape(built) != _shape(value, set(nulls)):
                raise NotCompilable(
                    f"{where}: its object is built differently when {', '.join(nulls)} is null"
                )
    for name in others:
        try:
            again = pick(reprobe({name: None}))
        except NotCompilable as exc:  # it decides on a value once `name` is NULL: not known
            raise NotCompilable(
                f"{where}: its builder decides on values where {name} is null"
            ) from exc
        if _shape(again) != _shape(value):
            raise NotCompilable(
                f"{where}: its builder decides on {name}, a column it does not read"
            )
    present = {n for n in nullable if not any(ok for nulls, ok in made.items() if n in nulls)}
    if not null_when:
        return None, present
    return or_(*null_when), present


class NestedObjects:
    """The nested-object part of `Compiler` (which gives `d`, `_built`, `_present`,
    `_concrete` and `_object`)."""

    d: Dialect
    _built: dict[int, tuple[Any, Reprobe]]
    _present: set[tuple[int, str]]

    if TYPE_CHECKING:

        def _concrete(self, gtype: Any, obj: Any) -> GraphQLObjectType: ...

        def _object(self, gtype: Any, details: Any, sub: Any, obj: Any) -> ColumnElement[str]: ...

    def _nested(
        self,
        where: str,
        gql_type: Any,
        details: Any,
        sub: Any,
        obj: Any,
        attribute: str,
        value: Any,
    ) -> ColumnElement[str]:
        """An object (or a list of objects) the builder made from the row (see the module): a
        list's items each as one object, in the JSON array of its items."""
        reprobe = self._built[id(obj)][1]
        if isinstance(value, list):
            listed = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
            if not isinstance(listed, GraphQLList):
                raise NotCompilable(f"{where}: a list in a field that is not one")
            items = [
                self._nested_one(
                    where,
                    listed.of_type,
                    details,
                    sub,
                    item(attribute, i, len(value)),
                    reprobe,
                    part,
                )
                for i, part in enumerate(value)
            ]
            return json_list(items)
        pick: Pick = lambda parent: getattr(parent, attribute, None)  # noqa: E731
        return self._nested_one(where, gql_type, details, sub, pick, reprobe, value)

    def _nested_one(
        self,
        where: str,
        gql_type: Any,
        details: Any,
        sub: Any,
        pick: Pick,
        reprobe: Reprobe,
        value: Any,
    ) -> ColumnElement[str]:
        named = get_named_type(gql_type)

        def build(nested_obj: Any, present: set[str]) -> ColumnElement[str]:
            # its own nested objects are built again through it
            again: Reprobe = lambda more: pick(reprobe(more))  # noqa: E731
            self._built[id(nested_obj)] = (nested_obj, again)
            outer = self._present
            self._present = outer | {(id(sub), name) for name in present}
            try:
                concrete = self._concrete(named, nested_obj)
                return self._object(concrete, details, sub, nested_obj)
            finally:
                self._present = outer

        # `null` JSON where the builder gives None, or for a non-null field an expression
        # failing the statement there (the resolver path answers)
        pk = next(iter(sub.c))  # any column: the failure reads one (see unrepresentable)
        null = self.d.unrepresentable(pk) if isinstance(gql_type, GraphQLNonNull) else raw("null")
        known = {name for at, name in self._present if at == id(sub)}
        condition, present = null_condition(where, pick, value, reprobe, sub, known)
        text = build(value, present)
        return text if condition is None else case((condition, null), else_=text)


def objects(value: Any) -> bool:
    """A non-empty list of objects (a builder's list nested in the row)."""
    return isinstance(value, list) and bool(value) and all(is_object(part) for part in value)


def _fields(value: Any) -> Iterator[tuple[str, Any]]:
    definition = value.__strawberry_definition__
    for field in definition.fields:
        if field.base_resolver is None:  # a resolver's field holds no value the builder stored
            yield field.python_name, getattr(value, field.python_name, None)


def _markers(value: Any) -> Iterator[Col]:
    for _, held in _fields(value):
        for part in held if isinstance(held, list) else (held,):
            if isinstance(part, Col):
                yield part
            elif is_object(part):
                yield from _markers(part)


def _shape(value: Any, nulls: set[str] | None = None) -> Any:
    """What an object holds, comparable: its type, and per field the column it reads (None for
    one of `nulls`), a nested object's shape, or a constant's type and repr."""
    if value is None:
        return None
    return (type(value).__qualname__, tuple((name, _held(v, nulls)) for name, v in _fields(value)))


def _held(value: Any, nulls: set[str] | None) -> Any:
    if value is None:  # a constant None and a column set to None hold the same
        return None
    if isinstance(value, Col):
        return None if nulls and value.name in nulls else ("col", value.name)
    if is_object(value):
        return ("obj", _shape(value, nulls))
    if isinstance(value, list):
        return ("list", tuple(_held(part, nulls) for part in value))
    return ("const", type(value).__name__, repr(value))
