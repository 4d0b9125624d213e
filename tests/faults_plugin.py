"""A test-only plugin whose fields fail in every way a field can fail (installed in-process).

Real plugins and real data can fail like this: a lookup table missing a value read from the
database, a count beyond 32 bits, an enum value a newer writer added, NaN from a division. The
executors must report each at the field's own path, with null propagating to the nearest nullable
parent, exactly as graphql-core does. Everything is built through the public API (`core`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

import strawberry

from core import Theme, api_error, hookimpl, relation, types

KEY = "faults"
LABELS = {"a": "Alpha"}  # "b" is missing: a lookup table that lags behind the data


@strawberry.enum
class FaultKind(enum.Enum):
    KNOWN = "known"


@strawberry.type
class FaultItem:
    key: str
    size: int = 0

    @strawberry.field
    def label(self) -> str:
        return LABELS[self.key]  # KeyError for "b"

    @strawberry.field
    def optional_label(self) -> str | None:
        return LABELS[self.key]


async def load_items(ctx: Any, keys: Sequence[Any], first: int = 2) -> list[list[FaultItem]]:
    """Items per country; `first` above 3 is the client's mistake (BAD_USER_INPUT)."""
    if first > 3:
        raise api_error("BAD_USER_INPUT", f"`first` must be at most 3, got {first}")
    return [[FaultItem(key="a", size=1), FaultItem(key="b", size=2)][:first] for _ in keys]


@strawberry.type
class FaultsGroup(types.WorkingGroup):
    """The faults theme's groups (no demo group: the plugin adds only failing fields)."""


@strawberry.type
class Faults:
    """Values the server produced that do not fit the schema."""

    big: int = 2**31
    nan: float = float("nan")
    infinite: float = float("inf")
    kind: str = "unknown"
    nothing: str | None = None

    @strawberry.field
    def big_int(self) -> int | None:
        return self.big

    @strawberry.field
    def big_int_required(self) -> int:
        return self.big

    @strawberry.field
    def nan_required(self) -> float:
        return self.nan

    @strawberry.field
    def infinite_optional(self) -> float | None:
        return self.infinite

    @strawberry.field
    def bad_enum(self) -> FaultKind | None:
        return self.kind  # type: ignore[return-value]

    @strawberry.field
    def null_required(self) -> str:
        return self.nothing  # type: ignore[return-value]

    @strawberry.field
    def ints(self) -> list[int] | None:
        return [self.big, 1]  # the first item fails

    @strawberry.field
    def optional_ints(self) -> list[int | None] | None:
        return [self.big, 1]

    @strawberry.field
    def required_ints(self) -> list[int]:
        return [1, self.big]

    @strawberry.field
    def items(self) -> list[FaultItem] | None:
        return [FaultItem(key="a"), FaultItem(key="b")]

    @strawberry.field
    def optional_items(self) -> list[FaultItem | None]:
        return [FaultItem(key="b"), FaultItem(key="a")]


@strawberry.field(description="Test only: values that fail output coercion.")
def faults() -> Faults | None:
    return Faults()


@relation(load_items, default=[])
def fault_items(root: types.Country, first: int = 2) -> list[FaultItem]: ...


@strawberry.field
def fault_lookup(root: types.Country) -> str | None:
    return LABELS[root.code]  # a plain function that raises for every country


class Plugin:
    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key=KEY, title="Faults", summary="Test only.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        return FaultsGroup

    @hookimpl
    def ogp_wg_query_fields(self) -> list[Any]:
        return [faults]

    @hookimpl
    def ogp_wg_type_fields(self) -> dict[str, list[Any]]:
        return {"Country": [fault_items, fault_lookup]}


plugin = Plugin()


def installed_with_faults() -> dict[str, object]:
    """Every installed plugin plus this one, for `make_client(url, installed=...)`."""
    from core.plugins import discover

    return {**{key: found.obj for key, found in discover().items()}, KEY: plugin}
