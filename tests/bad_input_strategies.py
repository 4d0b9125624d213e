"""Hypothesis strategies for GraphQL variables, read off a live (introspected) schema.

`variables_for(field, seen)` draws a value for every argument of a root field. Each leaf is either
plausible (a value the demo data holds under the same field name, a real ID of the type the name
points at, an enum value), so the request gets past the resolver's first checks, or wild: the
plausible value with U+0000, a lone surrogate or a line break added, text cut to just over a
column's length, any Unicode with control characters, integers at and beyond 32 and 64 bits,
forged IDs, datetimes and offsets at the edges of the range, and now and then the wrong JSON type.
How many leaves are wild is drawn per request: none (the request goes as far as plausible values
go), about one or two (a bad value among plausible ones travels furthest), or half.
"""

from __future__ import annotations

import base64
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
    is_object_type,
)
from hypothesis import strategies as st

from core import to_global_id

S = st.SearchStrategy
CODES = ["FR", "MEX", "GB", "KE", "PH", "ID", "BR", "fr", "Gbr"]
MAX_DEPTH = 3


class Seen:
    """What the demo data holds: leaf values by field name, IDs by the type they name."""

    def __init__(self) -> None:
        self.values: dict[str, list[Any]] = defaultdict(list)
        self.ids: dict[str, list[str]] = defaultdict(list)

    def collect(self, data: Any) -> None:
        """Walk a response, remembering leaf values by field name and global IDs by type."""
        if isinstance(data, list):
            for item in data:
                self.collect(item)
        elif isinstance(data, dict):
            type_name = _id_type(data.get("id"))
            if type_name is not None and len(self.ids[type_name]) < 50:
                self.ids[type_name].append(data["id"])
            for key, value in data.items():
                if isinstance(value, dict | list):
                    self.collect(value)
                elif value is not None and len(self.values[key]) < 50:
                    self.values[key].append(value)

    def strings(self, name: str) -> list[str]:
        return [v for v in self.values.get(name, ()) if isinstance(v, str)]

    def ids_for(self, name: str, entity: str | None) -> list[str]:
        """IDs of the type an input field's name points at (`groupId`: a WorkingGroup...)."""
        if name == "id" and entity in self.ids:
            return self.ids[entity]
        stem = re.sub(r"Ids?$", "", name).lower()
        matching = [
            i for t, ids in self.ids.items() if stem and t.lower().endswith(stem) for i in ids
        ]
        return matching or [i for ids in self.ids.values() for i in ids] or ["x"]


def _id_type(value: Any) -> str | None:
    """The type a global ID names: IDs are base64 of "Type:pk" (see core.to_global_id)."""
    if not isinstance(value, str):
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except ValueError:
        return None
    type_name, colon, _ = raw.partition(":")
    return type_name if colon else None


