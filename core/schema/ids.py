"""Relay global IDs: base64("TypeName:pk"), opaque to clients and unique across types.

Decoding accepts exactly what `to_global_id` issues (base64 padding optional) and only keys a
key column can hold, so a decoded pk can go straight into `WHERE id = :pk` on every backend: an
ID the service never issued decodes to None, which callers answer as "not found".
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

MAX_KEY = 2**31 - 1
"""The largest key: key columns are INTEGER (PostgreSQL's int4; SQLite is held to the same range,
so an ID answers the same on both databases)."""

_TYPE_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_KEY = re.compile(r"[1-9][0-9]{0,9}")  # canonical decimal: no sign, no leading zero, ASCII only
_MAX_LENGTH = 200  # far above any real ID; bounds the work spent on a forged one


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """Return (type name, pk), or None when the string is not one of our IDs.

    None for: anything not `to_global_id(type_name, pk)` itself (other alphabets, characters
    base64 would skip, non-canonical numbers such as `007` or `+7`), and keys outside
    1..MAX_KEY (e.g. `Meeting:2147483648`, or a 20-digit number).
    """
    if not isinstance(global_id, str) or len(global_id) > _MAX_LENGTH:
        return None
    return _decoded(global_id)


@lru_cache(maxsize=4096)
def _decoded(global_id: str) -> tuple[str, int] | None:
    """`from_global_id` of a string within the length bound, remembered: a request decodes the
    same IDs several times (the guard's subject, then the mutation), and requests the same
    ones (a page's IDs, its links)."""
    unpadded = global_id.rstrip("=")
    if global_id not in (unpadded, unpadded + "=" * (-len(unpadded) % 4)):
        return None
    try:
        raw = base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, digits = raw.partition(":")
    if _TYPE_NAME.fullmatch(type_name) is None or _KEY.fullmatch(digits) is None:
        return None
    pk = int(digits)
    if pk > MAX_KEY or to_global_id(type_name, pk) != unpadded:
        return None  # out of the key columns' range, or not the form we issue
    return type_name, pk


def pk_of(global_id: str, type_name: str) -> int | None:
    """The pk if `global_id` is an ID of `type_name` (with a key in 1..MAX_KEY), else None."""
    decoded = from_global_id(global_id)
    return decoded[1] if decoded and decoded[0] == type_name else None
