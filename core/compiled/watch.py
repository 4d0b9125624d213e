"""Whether a root field's statement may be kept for every signed-in person (core.compiled.plan).

A kept statement is re-bound per request: its rows' values and the viewer's person id, which the
row rules bind as `core.access.sql.VIEWER_PERSON`. Anything else a build takes from the viewer
(a declaration's `where=lambda ctx: ... ctx.viewer.person_id ...`, the scopes, the token, the
request's headers or scope, where the middleware left the viewer) would stay in the statement as
the first person's. So the build runs on a context that watches: `watched(ctx)` gives a copy
whose viewer and request record every such read, and a statement whose build read any is kept
for its viewer alone. What may be read freely: the viewer's kind (`is_staff`, `signed_in`, part
of the plan key) and the request's `Accept-Language` (the negotiated language, part of the plan
key too). A read the watch cannot see (a value captured before the build, a global) is outside
what a declaration is given, and not supported.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from core.auth import Viewer

_SEEN = "_ogp_seen"
_FREE = frozenset({"is_staff", "signed_in", "__class__"})
"""What a build may read of the viewer: its kind."""
_LANGUAGE = "accept-language"


class Watch:
    """What a build read that tells its viewer from others of the same kind."""

    def __init__(self) -> None:
        self.read: list[str] = []

    @property
    def personal(self) -> bool:
        return bool(self.read)


class _Viewer(Viewer):
    """The viewer, recording every read but its kind's (`_FREE`), comparison and hashing
    included (a dataclass compares its fields)."""

    def __getattribute__(self, name: str) -> Any:
        if name not in _FREE:
            object.__getattribute__(self, _SEEN).read.append(name)
        return object.__getattribute__(self, name)

    @property
    def signed_in(self) -> bool:
        return object.__getattribute__(self, "person_id") is not None

    def __eq__(self, other: object) -> bool:
        object.__getattribute__(self, _SEEN).read.append("==")
        mine = tuple(object.__getattribute__(self, f.name) for f in fields(Viewer))
        return isinstance(other, Viewer) and mine == tuple(
            getattr(other, f.name) for f in fields(Viewer)
        )

    def __hash__(self) -> int:
        object.__getattribute__(self, _SEEN).read.append("hash")
        return hash(tuple(object.__getattribute__(self, f.name) for f in fields(Viewer)))


class _Headers:
    """The request's headers: `Accept-Language` read freely, anything else recorded."""

    def __init__(self, headers: Any, watch: Watch) -> None:
        self._headers = headers
        self._watch = watch

    def _note(self, key: str) -> None:
        if key.lower() != _LANGUAGE:
            self._watch.read.append(f"header {key}")

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return self._headers.get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return self._headers[key]

    def __getattr__(self, name: str) -> Any:
        self._watch.read.append(f"headers.{name}")
        return getattr(self._headers, name)


class _Request:
    """The request, recording every read but its `Accept-Language` header."""

    def __init__(self, request: Any, watch: Watch) -> None:
        self._request = request
        self._watch = watch

    @property
    def headers(self) -> _Headers:
        return _Headers(self._request.headers, self._watch)

    def __getattr__(self, name: str) -> Any:
        self._watch.read.append(f"request.{name}")
        return getattr(self._request, name)


def watched(ctx: Any) -> tuple[Any, Watch]:
    """A copy of `ctx` (its own loaders) whose viewer and request record what is read of them,
    and the record."""
    watch = Watch()
    viewer = _Viewer(**{f.name: getattr(ctx.viewer, f.name) for f in fields(Viewer)})
    object.__setattr__(viewer, _SEEN, watch)
    request = None if ctx.request is None else _Request(ctx.request, watch)
    copy = replace(ctx, viewer=viewer, request=request, _loaders={}, _relation_loaders={})
    return copy, watch