# --- wild values ---------------------------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates included
CONTROL = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])
BAD_PARTS = ["\x00", "\n", "\ud800", "\udc00", "\r\n", "\u2028", "\x00\x00", " "]
LENGTHS = [3, 4, 17, 21, 41, 65, 101, 129, 201, 301, 321, 501, 5000]  # just over column sizes
EDGE_INTS = [2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 2**64, 10**20, -1, 0]
WILD_INT = st.sampled_from(EDGE_INTS) | st.integers()
WILD_FLOAT = st.sampled_from([1e308, -1e308, 5e-324, 1e20, -0.0, math.nan, math.inf]) | st.floats()
OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda m: f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"
)
EDGE_DATETIMES = [
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00-23:59",
    "0001-01-01T00:00:00Z",
    "0001-01-02T00:00:00+00:01",
    "9999-12-31T23:59:59.999999-01:00",
    "9999-12-31T23:59:59+23:59",
    "9999-12-30T23:59:59-00:01",
    "9999-12-31T24:00:00Z",
    "2024-02-30T10:00:00Z",
    "2024-06-01T10:00:00",
]
WILD_DATETIME = st.sampled_from(EDGE_DATETIMES) | st.tuples(
    st.datetimes(), OFFSETS | st.sampled_from(["Z", ""])
).map(lambda t: t[0].isoformat() + t[1])
WILD_DATE = st.sampled_from(
    ["0001-01-01", "9999-12-31", "2024-02-30", "10000-01-01", "-0001-01-01"]
) | st.dates().map(date.isoformat)
WRONG_TYPE = st.recursive(
    st.none() | st.booleans() | WILD_INT | st.text(ANY_CHAR, max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=3,
)


def _spoiled(plausible: S[str]) -> S[str]:
    """Text the database or the encoder cannot hold, or that a validation must see whole."""
    return st.one_of(
        st.tuples(plausible, st.sampled_from(BAD_PARTS), st.booleans()).map(
            lambda t: t[0] + t[1] if t[2] else t[1] + t[0]
        ),
        st.tuples(plausible, st.sampled_from(LENGTHS)).map(
            lambda t: ((t[0] or "x") * t[1])[: t[1]]
        ),
        st.text(ANY_CHAR, max_size=20),
        st.tuples(st.text(max_size=5), st.text(CONTROL, min_size=1, max_size=3)).map("".join),
    )


def _or_wrong_type(wild: S[Any]) -> S[Any]:
    """Mostly `wild`, one time in six a value of the wrong JSON type (graphql-core refuses it)."""
    return st.integers(0, 5).flatmap(lambda n: WRONG_TYPE if n == 0 else wild)


def _noncanonical_id(ids: list[str]) -> S[str]:
    def rewrite(global_id: str, replacement: str) -> str:
        type_name = _id_type(global_id) or "Node"
        return base64.urlsafe_b64encode(f"{type_name}:{replacement}".encode()).decode()

    return st.builds(rewrite, st.sampled_from(ids), st.sampled_from(["01", "+1", "\u0661", "1 "]))


# --- one request's values ------------------------------------------------------------------------


@dataclass(frozen=True)
class Values:
    """Strategies for one request: `rate` percent of the leaves are wild."""

    seen: Seen
    entity: str | None  # the type a mutation's payload returns: what its `id` points at
    rate: int

    def mixed(self, plausible: S[Any], wild: S[Any]) -> S[Any]:
        if self.rate == 0:
            return plausible
        return st.integers(0, 99).flatmap(lambda n: wild if n < self.rate else plausible)

    def of(self, type_: Any, name: str, depth: int = 0) -> S[Any]:
        """A JSON value for an input of this GraphQL type (null only where the type allows it)."""
        if isinstance(type_, GraphQLNonNull):
            return self._of(type_.of_type, name, depth)
        inner = self._of(type_, name, depth)
        return st.integers(0, 9).flatmap(lambda n: st.none() if n == 0 else inner)

    def _of(self, type_: Any, name: str, depth: int) -> S[Any]:
        if isinstance(type_, GraphQLList):
            return st.lists(self.of(type_.of_type, name, depth), max_size=3)
        if isinstance(type_, GraphQLEnumType):
            return self.mixed(st.sampled_from(sorted(type_.values)), _spoiled(st.just("ACTIVE")))
        if isinstance(type_, GraphQLScalarType):
            return self.scalar(type_.name, name)
        assert isinstance(type_, GraphQLInputObjectType)
        if depth >= MAX_DEPTH:
            return st.just({})
        required, optional = {}, {}
        for field_name, field in type_.fields.items():
            strategy = self.of(field.type, field_name, depth + 1)
            if isinstance(field.type, GraphQLNonNull) and field.default is None:
                required[field_name] = strategy
            else:
                optional[field_name] = strategy
        return st.fixed_dictionaries(required, optional=optional)

    def scalar(self, kind: str, name: str) -> S[Any]:
        if kind == "String":
            text = self.text(name)
            return self.mixed(text, _or_wrong_type(_spoiled(text)))
        if kind == "ID":
            ids = self.seen.ids_for(name, self.entity)
            types = st.sampled_from(sorted(self.seen.ids) or ["Node"])
            forged = st.builds(to_global_id, types, WILD_INT)
            wild = forged | _noncanonical_id(ids) | _spoiled(st.sampled_from(ids))
            return self.mixed(st.sampled_from(ids), wild)
        if kind == "Int":
            return self.mixed(self.integer(name), _or_wrong_type(WILD_INT))
        if kind == "Float":
            plausible = st.floats(0, 100) | self.integer(name)
            return self.mixed(plausible, _or_wrong_type(WILD_FLOAT | WILD_INT))
        if kind == "Boolean":
            return self.mixed(st.booleans(), WRONG_TYPE)
        if kind == "DateTime":
            return self.mixed(self.datetime(), WILD_DATETIME | _spoiled(self.datetime()))
        if kind == "Date":
            plausible = st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(date.isoformat)
            return self.mixed(plausible, WILD_DATE | _spoiled(plausible))
        return self.mixed(st.text(max_size=10), _or_wrong_type(_spoiled(st.text(max_size=10))))

    def text(self, name: str) -> S[str]:
        lowered = name.lower()
        options: list[S[str]] = []
        if self.seen.strings(name):
            options.append(st.sampled_from(self.seen.strings(name)))
        if lowered == "after":
            options.append(st.sampled_from(self.seen.strings("endCursor") or ["x"]))
        if "country" in lowered or lowered == "code":
            options.append(st.sampled_from(CODES))
        if lowered in ("slug", "group"):
            options.append(st.sampled_from(self.seen.strings("slug") or ["open-data"]))
            options.append(st.from_regex(r"[a-z]{3,9}(-[a-z]{2,6})?", fullmatch=True))
        if lowered.endswith("url") or lowered == "website":
            options.append(st.sampled_from(["https://example.org/a", "http://example.net/b?c=d"]))
        if lowered == "theme":
            options.append(st.sampled_from(self.seen.strings("key") or ["open_data"]))
        options.append(st.text(st.characters(codec="utf-8", exclude_categories=["C"]), max_size=20))
        return st.one_of(options)

    def integer(self, name: str) -> S[int]:
        known = [v for v in self.seen.values.get(name, ()) if type(v) is int]
        near = st.integers(-1, 120) | st.integers(1990, 2030)
        return st.sampled_from(known) | near if known else near

    def datetime(self) -> S[str]:
        base = datetime(2024, 6, 1, 9, 0)
        shifted = st.tuples(st.integers(-4000, 4000), OFFSETS | st.just("Z")).map(
            lambda t: (base + timedelta(hours=t[0])).isoformat() + t[1]
        )
        known = self.seen.strings("startsAt")
        return st.sampled_from(known) | shifted if known else shifted


def _leaves(type_: Any, depth: int = 0) -> int:
    """How many scalar positions an input type has (a list counts once)."""
    named = get_named_type(type_)
    if not isinstance(named, GraphQLInputObjectType):
        return 1
    if depth >= MAX_DEPTH:
        return 0
    return sum(_leaves(field.type, depth + 1) for field in named.fields.values())


def _entity(field: GraphQLField) -> str | None:
    """The type of a mutation payload's object field (`WorkingGroupPayload.workingGroup`)."""
    payload = get_named_type(field.type)
    if not is_object_type(payload):
        return None
    for name, payload_field in payload.fields.items():
        if name != "userErrors" and not is_leaf_type(get_named_type(payload_field.type)):
            return get_named_type(payload_field.type).name
    return None


def variables_for(field: GraphQLField, seen: Seen) -> S[dict[str, Any]]:
    """Variables named like the field's arguments; optional arguments are sometimes left out."""
    leaves = max(1, sum(_leaves(arg.type) for arg in field.args.values()))
    rates = sorted({0, min(100, math.ceil(100 / leaves)), min(100, math.ceil(250 / leaves)), 50})
    by_rate = {}
    for rate in rates:
        values = Values(seen, _entity(field), rate)
        required, optional = {}, {}
        for arg_name, arg in field.args.items():
            strategy = values.of(arg.type, arg_name)
            (required if isinstance(arg.type, GraphQLNonNull) else optional)[arg_name] = strategy
        by_rate[rate] = st.fixed_dictionaries(required, optional=optional)
    return st.sampled_from(rates).flatmap(by_rate.__getitem__)
