"""Checking that list fields take `first` (issue 8, point 3): with `first: 1` each list holds the
first item of the full list (`first: 100`), and `first: 101` is refused.

`check_first(client, query, fields)`: `query` declares `$n: Int!` and passes it as `first` to
every list named in `fields` (response keys). The query is run with n = 100 and n = 1; the
second answer must equal the first with each of those lists cut to its first item, and each
named list must hold more than one item somewhere in the full answer (so the check shows
something), except those in `few` (the demo has one at most: only the argument is checked).
n = 101 must be refused with `INVALID_ARGUMENT`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from core.testing import GraphQLClient


def _cut(value: Any, fields: frozenset[str], longest: Counter[str], key: str = "") -> Any:
    """`value` with every list under a key in `fields` cut to one item; `longest` records each
    such list's greatest length."""
    if isinstance(value, dict):
        return {k: _cut(v, fields, longest, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_cut(v, fields, longest) for v in value]
        if key in fields:
            longest[key] = max(longest[key], len(items))
            return items[:1]
        return items
    return value


async def check_first(
    client: GraphQLClient, query: str, fields: set[str], few: frozenset[str] = frozenset()
) -> None:
    full = await client.execute(query, {"n": 100})
    limited = await client.execute(query, {"n": 1})
    longest: Counter[str] = Counter()
    assert limited == _cut(full, frozenset(fields), longest)
    short = {name for name in fields - few if longest[name] < 2}
    assert not short, f"the demo has at most one item in {sorted(short)}: nothing is shown"
    errors = await client.errors(query, {"n": 101})
    assert [e["extensions"]["code"] for e in errors] == ["INVALID_ARGUMENT"], errors
