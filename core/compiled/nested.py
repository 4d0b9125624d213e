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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any

from sqlalchemy import and_, case, or_
from sqlalchemy.sql import ColumnElement
from strawberry.types.base import StrawberryObjectDefinition

from core.compiled.probe import Col, NotCompilable

MAX_NULLABLE = 5
"""Nullable columns an object may read (2^n probes of the builder decide when it is null)."""

Reprobe = Callable[[dict[str, Any]], Any]
"""Builds the parent object again from the probe row with these columns' values fixed."""


def is_object(value: Any) -> bool:
    """A Strawberry object (not a scalar or an enum value: an enum's members reach its
    definition too) a builder put into a field."""
    definition = getattr(value, "__strawberry_definition__", None)
    return isinstance(definition, StrawberryObjectDefinition) and not isinstance(value, type)


def null_condition(
    where: str, attribute: str, value: Any, reprobe: Reprobe, sub: Any
) -> tuple[ColumnElement[bool] | None, set[str]]:
    """The SQL condition under which the builder puts None into `attribute` instead of the
    object `value` (built from markers), or None when it never does; and the columns the
    object exists only when they are NOT NULL (its fields may read them as non-null)."""
    read = sorted({col.name: col for col in _markers(value)}.items())
    nullable = [name for name, col in read if getattr(col.column, "nullable", True)]
    if len(nullable) > MAX_NULLABLE:
        raise NotCompilable(f"{where}: an object reading over {MAX_NULLABLE} nullable columns")
    null_when: list[ColumnElement[bool]] = []
    made: dict[frozenset[str], bool] = {}
    try:  # strict markers: a builder deciding on anything but NULL is refused here
        again = getattr(reprobe({}), attribute, None)
    except NotCompilable as exc:
        raise NotCompilable(f"{where}: its builder decides on a value, not on NULL") from exc
    if _shape(again) != _shape(value):
        raise NotCompilable(f"{where}: its object is built differently on a second probe")
    for size in range(1, len(nullable) + 1):
        for nulls in combinations(nullable, size):
            built = getattr(reprobe(dict.fromkeys(nulls)), attribute, None)
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
    present = {n for n in nullable if not any(ok for nulls, ok in made.items() if n in nulls)}
    if not null_when:
        return None, present
    return or_(*null_when), present


def nested(
    where: str,
    attribute: str,
    value: Any,
    reprobe: Reprobe,
    sub: Any,
    null: ColumnElement[str],
    build: Callable[[Any, set[str]], ColumnElement[str]],
) -> ColumnElement[str]:
    """The field's JSON: `build(value, columns not null in it)` (the object's JSON), or `null`
    (`null` JSON, or for a non-null field an expression failing the statement: the resolver
    path answers) when its builder gives None for the row."""
    condition, present = null_condition(where, attribute, value, reprobe, sub)
    text = build(value, present)
    if condition is None:
        return text
    return case((condition, null), else_=text)


def _fields(value: Any) -> Iterator[tuple[str, Any]]:
    definition = value.__strawberry_definition__
    for field in definition.fields:
        if field.base_resolver is None:  # a resolver's field holds no value the builder stored
            yield field.python_name, getattr(value, field.python_name, None)


def _markers(value: Any) -> Iterator[Col]:
    for _, item in _fields(value):
        if isinstance(item, Col):
            yield item
        elif is_object(item):
            yield from _markers(item)


def _shape(value: Any, nulls: set[str] | None = None) -> Any:
    """What an object holds, comparable: its type, and per field the column it reads (None for
    one of `nulls`), a nested object's shape, or a constant's type and repr."""
    if value is None:
        return None
    held: list[tuple[str, Any]] = []
    for name, item in _fields(value):
        if item is None:  # a constant None and a column set to None hold the same
            held.append((name, None))
        elif isinstance(item, Col):
            held.append((name, None if nulls and item.name in nulls else ("col", item.name)))
        elif is_object(item):
            held.append((name, ("obj", _shape(item, nulls))))
        else:
            held.append((name, ("const", type(item).__name__, repr(item))))
    return (type(value).__qualname__, tuple(held))
