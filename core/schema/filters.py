"""Helpers for the filter arguments of root queries (core/<domain>/queries.py)."""

from __future__ import annotations


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character `\\`) matching `text` anywhere, lower-cased: compare it with
    `func.lower(column).like(pattern, escape="\\")`."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
