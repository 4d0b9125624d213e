"""Relay global IDs: base64("TypeName:pk"), opaque to clients and unique across types."""

from __future__ import annotations

import base64
import binascii


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """Return (type name, pk), or None when the string is not one of our IDs."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        return (type_name, int(pk)) if type_name and pk.isdigit() else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def pk_of(global_id: str, type_name: str) -> int | None:
    """The pk if `global_id` is an ID of `type_name`, else None."""
    decoded = from_global_id(global_id)
    return decoded[1] if decoded and decoded[0] == type_name else None
