"""Who is asking: the viewer of a request (authentication; the rules are in `core.access`)."""

from __future__ import annotations

from dataclasses import dataclass

READ = "read"
WRITE = "write"
ALL_SCOPES = frozenset({READ, WRITE})


@dataclass(frozen=True)
class Viewer:
    """The caller of one request, resolved once from its bearer token (or anonymous).

    Roles other than staff (member, anchor, the person themself) are relations of `person_id`
    and are looked up by `core.access` when a rule needs them, not carried here.
    """

    person_id: int | None = None
    token_id: int | None = None
    """The API token used (None for anonymous and for OpenID Connect)."""
    scopes: frozenset[str] = frozenset()
    is_staff: bool = False
    method: str = "anonymous"
    """`anonymous`, `token` or `oidc`."""

    @property
    def signed_in(self) -> bool:
        return self.person_id is not None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Viewer()
